"""Charts of the US–China trade war: tariffs both ways, the Phase One purchases, the timeline.

Each Altair chart goes through :func:`explainer.charts.sourced`. The timeline *strip* is the
exception: it is drawn as SVG here, in Python, because it is redrawn on every click of the
timeline explorer and Vega's renderer takes 50–150 ms a figure (most of it measuring axis
and legend text), while this strip takes about a millisecond. It carries the same parts as a
sourced chart: a title, a subtitle, a text description, native hover tooltips and the
project's colours and type.

Examples
--------
>>> from explainer.charts import spec_dict, trade
>>> spec = spec_dict(trade.tariff_chart())
>>> spec["title"]["text"]
'Average tariffs, US on China and China on the US'
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import altair as alt
import pandas as pd

from explainer.charts import BASIS_COLOURS, FONT, PALETTE, sourced
from explainer.data import load_table, resource

__all__ = [
    "CATEGORY_COLOURS",
    "SIDE_COLOURS",
    "TARIFF_MARKS",
    "TimelineStrip",
    "export_controls_markdown",
    "phase_one_promises_chart",
    "phase_one_shares_chart",
    "phase_one_summary",
    "phase_one_totals",
    "phase_one_totals_chart",
    "table_view",
    "tariff_chart",
    "tariff_coda",
    "tariff_levels",
    "tariff_marks",
    "tariff_summary",
    "tariff_table",
    "timeline_choices",
    "timeline_strip",
]

US_SIDE = "US tariff on Chinese goods"
CHINA_SIDE = "China's tariff on US goods"
SIDE_COLOURS = {US_SIDE: PALETTE[0], CHINA_SIDE: PALETTE[5]}
TARIFF_WINDOW = ("2017-01-01", "2021-06-30")  # Trump's first term and its aftermath

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


def _cite(ids: Sequence[str]) -> str:
    """Short citations for a table cell or a sentence: ``'PIIE, 2019; Reuters, 2019'``."""
    table = load_table("sources").set_index("id")
    cited = (
        f"{table.loc[i, 'publisher']}, "
        + ("n.d." if pd.isna(table.loc[i, "date"]) else f"{table.loc[i, 'date']:%Y}")
        for i in ids
    )
    return "; ".join(dict.fromkeys(cited))


# --- tariffs ----------------------------------------------------------------------------------
def tariff_levels(start: str = TARIFF_WINDOW[0], end: str = TARIFF_WINDOW[1]) -> pd.DataFrame:
    """The tariff series in long form: one row per reported level, side and date.

    Parameters
    ----------
    start, end : str
        ISO dates bounding the window (inclusive).

    Returns
    -------
    pandas.DataFrame
        Columns ``date``, ``side`` (:data:`US_SIDE` or :data:`CHINA_SIDE`), ``rate_pct``,
        ``coverage_pct``, ``label``, ``basis``, ``sources`` (short citations), ``source_ids``.
        Dates where a side has no figure are left out, never filled in.
    """
    table = load_table("tariffs")
    table = table[(table["date"] >= start) & (table["date"] <= end)]
    parts = []
    for side, rate, cover in (
        (US_SIDE, "us_on_china_pct", "us_coverage_pct"),
        (CHINA_SIDE, "china_on_us_pct", "china_coverage_pct"),
    ):
        part = table.dropna(subset=[rate]).assign(side=side, rate_pct=table[rate])
        parts.append(part.assign(coverage_pct=part[cover]))
    long = pd.concat(parts, ignore_index=True)
    long["sources"] = long["source_ids"].map(_cite)
    columns = ["date", "side", "rate_pct", "coverage_pct", "label", "basis", "sources"]
    return long[[*columns, "source_ids"]].sort_values(["side", "date"], ignore_index=True)


def tariff_marks(
    ids: Sequence[str] = TARIFF_MARKS, start: str = TARIFF_WINDOW[0], end: str = TARIFF_WINDOW[1]
) -> pd.DataFrame:
    """Timeline events to mark on the tariff chart, numbered by date (same date, same number).

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
    return marks[["number", "date", "actor", "event", "detail", "source_ids"]].reset_index(
        drop=True
    )


def tariff_table(start: str = TARIFF_WINDOW[0], end: str | None = None) -> pd.DataFrame:
    """The points the tariff series is built from, as a reader-facing table."""
    table = load_table("tariffs")
    table = table[(table["date"] >= start) & ((table["date"] <= end) if end else True)]
    return pd.DataFrame(
        {
            "From": table["date"].dt.strftime("%d %b %Y"),
            "US on China (%)": table["us_on_china_pct"],
            "China on US (%)": table["china_on_us_pct"],
            "US imports covered (%)": table["us_coverage_pct"],
            "China's imports covered (%)": table["china_coverage_pct"],
            "What changed": table["label"],
            "Basis": table["basis"],
            "Sources": table["source_ids"].map(_cite),
        }
    ).reset_index(drop=True)


def tariff_chart(start: str = TARIFF_WINDOW[0], end: str = TARIFF_WINDOW[1]) -> alt.LayerChart:
    """Step chart of the trade-weighted average tariffs, both ways, with the rounds marked.

    Each step starts at a date for which a source reports the level and holds until the next
    reported level. Dots are those reported levels (open dots: derived by us); dashed lines are
    the tariff rounds and the Phase One deal, numbered as in :func:`tariff_marks`.
    """
    levels = tariff_levels(start, end)
    marks = tariff_marks(start=start, end=end)
    x = alt.X(
        "date:T",
        title=None,
        scale=alt.Scale(domain=[start, end]),
        axis=alt.Axis(format="%Y", tickCount="year"),
    )
    colour = alt.Color(
        "side:N",
        title=None,
        scale=alt.Scale(domain=list(SIDE_COLOURS), range=list(SIDE_COLOURS.values())),
        legend=alt.Legend(orient="bottom", direction="horizontal"),
    )
    y = alt.Y("rate_pct:Q", title="Average tariff (%)", scale=alt.Scale(domain=[0, 25]))
    line = alt.Chart(levels).mark_line(interpolate="step-after").encode(x=x, y=y, color=colour)
    # Reported levels are filled dots; a derived level is an open dot (white inside).
    levels["fill"] = levels["side"].map(SIDE_COLOURS).where(levels["basis"] != "derived", "white")
    points = (
        alt.Chart(levels)
        .mark_point(size=110, strokeWidth=2.5, opacity=1)
        .encode(
            x=x,
            y=y,
            stroke=alt.Stroke(
                "side:N",
                legend=None,
                scale=alt.Scale(domain=list(SIDE_COLOURS), range=list(SIDE_COLOURS.values())),
            ),
            fill=alt.Fill("fill:N", scale=None),
            tooltip=[
                alt.Tooltip("date:T", title="From", format="%d %b %Y"),
                alt.Tooltip("side:N", title="Series"),
                alt.Tooltip("rate_pct:Q", title="Average tariff (%)", format=".1f"),
                alt.Tooltip("label:N", title="What changed"),
                alt.Tooltip("basis:N", title="Basis"),
                alt.Tooltip("sources:N", title="Source"),
            ],
        )
    )
    marks_frame = marks.drop_duplicates("number").drop(columns=["source_ids"])
    rules = (
        alt.Chart(marks_frame)
        .mark_rule(strokeDash=[4, 4], color="#888888", strokeWidth=1.2)
        .encode(x="date:T", tooltip=[alt.Tooltip("date:T", format="%d %b %Y"), "event:N"])
    )
    numbers = (
        alt.Chart(marks_frame)
        .mark_text(dy=-6, fontSize=14, fontWeight="bold", color="#444444")
        .encode(x="date:T", y=alt.value(0), text="number:Q")
    )
    us, china = (levels[levels["side"] == s] for s in (US_SIDE, CHINA_SIDE))
    description = (
        f"Two step lines. The average US tariff on Chinese goods goes from "
        f"{us['rate_pct'].iloc[0]:.1f}% in {us['date'].iloc[0]:%B %Y} to "
        f"{us['rate_pct'].max():.1f}% at its peak and {us['rate_pct'].iloc[-1]:.1f}% in "
        f"{us['date'].iloc[-1]:%B %Y}; China's average tariff on US goods goes from "
        f"{china['rate_pct'].iloc[0]:.1f}% in {china['date'].iloc[0]:%B %Y} to "
        f"{china['rate_pct'].iloc[-1]:.1f}% in {china['date'].iloc[-1]:%B %Y}. "
        f"{len(marks_frame)} dashed lines mark the tariff rounds and the Phase One deal."
    )
    return sourced(
        alt.layer(rules, line, points, numbers).properties(width=760, height=360),
        title="Average tariffs, US on China and China on the US",
        subtitle=[
            "Trade-weighted averages, %. Dots: levels PIIE reports (open dot: derived);",
            "each step holds until the next reported level. Numbered lines: events (table below).",
        ],
        description=description,
        sources=[levels, marks],
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
def table_view(frame: pd.DataFrame, numbers: str = "{:g}", dates: str = "%d %b %Y") -> Any:
    """A table for reading on a projector: no index, text left-aligned, dates spelled out.

    ``numbers`` formats every number (``"{:g}"`` keeps the digits a source gives, e.g.
    18.228); ``dates`` formats every date column.
    """
    formats: dict[str, Any] = {}
    for column in frame:
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            formats[column] = lambda d, f=dates: "" if pd.isna(d) else f"{d:{f}}"
        elif pd.api.types.is_numeric_dtype(frame[column]):
            formats[column] = lambda v, f=numbers: "" if pd.isna(v) else f.format(v)
        else:  # text: an empty cell shows as empty, not as "None"
            formats[column] = lambda v: "" if v is None or v is pd.NA else v
    return (
        frame.style.hide(axis="index")
        .format(formats)
        .set_properties(**{"text-align": "left"})
        .set_table_styles([{"selector": "th", "props": [("text-align", "left")]}])
        .set_table_attributes('class="tex2jax_ignore"')  # "$34bn ... $16bn" is not maths
    )


def _markdown(text: str) -> str:
    """Escape dollar signs, which Jupyter would otherwise typeset as maths between pairs."""
    return text.replace("$", r"\$")


def tariff_summary() -> str:
    """Two sentences on the tariff levels before List 1, at the peak and after Phase One."""
    levels = load_table("tariffs").set_index("label")
    before, peak, deal = (
        levels.loc[k]
        for k in ("Before List 1", "December 2019, before Phase One", "Phase One in force")
    )
    start = levels.loc["Trump takes office", "us_on_china_pct"]
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
        f"*A coda beyond this notebook.* On {first.date:%d %B %Y} the US average was still "
        f"{first.us_on_china_pct:.1f}%; after the escalation of {last.date:%B %Y}, PIIE put it "
        f"at {last.us_on_china_pct:.1f}%. That second round belongs to a different story, and "
        "the chart above stops before it."
    )


def phase_one_summary() -> str:
    """Two sentences: promised, bought, and the shortfall against the 2017 level."""
    value = load_table("phase_one").set_index("id")["value"]
    return _markdown(
        f"Over the two years China bought **${value['made-all-2020-21']:.1f}bn** of the covered "
        f"goods and services, against a promise of **${value['promised-all-2020-21']:.1f}bn**. "
        f"That is less than two years at the 2017 level (2 × ${value['level-all-2017']:.1f}bn): "
        f"purchases fell **${value['shortfall-2017-level-2020-21']:.1f}bn** short of where they "
        f"started, so none of the extra ${value['extra-all-2020-21']:.0f}bn was bought."
    )


# --- export controls --------------------------------------------------------------------------
def export_controls_markdown() -> str:
    """Each export-control step as a short Markdown card: cut off, the US reason, China's reply.

    Each position is paraphrased from that government's own statements and cited by publisher
    and year; an empty field says so instead of guessing.
    """
    table = load_table("export_controls").sort_values("date")
    cards = []
    for row in table.itertuples():
        lifted = f" Lifted on {row.ended:%d %B %Y}." if pd.notna(row.ended) else ""
        us = (
            f"{row.us_rationale} *({_cite(row.us_source_ids)})*"
            if row.us_rationale
            else "*No separate statement of reasons in our sources.*"
        )
        china = (
            f"{row.china_response} *({_cite(row.china_source_ids)})*"
            if row.china_response
            else "*No official Chinese statement in our sources.*"
        )
        cards.append(
            f"**{row.date:%d %B %Y}: {row.target}** ({row.instrument})  \n"
            f"*What it cut off:* {row.what_it_cut_off}{lifted} *({_cite(row.source_ids)})*  \n"
            f"*Washington's reason:* {us}  \n"
            f"*Beijing's response:* {china}"
        )
    return _markdown("\n\n".join(cards))


# --- the timeline strip -----------------------------------------------------------------------
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


@dataclass(frozen=True)
class TimelineStrip:
    """A drawn timeline: which events, over which dates, with which one selected.

    ``svg`` is the figure; ``description`` is its text alternative. The other fields say what
    it shows, so code (and tests) can read the figure without parsing it.
    """

    event_ids: tuple[str, ...]
    start: date
    end: date
    actors: tuple[str, ...]
    selected: str | None
    title: str
    subtitle: str
    description: str
    svg: str = field(repr=False)

    def to_html(self) -> str:
        """The figure with its description as a caption (like :func:`charts.figure_html`)."""
        return (
            '<figure class="lg-figure tex2jax_ignore" '
            'style="margin:0 0 1em 0;max-width:100%;overflow-x:auto">'
            f'{self.svg}<figcaption style="font-size:15px;color:#333;max-width:820px">'
            f"<strong>Chart description.</strong> {html.escape(self.description)}"
            "</figcaption></figure>"
        )


def _ticks(start: pd.Timestamp, end: pd.Timestamp) -> list[tuple[pd.Timestamp, str]]:
    years = end.year - start.year
    if years >= 2:
        step = 1 if years <= 12 else 2
        first = (
            start if start == pd.Timestamp(start.year, 1, 1) else pd.Timestamp(start.year + 1, 1, 1)
        )
        stamps = pd.date_range(first, end, freq=f"{step}YS")
        return [(t, f"{t:%Y}") for t in stamps]
    stamps = pd.date_range(start, end, freq="3MS" if years else "MS")
    return [(t, f"{t:%b %Y}") for t in stamps]


def timeline_strip(
    events: pd.DataFrame,
    *,
    start: date | pd.Timestamp,
    end: date | pd.Timestamp,
    actors: Sequence[str] = _ACTORS,
    selected: str | None = None,
    total: int | None = None,
) -> TimelineStrip:
    """Draw events as dots on one lane per actor, coloured by category, as inline SVG.

    Parameters
    ----------
    events : DataFrame
        Rows of ``data/timeline.csv`` to draw (already filtered).
    start, end : date
        The time axis.
    actors : sequence of str
        The lanes to show, in order (all four by default, so lanes do not jump about).
    selected : str, optional
        Id of the event to ring and label.
    total : int, optional
        How many events there are in all, for the title ("12 of 62 events").
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    width, left, right, top, lane = 900, 150, 24, 74, 54
    lanes = list(_ACTORS)
    height = top + lane * len(lanes) + 40 + 26 * 2
    span = max((end - start).days, 1)

    def x_of(when: pd.Timestamp) -> float:
        return left + (width - left - right) * (when - start).days / span

    esc = html.escape
    shown = len(events)
    title = (
        f"{shown} of {total if total is not None else shown} events, {start:%b %Y} to {end:%b %Y}"
    )
    subtitle = "Dots: events, coloured by kind; hover for the headline, select one for its sources."
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="{esc(FONT)}">',
        f"<title>{esc(title)}</title>",
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="12" y="26" font-size="20" font-weight="bold">{esc(title)}</text>',
        f'<text x="12" y="50" font-size="15" fill="#333333">{esc(subtitle)}</text>',
    ]
    for index, actor in enumerate(lanes):
        y = top + lane * index + lane / 2
        active = actor in actors
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y}" y2="{y}" stroke="#e6e6e6"/>'
            f'<text x="{left - 10}" y="{y + 5}" font-size="15" text-anchor="end" '
            f'fill="{"#222222" if active else "#aaaaaa"}">{esc(actor)}</text>'
        )
    axis_y = top + lane * len(lanes)
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{axis_y}" y2="{axis_y}" stroke="#888888"/>'
    )
    for when, label in _ticks(start, end):
        tx = x_of(when)
        parts.append(
            f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{axis_y}" y2="{axis_y + 5}" stroke="#888888"/>'
            f'<text x="{tx:.1f}" y="{axis_y + 21}" font-size="14" text-anchor="middle" '
            f'fill="#222222">{esc(label)}</text>'
        )
    last_x: dict[str, list[float]] = {actor: [] for actor in lanes}
    chosen = ""
    for row in events.sort_values(["date", "id"]).itertuples():
        cx = x_of(row.date)
        near = sum(1 for px in last_x[row.actor] if abs(px - cx) < 12)
        last_x[row.actor].append(cx)
        cy = top + lane * lanes.index(row.actor) + lane / 2 + (-1) ** near * 9 * ((near + 1) // 2)
        tip = f"{row.date:%d %b %Y} · {row.actor} · {row.category}: {row.event}"
        colour = CATEGORY_COLOURS[row.category]
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="7" fill="{colour}" stroke="white" '
            f'stroke-width="1.5" data-id="{esc(row.id)}"><title>{esc(tip)}</title></circle>'
        )
        if row.id == selected:
            anchor = "end" if cx > width * 0.6 else "start"
            dx = -14 if anchor == "end" else 14
            chosen = (
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="12" fill="none" stroke="#000000" '
                f'stroke-width="2.5"/><text x="{cx + dx:.1f}" y="{cy - 12:.1f}" font-size="15" '
                f'font-weight="bold" text-anchor="{anchor}">{esc(row.event)}</text>'
            )
    parts.append(chosen)
    legend_y = axis_y + 44
    for index, (category, colour) in enumerate(CATEGORY_COLOURS.items()):
        lx, ly = 12 + (index % 4) * 222, legend_y + (index // 4) * 26
        parts.append(
            f'<circle cx="{lx + 7}" cy="{ly - 5}" r="7" fill="{colour}"/>'
            f'<text x="{lx + 20}" y="{ly}" font-size="15" fill="#222222">{esc(category)}</text>'
        )
    parts.append("</svg>")
    counts = events["category"].value_counts()
    description = (
        f"A timeline from {start:%B %Y} to {end:%B %Y} with one lane per actor, showing "
        f"{shown} events"
        + (": " + ", ".join(f"{n} {c}" for c, n in counts.items()) if shown else "")
        + "."
    )
    return TimelineStrip(
        event_ids=tuple(events.sort_values(["date", "id"])["id"]),
        start=start.date(),
        end=end.date(),
        actors=tuple(actors),
        selected=selected,
        title=title,
        subtitle=subtitle,
        description=description,
        svg="".join(parts),
    )
