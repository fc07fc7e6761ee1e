"""Subsidy arithmetic: hand-computed answers, the rounds rule, conservation, validation."""

from __future__ import annotations

import inspect
import math
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explainer.data import load_table
from explainer.models.subsidy import (
    SubsidyResult,
    article_framing_per_firm,
    rounds_in_fund,
    subsidy_arithmetic,
)
from explainer.parameters import parameter_specs

MODEL = "subsidy_arithmetic"
PARAMETERS = (
    "fund_bn_yuan",
    "fund_years",
    "firm_share",
    "key_firms_per_round",
    "round_years",
    "local_match",
    "reference_rd_m_yuan",
    "all_little_giants",
)
FAST = settings(max_examples=150, deadline=None)
PLAN = {
    "fund_bn_yuan": 10,
    "fund_years": 5,
    "firm_share": 0.9,
    "key_firms_per_round": 400,
    "round_years": 3,
    "local_match": 1.0,
    "reference_rd_m_yuan": 30,
    "all_little_giants": 12000,
}


def run(**overrides: float) -> SubsidyResult:
    return subsidy_arithmetic(**{**PLAN, **overrides})


# --- known answers -------------------------------------------------------------------------


def test_hand_computed_plan() -> None:
    result = run()
    assert result.fund_m_yuan == 10000
    assert result.firm_money_m_yuan == 9000
    assert result.platform_money_m_yuan == pytest.approx(1000)
    assert result.local_money_m_yuan == 9000
    assert (result.rounds, result.support_years) == (3, 3)
    assert (result.funded_firm_rounds, result.funded_firm_years) == (1200, 3600)
    assert result.support_per_firm_m_yuan == 7.5
    assert result.support_per_firm_year_m_yuan == 2.5
    assert result.support_per_firm_year_with_local_m_yuan == 5.0
    assert result.share_funded_pct == 10.0
    assert result.support_share_of_rd_pct == pytest.approx(100 * 2.5 / 30)
    assert result.support_with_local_share_of_rd_pct == pytest.approx(100 * 5 / 30)
    assert result.fund_per_little_giant_m_yuan == pytest.approx(10000 / 12000)


@pytest.mark.parametrize(
    ("fund_years", "round_years", "rounds"),
    [(5, 3, 3), (3, 3, 1), (2, 3, 1), (5, 1, 5), (10, 3, 8), (1, 1, 1), (4, 5, 1)],
)
def test_rounds_start_yearly_and_finish_inside_the_fund(
    fund_years: int, round_years: int, rounds: int
) -> None:
    assert rounds_in_fund(fund_years, round_years) == rounds
    result = run(fund_years=fund_years, round_years=round_years)
    assert result.rounds == rounds
    assert result.support_years == min(fund_years, round_years)


def test_a_round_longer_than_the_fund_is_cut_short() -> None:
    result = run(fund_years=2, round_years=3, key_firms_per_round=100, firm_share=1.0)
    assert (result.rounds, result.support_years, result.funded_firm_years) == (1, 2, 200)
    assert result.support_per_firm_year_m_yuan == 50


def test_2021_notice_as_planned_gives_about_ten_million_per_firm() -> None:
    # More than 1,000 key firms over three rounds, all of 10 billion yuan to firms.
    result = run(firm_share=1.0, key_firms_per_round=334, local_match=0)
    assert result.funded_firm_rounds == 1002
    assert result.support_per_firm_m_yuan == pytest.approx(9.98, abs=0.01)


def test_article_framing_is_one_million_yuan_per_firm() -> None:
    assert article_framing_per_firm() == 1_000_000
    assert article_framing_per_firm(10, 4762) == pytest.approx(10e9 / 4762)
    assert article_framing_per_firm(fund_bn_yuan=20, firms=10000) == 2_000_000


def test_whole_fund_spread_matches_article_framing() -> None:
    result = run(all_little_giants=10000)
    assert result.fund_per_little_giant_m_yuan * 1e6 == pytest.approx(article_framing_per_firm())


def test_table_has_one_row_per_quantity_matching_attributes() -> None:
    result = run()
    table = result.table
    assert list(table.columns) == ["quantity", "value", "unit"]
    assert table["quantity"].is_unique
    assert len(table) == 15
    row = dict(zip(table["quantity"], table["value"]))
    assert row["Central fund"] == result.fund_m_yuan
    assert row["Central support per funded firm per year"] == result.support_per_firm_year_m_yuan
    assert row["Rounds of key firms"] == result.rounds
    assert set(table["unit"]) >= {"million yuan", "million yuan per year", "%"}


def test_summary_is_one_sentence() -> None:
    text = run().summary()
    assert "2.50 million yuan each a year (5.00 with local matching)" in text
    assert text.endswith(".") and "\n" not in text
    assert "local matching" not in run(local_match=0).summary()


def test_result_is_frozen() -> None:
    result = run()
    with pytest.raises(AttributeError):
        result.rounds = 1  # type: ignore[misc]


def test_signature_defaults_match_parameter_records() -> None:
    specs = parameter_specs("parameters_explorer", MODEL)
    assert set(specs) == set(PARAMETERS)
    for name, parameter in inspect.signature(subsidy_arithmetic).parameters.items():
        assert parameter.default == specs[name].default, name


def test_one_call_is_fast() -> None:
    subsidy_arithmetic()
    best = math.inf
    for _ in range(5):
        start = time.perf_counter()
        subsidy_arithmetic()
        best = min(best, time.perf_counter() - start)
    assert best < 0.010


# --- invalid inputs --------------------------------------------------------------------------


def bad_values(name: str) -> list[object]:
    spec = parameter_specs("parameters_explorer", MODEL)[name]
    values: list[object] = [
        spec.minimum - spec.step,
        spec.maximum + spec.step,
        math.nan,
        math.inf,
        -math.inf,
        str(spec.default),
        None,
        True,
        False,
    ]
    if spec.kind == "integer":
        values.append(spec.default + 0.5)
    return values


@pytest.mark.parametrize("name", PARAMETERS)
def test_invalid_parameter_is_named(name: str) -> None:
    for value in bad_values(name):
        with pytest.raises(ValueError, match=rf"\b{name}\b") as caught:
            subsidy_arithmetic(**{name: value})
        assert "between" in str(caught.value)


@pytest.mark.parametrize("value", [0, -1, 0.5, math.nan, math.inf, "10000", None, True])
def test_article_framing_refuses_bad_firm_counts(value: object) -> None:
    with pytest.raises(ValueError, match=r"\bfirms\b"):
        article_framing_per_firm(10, value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [0, -5, math.nan, math.inf, "10", None, False])
def test_article_framing_refuses_bad_funds(value: object) -> None:
    with pytest.raises(ValueError, match=r"\bfund_bn_yuan\b"):
        article_framing_per_firm(value, 10000)  # type: ignore[arg-type]


def test_unknown_keyword_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        subsidy_arithmetic(fund=10)  # type: ignore[call-arg]


# --- properties ------------------------------------------------------------------------------

settings_strategy = st.fixed_dictionaries(
    {
        "fund_bn_yuan": st.floats(1, 50),
        "fund_years": st.integers(1, 10),
        "firm_share": st.floats(0, 1),
        "key_firms_per_round": st.integers(1, 20000),
        "round_years": st.integers(1, 5),
        "local_match": st.floats(0, 3),
        "reference_rd_m_yuan": st.floats(1, 500),
        "all_little_giants": st.integers(100, 50000),
    }
)


@FAST
@given(settings_strategy)
def test_totals_conserve_the_fund(values: dict[str, float]) -> None:
    result = subsidy_arithmetic(**values)
    assert result.firm_money_m_yuan + result.platform_money_m_yuan == pytest.approx(
        result.fund_m_yuan, rel=1e-12
    )
    assert result.fund_m_yuan == pytest.approx(values["fund_bn_yuan"] * 1000)
    assert result.support_per_firm_year_m_yuan * result.funded_firm_years == pytest.approx(
        result.firm_money_m_yuan, rel=1e-12, abs=1e-9
    )
    assert result.support_per_firm_m_yuan * result.funded_firm_rounds == pytest.approx(
        result.firm_money_m_yuan, rel=1e-12, abs=1e-9
    )
    assert result.platform_money_m_yuan >= 0
    assert result.rounds - 1 + result.support_years <= values["fund_years"]
    assert result.support_years <= values["fund_years"]


@FAST
@given(settings_strategy)
def test_outputs_are_finite_and_non_negative(values: dict[str, float]) -> None:
    result = subsidy_arithmetic(**values)
    numbers = result.table["value"]
    assert numbers.notna().all()
    assert all(math.isfinite(v) and v >= 0 for v in numbers)
    assert result.support_per_firm_year_with_local_m_yuan == pytest.approx(
        result.support_per_firm_year_m_yuan * (1 + values["local_match"])
    )


@FAST
@given(settings_strategy, st.floats(1, 50))
def test_a_bigger_fund_never_gives_less_per_firm(values: dict[str, float], other: float) -> None:
    small, big = sorted([values["fund_bn_yuan"], other])
    low = subsidy_arithmetic(**{**values, "fund_bn_yuan": small})
    high = subsidy_arithmetic(**{**values, "fund_bn_yuan": big})
    assert high.support_per_firm_year_m_yuan >= low.support_per_firm_year_m_yuan
    assert high.support_per_firm_m_yuan >= low.support_per_firm_m_yuan
    assert high.fund_per_little_giant_m_yuan >= low.fund_per_little_giant_m_yuan
    assert article_framing_per_firm(big, 10000) >= article_framing_per_firm(small, 10000)


@FAST
@given(settings_strategy, st.integers(1, 20000))
def test_more_key_firms_never_get_more_each(values: dict[str, float], other: int) -> None:
    few, many = sorted([values["key_firms_per_round"], other])
    a = subsidy_arithmetic(**{**values, "key_firms_per_round": few})
    b = subsidy_arithmetic(**{**values, "key_firms_per_round": many})
    assert b.support_per_firm_year_m_yuan <= a.support_per_firm_year_m_yuan
    assert b.share_funded_pct >= a.share_funded_pct


# --- presets ---------------------------------------------------------------------------------


def presets() -> dict[str, dict[str, float]]:
    table = load_table("presets_explorer")
    table = table[table["model"] == MODEL]
    return {
        preset: dict(zip(rows["name"], rows["value"])) for preset, rows in table.groupby("preset")
    }


def test_presets_set_every_parameter_within_its_range() -> None:
    found = presets()
    assert set(found) == {"article", "official_plan", "actual"}
    for values in found.values():
        assert set(values) == set(PARAMETERS)
        subsidy_arithmetic(**values)  # raises if a value is out of range


def test_article_preset_matches_the_article_framing() -> None:
    result = subsidy_arithmetic(**presets()["article"])
    assert result.support_per_firm_m_yuan * 1e6 == pytest.approx(article_framing_per_firm())


def test_official_plan_preset_funds_about_a_thousand_firms() -> None:
    result = subsidy_arithmetic(**presets()["official_plan"])
    assert result.rounds == 3
    assert 1000 <= result.funded_firm_rounds < 1010
