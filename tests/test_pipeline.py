"""The designation pipeline: known answers, the record kept intact, properties, validation."""

from __future__ import annotations

import inspect
import math
import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explainer.data import load_table
from explainer.models.pipeline import (
    FINAL,
    PUBLIC_NOTICE,
    TABLE_COLUMNS,
    PipelineResult,
    batch_needed_for_target,
    batch_sizes,
    designation_pipeline,
)
from explainer.parameters import parameter_specs

MODEL = "designation_pipeline"
PARAMETERS = (
    "last_known_year",
    "new_per_year",
    "growth",
    "pass_rate",
    "review_cycle",
    "target",
    "target_year",
    "horizon",
)
BATCH_PARAMETERS = ("last_known_year", "pass_rate", "review_cycle", "target", "target_year")
FAST = settings(max_examples=100, deadline=None)


def batches(
    years: list[int],
    final: list[int | None],
    notice: list[int | None] | None = None,
    passed: list[int | None] | None = None,
    review_year: list[int | None] | None = None,
) -> pd.DataFrame:
    """A history table typed like load_table("designation_batches") returns it."""
    n = len(years)
    frame = pd.DataFrame(
        {
            "year": pd.array(years, dtype="Int64"),
            "final_count": pd.array(final, dtype="Int64"),
            "public_notice_count": pd.array(notice or final, dtype="Int64"),
            "review_pass_count": pd.array(passed or [None] * n, dtype="Int64"),
        }
    )
    if review_year is not None:
        frame["review_year"] = pd.array(review_year, dtype="Int64")
    return frame


ONE_BATCH = batches([2019], [100])

# The national record: final counts where known (public-notice lists for 2024-2025) and the
# first re-review passes of batches 1-3, as MIIT notices and later reports give them.
RECORD = batches(
    years=[2019, 2020, 2021, 2022, 2023, 2024, 2025],
    final=[248, 1584, 2930, 4328, 3654, None, None],
    notice=[248, 1744, 2930, 4357, 3671, 3012, 3482],
    passed=[155, 1078, 2430, None, None, None, None],
    review_year=[2022, 2023, 2024, 2025, 2026, 2027, 2028],
)


def run(history: pd.DataFrame = ONE_BATCH, **overrides: float) -> PipelineResult:
    values = {
        "last_known_year": 2019,
        "new_per_year": 0,
        "growth": 0.0,
        "pass_rate": 0.5,
        "review_cycle": 3,
        "target": 10000,
        "target_year": 2025,
        "horizon": 2025,
    }
    values.update(overrides)
    return designation_pipeline(history, **values)


def column(result: PipelineResult, name: str) -> list[float]:
    return result.table[name].tolist()


# --- known answers -------------------------------------------------------------------------


def test_one_batch_half_pass_every_three_years() -> None:
    result = run()
    assert column(result, "year") == list(range(2019, 2026))
    assert column(result, "net_stock") == [100, 100, 100, 50, 50, 50, 25]
    assert column(result, "reviewed") == [0, 0, 0, 100, 0, 0, 50]
    assert column(result, "revoked") == [0, 0, 0, 50, 0, 0, 25]
    assert column(result, "designated") == [100, 0, 0, 0, 0, 0, 0]
    assert column(result, "gross_designated") == [100] * 7


def test_two_year_cycle_and_steady_batches() -> None:
    # 100 in 2019 (record), then 10 a year; pass rate 0.5 every two years.
    result = run(new_per_year=10, review_cycle=2)
    assert column(result, "designated")[:5] == [100, 10, 10, 10, 10]
    # 2021: 2019 cohort halves (100 -> 50); 2022: 2020 cohort halves (10 -> 5);
    # 2023: 2019 cohort halves again (50 -> 25) and 2021 cohort halves (10 -> 5).
    assert column(result, "revoked")[:5] == [0, 0, 50, 5, 30]
    assert column(result, "net_stock")[:5] == [100, 110, 70, 75, 55]


def test_growth_compounds_from_the_first_projected_year() -> None:
    result = run(new_per_year=1000, growth=0.1, pass_rate=1.0)
    assert column(result, "designated")[:4] == pytest.approx([100, 1000, 1100, 1210])
    assert column(result, "is_projection") == [False] + [True] * 6


def test_national_record_reproduces_reported_stocks() -> None:
    result = designation_pipeline(RECORD, last_known_year=2025, pass_rate=0.87)
    stock = dict(zip(column(result, "year"), column(result, "net_stock")))
    assert stock[2021] == pytest.approx(4762)  # the news story's figure, August 2021
    assert stock[2022] == pytest.approx(8997)  # MIIT, September 2022
    assert stock[2023] == pytest.approx(12145)  # MIIT: "more than 12,000", 2023
    assert stock[2024] == pytest.approx(14657)  # MIIT: 14,600, October 2024
    assert stock[2025] == pytest.approx(17600, rel=0.01)  # MIIT: "more than 17,600", end 2025
    assert result.target_met_year == 2023  # the target was passed in 2023


def test_recorded_review_result_is_used() -> None:
    history = batches([2019], [100], passed=[60])
    result = run(history, last_known_year=2022, pass_rate=0.5, horizon=2025)
    assert column(result, "net_stock") == [100, 100, 100, 60, 60, 60, 30]
    assert column(result, "review_assumed") == [False] * 6 + [True]


def test_review_after_the_record_uses_the_pass_rate() -> None:
    history = batches([2019], [100], passed=[60])
    result = run(history, last_known_year=2021, pass_rate=0.5)
    assert column(result, "net_stock")[3] == 50
    assert column(result, "review_assumed")[3]


def test_recorded_review_off_the_model_schedule_is_not_used() -> None:
    history = batches([2019], [100], passed=[60], review_year=[2022])
    result = run(history, last_known_year=2023, review_cycle=2, pass_rate=0.5, horizon=2025)
    assert column(result, "net_stock")[2] == 50  # 2021: reviewed with the pass rate


def test_final_count_is_preferred_and_public_notice_fills_gaps() -> None:
    history = batches([2019, 2020], final=[90, None], notice=[100, 40])
    result = run(history, last_known_year=2020, horizon=2025)
    assert column(result, "designated")[:2] == [90, 40]


def test_batches_after_last_known_year_are_ignored() -> None:
    history = batches([2019, 2020, 2021], [100, 200, 300])
    result = run(history, last_known_year=2020, new_per_year=7, horizon=2025)
    assert column(result, "designated")[:3] == [100, 200, 7]


def test_years_without_a_batch_count_zero() -> None:
    history = batches([2019, 2021], [100, 50])
    result = run(history, last_known_year=2021, pass_rate=1.0, horizon=2025)
    assert column(result, "designated")[:3] == [100, 0, 50]


def test_table_layout() -> None:
    result = run(new_per_year=10)
    assert tuple(result.table.columns) == TABLE_COLUMNS
    assert result.table["is_projection"].dtype == bool
    assert result.table["year"].dtype.kind == "i"


def test_target_met_year_and_shortfall() -> None:
    result = run(target=80, target_year=2022)
    assert result.target_met_year == 2019
    assert result.stock_at_target_year == 50
    assert result.shortfall_at_target_year == 30
    never = run(target=200)
    assert never.target_met_year is None
    assert never.shortfall_at_target_year == 200 - 25


def test_table_runs_to_target_year_when_it_is_after_horizon() -> None:
    result = run(new_per_year=10, target_year=2030, horizon=2025)
    assert column(result, "year")[-1] == 2030
    assert result.stock_at_target_year == column(result, "net_stock")[-1]


def test_target_year_before_first_batch_has_zero_stock() -> None:
    history = batches([2021], [100])
    result = run(history, last_known_year=2021, target=10, target_year=2020)
    assert result.stock_at_target_year == 0
    assert result.shortfall_at_target_year == 10


@pytest.mark.parametrize(
    ("overrides", "phrase"),
    [
        (
            {"target": 200},
            "stays below the target of 200 in every year shown, up to 2025: in 2025, the year "
            "the target is due, it is 25, 175 short of it",
        ),
        (
            {"target": 200, "target_year": 2022, "horizon": 2026},
            "up to 2026: in 2022, the year the target is due, it is 50, 150 short",
        ),
        ({"target": 250, "target_year": 2020, "new_per_year": 100}, "only in 2021, 1 year late"),
        (
            {"target": 150, "target_year": 2020, "new_per_year": 100},
            "first reaches the target of 150 in 2020, the year it is due: 200, 50 above",
        ),
        (
            {"target": 80, "target_year": 2022},
            "has fallen back to 50 in 2022, the year the target is due: 30 short",
        ),
        (
            {"target": 50, "target_year": 2022},
            "first reaches the target of 50 in 2019; in 2022, the year the target is due, it is 50",
        ),
    ],
)
def test_summary_is_one_sentence(overrides: dict[str, int], phrase: str) -> None:
    text = run(**overrides).summary()
    assert phrase in text
    assert text.endswith(".") and "\n" not in text and text.count(". ") == 0


def test_result_is_frozen() -> None:
    result = run()
    with pytest.raises(AttributeError):
        result.target = 1  # type: ignore[misc]


def test_signature_defaults_match_parameter_records() -> None:
    specs = parameter_specs("parameters_explorer", MODEL)
    assert set(specs) == set(PARAMETERS)
    for function in (designation_pipeline, batch_needed_for_target):
        for name, parameter in inspect.signature(function).parameters.items():
            if name not in {"history", "reviews"}:
                assert parameter.default == specs[name].default, (function.__name__, name)


def test_default_history_is_the_data_table() -> None:
    history, reviews = load_table("designation_batches"), load_table("review_rounds")
    default = designation_pipeline().table
    assert default.equals(designation_pipeline(history, reviews=reviews).table)
    # A history of one's own comes without the joint reviews unless they are passed too.
    assert not default.equals(designation_pipeline(history).table)


def test_one_call_is_fast() -> None:
    designation_pipeline(RECORD)
    best = math.inf
    for _ in range(5):
        start = time.perf_counter()
        designation_pipeline(RECORD, horizon=2040)
        best = min(best, time.perf_counter() - start)
    assert best < 0.010


# --- re-reviews reported for several batches together ---------------------------------------


def joint(year: int, batch_numbers: tuple[str, ...], pct: float) -> pd.DataFrame:
    """A reviews table typed like load_table("review_rounds") returns it."""
    return pd.DataFrame(
        {
            "review_year": pd.array([year], dtype="Int64"),
            "batches": [batch_numbers],
            "pass_rate_pct": [pct],
        }
    )


def numbered(history: pd.DataFrame) -> pd.DataFrame:
    return history.assign(batch=pd.array(range(1, len(history) + 1), dtype="Int64"))


def test_joint_review_rate_applies_to_every_batch_reviewed_that_year() -> None:
    # Batch 1 (2019) has its first review recorded in 2022 (60 of 100); in 2025 its second
    # review and batch 2's (2022) first are reported together at 80%.
    history = numbered(batches([2019, 2022], [100, 50], passed=[60, None]))
    result = run(history, reviews=joint(2025, ("1", "2"), 80.0), last_known_year=2025)
    stock = dict(zip(column(result, "year"), column(result, "net_stock")))
    assert stock[2022] == 110  # 60 + 50
    assert stock[2025] == pytest.approx(0.8 * 60 + 0.8 * 50)
    assert not any(column(result, "review_assumed"))


def test_joint_review_only_for_the_batches_it_names() -> None:
    history = numbered(batches([2019, 2022], [100, 50], passed=[60, None]))
    result = run(history, reviews=joint(2025, ("2",), 80.0), last_known_year=2025)
    stock = dict(zip(column(result, "year"), column(result, "net_stock")))
    assert stock[2025] == pytest.approx(0.5 * 60 + 0.8 * 50)  # batch 1 at the pass rate
    assert column(result, "review_assumed")[-1]


def test_joint_review_after_the_record_is_not_used() -> None:
    history = numbered(batches([2019, 2022], [100, 50]))
    result = run(history, reviews=joint(2025, ("1", "2"), 80.0), last_known_year=2024)
    assert column(result, "net_stock")[-1] == pytest.approx(0.5 * 0.5 * 100 + 0.5 * 50)


def test_joint_review_off_the_model_schedule_is_not_used() -> None:
    history = numbered(batches([2019, 2022], [100, 50]))
    result = run(history, reviews=joint(2025, ("2",), 80.0), last_known_year=2025, review_cycle=2)
    # With a two-year cycle batch 2 is reviewed in 2024, never in 2025.
    assert column(result, "net_stock")[5] == pytest.approx(0.5 * 0.5 * 100 + 0.5 * 50)


def test_a_batchs_own_result_wins_over_a_joint_one() -> None:
    history = numbered(batches([2019], [100], passed=[60]))
    result = run(history, reviews=joint(2022, ("1",), 90.0), last_known_year=2022)
    assert column(result, "net_stock")[3] == 60


@pytest.mark.parametrize(
    ("reviews", "message"),
    [
        (joint(2025, ("1", "9"), 80.0), "name batch 9, which history lacks"),
        (joint(2025, ("one",), 80.0), "batch numbers must be whole numbers"),
        (joint(2025, ("1",), 180.0), "pass_rate_pct must be 0 to 100"),
        (joint(2025, ("1",), 80.0).drop(columns="batches"), "reviews lacks the column"),
        ([{"review_year": 2025}], "reviews must be a pandas DataFrame"),
    ],
)
def test_bad_reviews_are_named(reviews: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        run(numbered(ONE_BATCH), reviews=reviews, last_known_year=2025)


def test_joint_reviews_need_batch_numbers_in_the_history() -> None:
    with pytest.raises(ValueError, match="history needs a 'batch' column"):
        run(ONE_BATCH, reviews=joint(2025, ("1",), 80.0), last_known_year=2025)


def test_the_2025_record_applies_the_reported_joint_rate() -> None:
    """Batch 4 and the batch-1 survivors were re-reviewed together in 2025 (87.04% passed)."""
    rounds = load_table("review_rounds").set_index("review_year")
    assert tuple(rounds.loc[2025, "batches"]) == ("1", "4")
    rate = rounds.loc[2025, "pass_rate_pct"] / 100
    # The reviewed count is derived from the two reported figures, and agrees with them.
    assert rounds.loc[2025, "passed"] / rounds.loc[2025, "reviewed"] == pytest.approx(
        rate, abs=5e-5
    )
    for pass_rate in (0.3, 0.87, 1.0):
        table = designation_pipeline(pass_rate=pass_rate).table.set_index("year")
        survivors_1, batch_4 = 155, 4328  # batch 1 after its 2022 review; batch 4's final count
        assert table.loc[2025, "reviewed"] == survivors_1 + batch_4
        assert table.loc[2025, "revoked"] == pytest.approx((survivors_1 + batch_4) * (1 - rate))
        assert table.loc[2025, "net_stock"] == pytest.approx(
            14657 + 3482 - (survivors_1 + batch_4) * (1 - rate)
        )
        assert not table.loc[:2025, "review_assumed"].any()


@FAST
@given(
    last_known_year=st.integers(2019, 2025),
    new_per_year=st.integers(0, 10000),
    growth=st.floats(-0.5, 0.5),
    rates=st.tuples(st.floats(0.3, 1.0), st.floats(0.3, 1.0)),
    target=st.integers(0, 50000),
    target_year=st.integers(2020, 2035),
    horizon=st.integers(2025, 2040),
)
def test_pass_rate_never_moves_the_record(
    last_known_year: int,
    new_per_year: int,
    growth: float,
    rates: tuple[float, float],
    target: int,
    target_year: int,
    horizon: int,
) -> None:
    """With the real record and the programme's three-year cycle, moving the pass-rate
    slider changes only projected rows: every recorded row, 2025 included, stays as it is."""
    common = {
        "last_known_year": last_known_year,
        "new_per_year": new_per_year,
        "growth": growth,
        "review_cycle": 3,
        "target": target,
        "target_year": target_year,
        "horizon": horizon,
    }
    first, second = (designation_pipeline(pass_rate=rate, **common).table for rate in rates)
    recorded = ~first["is_projection"]
    assert recorded.sum() == last_known_year - 2019 + 1
    assert not first.loc[recorded, "review_assumed"].any()
    pd.testing.assert_frame_equal(first[recorded], second[~second["is_projection"]])


def test_batch_sizes_say_which_count_they_use() -> None:
    sizes = batch_sizes()
    history = load_table("designation_batches")
    assert sizes["batch"].tolist() == history["batch"].tolist()
    final = history["final_count"].notna().tolist()
    assert sizes["count_kind"].tolist() == [FINAL if f else PUBLIC_NOTICE for f in final]
    assert sizes["firms"].tolist() == [248, 1584, 2930, 4328, 3654, 3012, 3482]
    # The model names exactly these firms in the recorded years.
    designated = designation_pipeline().table.set_index("year")["designated"]
    assert designated.loc[2019:2025].tolist() == sizes["firms"].tolist()
    assert "batch" not in batch_sizes(ONE_BATCH).columns


# --- the smallest batch that meets the target ------------------------------------------------


def needed(history: pd.DataFrame = ONE_BATCH, **overrides: float) -> int:
    values = {"last_known_year": 2019, "pass_rate": 0.5, "review_cycle": 3, "target_year": 2022}
    return batch_needed_for_target(history, **{**values, **overrides})


def test_batch_needed_known_answer() -> None:
    # Stock in 2022 = 50 (half of the 2019 batch) + 3 batches of B (2020-2022, not yet reviewed).
    assert needed(target=400) == 117
    assert needed(target=50) == 0


def test_batch_needed_from_the_article_year() -> None:
    # From the 4,762 of 2021 to 10,000 in 2025, with every firm passing re-review.
    answer = needed(RECORD, last_known_year=2021, pass_rate=1.0, target=10000, target_year=2025)
    assert answer == math.ceil((10000 - 4762) / 4)


def test_batch_needed_cannot_help_a_past_target() -> None:
    with pytest.raises(ValueError, match="cannot be met by new batches"):
        needed(last_known_year=2022, target=500, target_year=2021)


# --- history checks --------------------------------------------------------------------------


def test_history_must_be_a_dataframe() -> None:
    with pytest.raises(ValueError, match="history must be a pandas DataFrame"):
        run([{"year": 2019}])  # type: ignore[arg-type]


def test_history_needs_its_columns() -> None:
    with pytest.raises(ValueError, match="review_pass_count"):
        run(ONE_BATCH.drop(columns="review_pass_count"))


def test_history_needs_a_batch_in_the_record() -> None:
    with pytest.raises(ValueError, match="no batch in or before last_known_year"):
        run(batches([2021], [100]), last_known_year=2020)


def test_history_batch_needs_a_count() -> None:
    with pytest.raises(ValueError, match="batch of 2019 has no valid"):
        run(batches([2019], [None], notice=[None]))


def test_history_pass_count_cannot_exceed_batch() -> None:
    with pytest.raises(ValueError, match="120 firms passed re-review out of 100"):
        run(batches([2019], [100], passed=[120]))


def test_history_year_must_be_numeric() -> None:
    history = ONE_BATCH.astype({"year": object})
    history.loc[0, "year"] = "2019a"
    with pytest.raises(ValueError, match="'year'"):
        run(history)


# --- invalid parameters ----------------------------------------------------------------------


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
        [spec.default],
    ]
    if spec.kind == "integer":
        values.append(spec.default + 0.5)
    return values


@pytest.mark.parametrize("name", PARAMETERS)
def test_invalid_parameter_is_named(name: str) -> None:
    for value in bad_values(name):
        with pytest.raises(ValueError, match=rf"\b{name}\b") as caught:
            designation_pipeline(RECORD, **{name: value})
        message = str(caught.value)
        assert "between" in message
        if isinstance(value, float):
            assert repr(value) in message or str(value) in message


@pytest.mark.parametrize("name", BATCH_PARAMETERS)
def test_invalid_batch_parameter_is_named(name: str) -> None:
    for value in bad_values(name):
        with pytest.raises(ValueError, match=rf"\b{name}\b"):
            batch_needed_for_target(RECORD, **{name: value})


def test_out_of_range_message_reads_well() -> None:
    with pytest.raises(ValueError, match=r"^pass_rate must be between 0\.3 and 1 \(got 1\.4\)$"):
        designation_pipeline(RECORD, pass_rate=1.4)


def test_numpy_numbers_are_accepted() -> None:
    result = designation_pipeline(RECORD, pass_rate=np.float64(0.9), review_cycle=np.int64(3))
    assert result.parameters["review_cycle"] == 3


# --- properties ------------------------------------------------------------------------------


@st.composite
def histories(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(1, 5))
    years = list(range(2019, 2019 + n))
    final = [draw(st.integers(0, 5000)) for _ in years]
    passed = [draw(st.one_of(st.none(), st.integers(0, count))) for count in final]
    return batches(years, final, passed=passed)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[pd.DataFrame, dict[str, float]]:
    history = draw(histories())
    values = {
        "last_known_year": draw(st.integers(2019, int(history["year"].max()))),
        "new_per_year": draw(st.integers(0, 10000)),
        "growth": draw(st.floats(-0.5, 0.5)),
        "pass_rate": draw(st.floats(0.3, 1.0)),
        "review_cycle": draw(st.integers(1, 6)),
        "target": draw(st.integers(0, 50000)),
        "target_year": draw(st.integers(2020, 2035)),
        "horizon": draw(st.integers(2025, 2040)),
    }
    return history, values


@FAST
@given(scenarios(), st.floats(0.3, 1.0))
def test_higher_pass_rate_never_gives_a_smaller_stock(
    scenario: tuple[pd.DataFrame, dict[str, float]], other_rate: float
) -> None:
    history, values = scenario
    low, high = sorted([values["pass_rate"], other_rate])
    stock_low = designation_pipeline(history, **{**values, "pass_rate": low}).table["net_stock"]
    stock_high = designation_pipeline(history, **{**values, "pass_rate": high}).table["net_stock"]
    assert (stock_high.to_numpy() >= stock_low.to_numpy()).all()


@FAST
@given(scenarios(), st.integers(0, 10000))
def test_bigger_batches_never_give_a_smaller_stock(
    scenario: tuple[pd.DataFrame, dict[str, float]], other: int
) -> None:
    history, values = scenario
    low, high = sorted([values["new_per_year"], other])
    stock_low = designation_pipeline(history, **{**values, "new_per_year": low}).table
    stock_high = designation_pipeline(history, **{**values, "new_per_year": high}).table
    assert (stock_high["net_stock"].to_numpy() >= stock_low["net_stock"].to_numpy()).all()


@FAST
@given(scenarios())
def test_flows_add_up_and_stay_finite(scenario: tuple[pd.DataFrame, dict[str, float]]) -> None:
    history, values = scenario
    result = designation_pipeline(history, **values)
    table = result.table
    numbers = table[["designated", "reviewed", "revoked", "net_stock", "gross_designated"]]
    assert np.isfinite(numbers.to_numpy()).all()
    assert (numbers.to_numpy() >= -1e-9).all()
    assert (table["revoked"] <= table["reviewed"] + 1e-9).all()
    assert (table["net_stock"] <= table["gross_designated"] + 1e-6).all()
    expected = (table["designated"] - table["revoked"]).cumsum()
    assert np.allclose(table["net_stock"], expected, rtol=1e-9, atol=1e-6)
    assert np.allclose(table["gross_designated"], table["designated"].cumsum())
    years = table["year"].tolist()
    assert years == list(range(years[0], years[-1] + 1))
    assert years[-1] == max(values["horizon"], values["target_year"])
    assert result.shortfall_at_target_year >= 0
    assert math.isfinite(result.stock_at_target_year)
    if result.target_met_year is not None:
        met = table.loc[table["year"] == result.target_met_year, "net_stock"].iloc[0]
        assert met >= values["target"]
    assert isinstance(result.summary(), str)


@FAST
@given(scenarios(), st.integers(0, 10000), st.floats(-0.5, 0.5))
def test_projection_never_changes_the_record(
    scenario: tuple[pd.DataFrame, dict[str, float]], other_batch: int, other_growth: float
) -> None:
    history, values = scenario
    first = designation_pipeline(history, **values).table
    second = designation_pipeline(
        history, **{**values, "new_per_year": other_batch, "growth": other_growth}
    ).table
    recorded = first["year"] <= values["last_known_year"]
    assert not first.loc[recorded, "is_projection"].any()
    assert first.loc[~recorded, "is_projection"].all()
    same_years = second["year"] <= values["last_known_year"]
    pd.testing.assert_frame_equal(first[recorded], second[same_years])


@FAST
@given(scenarios(), st.floats(0.3, 1.0), st.data())
def test_pass_rate_moves_a_recorded_year_only_through_an_assumed_review(
    scenario: tuple[pd.DataFrame, dict[str, float]], other_rate: float, data: st.DataObject
) -> None:
    """Any history, joint review and cycle: if no recorded year needed the pass rate, the
    recorded years do not depend on it."""
    history, values = scenario
    history = numbered(history)
    years = history["year"].astype(int)
    listed = data.draw(st.lists(st.sampled_from(history["batch"].tolist()), min_size=1))
    reviews = joint(
        data.draw(st.integers(int(years.min()) + 1, 2030)),
        tuple(str(b) for b in sorted(set(listed))),
        data.draw(st.floats(0, 100)),
    )
    first = designation_pipeline(history, reviews=reviews, **values).table
    second = designation_pipeline(
        history, reviews=reviews, **{**values, "pass_rate": other_rate}
    ).table
    recorded = ~first["is_projection"]
    if not first.loc[recorded, "review_assumed"].any():
        pd.testing.assert_frame_equal(first[recorded], second[recorded])


@FAST
@given(scenarios())
def test_batch_needed_reaches_the_target_and_one_less_does_not(
    scenario: tuple[pd.DataFrame, dict[str, float]],
) -> None:
    history, values = scenario
    last_known = values["last_known_year"]
    target = min(values["target"], 10000)  # keeps the answer within new_per_year's range
    target_year = max(values["target_year"], last_known + 1)
    common = {
        "last_known_year": last_known,
        "pass_rate": values["pass_rate"],
        "review_cycle": values["review_cycle"],
        "target": target,
        "target_year": target_year,
    }
    needed = batch_needed_for_target(history, **common)
    horizon = max(2025, last_known)

    def stock(batch: int) -> float:
        return designation_pipeline(
            history, new_per_year=batch, growth=0.0, horizon=horizon, **common
        ).stock_at_target_year

    assert 0 <= needed <= target
    assert stock(needed) >= target
    if needed > 0:
        assert stock(needed - 1) < target


# --- presets and the real record -------------------------------------------------------------


def presets(model: str) -> dict[str, dict[str, float]]:
    table = load_table("presets_explorer")
    table = table[table["model"] == model]
    return {
        preset: dict(zip(rows["name"], rows["value"])) for preset, rows in table.groupby("preset")
    }


def test_presets_set_every_parameter_within_its_range() -> None:
    found = presets(MODEL)
    assert set(found) == {"article", "official_plan", "actual"}
    for values in found.values():
        assert set(values) == set(PARAMETERS)
        designation_pipeline(RECORD, **values)  # raises if a value is out of range


def test_article_preset_reproduces_the_story() -> None:
    values = presets(MODEL)["article"]
    result = designation_pipeline(RECORD, **values)
    stock = dict(zip(column(result, "year"), column(result, "net_stock")))
    assert stock[2021] == pytest.approx(4762)
    assert result.target == 10000 and result.target_year == 2025


def test_real_record_loads_and_meets_the_target_in_2023() -> None:
    result = designation_pipeline()
    stock = dict(zip(column(result, "year"), column(result, "net_stock")))
    assert stock[2022] == pytest.approx(8997)
    assert result.target_met_year == 2023
    assert not result.table.loc[result.table["year"] <= 2025, "is_projection"].any()
