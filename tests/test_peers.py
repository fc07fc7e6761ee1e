"""Notebook 05, peers compared: data, derived tables, charts and links, checked against data/."""

from __future__ import annotations

import math
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from prose_check import figures_not_in_data

from explainer import charts, data, peers
from explainer.charts import peers as peer_charts
from explainer.models.picking_winners import simulate_picking_winners
from explainer.parameters import parameter_specs

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "05_peers_compared.ipynb"
GUIDE = ROOT / "notebooks" / "06_for_teachers.ipynb"
TABLES = [
    "peer_schemes",
    "peer_counts",
    "sme_counts",
    "peer_support",
    "peer_currency",
    "peer_evidence",
    "peer_model_settings",
]
KEYS = {"peer_schemes": "id", "peer_counts": "id", "sme_counts": "country", "peer_support": "id"}
KEYS["peer_evidence"] = "id"


@pytest.fixture(scope="module")
def notebook() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def _markdown(notebook: nbformat.NotebookNode) -> str:
    return "\n\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")


# --- data -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", TABLES)
def test_peer_tables_load_and_cite_known_sources(name: str) -> None:
    table = data.load_table(name)  # checks types, keys and that every source id resolves
    assert len(table) > 0


def test_every_scheme_id_used_is_a_scheme() -> None:
    ids = set(peers.schemes()["id"])
    assert len(ids) == 5 and peers.CHINA in ids
    for name in ("peer_counts", "peer_support", "peer_evidence", "peer_model_settings"):
        assert set(data.load_table(name)["scheme"]) <= ids, name


def test_every_peer_figure_has_a_locator() -> None:
    """Each (row, source) of the new tables says where in the source its figure stands.

    The rows wait in ``data/pending/locators_peers.csv`` until the lead folds them into
    ``data/locators.csv`` (either file counts). China's rows cite sources recorded for
    notebook 1; their locators belong to that record.
    """
    found = set()
    known = set(data.load_table("sources")["id"])
    for path in (ROOT / "data" / "locators.csv", ROOT / "data" / "pending" / "locators_peers.csv"):
        if path.exists():
            rows = pd.read_csv(path, dtype=str)
            assert rows["locator"].str.strip().str.len().min() > 0, path.name
            assert set(rows["source_id"]) <= known, f"{path.name}: unknown source ids"
            found |= set(zip(rows["table"], rows["row_key"], rows["source_id"]))
    missing = []
    for table, key in KEYS.items():
        frame = data.load_table(table)
        if "scheme" in frame:
            frame = frame[frame["scheme"] != peers.CHINA]
        if table == "peer_schemes":
            frame = frame[frame["id"] != peers.CHINA]
        for _, row in frame.iterrows():
            missing += [
                (table, row[key], s)
                for s in row["source_ids"]
                if (table, str(row[key]), s) not in found
            ]
    assert not missing, f"rows without a locator: {missing[:5]}"


def test_disagreements_are_kept_not_resolved() -> None:
    counts = data.load_table("peer_counts").set_index("id")
    assert (counts.loc["jp-2020-applicants", ["firms", "firms_alt"]] == [249, 294]).all()
    assert (counts.loc["kr-sobujang-2019-named", ["firms", "firms_alt"]] == [55, 54]).all()
    assert (counts.loc["jp-2014-applicants", ["firms", "firms_alt"]] == [281, 280]).all()


def test_every_currency_rate_is_a_marked_assumption_inside_its_bounds() -> None:
    rates = data.load_table("peer_currency")
    assert set(rates["currency"]) >= set(data.load_table("peer_support")["currency"])
    assert (rates["minimum"] <= rates["per_euro"]).all()
    assert (rates["per_euro"] <= rates["maximum"]).all()
    assert (rates.loc[rates["currency"] != "EUR", "basis"] == "assumption").all()


def test_the_new_glossary_terms_are_in_their_own_scripts() -> None:
    glossary = data.load_table("glossary").set_index("term")
    korean = glossary.loc[
        ["Strong small firm (Korea)", "Sobujang (materials, parts and equipment)"]
    ]
    assert korean["chinese"].tolist() == ["강소기업", "소부장"]
    assert korean["pinyin"].tolist() == ["gangso gieop", "sobujang"]
    japanese = glossary.loc["Global Niche Top (Japan)"]
    assert japanese["chinese"] == "グローバルニッチトップ" and japanese["pinyin"]
    for term in ("Hidden champion", "Mittelstand"):
        assert "German" in glossary.loc[term, "definition"]


# --- derived tables ---------------------------------------------------------------------------


def test_scale_is_firms_over_smes() -> None:
    table = peers.scale_table().set_index("scheme")
    smes = data.load_table("sme_counts").set_index("country")["smes"]
    germany = table.loc["germany-hidden-champions"]
    assert germany["holding_per_10k"] == pytest.approx(1573 / smes["Germany"] * 10_000)
    assert pd.isna(germany["named_per_year"])  # nobody names them
    batches = data.load_table("designation_batches")
    named = batches["final_count"].fillna(batches["public_notice_count"])
    china = table.loc[peers.CHINA]
    years = batches["year"].max() - batches["year"].min() + 1
    assert china["named_per_year"] == pytest.approx(named.sum() / years)
    assert china["named_per_year_per_10k"] == pytest.approx(
        named.sum() / years / smes["China"] * 10_000
    )
    korea = table.loc["korea-sobujang"]
    assert korea["firms_named"] == 55 + 46 + 20 and korea["named_per_year"] == pytest.approx(
        121 / 3
    )


def test_named_rounds_pair_applicants_with_the_round() -> None:
    rounds = peers.named_rounds().set_index(["scheme", "year"])
    assert rounds.loc[("korea-sobujang", 2019), "applicants"] == 1064
    assert rounds.loc[("japan-gnt", 2020), "applicants_alt"] == 294
    assert pd.isna(rounds.loc[("korea-wc300", 2011), "applicants"])


@settings(max_examples=30, deadline=None)
@given(krw=st.floats(1000, 2000), cny=st.floats(6, 9))
def test_support_in_euros_follows_the_rates(krw: float, cny: float) -> None:
    table = peers.support_per_firm(rates={"KRW": krw, "CNY": cny}).set_index("scheme")
    korea = table.loc["korea-sobujang"]
    assert korea["eur_per_year_m"] == pytest.approx(18200 / 5 / krw, abs=0.006)
    china = table.loc[peers.CHINA]
    assert china["eur_per_year_m"] == pytest.approx(china["local_per_year_m"] / cny, abs=0.006)
    # Exercise 3's answer: the order of the bars does not depend on the rates.
    assert korea["eur_per_year_m"] > table.loc["korea-wc300", "eur_per_year_m"]
    assert table.loc["korea-wc300", "eur_per_year_m"] > china["eur_per_year_m"]


@settings(max_examples=30, deadline=None)
@given(
    value=st.one_of(
        st.floats(max_value=999.99, allow_nan=False),
        st.floats(min_value=2000.01, allow_nan=False),
        st.just(math.nan),
        st.booleans(),
        st.text(max_size=3),
    )
)
def test_a_rate_out_of_bounds_is_refused_by_name(value: object) -> None:
    with pytest.raises(ValueError, match=r"rates\['KRW'\] must be a number from 1000 to 2000"):
        peers.currency_rates({"KRW": value})


def test_an_unknown_currency_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown currency 'USD'"):
        peers.currency_rates({"USD": 1.1})


def test_china_support_is_notebook_3s_default_average() -> None:
    from explainer.models.subsidy import subsidy_arithmetic

    china = peers.support_per_firm().set_index("scheme").loc[peers.CHINA]
    expected = subsidy_arithmetic().support_per_firm_year_m_yuan
    assert china["local_per_year_m"] == pytest.approx(expected, abs=0.005)
    assert china["kind"] == "average under assumptions"


def test_model_settings_name_real_parameters_within_their_bounds() -> None:
    specs = parameter_specs("parameters_simulation", "simulate_picking_winners")
    for _, row in data.load_table("peer_model_settings").iterrows():
        assert row["parameter"] in specs, f"{row['parameter']} is not a model parameter"
        spec = specs[row["parameter"]]
        assert spec.minimum <= row["value"] <= spec.maximum, row["parameter"]
    assert peers.model_settings("germany-hidden-champions") == {}
    with pytest.raises(ValueError, match="scheme must be one of"):
        peers.model_settings("france")


def test_design_runs_apply_each_designs_settings() -> None:
    runs = peers.design_runs(n_draws=20).set_index("scheme")
    assert pd.isna(runs.loc["germany-hidden-champions", "planner_value_per_yuan"])
    japan = simulate_picking_winners(n_draws=20, **peers.model_settings("japan-gnt"))
    mean = japan.summary.set_index(["strategy", "output"])["mean"]
    assert runs.loc["japan-gnt", "planner_value_per_yuan"] == pytest.approx(
        mean["planner", "value_per_yuan"]
    )


def test_the_line_runs_from_nobody_to_the_state_ex_ante() -> None:
    table = peers.schemes().sort_values("line_position")
    rank = {"nobody": 0, "state ex post": 1, "state ex ante": 2}
    chooser = table["who_chooses"].map(rank).tolist()
    assert chooser == sorted(chooser)
    assert sorted(table["line_position"]) == list(peers.LINE_LABELS)


# --- charts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "build", [peer_charts.line_chart, peer_charts.scale_chart, peer_charts.support_chart]
)
def test_charts_are_valid_titled_described_and_sourced(build) -> None:
    spec = charts.spec_dict(build(), validate=True)
    assert spec["title"]["text"] and len(spec["description"]) > 80
    assert spec["usermeta"]["source_ids"]


def test_support_chart_says_whose_rates_it_uses() -> None:
    ours = charts.spec_dict(peer_charts.support_chart())
    assert "our assumptions" in " ".join(ours["title"]["subtitle"])
    theirs = charts.spec_dict(peer_charts.support_chart(rates={"KRW": 1000}))
    assert "KRW 1,000" in theirs["title"]["subtitle"][0]
    assert "KRW set by the reader; the rest our assumptions" in theirs["title"]["subtitle"][0]


def test_tables_render() -> None:
    for styler in (
        peer_charts.schemes_table(),
        peer_charts.rounds_table(),
        peer_charts.evidence_table(),
        peer_charts.evidence_table("korea-wc300"),
    ):
        assert "<table" in styler.to_html()
    with pytest.raises(ValueError, match="scheme must be one of"):
        peer_charts.evidence_table("france")


# --- the notebook and its neighbours -----------------------------------------------------------


def test_notebook_has_the_standard_parts(notebook: nbformat.NotebookNode) -> None:
    text = _markdown(notebook)
    for part in (
        "In this notebook you will learn to",
        "*Time:",
        "## Key takeaways",
        "## Exercises",
        "## Sources",
        "## Where next",
        "Selection, not effect",
    ):
        assert part in text, part
    assert text.count("<details>") >= 5
    for neighbour in ("04_state_led_vs_silicon_valley", "06_for_teachers", "00_start_here"):
        assert f"{neighbour}.ipynb" in text


def test_figures_typed_in_the_notebook_are_in_data(notebook: nbformat.NotebookNode) -> None:
    unknown = figures_not_in_data(notebook, days=True)
    assert not unknown, f"figures typed in Markdown that are not in data/: {unknown}"


def test_the_reading_order_includes_notebook_5() -> None:
    start = _markdown(nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4))
    assert "(05_peers_compared.ipynb)" in start
    debate = nbformat.read(
        ROOT / "notebooks" / "04_state_led_vs_silicon_valley.ipynb", as_version=4
    )
    assert re.search(r"Next: \[[^]]+\]\(05_peers_compared\.ipynb\)", debate.cells[-1].source)
    assert "notebooks/05_peers_compared.ipynb" in (ROOT / "README.md").read_text()


def test_the_peers_lesson_plan_adds_up_to_45_minutes() -> None:
    guide = nbformat.read(GUIDE, as_version=4)
    plan = next(
        c.source for c in guide.cells if c.source.startswith("## Lesson plan for notebook 5")
    )
    rows = re.findall(r"^\| (\d+) \|", plan, flags=re.M)
    assert rows and sum(map(int, rows)) == 45
