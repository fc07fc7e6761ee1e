"""Notebook 04, the debate: its data, charts and simulation panel, checked against data/."""

from __future__ import annotations

import datetime
import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import ipywidgets as widgets
import nbformat
import pandas as pd
import pytest

from explainer import charts, data, sources
from explainer.charts import debate
from explainer.charts.frames import ChartFrame
from explainer.models import picking_winners as pw
from explainer.models.picking_winners import noise_sweep, simulate_picking_winners
from explainer.parameters import parameter_specs
from explainer.widgets.debate import (
    GROUPS,
    SWEEP_MAX_DRAWS,
    PickingWinnersPanel,
    assumptions_table,
)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "04_state_led_vs_silicon_valley.ipynb"
SMALL = {"n_firms": 300, "n_draws": 20}
SPECS = parameter_specs(pw.TABLE, pw.MODEL)


@pytest.fixture(scope="module")
def arguments() -> pd.DataFrame:
    return data.load_table("debate_arguments")


@pytest.fixture(scope="module")
def evidence() -> pd.DataFrame:
    return data.load_table("debate_evidence")


@pytest.fixture(scope="module")
def known_sources() -> set[str]:
    return set(data.load_table("sources")["id"])


@pytest.fixture(scope="module")
def small_result() -> pw.SimulationResult:
    return simulate_picking_winners(**SMALL)


@pytest.fixture
def panel() -> PickingWinnersPanel:
    return PickingWinnersPanel(**SMALL)


# --- the arguments table ----------------------------------------------------------------------
def test_at_least_four_arguments_a_side_each_with_evidence_and_sources(
    arguments: pd.DataFrame, known_sources: set[str]
) -> None:
    counts = arguments["side"].value_counts()
    assert set(counts.index) == {"state-led", "market-led"}
    assert counts.min() >= 4, counts.to_dict()
    for row in arguments.itertuples():
        # evidence, not opinion alone: a substantial statement, different from the claim
        assert len(row.evidence) > 80 and row.evidence != row.claim, row.id
        assert row.source_ids and set(row.source_ids) <= known_sources, row.id
        assert row.reply and row.reply_source_ids, row.id
        assert set(row.reply_source_ids) <= known_sources, row.id


def test_arguments_are_numbered_within_each_side(arguments: pd.DataFrame) -> None:
    for _side, rows in arguments.groupby("side"):
        assert sorted(rows["order"]) == list(range(1, len(rows) + 1))


def test_arguments_tables_show_every_claim_with_sources(arguments: pd.DataFrame) -> None:
    for side in ("state-led", "market-led"):
        page = debate.arguments_table(side).to_html()
        rows = arguments[arguments["side"] == side]
        for claim in rows["claim"]:
            assert claim.replace("'", "&#x27;")[:40] in page or claim[:40] in page
        assert "The other side replies" in page and "tex2jax_ignore" in page


def test_an_unknown_side_is_refused() -> None:
    with pytest.raises(ValueError, match="side must be one of"):
        debate.arguments_frame("centrist")


# --- the evidence table -----------------------------------------------------------------------
REQUIRED_EVIDENCE = {
    "sage-2025": "sage-2025-lg-innovation",
    "lzxk-2025": "lzxk-2025-lg-productivity",
    "ctbu-2026": "ctbu-2026-zjtx-growth",
    "voxeu-no-winners": "voxeu-2023-no-winners",
    "jds-2022": "jds-2022-bulman-favours",
    "cset-2021-funds": "cset-2021-guidance-funds",
    "cq-2023-funds": "cq-2023-guidance-funds",
    "voxeu-2023-funds": "voxeu-2023-guidance-funds",
    "hsmc": "caixin-2021-hsmc",
    "ndrc-warning": "cna-2020-hsmc-ndrc",
    "big-fund": "reuters-2022-big-fund-probe",
    "nev-fraud": "reuters-2016-nev-subsidy-fraud",
    "merics-2023": "merics-igcc-2023-accelerator-brief",
    "csis-2022": "csis-2022-red-ink",
    "lg-results": "xinhua-2025-17600",
    "lane-2025": "lane-2025-korea-hci",
    "howell-2017": "howell-2017-sbir-grants",
    "jlr-2024": "juhasz-lane-rodrik-2024-new-economics",
}


def test_evidence_table_is_complete(evidence: pd.DataFrame, known_sources: set[str]) -> None:
    indexed = evidence.set_index("id")
    for row_id, source_id in REQUIRED_EVIDENCE.items():
        assert source_id in indexed.loc[row_id, "source_ids"], row_id
    for column in ("study_or_case", "finding", "direction", "data_used", "source_ids"):
        assert evidence[column].map(bool).all(), column
    assert set(evidence["direction"]) == set(debate.DIRECTIONS)
    assert all(set(ids) <= known_sources for ids in evidence["source_ids"])
    assert sorted(evidence["order"]) == list(range(1, len(evidence) + 1))


def test_studies_say_where_their_data_came_from(evidence: pd.DataFrame) -> None:
    studies = evidence[evidence["kind"] == "study"].set_index("id")
    assert "2016–2022" in studies.loc["sage-2025", "data_used"]
    assert "2007–2015" in studies.loc["jds-2022", "data_used"]
    assert "2007–2018" in studies.loc["voxeu-no-winners", "data_used"]
    assert all(len(text) > 20 for text in studies["data_used"])


def test_evidence_table_keeps_the_order_asked_for() -> None:
    page = debate.evidence_table(["hsmc", "sage-2025"]).to_html()
    assert page.index("Wuhan Hongxin") < page.index("SAGE Open")
    with pytest.raises(ValueError, match="no evidence row 'nope'"):
        debate.evidence_table(["nope"])


def test_evidence_tally_counts_the_table(evidence: pd.DataFrame) -> None:
    text = debate.evidence_tally()
    counts = evidence["direction"].value_counts()
    assert f"Of the {len(evidence)} studies" in text
    assert f"{counts['supports state-led']} support the state-led case" in text
    assert f"{counts['supports market-led']} the market-led case" in text
    studies = evidence[evidence["kind"] == "study"]
    alone = studies["direction"].value_counts()
    assert f"Of the {len(studies)} studies alone, {alone['supports state-led']} support" in text
    assert "Counting is not weighing" in text and "chosen because they were already strong" in text


def test_each_side_has_results_and_scholarly_support(evidence: pd.DataFrame) -> None:
    """The review found the state-led side without outcome evidence or a scholarly champion."""
    rows = evidence.set_index("id")
    for row_id in ("lg-results", "lane-2025", "howell-2017", "jlr-2024"):
        assert rows.loc[row_id, "direction"] == "supports state-led", row_id
    # the chosen firms' record carries its caveat: selection, not effect
    assert "Selection, not effect" in rows.loc["lg-results", "note"]
    for figure in ("3.5%", "9.6%", "13.7%", "8.9%", "31.5%"):
        assert figure in rows.loc["lg-results", "finding"], figure
    known = data.load_table("sources").set_index("id")
    for source_id, doi in {
        "howell-2017-sbir-grants": "10.1257/aer.20150808",
        "lane-2025-korea-hci": "10.1093/qje/qjaf025",
        "juhasz-lane-rodrik-2024-new-economics": "10.1146/annurev-economics-081023-024638",
    }.items():
        assert known.loc[source_id, "url"] == f"https://doi.org/{doi}", source_id
        assert doi in known.loc[source_id, "notes"], source_id


def test_wording_is_neutral_and_close_paraphrases_are_quoted(arguments: pd.DataFrame) -> None:
    text = " ".join(arguments[["claim", "evidence", "reply"]].to_numpy().ravel())
    assert "great leap" not in text.lower()
    assert "'China largely followed the Silicon Valley model'" in text
    assert "'increased government intervention is bad for China's long-term interests'" in text
    prose = _markdown()
    assert "great leap" not in prose.lower()
    assert '"China largely followed the Silicon Valley model"' in prose
    assert '"increased government intervention is bad for China\'s long-term interests"' in prose


# --- the charts -------------------------------------------------------------------------------
def _check_spec(spec: dict, known: set[str]) -> None:
    assert spec["title"]["text"].strip()
    assert any(line.startswith(("Source: ", "Sources: ")) for line in spec["title"]["subtitle"])
    assert len(spec["description"]) > 60
    assert spec["usermeta"]["source_ids"] and set(spec["usermeta"]["source_ids"]) <= known


def test_outcomes_chart_validates_with_title_source_line_and_description(
    small_result: pw.SimulationResult, known_sources: set[str]
) -> None:
    spec = charts.spec_dict(debate.outcomes_chart(small_result), validate=True)
    _check_spec(spec, known_sources)
    assert spec["title"]["text"] == "What each strategy achieved in 20 simulated worlds"
    assert any("not a forecast" in line for line in spec["title"]["subtitle"])


def test_sweep_chart_validates_and_marks_the_crossing(known_sources: set[str]) -> None:
    sweep = noise_sweep(debate.SWEEP_NOISES, **SMALL)
    spec = charts.spec_dict(debate.sweep_chart(sweep, current_noise=1.0, n_draws=20), validate=True)
    _check_spec(spec, known_sources)
    assert spec["description"] == debate.sweep_sentence(sweep)
    assert "the same 20 simulated worlds" in spec["title"]["subtitle"][0]
    rows = [str(row) for values in spec["datasets"].values() for row in values]
    assert any("Your setting: 1" in row for row in rows)
    assert any("Lines cross near" in row for row in rows)


def test_outcome_frame_matches_the_model(small_result: pw.SimulationResult) -> None:
    frame = debate.outcome_frame(small_result)
    summary = small_result.summary.set_index(["output", "strategy"])
    assert list(frame["output"].unique()) == list(debate.OUTCOMES)
    for row in frame.itertuples():
        expected = summary.loc[(row.output, row.strategy)]
        assert row.mean == pytest.approx(expected["mean"])
        assert row.p5 == pytest.approx(expected["p5"]) and row.p95 == pytest.approx(expected["p95"])


def _svg_texts(svg: str) -> list[str]:
    """Every line of text in an SVG picture (a subtitle's lines are tspans of one text)."""
    svg_ns = "{http://www.w3.org/2000/svg}"
    lines = []
    for text in ET.fromstring(svg).iter(f"{svg_ns}text"):
        spans = list(text.iter(f"{svg_ns}tspan")) or [text]
        lines += ["".join(span.itertext()).strip() for span in spans]
    return [line for line in lines if line]


@pytest.mark.parametrize(
    "overrides", [{}, {"sector_bias": 2.5, "planner_noise": 0.3, "favoured_premium": 1.0}]
)
def test_outcomes_figure_shows_the_models_numbers_and_words(overrides: dict) -> None:
    """The panel's figure (drawn live) and its static SVG come from one frame: its rows are the
    model's numbers, and the SVG shows them with the title, subtitle, source line, headings
    and a hover text for every dot and bar."""
    result = simulate_picking_winners(**{**SMALL, **overrides})
    frame = debate.outcomes_frame(result)
    assert isinstance(frame, ChartFrame) and frame.chart is debate.OUTCOMES_CHART
    rows = debate.outcome_frame(result).set_index(["output", "strategy"])
    sent = pd.DataFrame(frame.datasets["outcomes"])
    assert sent.to_dict("records") == rows.reset_index()[list(sent.columns)].to_dict("records")
    summary = result.summary.set_index(["output", "strategy"])
    assert len(rows) == 2 * len(debate.OUTCOMES)
    for (output, strategy), row in rows.iterrows():
        for column in ("mean", "p5", "p95"):
            assert row[column] == pytest.approx(summary.loc[(output, strategy), column])
        assert row["upper"] >= row["p95"]  # the axis holds every bar
        assert row["Strategy"] in row["tip"] and row["outcome"] in row["tip"]
    svg = charts.to_svg(frame.spec, vega=frame.vega())
    drawn = set(_svg_texts(svg))
    words = {
        frame.words["title"],
        *frame.words["subtitle"],
        *debate.OUTCOMES.values(),
        *debate.STRATEGY_LABELS.values(),
        *rows["shown"],
        "breaks even",
    }
    assert words <= drawn, words - drawn
    assert frame.words["subtitle"][-1].startswith("Source")
    hovers = re.findall(r"<title>([^<]*)</title>", svg)
    for tip in rows["tip"]:
        assert hovers.count(html.escape(tip, quote=False)) == 2, tip  # its dot and its bar
    assert frame.words["description"] == debate.outcomes_chart(result)["description"]


def test_outcomes_figure_fits_a_notebook_column_with_legible_text(
    small_result: pw.SimulationResult,
) -> None:
    """An 848-px column (JupyterLab at 1280 px) shows the figure at its own size: no
    shrinking, so no text below 13 px."""
    svg = charts.to_svg(debate.outcomes_chart(small_result))
    root = ET.fromstring(svg)
    assert float(root.get("width")) <= 840
    sizes = {float(s) for s in re.findall(r'font-size="([0-9.]+)', svg)}
    sizes |= {float(s) for s in re.findall(r"font-size:\s*([0-9.]+)px", svg)}
    assert sizes and min(sizes) >= 13, sorted(sizes)


def test_figures_built_as_dicts_check_against_the_schema(small_result: pw.SimulationResult) -> None:
    sweep = noise_sweep(debate.SWEEP_NOISES, **SMALL)
    flips = debate.flip_frame(**SMALL)
    figures = [
        debate.outcomes_chart(small_result),
        debate.sweep_chart(sweep, current_noise=1.0),
        debate.flip_chart(flips, n_draws=20),
    ]
    for figure in figures:
        assert isinstance(figure, debate.FigureSpec)
        figure.to_dict(validate=True)
        assert sources.collect_ids(figure) == list(debate.SIMULATION_SOURCES)
        bundle = figure._repr_mimebundle_()
        assert "<svg" in bundle["text/html"] and "Chart description." in bundle["text/html"]
    broken = debate.FigureSpec({**figures[1], "layer": [{"mark": "wiggle"}]})
    with pytest.raises(Exception, match="wiggle"):
        broken.to_dict(validate=True)


def test_noise_crossing_interpolates_between_sweep_points() -> None:
    def sweep(planner: list[float], market: float) -> pd.DataFrame:
        noise = [0.0, 1.0, 2.0]
        rows = [("planner", n, v) for n, v in zip(noise, planner, strict=True)]
        rows += [("market", n, market) for n in noise]
        return pd.DataFrame(rows, columns=["strategy", "planner_noise", "value_per_yuan_mean"])

    assert debate.noise_crossing(sweep([3.0, 2.0, 1.0], 1.5)) == pytest.approx(1.5)
    assert debate.noise_crossing(sweep([3.0, 2.5, 2.0], 1.0)) is None
    assert debate.noise_crossing(sweep([1.0, 0.8, 0.5], 2.0)) is None


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({}, "does better than the market while its signal noise is below about"),
        ({"sector_bias": 3.0}, "the market does better even when the planner sees"),
        ({"market_noise": 3.0, "market_coverage": 0.1}, "stays ahead of the market across"),
    ],
)
def test_sweep_sentence_covers_each_outcome(overrides: dict, words: str) -> None:
    sweep = noise_sweep(debate.SWEEP_NOISES, **{**SMALL, **overrides})
    assert words in debate.sweep_sentence(sweep)


def test_answers_fold_away_and_escape_dollars() -> None:
    text = debate.answer("It cost $5 and $6.")
    assert text.startswith("<details><summary>Show the answer</summary>")
    assert text.rstrip().endswith("</details>") and r"\$5" in text


def test_mean_outcome_reads_the_summary(small_result: pw.SimulationResult) -> None:
    summary = small_result.summary
    row = summary[(summary["output"] == "hit_share") & (summary["strategy"] == "market")]
    assert debate.mean_outcome(small_result, "hit_share", "market") == row["mean"].item()
    with pytest.raises(KeyError):
        debate.mean_outcome(small_result, "happiness", "market")


# --- the deciding assumption: favoured sectors' real edge --------------------------------------
def test_favoured_premium_is_a_record_with_a_neutral_default() -> None:
    spec = SPECS["favoured_premium"]
    assert spec.default == 0 and spec.minimum < 0 < spec.maximum
    assert spec.basis == "assumption"
    assert "favoured_premium" in GROUPS["The start-ups"]


def test_favoured_premium_makes_favoured_firms_better_and_keeps_the_average() -> None:
    base = simulate_picking_winners(**SMALL)
    neutral = simulate_picking_winners(**SMALL, favoured_premium=0.0)
    assert base.summary.equals(neutral.summary)  # the default draws the same world
    better = simulate_picking_winners(
        **{**SMALL, "n_firms": 5000}, favoured_premium=1.0
    ).example_firms
    favoured = better.loc[better["favoured"], "potential"].mean()
    others = better.loc[~better["favoured"], "potential"].mean()
    assert favoured > 2 * others  # e^1 = 2.7 times, before sampling noise
    need = SPECS["firm_capital_need"].default
    assert better["potential"].mean() == pytest.approx(need, rel=0.25)


def test_with_a_real_edge_a_modest_bonus_pays_and_without_one_it_does_not() -> None:
    def planner(**values: float) -> float:
        result = simulate_picking_winners(n_draws=60, **values)
        return debate.mean_outcome(result, "value_per_yuan", "planner")

    assert planner(sector_bias=0.5) < planner(sector_bias=0.0)
    assert planner(favoured_premium=1.0, sector_bias=0.5) > planner(
        favoured_premium=1.0, sector_bias=0.0
    )


# --- the panel, driven from code --------------------------------------------------------------
def test_panel_has_a_control_for_every_record_within_its_bounds(panel: PickingWinnersPanel) -> None:
    assert list(panel.controls) == list(SPECS)
    for name, spec in SPECS.items():
        control = panel.controls[name]
        assert control.min == spec.minimum, name
        assert control.max == spec.maximum, name
        assert spec.label in control.description and spec.unit in control.description
    assert isinstance(panel.controls["seed"], widgets.BoundedIntText)


def test_setting_values_changes_the_result_summary_and_figure(panel: PickingWinnersPanel) -> None:
    before = panel.result.summary.copy()
    sentence, figure = panel.summary, panel.chart_view.chart
    panel.set(sector_bias=2.5, planner_noise=2.0)
    assert panel.values["sector_bias"] == 2.5
    assert panel.result.parameters["sector_bias"] == 2.5
    assert not panel.result.summary["mean"].equals(before["mean"])
    result = panel.result
    assert panel.summary == f"{result.summary_sentence()} {result.sector_sentence()}" != sentence
    assert isinstance(panel.chart_view.frame, ChartFrame)
    assert panel.chart_view.chart is not figure
    expected = debate.outcomes_frame(panel.result)
    assert panel.chart_view.frame.datasets == expected.datasets
    assert panel.chart_view.chart["description"] == expected.words["description"]
    assert panel.summary in panel.summary_widget.value.replace("&#x27;", "'")
    panel.reset()
    assert panel.values == {name: spec.default for name, spec in SPECS.items()}


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"planner_noise": 5}, "planner_noise must be between 0 and 3"),
        ({"n_firms": 50}, "n_firms must be between 100 and 10000"),
        ({"seed": 1.5}, "seed must be a whole number"),
        ({"market_coverage": 0}, "market_coverage must be between 0.01 and 1"),
        ({"first_bet_share": 0.95}, "first_bet_share must be between 0.01 and 0.9"),
        ({"n_first_bets": 100}, "no setting named 'n_first_bets'"),
        ({"temperature": 1}, "no setting named 'temperature'"),
    ],
)
def test_invalid_values_raise_naming_the_setting_and_change_nothing(
    panel: PickingWinnersPanel, values: dict, named: str
) -> None:
    before, summary = panel.values, panel.summary
    with pytest.raises(ValueError, match=re.escape(named)):
        panel.set(**values)
    assert panel.values == before and panel.summary == summary


def test_first_bets_are_a_share_of_the_start_ups(panel: PickingWinnersPanel) -> None:
    panel.set(n_firms=1000, market_coverage=0.8)
    assert panel.result.n_first_bets == 800
    panel.controls["n_firms"].value = 400  # as a reader's slider would: no other slider moves
    assert panel.values["market_coverage"] == 0.8
    assert panel.result.n_first_bets == 320 and panel.message.value == ""


def test_the_sweep_is_drawn_on_request(panel: PickingWinnersPanel, known_sources: set[str]) -> None:
    assert panel.sweep_is_current and panel.sweep is not None
    _check_spec(charts.spec_dict(panel.sweep_view.chart, validate=True), known_sources)
    assert panel.sweep_summary in panel.sweep_note.value.replace("&#x27;", "'")
    drawn = panel.sweep_view.chart
    panel.set(planner_noise=2.0)  # the curves do not depend on it
    assert panel.sweep_is_current and "yours is now 2" in panel.sweep_note.value
    panel.set(sector_bias=1.5)
    assert not panel.sweep_is_current and "earlier settings" in panel.sweep_note.value
    assert panel.sweep_view.chart is drawn  # nothing redrawn until asked
    panel.sweep_button.click()
    assert panel.sweep_is_current and panel.sweep_view.chart is not drawn
    assert panel.sweep_settings["sector_bias"] == 1.5


def test_the_sweep_uses_at_most_its_share_of_worlds() -> None:
    panel = PickingWinnersPanel(n_firms=200, market_coverage=0.25, n_draws=SWEEP_MAX_DRAWS + 10)
    assert panel.sweep_settings["n_draws"] == SWEEP_MAX_DRAWS
    assert panel.result.parameters["n_draws"] == SWEEP_MAX_DRAWS + 10


def test_scenarios_save_and_load_as_in_the_explorer(
    panel: PickingWinnersPanel, tmp_path: Path
) -> None:
    panel.set(sector_bias=1.5, favoured_premium=-0.5, seed=7)
    scenario = panel.export_scenario()
    assert scenario == {
        "format": "little-giants-scenario",
        "version": 1,
        "model": "simulate_picking_winners",
        "values": panel.values,
    }
    path = panel.export_scenario(tmp_path / "mine.json")
    assert json.loads(path.read_text())["values"]["favoured_premium"] == -0.5
    panel.reset()
    panel.import_scenario(path)
    assert panel.values == scenario["values"] and panel.result.parameters["seed"] == 7
    panel.export_folder = tmp_path  # the button saves a file and says where
    panel.export_button.click()
    assert panel.last_export is not None and panel.last_export.exists()
    assert "Saved as" in panel.scenario_message.value


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"model": "subsidy_arithmetic"}, "is for the 'subsidy_arithmetic' model"),
        ({"values": {"n_firms": 2000}}, "it has no value for"),
        ({"values": "many"}, "should be an object"),
    ],
)
def test_a_bad_scenario_is_refused_and_changes_nothing(
    panel: PickingWinnersPanel, change: dict, words: str
) -> None:
    before = panel.values
    scenario = {**panel.export_scenario(), **change}
    with pytest.raises(ValueError, match=re.escape(words)):
        panel.import_scenario(scenario)
    assert panel.values == before


def test_a_scenario_of_the_earlier_model_is_refused(panel: PickingWinnersPanel) -> None:
    scenario = panel.export_scenario()
    scenario["values"] = {**scenario["values"], "n_first_bets": 200}
    with pytest.raises(ValueError, match="unknown setting.*'n_first_bets'"):
        panel.import_scenario(scenario)
    upload = json.dumps(scenario).encode()
    panel.upload.value = (  # as the browser's file picker hands it over
        {
            "name": "bad.json",
            "type": "application/json",
            "size": len(upload),
            "content": memoryview(upload),
            "last_modified": datetime.datetime.now(datetime.timezone.utc),
        },
    )
    message = panel.scenario_message.value
    assert "bad.json" in message and "not changed" in message


def test_assumptions_table_shows_every_record_as_typed() -> None:
    frame = assumptions_table().data
    assert list(frame["Setting"]) == [spec.label for spec in SPECS.values()]
    defaults = dict(zip(frame["Setting"], frame["Default"], strict=True))
    assert defaults[SPECS["seed"].label] == "2022" and defaults[SPECS["tail_sigma"].label] == "1.5"
    assert defaults[SPECS["favoured_premium"].label] == "0"
    assert set(frame["Basis"]) == {"assumption"}


def test_static_view_shows_settings_summary_figure_and_sweep(panel: PickingWinnersPanel) -> None:
    page = panel.static_html()
    assert "Planner&#x27;s noise before investing" in page
    assert "Where the planner" in page and page.count("<svg") == 2
    assert "not a forecast" in page


# --- the notebook -----------------------------------------------------------------------------
def _markdown() -> str:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    return " ".join(c.source for c in notebook.cells if c.cell_type == "markdown")


def _data_text() -> str:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "data").glob("*.csv")))
    return re.sub(r"(?<=\d),(?=\d{3})", "", text)


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in re.findall(r"(?<![\w.])\d[\d,]*(?:\.\d+)?", text)}


def test_numbers_typed_in_the_notebook_are_in_data() -> None:
    """Every figure in the prose is in a data table, or is a slider setting that an exercise
    asks for and the notebook's own code then uses (so question and answer agree)."""
    prose = re.sub(r"\]\([^)]*\)", "]", _markdown())  # link targets are addresses, not figures
    prose = re.sub(r"<[^>]+>", " ", prose)
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    settings = _numbers(" ".join(c.source for c in notebook.cells if c.cell_type == "code"))
    text = _data_text()
    missing = sorted(
        n
        for n in _numbers(prose) - settings
        if not re.search(rf"(?<![\d.]){re.escape(n)}(?![\d])", text)
    )
    assert not missing, f"numbers in the notebook's Markdown that no data table holds: {missing}"


def test_figures_quoted_in_prose_match_their_rows() -> None:
    prose = _markdown()
    evidence = data.load_table("debate_evidence").set_index("id")
    for row_id, figures in {
        "csis-2022": ["1.73%", "0.39%"],
        "cset-2021-funds": ["1,741", "4.76 trillion", "11 trillion"],
        "voxeu-2023-funds": ["2,107", "6.51 trillion", "12.84 trillion"],
        "cq-2023-funds": ["1,800", "1.52 trillion"],
        "chokepoints-2018": ["35 technologies"],
    }.items():
        for figure in figures:
            assert figure in evidence.loc[row_id, "finding"], (row_id, figure)
            assert figure.split(" ")[0] in prose, (row_id, figure)


def test_notebook_frames_the_simulation_and_the_quotation_honestly() -> None:
    prose = _markdown()
    assert "thinking tool, not a forecast" in prose
    assert "could not verify" in prose.lower() or "not verify" in prose.lower()
    for neighbour in ("03_subsidies_and_designations", "06_for_teachers", "00_start_here"):
        assert f"{neighbour}.ipynb" in prose
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    answers = [c for c in notebook.cells if c.cell_type == "code" and "debate.answer(" in c.source]
    assert len(answers) >= 3 and "<details>" in prose


def test_the_deciding_assumption_comes_before_the_panel() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    panel_cell = next(i for i, c in enumerate(notebook.cells) if "PickingWinnersPanel(" in c.source)
    before = " ".join(c.source for c in notebook.cells[:panel_cell] if c.cell_type == "markdown")
    assert "no better than others" in before and "extra potential of favoured sectors" in before
    assert SPECS["favoured_premium"].label.lower() in before.lower()


def test_every_citation_in_the_prose_is_in_the_sources_list() -> None:
    """The closing list is built from the tables (debate.sources_used); a citation typed in the
    prose must name a source that list holds, so the two cannot drift apart."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = " ".join(c.source for c in notebook.cells if c.cell_type == "code")
    assert "debate.sources_used(" in code and "cited_in_prose" not in code
    claims = data.load_table("article_claims").query("id == 'naughton-warning'")
    listed = sources.sources_table(debate.sources_used(claims))["id"]
    table = data.load_table("sources").set_index("id").loc[listed]
    known = " ".join(table["publisher"] + " " + table["title"] + " " + table["notes"].fillna(""))
    markers = re.findall(r"\*\(([^)]*)\)\*", _markdown())
    assert len(markers) >= 10
    for marker in markers:
        for part in marker.split(";"):
            name = part.split(",")[0].strip().removeprefix("The ")
            assert name in known or name.split()[0] in known, (marker, name)


def test_every_default_sits_on_its_slider_grid() -> None:
    # A browser slider snaps to minimum + k * step; a default off that grid would move by itself.
    for name, spec in SPECS.items():
        steps = (spec.default - spec.minimum) / spec.step
        assert abs(steps - round(steps)) < 1e-9, name


def test_a_slider_echo_of_the_same_value_keeps_the_sweep_current(
    panel: PickingWinnersPanel,
) -> None:
    # Browser sliders snap to min + k * step in floating point: 0.25 + 25 * 0.05 != 1.5.
    panel.controls["tail_sigma"].value = 0.25 + 25 * 0.05
    assert panel.sweep_is_current and "earlier settings" not in panel.sweep_note.value
