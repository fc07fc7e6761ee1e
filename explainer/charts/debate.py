"""Charts and tables of the debate: state-led picking against a market of many small bets.

Two kinds of output, for notebook 04 (*State-led versus Silicon Valley*):

- **The argument and evidence tables** (:func:`arguments_table`, :func:`evidence_table`), read
  from ``data/debate_arguments.csv`` and ``data/debate_evidence.csv`` and laid out for a
  projector or a printed handout.
- **The simulation's figures.** :func:`outcomes_chart` shows what each strategy of
  :func:`~explainer.models.picking_winners.simulate_picking_winners` achieved (a dot for the
  average over the simulated worlds, a bar for the middle 90% of them); :func:`sweep_chart`
  shows where the planner's advantage runs out as its signal noise grows.

Why the outcomes figure also comes drawn in Python (:func:`outcomes_figure`): the panel
redraws it on every slider move, and Vega's renderer takes 30–150 ms a figure on a small
machine (most of it measuring text), which alone would break the 60 ms budget of an update.
The Python drawing takes about a millisecond and carries the same title, subtitle, source line,
description and numbers as the Altair chart; the tests check that the two agree. The sweep is
drawn only when a reader asks for it, so it stays an ordinary Altair chart.

Examples
--------
>>> from explainer.models.picking_winners import simulate_picking_winners
>>> result = simulate_picking_winners(n_firms=500, n_draws=20)
>>> frame = outcome_frame(result)
>>> sorted(frame["strategy"].unique()), len(frame)
(['market', 'planner'], 6)
>>> outcomes_figure(result).title
'What each strategy achieved in 20 simulated worlds'
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from explainer.charts import FONT, PALETTE, SUBTITLE_WIDTH, sourced
from explainer.data import load_table
from explainer.models import picking_winners as pw
from explainer.models.picking_winners import SimulationResult
from explainer.parameters import parameter_specs
from explainer.sources import collect_ids, short_citation, source_line
from explainer.text import escape_dollars, reading_table

__all__ = [
    "DIRECTIONS",
    "FLIP_AXES",
    "FLIP_VALUES",
    "OUTCOMES",
    "SIMULATION_SOURCES",
    "STRATEGY_COLOURS",
    "STRATEGY_LABELS",
    "SWEEP_NOISES",
    "OutcomesFigure",
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
    "outcomes_figure",
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
        .set_properties(**{"vertical-align": "top"})
        .set_table_attributes('class="tex2jax_ignore lg-reading-table"')
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
        ``is_share`` and ``shown`` (the numbers as the figure prints them).
    """
    return pd.DataFrame(_outcome_records(result))


def _outcome_records(result: SimulationResult) -> list[dict[str, Any]]:
    """The rows of :func:`outcome_frame` as plain dicts (a panel redraws from these directly:
    pandas indexing would cost more than drawing the figure)."""
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
    for output, heading in OUTCOMES.items():
        for strategy, label in STRATEGY_LABELS.items():
            mean, p5, p95 = (float(v) for v in lookup[(output, strategy)])
            share = output in _SHARES
            rows.append(
                {
                    "output": output,
                    "outcome": heading,
                    "strategy": strategy,
                    "Strategy": label,
                    "mean": mean,
                    "p5": p5,
                    "p95": p95,
                    "is_share": share,
                    "shown": f"{_number(mean, share)} ({_number(p5, share)} to "
                    f"{_number(p95, share)})",
                }
            )
    return rows


def _number(value: float, share: bool) -> str:
    return f"{100 * value:.0f}%" if share else f"{value:.2f}"


def _outcome_words(result: SimulationResult, records: list[dict[str, Any]]) -> dict[str, Any]:
    """Title, subtitle, description and sources, shared by the Altair and the Python figure."""
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


def outcomes_chart(result: SimulationResult) -> alt.VConcatChart:
    """Dot-and-bar chart of value per yuan, hits funded and money on failing firms, by strategy.

    The Altair form, for a notebook cell, a handout or a test; :func:`outcomes_figure` draws the
    same figure faster for the panel.
    """
    records = _outcome_records(result)
    frame = pd.DataFrame(records)
    words = _outcome_words(result, records)
    colour = alt.Color(
        "Strategy:N",
        legend=None,
        scale=alt.Scale(
            domain=list(STRATEGY_LABELS.values()), range=list(STRATEGY_COLOURS.values())
        ),
    )
    panels = []
    for output, heading in OUTCOMES.items():
        part = frame[frame["output"] == output]
        share = output in _SHARES
        upper = _axis_max(part["p95"], share)
        x = alt.X(
            "mean:Q",
            title=None,
            scale=alt.Scale(domain=[0, upper], nice=False),
            axis=alt.Axis(format=".0%" if share else ".1f", tickCount=6),
        )
        y = alt.Y("Strategy:N", title=None, sort=list(STRATEGY_LABELS.values()))
        tooltip = [
            alt.Tooltip("Strategy:N"),
            alt.Tooltip("mean:Q", title="Average", format=".1%" if share else ".2f"),
            alt.Tooltip("p5:Q", title="5th percentile", format=".1%" if share else ".2f"),
            alt.Tooltip("p95:Q", title="95th percentile", format=".1%" if share else ".2f"),
        ]
        base = alt.Chart(part)
        layers = [
            base.mark_rule(strokeWidth=8, opacity=0.45).encode(
                x=alt.X("p5:Q", scale=alt.Scale(domain=[0, upper], nice=False)),
                x2="p95:Q",
                y=y,
                color=colour,
                tooltip=tooltip,
            ),
            base.mark_point(size=220, filled=True, opacity=1).encode(
                x=x, y=y, color=colour, tooltip=tooltip
            ),
            base.mark_text(align="left", dx=14, fontSize=14, color="#222222").encode(
                x=alt.X("p95:Q", scale=alt.Scale(domain=[0, upper], nice=False)),
                y=y,
                text="shown:N",
            ),
        ]
        if output == "value_per_yuan":
            layers.insert(
                0,
                alt.Chart(pd.DataFrame({"x": [1.0], "label": ["breaks even"]}))
                .mark_rule(strokeDash=[4, 4], color="#666666")
                .encode(x="x:Q", tooltip=[alt.Tooltip("label:N", title="Value = money spent")]),
            )
        panels.append(
            alt.layer(*layers).properties(
                width=560,
                height=80,
                title=alt.TitleParams(heading, fontSize=16, anchor="start"),
            )
        )
    chart = alt.vconcat(*panels, spacing=18).resolve_scale(x="independent")
    return sourced(chart, **words)


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


@dataclass(frozen=True)
class OutcomesFigure:
    """The outcomes figure drawn as inline SVG in Python, for a panel that redraws often.

    ``svg`` is the figure; the other fields say what it shows, so that code and tests can read
    it without parsing the drawing. :meth:`to_html` wraps it like
    :func:`explainer.charts.figure_html` does a chart.
    """

    title: str
    subtitle: tuple[str, ...]
    source_line: str
    description: str
    source_ids: tuple[str, ...]
    data: pd.DataFrame = field(repr=False)
    svg: str = field(repr=False)

    def to_html(self) -> str:
        """The figure with its description as a caption."""
        return (
            '<figure class="lg-figure tex2jax_ignore" '
            'style="margin:0 0 1em 0;max-width:100%;overflow-x:auto">'
            f'{self.svg}<figcaption style="font-size:15px;color:#333;max-width:820px;'
            f'margin-top:4px"><strong>Chart description.</strong> '
            f"{html.escape(self.description)}</figcaption></figure>"
        )


def outcomes_figure(result: SimulationResult) -> OutcomesFigure:
    """The same figure as :func:`outcomes_chart`, drawn as SVG in about a millisecond."""
    records = _outcome_records(result)
    words = _outcome_words(result, records)
    esc = html.escape
    width, left, plot_left, plot_right = 840, 12, 130, 640  # <= 840 px: no shrinking in Lab
    row, panel_gap = 32, 22
    lines = [*words["subtitle"], *_wrap(source_line(words["sources"]))]
    top = 34 + 20 * len(lines) + 16
    height = top + len(OUTCOMES) * (30 + 2 * row + 34 + panel_gap)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{esc(words["title"])}" '
        f'font-family="{esc(FONT)}">',
        f"<title>{esc(words['title'])}</title>",
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="{left}" y="28" font-size="22" font-weight="bold">{esc(words["title"])}</text>',
    ]
    for index, line in enumerate(lines):
        parts.append(
            f'<text x="{left}" y="{54 + 20 * index}" font-size="15" fill="#333333">'
            f"{esc(line)}</text>"
        )
    y0 = top
    for output, heading in OUTCOMES.items():
        part = [r for r in records if r["output"] == output]
        share = output in _SHARES
        upper = _axis_max([r["p95"] for r in part], share)

        def x_of(value: float, upper: float = upper) -> float:
            return plot_left + (plot_right - plot_left) * min(max(value / upper, 0.0), 1.0)

        parts.append(
            f'<text x="{left}" y="{y0 + 18}" font-size="16" font-weight="bold">'
            f"{esc(heading)}</text>"
        )
        axis_y = y0 + 30 + 2 * row
        for tick in _ticks(upper):
            tx = x_of(tick)
            label = f"{100 * tick:.0f}%" if share else f"{tick:g}"
            parts.append(
                f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{y0 + 30}" y2="{axis_y}" '
                f'stroke="#e6e6e6"/><text x="{tx:.1f}" y="{axis_y + 18}" font-size="14" '
                f'text-anchor="middle" fill="#222222">{esc(label)}</text>'
            )
        parts.append(
            f'<line x1="{plot_left}" x2="{plot_right}" y1="{axis_y}" y2="{axis_y}" '
            'stroke="#888888"/>'
        )
        if output == "value_per_yuan" and upper >= 1:
            bx = x_of(1.0)
            parts.append(
                f'<line x1="{bx:.1f}" x2="{bx:.1f}" y1="{y0 + 26}" y2="{axis_y}" '
                'stroke="#666666" stroke-dasharray="4 4"><title>Breaks even: value created '
                "equals money spent</title></line>"
                f'<text x="{bx + 4:.1f}" y="{y0 + 30}" font-size="12" fill="#666666">'
                "breaks even</text>"
            )
        for position, item in enumerate(part):
            cy = y0 + 30 + row * position + row / 2
            colour = STRATEGY_COLOURS[item["strategy"]]
            label, mean, p5, p95 = item["Strategy"], item["mean"], item["p5"], item["p95"]
            tip = (
                f"{label} · {heading}: average {_number(mean, share)}; middle 90% "
                f"of worlds {_number(p5, share)} to {_number(p95, share)}"
            )
            parts.append(
                f'<text x="{plot_left - 12}" y="{cy + 5:.1f}" font-size="15" text-anchor="end" '
                f'fill="#222222">{esc(label)}</text>'
                f'<line x1="{x_of(p5):.1f}" x2="{x_of(p95):.1f}" y1="{cy:.1f}" '
                f'y2="{cy:.1f}" stroke="{colour}" stroke-width="8" stroke-opacity="0.45" '
                f'stroke-linecap="butt"><title>{esc(tip)}</title></line>'
                f'<circle cx="{x_of(mean):.1f}" cy="{cy:.1f}" r="8" fill="{colour}" '
                f'stroke="white" stroke-width="1.5"><title>{esc(tip)}</title></circle>'
                f'<text x="{plot_right + 14}" y="{cy + 5:.1f}" font-size="15" '
                f'fill="#222222">{esc(item["shown"])}</text>'
            )
        y0 = axis_y + 34 + panel_gap
    parts.append("</svg>")
    return OutcomesFigure(
        title=words["title"],
        subtitle=tuple(words["subtitle"]),
        source_line=source_line(words["sources"]),
        description=words["description"],
        source_ids=tuple(words["sources"]),
        data=pd.DataFrame(records),
        svg="".join(parts),
    )


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, SUBTITLE_WIDTH)


def _ticks(upper: float) -> list[float]:
    step = _nice_step(upper / 5)
    return [round(step * k, 10) for k in range(round(upper / step) + 1)]


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
    at: float,
    label: str,
    dash: list[int],
    *,
    right: bool,
    y: float,
    baseline: str,
    stroke_width: float = 1.0,
) -> list[alt.Chart]:
    """A vertical line at ``at`` with its label beside it (left of the line when ``right``, so
    the label stays inside the plot), at height ``y``; hovering the line names it."""
    rule = pd.DataFrame({"x": [at], "label": [label]})
    line = (
        alt.Chart(rule)
        .mark_rule(color="#000000", strokeWidth=stroke_width, strokeDash=dash)
        .encode(x="x:Q", tooltip=[alt.Tooltip("label:N", title="Line")])
    )
    text = (
        alt.Chart(rule)
        .mark_text(
            align="right" if right else "left",
            dx=-5 if right else 5,
            baseline=baseline,
            fontSize=14,
            color="#222222",
        )
        .encode(x="x:Q", y=alt.value(y), text="label:N")
    )
    return [line, text]


def _strategy_colour() -> alt.Color:
    """The planner in blue and the market in orange, with a line legend under the chart."""
    scale = alt.Scale(domain=list(STRATEGY_LABELS.values()), range=list(STRATEGY_COLOURS.values()))
    legend = alt.Legend(
        orient="bottom",
        direction="horizontal",
        symbolType="stroke",
        symbolStrokeWidth=4,
        symbolOpacity=1,
    )
    return alt.Color("Strategy:N", title=None, scale=scale, legend=legend)


def sweep_chart(
    sweep: pd.DataFrame, *, current_noise: float | None = None, n_draws: int | None = None
) -> alt.LayerChart:
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
    frame = sweep_frame(sweep)
    colour = _strategy_colour()
    x = alt.X(
        "planner_noise:Q",
        title="Planner's noise before investing (times the spread)",
        scale=alt.Scale(domain=[min(SWEEP_NOISES), max(SWEEP_NOISES)], nice=False),
    )
    y_title = "Value created per yuan spent"
    tooltip = [
        alt.Tooltip("Strategy:N"),
        alt.Tooltip("planner_noise:Q", title="Planner's noise", format=".2f"),
        alt.Tooltip("mean:Q", title="Average value per yuan", format=".2f"),
        alt.Tooltip("p5:Q", title="5th percentile", format=".2f"),
        alt.Tooltip("p95:Q", title="95th percentile", format=".2f"),
        alt.Tooltip("planner_better_share:Q", title="Worlds where the planner wins", format=".0%"),
    ]
    base = alt.Chart(frame)
    layers: list[Any] = [
        base.mark_area(opacity=0.15).encode(
            x=x,
            y=alt.Y("p5:Q", title=y_title),
            y2="p95:Q",
            color=colour,
        ),
        base.mark_line().encode(x=x, y="mean:Q", color=colour),
        base.mark_point(size=60, filled=True, opacity=1).encode(
            x=x, y="mean:Q", color=colour, tooltip=tooltip
        ),
    ]
    crossing = noise_crossing(sweep)
    marks = []
    if crossing is not None:
        marks.append((crossing, f"Lines cross near {crossing:.2f}", [6, 4]))
    if current_noise is not None:
        marks.append((float(current_noise), f"Your setting: {current_noise:g}", [1, 3]))
    height = 300
    for row, (where, label, dash) in enumerate(marks):
        # the crossing is labelled at the top, the reader's setting at the bottom
        layers += _labelled_rule(
            where,
            label,
            dash,
            right=where > 0.7 * max(SWEEP_NOISES),  # keep the label inside the plot
            y=4 if row == 0 else height - 4,
            baseline="top" if row == 0 else "bottom",
            stroke_width=1.5,
        )
    worlds = f"the same {n_draws} simulated worlds" if n_draws else "the same simulated worlds"
    return sourced(
        alt.layer(*layers).properties(width=640, height=height),
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


def flip_chart(frame: pd.DataFrame, n_draws: int | None = None) -> alt.VConcatChart:
    """Small multiples: value per yuan of each strategy as each setting of the frame moves.

    One panel per swept setting, with a dashed line where the strategies cross and a dotted
    line at the reader's (or the default) value, so that a reader sees on which axes, and how
    far from the current settings, the advantage flips.
    """
    specs = parameter_specs(pw.TABLE, pw.MODEL)
    colour = _strategy_colour()
    panels = []
    for name, where in flip_points(frame).items():
        rows = frame[frame["parameter"] == name]
        spec = specs[name]
        x = alt.X(
            "value:Q",
            title=f"{spec.label} ({spec.unit})",
            scale=alt.Scale(
                domain=[float(rows["value"].min()), float(rows["value"].max())], nice=False
            ),
        )
        tooltip = [
            alt.Tooltip("Strategy:N"),
            alt.Tooltip("value:Q", title=spec.label, format=".2f"),
            alt.Tooltip("value_per_yuan_mean:Q", title="Average value per yuan", format=".2f"),
            alt.Tooltip("spent_on_hits_share_mean:Q", title="Money reaching hits", format=".0%"),
            alt.Tooltip("planner_better_share:Q", title="Worlds the planner wins", format=".0%"),
        ]
        base = alt.Chart(rows)
        layers: list[Any] = [
            base.mark_line().encode(
                x=x, y=alt.Y("value_per_yuan_mean:Q", title="Value per yuan"), color=colour
            ),
            base.mark_point(size=50, filled=True, opacity=1).encode(
                x=x, y="value_per_yuan_mean:Q", color=colour, tooltip=tooltip
            ),
        ]
        marks = [(float(rows["current"].iloc[0]), "Now", [1, 3])]
        if where is not None:
            marks.append((where, f"Cross {where:.2f}", [6, 4]))
        low, high = float(rows["value"].min()), float(rows["value"].max())
        for row, (at, text, dash) in enumerate(marks):
            layers += _labelled_rule(
                at,
                text,
                dash,
                right=at > low + 0.6 * (high - low),  # keep the label inside the panel
                y=170 - 4 - 18 * row,
                baseline="bottom",
            )
        panels.append(alt.layer(*layers).properties(width=270, height=170))
    rows_of_two = [alt.hconcat(*panels[i : i + 2]) for i in range(0, len(panels), 2)]
    worlds = f"the same {n_draws} simulated worlds" if n_draws else "the same simulated worlds"
    return sourced(
        alt.vconcat(*rows_of_two),
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
