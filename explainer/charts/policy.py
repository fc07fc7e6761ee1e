"""Charts of the little-giant policy record: milestones, batches, re-reviews, the net stock,
the targets, where the firms are, what they do and who gets the money.

Each chart builder reads ``data/`` through :func:`explainer.data.load_table`, shapes a small
table and returns a chart made with :func:`explainer.charts.sourced`. The table-shaping
functions are public too, so a notebook (or a test) can show or check the numbers behind a
chart. Where sources disagree, the builders keep both figures and say which is which.

A chart builder returns a :class:`explainer.charts.Figure`: shown from the cache when the
same figure was drawn before (by any kernel), built otherwise. Its ``.chart`` is the Altair
chart; Altair's methods (``to_dict``, ``properties``, ...) work on the figure directly.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from explainer.charts import PALETTE, heading, kept_figure, kept_json, spec_dict, to_vega
from explainer.charts import sourced as _sourced
from explainer.charts.frames import ChartFrame, CompiledChart
from explainer.charts.hover import with_tooltip_hover
from explainer.data import load_table
from explainer.text import qualified, reading_table, when, when_column

__all__ = [
    "COUNTS",
    "COUNT_COLOURS",
    "RECORD_CHART",
    "SECTORS",
    "VERDICTS",
    "RecordView",
    "batch_counts",
    "batch_table",
    "batches_against_target",
    "benefits_table",
    "bse_table",
    "claims_table",
    "criteria_table",
    "dated",
    "designations_and_stock",
    "drawn_at",
    "key_firm_rounds",
    "key_firms_chart",
    "little_giant_target",
    "percent",
    "policy_milestones",
    "policy_timeline",
    "provinces_chart",
    "record_chart",
    "record_frame",
    "record_spec",
    "record_summary",
    "record_up_to",
    "record_vega",
    "record_years",
    "region_shares",
    "regions_chart",
    "review_attrition",
    "reviews_chart",
    "sector_shares",
    "sectors_chart",
    "stock_phrase",
    "stock_reports",
    "target_crossing",
]


def sourced(chart: Any, **words: Any) -> Any:
    """:func:`explainer.charts.sourced`, after each mark's hover text is written from its
    tooltip alone (:func:`~explainer.charts.hover.with_tooltip_hover`)."""
    return _sourced(with_tooltip_hover(chart), **words)


def little_giant_target() -> pd.Series:
    """The 14th Five-Year SME plan's target for national little giants, as a table row."""
    targets = load_table("policy_targets")
    rows = targets[targets["metric"].str.contains("little giant", case=False)]
    rows = rows[rows["target_value"] == rows["target_value"].max()]
    return rows.sort_values("issued").iloc[-1]


def batch_counts() -> pd.DataFrame:
    """One row per national batch: the count to chart and which count it is.

    The final designated count is used where it is known; otherwise the public-notice count,
    labelled as such (the two differ because some listed firms are not confirmed). ``date``
    is the notice date where it is recorded and otherwise 1 July of the batch's year, the
    middle of the only period known; ``when`` says which (``'5 Jun 2019'`` or ``'2020'``).
    """
    batches = load_table("designation_batches")
    has_final = batches["final_count"].notna()
    return pd.DataFrame(
        {
            "batch": batches["batch"],
            "year": batches["year"],
            "date": _batch_dates(batches),
            "when": _batch_when(batches),
            "firms": batches["final_count"].where(has_final, batches["public_notice_count"]),
            "count": has_final.map(
                {True: "Final designation", False: "Public-notice list (no final figure)"}
            ),
            "source_ids": batches["source_ids"],
        }
    )


def percent(share: float, digits: int = 0) -> str:
    """A share as a percentage, rounded half up (``0.625`` is ``'63%'``).

    Python's own ``format(0.625, ".0%")`` rounds half to even and gives ``'62%'``, while the
    charts' d3 formats give ``'63%'``: every chart writes its shares through this function,
    so that a description and a tooltip never disagree.
    """
    from decimal import ROUND_HALF_UP, Decimal

    value = Decimal(str(float(share) * 100)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
    return f"{value}%"


def hover(frame: pd.DataFrame, fields: dict[str, list[str]]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Hover text written once, in Python, for both ways a chart can show it.

    ``fields`` maps each title to its words, one per row of ``frame``, already formatted (an
    empty figure written out, e.g. "none found", never left empty). Returns the frame with one
    text column per field plus ``hover`` (all of them, "Title: words; ..."), and the encodings
    to add to a mark: ``tooltip`` (for a live Vega view) and ``description`` (the SVG
    renderer's hover text, which would otherwise list every encoded field, raw positions
    included).
    """
    frame = frame.copy()
    tooltip = []
    for n, (title, words) in enumerate(fields.items()):
        frame[f"_hover_{n}"] = [str(w) for w in words]
        tooltip.append(alt.Tooltip(f"_hover_{n}:N", title=title))
    frame["hover"] = [
        "; ".join(f"{t}: {w}" for t, w in zip(fields, row))
        for row in zip(*(frame[f"_hover_{n}"] for n in range(len(fields))))
    ]
    return frame, {"tooltip": tooltip, "description": alt.Description("hover:N")}


def _batch_dates(batches: pd.DataFrame) -> pd.Series:
    """The notice date, or mid-year (1 July) when only the batch's year is recorded."""
    return batches["notice_date"].fillna(pd.to_datetime(batches["year"].astype(str) + "-07-01"))


def _batch_when(batches: pd.DataFrame) -> list[str]:
    return [
        when(d, "day") if pd.notna(d) else str(y)
        for d, y in zip(batches["notice_date"], batches["year"])
    ]


@kept_figure
def designations_and_stock() -> alt.LayerChart:
    """Bars: firms named in each national batch. Dots: the net stock as reported. Rule: the
    2025 target.

    Stock reports are dots joined by a dotted step (each report holds until the next one),
    not a trend line; a report known only to the month or year is a hollow dot drawn in the
    middle of that period.
    """
    bars = batch_counts()
    stock = stock_reports()
    target = little_giant_target()
    x = alt.X("date:T", title="Year", axis=_year_axis())
    bar_layer = _batch_bars(bars, x)
    deadline = pd.Timestamp(target["deadline"]).year
    label = f"Target: {target['target_value']:,.0f} by {deadline}"
    layers = [
        bar_layer,
        *_stock_marks(stock, x="x:T", colour=PALETTE[1]),
        *_target_marks(target["target_value"], label),
    ]
    last = stock.iloc[-1]
    description = (
        f"Bars show the firms named in each national batch from {bars['year'].min()} to "
        f"{bars['year'].max()}; the orange dots show the net number holding the title as "
        f"reported, which passed the {target['target_value']:,.0f} target and stood at "
        f"{last['as_reported']} {last['placed']}."
    )
    return sourced(
        alt.layer(*layers),
        title="National little giants: batches, net stock and the 2025 target",
        subtitle=[
            "Orange dots: firms holding the title after three-yearly re-reviews, as reported",
            "(hollow: only the month or year is known, drawn mid-period)",
        ],
        description=description,
        sources=[bars, stock, pd.DataFrame([target])],
    )


def _batch_bars(bars: pd.DataFrame, x: alt.X) -> alt.Chart:
    """One bar per batch, dark for a final count and pale for a public-notice list."""
    counts = ["Final designation", "Public-notice list (no final figure)"]
    return (
        alt.Chart(bars)
        .mark_bar(size=22)
        .encode(
            x=x,
            y=alt.Y("firms:Q", title="Little giants (firms)"),
            color=alt.Color(
                "count:N",
                title="Batch size",
                scale=alt.Scale(domain=counts, range=[PALETTE[0], PALETTE[4]]),
                legend=alt.Legend(orient="top-left", direction="vertical"),
            ),
            tooltip=[
                alt.Tooltip("batch:O", title="Batch"),
                alt.Tooltip("when:N", title="Notice dated"),
                alt.Tooltip("firms:Q", title="Firms", format=","),
                alt.Tooltip("count:N", title="Count"),
            ],
        )
    )


# --- shared helpers ---------------------------------------------------------------------------

#: The three counts of the record a reader can choose between.
COUNTS = {
    "public_notice": "Public-notice lists",
    "final": "Final designations",
    "net_stock": "Net stock holding the title",
}
#: One colour per count, the same in every chart of the record.
COUNT_COLOURS = {"public_notice": PALETTE[4], "final": PALETTE[0], "net_stock": PALETTE[1]}
#: The verdicts of the claims table, what each means, and its pale, colour-blind-safe colour.
VERDICTS = {
    "supported": ("the record bears the claim out", "#CFE5F2"),
    "partly": ("right in part, wrong or simplified in part", "#FBE6B8"),
    "not supported": ("the record contradicts the claim", "#F5D0B8"),
    "unverified": ("a checkable fact or quotation we could not trace", "#E8E8E8"),
    "judgement": ("an opinion or interpretation, not a checkable fact", "#E6D5EC"),
}
VERDICT_COLOURS = {verdict: colour for verdict, (_, colour) in VERDICTS.items()}
_PLACED = {"day": "on", "month": "in", "year": "during"}


def _year_axis(**kwargs: Any) -> alt.Axis:
    return alt.Axis(format="%Y", tickCount="year", labelAngle=0, **kwargs)


def drawn_at(date: Any, precision: str) -> pd.Timestamp:
    """Where a date known to ``precision`` is drawn: on its day, mid-month or mid-year.

    A report dated only ``Jul 2023`` is drawn on 15 July, one dated only ``2020`` on 1 July,
    so that no point claims a day (such as 1 January) that the source never gave.

    >>> drawn_at(pd.Timestamp("2020-01-01"), "year").date()
    datetime.date(2020, 7, 1)
    """
    date = pd.Timestamp(date)
    when(date, precision)  # checks the precision
    if precision == "year":
        return pd.Timestamp(year=date.year, month=7, day=1)
    if precision == "month":
        return pd.Timestamp(year=date.year, month=date.month, day=15)
    return date


def dated(date: Any, precision: str) -> str:
    """A date in a sentence, as exactly as it is known: ``'on 5 Jun 2019'``, ``'in Jul 2023'``,
    ``'during 2020'``."""
    text = when(date, precision)  # refuses an unknown precision
    return f"{_PLACED[precision]} {text}"


def stock_phrase(row: pd.Series) -> str:
    """A net-stock report in words, with its qualifier: ``'more than 12,000'``, ``'8,997'``."""
    return qualified(int(row["stock"]), row["qualifier"])


def stock_reports() -> pd.DataFrame:
    """The net-stock reports of ``data/designation_stock.csv``, oldest first, to draw and quote.

    Adds ``x`` (where the report is drawn, see :func:`drawn_at`), ``when`` (its date as
    exactly as known), ``placed`` (``'during 2020'``, ``'on 8 Sep 2022'``), ``as_reported``
    (``'more than 12,000'``) and ``exact_date`` (True when the day is known).
    """
    stock = load_table("designation_stock").sort_values("date").reset_index(drop=True)
    dates, precisions = stock["date"], stock["date_precision"]
    return stock.assign(
        x=[drawn_at(d, p) for d, p in zip(dates, precisions)],
        when=when_column(dates, precisions),
        placed=[dated(d, p) for d, p in zip(dates, precisions)],
        as_reported=[qualified(s, q) for s, q in zip(stock["stock"], stock["qualifier"])],
        exact_date=precisions == "day",
    )


def _stock_tooltip(title: str = "Holding the title") -> list[alt.Tooltip]:
    return [
        alt.Tooltip("placed:N", title="Reported"),
        alt.Tooltip("as_reported:N", title=title),
    ]


def _stock_marks(
    stock: pd.DataFrame, *, x: str | alt.X, colour: str, y: str | alt.Y = "stock:Q"
) -> list[alt.Chart]:
    """Stock reports as dots, hollow when only the month or year is known, joined by a dotted
    step: the last report holds until the next. No trend is drawn between reports."""
    base = alt.Chart(stock[["x", "stock", "placed", "as_reported", "exact_date"]])
    steps = base.mark_line(
        color=colour, strokeWidth=2, strokeDash=[2, 3], interpolate="step-after"
    ).encode(x=x, y=y)
    dots = base.mark_point(shape="circle", size=110, strokeWidth=2, filled=True, opacity=1).encode(
        x=x,
        y=y,
        stroke=alt.value(colour),
        fill=alt.condition("datum.exact_date", alt.value(colour), alt.value("white")),
        tooltip=_stock_tooltip(),
    )
    return [steps, dots]


def _target_marks(value: float, label: str) -> list[alt.Chart]:
    """A dashed rule at the target, labelled at its left end."""
    frame = pd.DataFrame({"y": [value], "label": [label]})
    rule = alt.Chart(frame).mark_rule(strokeDash=[8, 6], color="#000000").encode(y="y:Q")
    text = (
        alt.Chart(frame)
        .mark_text(align="left", dy=-10, fontSize=15, x=8)
        .encode(y="y:Q", text="label:N")
    )
    return [rule, text]


# --- 1. the timeline --------------------------------------------------------------------------


def policy_milestones() -> pd.DataFrame:
    """Milestones of the little-giant policy line, in order, from ``data/timeline.csv``.

    Keeps the little-giant and stock-market events and the industrial-policy events that name
    the 专精特新 slogan; trade-war events belong to notebook 2. Adds ``who`` (local scheme,
    national policy or stock market), ``when`` (the date written to its known precision),
    ``x`` (where it is drawn, see :func:`drawn_at`), ``exact_date`` and ``label`` (when and
    what, for the chart's rows). Events are ordered by where they are drawn.
    """
    events = load_table("timeline")
    names_slogan = (events["event"] + " " + events["detail"]).str.contains("专精特新")
    keep = events["category"].isin(["little giants", "capital markets"]) | (
        (events["category"] == "industrial policy") & names_slogan
    )
    events = events[keep].copy()
    events["x"] = [drawn_at(d, p) for d, p in zip(events["date"], events["date_precision"])]
    events = events.sort_values(["x", "id"]).reset_index(drop=True)
    who = events["actor"].map({"China local": "Local schemes"}).fillna("National policy")
    who = who.where(events["category"] != "capital markets", "Stock market")
    written = when_column(events["date"], events["date_precision"])
    labels = [f"{w}  {e}" for w, e in zip(written, events["event"])]
    return events.assign(
        who=who, when=written, exact_date=events["date_precision"] == "day", label=labels
    )


@kept_figure
def policy_timeline() -> alt.LayerChart:
    """One row per milestone: a dot at its date, a thin line from the start; hover for detail.

    A milestone known only to the month or year is a hollow dot in the middle of that period.
    """
    events = policy_milestones()
    events["start"] = pd.Timestamp(year=events["date"].min().year, month=1, day=1)
    groups = ["Local schemes", "National policy", "Stock market"]
    colours = alt.Scale(domain=groups, range=[PALETTE[2], PALETTE[0], PALETTE[3]])
    base = alt.Chart(events).encode(
        y=alt.Y(
            "label:N",
            sort=events["label"].tolist(),
            title=None,
            axis=alt.Axis(labelLimit=470, labelFontSize=14, ticks=False, domain=False),
        ),
    )
    guide = base.mark_rule(color="#dddddd", strokeWidth=1).encode(
        x=alt.X("start:T", axis=_year_axis(title=None), scale=alt.Scale(nice="year")), x2="x:T"
    )
    dots = _milestone_dots(base, groups, colours)
    chart = alt.layer(guide, dots).properties(width=360, height=24 * len(events))
    first, last = events.iloc[0], events.iloc[-1]
    local = events[events["who"] == "Local schemes"]
    description = (
        f"{len(events)} milestones, from {first['when']} ({first['event']}) to {last['when']} "
        f"({last['event']}). {len(local)} are local schemes in Shanghai and Hunan; national "
        "policy begins with the 专精特新 slogan in 2011 and crowds together from 2018 on."
    )
    return sourced(
        chart,
        title="From local schemes to a national programme",
        subtitle=[
            "One row per milestone; hover over a dot for the detail",
            "Hollow: only the month or year is known (drawn mid-period)",
        ],
        description=description,
        sources=[events],
    )


def _milestone_dots(base: alt.Chart, groups: list[str], colours: alt.Scale) -> alt.Chart:
    """One dot per milestone, coloured and shaped by level, hollow unless the day is known."""
    return base.mark_point(size=170, filled=True, opacity=1, strokeWidth=2).encode(
        x="x:T",
        stroke=alt.Stroke("who:N", scale=colours, legend=None),
        fill=alt.condition(
            "datum.exact_date",
            alt.Fill(
                "who:N",
                title=None,
                scale=colours,
                legend=alt.Legend(orient="top", direction="horizontal"),
            ),
            alt.value("white"),
        ),
        shape=alt.Shape(
            "who:N", scale=alt.Scale(domain=groups, range=["square", "circle", "diamond"])
        ),
        tooltip=[
            alt.Tooltip("when:N", title="When"),
            alt.Tooltip("event:N", title="What"),
            alt.Tooltip("detail:N", title="Detail"),
            alt.Tooltip("who:N", title="Level"),
        ],
    )


# --- 2. batches, the net stock and the target -------------------------------------------------


def target_crossing() -> dict[str, Any]:
    """When the net stock passed the 10,000 target, bracketed by the two reports around it.

    Returns
    -------
    dict
        ``target`` (the value), ``deadline`` (a Timestamp), ``before`` and ``after`` (the last
        stock report below the target and the first at or above it, as rows of
        :func:`stock_reports`; ``after`` is None if the target has not been reached) and
        ``early_by_years`` (years between the first report at or above the target and the
        deadline, one decimal).
    """
    target = little_giant_target()
    stock = stock_reports()
    above = stock[stock["stock"] >= target["target_value"]]
    after = above.iloc[0] if len(above) else None
    before = stock[stock["date"] < after["date"]].iloc[-1] if after is not None else stock.iloc[-1]
    deadline = pd.Timestamp(target["deadline"])
    early = None if after is None else round((deadline - after["date"]).days / 365.25, 1)
    return {
        "target": int(target["target_value"]),
        "deadline": deadline,
        "before": before,
        "after": after,
        "early_by_years": early,
        "source_ids": tuple(target["source_ids"]),
    }


def batch_table() -> pd.DataFrame:
    """Long table of the batches: one row per batch and count (public notice or final).

    Columns: ``batch``, ``year``, ``date`` (the notice date, or 1 July of the year when it is
    not recorded), ``when`` (the notice date, or the year alone), ``count`` (a key of
    :data:`COUNTS`), ``label``, ``firms``, ``firms_alt`` (another source's figure, if any) and
    ``source_ids``. Batches without a final count have no ``final`` row.
    """
    batches = load_table("designation_batches")
    date, written = _batch_dates(batches), _batch_when(batches)
    frames = []
    for count, column in [("public_notice", "public_notice_count"), ("final", "final_count")]:
        alt_column = f"{column}_alt" if f"{column}_alt" in batches else None
        frames.append(
            pd.DataFrame(
                {
                    "batch": batches["batch"],
                    "year": batches["year"],
                    "date": date,
                    "when": written,
                    "count": count,
                    "label": COUNTS[count],
                    "firms": batches[column],
                    # typed even where no other source exists: concatenating an untyped
                    # all-NA column warns (pandas 2.x) and changes dtypes (pandas 3)
                    "firms_alt": batches[alt_column] if alt_column else _no_counts(batches),
                    "source_ids": batches["source_ids"],
                }
            )
        )
    table = pd.concat(frames, ignore_index=True)
    return table[table["firms"].notna()].sort_values(["batch", "count"]).reset_index(drop=True)


def _no_counts(frame: pd.DataFrame) -> pd.Series:
    """A column of missing counts, typed like a count column (nullable integers)."""
    return pd.Series(pd.NA, index=frame.index, dtype="Int64")


@kept_figure
def batches_against_target() -> alt.LayerChart:
    """Public-notice and final counts side by side per batch, the net stock, the target."""
    bars = batch_table()
    shift = bars["count"].map({"public_notice": -50, "final": 50})
    bars["x"] = bars["date"] + pd.to_timedelta(shift, unit="D")
    stock = stock_reports().assign(label=COUNTS["net_stock"])
    crossing = target_crossing()
    target = crossing["target"]
    layers = [
        _count_bars(bars),
        *_stock_marks(stock, x="x:T", colour=COUNT_COLOURS["net_stock"]),
        *_target_marks(target, f"Target: {target:,} little giants by {crossing['deadline'].year}"),
    ]
    if crossing["after"] is not None:
        layers += _passed_marks(crossing["after"], _batch_before(bars, crossing["after"]))
    return sourced(
        alt.layer(*layers),
        title=f"Batches, the net stock and the {target:,} target",
        subtitle=[
            "Bars: firms named in each batch. Orange dots: firms holding the title, as reported",
            "(hollow: only the month or year is known, drawn mid-period)",
        ],
        description=_against_target_description(bars, stock, crossing),
        sources=[bars, stock, list(crossing["source_ids"])],
    )


def _count_bars(bars: pd.DataFrame) -> alt.Chart:
    """Thin bars, public notice beside final, with the net stock's colour in the legend."""
    keys = ["public_notice", "final", "net_stock"]
    bars, hovered = hover(
        bars.drop(columns="source_ids"),
        {
            "Batch": bars["batch"],
            "Notice dated": bars["when"],
            "Count": bars["label"],
            "Firms": [f"{int(n):,}" for n in bars["firms"]],
            "Another source": [
                f"{int(n):,}" if pd.notna(n) else "no other figure found" for n in bars["firms_alt"]
            ],
        },
    )
    return (
        alt.Chart(bars)
        .mark_bar(size=11)
        .encode(
            x=alt.X("x:T", axis=_year_axis(title=None), scale=alt.Scale(nice="year")),
            y=alt.Y("firms:Q", title="Little giants (firms)"),
            color=alt.Color(
                "label:N",
                title=None,
                scale=alt.Scale(
                    domain=[COUNTS[k] for k in keys], range=[COUNT_COLOURS[k] for k in keys]
                ),
                legend=alt.Legend(orient="top-left", direction="vertical"),
            ),
            **hovered,
        )
    )


def _batch_before(bars: pd.DataFrame, report: pd.Series) -> int:
    """The last batch named in or before the year of a stock report."""
    return int(bars.loc[bars["year"] <= report["date"].year, "batch"].max())


def _passed_marks(after: pd.Series, batch: int) -> list[alt.Chart]:
    """A thin rule at the first report above the target, labelled with its month and the
    batch whose public list took the count past it."""
    label = f"Passed: {after['when']} (batch {batch} public list)"
    passed = pd.DataFrame({"x": [after["x"]], "label": [label]})
    rule = alt.Chart(passed).mark_rule(color="#000000", strokeWidth=1).encode(x="x:T")
    text = (
        alt.Chart(passed)
        # Below the top-left legend (three rows, ~70 px), above the target line: clear of both.
        .mark_text(align="right", dx=-6, y=96, fontSize=15, fontWeight="bold")
        .encode(x="x:T", text="label:N")
    )
    return [rule, text]


def _against_target_description(
    bars: pd.DataFrame, stock: pd.DataFrame, crossing: dict[str, Any]
) -> str:
    finals = bars[bars["count"] == "final"]
    largest = finals.loc[finals["firms"].idxmax()]
    last, after, target = stock.iloc[-1], crossing["after"], crossing["target"]
    passed = (
        f"passed the {target:,} target {after['placed']} (counting batch "
        f"{_batch_before(bars, after)}'s public list), "
        f"{crossing['early_by_years']} years before the deadline, "
        if after is not None
        else f"has not reached the {target:,} target, "
    )
    return (
        f"Pale bars are the public-notice lists and dark bars the final designations of each "
        f"national batch; the largest was batch {largest['batch']} ({largest['year']}), with "
        f"{largest['firms']:,} firms finally named. The orange dots, the firms holding the "
        f"title as reported, {passed}and stood at {last['as_reported']} {last['placed']}."
    )


# --- 3. re-reviews ----------------------------------------------------------------------------


def review_attrition() -> pd.DataFrame:
    """Batches with a published re-review: firms named, firms that kept the title, the share.

    ``kept_share`` is firms kept over the final count; ``kept_share_alt`` uses the other
    source's pass count where one exists. ``public_notice`` is the larger public-notice count,
    for batches where it differs from the final count.
    """
    batches = load_table("designation_batches")
    reviewed = batches[batches["review_pass_count"].notna()].copy()
    public = reviewed[["public_notice_count", "public_notice_count_alt"]].max(axis=1)
    return pd.DataFrame(
        {
            "batch": reviewed["batch"].astype(int),
            "year": reviewed["year"].astype(int),
            "review_year": reviewed["review_year"].astype(int),
            "label": [
                f"Batch {b} ({y}), reviewed {r}"
                for b, y, r in zip(reviewed["batch"], reviewed["year"], reviewed["review_year"])
            ],
            "public_notice": public.where(public > reviewed["final_count"]).astype("Int64"),
            "final": reviewed["final_count"].astype(int),
            "kept": reviewed["review_pass_count"].astype(int),
            "kept_alt": reviewed["review_pass_count_alt"],
            "kept_share": reviewed["review_pass_count"] / reviewed["final_count"],
            "kept_share_alt": reviewed["review_pass_count_alt"] / reviewed["final_count"],
            "source_ids": reviewed["source_ids"],
        }
    ).reset_index(drop=True)


#: The stages of a reviewed batch, in chart order.
_REVIEW_STAGES = ["On the public-notice list", "Finally named", "Kept the title at review"]


@kept_figure
def reviews_chart() -> alt.LayerChart:
    """For each reviewed batch: bars for firms listed, named and kept; ticks for other counts."""
    table = review_attrition()
    long = _review_stages(table)
    y = alt.Y("label:N", title=None, sort=table["label"].tolist(), axis=alt.Axis(labelLimit=300))
    offset = alt.YOffset("stage:N", sort=_REVIEW_STAGES)
    chart = alt.layer(*_review_layers(long, y, offset)).properties(height=alt.Step(20))
    shares = ", ".join(
        f"batch {b} {percent(s)}" for b, s in zip(table["batch"], table["kept_share"])
    )
    description = (
        f"Of the firms finally named in each batch, the share that kept the title at the "
        f"three-year review rose from batch to batch ({shares}). Black ticks mark a second "
        "source's pass count where the sources disagree."
    )
    return sourced(
        chart,
        title="Keeping the title: three-year re-reviews",
        subtitle="Black tick: the pass count in a second source",
        description=description,
        sources=[table],
    )


def _review_stages(table: pd.DataFrame) -> pd.DataFrame:
    """One row per reviewed batch and stage, with the labels written beside the bars."""
    public, named, kept = _REVIEW_STAGES
    long = pd.concat(
        [
            table.assign(stage=public, firms=table["public_notice"]),
            table.assign(stage=named, firms=table["final"]),
            table.assign(stage=kept, firms=table["kept"]),
        ],
        ignore_index=True,
    )
    long = long[long["firms"].notna()].astype({"firms": int})
    long["alt_text"] = [
        f"{percent(a)} in another source" if pd.notna(a) and percent(a) != percent(s) else ""
        for a, s in zip(long["kept_share_alt"], long["kept_share"])
    ]
    long["share_text"] = [
        (f"{percent(s)} kept" + (f" ({other})" if other else "")) if stage == kept else ""
        for s, other, stage in zip(long["kept_share"], long["alt_text"], long["stage"])
    ]
    long["kept_share_text"] = [percent(s) for s in long["kept_share"]]
    of_public = long["kept"] / long["public_notice"].astype("Float64")
    long["of_public_text"] = [
        percent(v) if pd.notna(v) else "no larger public list" for v in of_public
    ]
    long["other_text"] = [
        f"{int(a):,} kept ({t})" if pd.notna(a) else "none found"
        for a, t in zip(long["kept_alt"], long["alt_text"])
    ]
    long["other_text"] = long["other_text"].str.replace(" ()", "", regex=False)
    return long


def _review_layers(long: pd.DataFrame, y: alt.Y, offset: alt.YOffset) -> list[alt.Chart]:
    """Bars per stage, the kept share written beside them, a tick for a second pass count."""
    long, hovered = hover(
        long.drop(columns="source_ids"),
        {
            "Batch": long["label"],
            "Stage": long["stage"],
            "Firms": [f"{int(n):,}" for n in long["firms"]],
            "Kept, share of those named": long["kept_share_text"],
            "Kept, share of the public list": long["of_public_text"],
            "Another source": long["other_text"],
        },
    )
    base = alt.Chart(long).encode(y=y, yOffset=offset)
    bars = base.mark_bar(height=16).encode(
        x=alt.X("firms:Q", title="Firms"),
        color=alt.Color(
            "stage:N",
            title=None,
            sort=_REVIEW_STAGES,
            scale=alt.Scale(domain=_REVIEW_STAGES, range=[PALETTE[4], PALETTE[0], PALETTE[2]]),
            legend=alt.Legend(orient="bottom", direction="horizontal"),
        ),
        **hovered,
    )
    labels = base.mark_text(align="left", dx=6, fontSize=14).encode(
        x="firms:Q", text="share_text:N"
    )
    others = long[(long["stage"] == _REVIEW_STAGES[2]) & long["kept_alt"].notna()]
    others, tick_hover = hover(
        others,
        {
            "Batch": others["label"],
            "Kept, by another source": [f"{int(n):,}" for n in others["kept_alt"]],
        },
    )
    ticks = (
        alt.Chart(others)
        .mark_tick(color="#000000", thickness=3, size=18)
        .encode(
            y=y,
            yOffset=offset,
            x="kept_alt:Q",
            **tick_hover,
        )
    )
    return [bars, labels, ticks]


# --- 4. where they are ------------------------------------------------------------------------


def region_shares() -> pd.DataFrame:
    """``data/regions.csv`` with each region's share of its group and the bar segment's middle."""
    regions = load_table("regions")
    order = {"East": 0, "Central": 1, "West": 2, "Northeast": 3}
    regions = regions.sort_values(
        ["as_of", "region"], key=lambda c: c.map(order) if c.name == "region" else c
    )
    total = regions.groupby("group")["firms"].transform("sum")
    regions["share"] = regions["firms"] / total
    regions["end"] = regions.groupby("group")["share"].cumsum()
    regions["start"] = regions["end"] - regions["share"]
    regions["middle"] = (regions["start"] + regions["end"]) / 2
    regions["total"] = total.astype(int)
    return regions.reset_index(drop=True)


@kept_figure
def regions_chart() -> alt.LayerChart:
    """100% bars: each macro-region's share of one batch and of the whole stock."""
    regions = region_shares()
    names = ["East", "Central", "West", "Northeast"]
    groups = regions.drop_duplicates("group")["group_label"].tolist()
    base = alt.Chart(regions).encode(
        y=alt.Y("group_label:N", title=None, sort=groups, axis=alt.Axis(labelLimit=320))
    )
    bars = base.mark_bar(height=44).encode(
        x=alt.X("start:Q", title="Share of the group's little giants", axis=alt.Axis(format="%")),
        x2="end:Q",
        color=alt.Color(
            "region:N",
            title=None,
            scale=alt.Scale(domain=names, range=[PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[3]]),
            legend=alt.Legend(orient="top", direction="horizontal"),
        ),
        tooltip=[
            alt.Tooltip("group_label:N", title="Group"),
            alt.Tooltip("region:N", title="Region"),
            alt.Tooltip("firms:Q", title="Firms", format=","),
            alt.Tooltip("share:Q", title="Share", format=".0%"),
        ],
    )
    text = base.mark_text(color="white", fontSize=15, fontWeight="bold").encode(
        x="middle:Q", text=alt.Text("share:Q", format=".0%")
    )
    chart = alt.layer(bars, text).properties(height=140)
    east = regions[regions["region"] == "East"]
    described = [
        f"{s:.0%} of the firms in “{g}”" for g, s in zip(east["group_label"], east["share"])
    ]
    description = (
        "Share of little giants in each macro-region. The East holds "
        + " and ".join(described)
        + "; the third-batch count has no separate Northeast."
    )
    return sourced(
        chart,
        title="Where they are: most little giants are in the East",
        subtitle="The third-batch count uses three regions; the 2022 count uses four",
        description=description,
        sources=[regions],
    )


@kept_figure
def provinces_chart() -> alt.HConcatChart:
    """Left: new little giants per batch in the leading provinces. Right: valid titles, 2025.

    No complete table by province exists, so some cells have no figure; they are labelled
    "no figure found" (or "not reported" for one batch) rather than drawn as zero.
    """
    new, held, order = _province_frames()
    batches = sorted(new["batch_label"].unique())
    missing_new = _province_gaps(new, order, "batch_label", batches)
    missing_held = [p for p in order if p not in set(held["province"])]
    chart = alt.hconcat(
        _new_by_batch(new, missing_new, order, batches),
        _holding_title(held, missing_held, order),
    ).resolve_scale(y="shared")
    top = held.sort_values("firms", ascending=False).iloc[0]
    gaps = ", ".join(sorted({*missing_new["province"], *missing_held}))
    description = (
        f"Left: new little giants in the provinces that lead the last three batches. Right: firms "
        f"with a valid title in March 2025, led by {top['province']} with {top['firms']:,}. No "
        "complete official table by province was found; these are the figures sources give, "
        f"and the gaps ({gaps}) are marked as such, not as zero."
    )
    return sourced(
        chart,
        title="Where they are: a few coastal provinces lead",
        subtitle="Grey text: no figure found in our sources (not a zero)",
        description=description,
        sources=[new, held],
    )


def _province_frames() -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """New firms per batch, valid titles on one day, and the provinces in chart order."""
    provinces = load_table("provinces")
    provinces["when"] = when_column(provinces["as_of"], provinces["date_precision"])
    new = provinces[provinces["measure"] == "new in batch"].copy()
    new["batch_label"] = "Batch " + new["batch"].astype(str)
    held = provinces[
        (provinces["measure"] == "holding the title")
        & (provinces["source_ids"].map(lambda ids: "ofweek-2025-lg-provinces" in ids))
    ]
    order = held.sort_values("firms", ascending=False)["province"].tolist()
    order += [p for p in new["province"].unique() if p not in order]
    return new, held, order


def _province_gaps(
    new: pd.DataFrame, order: list[str], column: str, batches: list[str]
) -> pd.DataFrame:
    """Province-batch pairs with no figure: one row per missing batch, or a single row with
    no batch when a province has no figure at all."""
    rows = []
    for province in order:
        have = set(new.loc[new["province"] == province, column])
        if not have:
            rows.append({"province": province, column: None, "text": "no figure found"})
        else:
            rows += [
                {"province": province, column: b, "text": f"{b}: not reported"}
                for b in batches
                if b not in have
            ]
    return pd.DataFrame(rows, columns=["province", column, "text"])


def _gap_text(frame: pd.DataFrame, y: alt.Y, **offset: Any) -> alt.Chart:
    return (
        alt.Chart(frame)
        .mark_text(align="left", dx=4, fontSize=13, color="#666666", fontStyle="italic")
        .encode(y=y, x=alt.datum(0), text="text:N", **offset)
    )


def _new_by_batch(
    new: pd.DataFrame, gaps: pd.DataFrame, order: list[str], batches: list[str]
) -> alt.LayerChart:
    y = alt.Y("province:N", title=None, sort=order)
    offset = alt.YOffset("batch_label:N", sort=batches)
    bars = (
        alt.Chart(new.drop(columns=["source_ids", "note"]))
        .mark_bar(height=12)
        .encode(
            y=y,
            yOffset=offset,
            x=alt.X("firms:Q", title="New little giants in the batch"),
            color=alt.Color(
                "batch_label:N",
                title=None,
                sort=batches,
                scale=alt.Scale(range=[PALETTE[4], PALETTE[0], "#003F63"]),
                legend=alt.Legend(orient="top", direction="horizontal"),
            ),
            tooltip=[
                alt.Tooltip("province:N", title="Province"),
                alt.Tooltip("batch_label:N", title="Batch"),
                alt.Tooltip("when:N", title="Dated"),
                alt.Tooltip("firms:Q", title="New firms", format=","),
            ],
        )
    )
    some = gaps[gaps["batch_label"].notna()]
    none = gaps[gaps["batch_label"].isna()].drop(columns="batch_label")
    layers = [bars, _gap_text(some, y, yOffset=offset), _gap_text(none, y)]
    return alt.layer(*layers).properties(
        width=300, height=alt.Step(16), title="New in batches 5 to 7"
    )


def _holding_title(held: pd.DataFrame, missing: list[str], order: list[str]) -> alt.LayerChart:
    y = alt.Y("province:N", title=None, sort=order, axis=alt.Axis(labels=False, ticks=False))
    bars = (
        alt.Chart(held.drop(columns=["source_ids", "note"]))
        .mark_bar(height=24, color=PALETTE[1])
        .encode(
            y=y,
            x=alt.X("firms:Q", title="Firms with a valid title"),
            tooltip=[
                alt.Tooltip("province:N", title="Province"),
                alt.Tooltip("firms:Q", title="Holding the title", format=","),
                alt.Tooltip("when:N", title="On"),
            ],
        )
    )
    gaps = pd.DataFrame({"province": missing, "text": "no figure found"})
    day = when(held["as_of"].max(), "day")
    return alt.layer(bars, _gap_text(gaps, y)).properties(
        width=240, title=f"Holding the title, {day}"
    )


# --- 5. sectors -------------------------------------------------------------------------------


#: Sector categories in chart order (the enum of ``data/sectors.csv``).
SECTORS = [
    "Manufacturing",
    "Research and technical services",
    "IT and software",
    "Other or not stated",
]


def sector_shares() -> pd.DataFrame:
    """``data/sectors.csv`` with bar-segment positions, in a fixed sector order."""
    sectors = load_table("sectors")
    views = {view: i for i, view in enumerate(sectors["view"].unique())}
    order = {name: i for i, name in enumerate(SECTORS)}
    sectors = sectors.assign(
        _view=sectors["view"].map(views), _sector=sectors["sector"].map(order)
    ).sort_values(["_view", "_sector"])
    sectors = sectors.drop(columns=["_view", "_sector"])
    sectors["end"] = sectors.groupby("view")["share_pct"].cumsum() / 100
    sectors["start"] = sectors["end"] - sectors["share_pct"] / 100
    sectors["middle"] = (sectors["start"] + sectors["end"]) / 2
    sectors["shown"] = [
        ("~" if q == "about" else "") + f"{s:.0f}%" if s >= 5 else ""
        for s, q in zip(sectors["share_pct"], sectors["share_qualifier"])
    ]
    return sectors.reset_index(drop=True)


@kept_figure
def sectors_chart() -> alt.LayerChart:
    """One 100% bar per source: the sector split it reports, with derived segments paler."""
    sectors = sector_shares()
    views = sectors.drop_duplicates("view")["view_label"].tolist()
    sectors, hovered = hover(
        sectors,
        {
            "Count": sectors["view_label"],
            "Sector": sectors["sector"],
            "Share": [
                ("about " if q == "about" else "") + f"{v:g}%"
                for v, q in zip(sectors["share_pct"], sectors["share_qualifier"])
            ],
            "Firms counted": [
                f"{int(n):,}" if pd.notna(n) else "not given" for n in sectors["firms_counted"]
            ],
            "Basis": sectors["basis"],
        },
    )
    # Who counted on one line, what they counted on the next: the labels take ~300 px, not
    # 420, so the chart fits an 848-px JupyterLab column at full size (text >= 14 px).
    label_axis = alt.Axis(labelLimit=320, labelExpr="split(datum.label, ': ')", labelLineHeight=18)
    base = alt.Chart(sectors).encode(
        y=alt.Y("view_label:N", title=None, sort=views, axis=label_axis)
    )
    bars = base.mark_bar(height=36, stroke="white", strokeWidth=1).encode(
        x=alt.X("start:Q", title="Share of the firms counted", axis=alt.Axis(format="%")),
        x2="end:Q",
        color=alt.Color(
            "sector:N",
            title=None,
            scale=alt.Scale(domain=SECTORS, range=[PALETTE[0], PALETTE[2], PALETTE[3], "#BBBBBB"]),
            legend=alt.Legend(orient="top", direction="horizontal", columns=2),
        ),
        **hovered,
    )
    text = base.mark_text(fontSize=14, fontWeight="bold").encode(
        x="middle:Q",
        text="shown:N",
        color=alt.condition(
            alt.datum.sector == SECTORS[-1], alt.value("#333333"), alt.value("white")
        ),
    )
    chart = alt.layer(bars, text).properties(width=440, height=alt.Step(52))
    manufacturing = sectors[sectors["sector"] == "Manufacturing"]["share_pct"]
    description = (
        f"Four counts of little giants by sector. Manufacturing is the largest group in every one, "
        f"but its share ranges from {manufacturing.min():.0f}% to {manufacturing.max():.0f}% "
        "because the counts cover different firms and draw the lines between sectors "
        "differently. Only one count separates IT and software, and none gives semiconductors."
    )
    return sourced(
        chart,
        title="What they do: mostly manufacturing, by every count",
        subtitle="Grey: the rest, which the source does not break down. ~: rounded by the source",
        description=description,
        sources=[sectors],
    )


# --- 6. funded key firms ----------------------------------------------------------------------


def key_firm_rounds() -> pd.DataFrame:
    """The key-firm lists with a label per round and the running total."""
    rounds = load_table("key_firm_rounds").sort_values("round").reset_index(drop=True)
    rounds["axis_label"] = [
        f"Round {r}|{when(d, 'month')}" for r, d in zip(rounds["round"], rounds["list_date"])
    ]
    rounds["label"] = [
        f"Round {r} ({when(d, 'month')})" for r, d in zip(rounds["round"], rounds["list_date"])
    ]
    rounds["cumulative"] = rounds["funded_firms"].cumsum().astype(int)
    return rounds


@kept_figure
def key_firms_chart() -> alt.LayerChart:
    """Bars: key little giants on each funding list. Line: the running total. Rule: the aim."""
    rounds = key_firm_rounds()
    fund = load_table("central_fund").iloc[0]
    x = alt.X(
        "axis_label:N",
        title=None,
        sort=rounds["axis_label"].tolist(),
        axis=alt.Axis(labelAngle=0, labelExpr="split(datum.label, '|')", labelLineHeight=18),
    )
    layers = [*_key_firm_layers(rounds, x), *_key_firm_aim(fund)]
    chart = alt.layer(*layers).properties(width=600)
    first = rounds[rounds["programme"] == rounds["programme"].iloc[0]]
    description = (
        f"Key little giants named for central funding in {len(rounds)} lists, "
        f"{rounds['funded_firms'].sum():,} in all (dotted line: running total). The first "
        f"{len(first)} lists alone hold {first['funded_firms'].sum():,} firms, against the "
        f"2021 notice's 'more than {fund['target_key_firms']:,}'; a new round began in 2024."
    )
    return sourced(
        chart,
        title="Funded 'key' little giants, list by list",
        subtitle="Dotted line: running total. Dashed line: the 2021 fund notice's aim",
        description=description,
        sources=[rounds, pd.DataFrame([fund])],
    )


def _key_firm_layers(rounds: pd.DataFrame, x: alt.X) -> list[alt.Chart]:
    """Bars coloured by programme, their counts on top, and the running total."""
    programmes = rounds["programme"].unique().tolist()
    bars = (
        alt.Chart(rounds)
        .mark_bar(size=46)
        .encode(
            x=x,
            y=alt.Y("funded_firms:Q", title="Key little giants (firms)"),
            color=alt.Color(
                "programme:N",
                title=None,
                scale=alt.Scale(domain=programmes, range=[PALETTE[0], PALETTE[5]]),
                legend=alt.Legend(orient="top", direction="horizontal"),
            ),
            tooltip=[
                alt.Tooltip("label:N", title="List"),
                alt.Tooltip("programme:N", title="Programme"),
                alt.Tooltip("funded_firms:Q", title="Key firms", format=","),
                alt.Tooltip("cumulative:Q", title="Running total", format=","),
            ],
        )
    )
    labels = (
        alt.Chart(rounds)
        .mark_text(dy=-10, fontSize=14)
        .encode(x=x, y="funded_firms:Q", text=alt.Text("funded_firms:Q", format=","))
    )
    total = (
        alt.Chart(rounds.assign(series="Running total"))
        .mark_line(color="#000000", strokeDash=[2, 3], point=alt.OverlayMarkDef(color="#000000"))
        .encode(
            x=x,
            y="cumulative:Q",
            tooltip=[alt.Tooltip("cumulative:Q", title="Running total", format=",")],
        )
    )
    return [bars, labels, total]


def _key_firm_aim(fund: pd.Series) -> list[alt.Chart]:
    """A dashed rule at the 2021 notice's number of key firms, labelled."""
    aim = pd.DataFrame(
        {
            "y": [fund["target_key_firms"]],
            "label": [f"2021 notice: more than {fund['target_key_firms']:,} key firms"],
        }
    )
    rule = alt.Chart(aim).mark_rule(strokeDash=[8, 6], color="#555555").encode(y="y:Q")
    note = (
        alt.Chart(aim)
        .mark_text(align="left", dy=-8, fontSize=14, x=4)
        .encode(y="y:Q", text="label:N")
    )
    return [rule, note]


# --- tables for display -----------------------------------------------------------------------


def _threshold(row: pd.Series) -> str:
    """``'100 to 400 million yuan'``, ``'min. 10% a year'``, ``'top 3 in province'``."""
    low, high, unit = row["minimum"], row["maximum"], row["unit"] or ""
    glue = "" if unit.startswith("%") else " "
    if unit.startswith("rank") and pd.notna(high):
        return f"top {high:g} {unit.removeprefix('rank').strip()}"
    if pd.notna(low) and pd.notna(high):
        return f"{low:g} to {high:g}{glue}{unit}"
    if pd.notna(low):
        return f"min. {low:g}{glue}{unit}"
    if pd.notna(high):
        return f"max. {high:g}{glue}{unit}"
    return "no number"


def criteria_table(scheme: str = "national-2018") -> Any:
    """The eligibility criteria of one scheme as a readable table (a reading table).

    Raises
    ------
    ValueError
        If ``scheme`` is not in ``data/eligibility_criteria.csv``.
    """
    criteria = load_table("eligibility_criteria")
    known = sorted(criteria["scheme"].unique())
    if scheme not in known:
        raise ValueError(f"scheme must be one of {', '.join(known)} (got {scheme!r})")
    rows = criteria[criteria["scheme"] == scheme].sort_values("order")
    shown = pd.DataFrame(
        {
            "Criterion": rows["label"],
            "What the firm must show": rows["requirement"],
            "Threshold": rows.apply(_threshold, axis=1),
            "Source": rows["source_ids"].map(", ".join),
            "Note": rows["note"],
        }
    )
    return reading_table(shown)


def claims_table() -> Any:
    """The story's claims beside the record, with coloured verdicts (a reading table).

    The caption says what each verdict means (see :data:`VERDICTS`); a *judgement* is an
    opinion the record can inform but not settle, so it is not counted as unverified.
    """
    claims = load_table("article_claims").sort_values("order")
    shown = pd.DataFrame(
        {
            "#": claims["order"],
            "The story said": claims["claim"],
            "The record shows": claims["record"],
            "Verdict": claims["verdict"],
            "Sources": claims["source_ids"].map(", ".join),
        }
    )
    used = [v for v in VERDICTS if v in set(claims["verdict"])]
    caption = "What the verdicts mean. " + "; ".join(f"<b>{v}</b>: {VERDICTS[v][0]}" for v in used)
    return (
        reading_table(shown)
        .with_cell_style(
            "Verdict", lambda v: f"background-color: {VERDICT_COLOURS[v]}; font-weight: bold"
        )
        .with_caption(caption)
    )


def bse_table() -> Any:
    """Beijing Stock Exchange listings and how many are little giants (a reading table)."""
    bse = load_table("bse_listings")
    little = [
        qualified(n) if pd.notna(n) else (f"{qualified(p, q)}%" if pd.notna(p) else "not given")
        for n, p, q in zip(
            bse["little_giants"], bse["little_giant_share_pct"], bse["share_qualifier"]
        )
    ]
    shown = pd.DataFrame(
        {
            "Date": when_column(bse["date"], bse["date_precision"]),
            "Listed firms": [
                qualified(n, q) for n, q in zip(bse["listed_firms"], bse["listed_qualifier"])
            ],
            "Little giants": little,
            "Source": bse["source_ids"].map(", ".join),
        }
    )
    return reading_table(shown)


def benefits_table() -> Any:
    """What a designation brings, who gets it, and a figure where a source gives one."""
    benefits = load_table("designation_benefits").sort_values("order")
    figure = [
        "no figure published" if pd.isna(f) else f"{f:g} {u}"
        for f, u in zip(benefits["figure"], benefits["unit"])
    ]
    shown = pd.DataFrame(
        {
            "Benefit": benefits["benefit"],
            "What it means": benefits["what_it_means"],
            "Who gets it": benefits["applies_to"],
            "Figure": figure,
            "Sources": benefits["source_ids"].map(", ".join),
        }
    )
    return reading_table(shown)


# --- the record up to a year (drives the interactive panel) -----------------------------------


@dataclass(frozen=True, eq=False)
class RecordView:
    """The record as it stood at the end of a year, in one of the three counts.

    Attributes
    ----------
    count : str
        A key of :data:`COUNTS`.
    year : int
        The last year shown.
    batches : DataFrame
        Batches named up to ``year`` that have this count (empty for ``net_stock``), with
        ``cumulative``, the running total.
    stock : DataFrame
        Net-stock reports up to the end of ``year``.
    missing : list of int
        Batches up to ``year`` that lack this count (e.g. no final figure published).
    added_up : int or None
        Sum of the count over the batches shown (None for ``net_stock``).
    latest : Series or None
        The last net-stock report up to ``year``.
    target : int
        The 2025 target for national little giants.
    passed : Timestamp or None
        The first report at or above the target, if it falls in or before ``year``.
    """

    count: str
    year: int
    batches: pd.DataFrame
    stock: pd.DataFrame
    missing: list[int]
    added_up: int | None
    latest: pd.Series | None
    target: int
    passed: pd.Timestamp | None


def record_years() -> tuple[int, int]:
    """First and last year of the batch record: the range a reader can step through."""
    years = _record_tables()[0]["year"]
    return int(years.min()), int(years.max())


@functools.cache
def _record_tables() -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """The batch table, the stock reports and the target crossing, read once: the explorer
    steps through the same record many times, and ``data/`` does not change under it."""
    return batch_table(), stock_reports(), target_crossing()


def record_up_to(count: str = "final", year: int | None = None) -> RecordView:
    """The record to the end of ``year`` in one count: public notice, final or net stock.

    Parameters
    ----------
    count : str
        ``"public_notice"``, ``"final"`` or ``"net_stock"`` (see :data:`COUNTS`).
    year : int, optional
        Last year to include; defaults to the last batch year.

    Raises
    ------
    ValueError
        If ``count`` is unknown or ``year`` is outside the years of the record.

    Examples
    --------
    >>> view = record_up_to("final", 2021)
    >>> view.added_up, int(view.latest["stock"])
    (4762, 4762)
    """
    if count not in COUNTS:
        raise ValueError(f"count must be one of {', '.join(COUNTS)} (got {count!r})")
    first, last = record_years()
    year = last if year is None else year
    if (
        isinstance(year, bool)
        or not isinstance(year, int | np.integer)
        or not first <= year <= last
    ):
        raise ValueError(f"year must be a whole year between {first} and {last} (got {year!r})")
    year = int(year)
    table, stock, crossing = _record_tables()
    named = table[table["year"] <= year]
    end = pd.Timestamp(year=year, month=12, day=31)
    stock = stock[stock["date"] <= end].reset_index(drop=True)
    if count == "net_stock":
        batches, missing, added_up = named.iloc[0:0].assign(cumulative=0), [], None
    else:
        batches = named[named["count"] == count].sort_values("batch").reset_index(drop=True)
        batches["cumulative"] = batches["firms"].cumsum()
        missing = sorted(set(named["batch"]) - set(batches["batch"]))
        added_up = int(batches["firms"].sum())
    after = crossing["after"]
    passed = after["date"] if after is not None and after["date"] <= end else None
    latest = stock.iloc[-1] if len(stock) else None
    return RecordView(
        count, year, batches, stock, missing, added_up, latest, crossing["target"], passed
    )


def record_summary(view: RecordView) -> str:
    """Two or three plain sentences describing a :class:`RecordView`."""
    parts = []
    if view.count != "net_stock":
        named = len(view.batches) + len(view.missing)
        parts.append(
            f"By the end of {view.year}, {named} national batch{'es' if named != 1 else ''} "
            f"had been named; {'its' if named == 1 else 'their'} {COUNTS[view.count].lower()} "
            f"add up to {view.added_up:,} firms."
        )
        if view.missing:
            listed = " and ".join(str(b) for b in view.missing)
            plural = "es" if len(view.missing) > 1 else ""
            parts.append(f"Batch{plural} {listed}: no {view.count.replace('_', '-')} count found.")
    if view.latest is not None:
        parts.append(
            f"The latest report by then, {view.latest['placed']}, counted "
            f"{view.latest['as_reported']} firms holding the title."
        )
    if view.passed is not None:
        passed = view.stock[view.stock["date"] == view.passed].iloc[0]
        parts.append(f"The {view.target:,} target was passed {passed['placed']}.")
    else:
        parts.append(f"The {view.target:,} target had not yet been reached.")
    return " ".join(parts)


# The record chart is drawn once per step of the explorer, so it is built like the explorer
# charts of notebook 3 (see explainer/charts/explorer.py): the layers read three *named* data
# sets and are built once; an update fills in the data and the words. ``record_chart`` gives
# the Altair chart (for notebooks and tests), ``record_spec`` the same Vega-Lite spec as a
# dict in a millisecond, and ``record_vega`` that spec's Vega, compiled once and refilled, so
# that a redraw skips both Altair's serialiser and the Vega-Lite compiler.

#: Colour of the net stock when it is only drawn for comparison.
_REFERENCE_GREY = "#999999"


def record_chart(view: RecordView) -> alt.LayerChart:
    """The chart of a :class:`RecordView`, on fixed axes so that stepping years never rescales.

    Bars: the batches in the chosen count, with a dashed step adding them up. Dots: the net
    stock as reported (grey when it is there to compare), hollow where only the month or year
    is known, joined by a dotted step. A dashed rule: the 2025 target.
    """
    # the record explorer keeps its compiled template (LIVE owns it): plain sourced here
    return _sourced(_record_layers().properties(datasets=_record_data(view)), **_record_words(view))


def record_spec(view: RecordView) -> dict[str, Any]:
    """The Vega-Lite spec of :func:`record_chart`, as a dict, built fast for the explorer."""
    heading = _sourced(alt.Chart(), **_record_words(view))
    return {
        **_record_template(),
        "datasets": _record_data(view),
        "title": heading.title,
        "description": heading.description,
        "usermeta": heading.usermeta,
    }


def record_frame(view: RecordView) -> ChartFrame:
    """The data and words of :func:`record_chart`, for the record explorer's live view.

    The chart's structure is :data:`RECORD_CHART`, compiled once.
    """
    return ChartFrame(RECORD_CHART, _record_data(view), heading(**_record_words(view)))


def record_vega(spec: dict[str, Any]) -> dict[str, Any]:
    """The Vega spec of a :func:`record_spec` spec, from a Vega spec compiled once.

    Pass it to :func:`explainer.charts.figure_html` as ``vega=``; it draws the same picture
    as compiling ``spec`` again (the tests check this), without running the Vega-Lite
    compiler.
    """
    vega = _record_vega_template()
    data = [
        {**entry, "values": spec["datasets"][entry["name"]]}
        if entry["name"] in spec["datasets"]
        else entry
        for entry in vega["data"]
    ]
    title = {**vega["title"], "text": spec["title"]["text"], "subtitle": spec["title"]["subtitle"]}
    return {
        **vega,
        "data": data,
        "title": title,
        "description": spec["description"],
        "usermeta": spec["usermeta"],
    }


def _record_data(view: RecordView) -> dict[str, list[dict[str, Any]]]:
    """The chart's three data sets, with only the columns it draws."""
    colour = COUNT_COLOURS[view.count]
    stock_colour = colour if view.count == "net_stock" else _REFERENCE_GREY
    b, s = view.batches, view.stock
    batches = [
        {"x": d.isoformat(), "firms": int(f), "cumulative": int(c), "batch": int(n), "when": w}
        | {"colour": colour}
        for d, f, c, n, w in zip(b["date"], b["firms"], b["cumulative"], b["batch"], b["when"])
    ]
    stock = [
        {"x": x.isoformat(), "firms": int(n), "placed": p, "as_reported": a, "exact_date": bool(e)}
        | {"colour": stock_colour}
        for x, n, p, a, e in zip(s["x"], s["stock"], s["placed"], s["as_reported"], s["exact_date"])
    ]
    deadline = pd.Timestamp(little_giant_target()["deadline"]).year
    target = [{"y": view.target, "label": f"Target: {view.target:,} by {deadline}"}]
    return {"batches": batches, "stock": stock, "target": target}


def _record_words(view: RecordView) -> dict[str, Any]:
    """Title, subtitle, description and sources of the record chart, for :func:`sourced`."""
    table, stock, _ = _record_tables()
    if view.count == "net_stock":
        subtitle = "Dots: firms holding the title as reported (hollow: only month or year known)"
    else:
        subtitle = (
            "Bars: each batch; dashed: added up. Grey dots: net stock (hollow: only month or "
            "year known)"
        )
    return dict(
        title=f"{COUNTS[view.count]}, up to {view.year}",
        subtitle=subtitle,
        description=record_summary(view),
        sources=[
            view.batches if len(view.batches) else table,
            view.stock if len(view.stock) else stock,
        ],
    )


@functools.cache
def _record_layers() -> alt.LayerChart:
    """The record chart's layers, reading the named data sets ``batches``, ``stock`` and
    ``target``; built once. Colours come from the data (``colour``), so one set of layers
    serves every count."""
    first, last = record_years()
    table, stock, crossing = _record_tables()
    top = max(
        int(table.groupby("count")["firms"].sum().max()),
        int(stock["stock"].max()),
        crossing["target"],
    )
    x = alt.X(
        "x:T",
        axis=_year_axis(title=None),
        scale=alt.Scale(domain=[f"{first}-01-01", f"{last}-12-31"]),
    )
    y = alt.Y(
        "firms:Q",
        title="Little giants (firms)",
        scale=alt.Scale(domain=[0, top * 1.08]),
        axis=alt.Axis(tickCount=5),  # every label costs a redraw time: five are enough
    )
    colour = alt.Color("colour:N", scale=None)
    batches = alt.Chart(alt.Data(name="batches"))
    bars = batches.mark_bar(size=26).encode(
        x=x,
        y=y,
        color=colour,
        tooltip=[
            alt.Tooltip("batch:O", title="Batch"),
            alt.Tooltip("when:N", title="Dated"),
            alt.Tooltip("firms:Q", title="Firms in the batch", format=","),
            alt.Tooltip("cumulative:Q", title="Added up so far", format=","),
        ],
    )
    added = batches.mark_line(strokeDash=[6, 4], interpolate="step-after").encode(
        x=x, y="cumulative:Q", color=colour
    )
    reports = alt.Chart(alt.Data(name="stock"))
    steps = reports.mark_line(strokeWidth=2, strokeDash=[2, 3], interpolate="step-after").encode(
        x=x, y=y, color=colour
    )
    dots = reports.mark_point(
        shape="circle", size=110, strokeWidth=2, filled=True, opacity=1
    ).encode(
        x=x,
        y=y,
        stroke=alt.Stroke("colour:N", scale=None),
        fill=alt.condition(
            "datum.exact_date", alt.Fill("colour:N", scale=None), alt.value("white")
        ),
        tooltip=_stock_tooltip(),
    )
    target = alt.Chart(alt.Data(name="target"))
    rule = target.mark_rule(strokeDash=[8, 6], color="#000000").encode(y="y:Q")
    label = target.mark_text(align="left", x=8, dy=-10, fontSize=15).encode(y="y:Q", text="label:N")
    return alt.layer(bars, added, steps, dots, rule, label)


@functools.cache
@kept_json
def _record_template() -> dict[str, Any]:
    """The record chart's Vega-Lite template, kept on disk: every kernel builds the same."""
    return spec_dict(_record_layers())


def _record_vega_template() -> dict[str, Any]:
    return RECORD_CHART.vega()


def _record_example() -> dict[str, Any]:
    return record_spec(record_up_to())


@kept_json
def _record_compiled() -> dict[str, Any]:
    """The record chart compiled to Vega, kept on disk: a kernel that finds it builds no
    example record to compile."""
    return to_vega(_record_example())


#: The record chart's structure: its layers with named data sets, compiled to Vega once.
RECORD_CHART = CompiledChart("record", _record_template, _record_example, compiled=_record_compiled)
