"""The picking-winners panel: a planner against a market, with sliders for every assumption.

:class:`PickingWinnersPanel` joins
:func:`~explainer.models.picking_winners.simulate_picking_winners` to the outcomes figure of
:mod:`explainer.charts.debate`. It is a :class:`~explainer.widgets.base.Panel`, so code drives
it the way a reader does:

>>> panel = PickingWinnersPanel(n_draws=20)
>>> panel.set(sector_bias=2.0, n_firms=500, market_coverage=0.4)
>>> panel.values["sector_bias"], panel.result.n_first_bets
(2.0, 200)
>>> panel.summary.startswith("In these 20 simulated worlds")
True
>>> panel.set(market_coverage=1.5)
Traceback (most recent call last):
...
ValueError: market_coverage must be between 0.01 and 1 (got 1.5)

Like the explorer panels of notebook 03 it saves and loads **scenario files**, with the same
format and checks (:meth:`~explainer.widgets.explorer.ExplorerPanel.export_scenario`):

>>> scenario = panel.export_scenario()
>>> scenario["model"], scenario["values"]["sector_bias"]
('simulate_picking_winners', 2.0)
>>> panel.reset()
>>> panel.import_scenario(scenario)
>>> panel.values["sector_bias"]
2.0

Three choices, each for a reason:

- **Every setting is independent of the others.** The market's first bets are a share of the
  start-ups (``market_coverage``), not a count, so no combination of sliders is invalid; from
  code, :meth:`PickingWinnersPanel.set` refuses a value outside its record's range with a
  ``ValueError`` and changes nothing.
- **The noise sweep is drawn when the panel opens and redrawn on request.** It runs the model
  13 times, too many for every slider move, so after a change it is redrawn only when the
  reader presses *Draw the sweep* (:meth:`PickingWinnersPanel.draw_sweep`), with at most
  :data:`SWEEP_MAX_DRAWS` worlds. Until then a note says which settings it was drawn for.
- **The outcomes figure is drawn by the live view**, like the explorer panels' charts: its
  structure (:data:`explainer.charts.debate.OUTCOMES_CHART`) is compiled once and each move
  hands the view six rows and the words (:func:`explainer.charts.debate.outcomes_frame`), so
  a move costs the model's time and a kilobyte or two; the sizes (start-ups, worlds) update
  when the slider is released rather than while it is dragged.

:func:`assumptions_table` shows every setting's record (label, unit, default, range, meaning,
basis) as a table to read beside the panel.
"""

from __future__ import annotations

import functools
import html
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from explainer.charts import debate as debate_charts
from explainer.charts.frames import ChartFrame
from explainer.models import picking_winners as pw
from explainer.models.picking_winners import SimulationResult, noise_sweep
from explainer.parameters import ParameterSpec, parameter_specs, validate_value
from explainer.text import reading_table
from explainer.widgets.base import (
    LABEL_WIDTH,
    ChartView,
    Panel,
    describe_spec,
    panel_box,
    records_table,
)
from explainer.widgets.explorer import ExplorerPanel, scenario_message, scenario_upload

__all__ = ["GROUPS", "SWEEP_MAX_DRAWS", "PickingWinnersPanel", "assumptions_table"]

#: The sliders in four groups, in the order a reader meets the ideas.
GROUPS = {
    "The start-ups": ("n_firms", "tail_sigma", "favoured_share", "favoured_premium"),
    "The planner": ("planner_noise", "sector_bias", "concentration"),
    "The market": ("market_coverage", "market_noise", "first_bet_share"),
    "Money and simulated worlds": ("budget", "firm_capital_need", "n_draws", "seed"),
}
#: The sweep averages over at most this many worlds (fewer if the panel uses fewer).
SWEEP_MAX_DRAWS = 200
#: Settings that change the model's size: their sliders update on release, not while dragged.
_SIZES = ("n_firms", "n_draws")
_INTRO = (
    "A thinking tool, not a forecast: every number below follows from the assumptions in the "
    "table under the panel, none of them measured from China's programme."
)


def assumptions_table(specs: Mapping[str, ParameterSpec] | None = None) -> Any:
    """Every setting of the simulation with its unit, default, range, meaning and basis.

    :func:`explainer.widgets.base.records_table`'s rows, laid out for reading
    (:func:`explainer.text.reading_table`), with each default written as it is typed (``0.3``,
    ``2022``) rather than in a column format that suits none of them.

    Parameters
    ----------
    specs : mapping, optional
        The records to show (default: those of ``data/parameters_simulation.csv``).
    """
    specs = parameter_specs(pw.TABLE, pw.MODEL) if specs is None else specs
    frame = records_table(specs).data.copy()
    frame["Default"] = [v if isinstance(v, str) else f"{v:g}" for v in frame["Default"]]
    return reading_table(frame, widths={"What it means": "24em"})


class PickingWinnersPanel(Panel):
    """Sliders for every assumption of the picking-winners model, its outcomes and a sweep.

    Parameters
    ----------
    **values
        Starting settings, as for :meth:`set` (every other setting takes its default).

    Attributes
    ----------
    result : SimulationResult
        The model's result at the current settings.
    summary : str
        The one-sentence result (:meth:`SimulationResult.summary_sentence`).
    chart_view : ChartView
        Draws the outcomes figure: ``chart_view.frame`` holds its data and words (a
        :class:`~explainer.charts.frames.ChartFrame`), ``chart_view.chart`` its Vega-Lite spec.
    sweep : pandas.DataFrame or None
        The last noise sweep (:func:`~explainer.models.picking_winners.noise_sweep`).
    sweep_settings : dict or None
        The settings the sweep was drawn for (``n_draws`` as used, at most
        :data:`SWEEP_MAX_DRAWS`).
    sweep_view : ChartView
        Holds the sweep chart (``sweep_view.chart``).
    sweep_summary : str
        Where the planner's edge runs out, in words.
    export_button, upload, scenario_message : ipywidgets widgets
        Save the settings to a scenario file (downloaded, with a copy in
        ``export_folder``, default :func:`~explainer.widgets.explorer.scenario_folder`), load
        one, and what the last save or load did (see :meth:`export_scenario` and
        :meth:`import_scenario`, shared with the explorer panels).
    """

    title = "Picking winners: a planner against a market"
    #: The model's name in scenario files.
    model = pw.MODEL

    # Scenario files as in the explorer panels of notebook 03: the same format, the same checks
    # (explainer.widgets.explorer.check_scenario) and the same save and load buttons.
    export_scenario = ExplorerPanel.export_scenario
    import_scenario = ExplorerPanel.import_scenario
    _on_export = ExplorerPanel._on_export
    _on_upload = ExplorerPanel._on_upload
    _say = ExplorerPanel._say

    def __init__(self, **values: float | int) -> None:
        self.export_folder: Path | None = None
        self.last_export: Path | None = None
        self.export_button = widgets.Button(
            description="Save scenario", icon="download", tooltip="Save these settings to a file"
        )
        self.upload = scenario_upload()
        self.scenario_message = scenario_message()
        self.export_button.on_click(lambda _: self._on_export())
        self.upload.observe(self._on_upload, names="value")
        self.sweep = None
        self.sweep_settings: dict[str, float | int] | None = None
        self.sweep_summary = ""
        self.sweep_view = ChartView(height="520px", live=False)  # drawn on request only
        self.sweep_note = widgets.HTML()
        self.sweep_button = widgets.Button(
            description="Draw the sweep",
            icon="play",
            tooltip="Run the model at 13 levels of the planner's noise with these settings",
            layout=widgets.Layout(width="200px"),
        )
        self.sweep_button.on_click(lambda _: self.draw_sweep())
        super().__init__(parameter_specs(pw.TABLE, pw.MODEL))
        self._restyle_controls()
        if values:
            self.set(**values)
        self.draw_sweep()

    # --- controls ----------------------------------------------------------------------------
    def _restyle_controls(self) -> None:
        """The sizes report on release, and the seed is a whole-number box.

        The sliders keep the label width and layout :func:`~explainer.widgets.base.control_for`
        gave them (setting them again would make a new style and layout widget per slider).
        """
        style = {"description_width": LABEL_WIDTH}
        for name in _SIZES:
            self.controls[name].continuous_update = False
            self.controls[name].remove_class("lg-step-keys")  # it reports on release only
        seed = self.specs["seed"]
        old = self.controls["seed"]
        old.unobserve(self._on_change, names="value")
        old.close()  # never shown: no widget state of it in a saved notebook
        self.controls["seed"] = widgets.BoundedIntText(
            value=old.value,
            min=seed.minimum,
            max=seed.maximum,
            step=1,
            description=describe_spec(seed),
            tooltip=seed.description,
            style=style,
            layout=widgets.Layout(width="560px"),
        )
        self.controls["seed"].observe(self._on_change, names="value")

    def _on_change(self, change: Mapping[str, Any]) -> None:
        if self._updating:
            return
        self.update()

    # --- driving it from code ----------------------------------------------------------------
    def set(self, **values: float | int) -> None:
        """Set one or more values in one update, checked against their records.

        Raises
        ------
        ValueError
            For an unknown name or a value outside its record's range; the message names the
            setting, its allowed range and the value, and nothing changes.
        """
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise ValueError(f"no setting named {unknown[0]!r}; settings: {', '.join(self.specs)}")
        checked = {name: validate_value(self.specs[name], v) for name, v in values.items()}
        super().set(**checked)

    # --- the panel contract ------------------------------------------------------------------
    def compute(self, values: dict[str, float | int]) -> SimulationResult:
        return pw.simulate_picking_winners(**values)

    def render(self, result: SimulationResult) -> tuple[ChartFrame, str]:
        summary = f"{result.summary_sentence()} {result.sector_sentence()}"
        return debate_charts.outcomes_frame(result), summary

    def update(self) -> None:
        """Recompute the model, redraw the outcomes and say whether the sweep is out of date."""
        super().update()
        self._describe_sweep()

    # --- the sweep ---------------------------------------------------------------------------
    def _sweep_inputs(self) -> dict[str, float | int]:
        settings = {name: v for name, v in self.values.items() if name != "planner_noise"}
        settings["n_draws"] = min(int(settings["n_draws"]), SWEEP_MAX_DRAWS)
        return settings

    def draw_sweep(self) -> None:
        """Run the noise sweep at the current settings and redraw its chart (about a second)."""
        settings = self._sweep_inputs()
        noise = self.values["planner_noise"]
        self.sweep_note.value = "<p><em>Drawing the sweep…</em></p>"
        self.sweep = noise_sweep(debate_charts.SWEEP_NOISES, **settings)
        self.sweep_settings = {**settings, "planner_noise": noise}
        self.sweep_summary = debate_charts.sweep_sentence(self.sweep)
        self.sweep_view.show(
            debate_charts.sweep_chart(
                self.sweep, current_noise=noise, n_draws=int(settings["n_draws"])
            )
        )
        self._describe_sweep()

    @property
    def sweep_is_current(self) -> bool:
        """Whether the sweep was drawn for the current settings (the planner's noise aside)."""
        if self.sweep_settings is None:
            return False
        drawn = {k: v for k, v in self.sweep_settings.items() if k != "planner_noise"}
        now = self._sweep_inputs()
        # A browser slider may hand back 1.5000000000000002 for 1.5: compare, do not match.
        return drawn.keys() == now.keys() and all(
            math.isclose(drawn[k], now[k], rel_tol=1e-9, abs_tol=1e-12) for k in now
        )

    def _describe_sweep(self) -> None:
        if self.sweep_settings is None:
            return
        drawn_noise = self.sweep_settings["planner_noise"]
        if not self.sweep_is_current:
            text = (
                "<strong>The sweep below was drawn for earlier settings.</strong> Press "
                "<em>Draw the sweep</em> to redraw it for these."
            )
        elif not math.isclose(drawn_noise, self.values["planner_noise"], abs_tol=1e-9):
            text = (
                f"The dotted line marks the planner's noise when the sweep was drawn "
                f"({drawn_noise:g}); yours is now {self.values['planner_noise']:g}. The curves "
                "do not depend on it."
            )
        else:
            text = html.escape(self.sweep_summary)
        worlds = int(self.sweep_settings["n_draws"])
        self.sweep_note.value = (
            f'<p style="font-size:16px">{text}</p><p style="color:#555">The sweep runs the '
            f"model at {len(debate_charts.SWEEP_NOISES)} levels of noise over {worlds} worlds "
            f"(at most {SWEEP_MAX_DRAWS}), so after a change it is redrawn only when you ask.</p>"
        )

    # --- display -----------------------------------------------------------------------------
    def control_box(self) -> widgets.Widget:
        """The sliders in four labelled groups, then reset, save and load."""
        parts: list[widgets.Widget] = []
        for heading, names in GROUPS.items():
            parts.append(widgets.HTML(f'<h4 style="margin:0.6em 0 0.2em">{heading}</h4>'))
            parts += [self.controls[name] for name in names]
        buttons = widgets.HBox([self.reset_button, self.export_button, self.upload])
        return widgets.VBox([*parts, buttons, self.scenario_message])

    @functools.cached_property
    def view(self) -> widgets.Widget:
        """Controls, the result sentence and figure, then the sweep with its button."""
        controls = self.control_box()
        controls.add_class("lg-controls")
        return panel_box(
            [
                widgets.HTML(f"<h3>{html.escape(self.title)}</h3><p>{html.escape(_INTRO)}</p>"),
                controls,
                self.message,
                self.summary_widget,
                self.chart_view.widget,
                widgets.HTML("<h4>Where does the planner's edge run out?</h4>"),
                self.sweep_button,
                self.sweep_note,
                self.sweep_view.widget,
            ]
        )

    def static_html(self) -> str:
        """The panel and its sweep at the current settings, as plain HTML."""
        return (
            f"{super().static_html()}<h4>Where does the planner's edge run out?</h4>"
            f"{self.sweep_note.value}{self.sweep_view.figure_html()}"
        )
