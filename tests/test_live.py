"""Live panels (issue 13): chart frames, the live view, stable values and keyboard steps.

The browser side is tested in tests/browser/test_live_panels.py; here: what each panel hands
its view (data and words, not specs), what the live widget sends on a move, the step
normalisation, refusals, presets and Reset.
"""

from __future__ import annotations

import html
import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explainer import charts
from explainer.charts.frames import ChartFrame
from explainer.parameters import parameter_specs
from explainer.widgets import explorer as ex
from explainer.widgets.base import STEP_KEYS_CLASS, ChartView, snap
from explainer.widgets.debate import PickingWinnersPanel
from explainer.widgets.live import LiveChart, live_vega, runtime
from explainer.widgets.policy import RecordExplorer

TABLE = "parameters_explorer"
MODELS = ("designation_pipeline", "subsidy_arithmetic")
ALL_SPECS = [spec for model in MODELS for spec in parameter_specs(TABLE, model).values()]
DEFAULT_PRESET = "actual"


@pytest.fixture(scope="module")
def panels() -> dict[str, ex.ExplorerPanel]:
    return {"designation_pipeline": ex.PipelinePanel(), "subsidy_arithmetic": ex.SubsidyPanel()}


def _on_grid(spec, value) -> bool:
    steps = (value - spec.minimum) / spec.step
    return math.isclose(steps, round(steps), abs_tol=1e-9)


# --- step normalisation -----------------------------------------------------------------------


def test_browser_echoes_snap_to_the_record() -> None:
    specs = parameter_specs(TABLE, "subsidy_arithmetic")
    assert snap(specs["fund_bn_yuan"], 10.000000000000002) == 10.0
    pipeline = parameter_specs(TABLE, "designation_pipeline")
    assert snap(pipeline["pass_rate"], 0.8699999999999999) == 0.87
    assert snap(pipeline["target"], 10_240) == 10_000
    assert isinstance(snap(pipeline["target"], 10_240.0), int)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_snap_is_on_the_grid_in_range_and_idempotent(data: st.DataObject) -> None:
    spec = data.draw(st.sampled_from(ALL_SPECS))
    value = data.draw(st.floats(spec.minimum, spec.maximum, allow_nan=False))
    snapped = snap(spec, value)
    assert spec.minimum <= snapped <= spec.maximum
    assert _on_grid(spec, snapped)
    assert snap(spec, snapped) == snapped
    assert abs(snapped - value) <= spec.step / 2 + 1e-9


@pytest.mark.parametrize("spec", ALL_SPECS, ids=lambda s: s.name)
def test_defaults_and_presets_are_on_their_step(spec) -> None:
    assert _on_grid(spec, spec.default), f"{spec.name}: default {spec.default} is off its step"
    assert snap(spec, spec.default) == spec.default
    for name, values in ex.presets(spec.model).items():
        value = values[spec.name]
        assert snap(spec, value) == value, f"preset {name}: {spec.name}={value} is off its step"


@pytest.mark.parametrize("spec", ALL_SPECS, ids=lambda s: s.name)
def test_no_default_on_a_bound_unless_the_record_says_why(spec) -> None:
    if spec.default in (spec.minimum, spec.maximum):
        assert "Default at the" in (spec.note or ""), f"{spec.name} sits on a bound unexplained"


def test_the_first_slider_of_the_pipeline_is_not_at_a_bound(panels) -> None:
    first = next(iter(panels["designation_pipeline"].controls.values()))
    assert first.min < first.value < first.max


@pytest.mark.parametrize("spec", ALL_SPECS, ids=lambda s: s.name)
def test_an_arrow_key_moves_about_one_percent(spec) -> None:
    """controls.js moves a slider by a whole number of steps nearest 1% of its range."""
    steps = max(1, round(0.01 * (spec.maximum - spec.minimum) / spec.step))
    assert steps * spec.step <= 0.05 * (spec.maximum - spec.minimum) or steps == 1


# --- refusals from code (issue 16) --------------------------------------------------------------


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf"), 1e9, -1e9])
@pytest.mark.parametrize("model", MODELS)
def test_bad_values_from_code_are_refused_and_never_reach_the_model(
    model: str, bad: float, panels: dict[str, ex.ExplorerPanel]
) -> None:
    panel = panels[model]
    panel.reset()
    for name, control in panel.controls.items():
        spec = panel.specs[name]
        before, result = control.value, panel.result
        control.value = bad
        assert control.value == before
        assert panel.result is result  # the model did not run
        message = panel.message.value
        assert "Refused" in message and html.escape(spec.label) in message
        assert charts_text(spec.minimum, spec) in message
    panel.reset()
    assert panel.message.value == ""


def charts_text(value: float, spec) -> str:
    from explainer.widgets.base import format_value

    return format_value(spec, value)


# --- presets and Reset --------------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_every_panel_starts_and_resets_to_the_default_preset(
    model: str, panels: dict[str, ex.ExplorerPanel]
) -> None:
    panel = panels[model]
    panel.apply_preset("article")
    panel.reset()
    assert panel.preset == DEFAULT_PRESET
    assert panel.preset_picker.value == DEFAULT_PRESET


@pytest.mark.parametrize("model", MODELS)
def test_preset_a_then_b_shows_b(model: str, panels: dict[str, ex.ExplorerPanel]) -> None:
    panel = panels[model]
    panel.preset_picker.value = "article"
    panel.preset_picker.value = "official_plan"
    assert panel.preset == "official_plan" and panel.preset_picker.value == "official_plan"
    panel.reset()


@pytest.mark.parametrize("model", MODELS)
def test_browser_echoes_keep_the_preset(model: str, panels: dict[str, ex.ExplorerPanel]) -> None:
    panel = panels[model]
    panel.reset()
    for control in panel.controls.values():
        control.value = control.value + control.step * 1e-13  # a float echo from the browser
    assert panel.preset == DEFAULT_PRESET
    assert not any("Changed from" in line for line in panel.chart_view.chart["title"]["subtitle"])


def test_presets_survive_a_round_trip_through_json(panels: dict[str, ex.ExplorerPanel]) -> None:
    import json

    panel = panels["designation_pipeline"]
    panel.apply_preset("article")
    scenario = json.loads(json.dumps(panel.export_scenario()))
    panel.reset()
    panel.import_scenario(scenario)
    assert panel.preset == "article"
    panel.reset()


# --- data and words, not specs ------------------------------------------------------------------


_PANELS = {
    "pipeline": ex.PipelinePanel,
    "subsidy": ex.SubsidyPanel,
    "record": RecordExplorer,
    "picking": PickingWinnersPanel,
}


def _frames() -> dict[str, tuple[object, ChartFrame]]:
    panels = {name: make() for name, make in _PANELS.items()}
    return {name: (panel, panel.chart_view.frame) for name, panel in panels.items()}


@pytest.mark.parametrize("name", list(_PANELS))
def test_each_panel_hands_its_view_rows_and_words(name: str) -> None:
    panel, frame = _frames()[name]
    assert isinstance(frame, ChartFrame)
    vega_names = {d["name"] for d in frame.chart.vega()["data"]}
    assert set(frame.datasets) <= vega_names
    for rows in frame.datasets.values():
        assert isinstance(rows, list) and all(isinstance(r, dict) for r in rows)
    assert set(frame.words) == {"title", "subtitle", "description", "source_ids"}
    assert frame.words["title"] and frame.words["description"] and frame.words["source_ids"]
    assert frame.words["subtitle"][-1].rstrip(".)").strip()  # the source line comes last
    # the same words as the chart made with sourced()
    spec = frame.spec
    assert spec["title"] == {"text": frame.words["title"], "subtitle": frame.words["subtitle"]}
    assert panel.chart_view.chart is spec


@pytest.mark.parametrize("name", list(_PANELS))
def test_static_svg_from_the_compiled_spec_is_the_compiler_s(name: str) -> None:
    """The static path draws the frame into the spec compiled once: the same picture as
    compiling the frame's Vega-Lite spec afresh."""
    _, frame = _frames()[name]
    assert charts.to_svg(frame.spec, vega=frame.vega()) == charts.to_svg(frame.spec)


def _sent_by_a_move(panel: Any, **values: Any) -> tuple[LiveChart, list[str]]:
    """The panel's live chart and the names of its attributes that one ``set`` changed; the
    spec and the data-slot map must be left as they were (a move is data and words)."""
    widget = panel.chart_view.widget
    assert isinstance(widget, LiveChart)
    changed: list[str] = []
    widget.observe(lambda change: changed.append(change["name"]))
    spec = widget.spec
    panel.set(**values)
    assert widget.spec is spec and "spec" not in changed and "slots" not in changed
    return widget, changed


def test_a_move_sends_changed_data_and_words_not_a_spec() -> None:
    panel = ex.PipelinePanel()
    widget, changed = _sent_by_a_move(panel, pass_rate=0.6)
    assert "data_stock" in changed and "words" in changed
    assert "data_published" not in changed  # unchanged data sets are not sent again
    assert widget.data_stock == panel.chart_view.chart["datasets"]["stock"]
    assert widget.words["description"] == panel.chart_view.chart["description"]


def test_a_picking_winners_move_sends_six_rows_and_words() -> None:
    """Notebook 04's panel draws through the same live view: a move sends the outcomes' rows
    and the words, never the spec or the constant break-even line, in well under 8 KB."""
    widget, changed = _sent_by_a_move(PickingWinnersPanel(n_firms=300, n_draws=20), sector_bias=1.5)
    assert "data_outcomes" in changed and "words" in changed
    assert "data_guides" not in changed
    assert len(widget.data_outcomes) == 6
    sent = json.dumps({"rows": widget.data_outcomes, "words": widget.words})
    assert len(sent.encode()) < 8_000


def test_live_spec_reads_words_from_signals_and_shows_values_on_hover() -> None:
    _, frame = _frames()["pipeline"]
    spec = live_vega(frame.chart.vega())
    assert spec["title"]["text"] == {"signal": "lg_title"}
    assert spec["title"]["subtitle"] == {"signal": "lg_subtitle"}
    assert {"lg_title", "lg_subtitle"} <= {s["name"] for s in spec["signals"]}
    assert all(not d.get("values") for d in spec["data"] if "values" in d)

    def marks(items: list[dict]) -> list[dict]:
        return [m for item in items for m in [item, *marks(item.get("marks", []))]]

    described = [m for m in marks(spec["marks"]) if "description" in m["encode"].get("update", {})]
    assert described and all("tooltip" in m["encode"]["update"] for m in described)


def test_the_runtime_is_one_shared_model() -> None:
    first, second = ChartView(), ChartView()
    assert first.widget.runtime is second.widget.runtime is runtime()
    state = first.widget.get_state()
    assert len(str(state["runtime"])) < 100  # a reference, not the 0.9 MB bundle
    assert len(runtime().source) > 100_000


def test_panel_boxes_carry_the_layout_classes(panels: dict[str, ex.ExplorerPanel]) -> None:
    view = panels["subsidy_arithmetic"].view
    assert "lg-panel" in view._dom_classes
    assert any("lg-controls" in child._dom_classes for child in view.children)
    assert any("lg-chart" in child._dom_classes for child in view.children)
    for control in panels["subsidy_arithmetic"].controls.values():
        assert STEP_KEYS_CLASS in control._dom_classes


def test_a_live_view_also_draws_a_whole_chart() -> None:
    """A reader's own panel may hand its view an Altair chart: it is drawn live all the same."""
    import altair as alt
    import pandas as pd

    view = ChartView()
    chart = charts.sourced(
        alt.Chart(pd.DataFrame({"x": [0, 1], "y": [0, 2]})).mark_line().encode(x="x:Q", y="y:Q"),
        title="A line",
        description="One line.",
        sources=["miit-2019-batch1-notice"],
    )
    view.show(chart)
    widget = view.widget
    assert view.chart is chart and widget.words["title"] == "A line"
    rows = [getattr(widget, slot) for slot in widget.slots.values()]
    assert [{"x": 0, "y": 0}, {"x": 1, "y": 2}] in rows
    assert "<svg" in view.figure_html()
