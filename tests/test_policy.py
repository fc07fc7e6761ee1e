"""Policy history: charts, the tables behind them, the record explorer and notebook 01.

The notebook checks at the end are the ones a reader cares about: every figure typed in the
notebook's Markdown is a figure in ``data/``, and the claims table is complete.
"""

from __future__ import annotations

import re
from pathlib import Path

import ipywidgets as widgets
import nbformat
import pandas as pd
import pytest
from ipywidgets.widgets.widget import _instances
from ipywidgets.widgets.widget_link import DirectionalLink, Link
from prose_check import figures_not_in_data, prose_figures

from explainer import charts, data
from explainer.charts import policy
from explainer.widgets.policy import RecordExplorer

NOTEBOOK = Path(__file__).parent.parent / "notebooks" / "01_policy_history.ipynb"

CHART_BUILDERS = [
    policy.policy_timeline,
    policy.batches_against_target,
    policy.reviews_chart,
    policy.regions_chart,
    policy.provinces_chart,
    policy.sectors_chart,
    policy.key_firms_chart,
    policy.designations_and_stock,  # notebook 00 uses it: it must keep working
]


# --- charts -----------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=CHART_BUILDERS, ids=lambda f: f.__name__)
def chart_spec(request: pytest.FixtureRequest) -> dict:
    return charts.spec_dict(request.param(), validate=True)


def test_chart_has_title_source_line_and_description(chart_spec: dict) -> None:
    assert chart_spec["title"]["text"].strip()
    subtitle = " ".join(chart_spec["title"]["subtitle"])
    assert re.search(r"Sources?: ", subtitle), subtitle
    assert len(chart_spec["description"]) > 40
    assert chart_spec["usermeta"]["source_ids"]


def test_chart_sources_are_known(chart_spec: dict) -> None:
    known = set(data.load_table("sources")["id"])
    assert set(chart_spec["usermeta"]["source_ids"]) <= known


def test_every_mark_has_a_tooltip_somewhere(chart_spec: dict) -> None:
    text = str(chart_spec)
    assert "'tooltip'" in text


def test_charts_render_offline() -> None:
    for build in (policy.policy_timeline, policy.sectors_chart):
        svg = charts.to_svg(build())
        assert svg.startswith("<svg") and "<title>" in svg
        assert "https://" not in svg


# --- the tables behind the charts -------------------------------------------------------------


def test_batch_table_keeps_both_counts_and_the_alternatives() -> None:
    table = policy.batch_table()
    batch2 = table[table["batch"] == 2].set_index("count")
    assert batch2.loc["public_notice", "firms"] > batch2.loc["final", "firms"]
    assert batch2.loc["public_notice", "firms_alt"] == 1748
    batches = data.load_table("designation_batches")
    assert set(table.loc[table["count"] == "public_notice", "batch"]) == set(batches["batch"])


def test_first_three_batches_make_the_storys_number() -> None:
    table = policy.batch_table()
    finals = table[(table["count"] == "final") & (table["batch"] <= 3)]["firms"].sum()
    stock = data.load_table("designation_stock").set_index("date")["stock"]
    assert finals == stock[pd.Timestamp("2021-08-21")] == 4762


def test_stock_reports_are_placed_only_as_exactly_as_known() -> None:
    stock = policy.stock_reports().set_index("stock")
    year_only = stock.loc[1832]  # batches 1 and 2, a figure known only to the year
    assert year_only["date_precision"] == "year" and not year_only["exact_date"]
    assert year_only["x"] == pd.Timestamp("2020-07-01")  # mid-year, not 1 January
    assert year_only["placed"] == "during 2020" and year_only["when"] == "2020"
    month_only = stock.loc[12000]
    assert month_only["x"] == pd.Timestamp("2023-07-15")
    assert month_only["placed"] == "in Jul 2023" and month_only["as_reported"] == "more than 12,000"
    assert stock.loc[4762, "placed"] == "on 21 Aug 2021"
    assert policy.dated(pd.Timestamp("2019-06-05"), "day") == "on 5 Jun 2019"
    with pytest.raises(ValueError, match="precision must be one of"):
        policy.drawn_at(pd.Timestamp("2020-01-01"), "week")


def test_stock_is_drawn_as_points_with_a_step_not_a_trend() -> None:
    for build in (policy.designations_and_stock, policy.batches_against_target):
        spec = charts.spec_dict(build())
        marks = [layer["mark"] for layer in spec["layer"]]
        lines = [m for m in marks if isinstance(m, dict) and m.get("type") == "line"]
        assert lines and all(m["interpolate"] == "step-after" for m in lines), build.__name__
        assert all("point" not in m for m in lines)
        text = str(spec)
        assert "during 2020" in text and "Jan 2020" not in text


def test_batches_without_a_notice_date_are_placed_by_year() -> None:
    counts = policy.batch_counts().set_index("batch")
    assert counts.loc[2, "date"] == pd.Timestamp("2020-07-01") and counts.loc[2, "when"] == "2020"
    assert counts.loc[1, "when"] == "5 Jun 2019"


def test_provinces_chart_marks_gaps_instead_of_zero() -> None:
    text = str(charts.spec_dict(policy.provinces_chart()))
    assert "no figure found" in text and "Batch 6: not reported" in text
    assert "Shanghai" in text and "Shandong" in text


def test_target_crossing_is_bracketed() -> None:
    crossing = policy.target_crossing()
    assert crossing["before"]["stock"] < crossing["target"] <= crossing["after"]["stock"]
    assert crossing["before"]["date"] < crossing["after"]["date"] < crossing["deadline"]
    assert crossing["after"]["date"].year == 2023


def test_review_attrition_shares() -> None:
    reviews = policy.review_attrition()
    assert list(reviews["batch"]) == [1, 2, 3]
    assert (reviews["kept"] <= reviews["final"]).all()
    assert reviews["kept_share"].is_monotonic_increasing
    first = reviews.iloc[0]
    assert first["kept"] == 155 and first["kept_alt"] == 142


def test_region_and_sector_shares_add_up() -> None:
    regions = policy.region_shares()
    assert regions.groupby("group")["share"].sum().round(9).eq(1).all()
    sectors = policy.sector_shares()
    assert sectors.groupby("view")["share_pct"].sum().round(6).eq(100).all()
    assert set(sectors["sector"]) <= set(policy.SECTORS)


def test_sector_counts_match_their_shares() -> None:
    sectors = data.load_table("sectors")
    counted = sectors[sectors["firms"].notna()]
    shares = 100 * counted["firms"] / counted["firms_counted"]
    assert (shares - counted["share_pct"]).abs().max() < 0.01


def test_key_firm_running_total() -> None:
    rounds = policy.key_firm_rounds()
    assert rounds["cumulative"].iloc[-1] == rounds["funded_firms"].sum()


def test_criteria_tables() -> None:
    national = policy.criteria_table("national-2018").data
    assert "100 to 400 million yuan" in set(national["Threshold"])
    assert len(policy.criteria_table("hunan-2006").data) >= 4
    with pytest.raises(ValueError, match="scheme must be one of .*got 'beijing'"):
        policy.criteria_table("beijing")


def test_record_up_to_checks_its_input() -> None:
    with pytest.raises(ValueError, match="count must be one of public_notice, final, net_stock"):
        policy.record_up_to("gross", 2021)
    with pytest.raises(ValueError, match=r"year must be a whole year between 2019 and \d{4}"):
        policy.record_up_to("final", 2018)
    with pytest.raises(ValueError, match="year must be"):
        policy.record_up_to("final", 2021.5)


# --- the record explorer ----------------------------------------------------------------------


def test_panel_is_driven_from_code() -> None:
    panel = RecordExplorer(count="final", year=2021)
    assert panel.values == {"count": "final", "year": 2021}
    assert panel.result.added_up == 4762 and panel.result.passed is None
    assert "4,762" in panel.summary and "not yet been reached" in panel.summary
    first_chart = panel.chart_view.chart

    panel.set(count="public_notice", year=2024)
    assert panel.values == {"count": "public_notice", "year": 2024}
    assert panel.result.added_up > 14600
    assert panel.result.passed == pd.Timestamp("2023-07-01")
    assert "passed in Jul 2023" in panel.summary
    assert panel.chart_view.chart is not first_chart
    assert panel.chart_view.chart["title"]["text"] == "Public-notice lists, up to 2024"
    assert panel.chart_view.chart == charts.spec_dict(policy.record_chart(panel.result))

    panel.set(count="net_stock")
    assert panel.result.added_up is None and panel.result.batches.empty
    assert "<svg" in panel.chart_view.figure_html()


@pytest.mark.parametrize(
    ("count", "year"), [("final", 2019), ("public_notice", 2023), ("net_stock", 2020)]
)
def test_record_spec_is_the_charts_spec_and_draws_the_same_picture(count: str, year: int) -> None:
    view = policy.record_up_to(count, year)
    chart = policy.record_chart(view)
    spec = policy.record_spec(view)
    assert spec == charts.spec_dict(chart, validate=True)
    assert charts.to_svg(spec, vega=policy.record_vega(spec)) == charts.to_svg(spec)


def test_record_chart_keeps_its_axes_and_greys_the_comparison() -> None:
    early, late = (policy.record_spec(policy.record_up_to("final", y)) for y in (2019, 2025))
    assert early["layer"] is late["layer"]  # the layers, and so the axes, never change
    assert {row["colour"] for row in late["datasets"]["stock"]} == {"#999999"}
    net = policy.record_spec(policy.record_up_to("net_stock", 2025))
    assert net["datasets"]["batches"] == []
    assert {row["colour"] for row in net["datasets"]["stock"]} == {
        policy.COUNT_COLOURS["net_stock"]
    }


def test_panel_reports_missing_final_counts() -> None:
    panel = RecordExplorer(count="final")
    assert panel.result.missing == [6, 7]
    assert "Batches 6 and 7" in panel.summary


def test_panel_refuses_bad_values_and_keeps_its_state() -> None:
    panel = RecordExplorer(count="net_stock", year=2022)
    with pytest.raises(ValueError, match="count must be one of"):
        panel.set(count="gross", year=2020)
    with pytest.raises(ValueError, match="year must be between 2019 and"):
        panel.set(year=2030)
    with pytest.raises(ValueError, match="no setting named 'colour'"):
        panel.set(colour="red")
    assert panel.values == {"count": "net_stock", "year": 2022}
    panel.reset()
    assert panel.values["count"] == "final"


def test_panel_view_holds_controls_and_chart() -> None:
    panel = RecordExplorer()
    children = panel.view.children
    assert panel.chart_view.widget in children and panel.summary_widget in children


def _play_button(panel: RecordExplorer) -> widgets.Play:
    found = []

    def walk(widget: widgets.Widget) -> None:
        if isinstance(widget, widgets.Play):
            found.append(widget)
        for child in getattr(widget, "children", ()):
            walk(child)

    walk(panel.view)
    assert len(found) == 1
    return found[0]


def test_play_button_follows_the_year_from_the_kernel() -> None:
    """The button drives the slider in the browser (one way); a step of the slider reaches
    the button from the kernel, so a key press sends the kernel one message, not two."""
    panel = RecordExplorer(count="final", year=2021)
    play = _play_button(panel)
    assert play.value == 2021
    panel.set(year=2023)
    assert play.value == 2023
    panel.reset()
    assert play.value == panel.controls["year"].value
    links = [
        w
        for w in _instances.values()  # every live widget (Widget.widgets, deprecated)
        if isinstance(w, Link) and w.source == (play, "value")
    ]
    assert links and all(isinstance(w, DirectionalLink) for w in links)


# --- the claims table -------------------------------------------------------------------------

#: Every claim of the starting story (shared/BRIEF.md), by id.
STORY_CLAIMS = {
    "self-reliance-aim",
    "decade-old-more-prominent",
    "began-in-hunan-2005",
    "tax-cuts-and-loans",
    "label-signals-favour",
    "after-huawei-smic",
    "named-4762",
    "chips-and-software",
    "fund-10bn",
    "target-10000-by-2025",
    "naughton-warning",
    "silicon-valley-model",
}


def test_claims_table_is_complete() -> None:
    claims = data.load_table("article_claims")
    assert set(claims["id"]) == STORY_CLAIMS
    assert sorted(claims["order"]) == list(range(1, len(claims) + 1))
    for _, row in claims.iterrows():
        assert len(row["claim"]) > 20 and len(row["record"]) > 40, row["id"]
        assert row["source_ids"] and row["story_source_ids"], row["id"]
        assert not set(row["source_ids"]) & set(row["story_source_ids"]), row["id"]
    verdicts = set(claims["verdict"])
    assert verdicts <= set(policy.VERDICTS) == set(policy.VERDICT_COLOURS)
    assert {"supported", "partly", "unverified", "judgement"} <= verdicts


def test_claims_verdicts_agree_with_the_data() -> None:
    claims = data.load_table("article_claims").set_index("id")
    assert claims.loc["named-4762", "verdict"] == "supported"
    assert claims.loc["naughton-warning", "verdict"] == "unverified"  # a quotation not found
    assert claims.loc["silicon-valley-model", "verdict"] == "judgement"  # not checkable
    # the label claim is about how investors read it, which the sources report
    assert claims.loc["label-signals-favour", "verdict"] == "supported"
    fund = claims.loc["fund-10bn"]  # right amount, narrower recipients than "SMEs"
    assert fund["verdict"] == "partly" and "key' little giants" in fund["record"]
    # The fund notice itself aims at about 10,000 new little giants, and the SME plan restates
    # the number later: the story's "10 billion yuan, aiming at 10,000" is the notice's own aim.
    targets = data.load_table("policy_targets").set_index("id")
    plan, aim = targets.loc["sme-plan-2025-little-giants"], targets.loc["fund-2021-drive-10000"]
    assert plan["target_value"] == aim["target_value"] and aim["issued"] < plan["issued"]
    target = claims.loc["target-10000-by-2025"]
    assert target["verdict"] == "supported"
    assert "mof-miit-2021-fund-notice" in target["source_ids"]
    places = data.load_table("key_firm_rounds")["funded_firms"].sum()
    assert f"{places:,} places" in target["record"]  # who is paid: the key-firm lists
    assert "merged" not in " ".join(claims["record"])  # the old, wrong lesson


def test_claims_table_renders_with_a_legend_of_verdicts() -> None:
    html = policy.claims_table().to_html()
    assert "background-color" in html and "The record shows" in html
    assert "<caption>" in html and "<b>judgement</b>" in html


def test_display_tables_read_well() -> None:
    html = policy.bse_table().to_html()
    assert "more than 50%" in html and "15 Nov 2021" in html
    assert ">nan<" not in policy.criteria_table("hunan-2006").to_html()  # empty notes: a dash


# --- notebook 01 ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def notebook() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def test_prose_figure_extraction() -> None:
    found = prose_figures(
        "On 26 November 2018 MIIT named 1,584 firms (about 90%, 10 billion yuan); see "
        "[notebook 2](02_trade_war_context.ipynb), the 14th plan and `x = 7`.\n1. Exercise 3"
    )
    assert found == ["2018", "1,584", "90", "10"]


def test_figures_in_markdown_match_the_data(notebook: nbformat.NotebookNode) -> None:
    unknown = figures_not_in_data(notebook, days=True)
    assert not unknown, f"figures typed in Markdown that are not in data/: {unknown}"


def test_notebook_shows_every_chart_the_panel_and_the_claims(
    notebook: nbformat.NotebookNode,
) -> None:
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    for name in [f.__name__ for f in CHART_BUILDERS[:-1]] + ["claims_table", "criteria_table"]:
        assert f"policy.{name}(" in code, name
    assert "RecordExplorer(" in code and ".set(" in code
    assert "sources.references(" in code


def test_notebook_opening_and_closing(notebook: nbformat.NotebookNode) -> None:
    markdown = [c.source for c in notebook.cells if c.cell_type == "markdown"]
    opening = "\n".join(markdown[:2])
    assert "learn" in opening.lower() and "minutes" in opening
    text = "\n".join(markdown)
    assert "## Key takeaways" in text
    assert 4 <= text.count("<details>") <= 6
    assert text.count("<details>") == text.count("</details>") == text.count("<summary>")
    assert "00_start_here.ipynb" in text and "02_trade_war_context.ipynb" in text


def test_every_cell_has_slide_metadata(notebook: nbformat.NotebookNode) -> None:
    for cell in notebook.cells:
        assert cell.metadata.get("slideshow", {}).get("slide_type"), cell.source[:40]
