"""Charts of the designation and subsidy explorer: the projected stock, support per firm.

Each chart comes in two forms that draw the same figure:

- :func:`stock_projection_chart` and :func:`support_per_firm_chart` return an Altair chart
  made with :func:`explainer.charts.sourced`, for a notebook cell or a test;
- :func:`stock_projection_spec` and :func:`support_per_firm_spec` return its Vega-Lite spec
  as a plain dict, in a millisecond or two, for a panel that redraws on every slider move.

Why two: serialising a layered Altair chart takes tens of milliseconds, most of it walking
the chart's object tree. The layers never change, only the data and the words, so the layers
are compiled once (with *named* data sets) and each update fills in the data sets and the
title, subtitle and description that :func:`~explainer.charts.sourced` writes. The tests check
that both forms give the same spec.

A panel can also skip the Vega-Lite compiler: :func:`compiled_vega` fills the same data and
words into a Vega spec compiled once, for :func:`explainer.charts.figure_html` to draw (the
tests check that the pictures are the same, byte for byte).

The table-shaping functions (:func:`stock_frame`, :func:`reported_stock_by_year`,
:func:`support_frame`) are public, so a reader can see the numbers behind a chart.

Examples
--------
>>> from explainer.models.pipeline import designation_pipeline
>>> frame = stock_frame(designation_pipeline(last_known_year=2021, horizon=2025))
>>> frame.groupby("series")["year"].agg(["min", "max"]).to_dict("index")
{'Projection': {'min': 2021, 'max': 2025}, 'Record': {'min': 2019, 'max': 2021}}
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import altair as alt
import pandas as pd

from explainer.charts import BASIS_COLOURS, heading, kept_json, sourced, spec_dict, to_vega
from explainer.charts.frames import ChartFrame, CompiledChart
from explainer.charts.hover import with_tooltip_hover
from explainer.data import load_table
from explainer.models.pipeline import PipelineResult
from explainer.models.subsidy import SubsidyResult
from explainer.parameters import ParameterSpec, parameter_specs
from explainer.sources import collect_ids
from explainer.text import qualified, when

__all__ = [
    "PROJECTION",
    "RECORD",
    "REPORTED",
    "STOCK_CHART",
    "SUPPORT_CHART",
    "assumed_inputs",
    "compiled_vega",
    "reported_stock_by_year",
    "stock_frame",
    "stock_projection_chart",
    "stock_projection_frame",
    "stock_projection_spec",
    "support_frame",
    "support_per_firm_chart",
    "support_per_firm_frame",
    "support_per_firm_spec",
]

PARAMETER_TABLE = "parameters_explorer"
#: Series of the stock chart: the record, the projection, the totals as published.
RECORD, PROJECTION, REPORTED = "Record", "Projection", "Reported total"
_SERIES_COLOURS = {
    RECORD: BASIS_COLOURS["reported"],
    PROJECTION: BASIS_COLOURS["projection"],
    REPORTED: "#000000",
}
_DASHES = {RECORD: [1, 0], PROJECTION: [8, 5]}
_BASIS_LABELS = {
    "reported": "A figure from sources",
    "derived": "Worked out from sourced figures",
    "assumption": "Rests on an assumption",
}
_SUPPORT_INPUTS = ("fund_bn_yuan", "fund_years", "firm_share", "key_firms_per_round", "round_years")

Data = dict[str, list[dict[str, Any]]]  # named data sets: name -> rows

# --- 1. the designation pipeline ------------------------------------------------------------


def stock_frame(result: PipelineResult) -> pd.DataFrame:
    """The net stock by year, split into the record and the projection, ready to chart.

    Record rows are the years up to ``last_known_year``; projection rows are the later years,
    plus a copy of the last recorded year (``joint`` True) so that the dashed line starts
    where the record ends. The copy repeats the recorded value and comes first, so that the
    recorded point is drawn over it; no recorded row is changed.

    Returns
    -------
    pandas.DataFrame
        Columns ``year``, ``series`` (:data:`RECORD` or :data:`PROJECTION`), ``net_stock``,
        ``designated``, ``revoked``, ``review_assumed`` (bool) and ``joint`` (bool).
    """
    return pd.DataFrame(_stock_records(result))


def reported_stock_by_year(stock: pd.DataFrame | None = None) -> pd.DataFrame:
    """The last published net stock in each calendar year (``data/designation_stock.csv``).

    The model counts the stock at the end of each year, so the latest report of a year is the
    one to set beside it. ``as_reported`` reads like the source, with its qualifier and its
    date only as exact as it is known: "more than 12,000 (Jul 2023)".

    Examples
    --------
    >>> reported_stock_by_year().set_index("year").loc[2023, "as_reported"]
    'more than 12,000 (Jul 2023)'
    """
    stock = load_table("designation_stock") if stock is None else stock
    latest: dict[int, Any] = {}
    for row in stock.sort_values("date").itertuples(index=False):
        latest[row.date.year] = row
    return pd.DataFrame(
        {
            "year": list(latest),
            "reported_stock": [float(row.stock) for row in latest.values()],
            "as_reported": [
                f"{qualified(row.stock, row.qualifier)} ({when(row.date, row.date_precision)})"
                for row in latest.values()
            ],
            "series": REPORTED,
            "source_ids": [row.source_ids for row in latest.values()],
        }
    )


def stock_projection_chart(
    result: PipelineResult,
    *,
    history: pd.DataFrame | None = None,
    reported: pd.DataFrame | None = None,
) -> alt.LayerChart:
    """Net stock of little giants: the record (solid), the projection (dashed), the target.

    Parameters
    ----------
    result : PipelineResult
        What :func:`~explainer.models.pipeline.designation_pipeline` returned.
    history : pandas.DataFrame, optional
        The batch table the result was computed from, for the source line (default:
        ``data/designation_batches.csv``).
    reported : pandas.DataFrame, optional
        Published stock figures (default: ``data/designation_stock.csv``), drawn as diamonds.

    Returns
    -------
    altair.LayerChart
        Bars: firms named each year. Line: the net stock, solid blue for the record and
        dashed vermilion for the projection, which starts where the record ends. A recorded
        year whose re-review had to use the assumed pass rate (only when ``review_cycle``
        moves a review away from the year the record has it in) gets an open point, and the
        subtitle says so. Open diamonds: totals as published. A dotted rule marks the
        target; a ring marks the first year the stock reaches it.
    """
    datasets, words = _stock_parts(result, history, reported)
    return sourced(with_tooltip_hover(_stock_layers()).properties(datasets=datasets), **words)


def stock_projection_spec(
    result: PipelineResult,
    *,
    history: pd.DataFrame | None = None,
    reported: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """The Vega-Lite spec of :func:`stock_projection_chart`, built fast for a panel."""
    return stock_projection_frame(result, history=history, reported=reported).spec


def stock_projection_frame(
    result: PipelineResult,
    *,
    history: pd.DataFrame | None = None,
    reported: pd.DataFrame | None = None,
) -> ChartFrame:
    """The data and words of :func:`stock_projection_chart`, for a live panel's view.

    The chart's structure is :data:`STOCK_CHART`, compiled once.
    """
    datasets, words = _stock_parts(result, history, reported)
    return ChartFrame(STOCK_CHART, datasets, heading(**words))


def _stock_records(result: PipelineResult) -> list[dict[str, Any]]:
    table = result.table
    columns = {
        name: table[name].tolist()
        for name in ("year", "net_stock", "designated", "revoked", "review_assumed")
    }
    projected = table["is_projection"].tolist()
    rows = [
        {
            "year": int(columns["year"][i]),
            "series": PROJECTION if projected[i] else RECORD,
            "net_stock": float(columns["net_stock"][i]),
            "designated": float(columns["designated"][i]),
            "revoked": float(columns["revoked"][i]),
            "review_assumed": bool(columns["review_assumed"][i]),
            "joint": False,
        }
        for i in range(len(projected))
    ]
    first_projected = next((i for i, p in enumerate(projected) if p), None)
    if first_projected:  # neither None nor 0: there is a record to join the projection to
        # First in the list, so the recorded point is drawn over it.
        rows.insert(0, {**rows[first_projected - 1], "series": PROJECTION, "joint": True})
    return rows


def _stock_parts(
    result: PipelineResult, history: pd.DataFrame | None, reported: pd.DataFrame | None
) -> tuple[Data, dict[str, Any]]:
    """The chart's data sets, and the arguments it takes for :func:`sourced`."""
    p = result.parameters
    last_known = int(p["last_known_year"])
    stock = _stock_records(result)
    first, end = min(row["year"] for row in stock), stock[-1]["year"]
    published_rows, published_ids = _published(reported, first, end)
    marks = [
        {"kind": "target", "year": end, "y": float(result.target), "label": _target_label(result)}
    ]
    met = result.target_met_year
    if met is not None:
        at_met = next(row["net_stock"] for row in stock if row["year"] == met)
        marks.append({"kind": "met", "year": met, "y": at_met, "label": f"Met in {met}"})
    datasets = {
        "stock": stock,
        "published": published_rows,
        "marks": marks,
    }
    recorded = _recorded_ids(history, last_known)
    target_ids = parameter_specs(PARAMETER_TABLE, "designation_pipeline")["target"].source_ids
    assumed = [r["year"] for r in stock if r["series"] == RECORD and r["review_assumed"]]
    subtitle = [
        f"Solid: the record to {last_known}. Dashed: projected. Bars: new firms a year. "
        "Diamonds: published totals"
    ]
    if assumed:
        subtitle.append(
            f"Open points ({_years(assumed)}): a re-review at the assumed pass rate, "
            "not the record's result"
        )
    words = dict(
        title="Little giants holding the title: the record and a projection",
        subtitle=subtitle,
        description=_stock_description(result, stock),
        sources=[recorded, published_ids, list(target_ids)],
    )
    return datasets, words


# The record's tables do not change while a panel moves: what the chart takes from them is
# worked out once per table (kept by identity, with the table, so an id is never reused).
_TABLE_MEMO: dict[tuple[Any, ...], tuple[Any, Any]] = {}


def _memo(table: pd.DataFrame | None, key: tuple[Any, ...], make: Any) -> Any:
    full = (id(table), *key)
    found = _TABLE_MEMO.get(full)
    if found is None or found[0] is not table:
        if len(_TABLE_MEMO) > 256:
            _TABLE_MEMO.clear()
        found = _TABLE_MEMO[full] = (table, make())
    return found[1]


def _published(
    reported: pd.DataFrame | None, first: int, end: int
) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows of published totals between two years, and their source ids."""

    def make() -> tuple[list[dict[str, Any]], list[str]]:
        published = reported_stock_by_year(reported)
        published = published[published["year"].between(first, end)]
        rows = published.drop(columns="source_ids").to_dict("records")
        return rows, collect_ids(published)

    rows, ids = _memo(reported, ("published", first, end), make)
    return [dict(row) for row in rows], list(ids)


def _recorded_ids(history: pd.DataFrame | None, last_known: int) -> list[str]:
    """Source ids of the recorded batches up to ``last_known``."""

    def make() -> list[str]:
        table = load_table("designation_batches") if history is None else history
        return collect_ids(table[table["year"] <= last_known])

    return list(_memo(history, ("recorded", last_known), make))


@functools.cache
def _stock_layers() -> alt.LayerChart:
    """The layers of the stock chart, reading the named data sets ``stock``, ``published``
    and ``marks``; built once."""
    x = alt.X(
        "year:Q",
        title=None,
        scale=alt.Scale(nice=False, zero=False, padding=20),
        axis=alt.Axis(format="d", tickMinStep=1, labelAngle=0, grid=False),
    )
    firms = alt.Axis(format=",d", tickCount=6)
    scale = alt.Scale(domain=list(_DASHES), range=[_SERIES_COLOURS[name] for name in _DASHES])
    legend = alt.Legend(orient="top-left", direction="vertical", symbolType="stroke")
    colour = alt.Color("series:N", title=None, scale=scale, legend=legend)
    dash = alt.StrokeDash(
        "series:N",
        title=None,
        scale=alt.Scale(domain=list(_DASHES), range=list(_DASHES.values())),
        legend=legend,
    )
    tooltip = [
        alt.Tooltip("year:Q", title="Year", format="d"),
        alt.Tooltip("series:N", title="Shown as"),
        alt.Tooltip("net_stock:Q", title="Holding the title at the year's end", format=",.0f"),
        alt.Tooltip("designated:Q", title="Named that year", format=",.0f"),
        alt.Tooltip("revoked:Q", title="Lost the title at re-review", format=",.0f"),
        alt.Tooltip("review_assumed:N", title="A re-review used the assumed pass rate"),
    ]
    stock = alt.Chart(alt.Data(name="stock"))
    bars = (
        stock.transform_filter("!datum.joint")
        .mark_bar(size=14, opacity=0.35)
        .encode(
            x=x,
            y=alt.Y("designated:Q", title="Little giants (firms)", axis=firms, stack=None),
            color=alt.Color("series:N", scale=scale, legend=None),
            tooltip=tooltip,
        )
    )
    line = stock.mark_line(point=True).encode(
        x=x,
        y=alt.Y("net_stock:Q", title="Little giants (firms)", axis=firms),
        color=colour,
        strokeDash=dash,
        tooltip=tooltip,
    )
    # A recorded year that needed the assumed pass rate is not purely the record: open point.
    hollow = (
        stock.transform_filter(f"datum.review_assumed && datum.series == '{RECORD}'")
        .mark_point(
            shape="circle",
            filled=True,
            fill="#ffffff",
            stroke=_SERIES_COLOURS[RECORD],
            strokeWidth=2,
            size=70,
            opacity=1,
        )
        .encode(x=x, y="net_stock:Q", tooltip=tooltip)
    )
    diamonds = (
        alt.Chart(alt.Data(name="published"))
        .mark_point(
            shape="diamond", size=130, filled=False, strokeWidth=2, color=_SERIES_COLOURS[REPORTED]
        )
        .encode(
            x=x,
            y="reported_stock:Q",
            tooltip=[
                alt.Tooltip("year:Q", title="Year", format="d"),
                alt.Tooltip("as_reported:N", title="Reported total"),
            ],
        )
    )
    marks = alt.Chart(alt.Data(name="marks"))
    rule = (
        marks.transform_filter("datum.kind == 'target'")
        .mark_rule(color="#000000", strokeDash=[2, 4], strokeWidth=2)
        .encode(y="y:Q")
    )
    ring = (
        marks.transform_filter("datum.kind == 'met'")
        .mark_point(shape="circle", size=420, filled=False, strokeWidth=2.5, color="#000000")
        .encode(x=x, y="y:Q")
    )
    labels = marks.mark_text(align="right", dx=-16, dy=-12, fontSize=15, fontWeight="bold").encode(
        x=x, y="y:Q", text="label:N"
    )
    return alt.layer(line, hollow, bars, diamonds, rule, ring, labels).properties(
        width=640, height=330
    )


@functools.cache
@kept_json  # kept on disk by its inputs: every kernel builds the same
def _stock_template() -> dict[str, Any]:
    return spec_dict(with_tooltip_hover(_stock_layers()))  # hover: the tooltip's words


def _years(years: list[int]) -> str:
    """Years as runs: ``[2020, 2022, 2023, 2024]`` -> ``'2020, 2022-2024'``."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


def _target_label(result: PipelineResult) -> str:
    return f"Target: {result.target:,} by {result.target_year}"


def _stock_description(result: PipelineResult, stock: list[dict[str, Any]]) -> str:
    p = result.parameters
    last_known, end = int(p["last_known_year"]), stock[-1]["year"]
    first = min(row["year"] for row in stock)
    years = f"in {first}" if first == last_known else f"{first}-{last_known}"
    text = f"Solid line: net stock worked out from the recorded batches and re-reviews, {years}"
    if end > last_known:
        text += (
            f"; dashed line: a projection to {end} with {int(p['new_per_year']):,} new firms in "
            f"{last_known + 1}, batches growing {p['growth']:.0%} a year, and "
            f"{p['pass_rate']:.0%} passing each re-review every {int(p['review_cycle'])} years, "
            f"reaching {stock[-1]['net_stock']:,.0f} in {end}"
        )
    return f"{text}. {result.summary()}"


# --- 2. subsidy arithmetic -------------------------------------------------------------------


def assumed_inputs(
    parameters: dict[str, float | int], names: Iterable[str] | None = None
) -> dict[str, ParameterSpec]:
    """The subsidy inputs that rest on an assumption rather than a source.

    An input counts as assumed if its record's basis is ``assumption``, or if its value
    differs from the record's sourced default (it is then the reader's own assumption).

    Parameters
    ----------
    parameters : dict
        Inputs of :func:`~explainer.models.subsidy.subsidy_arithmetic`, by name.
    names : iterable of str, optional
        Only look at these inputs (default: all of them).

    Examples
    --------
    >>> from explainer.parameters import defaults
    >>> values = defaults("parameters_explorer", "subsidy_arithmetic")
    >>> list(assumed_inputs(values))
    ['firm_share', 'local_match']
    >>> list(assumed_inputs({**values, "fund_years": 3}, ["fund_years", "round_years"]))
    ['fund_years']
    """
    specs = parameter_specs(PARAMETER_TABLE, "subsidy_arithmetic")
    names = list(specs) if names is None else list(names)
    return {
        name: specs[name]
        for name in names
        if specs[name].basis == "assumption" or parameters[name] != specs[name].default
    }


def support_frame(result: SubsidyResult) -> pd.DataFrame:
    """The bars of the support chart: yearly money per firm beside the average firm's R&D.

    Rows, in million yuan a year: the average little giant's R&D (the sources give a national
    average, not a typical firm); central support per funded key
    firm; the same with local matching; and the whole fund spread over every little giant
    (the reading the 2022 news story invites). ``basis`` says whether a bar is a figure from
    sources, worked out from sourced figures, or rests on an assumption (see
    :func:`assumed_inputs`); ``assumed`` names the assumed inputs.
    """
    return pd.DataFrame(_support_records(result))


def support_per_firm_chart(result: SubsidyResult) -> alt.LayerChart:
    """Bars: yearly support per funded firm against the average little giant's R&D spending.

    Parameters
    ----------
    result : SubsidyResult
        What :func:`~explainer.models.subsidy.subsidy_arithmetic` returned.

    Returns
    -------
    altair.LayerChart
        One bar per row of :func:`support_frame`, coloured by its basis, with its value and
        its share of the reference R&D written beside it. The subtitle names the inputs that
        are assumptions.
    """
    datasets, words = _support_parts(result)
    return sourced(with_tooltip_hover(_support_layers()).properties(datasets=datasets), **words)


def support_per_firm_frame(result: SubsidyResult) -> ChartFrame:
    """The data and words of :func:`support_per_firm_chart`, for a live panel's view.

    The chart's structure is :data:`SUPPORT_CHART`, compiled once.
    """
    datasets, words = _support_parts(result)
    return ChartFrame(SUPPORT_CHART, datasets, heading(**words))


def support_per_firm_spec(result: SubsidyResult) -> dict[str, Any]:
    """The Vega-Lite spec of :func:`support_per_firm_chart`, built fast for a panel."""
    datasets, words = _support_parts(result)
    return _filled(_support_template(), datasets, words)


def _support_records(result: SubsidyResult) -> list[dict[str, Any]]:
    p = result.parameters
    rd = float(p["reference_rd_m_yuan"])
    # The model gives the spread-thin figure over the fund's whole life; per year here.
    spread = result.fund_per_little_giant_m_yuan / p["fund_years"]
    rows = [
        ("Average R&D per little giant", rd, ["reference_rd_m_yuan"]),
        (
            "Central support per funded key firm",
            result.support_per_firm_year_m_yuan,
            _SUPPORT_INPUTS,
        ),
        (
            "Central and local support per key firm",
            result.support_per_firm_year_with_local_m_yuan,
            (*_SUPPORT_INPUTS, "local_match"),
        ),
        (
            f"Whole fund spread over all {int(p['all_little_giants']):,} little giants",
            spread,
            ("fund_bn_yuan", "fund_years", "all_little_giants"),
        ),
    ]
    records = []
    for i, (label, value, inputs) in enumerate(rows):
        assumed = assumed_inputs(p, inputs)
        basis = "assumption" if assumed else ("reported" if i == 0 else "derived")
        share = "" if i == 0 else f" ({100 * value / rd:.1f}% of R&D)"
        records.append(
            {
                "bar": label,
                "m_yuan_per_year": float(value),
                "basis": _BASIS_LABELS[basis],
                "text": f"{value:,.2f} million{share}",
                "assumed": ", ".join(s.label.lower() for s in assumed.values()) or "none",
            }
        )
    return records


def _support_parts(result: SubsidyResult) -> tuple[Data, dict[str, Any]]:
    """The chart's data set, and the arguments it takes for :func:`sourced`."""
    records = _support_records(result)
    specs = parameter_specs(PARAMETER_TABLE, "subsidy_arithmetic")
    words = dict(
        title="Support per funded firm per year, against the average little giant's R&D",
        subtitle=_assumption_lines(result.parameters),
        description=_support_description(result, records),
        sources=[list(spec.source_ids) for spec in specs.values()],
    )
    return {"bars": records}, words


@functools.cache
def _support_layers() -> alt.LayerChart:
    """The layers of the support chart, reading the named data set ``bars``; built once."""
    base = alt.Chart(alt.Data(name="bars")).encode(
        y=alt.Y("bar:N", title=None, sort=None, axis=alt.Axis(labelLimit=400)),
        x=alt.X("m_yuan_per_year:Q", title="Million yuan a year", axis=alt.Axis(tickCount=6)),
    )
    bars = base.mark_bar(height=34).encode(
        color=alt.Color(
            "basis:N",
            title=None,
            scale=alt.Scale(
                domain=list(_BASIS_LABELS.values()),
                range=[BASIS_COLOURS[key] for key in _BASIS_LABELS],
            ),
            # Two columns: on one row the legend ran past the plot and held the figure wider
            # than its column beside the controls in app mode, so its text was scaled down.
            legend=alt.Legend(orient="bottom", direction="horizontal", columns=2),
        ),
        tooltip=[
            alt.Tooltip("bar:N", title="Bar"),
            alt.Tooltip("m_yuan_per_year:Q", title="Million yuan a year", format=",.2f"),
            alt.Tooltip("basis:N", title="Basis"),
            alt.Tooltip("assumed:N", title="Assumed inputs"),
        ],
    )
    labels = base.mark_text(align="left", dx=6, fontSize=15).encode(text="text:N")
    return alt.layer(bars, labels).properties(width=460, height=alt.Step(52))


@functools.cache
@kept_json  # kept on disk by its inputs: every kernel builds the same
def _support_template() -> dict[str, Any]:
    return spec_dict(with_tooltip_hover(_support_layers()))  # hover: the tooltip's words


def _assumption_lines(parameters: dict[str, float | int]) -> list[str]:
    """Subtitle lines naming the assumed inputs and the ones changed from their default."""
    assumed = assumed_inputs(parameters)
    groups = {
        "Assumed (no source gives it)": [s for s in assumed.values() if s.basis == "assumption"],
        "Changed from the sourced default": [
            s for s in assumed.values() if s.basis != "assumption"
        ],
    }
    return [
        f"{lead}: " + "; ".join(f"{s.label.lower()} {parameters[s.name]:,g}" for s in specs)
        for lead, specs in groups.items()
        if specs
    ]


def _support_description(result: SubsidyResult, records: list[dict[str, Any]]) -> str:
    p = result.parameters
    text = (
        f"Each funded key firm gets {result.support_per_firm_year_m_yuan:,.2f} million yuan of "
        f"central money a year, {result.support_share_of_rd_pct:.1f}% of the average little "
        f"giant's R&D of {p['reference_rd_m_yuan']:,g} million yuan a year"
    )
    reference = parameter_specs(PARAMETER_TABLE, "subsidy_arithmetic")["reference_rd_m_yuan"]
    if p["reference_rd_m_yuan"] == reference.default:
        text += " (in 2024 the average was more than that, so the share is an upper bound)"
    if p["local_match"] > 0:
        text += (
            f"; with local matching, {result.support_per_firm_year_with_local_m_yuan:,.2f} "
            f"million ({result.support_with_local_share_of_rd_pct:.1f}%)"
        )
    return (
        f"{text}. Spread over all {int(p['all_little_giants']):,} little giants, the fund "
        f"would give each {records[-1]['m_yuan_per_year']:,.2f} million yuan a year."
    )


# --- shared -----------------------------------------------------------------------------------


def _filled(template: dict[str, Any], datasets: Data, words: dict[str, Any]) -> dict[str, Any]:
    """A compiled template with its data sets and the heading that :func:`sourced` writes.

    ``sourced`` is applied to an empty chart, which costs a fraction of a millisecond (on a
    layered chart it would copy every layer), so titles and source lines follow one rule. The
    result is a shallow copy: the template's nested parts are shared and never changed.
    """
    heading = sourced(alt.Chart(), **words)
    return {
        **template,
        "datasets": datasets,
        "title": heading.title,
        "description": heading.description,
        "usermeta": heading.usermeta,
    }


def compiled_vega(spec: dict[str, Any]) -> dict[str, Any] | None:
    """The Vega spec of a chart made by :func:`stock_projection_spec` or
    :func:`support_per_firm_spec`, without running the Vega-Lite compiler.

    Each chart's layers are compiled to Vega once; this fills in the spec's data sets, title,
    subtitle, description and source ids. Pass the result to
    :func:`explainer.charts.figure_html` as ``vega=``. Returns None for any other spec.
    """
    for template, compiled in (
        (_stock_template, _stock_vega),
        (_support_template, _support_vega),
    ):
        if spec.get("layer") is template()["layer"]:
            vega = compiled()
            data = [
                {**entry, "values": spec["datasets"][entry["name"]]}
                if entry["name"] in spec["datasets"]
                else entry
                for entry in vega["data"]
            ]
            title = {**vega["title"], "text": spec["title"]["text"]}
            title["subtitle"] = spec["title"]["subtitle"]
            return {
                **vega,
                "data": data,
                "title": title,
                "description": spec["description"],
                "usermeta": spec["usermeta"],
            }
    return None


def _stock_vega() -> dict[str, Any]:
    return STOCK_CHART.vega()


def _support_vega() -> dict[str, Any]:
    return SUPPORT_CHART.vega()


def _stock_example() -> dict[str, Any]:
    from explainer.models.pipeline import designation_pipeline

    datasets, words = _stock_parts(designation_pipeline(), None, None)
    return _filled(_stock_template(), datasets, words)


def _support_example() -> dict[str, Any]:
    from explainer.models.subsidy import subsidy_arithmetic

    datasets, words = _support_parts(subsidy_arithmetic())
    return _filled(_support_template(), datasets, words)


@kept_json
def _stock_compiled() -> dict[str, Any]:
    """The stock chart compiled to Vega, kept on disk by its inputs: a kernel that finds it
    builds neither the template nor an example run of the model to compile."""
    return to_vega(_stock_example())


@kept_json
def _support_compiled() -> dict[str, Any]:
    """The support chart compiled to Vega, kept on disk by its inputs."""
    return to_vega(_support_example())


#: The stock chart's structure: its layers with named data sets, compiled to Vega once.
STOCK_CHART = CompiledChart(
    "stock_projection", _stock_template, _stock_example, compiled=_stock_compiled
)
#: The support chart's structure, compiled once.
SUPPORT_CHART = CompiledChart(
    "support_per_firm", _support_template, _support_example, compiled=_support_compiled
)
