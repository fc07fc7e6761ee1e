"""Charts of the US–China trade war: tariffs both ways, the Phase One purchases, the timeline.

Each Altair chart goes through :func:`explainer.charts.sourced`; a chart builder returns a
:class:`explainer.charts.Figure`, shown from the cache when the same figure was drawn before (by
any kernel) and built otherwise (its ``.chart`` is the Altair chart). The timeline of the explorer
is redrawn on every move, so it is built like the live panels of notebook 3
(:mod:`explainer.charts.frames`): :data:`TIMELINE_CHART` is a Vega-Lite template compiled once,
and :func:`timeline_frame` hands a view the data and words of one moment. Every event's row
(:func:`timeline_event_rows`) is a data set that never changes; a move changes only small sets:
the ids shown, the axis range, the lanes chosen and the selected event.

Dates from data are written with :func:`explainer.text.when`, only as exactly as they are
known ("5 Jun 2019", "May 2019", "2018"). Events are sorted by their first possible day and
then by precision, so "2018" is listed before the dated events of 2018 and is never shown as
"Jan 2018"; on the timeline chart an event known only to the month or year is drawn hollow in the
middle of its period, with a bar across the whole period.

Examples
--------
>>> from explainer.charts import spec_dict, trade
>>> spec = spec_dict(trade.tariff_chart())
>>> spec["title"]["text"]
'Average tariffs, US on China and China on the US'
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from explainer.charts import (
    BASIS_COLOURS,
    PALETTE,
    heading,
    kept_figure,
    kept_json,
    spec_dict,
    to_vega,
)
from explainer.charts import sourced as _sourced
from explainer.charts.frames import ChartFrame, CompiledChart
from explainer.charts.hover import with_tooltip_hover
from explainer.data import load_table, resource
from explainer.sources import collect_ids, short_citation
from explainer.text import escape_dollars, markdown_text, reading_table, when, when_column

__all__ = [
    "CATEGORY_COLOURS",
    "PROSE_SOURCES",
    "SIDE_COLOURS",
    "TARIFF_MARKS",
    "TIMELINE_CHART",
    "crackdown_table",
    "export_controls_markdown",
    "period_end",
    "period_middle",
    "phase_one_promises_chart",
    "phase_one_shares_chart",
    "phase_one_summary",
    "phase_one_totals",
    "phase_one_totals_chart",
    "table_view",
    "tariff_alternatives",
    "tariff_chart",
    "tariff_coda",
    "tariff_levels",
    "tariff_marks",
    "tariff_segments",
    "tariff_summary",
    "tariff_table",
    "timeline_choices",
    "timeline_event_rows",
    "timeline_frame",
    "timeline_order",
    "timeline_table",
]


def sourced(chart: Any, **words: Any) -> Any:
    """:func:`explainer.charts.sourced`, after each mark's hover text is written from its
    tooltip alone (:func:`~explainer.charts.hover.with_tooltip_hover`)."""
    return _sourced(with_tooltip_hover(chart), **words)


US_SIDE = "US tariff on Chinese goods"
CHINA_SIDE = "China's tariff on US goods"
SIDE_COLOURS = {US_SIDE: PALETTE[0], CHINA_SIDE: PALETTE[5]}
TARIFF_WINDOW = ("2017-01-01", "2021-06-30")  # Trump's first term and its aftermath
HELD, UNREPORTED = "level held (reported)", "level not reported in between"

#: Timeline events marked on the tariff chart: the Section 301 lists, China's retaliation
#: rounds and the Phase One deal (ids in data/timeline.csv).
TARIFF_MARKS = (
    "us-section-301-findings",
    "us-list-1-tariffs",
    "china-retaliates-list-1",
    "us-list-2-tariffs",
    "us-list-3-tariffs",
    "us-list-3-raised",
    "us-list-4a-tariffs",
    "china-retaliates-2019-09",
    "phase-one-signed",
    "phase-one-in-force",
)

#: Sources cited by name in notebook 02's prose, with the marker the prose uses,
#: ``*(Publisher, year)*``. The notebook's Sources section lists them (tests/test_trade.py
#: checks that each marker is in the prose and that the prose cites nothing else).
PROSE_SOURCES = {
    "whitehouse-2018-section-301-memo": "The White House, 2018",
    "scio-2019-trade-white-paper": "State Council Information Office, 2019",
    "thompsonhine-2020-huawei-fdpr-may": "Thompson Hine, May 2020",
    "forexlive-2022-phase-one-officials": "ForexLive, 2022",
    "iol-2025-china-white-paper": "IOL, 2025",
    "piie-2022-phase-one-purchases": "PIIE, 2022",
    "cset-2018-35-chokepoints": "CSET translation, 2018",
    "cgtn-2020-innovation-blueprint": "CGTN, 2020",
    "xinhua-2021-14th-fyp-innovation": "Xinhua, 2021",
    "bloomberg-2022-little-giants": "Bloomberg, January 2022",
    "xinhua-2021-alibaba-fine": "Xinhua, 2021 and 2022",
    "xinhua-2022-didi-fine": "Xinhua, 2021 and 2022",
    "igcc-2022-naughton-gamble": "IGCC, 2022",
}

_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}


def _cite(ids: Iterable[str]) -> str:
    """Short citations for a table cell: ``'PIIE (2019); Reuters (2019)'``."""
    return "; ".join(dict.fromkeys(short_citation(i) for i in ids))


def table_view(frame: pd.DataFrame, **options: Any) -> Any:
    """:func:`explainer.text.reading_table`, with headers capitalised and MathJax kept off.

    Cells such as "25% on $34bn ... $16bn" hold two dollar signs, which JupyterLab would
    typeset as mathematics; the ``tex2jax_ignore`` class stops it. Column names are shown
    with a capital first letter ("when" reads "When"). ``options`` go to ``reading_table``
    (``widths``, keyed by the frame's own column names; ``decimals``; ``dates``).
    """
    headers = {c: c[:1].upper() + c[1:] for c in frame.columns if isinstance(c, str)}
    widths = {headers.get(k, k): v for k, v in (options.pop("widths", None) or {}).items()}
    table = reading_table(frame.rename(columns=headers), widths=widths or None, **options)
    return table.with_classes("tex2jax_ignore")


# --- dates known to the day, the month or the year ----------------------------------------------
def period_end(dates: pd.Series, precisions: pd.Series) -> pd.Series:
    """The last day each date can stand for: the day itself, the month's or the year's end."""
    dates = pd.to_datetime(pd.Series(dates)).reset_index(drop=True)
    kind = pd.Series(precisions).to_numpy()
    month_end = (dates + pd.offsets.MonthEnd(0)).to_numpy()
    year_end = (dates + pd.offsets.YearEnd(0)).to_numpy()
    days = dates.to_numpy()  # no masked assignment: this runs on every move of the explorer
    return pd.Series(np.where(kind == "month", month_end, np.where(kind == "year", year_end, days)))


def period_middle(dates: pd.Series, precisions: pd.Series) -> pd.Series:
    """Where to draw each date: the day itself, or the middle of its month or year."""
    dates = pd.to_datetime(pd.Series(dates)).reset_index(drop=True)
    return (dates + (period_end(dates, precisions) - dates) / 2).dt.normalize()


def timeline_order(events: pd.DataFrame) -> pd.DataFrame:
    """Events sorted by first possible day, then precision (day, month, year), then id."""
    rank = [_PRECISION_RANK[p] for p in events["date_precision"]]
    dates, ids = events["date"].tolist(), events["id"].tolist()
    order = sorted(range(len(ids)), key=lambda i: (dates[i], rank[i], ids[i]))
    return events.iloc[order]


def timeline_table(events: pd.DataFrame, start: Any = None, end: Any = None) -> pd.DataFrame:
    """Events in reading order with a ``when`` column ("15 Apr 2018", "2018").

    ``start`` and ``end`` keep the events whose period (the day, month or year their date
    stands for) overlaps that window.
    """
    ends = period_end(events["date"], events["date_precision"]).set_axis(events.index)
    keep = pd.Series(True, index=events.index)
    if start is not None:
        keep &= ends >= pd.Timestamp(start)
    if end is not None:
        keep &= events["date"] <= pd.Timestamp(end)
    chosen = timeline_order(events[keep])
    return chosen.assign(when=when_column(chosen["date"], chosen["date_precision"]))


# --- tariffs ----------------------------------------------------------------------------------
_SIDES = (
    (US_SIDE, "us_on_china_pct", "us_on_china_alt_pct", "us_coverage_pct"),
    (CHINA_SIDE, "china_on_us_pct", "china_on_us_alt_pct", "china_coverage_pct"),
)


def _tariff_rows(start: str, end: str | None) -> pd.DataFrame:
    table = load_table("tariffs")
    table = table[(table["date"] >= start) & ((table["date"] <= end) if end else True)]
    return table.assign(when=when_column(table["date"], table["date_precision"]))


def tariff_levels(start: str = TARIFF_WINDOW[0], end: str = TARIFF_WINDOW[1]) -> pd.DataFrame:
    """The tariff series in long form: one row per reported level, side and date.

    Parameters
    ----------
    start, end : str
        ISO dates bounding the window (inclusive).

    Returns
    -------
    pandas.DataFrame
        Columns ``date``, ``when``, ``side`` (:data:`US_SIDE` or :data:`CHINA_SIDE`),
        ``rate_pct``, ``coverage_pct``, ``label``, ``basis``, ``stepped_on_date``, ``sources``
        (short citations), ``source_ids``. Dates where a side has no figure are left out,
        never filled in; the other PIIE counts are in :func:`tariff_alternatives`.
    """
    table = _tariff_rows(start, end)
    parts = []
    for side, rate, _alt, cover in _SIDES:
        part = table.dropna(subset=[rate])
        parts.append(part.assign(side=side, rate_pct=part[rate], coverage_pct=part[cover]))
    long = pd.concat(parts, ignore_index=True)
    long["sources"] = long["source_ids"].map(_cite)
    columns = ["date", "when", "side", "rate_pct", "coverage_pct", "label", "basis"]
    return long[[*columns, "stepped_on_date", "sources", "source_ids"]].sort_values(
        ["side", "date"], ignore_index=True
    )


def tariff_alternatives(start: str = TARIFF_WINDOW[0], end: str = TARIFF_WINDOW[1]) -> pd.DataFrame:
    """Levels from another PIIE count or version (the ``*_alt_pct`` columns), one row each.

    They are drawn as separate diamonds, never joined to the line: the same change dated
    differently (US, May 2019) or a figure PIIE later revised (China, February 2020).
    """
    table = _tariff_rows(start, end)
    parts = []
    for side, _rate, alt_rate, _cover in _SIDES:
        part = table.dropna(subset=[alt_rate])
        parts.append(part.assign(side=side, rate_pct=part[alt_rate]))
    long = pd.concat(parts, ignore_index=True)
    long["sources"] = long["source_ids"].map(_cite)
    columns = ["date", "when", "side", "rate_pct", "label", "basis", "note", "sources"]
    return long[[*columns, "source_ids"]].sort_values(["side", "date"], ignore_index=True)


def tariff_segments(levels: pd.DataFrame) -> pd.DataFrame:
    """The line between consecutive reported levels of each side, as drawable points.

    Between two reported levels the line is ``HELD`` (solid) when the level did not change,
    or when the later row says the change took effect on its date (``stepped_on_date``: a
    step there). Otherwise the sources do not say when, or in how many steps, the level
    moved, and the stretch is ``UNREPORTED`` (dotted, straight from one dot to the next).

    Returns columns ``side``, ``segment`` (a number per piece of line), ``style``,
    ``order`` (point order within a piece), ``date`` and ``rate_pct``.
    """
    rows, segment = [], 0
    for side, group in levels.sort_values("date").groupby("side", sort=False):
        points = list(group.itertuples())
        for a, b in itertools.pairwise(points):
            if a.rate_pct == b.rate_pct:
                style, path = HELD, [(a.date, a.rate_pct), (b.date, b.rate_pct)]
            elif b.stepped_on_date:
                style = HELD
                path = [(a.date, a.rate_pct), (b.date, a.rate_pct), (b.date, b.rate_pct)]
            else:
                style, path = UNREPORTED, [(a.date, a.rate_pct), (b.date, b.rate_pct)]
            segment += 1
            rows += [
                {"side": side, "segment": segment, "style": style, "order": n}
                | {"date": day, "rate_pct": rate}
                for n, (day, rate) in enumerate(path)
            ]
    return pd.DataFrame(rows, columns=["side", "segment", "style", "order", "date", "rate_pct"])


def _stretches(segments: pd.DataFrame, style: str) -> dict[str, list[str]]:
    """For each side, the stretches drawn in one style, e.g. ``['Jun 2019 to Dec 2019']``."""
    found: dict[str, list[str]] = {}
    for (side, _segment), piece in segments[segments["style"] == style].groupby(
        ["side", "segment"], sort=False
    ):
        first, last = piece["date"].min(), piece["date"].max()
        found.setdefault(side, []).append(f"{first:%b %Y} to {last:%b %Y}")
    return found


def tariff_marks(
    ids: Sequence[str] = TARIFF_MARKS, start: str = TARIFF_WINDOW[0], end: str = TARIFF_WINDOW[1]
) -> pd.DataFrame:
    """Timeline events to mark on the tariff chart, numbered by date (same date, same number).

    Returns columns ``number``, ``date``, ``when``, ``actor``, ``event``, ``detail`` and
    ``source_ids``.

    Raises
    ------
    ValueError
        If an id is not in ``data/timeline.csv``.
    """
    events = load_table("timeline").set_index("id")
    missing = [i for i in ids if i not in events.index]
    if missing:
        raise ValueError(f"marks: no timeline event {missing[0]!r} in data/timeline.csv")
    marks = events.loc[list(ids)].reset_index()
    marks = marks[(marks["date"] >= start) & (marks["date"] <= end)].sort_values(["date", "actor"])
    marks["number"] = marks["date"].rank(method="dense").astype(int)
    marks["when"] = when_column(marks["date"], marks["date_precision"])
    columns = ["number", "date", "when", "actor", "event", "detail", "source_ids"]
    return marks[columns].reset_index(drop=True)


def tariff_table(start: str = TARIFF_WINDOW[0], end: str | None = None) -> pd.DataFrame:
    """The points the tariff series is built from, as a reader-facing table.

    The last column, ``source_ids``, is for :func:`explainer.sources.references`; leave it out
    when showing the table.
    """
    table = _tariff_rows(start, end)
    other = [
        "; ".join(
            f"{name} {value:.1f}"
            for name, value in (("US", us), ("China", china))
            if pd.notna(value)
        )
        for us, china in zip(table["us_on_china_alt_pct"], table["china_on_us_alt_pct"])
    ]
    return pd.DataFrame(
        {
            "From": table["when"],
            "US on China (%)": table["us_on_china_pct"],
            "China on US (%)": table["china_on_us_pct"],
            "Other PIIE count (%)": other,
            "US imports covered (%)": table["us_coverage_pct"],
            "China's imports covered (%)": table["china_coverage_pct"],
            "What changed": table["label"],
            "Basis": table["basis"],
            "Sources": table["source_ids"].map(_cite),
            "source_ids": table["source_ids"],
        }
    ).reset_index(drop=True)


def _tariff_x(start: str, end: str) -> alt.X:
    return alt.X(
        "date:T",
        title=None,
        scale=alt.Scale(domain=[start, end]),
        axis=alt.Axis(format="%Y", tickCount="year"),
    )


def _side_scale() -> alt.Scale:
    return alt.Scale(domain=list(SIDE_COLOURS), range=list(SIDE_COLOURS.values()))


def _tariff_layers(
    levels: pd.DataFrame,
    alternatives: pd.DataFrame,
    segments: pd.DataFrame,
    marks: pd.DataFrame,
    start: str,
    end: str,
) -> list[alt.Chart]:
    """The chart's layers: rounds, line pieces, reported dots, other counts, round numbers."""
    x = _tariff_x(start, end)
    y = alt.Y("rate_pct:Q", title="Average tariff (%)", scale=alt.Scale(domain=[0, 25]))
    line = (
        alt.Chart(segments)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "side:N",
                title=None,
                scale=_side_scale(),
                legend=alt.Legend(orient="bottom", direction="horizontal"),
            ),
            strokeDash=alt.StrokeDash(
                "style:N",
                title=None,
                scale=alt.Scale(domain=[HELD, UNREPORTED], range=[[1, 0], [2, 5]]),
                legend=alt.Legend(orient="bottom", direction="horizontal", symbolStrokeWidth=2.5),
            ),
            detail="segment:N",
            order="order:Q",
        )
    )
    # Reported levels are filled dots; a derived level is an open dot (white inside).
    dots = levels.drop(columns=["source_ids"]).assign(
        fill=levels["side"].map(SIDE_COLOURS).where(levels["basis"] != "derived", "white")
    )
    stroke = alt.Stroke("side:N", legend=None, scale=_side_scale())
    points = (
        alt.Chart(dots)
        .mark_point(size=110, strokeWidth=2.5, opacity=1)
        .encode(
            x=x,
            y=y,
            stroke=stroke,
            fill=alt.Fill("fill:N", scale=None),
            tooltip=[
                alt.Tooltip("when:N", title="From"),
                alt.Tooltip("side:N", title="Series"),
                alt.Tooltip("rate_pct:Q", title="Average tariff (%)", format=".1f"),
                alt.Tooltip("label:N", title="What changed"),
                alt.Tooltip("basis:N", title="Basis"),
                alt.Tooltip("sources:N", title="Source"),
            ],
        )
    )
    others = (
        alt.Chart(alternatives.drop(columns=["source_ids"]))
        .mark_point(shape="diamond", size=150, strokeWidth=2.5, filled=False, opacity=1)
        .encode(
            x=x,
            y=y,
            stroke=stroke,
            tooltip=[
                alt.Tooltip("when:N", title="Date"),
                alt.Tooltip("side:N", title="Series"),
                alt.Tooltip("rate_pct:Q", title="Another PIIE count (%)", format=".1f"),
                alt.Tooltip("label:N", title="What changed"),
                alt.Tooltip("sources:N", title="Source"),
            ],
        )
    )
    marks_frame = marks.drop_duplicates("number").drop(columns=["source_ids"])
    rules = (
        alt.Chart(marks_frame)
        .mark_rule(strokeDash=[4, 4], color="#888888", strokeWidth=1.2)
        .encode(x="date:T", tooltip=[alt.Tooltip("when:N", title="Date"), "event:N"])
    )
    numbers = (
        alt.Chart(marks_frame)
        .mark_text(dy=-6, fontSize=14, fontWeight="bold", color="#444444")
        .encode(x="date:T", y=alt.value(0), text="number:Q")
    )
    return [rules, line, points, others, numbers]


def _tariff_description(
    levels: pd.DataFrame, alternatives: pd.DataFrame, segments: pd.DataFrame, rounds: int
) -> str:
    us, china = (levels[levels["side"] == s] for s in (US_SIDE, CHINA_SIDE))
    gaps = _stretches(segments, UNREPORTED)
    dotted = "; ".join(f"{side}: {', '.join(spans)}" for side, spans in gaps.items())
    others = "; ".join(f"{r.side} {r.rate_pct:.1f}% ({r.when})" for r in alternatives.itertuples())
    return (
        f"Two lines. The average US tariff on Chinese goods goes from "
        f"{us['rate_pct'].iloc[0]:.1f}% in {us['date'].iloc[0]:%B %Y} to "
        f"{us['rate_pct'].max():.1f}% at its peak and {us['rate_pct'].iloc[-1]:.1f}% in "
        f"{us['date'].iloc[-1]:%B %Y}; China's average tariff on US goods goes from "
        f"{china['rate_pct'].iloc[0]:.1f}% in {china['date'].iloc[0]:%B %Y} to "
        f"{china['rate_pct'].iloc[-1]:.1f}% in {china['date'].iloc[-1]:%B %Y}. "
        f"Dotted where the sources give no level between two reported ones ({dotted}). "
        f"Diamonds show other PIIE counts: {others}. "
        f"{rounds} dashed lines mark the tariff rounds and the Phase One deal."
    )


@kept_figure
def tariff_chart(start: str = TARIFF_WINDOW[0], end: str = TARIFF_WINDOW[1]) -> alt.LayerChart:
    """The trade-weighted average tariffs, both ways, drawn only as far as they are reported.

    Dots are the levels PIIE reports (open dots: derived by us). A solid line joins two dots
    when the level held between them, or steps on the day a change took effect; a dotted
    line joins them when the sources do not say when or in how many steps the level moved
    (see :func:`tariff_segments`). Diamonds are another PIIE count of the same change. Dashed
    vertical lines are the tariff rounds and the Phase One deal, numbered as in
    :func:`tariff_marks`.
    """
    levels = tariff_levels(start, end)
    alternatives = tariff_alternatives(start, end)
    segments = tariff_segments(levels)
    marks = tariff_marks(start=start, end=end)
    layers = _tariff_layers(levels, alternatives, segments, marks, start, end)
    description = _tariff_description(levels, alternatives, segments, marks["number"].nunique())
    return sourced(
        alt.layer(*layers).properties(width=760, height=360),
        title="Average tariffs, US on China and China on the US",
        subtitle=[
            "Trade-weighted averages, %. Dots: levels PIIE reports (open dot: derived by us).",
            "Solid: the level held. Dotted: no level reported in between (e.g. Jun to Dec 2019).",
            "Diamonds: another PIIE count. Numbered lines: events (table below).",
        ],
        description=description,
        sources=[levels, alternatives, marks],
    )


# --- Phase One --------------------------------------------------------------------------------
def phase_one_totals() -> pd.DataFrame:
    """Two years of purchases: at the 2017 level, as promised, and as made (billion USD)."""
    table = load_table("phase_one").set_index("id")
    level, promised, made = (
        table.loc[key] for key in ("level-all-2017", "promised-all-2020-21", "made-all-2020-21")
    )
    return pd.DataFrame(
        {
            "bar": ["Two years at the 2017 level", "Promised for 2020–21", "Bought in 2020–21"],
            "billion_usd": [2 * level["value"], promised["value"], made["value"]],
            "basis": ["derived", promised["basis"], made["basis"]],
            "how": [
                "Derived: twice the 2017 level, the baseline the deal's extras sit on",
                promised["note"],
                made["note"],
            ],
            "source_ids": [level["source_ids"], promised["source_ids"], made["source_ids"]],
        }
    )


@kept_figure
def phase_one_totals_chart() -> alt.LayerChart:
    """Bars: what China promised to buy over 2020–21, what it bought, and the 2017 baseline."""
    totals = phase_one_totals()
    order = list(totals["bar"])
    base = alt.Chart(totals).encode(
        y=alt.Y("bar:N", title=None, sort=order, axis=alt.Axis(labelLimit=300)),
        x=alt.X("billion_usd:Q", title="US goods and services, billion USD (two years)"),
    )
    bars = base.mark_bar(size=34).encode(
        color=alt.Color(
            "basis:N",
            title="Basis",
            scale=alt.Scale(
                domain=["reported", "derived"],
                range=[BASIS_COLOURS["reported"], BASIS_COLOURS["derived"]],
            ),
            legend=alt.Legend(orient="bottom"),
        ),
        tooltip=[
            alt.Tooltip("bar:N", title="Bar"),
            alt.Tooltip("billion_usd:Q", title="Billion USD", format=".1f"),
            alt.Tooltip("how:N", title="How"),
        ],
    )
    labels = base.mark_text(align="left", dx=6, fontSize=16).encode(
        text=alt.Text("billion_usd:Q", format="$,.1f")
    )
    promised, made = totals["billion_usd"].iloc[1], totals["billion_usd"].iloc[2]
    description = (
        f"Three bars. China promised USD {promised:.1f}bn of covered US goods and services over "
        f"2020–21 and bought USD {made:.1f}bn ({made / promised:.1%}), less than the "
        f"USD {totals['billion_usd'].iloc[0]:.1f}bn that two years at the 2017 level would give."
    )
    return sourced(
        alt.layer(bars, labels).properties(width=620, height=200),
        title="Phase One: promised, bought, and the pre-war level",
        subtitle="Covered US exports to China, 2020–21, in US export statistics",
        description=description,
        sources=[totals],
    )


@kept_figure
def phase_one_promises_chart() -> alt.Chart:
    """Stacked bars: the extra purchases promised above 2017, by category and year."""
    table = load_table("phase_one")
    extra = table[
        (table["measure"] == "extra purchases promised")
        & table["period"].isin(["2020", "2021"])
        & (table["category"] != "goods and services")
    ].rename(columns={"value": "billion_usd"})
    order = list(extra.groupby("category")["billion_usd"].sum().sort_values(ascending=False).index)
    chart = (
        alt.Chart(extra.drop(columns=["source_ids", "note"]))
        .mark_bar(size=30)
        .encode(
            y=alt.Y("category:N", title=None, sort=order),
            x=alt.X("billion_usd:Q", title="Extra purchases above 2017, billion USD"),
            color=alt.Color(
                "period:N",
                title="Year",
                scale=alt.Scale(domain=["2020", "2021"], range=[PALETTE[4], PALETTE[0]]),
                legend=alt.Legend(orient="bottom"),
            ),
            order=alt.Order("period:N"),
            tooltip=[
                alt.Tooltip("category:N", title="Category"),
                alt.Tooltip("period:N", title="Year"),
                alt.Tooltip("billion_usd:Q", title="Billion USD", format=".1f"),
            ],
        )
        .properties(width=620, height=220)
    )
    totals = extra.groupby("category")["billion_usd"].sum()
    by_year = extra.groupby("period")["billion_usd"].sum()
    description = (
        "Stacked bars of the extra purchases China promised above its 2017 level: "
        + ", ".join(f"{c} USD {totals[c]:.1f}bn" for c in order)
        + f"; USD {totals.sum():.1f}bn in all, USD {by_year['2020']:.1f}bn in 2020 and "
        + f"USD {by_year['2021']:.1f}bn in 2021."
    )
    return sourced(
        chart,
        title=f"What the extra ${totals.sum():.0f} billion was to be made of",
        subtitle="Phase One commitments above the 2017 level, by year (the agreement's Annex 6.1)",
        description=description,
        sources=[extra],
    )


@kept_figure
def phase_one_shares_chart() -> alt.LayerChart:
    """Dots: the share of the promise China met, by category and by whose count it is."""
    table = load_table("phase_one")
    shares = table[table["measure"] == "share of promise met"].copy()
    shares["shown"] = shares.apply(
        lambda r: ("<" if r["qualifier"] == "less_than" else "") + f"{r['value']:g}%", axis=1
    )
    order = ["goods and services", "all goods", "agriculture", "manufactured goods", "energy"]
    who = sorted(
        shares["reported_by"].unique(),
        key=[
            "PIIE (first count)",
            "PIIE (revised)",
            "Derived",
            "Bloomberg",
            "Bloomberg and PIIE",
        ].index,
    )
    base = alt.Chart(shares.drop(columns=["source_ids"])).encode(
        y=alt.Y("category:N", title=None, sort=order),
        yOffset=alt.YOffset("reported_by:N", sort=who),
        x=alt.X("value:Q", title="Share of the promise met (%)", scale=alt.Scale(domain=[0, 100])),
    )
    dots = base.mark_point(size=160, filled=True, opacity=1).encode(
        color=alt.Color(
            "reported_by:N",
            title="Whose count",
            sort=who,
            scale=alt.Scale(range=PALETTE[: len(who)]),
            legend=alt.Legend(orient="bottom", columns=3),
        ),
        shape=alt.Shape(
            "qualifier:N",
            title="As worded",
            legend=None,
            scale=alt.Scale(
                domain=["exact", "about", "less_than"], range=["circle", "circle", "triangle-left"]
            ),
        ),
        tooltip=[
            alt.Tooltip("category:N", title="Category"),
            alt.Tooltip("shown:N", title="Share met"),
            alt.Tooltip("qualifier:N", title="As worded"),
            alt.Tooltip("reported_by:N", title="Whose count"),
            alt.Tooltip("note:N", title="Note"),
        ],
    )
    labels = base.mark_text(align="left", dx=10, fontSize=13).encode(text="shown:N")
    frame = pd.DataFrame({"x": [100], "text": ["Promise met in full"]})
    full = alt.Chart(frame).mark_rule(color="#000000").encode(x="x:Q")
    full_label = (
        alt.Chart(frame)
        .mark_text(align="right", dx=-6, y=-6, fontSize=13)
        .encode(x="x:Q", text="text:N")
    )
    low, high = shares.loc[shares["value"].idxmin()], shares.loc[shares["value"].idxmax()]
    overall = shares[shares["category"] == "goods and services"]
    counts = "; ".join(f"{r.reported_by} {r.shown}" for r in overall.itertuples())
    description = (
        f"Dots for each category give the share of the Phase One purchase promise that China "
        f"met over 2020–21, from {low['shown']} ({low['category']}) to {high['shown']} "
        f"({high['category']}). For everything covered: {counts}."
    )
    return sourced(
        alt.layer(full, full_label, dots, labels).properties(width=620, height=380),
        title="How much of the promise was met, by whose count",
        subtitle="Bloomberg counts goods only, from US Census data; PIIE also counts services",
        description=description,
        sources=[shares],
    )


# --- sentences and tables for the notebook -----------------------------------------------------
def crackdown_table() -> pd.DataFrame:
    """The platform-crackdown figures in date order, with ``when`` and the value as given.

    ``value`` is text holding the digits the source gives (``18.228``, ``34.5``), since a
    fixed number of decimals would either cut or pad them.
    """
    table = load_table("platform_crackdown")
    table = timeline_order(table).reset_index(drop=True)
    return table.assign(
        when=when_column(table["date"], table["date_precision"]),
        value=[f"{v:g}" for v in table["value"]],
    )


#: The rows of ``data/tariffs.csv`` the summary quotes, by their key (the date): what a row
#: is called can be reworded in the data without breaking the sentence.
TARIFF_ROWS = {
    "trump_takes_office": "2017-01-20",
    "before_list_1": "2018-07-01",
    "before_phase_one": "2019-12-19",
    "phase_one_in_force": "2020-02-14",
}
_SUMMARY_ROWS = ("before_list_1", "before_phase_one", "phase_one_in_force")


def tariff_summary() -> str:
    """Two sentences on the tariff levels before List 1, at the peak and after Phase One."""
    levels = load_table("tariffs").set_index("date")  # rows found by key, never by label
    before, peak, deal = (levels.loc[pd.Timestamp(TARIFF_ROWS[k])] for k in _SUMMARY_ROWS)
    start = levels.loc[pd.Timestamp(TARIFF_ROWS["trump_takes_office"]), "us_on_china_pct"]
    return (
        f"Just before the first list, the average US tariff on Chinese goods was "
        f"**{before.us_on_china_pct:.1f}%** and China's on US goods "
        f"**{before.china_on_us_pct:.1f}%**. By December 2019 they stood at "
        f"**{peak.us_on_china_pct:.1f}%** and **{peak.china_on_us_pct:.1f}%**. The Phase One "
        f"deal trimmed the US average to **{deal.us_on_china_pct:.1f}%**, about "
        f"{deal.us_on_china_pct / start:.0f} times its level when Trump took office "
        f"({start:.1f}%); it covered **{deal.us_coverage_pct:.1f}%** of US imports from China, "
        f"while China's average of **{deal.china_on_us_pct:.1f}%** covered "
        f"**{deal.china_coverage_pct:.1f}%** of its imports from the US."
    )


def tariff_coda() -> str:
    """One sentence on the 2025 levels, which the chart leaves out."""
    later = load_table("tariffs").query("date >= '2025-01-01'")
    first, last = later.iloc[0], later.iloc[-1]
    return (
        f"*A coda beyond this notebook.* On {when(first.date, first.date_precision)} the US "
        f"average was still {first.us_on_china_pct:.1f}%; after the escalation of "
        f"{when(last.date, last.date_precision)}, PIIE put it at {last.us_on_china_pct:.1f}%. "
        "That second round belongs to a different story, and the chart above stops before it."
    )


def phase_one_summary() -> str:
    """Two sentences: promised, bought, and the shortfall against the 2017 level."""
    value = load_table("phase_one").set_index("id")["value"]
    return escape_dollars(
        f"Over the two years China bought **${value['made-all-2020-21']:.1f}bn** of the covered "
        f"goods and services, against a promise of **${value['promised-all-2020-21']:.1f}bn**. "
        f"That is less than two years at the 2017 level (2 × ${value['level-all-2017']:.1f}bn): "
        f"purchases fell **${value['shortfall-2017-level-2020-21']:.1f}bn** short of where they "
        f"started, so none of the extra ${value['extra-all-2020-21']:.0f}bn was bought."
    )


# --- export controls --------------------------------------------------------------------------
def export_controls_markdown(table: pd.DataFrame | None = None) -> str:
    """Each export-control step as a short Markdown card: cut off, the US reason, China's reply.

    ``table`` defaults to ``data/export_controls.csv``. Each position is paraphrased from that
    government's own statements and cited by publisher and year; an empty field says so
    instead of guessing.
    """
    table = load_table("export_controls") if table is None else table
    md = markdown_text  # every piece of text from data is escaped; the frame around it is ours
    cards = []
    for row in table.sort_values("date").itertuples():
        lifted = f" Lifted on {when(row.ended)}." if pd.notna(row.ended) else ""
        us = (
            f"{md(row.us_rationale)} — *{md(_cite(row.us_source_ids))}*"
            if row.us_rationale
            else "*No separate statement of reasons in our sources.*"
        )
        china = (
            f"{md(row.china_response)} — *{md(_cite(row.china_source_ids))}*"
            if row.china_response
            else "*No official Chinese statement in our sources.*"
        )
        cards.append(
            f"**{when(row.date)}: {md(row.target)}** ({md(row.instrument)})  \n"
            f"*What it cut off:* {md(row.what_it_cut_off)}{lifted} — "
            f"*{md(_cite(row.source_ids))}*  \n"
            f"*Washington's reason:* {us}  \n"
            f"*Beijing's response:* {china}"
        )
    return "\n\n".join(cards)


# --- the timeline chart of the explorer --------------------------------------------------------
def timeline_choices() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The allowed actors and categories, as the data package's descriptor lists them."""
    fields = {f["name"]: f for f in resource("timeline")["schema"]["fields"]}
    return (
        tuple(fields["actor"]["constraints"]["enum"]),
        tuple(fields["category"]["constraints"]["enum"]),
    )


_ACTORS, _CATEGORIES = timeline_choices()
#: One Okabe-Ito colour per timeline category (yellow last: it is the faintest on white).
CATEGORY_COLOURS = dict(
    zip(_CATEGORIES, [PALETTE[i] for i in (2, 4, 3, 5, 0, 1, 7, 6)], strict=True)
)


#: The timeline chart's plot, in pixels: 164 px of lane names and 12 px of padding each side
#: leave the figure at 840 px, which fits an 848-px JupyterLab column unshrunk.
TIMELINE_WIDTH, TIMELINE_LANE = 640, 54
#: Dots on one lane closer than this many pixels are spread up and down by this step.
_NEAR_PX, _SPREAD_PX = 14, 9  # a dot is 14 px across
_DAY = "%Y-%m-%d"
TIMELINE_SUBTITLE = (
    "Dots: events, coloured by kind; hover for the headline, select one for its sources.",
    "Hollow: only the month or year is known, drawn mid-period; the faint bar spans it.",
)


def timeline_event_rows(events: pd.DataFrame) -> list[dict[str, Any]]:
    """Every event as the timeline chart reads it: one row each, the same on every move.

    Columns: ``id``, ``actor``, ``category`` and its ``colour``, ``event`` (the headline),
    ``when`` ("May 2019"), ``dated`` (how exactly the date is known, for the hover text),
    ``hollow`` (True when only the month or year is known) and ``start``, ``mid``, ``end``:
    the first, middle and last day the date can stand for (ISO dates; the dot is drawn at ``mid``).
    """
    ordered = timeline_order(events).reset_index(drop=True)
    dates, precisions = ordered["date"], ordered["date_precision"]
    ends, middles = period_end(dates, precisions), period_middle(dates, precisions)
    return [
        {
            "id": row.id,
            "actor": row.actor,
            "category": row.category,
            "colour": CATEGORY_COLOURS[row.category],
            "event": row.event,
            "when": written,
            "dated": (
                "to the day"
                if row.date_precision == "day"
                else f"only the {row.date_precision} is known; drawn mid-{row.date_precision}"
            ),
            "hollow": row.date_precision != "day",
            "start": f"{row.date:{_DAY}}",
            "mid": f"{middle:{_DAY}}",
            "end": f"{last:{_DAY}}",
        }
        for row, written, middle, last in zip(
            ordered.itertuples(), when_column(dates, precisions), middles, ends
        )
    ]


def _spread(shown: list[dict[str, Any]], start: pd.Timestamp, end: pd.Timestamp) -> list[int]:
    """Vertical offsets (pixels) that keep dots on one lane from hiding each other.

    ``shown``: rows of :func:`timeline_event_rows`, in reading order. A dot within
    :data:`_NEAR_PX` of dots already placed on its lane goes alternately up and down by
    :data:`_SPREAD_PX` steps, as far as it takes.
    """
    low, high = start.date(), end.date()
    span = max((high - low).days, 1)
    seen: dict[str, list[float]] = {}
    offsets = []
    for row in shown:
        day = min(max(date.fromisoformat(row["mid"]), low), high)  # cut to the axis, as drawn
        x = TIMELINE_WIDTH * (day - low).days / span
        lane = seen.setdefault(row["actor"], [])
        near = sum(1 for px in lane if abs(px - x) < _NEAR_PX)
        lane.append(x)
        offsets.append((-1) ** near * _SPREAD_PX * ((near + 1) // 2))
    return offsets


def timeline_frame(
    events: pd.DataFrame,
    rows: list[dict[str, Any]],
    *,
    start: date | pd.Timestamp,
    end: date | pd.Timestamp,
    actors: Sequence[str] = _ACTORS,
    selected: str | None = None,
    total: int | None = None,
    cited: Iterable[str] = (),
) -> ChartFrame:
    """The timeline chart at one moment: dots on one lane per actor, coloured by kind.

    Parameters
    ----------
    events : DataFrame
        The rows of ``data/timeline.csv`` to show (already filtered).
    rows : list of dict
        :func:`timeline_event_rows` of the whole table the events come from: the data set
        that stays the same from move to move (a live view is sent it once).
    start, end : date
        The time axis; a period running past it is cut at its edge.
    actors : sequence of str
        The lanes whose events are chosen; every lane is drawn, the others greyed, so lanes
        never jump about.
    selected : str, optional
        Id of the event to ring and label.
    total : int, optional
        How many events there are in all, for the title ("12 of 62 events").
    cited : iterable of str, optional
        Source ids for the source line when no event is shown (default: those of
        ``data/timeline.csv``); otherwise the shown events' sources are cited.

    Returns
    -------
    ChartFrame
        Of :data:`TIMELINE_CHART`. Its data sets: ``events`` (``rows``), ``shown`` (the
        visible events' ids, in reading order, with their offsets ``dy``), ``range`` (the
        axis), ``lanes`` and ``selected`` (none or one row); a move changes only the small
        ones. An event known only to the month or year is drawn hollow in the middle of
        that period, with a faint bar across it, and its hover text says so.
    """
    low, high = pd.Timestamp(start), pd.Timestamp(end)
    shown = timeline_order(events).reset_index(drop=True)
    by_id = _rows_by_id(rows)
    placed = [by_id[i] for i in shown["id"]]
    offsets = _spread(placed, low, high)
    visible = [{"id": row["id"], "dy": dy} for row, dy in zip(placed, offsets)]
    chosen = []
    if selected is not None and selected in by_id and selected in set(shown["id"]):
        at = list(shown["id"]).index(selected)
        middle = min(max(date.fromisoformat(placed[at]["mid"]), low.date()), high.date())
        right = (middle - low.date()).days > 0.6 * max((high - low).days, 1)
        chosen = [{"id": selected, "dy": offsets[at], "side": "right" if right else "left"}]
    datasets = {
        "events": rows,
        "shown": visible,
        "range": [{"start": f"{low:{_DAY}}", "end": f"{high:{_DAY}}"}],
        "lanes": [{"actor": a, "chosen": a in actors} for a in _ACTORS],
        "selected": chosen,
    }
    title = (
        f"{len(shown)} of {total if total is not None else len(shown)} events, "
        f"{low:%b %Y} to {high:%b %Y}"
    )
    words = heading(
        title=title,
        subtitle=list(TIMELINE_SUBTITLE),
        description=_timeline_description(shown, low, high),
        sources=[shown] if len(shown) else [list(cited) or _timeline_sources()],
    )
    return ChartFrame(TIMELINE_CHART, datasets, words)


_BY_ID: dict[int, tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]] = {}


def _rows_by_id(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """``rows`` by event id, worked out once per list (kept with it, so an id is never reused)."""
    found = _BY_ID.get(id(rows))
    if found is None or found[0] is not rows:
        if len(_BY_ID) > 64:
            _BY_ID.clear()
        found = _BY_ID[id(rows)] = (rows, {row["id"]: row for row in rows})
    return found[1]


def _timeline_sources() -> list[str]:
    """The sources of ``data/timeline.csv``, cited when no event is shown."""
    return collect_ids(load_table("timeline"))


def _timeline_description(shown: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> str:
    counts = shown["category"].value_counts()
    vague = int(shown["date_precision"].ne("day").sum())
    return (
        f"A timeline from {start:%B %Y} to {end:%B %Y} with one lane per actor, "
        f"showing {len(shown)} events"
        + (": " + ", ".join(f"{n} {c}" for c, n in counts.items()) if len(shown) else "")
        + "."
        + (
            f" {vague} of them {'is' if vague == 1 else 'are'} known only to the month or "
            f"year and {'is' if vague == 1 else 'are'} drawn hollow in the middle of that period."
            if vague
            else ""
        )
    )


def _clamped(field: str) -> str:
    """A Vega expression: the event's ``field`` date, cut to the axis (the ``range`` set)."""
    low, high = "toDate(data('range')[0].start)", "toDate(data('range')[0].end)"
    return f"clamp(+toDate(datum.{field}), +{low}, +{high})"


def _lane_y(offset: str = "0") -> str:
    """A Vega expression: the pixel height of the event's lane (the middle of its band), plus
    ``offset``. Every lane is always drawn, in one order, so lanes never jump."""
    lanes = json.dumps(list(_ACTORS))
    return f"indexof({lanes}, datum.actor) * {TIMELINE_LANE} + {TIMELINE_LANE / 2} + {offset}"


#: Tick labels as exact as the ticks: "2019" on a year's first day, "Apr 2019" on a month's,
#: "5 Apr" on another day (a span of a month or two).
_TICK_LABEL = (
    "utcdate(datum.value) !== 1 ? utcFormat(datum.value, '%-d %b') : "
    "utcmonth(datum.value) === 0 ? utcFormat(datum.value, '%Y') : utcFormat(datum.value, '%b %Y')"
)


@functools.cache
def _timeline_layers() -> alt.LayerChart:
    """The timeline chart's layers, reading the named data sets; built once.

    ``shown`` drives the marks; each row looks up its event in ``events``, so a move sends
    ids, not events. The x domain is the ``range`` set's two dates exactly (an invisible
    rule across it; ``nice`` off), and every date is cut to it.
    """
    # Altair checks each part against the schema as it is made (debug mode): some 30 ms a
    # kernel for a structure that never changes; the tests check the whole template instead.
    with alt.utils.schemapi.debug_mode(False):
        x_scale = alt.Scale(type="utc", nice=False)
        axis = alt.Axis(title=None, labelOverlap=True, grid=False, labelExpr=_TICK_LABEL)
        # every lane always drawn, in one order, so lanes never jump; named by text marks
        lanes_y = alt.Y("y:Q", title=None, axis=None, scale=None)  # pixels: see _lane_y
        colours = alt.Scale(domain=list(CATEGORY_COLOURS), range=list(CATEGORY_COLOURS.values()))
        legend = alt.Legend(
            title=None,
            orient="bottom",
            direction="horizontal",
            columns=4,
            symbolType="circle",
            labelFontSize=15,
            columnPadding=18,
            symbolOpacity=1,
            symbolStrokeWidth=1.5,
        )
        span = (
            alt.Chart(alt.Data(name="range"))
            .mark_rule(opacity=0, aria=False)
            .encode(x=alt.X("start:T", scale=x_scale, axis=axis), x2=alt.X2("end:T"))
        )
        lanes = alt.Chart(alt.Data(name="lanes")).transform_calculate(y=_lane_y())
        lines = lanes.mark_rule(color="#e6e6e6", strokeWidth=1, aria=False).encode(y=lanes_y)
        names = lanes.mark_text(align="right", x=-12, fontSize=15, aria=False).encode(
            y=lanes_y,
            text=alt.Text("actor:N"),
            color=alt.ColorValue("#aaaaaa", condition={"test": "datum.chosen", "value": "#222222"}),
        )
        fields = [
            "actor",
            "category",
            "colour",
            "event",
            "when",
            "dated",
            "hollow",
            "start",
            "mid",
            "end",
        ]
        looked_up = (
            alt.Chart(alt.Data(name="shown"))
            .transform_lookup(
                lookup="id",
                from_=alt.LookupData(data=alt.Data(name="events"), key="id", fields=fields),
            )
            .transform_calculate(
                x_start=_clamped("start"),
                x_mid=_clamped("mid"),
                x_end=_clamped("end"),
                y=_lane_y("datum.dy"),
            )
        )
        x_mid = alt.X("x_mid:T", scale=x_scale, axis=axis)
        bars = (
            looked_up.transform_filter("datum.hollow")
            .mark_rule(strokeWidth=4, strokeOpacity=0.45, strokeCap="round", aria=False)
            .encode(
                x=alt.X("x_start:T", scale=x_scale, axis=axis),
                x2=alt.X2("x_end:T"),
                y=lanes_y,
                # its own colour field, not the dots' scale: Vega-Lite would merge the legends
                # and drop the dots' one
                stroke=alt.Stroke("colour:N", scale=None),
            )
        )
        # size: the area of the square around a symbol, so 196 draws a circle 14 px across
        dots = looked_up.mark_point(shape="circle", size=196, opacity=1).encode(
            x=x_mid,
            y=lanes_y,
            fill=alt.Fill(
                "category:N",
                scale=colours,
                legend=legend,
                condition={"test": "datum.hollow", "value": "white"},
            ),
            stroke=alt.StrokeValue(  # one legend with the fill's: the scale and legend are the same
                "white",
                condition={
                    "test": "datum.hollow",
                    "field": "category",
                    "type": "nominal",
                    "scale": colours,
                    "legend": legend,
                },
            ),
            strokeWidth=alt.StrokeWidthValue(1.5, condition={"test": "datum.hollow", "value": 3}),
            tooltip=[
                alt.Tooltip("when:N", title="When"),
                alt.Tooltip("actor:N", title="Who acted"),
                alt.Tooltip("category:N", title="Kind"),
                alt.Tooltip("event:N", title="Event"),
                alt.Tooltip("dated:N", title="Date known"),
            ],
        )
        chosen = (
            alt.Chart(alt.Data(name="selected"))
            .transform_lookup(
                lookup="id",
                from_=alt.LookupData(data=alt.Data(name="events"), key="id", fields=fields),
            )
            .transform_calculate(x_mid=_clamped("mid"), y=_lane_y("datum.dy"))
        )
        ring = chosen.mark_point(
            shape="circle",
            size=576,
            filled=False,
            stroke="#000000",
            strokeWidth=2.5,
            opacity=1,
            aria=False,
        ).encode(x=x_mid, y=lanes_y)
        labels = [
            chosen.transform_filter(f"datum.side == '{side}'")
            .mark_text(
                align=side,
                dx=14 if side == "left" else -14,
                dy=-14,
                fontSize=15,
                fontWeight="bold",
                color="#000000",
            )
            .encode(x=x_mid, y=lanes_y, text=alt.Text("event:N"))
            for side in ("left", "right")
        ]
        return alt.layer(span, lines, names, bars, dots, ring, *labels).properties(
            width=TIMELINE_WIDTH, height=TIMELINE_LANE * len(_ACTORS)
        )


@functools.cache
@kept_json  # kept on disk by its inputs: every kernel builds the same
def _timeline_template() -> dict[str, Any]:
    """The layers as a Vega-Lite dict, each dot's hover text written from its tooltip."""
    with alt.utils.schemapi.debug_mode(False):  # checked by the tests, as in _timeline_layers
        return spec_dict(with_tooltip_hover(_timeline_layers()))


def _timeline_example() -> dict[str, Any]:
    """The template filled with the first event, for the compiler (its Vega is cached on disk).

    One event is enough: the compiled structure does not depend on the rows (the tests check
    that the whole timeline compiles to the same), and a small example is quick to make.
    """
    first = load_table("timeline").iloc[:1]
    start = end = first["date"].iloc[0]
    return timeline_frame(first, timeline_event_rows(first), start=start, end=end).spec


@kept_json
def _timeline_compiled() -> dict[str, Any]:
    """The timeline chart compiled to Vega, kept on disk by its inputs: a kernel that finds it
    builds no template or example to compile."""
    return to_vega(_timeline_example())


#: The timeline chart's structure: its layers with named data sets, compiled to Vega once.
TIMELINE_CHART = CompiledChart(
    "timeline", _timeline_template, _timeline_example, compiled=_timeline_compiled
)
