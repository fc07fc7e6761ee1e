"""The designation and subsidy explorer: charts, panels, presets and scenario files."""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prose_check import figures_not_in_data
from uploads import upload

from explainer import charts
from explainer.charts import BASIS_COLOURS
from explainer.charts import explorer as ce
from explainer.data import load_table
from explainer.models.pipeline import batch_needed_for_target, designation_pipeline
from explainer.models.subsidy import subsidy_arithmetic
from explainer.parameters import defaults, parameter_specs
from explainer.widgets import explorer as ex
from explainer.widgets.base import snap
from explainer.widgets.live import LiveChart

TABLE = "parameters_explorer"
PIPELINE, SUBSIDY = "designation_pipeline", "subsidy_arithmetic"
PANELS = {PIPELINE: ex.PipelinePanel, SUBSIDY: ex.SubsidyPanel}
EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def panels() -> dict[str, ex.ExplorerPanel]:
    """One panel of each kind, shared by the tests (each puts it back to its defaults)."""
    return {model: cls() for model, cls in PANELS.items()}


@pytest.fixture
def pipeline(panels: dict[str, ex.ExplorerPanel]) -> Iterator[ex.PipelinePanel]:
    panel = panels[PIPELINE]
    panel.reset()
    yield panel
    panel.reset()


@pytest.fixture
def subsidy(panels: dict[str, ex.ExplorerPanel]) -> Iterator[ex.SubsidyPanel]:
    panel = panels[SUBSIDY]
    panel.reset()
    yield panel
    panel.reset()


def valid_state(model: str) -> st.SearchStrategy[dict[str, float | int]]:
    """Any setting a slider of that model can hold."""
    fields = {}
    for name, spec in parameter_specs(TABLE, model).items():
        if spec.kind == "integer":
            fields[name] = st.integers(int(spec.minimum), int(spec.maximum))
        else:
            fields[name] = st.floats(spec.minimum, spec.maximum, allow_nan=False)
    return st.fixed_dictionaries(fields)


def preset_rows(model: str) -> dict[str, dict[str, float]]:
    """The presets exactly as the data file holds them."""
    table = load_table("presets_explorer")
    table = table[table["model"] == model]
    return {p: dict(zip(rows["name"], rows["value"])) for p, rows in table.groupby("preset")}


def snapshot(panel: ex.ExplorerPanel) -> tuple[Any, ...]:
    """Everything a reader sees, to check that a refused action changed nothing."""
    return (
        panel.values,
        panel.result,
        panel.summary,
        panel.chart_view.chart,
        panel.chart_view.figure_html(),
        panel.preset_picker.value,
    )


def scenario(model: str = PIPELINE) -> dict[str, Any]:
    """A valid scenario at the model's defaults."""
    values = defaults(TABLE, model)
    return {"format": "little-giants-scenario", "version": 1, "model": model, "values": values}


# --- charts -----------------------------------------------------------------------------------

PIPELINE_CASES = [
    {},
    {"last_known_year": 2021, "new_per_year": 1587, "pass_rate": 1.0},
    {"last_known_year": 2019, "new_per_year": 200, "pass_rate": 0.3, "horizon": 2040},
    {"last_known_year": 2025, "horizon": 2025, "target": 50000},
]
SUBSIDY_CASES = [
    {},
    {"local_match": 1.5, "firm_share": 1.0},
    {"key_firms_per_round": 10000, "round_years": 5, "all_little_giants": 10000},
    {"fund_bn_yuan": 50, "key_firms_per_round": 1, "reference_rd_m_yuan": 1},
]


@pytest.mark.parametrize("values", PIPELINE_CASES)
def test_stock_chart_validates_with_title_source_line_and_numbers(values: dict) -> None:
    result = designation_pipeline(**values)
    spec = charts.spec_dict(ce.stock_projection_chart(result), validate=True)
    assert spec["title"]["text"]
    assert any(line.startswith(("Source: ", "Sources: ")) for line in spec["title"]["subtitle"])
    assert result.summary() in spec["description"]
    assert f"{result.target:,}" in spec["description"]
    assert spec["usermeta"]["source_ids"]


@pytest.mark.parametrize("values", SUBSIDY_CASES)
def test_support_chart_validates_with_title_source_line_and_numbers(values: dict) -> None:
    result = subsidy_arithmetic(**values)
    spec = charts.spec_dict(ce.support_per_firm_chart(result), validate=True)
    assert spec["title"]["text"]
    assert spec["title"]["subtitle"][-1].endswith(".")
    assert any(line.startswith(("Source: ", "Sources: ")) for line in spec["title"]["subtitle"])
    assert f"{result.support_per_firm_year_m_yuan:,.2f} million yuan" in spec["description"]


@given(values=valid_state(PIPELINE))
@settings(max_examples=10, deadline=None)
def test_fast_stock_spec_is_the_altair_chart(values: dict) -> None:
    result = designation_pipeline(**values)
    assert ce.stock_projection_spec(result) == charts.spec_dict(ce.stock_projection_chart(result))


@given(values=valid_state(SUBSIDY))
@settings(max_examples=10, deadline=None)
def test_fast_support_spec_is_the_altair_chart(values: dict) -> None:
    result = subsidy_arithmetic(**values)
    assert ce.support_per_firm_spec(result) == charts.spec_dict(ce.support_per_firm_chart(result))


@given(data=st.data())
@settings(max_examples=12, deadline=None)
def test_compiled_vega_draws_the_same_picture(data: st.DataObject) -> None:
    model = data.draw(st.sampled_from([PIPELINE, SUBSIDY]))
    values = data.draw(valid_state(model))
    if model == PIPELINE:
        spec = ce.stock_projection_spec(designation_pipeline(**values))
    else:
        spec = ce.support_per_firm_spec(subsidy_arithmetic(**values))
    assert charts.to_svg(spec, vega=ce.compiled_vega(spec)) == charts.to_svg(spec)


def test_compiled_vega_is_only_for_the_explorer_charts() -> None:
    other = charts.spec_dict(ce.stock_projection_chart(designation_pipeline()))
    assert ce.compiled_vega(other) is None


@given(values=valid_state(PIPELINE))
@settings(max_examples=60, deadline=None)
def test_projection_never_overwrites_the_record(values: dict) -> None:
    result = designation_pipeline(**values)
    rows = ce.stock_projection_spec(result)["datasets"]["stock"]
    last_known = values["last_known_year"]
    # The record alone: the same record, no new batches after it.
    alone = designation_pipeline(**{**values, "new_per_year": 0, "growth": 0.0}).table
    recorded = alone.set_index("year")["net_stock"]
    record_rows = [r for r in rows if r["series"] == ce.RECORD]
    assert [r["year"] for r in record_rows] == list(range(2019, last_known + 1))
    for row in record_rows:
        assert row["net_stock"] == recorded[row["year"]]
    joints = [r for r in rows if r["joint"]]
    projected = [r for r in rows if r["series"] == ce.PROJECTION and not r["joint"]]
    assert all(r["year"] > last_known for r in projected)
    if projected:
        assert len(joints) == 1
        assert {**joints[0], "series": ce.RECORD, "joint": False} == record_rows[-1]
    else:
        assert joints == []


def test_record_and_projection_are_drawn_differently() -> None:
    spec = ce.stock_projection_spec(designation_pipeline())
    line = spec["layer"][0]["encoding"]
    colours = dict(zip(line["color"]["scale"]["domain"], line["color"]["scale"]["range"]))
    dashes = dict(zip(line["strokeDash"]["scale"]["domain"], line["strokeDash"]["scale"]["range"]))
    assert colours == {
        ce.RECORD: BASIS_COLOURS["reported"],
        ce.PROJECTION: BASIS_COLOURS["projection"],
    }
    assert dashes[ce.RECORD] == [1, 0] and dashes[ce.PROJECTION] != [1, 0]


def test_target_rule_and_the_year_it_is_met_are_marked() -> None:
    met = designation_pipeline()
    marks = {m["kind"]: m for m in ce.stock_projection_spec(met)["datasets"]["marks"]}
    assert marks["target"]["y"] == met.target and "10,000" in marks["target"]["label"]
    assert marks["met"]["year"] == met.target_met_year == 2023
    missed = designation_pipeline(target=50000, horizon=2025)
    marks = ce.stock_projection_spec(missed)["datasets"]["marks"]
    assert [m["kind"] for m in marks] == ["target"]


def test_the_record_does_not_move_with_the_pass_rate_slider(pipeline: ex.PipelinePanel) -> None:
    """Notebook 03, Exercise 1: at the preset 'what actually happened', the solid part stays."""
    pipeline.apply_preset("actual")
    before = [r for r in pipeline.chart_view.chart["datasets"]["stock"] if r["series"] == ce.RECORD]
    pipeline.set(pass_rate=1.0)
    after = [r for r in pipeline.chart_view.chart["datasets"]["stock"] if r["series"] == ce.RECORD]
    assert after == before and [r["year"] for r in after][-1] == 2025
    assert not any(r["review_assumed"] for r in after)


def test_recorded_years_with_an_assumed_review_get_open_points() -> None:
    plain = ce.stock_projection_spec(designation_pipeline())
    assert not any(line.startswith("Open points") for line in plain["title"]["subtitle"])
    moved = ce.stock_projection_spec(designation_pipeline(review_cycle=4))
    rows = moved["datasets"]["stock"]
    assumed = [r["year"] for r in rows if r["series"] == ce.RECORD and r["review_assumed"]]
    assert assumed == [2023, 2024, 2025]
    assert "Open points (2023-2025)" in moved["title"]["subtitle"][1]
    hollow = moved["layer"][1]
    assert (
        hollow["mark"]["fill"] == "#ffffff" and "review_assumed" in hollow["transform"][0]["filter"]
    )


def test_published_totals_read_like_their_source() -> None:
    published = ce.reported_stock_by_year().set_index("year")["as_reported"]
    assert published[2020] == "1,832 (2020)"  # known to the year only
    assert published[2025] == "more than 17,600 (13 Nov 2025)"


def test_published_totals_are_the_last_report_of_each_year() -> None:
    published = ce.reported_stock_by_year()
    assert published["year"].is_unique
    stock = load_table("designation_stock")
    for row in published.itertuples():
        same_year = stock[stock["date"].dt.year == row.year]
        assert row.reported_stock == same_year.sort_values("date")["stock"].iloc[-1]
    rows = ce.stock_projection_spec(designation_pipeline(horizon=2030))["datasets"]["published"]
    assert [r["year"] for r in rows] == published["year"].tolist()


def test_support_bars_hold_the_model_numbers_and_name_assumptions() -> None:
    result = subsidy_arithmetic(local_match=0.5)
    bars = {row["bar"]: row for row in ce.support_per_firm_spec(result)["datasets"]["bars"]}
    values = [row["m_yuan_per_year"] for row in bars.values()]
    assert values == pytest.approx(
        [
            30.0,
            result.support_per_firm_year_m_yuan,
            result.support_per_firm_year_with_local_m_yuan,
            result.fund_per_little_giant_m_yuan / 5,
        ]
    )
    basis = [row["basis"] for row in bars.values()]
    assert next(iter(bars)) == "Average R&D per little giant"  # the source gives an average
    assert "average little giant's R&D" in ce.support_per_firm_spec(result)["title"]["text"]
    assert basis == [
        "A figure from sources",
        "Rests on an assumption",  # the share paid to firms is an assumption
        "Rests on an assumption",
        "Worked out from sourced figures",
    ]
    subtitle = ce.support_per_firm_chart(result).title["subtitle"]
    assert subtitle[0].startswith("Assumed (no source gives it): share of the fund paid")
    assert "local money per central yuan 0.5" in subtitle[0]


def test_changed_inputs_are_named_as_the_readers_own() -> None:
    spec = ce.support_per_firm_spec(subsidy_arithmetic(fund_years=3))
    assert any(
        "Changed from the sourced default: years the fund runs 3" in line
        for line in spec["title"]["subtitle"]
    )


@pytest.mark.parametrize(
    "spec",
    [
        ce.stock_projection_spec(designation_pipeline()),
        ce.support_per_firm_spec(subsidy_arithmetic()),
    ],
    ids=["stock", "support"],
)
def test_charts_render_offline_with_tooltips(spec: dict) -> None:
    page = charts.figure_html(spec)
    assert "<svg" in page and "<title>" in page
    assert "https://" not in page


# --- panels: driven from code and from the sliders --------------------------------------------


@pytest.mark.parametrize("model", [PIPELINE, SUBSIDY])
def test_panel_starts_at_the_records_defaults(
    model: str, panels: dict[str, ex.ExplorerPanel]
) -> None:
    panel = panels[model]
    panel.reset()
    assert panel.values == defaults(TABLE, model)
    assert panel.summary == panel.result.summary()
    assert html.escape(panel.summary) in panel.summary_widget.value
    figure = panel.chart_view.figure_html()
    assert html.escape(panel.chart_view.chart["description"]) in figure
    matching = [name for name, values in preset_rows(model).items() if values == panel.values]
    assert panel.preset == (matching[0] if matching else None)  # the subsidy's is "actual"
    assert panel.preset_picker.value == (panel.preset or ex.NO_PRESET)


def test_set_from_code_updates_result_chart_and_summary(pipeline: ex.PipelinePanel) -> None:
    before = pipeline.chart_view.figure_html()
    pipeline.set(new_per_year=500, pass_rate=0.6, horizon=2035)
    assert pipeline.values["pass_rate"] == 0.6
    expected = designation_pipeline(**pipeline.values)
    assert pipeline.result.table.equals(expected.table)
    assert pipeline.summary == expected.summary()
    assert pipeline.chart_view.figure_html() != before
    assert pipeline.chart_view.chart["datasets"]["stock"][-1]["year"] == 2035


def test_moving_a_slider_updates_the_panel(subsidy: ex.SubsidyPanel) -> None:
    subsidy.controls["key_firms_per_round"].value = 334  # as a person would
    expected = subsidy_arithmetic(**{**defaults(TABLE, SUBSIDY), "key_firms_per_round": 334})
    assert subsidy.result.support_per_firm_year_m_yuan == expected.support_per_firm_year_m_yuan
    assert subsidy.summary == expected.summary()
    assert "334" in subsidy.summary


def test_the_same_widget_is_updated_in_place(pipeline: ex.PipelinePanel) -> None:
    view, figure = pipeline.view, pipeline.chart_view.widget
    assert isinstance(figure, LiveChart)
    assert figure in pipeline.view.children
    spec = figure.spec
    pipeline.controls["growth"].value = 0.1
    assert pipeline.view is view and pipeline.chart_view.widget is figure
    assert figure.spec is spec  # a move sends data, not a new spec
    assert figure.data_stock == pipeline.chart_view.chart["datasets"]["stock"]
    assert pipeline.chart_view.figure_html() == charts.figure_html(pipeline.chart_view.chart)


@pytest.mark.parametrize("model", [PIPELINE, SUBSIDY])
def test_sliders_are_bounded_by_the_records(
    model: str, panels: dict[str, ex.ExplorerPanel]
) -> None:
    panel = panels[model]
    for name, spec in parameter_specs(TABLE, model).items():
        control = panel.controls[name]
        assert (control.min, control.max, control.step) == (spec.minimum, spec.maximum, spec.step)
        assert spec.label in control.description and spec.unit in control.description
        before = control.value
        control.value = spec.maximum + 10 * spec.step  # refused, not clamped: it keeps its value
        assert control.value == before
        assert "Refused" in panel.message.value and html.escape(spec.label) in panel.message.value
        control.value = spec.minimum - 10 * spec.step
        assert control.value == before
        control.value = spec.maximum
        assert control.value == spec.maximum
    panel.reset()
    assert panel.message.value == ""


def test_invalid_values_from_code_are_refused_and_change_nothing(
    pipeline: ex.PipelinePanel,
) -> None:
    before = snapshot(pipeline)
    with pytest.raises(ValueError, match=r"pass_rate must be between 0\.3 and 1"):
        pipeline.set(new_per_year=10, pass_rate=1.5)
    with pytest.raises(ValueError, match="no setting named 'speed'"):
        pipeline.set(speed=1)
    assert snapshot(pipeline) == before


def test_batch_needed_matches_the_model(pipeline: ex.PipelinePanel) -> None:
    pipeline.apply_preset("official_plan")
    assert pipeline.batch_needed() == batch_needed_for_target(
        last_known_year=2021, pass_rate=1.0, review_cycle=3, target=10000, target_year=2025
    )


# --- presets and reset ------------------------------------------------------------------------


@pytest.mark.parametrize("model", [PIPELINE, SUBSIDY])
@pytest.mark.parametrize("preset", ["article", "official_plan", "actual"])
def test_presets_set_exactly_the_data_values_in_one_update(
    model: str, preset: str, panels: dict[str, ex.ExplorerPanel], monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = panels[model]
    panel.reset()
    calls = []
    compute = panel.compute
    monkeypatch.setattr(panel, "compute", lambda values: calls.append(values) or compute(values))
    panel.apply_preset(preset)
    assert len(calls) == 1
    expected = preset_rows(model)[preset]
    assert panel.values == expected
    for name, value in panel.values.items():
        kind = parameter_specs(TABLE, model)[name].kind
        assert isinstance(value, int if kind == "integer" else float)
    assert panel.preset == preset and panel.preset_picker.value == preset
    monkeypatch.undo()
    panel.reset()


def test_choosing_a_preset_in_the_menu_applies_it(pipeline: ex.PipelinePanel) -> None:
    pipeline.preset_picker.value = "actual"
    assert pipeline.values == preset_rows(PIPELINE)["actual"]
    pipeline.controls["pass_rate"].value = 0.5  # moving away leaves the preset
    assert pipeline.preset is None and pipeline.preset_picker.value == ex.NO_PRESET
    pipeline.preset_picker.value = ex.NO_PRESET  # choosing "No preset" changes nothing
    assert pipeline.values["pass_rate"] == 0.5


def test_article_preset_reproduces_the_story(subsidy: ex.SubsidyPanel) -> None:
    subsidy.apply_preset("article")
    # 10 billion yuan over 10,000 firms for five years: 1 million yuan each, 0.2 a year
    assert subsidy.result.support_per_firm_m_yuan == pytest.approx(1.0)
    assert subsidy.result.support_per_firm_year_m_yuan == pytest.approx(0.2)


def test_unknown_preset_is_refused(pipeline: ex.PipelinePanel) -> None:
    before = snapshot(pipeline)
    with pytest.raises(ValueError, match="no preset named 'story'; presets: article"):
        pipeline.apply_preset("story")
    assert snapshot(pipeline) == before


@pytest.mark.parametrize("model", [PIPELINE, SUBSIDY])
def test_reset_restores_the_defaults(model: str, panels: dict[str, ex.ExplorerPanel]) -> None:
    panel = panels[model]
    panel.apply_preset("article")
    panel.reset_button.click()
    assert panel.values == defaults(TABLE, model)
    assert panel.summary == panel.compute(defaults(TABLE, model)).summary()


def test_tables_show_years_as_years_and_defaults_as_typed() -> None:
    from explainer.widgets.base import records_table

    pipeline = ex.presets_table(PIPELINE).set_index(["Preset", "Setting"])["Value"]
    assert pipeline[("The 2022 news story", "Last year taken from the record")] == "2021"
    assert pipeline[("The 2022 news story", "New little giants in the first projected year")] == (
        "1,587"
    )
    assert pipeline[("What actually happened", "Share passing each re-review")] == "0.87"
    shown = records_table(parameter_specs(TABLE, PIPELINE)).to_html()
    assert ">2025<" in shown and ">0.87<" in shown and ">10,000<" in shown
    assert "2025.0" not in shown and "2,025" not in shown and "0.870000" not in shown
    assert ">2019 to 2025<" in shown and ">0 to 50,000<" in shown


def test_presets_table_lists_every_value_with_its_basis() -> None:
    table = ex.presets_table(SUBSIDY)
    assert len(table) == 3 * len(parameter_specs(TABLE, SUBSIDY))
    assert set(table["Basis"]) <= {"reported", "derived", "assumption"}
    assumed = table[table["Basis"] == "assumption"]
    assert (assumed["Sources"] == "(our assumption)").all()


# --- scenario files ---------------------------------------------------------------------------


@pytest.mark.parametrize("model", [PIPELINE, SUBSIDY])
@given(data=st.data())
@EXAMPLES
def test_scenario_round_trip_restores_exactly_the_same_state(
    model: str, data: st.DataObject, panels: dict[str, ex.ExplorerPanel], tmp_path: Path
) -> None:
    panel = panels[model]
    state = data.draw(valid_state(model))
    panel.set(**state)
    seen = snapshot(panel)
    exported = panel.export_scenario()
    path = panel.export_scenario(tmp_path / "scenario.json")
    via = data.draw(st.sampled_from(["dict", "path", "bytes", "str"]))
    panel.reset()
    source = {
        "dict": json.loads(json.dumps(exported)),
        "path": path,
        "bytes": path.read_bytes(),
        "str": str(path),
    }[via]
    panel.import_scenario(source)
    specs = parameter_specs(TABLE, model)
    assert panel.values == {name: snap(specs[name], value) for name, value in state.items()}
    assert {k: type(v) for k, v in panel.values.items()} == {k: type(v) for k, v in state.items()}
    assert panel.summary == seen[2]
    assert panel.chart_view.chart == seen[3]
    assert json.loads(path.read_text()) == exported


def test_exported_scenario_is_small_and_plain(pipeline: ex.PipelinePanel, tmp_path: Path) -> None:
    path = pipeline.export_scenario(tmp_path / "mine.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert list(data) == ["format", "version", "model", "values"]
    assert data["format"] == "little-giants-scenario" and data["version"] == 1
    assert data["model"] == PIPELINE and data["values"] == pipeline.values
    assert path.stat().st_size < 1000


def _with(values: dict | None = None, **top: Any) -> dict[str, Any]:
    good = scenario(PIPELINE)
    if values is not None:
        good["values"] = values
    return {**good, **top}


_DEFAULTS = defaults(TABLE, PIPELINE)
_WITHOUT_GROWTH = {k: v for k, v in _DEFAULTS.items() if k != "growth"}
BAD_SCENARIOS = {
    "not JSON": (b"pass_rate = 0.9", "is not valid JSON (line 1, column 1"),
    "not text": (b"\xff\xfe\x00\x80", "is not a text file"),
    "a list": (b"[1, 2]", "should be a JSON object"),
    "not a scenario": ({"pass_rate": 0.9}, "it lacks 'format', 'version', 'model', 'values'"),
    "wrong format": (_with(format="other"), "its format is 'other'"),
    "wrong version": (_with(version=2), "it is version 2; this explorer reads version 1"),
    "version as text": (_with(version="1"), "it is version '1'"),
    "version as bool": (_with(version=True), "it is version True"),
    "other model": (_with(model=SUBSIDY), "it is for the 'subsidy_arithmetic' model"),
    "extra entry": (_with(note="mine"), "unexpected entries 'note'"),
    "values not an object": (_with(values=[1, 2]), "'values' should be an object"),
    "unknown key": (_with({**_DEFAULTS, "speed": 1}), "unknown setting(s) 'speed'"),
    "missing key": (_with(_WITHOUT_GROWTH), "it has no value for growth"),
    "out of range": (
        _with({**_DEFAULTS, "pass_rate": 1.4}),
        "pass_rate must be between 0.3 and 1 (got 1.4)",
    ),
    "not whole": (_with({**_DEFAULTS, "horizon": 2030.5}), "horizon must be a whole number"),
    "text value": (_with({**_DEFAULTS, "target": "10000"}), "got '10000' of type str"),
    "bool value": (_with({**_DEFAULTS, "growth": False}), "got False of type bool"),
    "NaN": (
        json.dumps(scenario(PIPELINE)).replace('"growth": 0.0', '"growth": NaN').encode(),
        "growth must be between -0.5 and 0.5; the file gives NaN (not a number)",
    ),
    "repeated key": (
        json.dumps(scenario(PIPELINE))
        .replace('"version": 1', '"version": 1, "version": 1')
        .encode(),
        "it gives 'version' more than once",
    ),
    "missing file": ("/no/such/scenario.json", "cannot be read"),
    "wrong type": (42, "expected a file path, file contents or a dict, not int"),
}


@pytest.mark.parametrize(("source", "message"), BAD_SCENARIOS.values(), ids=BAD_SCENARIOS)
def test_bad_scenarios_are_refused_and_change_nothing(
    pipeline: ex.PipelinePanel, source: Any, message: str
) -> None:
    pipeline.apply_preset("article")
    before = snapshot(pipeline)
    with pytest.raises(ValueError, match="^Scenario refused: ") as refused:
        pipeline.import_scenario(source)
    assert message in str(refused.value)
    assert snapshot(pipeline) == before


def test_scenario_the_model_cannot_compute_is_refused(
    pipeline: ex.PipelinePanel, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(pipeline)

    def refuse(values: dict) -> None:
        raise ValueError("horizon must not be earlier than last_known_year")

    monkeypatch.setattr(pipeline, "compute", refuse)
    with pytest.raises(ValueError, match="the model cannot use these settings"):
        pipeline.import_scenario(scenario(PIPELINE))
    monkeypatch.undo()
    assert snapshot(pipeline) == before


# --- scenario files through the widgets -------------------------------------------------------


def test_save_button_writes_a_file_and_shows_its_name(
    subsidy: ex.SubsidyPanel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    subsidy.set(local_match=1.0)
    subsidy.export_button.click()
    subsidy.export_button.click()  # a second save gets its own file
    folder = tmp_path / "scenarios"  # a scenarios/ folder, not among the notebooks
    files = sorted(folder.glob("scenario-subsidy_arithmetic-*.json"), key=lambda p: len(p.name))
    assert len(files) == 2 and subsidy.last_export == files[-1]
    assert json.loads(files[0].read_text()) == subsidy.export_scenario()
    message = subsidy.scenario_message.value
    assert files[-1].name in message and 'download="' in message and "Download" in message


def test_upload_loads_a_scenario_and_says_so(subsidy: ex.SubsidyPanel) -> None:
    good = {**scenario(SUBSIDY), "values": {**defaults(TABLE, SUBSIDY), "fund_years": 3}}
    upload(subsidy, "mine.json", json.dumps(good).encode())
    assert subsidy.values["fund_years"] == 3
    assert "Loaded the scenario from mine.json" in subsidy.scenario_message.value
    assert subsidy.upload.value == ()  # cleared, so the same file can be loaded again


def test_upload_of_a_bad_file_shows_why_and_changes_nothing(subsidy: ex.SubsidyPanel) -> None:
    before = snapshot(subsidy)
    upload(subsidy, "notes.txt", b"my notes")
    assert snapshot(subsidy) == before
    message = subsidy.scenario_message.value
    assert "notes.txt" in message and "Scenario refused" in message and "not changed" in message
    assert "#D55E00" in message


def test_check_scenario_reports_every_missing_value() -> None:
    with pytest.raises(ValueError, match="no value for fund_bn_yuan, fund_years, firm_share"):
        ex.check_scenario({**scenario(SUBSIDY), "values": {}}, SUBSIDY)


# --- the app ----------------------------------------------------------------------------------


def test_app_shows_both_panels_as_tabs(monkeypatch: pytest.MonkeyPatch) -> None:
    app = ex.ExplorerApp()
    assert app.view.titles == ("Designations", "Subsidies")
    assert list(app.view.children) == [app.pipeline.view, app.subsidy.view]
    app.pipeline.set(pass_rate=0.5)
    assert app.pipeline.values["pass_rate"] == 0.5
    page = app.static_html()
    assert page.count("<svg") == 2 and app.pipeline.title in page
    assert not math.isnan(app.subsidy.result.support_per_firm_year_m_yuan)


# --- notebook 03 ------------------------------------------------------------------------------

NOTEBOOK = Path(__file__).parent.parent / "notebooks" / "03_subsidies_and_designations.ipynb"


@pytest.fixture(scope="module")
def notebook() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def test_figures_typed_in_the_notebook_are_in_data(notebook: nbformat.NotebookNode) -> None:
    unknown = figures_not_in_data(notebook)
    assert not unknown, f"figures typed in Markdown that are not in data/: {unknown}"


def test_notebook_has_its_parts(notebook: nbformat.NotebookNode) -> None:
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    opening = notebook.cells[0].source
    assert opening.startswith("# ") and "minutes" in opening
    assert "## What you will learn" in markdown and "## Key takeaways" in markdown
    assert "02_trade_war_context.ipynb" in markdown
    assert "04_state_led_vs_silicon_valley.ipynb" in markdown
    for call in (
        "PipelinePanel()",
        "SubsidyPanel()",
        "records_table(",
        "batch_needed_for_target(",
        "article_framing_per_firm(",
        "sources.references(",
    ):
        assert call in code, call
    answers = markdown.count("<details>") + code.count("<details>")
    assert answers >= 5
    for cell in notebook.cells:
        assert cell.metadata["slideshow"]["slide_type"], cell.source[:40]
