"""Charts and tables of the debate: state-led picking against a market of many small bets.

Two kinds of output, for notebook 04 (*State-led versus Silicon Valley*):

- **The argument and evidence tables** (:func:`arguments_table`, :func:`evidence_table`), read
  from ``data/debate_arguments.csv`` and ``data/debate_evidence.csv`` and laid out for a
  projector or a printed handout.
- **The simulation's figures.** :func:`outcomes_chart` shows what each strategy of
  :func:`~explainer.models.picking_winners.simulate_picking_winners` achieved (a dot for the
  average over the simulated worlds, a bar for the middle 90% of them); :func:`sweep_chart`
  shows where the planner's advantage runs out as its signal noise grows; :func:`flip_chart`
  where it flips on each of four settings.

The outcomes figure is redrawn on every slider move of the panel, so it is split like the
explorer's charts (:mod:`explainer.charts.frames`): its structure, :data:`OUTCOMES_CHART`, is
compiled once, and :func:`outcomes_frame` gives the data and words of one result, which the
panel's live view draws in the browser (static pages get the SVG of the same compiled spec).

Every figure here is written as a Vega-Lite dict (:class:`FigureSpec`), not built through
Altair's object model: for a figure drawn once in a notebook cell, building, copying and
checking Altair's objects cost more than the simulation behind it.

Examples
--------
>>> from explainer.models.picking_winners import simulate_picking_winners
>>> result = simulate_picking_winners(n_firms=500, n_draws=20)
>>> frame = outcome_frame(result)
>>> sorted(frame["strategy"].unique()), len(frame)
(['market', 'planner'], 6)
>>> outcomes_frame(result).words["title"]
'What each strategy achieved in 20 simulated worlds'
"""

from __future__ import annotations

import functools
import html
import json
import math
import re
import textwrap
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from explainer.charts import (
    PALETTE,
    SUBTITLE_WIDTH,
    figure_html,
    heading,
    kept_json,
    theme_config,
    to_vega,
)
from explainer.charts.frames import ChartFrame, CompiledChart
from explainer.data import load_table
from explainer.models import picking_winners as pw
from explainer.models.picking_winners import SimulationResult
from explainer.parameters import parameter_specs
from explainer.sources import collect_ids, short_citation
from explainer.text import escape_dollars, reading_table

__all__ = [
    "DIRECTIONS",
    "FLIP_AXES",
    "FLIP_VALUES",
    "OUTCOMES",
    "OUTCOMES_CHART",
    "SIMULATION_SOURCES",
    "STRATEGY_COLOURS",
    "STRATEGY_LABELS",
    "SWEEP_NOISES",
    "FigureSpec",
    "answer",
    "arguments_frame",
    "arguments_table",
    "evidence_frame",
    "evidence_table",
    "evidence_tally",
    "flip_chart",
    "flip_frame",
    "flip_points",
    "flip_sentence",
    "mean_outcome",
    "noise_crossing",
    "outcome_frame",
    "outcomes_chart",
    "outcomes_frame",
    "outcomes_sentence",
    "sources_used",
    "sweep_chart",
    "sweep_frame",
    "sweep_sentence",
]

#: What the panel reports for each strategy, with the heading each gets in the figure.
OUTCOMES = {
    "value_per_yuan": "Value created per yuan spent",
    "spent_on_hits_share": "Share of the money that reached the hits (top 1% of firms)",
    "spent_on_failures_share": "Share of the money spent on firms that fail",
}
STRATEGY_LABELS = {"planner": "Planner", "market": "Market"}
#: Okabe-Ito blue for the planner, orange for the market (distinct for colour-blind readers).
STRATEGY_COLOURS = {"planner": PALETTE[0], "market": PALETTE[1]}
#: The idea the simulation builds on: start-up success is rare, skewed and unknowable in advance.
SIMULATION_SOURCES = ("kerr-2014-experimentation",)
#: Planner noise values of the sweep: 0 to 3 log points (the parameter's range) in quarter steps.
SWEEP_NOISES = tuple(float(x) for x in np.round(np.arange(0.0, 3.0001, 0.25), 2))
DIRECTIONS = ("supports state-led", "supports market-led", "mixed")
#: The settings on which the notebook shows where the advantage flips, and the values tried.
FLIP_VALUES: dict[str, tuple[float, ...]] = {
    "planner_noise": SWEEP_NOISES,
    "market_noise": SWEEP_NOISES,
    "market_coverage": (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0),
    "first_bet_share": (0.01, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9),
}
FLIP_AXES = tuple(FLIP_VALUES)

_SIMULATED = "A simulation under our stated assumptions, not data and not a forecast."
_SHARES = {"spent_on_hits_share", "spent_on_failures_share"}


# --- the argument and evidence tables ----------------------------------------------------------
def _cite(ids: Iterable[str]) -> str:
    """Short citations for a table cell: ``'CSET (n.d.); Caixin Global (2021)'``."""
    return "; ".join(dict.fromkeys(short_citation(i) for i in ids))


def _table(frame: pd.DataFrame, widths: Mapping[str, str]) -> Any:
    """The project's projector table (:func:`explainer.text.reading_table`), rows aligned at the
    top and kept out of MathJax's reach (a "$" in a cell must not start a formula)."""
    return (
        reading_table(frame, widths=widths)
        .aligned_top()
        .with_classes("tex2jax_ignore lg-reading-table")
    )


def arguments_frame(side: str | None = None) -> pd.DataFrame:
    """The arguments of ``data/debate_arguments.csv`` (one side, or both), in their order.

    Raises
    ------
    ValueError
        If ``side`` is not ``"state-led"``, ``"market-led"`` or None.
    """
    table = load_table("debate_arguments")
    sides = list(dict.fromkeys(table["side"]))
    if side is not None and side not in sides:
        raise ValueError(f"side must be one of {', '.join(sides)} (got {side!r})")
    rows = table if side is None else table[table["side"] == side]
    return rows.sort_values(["side", "order"], key=_side_first).reset_index(drop=True)


def _side_first(column: pd.Series) -> pd.Series:
    return column.map({"state-led": 0, "market-led": 1}) if column.name == "side" else column


def arguments_table(side: str) -> Any:
    """One side's arguments as a readable table: claim, evidence, sources, the reply.

    Every claim comes with its evidence and the sources behind it, and with the other side's
    best answer, so that a class can argue either case from the same page.
    """
    rows = arguments_frame(side)
    shown = pd.DataFrame(
        {
            "#": rows["order"],
            "Claim": rows["claim"],
            "Evidence": rows["evidence"],
            "Kind of evidence": rows["evidence_type"],
            "Sources": rows["source_ids"].map(_cite),
            "The other side replies": rows["reply"],
            "Reply sources": rows["reply_source_ids"].map(_cite),
        }
    )
    return _table(shown, {"Claim": "14em", "Evidence": "20em", "The other side replies": "14em"})


def evidence_frame(ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Rows of ``data/debate_evidence.csv``: all in their order, or the given ids in that order.

    Raises
    ------
    ValueError
        If an id is not in the table.
    """
    table = load_table("debate_evidence").sort_values("order").set_index("id", drop=False)
    if ids is None:
        return table.reset_index(drop=True)
    missing = [i for i in ids if i not in table.index]
    if missing:
        raise ValueError(f"no evidence row {missing[0]!r} in data/debate_evidence.csv")
    return table.loc[list(ids)].reset_index(drop=True)


def evidence_table(ids: Sequence[str] | None = None) -> Any:
    """Studies and cases as a readable table: what each found, which way it points, its data."""
    rows = evidence_frame(ids)
    shown = pd.DataFrame(
        {
            "Study or case": rows["study_or_case"],
            "Kind": rows["kind"],
            "What it found": rows["finding"],
            "Points to": rows["direction"],
            "Data used": rows["data_used"],
            "Sources": rows["source_ids"].map(_cite),
            "Note": rows["note"],
        }
    )
    return _table(shown, {"What it found": "20em", "Data used": "12em"})


def _by_direction(rows: pd.DataFrame) -> tuple[int, int, int]:
    counts = rows["direction"].value_counts()
    state, market, mixed = (int(counts.get(d, 0)) for d in DIRECTIONS)
    return state, market, mixed


def evidence_tally() -> str:
    """The evidence rows counted by direction, for all rows and for the studies alone, with the
    caveats that stop a count from being read as a verdict."""
    rows = evidence_frame()
    state, market, mixed = _by_direction(rows)
    studies = rows[rows["kind"] == "study"]
    s_state, s_market, s_mixed = _by_direction(studies)
    return (
        f"Of the {len(rows)} studies, estimates, cases and reports in the table, {state} support "
        f"the state-led case, {market} the market-led case and {mixed} are mixed. Of the "
        f"{len(studies)} studies alone, {s_state} support the state-led case, {s_market} the "
        f"market-led case and {s_mixed} are mixed. Counting is not weighing. A careful study of "
        "thousands of firms tells you more than a single case; the studies of the label itself "
        "look at listed firms only, a small part of all little giants; the little giants' "
        "results describe firms chosen because they were already strong, not what the label did "
        "for them; and the studies from South Korea and the United States show that targeted "
        "support has worked somewhere, not that it works in China now."
    )


def sources_used(*shown: Any) -> list[str]:
    """Every source behind the debate, for a notebook's closing list of sources.

    The arguments with their replies, every evidence row and the simulation's premise, then
    anything else the notebook shows (DataFrames with a ``source_ids`` column, sourced charts
    or ids, as :func:`explainer.sources.collect_ids` takes them). Prose in notebook 04 cites
    only sources that these tables hold; the tests check that every citation in its Markdown
    names one of them.
    """
    arguments = arguments_frame()
    replies = pd.DataFrame({"source_ids": arguments["reply_source_ids"]})
    return collect_ids(arguments, replies, evidence_frame(), SIMULATION_SOURCES, *shown)


# --- the simulation's outcomes ---------------------------------------------------------------
def outcome_frame(result: SimulationResult) -> pd.DataFrame:
    """The three outcomes of each strategy: average and 5th–95th percentile across worlds.

    Returns
    -------
    pandas.DataFrame
        One row per outcome (in :data:`OUTCOMES` order) and strategy: ``output``, ``outcome``
        (its heading), ``strategy``, ``Strategy`` (its label), ``mean``, ``p5``, ``p95``,
        ``is_share``, ``average`` and ``middle`` (the average and the middle 90% as the figure
        writes them), ``shown`` (the numbers beside the dot), ``tip`` (what hovering the
        strategy's dot or bar says) and ``upper`` (the end of the outcome's axis).
    """
    return pd.DataFrame(_outcome_records(result))


def _outcome_records(result: SimulationResult) -> list[dict[str, Any]]:
    """The rows of :func:`outcome_frame` as plain dicts: the figure's data set as it is sent
    to a live view on every move (pandas indexing would cost more than the rest of a move)."""
    summary = result.summary
    lookup = {
        (output, strategy): (mean, p5, p95)
        for output, strategy, mean, p5, p95 in zip(
            summary["output"].to_numpy(),
            summary["strategy"].to_numpy(),
            summary["mean"].to_numpy(),
            summary["p5"].to_numpy(),
            summary["p95"].to_numpy(),
            strict=True,
        )
    }
    rows = []
    for output, title in OUTCOMES.items():
        share = output in _SHARES
        found = {s: tuple(float(v) for v in lookup[(output, s)]) for s in STRATEGY_LABELS}
        upper = _axis_max([p95 for _, _, p95 in found.values()], share)
        for strategy, label in STRATEGY_LABELS.items():
            mean, p5, p95 = found[strategy]
            average, middle = _number(mean, share), f"{_number(p5, share)} to {_number(p95, share)}"
            rows.append(
                {
                    "output": output,
                    "outcome": title,
                    "strategy": strategy,
                    "Strategy": label,
                    "mean": mean,
                    "p5": p5,
                    "p95": p95,
                    "is_share": share,
                    "average": average,
                    "middle": middle,
                    "shown": _shown(average, middle),
                    "tip": _tip(label, title, average, middle),
                    "upper": upper,
                }
            )
    return rows


def _shown(average: str, middle: str) -> str:
    """The numbers beside a strategy's dot: ``'2.58 (2.07 to 3.17)'``."""
    return f"{average} ({middle})"


def _tip(label: str, title: str, average: str, middle: str) -> str:
    """What hovering a strategy's dot or bar says."""
    return f"{label} · {title}: average {average}; middle 90% of worlds {middle}"


#: The fields of :func:`outcome_frame` the figure reads: a move sends only these, and the
#: figure writes the numbers and hover text from them as :func:`_shown` and :func:`_tip` do.
_SENT = ("output", "Strategy", "mean", "p5", "p95", "upper", "average", "middle")


def _number(value: float, share: bool) -> str:
    return f"{100 * value:.0f}%" if share else f"{value:.2f}"


def _outcome_words(result: SimulationResult, records: list[dict[str, Any]]) -> dict[str, Any]:
    """The figure's title, subtitle, description and sources (:func:`explainer.charts.heading`
    adds the source line)."""
    n_draws = int(result.parameters["n_draws"])
    description = (
        f"Dot-and-bar chart of three outcomes for each strategy across {n_draws} simulated "
        f"worlds, with {result.picks} big bets each. {_averages(result, records)} "
        "Bars show the middle 90% of worlds."
    )
    return {
        "title": f"What each strategy achieved in {n_draws} simulated worlds",
        "subtitle": [
            "Dot: average across the worlds. Bar: the middle 90% of worlds (5th to 95th "
            "percentile).",
            _SIMULATED,
            "Its premise (success is rare and skewed) comes from:",
        ],
        "description": description,
        "sources": list(SIMULATION_SOURCES),
    }


def _averages(result: SimulationResult, records: list[dict[str, Any]]) -> str:
    get = {(r["output"], r["strategy"]): r["mean"] for r in records}
    budget = float(result.parameters["budget"])
    parts = []
    for strategy, label in STRATEGY_LABELS.items():
        failing = get[("spent_on_failures_share", strategy)]
        parts.append(
            f"the {label.lower()} created {get[('value_per_yuan', strategy)]:.2f} yuan of value "
            f"per yuan, put {100 * get[('spent_on_hits_share', strategy)]:.1f}% of its money into "
            f"the hits and spent {100 * failing:.0f}% ({failing * budget:,.0f} million yuan) on "
            "firms that fail"
        )
    return f"On average {parts[0]}; {parts[1]}."


def outcomes_sentence(result: SimulationResult) -> str:
    """The three outcomes of both strategies in one sentence (averages across the worlds).

    Examples
    --------
    >>> from explainer.models.picking_winners import simulate_picking_winners
    >>> outcomes_sentence(simulate_picking_winners(n_draws=10)).startswith("On average the planner")
    True
    """
    return _averages(result, _outcome_records(result))


def mean_outcome(result: SimulationResult, output: str, strategy: str) -> float:
    """One output's average across the worlds, e.g. ``mean_outcome(r, "hit_share", "market")``.

    Raises
    ------
    KeyError
        If there is no such output or strategy.
    """
    summary = result.summary
    rows = summary[(summary["output"] == output) & (summary["strategy"] == strategy)]
    if rows.empty:
        raise KeyError(f"no output {output!r} for strategy {strategy!r}")
    return float(rows["mean"].iloc[0])


def answer(body: str, summary: str = "Show the answer") -> str:
    """Markdown for an exercise's answer, folded away until the reader opens it.

    Dollar signs are escaped, since Jupyter would typeset the text between two as maths.
    """
    return (
        f"<details><summary>{html.escape(summary)}</summary>\n\n{escape_dollars(body)}\n\n"
        "</details>"
    )


class FigureSpec(Mapping[str, Any]):
    """A Vega-Lite spec built as plain data, shown in a notebook as the offline SVG figure.

    Building these figures through Altair's object model cost more than everything else a
    notebook cell does (tens of objects built, copied and checked against the schema for a
    few dozen rows), so they are written as dicts. A ``FigureSpec`` reads as the spec (a
    read-only mapping), displays itself as :func:`explainer.charts.figure_html` draws it,
    and answers the calls code makes of an Altair chart: :func:`explainer.charts.spec_dict`
    (``to_dict``) and :func:`explainer.sources.collect_ids` (``usermeta``). It is not a
    ``dict``, which IPython would also print whole as the output's plain text.
    """

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self._spec = dict(spec)

    def __getitem__(self, key: str) -> Any:
        return self._spec[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._spec)

    def __len__(self) -> int:
        return len(self._spec)

    def __repr__(self) -> str:
        title = (self._spec.get("title") or {}).get("text", "")
        return f"<FigureSpec {title!r}>"

    @property
    def usermeta(self) -> dict[str, Any]:
        return dict(self._spec.get("usermeta") or {})

    def to_dict(self, validate: bool = False, **_: Any) -> dict[str, Any]:
        """The spec (a copy of the top level); ``validate=True`` checks it against the schema."""
        if validate:
            kinds = {"vconcat": alt.VConcatChart, "hconcat": alt.HConcatChart}
            kinds["layer"] = alt.LayerChart
            kind = next((k for k in kinds if k in self._spec), None)
            (kinds[kind] if kind else alt.Chart).validate(dict(self._spec))
        return dict(self._spec)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": figure_html(self), "text/plain": "<Chart: see the figure above>"}


def _spec(structure: dict[str, Any], datasets: dict[str, Any], **words: Any) -> FigureSpec:
    """A whole Vega-Lite spec: the theme, a structure, its data sets and the words that
    :func:`explainer.charts.sourced` gives a chart (title, subtitle with the source line,
    description, source ids), in the form :func:`explainer.charts.spec_dict` writes."""
    said = heading(**words)
    return FigureSpec(
        {
            **theme_config(),
            **structure,
            "datasets": datasets,
            "title": {"text": said["title"], "subtitle": said["subtitle"]},
            "description": said["description"],
            "usermeta": {"source_ids": said["source_ids"]},
            "$schema": alt.SCHEMA_URL,
        }
    )


#: The outcomes figure's plot width and height (pixels). With the strategies' names on the
#: left and a column of numbers on the right the figure is about 660 px wide: it fits
#: JupyterLab's 848-px column, and the chart column beside the controls in app mode at
#: 1280 px, at its own size (no shrinking, so no text below 13 px).
_OUTCOME_WIDTH, _OUTCOME_ROW = 440, 90


def _outcome_panel(output: str, heading_text: str) -> dict[str, Any]:
    """One outcome's dot-and-bar panel, reading the named data sets ``outcomes`` and
    ``guides`` (the break-even line)."""
    share = output in _SHARES
    only = [
        {"filter": {"field": "output", "equal": output}},
        {"calculate": _expr(_shown("{average}", "{middle}")), "as": "shown"},
        {
            "calculate": _expr(_tip("{Strategy}", heading_text, "{average}", "{middle}")),
            "as": "tip",
        },
    ]
    scale = {"nice": False, "zero": True}
    x_axis = {"format": ".0%" if share else ".1f", "tickCount": 6}
    y = {
        "field": "Strategy",
        "type": "nominal",
        "title": None,
        "sort": list(STRATEGY_LABELS.values()),
        "scale": {"padding": 0.5},
    }
    colour = {
        "field": "Strategy",
        "type": "nominal",
        "legend": None,
        "scale": {
            "domain": list(STRATEGY_LABELS.values()),
            "range": list(STRATEGY_COLOURS.values()),
        },
    }
    hover = {"field": "tip", "type": "nominal"}
    layers: list[dict[str, Any]] = [
        {  # the axis end, not drawn: the scale runs from 0 to it
            "mark": {"type": "point", "opacity": 0, "aria": False},
            "encoding": {
                "x": {"field": "upper", "type": "quantitative", "title": None, "scale": scale},
                "y": y,
            },
        },
        {
            "mark": {"type": "rule", "strokeWidth": 8, "opacity": 0.45},
            "encoding": {
                "x": {
                    "field": "p5",
                    "type": "quantitative",
                    "title": None,
                    "scale": scale,
                    "axis": x_axis,
                },
                "x2": {"field": "p95"},
                "y": y,
                "color": colour,
                "description": hover,
            },
        },
        {
            "mark": {"type": "point", "size": 220, "filled": True, "opacity": 1},
            "encoding": {
                "x": {"field": "mean", "type": "quantitative", "scale": scale},
                "y": y,
                "color": colour,
                "description": hover,
            },
        },
        {  # the numbers, in a column right of the plot
            "mark": {"type": "text", "align": "left", "fontSize": 15, "color": "#222222"},
            "encoding": {
                "x": {"value": _OUTCOME_WIDTH + 14},
                "y": y,
                "text": {"field": "shown", "type": "nominal"},
                "description": hover,
            },
        },
    ]
    if output == "value_per_yuan":
        guide = [{"filter": {"field": "output", "equal": output}}]
        layers[1:1] = [
            {
                "data": {"name": "guides"},
                "transform": guide,
                "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#666666"},
                "encoding": {
                    "x": {"field": "x", "type": "quantitative", "scale": scale},
                    "description": {"field": "tip", "type": "nominal"},
                },
            },
            {
                "data": {"name": "guides"},
                "transform": guide,
                "mark": {
                    "type": "text",
                    "align": "left",
                    "baseline": "top",
                    "dx": 4,
                    "fontSize": 13,
                    "color": "#555555",
                    "aria": False,
                },
                "encoding": {
                    "x": {"field": "x", "type": "quantitative", "scale": scale},
                    "y": {"value": 0},
                    "text": {"field": "label", "type": "nominal"},
                },
            },
        ]
    return {
        "title": {"text": heading_text, "fontSize": 16, "anchor": "start"},
        "width": _OUTCOME_WIDTH,
        "height": _OUTCOME_ROW,
        "data": {"name": "outcomes"},  # one data flow per panel (a move re-runs three)
        "transform": only,
        "layer": layers,
    }


def _expr(template: str) -> str:
    """A Vega expression writing ``template`` with ``{field}`` read from each row:
    ``'{a} to {b}'`` becomes ``datum["a"] + " to " + datum["b"]``."""
    parts = re.split(r"\{(\w+)\}", template)
    return " + ".join(
        f"datum[{json.dumps(part)}]" if odd else json.dumps(part, ensure_ascii=False)
        for odd, part in ((i % 2 == 1, part) for i, part in enumerate(parts))
        if odd or part
    )


#: The break-even line of the value panel (value created equals money spent).
_GUIDES = [
    {
        "output": "value_per_yuan",
        "x": 1.0,
        "label": "breaks even",
        "tip": "Breaks even: value created equals money spent",
    }
]


@functools.cache
def _outcomes_template() -> dict[str, Any]:
    """The outcomes figure's structure: three panels reading ``outcomes`` and ``guides``."""
    return {
        **theme_config(),
        "vconcat": [_outcome_panel(output, text) for output, text in OUTCOMES.items()],
        "spacing": 18,
        "resolve": {"scale": {"x": "independent"}},
        "$schema": alt.SCHEMA_URL,
    }


def outcomes_frame(result: SimulationResult) -> ChartFrame:
    """The data and words of the outcomes figure at one result, for the panel's live view.

    The figure's structure is :data:`OUTCOMES_CHART`, compiled once; a move sends the six
    rows of :func:`outcome_frame` and the words (a kilobyte or two).
    """
    records = _outcome_records(result)
    words = heading(**_outcome_words(result, records))
    rows = [{name: record[name] for name in _SENT} for record in records]
    return ChartFrame(OUTCOMES_CHART, {"outcomes": rows, "guides": _GUIDES}, words)


def outcomes_chart(result: SimulationResult) -> FigureSpec:
    """Dot-and-bar chart of value per yuan, hits funded and money on failing firms, by strategy.

    The Vega-Lite spec of :func:`outcomes_frame` (the panel's figure), for a notebook cell, a
    handout or a test: displayed, it is the SVG that vl-convert draws from it.
    """
    return FigureSpec(outcomes_frame(result).spec)


def _outcomes_example() -> dict[str, Any]:
    return outcomes_frame(pw.simulate_picking_winners()).spec


@kept_json
def _outcomes_compiled() -> dict[str, Any]:
    """The outcomes figure compiled to Vega, kept on disk by its inputs: a kernel that finds
    it runs no example of the model to compile."""
    return to_vega(_outcomes_example())


#: The outcomes figure's structure, compiled to Vega once per process.
OUTCOMES_CHART = CompiledChart(
    "picking_outcomes", _outcomes_template, _outcomes_example, compiled=_outcomes_compiled
)


def _axis_max(highs: Iterable[float], share: bool) -> float:
    """The axis end: 100% for shares, else a round number above every 95th percentile."""
    if share:
        return 1.0
    top = max(1.2, max(highs) * 1.1)
    return _nice_step(top / 5) * math.ceil(top / _nice_step(top / 5))


def _nice_step(raw: float) -> float:
    """The smallest of 1, 2, 2.5, 5 (times a power of ten) at least ``raw``."""
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


# --- the noise sweep -------------------------------------------------------------------------
def sweep_frame(sweep: pd.DataFrame) -> pd.DataFrame:
    """The sweep of :func:`~explainer.models.picking_winners.noise_sweep`, labelled to chart."""
    frame = sweep.rename(
        columns={
            "value_per_yuan_mean": "mean",
            "value_per_yuan_p5": "p5",
            "value_per_yuan_p95": "p95",
        }
    )
    frame["Strategy"] = frame["strategy"].map(STRATEGY_LABELS)
    return frame


def noise_crossing(sweep: pd.DataFrame) -> float | None:
    """The planner noise at which the planner's average value per yuan falls to the market's.

    Linear interpolation between the two sweep points either side of the first crossing.
    Returns None if the planner is ahead, or behind, at every noise value of the sweep.
    """
    planner = sweep[sweep["strategy"] == "planner"].sort_values("planner_noise")
    market = sweep[sweep["strategy"] == "market"].sort_values("planner_noise")
    noise = planner["planner_noise"].to_numpy()
    gap = planner["value_per_yuan_mean"].to_numpy() - market["value_per_yuan_mean"].to_numpy()
    for i in range(1, len(gap)):
        if gap[i - 1] >= 0 > gap[i]:
            return float(
                noise[i - 1] + (noise[i] - noise[i - 1]) * gap[i - 1] / (gap[i - 1] - gap[i])
            )
    return None


def sweep_sentence(sweep: pd.DataFrame) -> str:
    """Where the planner's edge runs out, in words (the sweep chart's description)."""
    planner = sweep[sweep["strategy"] == "planner"].sort_values("planner_noise")
    market = float(sweep.loc[sweep["strategy"] == "market", "value_per_yuan_mean"].iloc[0])
    first, last = planner.iloc[0], planner.iloc[-1]
    ends = (
        f"The planner's value per yuan falls from {first['value_per_yuan_mean']:.2f} with a "
        f"perfect signal to {last['value_per_yuan_mean']:.2f} at noise "
        f"{last['planner_noise']:g}; the market's stays at {market:.2f}."
    )
    crossing = noise_crossing(sweep)
    if crossing is not None:
        return (
            f"Under these settings the planner does better than the market while its signal "
            f"noise is below about {crossing:.2f} times the spread (a view whose correlation "
            f"with the truth is {1 / math.sqrt(1 + crossing**2):.2f}); above that, the market's "
            f"staged bets do better. {ends}"
        )
    if first["value_per_yuan_mean"] < market:
        return (
            "Under these settings the market does better even when the planner sees every "
            "firm's potential exactly: its bias toward favoured sectors, or its concentration, "
            f"costs more than its information is worth. {ends}"
        )
    return (
        "Under these settings the planner stays ahead of the market across the whole range of "
        f"noise the sweep tries. {ends}"
    )


def _labelled_rule(
    data: str,
    *,
    dash: list[int],
    right: bool,
    y: float,
    baseline: str,
    stroke_width: float = 1.0,
) -> list[dict[str, Any]]:
    """A vertical line at the ``x`` of the one row of data set ``data``, with its ``label``
    beside it (left of the line when ``right``, so the label stays inside the plot), at height
    ``y``; hovering the line names it."""
    x = {"field": "x", "type": "quantitative"}
    return [
        {
            "data": {"name": data},
            "mark": {
                "type": "rule",
                "color": "#000000",
                "strokeDash": dash,
                "strokeWidth": stroke_width,
            },
            "encoding": {
                "tooltip": [{"field": "label", "title": "Line", "type": "nominal"}],
                "x": x,
            },
        },
        {
            "data": {"name": data},
            "mark": {
                "type": "text",
                "align": "right" if right else "left",
                "baseline": baseline,
                "color": "#222222",
                "dx": -5 if right else 5,
                "fontSize": 14,
            },
            "encoding": {
                "text": {"field": "label", "type": "nominal"},
                "x": x,
                "y": {"value": y},
            },
        },
    ]


def _strategy_colour() -> dict[str, Any]:
    """The planner in blue and the market in orange, with a line legend under the chart."""
    return {
        "field": "Strategy",
        "legend": {
            "direction": "horizontal",
            "orient": "bottom",
            "symbolOpacity": 1,
            "symbolStrokeWidth": 4,
            "symbolType": "stroke",
        },
        "scale": {
            "domain": list(STRATEGY_LABELS.values()),
            "range": list(STRATEGY_COLOURS.values()),
        },
        "title": None,
        "type": "nominal",
    }


def _tooltip(field: str, title: str | None = None, fmt: str | None = None) -> dict[str, Any]:
    tip: dict[str, Any] = {"field": field, "type": "quantitative" if fmt else "nominal"}
    if fmt:
        tip["format"] = fmt
    if title:
        tip["title"] = title
    return tip


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows as JSON-ready dicts (Python numbers, None for a missing value)."""
    return [
        {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
        for row in frame.to_dict("records")
    ]


def sweep_chart(
    sweep: pd.DataFrame, *, current_noise: float | None = None, n_draws: int | None = None
) -> FigureSpec:
    """Lines of value per yuan against the planner's signal noise, with where they cross.

    Parameters
    ----------
    sweep : DataFrame
        What :func:`~explainer.models.picking_winners.noise_sweep` returns.
    current_noise : float, optional
        The reader's current setting, marked with a dotted line.
    n_draws : int, optional
        How many worlds each point averages, for the subtitle.
    """
    colour = _strategy_colour()
    x = {
        "field": "planner_noise",
        "scale": {"domain": [min(SWEEP_NOISES), max(SWEEP_NOISES)], "nice": False},
        "title": "Planner's noise before investing (times the spread)",
        "type": "quantitative",
    }
    tooltip = [
        _tooltip("Strategy"),
        _tooltip("planner_noise", "Planner's noise", ".2f"),
        _tooltip("mean", "Average value per yuan", ".2f"),
        _tooltip("p5", "5th percentile", ".2f"),
        _tooltip("p95", "95th percentile", ".2f"),
        _tooltip("planner_better_share", "Worlds where the planner wins", ".0%"),
    ]
    y_title = "Value created per yuan spent"
    lines = {"name": "sweep"}
    layers: list[dict[str, Any]] = [
        {
            "data": lines,
            "mark": {"type": "area", "opacity": 0.15},
            "encoding": {
                "color": colour,
                "x": x,
                "y": {"field": "p5", "title": y_title, "type": "quantitative"},
                "y2": {"field": "p95"},
            },
        },
        {
            "data": lines,
            "mark": {"type": "line"},
            "encoding": {
                "color": colour,
                "x": x,
                "y": {"field": "mean", "type": "quantitative"},
            },
        },
        {
            "data": lines,
            "mark": {"type": "point", "filled": True, "opacity": 1, "size": 60},
            "encoding": {
                "color": colour,
                "tooltip": tooltip,
                "x": x,
                "y": {"field": "mean", "type": "quantitative"},
            },
        },
    ]
    datasets: dict[str, Any] = {"sweep": _rows(sweep_frame(sweep))}
    crossing = noise_crossing(sweep)
    marks = []
    if crossing is not None:
        marks.append(("crossing", crossing, f"Lines cross near {crossing:.2f}", [6, 4]))
    if current_noise is not None:
        marks.append(("setting", float(current_noise), f"Your setting: {current_noise:g}", [1, 3]))
    height = 300
    for row, (name, where, label, dash) in enumerate(marks):
        # the crossing is labelled at the top, the reader's setting at the bottom
        datasets[name] = [{"x": where, "label": label}]
        layers += _labelled_rule(
            name,
            dash=dash,
            right=where > 0.7 * max(SWEEP_NOISES),  # keep the label inside the plot
            y=4 if row == 0 else height - 4,
            baseline="top" if row == 0 else "bottom",
            stroke_width=1.5,
        )
    worlds = f"the same {n_draws} simulated worlds" if n_draws else "the same simulated worlds"
    return _spec(
        {"layer": layers, "height": height, "width": 640},
        datasets,
        title="Where the planner's edge runs out",
        subtitle=[
            *textwrap.wrap(
                f"Each point: {worlds}, with only the planner's noise changed. Lines: averages; "
                "bands: the middle 90% of worlds.",
                SUBTITLE_WIDTH,
            ),
            _SIMULATED,
        ],
        description=sweep_sentence(sweep),
        sources=list(SIMULATION_SOURCES),
    )


# --- where the advantage flips, on several settings ------------------------------------------
def flip_frame(**params: Any) -> pd.DataFrame:
    """Sweeps of every setting in :data:`FLIP_VALUES`, one after another, on the same worlds.

    Parameters
    ----------
    **params
        Settings of :func:`~explainer.models.picking_winners.simulate_picking_winners` held
        fixed (the rest at their defaults); a swept setting given here marks the reader's
        value but is not held.

    Returns
    -------
    pandas.DataFrame
        :func:`~explainer.models.picking_winners.sweep`'s rows for every swept setting, plus
        ``label`` (the setting's label), ``Strategy`` and ``current`` (its value in ``params``
        or its default).
    """
    specs = parameter_specs(pw.TABLE, pw.MODEL)
    frames = []
    for name, values in FLIP_VALUES.items():
        held = {k: v for k, v in params.items() if k != name}
        frame = pw.sweep(name, values, **held)
        frame["label"] = specs[name].label
        frame["current"] = float(params.get(name, specs[name].default))
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    out["Strategy"] = out["strategy"].map(STRATEGY_LABELS)
    return out


def flip_points(frame: pd.DataFrame) -> dict[str, float | None]:
    """For each swept setting of a :func:`flip_frame`, where the two lines cross (or None)."""
    return {
        name: pw.crossing(frame[frame["parameter"] == name]) for name in frame["parameter"].unique()
    }


def _leader(frame: pd.DataFrame, name: str) -> tuple[str, float]:
    """Who leads at the reader's value of one swept setting (nearest swept point), and by how
    much (relative gap of the averages)."""
    rows = frame[frame["parameter"] == name]
    current = float(rows["current"].iloc[0])
    nearest = rows.loc[(rows["value"] - current).abs().idxmin(), "value"]
    at = rows[rows["value"] == nearest].set_index("strategy")["value_per_yuan_mean"]
    planner, market = float(at["planner"]), float(at["market"])
    leader = "planner" if planner >= market else "market"
    return leader, max(planner, market) / min(planner, market) - 1.0


def flip_sentence(frame: pd.DataFrame) -> str:
    """Where the advantage flips on each swept setting, in words (the flip chart's description).

    Examples
    --------
    >>> frame = flip_frame(n_firms=500, n_draws=20)
    >>> flip_sentence(frame).split(";")[0][-47:]
    "about 0.52 for planner's noise before investing"
    """
    specs = parameter_specs(pw.TABLE, pw.MODEL)
    parts = []
    for name, where in flip_points(frame).items():
        label = specs[name].label.split(" (")[0].lower()
        if where is None:
            leader, _ = _leader(frame, name)
            parts.append(f"the {leader} leads across the whole range of {label}")
        else:
            parts.append(f"at about {where:.2f} for {label}")
    return (
        "Moving one setting at a time from these settings, the lines cross "
        + "; ".join(parts)
        + ". Where a crossing lies close to the current setting, the outcome is close."
    )


def flip_chart(frame: pd.DataFrame, n_draws: int | None = None) -> FigureSpec:
    """Small multiples: value per yuan of each strategy as each setting of the frame moves.

    One panel per swept setting, with a dashed line where the strategies cross and a dotted
    line at the reader's (or the default) value, so that a reader sees on which axes, and how
    far from the current settings, the advantage flips.
    """
    specs = parameter_specs(pw.TABLE, pw.MODEL)
    colour = _strategy_colour()
    panels = []
    datasets: dict[str, Any] = {}
    for name, where in flip_points(frame).items():
        rows = frame[frame["parameter"] == name]
        spec = specs[name]
        low, high = float(rows["value"].min()), float(rows["value"].max())
        x = {
            "field": "value",
            "scale": {"domain": [low, high], "nice": False},
            "title": f"{spec.label} ({spec.unit})",
            "type": "quantitative",
        }
        tooltip = [
            _tooltip("Strategy"),
            _tooltip("value", spec.label, ".2f"),
            _tooltip("value_per_yuan_mean", "Average value per yuan", ".2f"),
            _tooltip("spent_on_hits_share_mean", "Money reaching hits", ".0%"),
            _tooltip("planner_better_share", "Worlds the planner wins", ".0%"),
        ]
        data = f"flip-{name}"
        datasets[data] = _rows(rows)
        y = {"field": "value_per_yuan_mean", "type": "quantitative"}
        layers: list[dict[str, Any]] = [
            {
                "data": {"name": data},
                "mark": {"type": "line"},
                "encoding": {"color": colour, "x": x, "y": {**y, "title": "Value per yuan"}},
            },
            {
                "data": {"name": data},
                "mark": {"type": "point", "filled": True, "opacity": 1, "size": 50},
                "encoding": {"color": colour, "tooltip": tooltip, "x": x, "y": y},
            },
        ]
        marks = [("now", float(rows["current"].iloc[0]), "Now", [1, 3])]
        if where is not None:
            marks.append(("cross", where, f"Cross {where:.2f}", [6, 4]))
        for row, (kind, at, text, dash) in enumerate(marks):
            datasets[f"{data}-{kind}"] = [{"x": at, "label": text}]
            layers += _labelled_rule(
                f"{data}-{kind}",
                dash=dash,
                right=at > low + 0.6 * (high - low),  # keep the label inside the panel
                y=170 - 4 - 18 * row,
                baseline="bottom",
            )
        panels.append({"layer": layers, "height": 170, "width": 270})
    rows_of_two = [{"hconcat": panels[i : i + 2]} for i in range(0, len(panels), 2)]
    worlds = f"the same {n_draws} simulated worlds" if n_draws else "the same simulated worlds"
    return _spec(
        {"vconcat": rows_of_two},
        datasets,
        title="Where the advantage flips, one setting at a time",
        subtitle=[
            *textwrap.wrap(
                f"Each point: {worlds}, with one setting changed and the others held. Dotted: "
                "the current value; dashed: where the lines cross.",
                SUBTITLE_WIDTH,
            ),
            _SIMULATED,
        ],
        description=flip_sentence(frame),
        sources=list(SIMULATION_SOURCES),
    )
