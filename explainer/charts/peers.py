"""Charts and tables for notebook 5: China's little giants beside its peers.

Each builder draws a tidy table from :mod:`explainer.peers` and returns a chart made with
:func:`explainer.charts.sourced` (title, source line, text description) or a projector table
(:func:`explainer.text.reading_table`). Nothing is computed here that a reader cannot find in
:mod:`explainer.peers` or ``data/``.

A chart builder returns a :class:`explainer.charts.Figure`: shown from the cache when the
same figure was drawn before (by any kernel), built otherwise. Its ``.chart`` is the Altair
chart; Altair's methods (``to_dict``, ``properties``, ...) work on the figure directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import altair as alt
import pandas as pd

from explainer import peers
from explainer.charts import PALETTE, kept_figure, sourced
from explainer.data import load_table
from explainer.text import reading_table

__all__ = [
    "CHOOSER_COLOURS",
    "evidence_table",
    "line_chart",
    "model_table",
    "rounds_table",
    "scale_chart",
    "schemes_table",
    "support_chart",
]

#: One colour per answer to "who chooses?", the same in every chart of the notebook.
CHOOSER_COLOURS = {"nobody": PALETTE[2], "state ex post": PALETTE[4], "state ex ante": PALETTE[5]}

#: One colour per kind of support figure.
_KIND_COLOURS = {
    "maximum": PALETTE[0],
    "average under assumptions": PALETTE[3],
    "none found": "#999999",
}


def _cite(ids: Iterable[str]) -> str:
    return ", ".join(ids)


def _table(frame: pd.DataFrame, widths: Mapping[str, str] | None = None) -> Any:
    """A projector table, rows aligned at the top and kept out of MathJax's reach."""
    widths = {k: v for k, v in (widths or {}).items() if k in frame.columns}
    return (
        reading_table(frame, widths=widths)
        .aligned_top()
        .with_classes("tex2jax_ignore lg-reading-table")
    )


def _chooser_colour() -> alt.Color:
    return alt.Color(
        "who_chooses:N",
        title="Who chooses",
        scale=alt.Scale(domain=list(CHOOSER_COLOURS), range=list(CHOOSER_COLOURS.values())),
        legend=alt.Legend(orient="top", direction="horizontal"),
    )


# --- tables -------------------------------------------------------------------------------------


def schemes_table(columns: Iterable[str] | None = None) -> Any:
    """The five designs side by side (``peer_schemes.csv``) as a projector table.

    ``columns`` picks some of :func:`explainer.peers.side_by_side`'s columns (all by default);
    a *Sources* column is always added.
    """
    table = peers.side_by_side()
    shown = table[list(columns)] if columns else table.drop(columns="source_ids")
    shown = shown.assign(Sources=table["source_ids"].map(_cite))
    widths = {"Criteria": "18em", "How many firms": "14em", "Support": "14em", "Review": "12em"}
    return _table(shown, widths)


def rounds_table() -> Any:
    """Japan's and Korea's rounds: applicants and firms named, both sources where they differ."""
    rounds = peers.named_rounds()
    rounds = rounds[rounds["scheme"] != peers.CHINA]
    labels = peers.schemes().set_index("id")["label"]
    shown = pd.DataFrame(
        {
            "Scheme": rounds["scheme"].map(labels),
            "Year": rounds["year"],
            "Applicants": rounds["applicants"],
            "Applicants (other source)": rounds["applicants_alt"],
            "Firms named": rounds["firms"],
            "Named (other source)": rounds["firms_alt"],
            "Sources": rounds["source_ids"].map(_cite),
        }
    )
    return _table(shown)


def evidence_table(scheme: str | None = None) -> Any:
    """What is known of outcomes (``peer_evidence.csv``), for one design or all.

    Raises
    ------
    ValueError
        If ``scheme`` is given and is not a design in ``peer_schemes.csv``.
    """
    evidence = load_table("peer_evidence").sort_values("order")
    labels = peers.schemes().set_index("id")["label"]
    if scheme is not None:
        if scheme not in labels.index:
            raise ValueError(f"scheme must be one of {', '.join(labels.index)} (got {scheme!r})")
        evidence = evidence[evidence["scheme"] == scheme]
    shown = pd.DataFrame(
        {
            "Scheme": evidence["scheme"].map(labels),
            "Evidence": evidence["study_or_source"],
            "What it found": evidence["finding"],
            "What it can show": evidence["shows"],
            "Sources": evidence["source_ids"].map(_cite),
            "Caution": evidence["note"],
        }
    )
    return _table(shown, {"What it found": "22em", "Caution": "16em"})


def model_table(runs: pd.DataFrame | None = None) -> Any:
    """Each design's stand-in in notebook 4's model, its settings and what the model gives.

    ``runs`` is :func:`explainer.peers.design_runs`'s table (computed if not given).
    """
    runs = peers.design_runs() if runs is None else runs
    designs = peers.schemes().set_index("id")
    shown = pd.DataFrame(
        {
            "Design": runs["label"],
            "Stands in the model for": runs["scheme"].map(designs["model_stand_in"]),
            "Settings (others at default)": runs["settings"],
            "Planner: value per yuan": runs["planner_value_per_yuan"].round(2),
            "Market: value per yuan": runs["market_value_per_yuan"].round(2),
            "What the model cannot say": runs["scheme"].map(designs["model_cannot_say"]),
        }
    )
    return _table(shown, {"Stands in the model for": "16em", "What the model cannot say": "18em"})


# --- charts -------------------------------------------------------------------------------------


@kept_figure
def line_chart() -> alt.LayerChart:
    """The five designs on a line from "recognise proven winners" to "pick future winners"."""
    table = _with_chart_labels(peers.schemes())
    ends = pd.DataFrame(
        {
            "x": [1, 5],
            "text": ["Recognise proven winners", "Pick future winners"],
            "align": ["left", "right"],
        }
    )
    x = alt.X(
        "line_position:Q",
        title="From recognising results (left) to picking promise (right)",
        scale=alt.Scale(domain=[0.5, 5.5]),
        axis=alt.Axis(values=list(peers.LINE_LABELS), labels=False, ticks=False, grid=False),
    )
    rule = alt.Chart(pd.DataFrame({"x": [1], "x2": [5]})).mark_rule(color="#888888", strokeWidth=2)
    dots = (
        alt.Chart(table)
        .mark_point(size=400, filled=True)
        .encode(
            x=x,
            y=alt.value(70),
            color=_chooser_colour(),
            tooltip=[
                alt.Tooltip("label:N", title="Design"),
                alt.Tooltip("who_chooses:N", title="Who chooses"),
                alt.Tooltip("chooser_sees:N", title="The chooser sees"),
                alt.Tooltip("line_label:N", title="Place on the line"),
            ],
        )
    )
    names = (
        alt.Chart(table)
        .mark_text(fontSize=14, dy=-28, lineBreak="|")
        .encode(x=x, y=alt.value(70), text="chart_label:N")
    )
    sees = (
        alt.Chart(table)
        .mark_text(fontSize=13, dy=30, color="#333333")
        .encode(x=x, y=alt.value(70), text="chooser_sees:N")
    )
    end_text = (
        alt.Chart(ends)
        .mark_text(fontSize=15, fontWeight="bold", dy=0)
        .encode(x=alt.X("x:Q", scale=alt.Scale(domain=[0.5, 5.5])), y=alt.value(150), text="text:N")
    )
    base = rule.encode(
        x=alt.X("x:Q", scale=alt.Scale(domain=[0.5, 5.5])), x2="x2:Q", y=alt.value(70)
    )
    chart = alt.layer(base, dots, names, sees, end_text).properties(width=720, height=170)
    placed = sorted(zip(table["line_position"], table["label"]))
    order = "; ".join(f"{p}. {label}" for p, label in placed)
    description = (
        "The five designs on one line, from recognising winners the market has already found "
        f"(left) to picking future winners (right): {order}. Below each dot, what its chooser "
        "judges: results, results and plans, or plans and promise. The placing is our "
        "classification, from who chooses and what the chooser sees."
    )
    return sourced(
        chart,
        title="Recognise proven winners, or pick future ones?",
        subtitle="Our classification (an assumption) from each design's rules; colour: who chooses",
        description=description,
        sources=[table],
    )


def _with_chart_labels(table: pd.DataFrame) -> pd.DataFrame:
    return table.assign(chart_label=[s.replace(": ", ":|", 1) for s in table["label"]])


@kept_figure
def scale_chart() -> alt.VConcatChart:
    """Firms named per year and firms holding the label, both per 10,000 SMEs."""
    table = peers.scale_table()
    designs = peers.schemes().set_index("id")
    table = table.assign(who_chooses=table["scheme"].map(designs["who_chooses"]))
    order = table["label"].tolist()
    y = alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=360))
    yearly = table.dropna(subset=["named_per_year_per_10k"])
    top = _scale_bars(
        yearly,
        y,
        "named_per_year_per_10k",
        "Firms named a year, per 10,000 SMEs",
        [alt.Tooltip("named_per_year:Q", title="Firms named a year", format=",.0f")],
    )
    bottom = _scale_bars(
        table,
        y,
        "holding_per_10k",
        "Firms holding the label now, per 10,000 SMEs",
        [
            alt.Tooltip("holding:Q", title="Firms holding it", format=","),
            alt.Tooltip("holding_counted_as:N", title="Counted as"),
        ],
    )
    chart = alt.vconcat(top, bottom, spacing=28)
    china = table.set_index("scheme").loc[peers.CHINA]
    germany = table.set_index("scheme").loc["germany-hidden-champions"]
    others = table.set_index("scheme").drop(index=peers.CHINA)["named_per_year_per_10k"].dropna()
    low, high = (
        china["named_per_year_per_10k"] / others.max(),
        china["named_per_year_per_10k"] / others.min(),
    )
    description = (
        f"Top: firms named a year per {peers.PER_SMES:,} SMEs. China names about "
        f"{china['named_per_year_per_10k']:.2f} a year per {peers.PER_SMES:,} SMEs, {low:.0f} to "
        f"{high:.0f} times the rate of Japan's or Korea's schemes. Bottom: firms holding the "
        f"label now per {peers.PER_SMES:,} SMEs: China's {china['holding']:,} little giants make "
        f"{china['holding_per_10k']:.1f}, close to the density of Germany's hidden champions by "
        f"Simon's count ({germany['holding_per_10k']:.1f}), which nobody named. Germany has no "
        "yearly rate because no one names its firms."
    )
    return sourced(
        chart,
        title="Scale compared fairly: per 10,000 SMEs",
        subtitle=[
            "SME counts: Germany 2022, the others 2021; firms holding the label: the latest count",
            "in data/. SME definitions differ by country: read orders of magnitude, not decimals",
        ],
        description=description,
        sources=[table],
    )


def _scale_bars(
    table: pd.DataFrame, y: alt.Y, field: str, title: str, extra: list[alt.Tooltip]
) -> alt.LayerChart:
    bars = (
        alt.Chart(table)
        .mark_bar(size=26)
        .encode(
            x=alt.X(f"{field}:Q", title=title),
            y=y,
            color=_chooser_colour(),
            tooltip=[
                alt.Tooltip("label:N", title="Design"),
                alt.Tooltip(f"{field}:Q", title=title, format=".2f"),
                *extra,
                alt.Tooltip("smes:Q", title="SMEs in the country", format=","),
            ],
        )
    )
    labels = (
        alt.Chart(table)
        .mark_text(align="left", dx=6, fontSize=14)
        .encode(x=f"{field}:Q", y=y, text=alt.Text(f"{field}:Q", format=".2f"))
    )
    return alt.layer(bars, labels).properties(width=520, height=alt.Step(40))


@kept_figure
def support_chart(rates: Mapping[str, float] | None = None) -> alt.LayerChart:
    """Money per named firm per year in million euros, at the given currency rates.

    ``rates``: units per euro for ``KRW``, ``JPY`` and ``CNY`` (see
    :func:`explainer.peers.currency_rates`); the subtitle names the rates used, and says
    whether they are our assumptions or the reader's.
    """
    table = peers.support_per_firm(rates)
    table["shown"] = [
        "none found" if kind == "none found" else f"{value:.2f}"
        for kind, value in zip(table["kind"], table["eur_per_year_m"])
    ]
    currencies = peers.currency_rates(rates).set_index("currency")
    order = table["label"].tolist()
    y = alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=360))
    bars = (
        alt.Chart(table)
        .mark_bar(size=26)
        .encode(
            x=alt.X("eur_per_year_m:Q", title="Million euros per firm per year"),
            y=y,
            color=alt.Color(
                "kind:N",
                title="Figure",
                scale=alt.Scale(domain=list(_KIND_COLOURS), range=list(_KIND_COLOURS.values())),
                legend=alt.Legend(orient="top", direction="horizontal"),
            ),
            tooltip=[
                alt.Tooltip("label:N", title="Design"),
                alt.Tooltip("eur_per_year_m:Q", title="Million euros a year", format=".2f"),
                alt.Tooltip(
                    "local_per_year_m:Q", title="Millions in own currency a year", format=",.2f"
                ),
                alt.Tooltip("currency:N", title="Currency"),
                alt.Tooltip("kind:N", title="Figure"),
            ],
        )
    )
    labels = (
        alt.Chart(table)
        .mark_text(align="left", dx=6, fontSize=14)
        .encode(x="eur_per_year_m:Q", y=y, text="shown:N")
    )
    chart = alt.layer(bars, labels).properties(width=520, height=alt.Step(44))
    used = [f"{c} {currencies.loc[c, 'per_euro']:,g}" for c in ("KRW", "JPY", "CNY")]
    mine = [c for c in ("KRW", "JPY", "CNY") if currencies.loc[c, "basis"] != "assumption"]
    note = (
        f"{', '.join(mine)} set by the reader; the rest our assumptions"
        if mine
        else "our assumptions, not official rates"
    )
    top = table.sort_values("eur_per_year_m").iloc[-1]
    description = (
        f"Money per named firm per year, in million euros: {top['label']} offers the most, up "
        f"to {top['eur_per_year_m']:.2f}. Korea's bars are the most a firm could get; China's is "
        "an average for a funded key firm under notebook 3's default assumptions; Japan's and "
        "Germany's schemes carry no money we could find. Rates per euro: "
        f"{', '.join(used)} ({note})."
    )
    return sourced(
        chart,
        title="Support per firm, in one currency",
        subtitle=f"Units per euro: {', '.join(used)} ({note})",
        description=description,
        sources=[table],
    )
