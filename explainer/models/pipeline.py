"""Designation pipeline: how many little giants hold the title, year by year.

The model follows every national batch (a *cohort*) through its re-reviews. A firm named in
year ``y`` keeps the title for ``review_cycle`` years; it is then re-reviewed, in
``y + review_cycle``, and again every cycle after that, and a share ``pass_rate`` keeps it
each time (MIIT's title lasts three years and must be re-earned). The net stock in a year is
the sum over cohorts of the firms still holding the title at the end of that year.

Years up to ``last_known_year`` come from the record (``data/designation_batches.csv``): a
batch counts its final designation where known, else its public-notice (公示) list (see
:func:`batch_sizes`). A re-review keeps the share the record gives for it: the firms that
passed where a batch's result is reported on its own, or the pass rate reported for all the
batches reviewed together that year (``data/review_rounds.csv``: in 2025, batches 1 and 4
together, 87.04%). Later years are projected: a new batch of ``new_per_year`` firms, growing
by ``growth`` a year. The projection never changes a recorded batch, and ``pass_rate`` only
fills re-reviews the record has no result for, so with the programme's three-year cycle it
never moves a recorded year.

Counts in projected years are expected values, so they can be fractional; round them only
for display.

Examples
--------
>>> import pandas as pd
>>> history = pd.DataFrame({"year": [2019], "final_count": [100],
...                         "public_notice_count": [100], "review_pass_count": [pd.NA]})
>>> result = designation_pipeline(history, last_known_year=2019, new_per_year=0,
...                               pass_rate=0.5, review_cycle=3, target=80,
...                               target_year=2022, horizon=2025)
>>> result.table["net_stock"].tolist()
[100.0, 100.0, 100.0, 50.0, 50.0, 50.0, 25.0]
>>> result.target_met_year, result.shortfall_at_target_year
(2019, 30.0)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from explainer.parameters import validate_parameters

__all__ = ["PipelineResult", "batch_needed_for_target", "batch_sizes", "designation_pipeline"]

MODEL = "designation_pipeline"
PARAMETER_TABLE = "parameters_explorer"
HISTORY_COLUMNS = ("year", "final_count", "public_notice_count", "review_pass_count")
REVIEW_COLUMNS = ("review_year", "batches", "pass_rate_pct")
#: What a batch's count is: ``count_kind`` in :func:`batch_sizes`.
FINAL, PUBLIC_NOTICE = "final designation", "public-notice list"
TABLE_COLUMNS = (
    "year",
    "designated",
    "reviewed",
    "revoked",
    "net_stock",
    "gross_designated",
    "is_projection",
    "review_assumed",
)


@dataclass(frozen=True, eq=False)
class PipelineResult:
    """What :func:`designation_pipeline` returns.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per year, from the first recorded batch to ``horizon`` (or to
        ``target_year`` if that is later). Columns:

        - ``year`` (int);
        - ``designated``: firms newly named that year;
        - ``reviewed``: firms re-reviewed that year;
        - ``revoked``: reviewed firms that lost the title;
        - ``net_stock``: firms holding the title at the end of the year;
        - ``gross_designated``: all firms ever named, up to that year;
        - ``is_projection`` (bool): False for recorded years (up to ``last_known_year``);
        - ``review_assumed`` (bool): True if some re-review that year used ``pass_rate``
          instead of a recorded result (in a recorded year this happens only when
          ``review_cycle`` moves a review away from the year the record has it in).
    target, target_year : int
        The target stock and the year it is due.
    target_met_year : int or None
        First year in the table whose net stock is at least ``target``; None if none is.
    stock_at_target_year : float
        Net stock in ``target_year`` (0 if that year is before the first batch).
    shortfall_at_target_year : float
        ``max(target - stock_at_target_year, 0)``.
    parameters : dict
        The validated inputs, by name.
    """

    table: pd.DataFrame
    target: int
    target_year: int
    target_met_year: int | None
    stock_at_target_year: float
    shortfall_at_target_year: float
    parameters: dict[str, float | int] = field(default_factory=dict)

    def summary(self) -> str:
        """One plain-English sentence: when the target is met and the stock in its year.

        Every year it names says what it is: the year the target is first reached, the year
        it is due, or the last year shown.

        Examples
        --------
        >>> import pandas as pd
        >>> history = pd.DataFrame({"year": [2019], "final_count": [100],
        ...                         "public_notice_count": [100], "review_pass_count": [pd.NA]})
        >>> result = designation_pipeline(history, last_known_year=2019, new_per_year=0,
        ...                               pass_rate=0.5, review_cycle=3, target=80,
        ...                               target_year=2022, horizon=2025)
        >>> print(result.summary())  # doctest: +NORMALIZE_WHITESPACE
        The net stock of little giants first reaches the target of 80 in 2019 but has
        fallen back to 50 in 2022, the year the target is due: 30 short of it.
        """
        target = f"{self.target:,}"
        stock = f"{self.stock_at_target_year:,.0f}"
        short = f"{self.shortfall_at_target_year:,.0f} short of it"
        subject = "The net stock of little giants"
        met, due = self.target_met_year, self.target_year
        in_due = f"in {due}, the year the target is due"
        if met is None:
            last = int(self.table["year"].iloc[-1])
            return (
                f"{subject} stays below the target of {target} in every year shown, up to "
                f"{last}: {in_due}, it is {stock}, {short}."
            )
        if self.shortfall_at_target_year > 0 and met > due:
            late = met - due
            years = "year" if late == 1 else "years"
            return (
                f"{subject} reaches the target of {target} only in {met}, {late} {years} late: "
                f"{in_due}, it is {stock}, {short}."
            )
        if self.shortfall_at_target_year > 0:
            return (
                f"{subject} first reaches the target of {target} in {met} but has fallen back "
                f"to {stock} {in_due}: {short}."
            )
        above = f"{self.stock_at_target_year - self.target:,.0f}"
        if met == due:
            return (
                f"{subject} first reaches the target of {target} in {due}, the year it is due: "
                f"{stock}, {above} above the target."
            )
        return (
            f"{subject} first reaches the target of {target} in {met}; {in_due}, it is "
            f"{stock}, {above} above the target."
        )


def designation_pipeline(
    history: pd.DataFrame | None = None,
    *,
    reviews: pd.DataFrame | None = None,
    last_known_year: int = 2025,
    new_per_year: int = 3247,
    growth: float = 0.0,
    pass_rate: float = 0.87,
    review_cycle: int = 3,
    target: int = 10000,
    target_year: int = 2025,
    horizon: int = 2030,
) -> PipelineResult:
    """Project the net stock of little giants from the record and a few assumptions.

    Parameters
    ----------
    history : pandas.DataFrame, optional
        The national batches, with at least the columns ``year``, ``final_count``,
        ``public_notice_count`` and ``review_pass_count`` (optionally ``review_year``), as
        in ``data/designation_batches.csv``. Default: that table, loaded with
        :func:`explainer.data.load_table` (pass it explicitly when calling in a loop).
    reviews : pandas.DataFrame, optional
        Re-reviews reported only for several batches together, with the columns
        ``review_year``, ``batches`` (batch numbers, matched to a ``batch`` column in
        ``history``) and ``pass_rate_pct``, as in ``data/review_rounds.csv``. Default: that
        table when ``history`` is also the default, and none with a history of your own
        (pass ``reviews`` with it to use both).
    last_known_year : int
        Batches in this year and before are taken from the record; later years are
        projected. Re-reviews up to this year use the recorded result where there is one.
    new_per_year : int
        Firms named in the first projected year (``last_known_year + 1``).
    growth : float
        Yearly growth of the projected batches: the batch in year ``y`` is
        ``new_per_year * (1 + growth) ** (y - last_known_year - 1)``.
    pass_rate : float
        Share of re-reviewed firms that keep the title, at every re-review without a
        recorded result.
    review_cycle : int
        Years between a designation and its re-review, and between later re-reviews.
    target : int
        Target net stock (10,000 in the 2021 SME development plan).
    target_year : int
        Year the target is due.
    horizon : int
        Last year of the table (extended to ``target_year`` if that is later).

    Returns
    -------
    PipelineResult
        The year-by-year table, the year the target is first met and the stock and
        shortfall in the target year.

    Raises
    ------
    ValueError
        If a parameter is of the wrong type, NaN, infinite or outside the range recorded in
        ``data/parameters_explorer.csv`` (the message names it, its value and the range);
        if ``horizon`` is before ``last_known_year``; if ``history`` lacks a column,
        has no batch up to ``last_known_year``, has a batch with neither count, or a pass
        count larger than its batch; or if ``reviews`` lacks a column, names a batch that
        ``history`` does not have, or gives a pass rate outside 0-100%.

    Notes
    -----
    Timing is by calendar year, and the stock is counted at the end of the year: a batch
    named in 2019 is re-reviewed in 2022 and the firms that fail leave the stock in 2022.
    A recorded result is used only when the model reviews that batch in the year the record
    says it was reviewed (a batch's ``review_year`` if the history has it, a row's
    ``review_year`` in ``reviews``) and that year is not after ``last_known_year``. So
    changing ``review_cycle`` away from 3 can replace recorded results with ``pass_rate``.
    A batch's own pass count is its first re-review; a row of ``reviews`` applies its rate
    to whichever re-review of each listed batch falls in its year (in 2025: the second for
    batch 1, the first for batch 4). Where both give a result, the batch's own count wins.
    Batches named in the same year form one cohort, which has a recorded result only if
    the record covers all of them.

    References
    ----------
    Ids in ``data/sources.csv``: ``merics-2023-accelerator-state`` (the title must be
    re-earned after three years), ``kczg-2025-batches-1-7`` (the 87.04% pass rate of the
    2025 re-review of batches 1 and 4), ``xinhua-2021-sme-plan`` (10,000 little giants by 2025),
    ``xinhua-2022-3000-target`` (MIIT's aim of 3,000 new little giants in 2022; the default,
    3,247, is the mean of the 2024 and 2025 public-notice lists). Every
    default and its source is a row of ``data/parameters_explorer.csv``.

    Examples
    --------
    One batch of 100 firms, half of which pass each three-yearly re-review:

    >>> import pandas as pd
    >>> history = pd.DataFrame({"year": [2019], "final_count": [100],
    ...                         "public_notice_count": [120], "review_pass_count": [pd.NA]})
    >>> result = designation_pipeline(history, last_known_year=2019, new_per_year=0,
    ...                               pass_rate=0.5, review_cycle=3, target=1000,
    ...                               target_year=2025, horizon=2025)
    >>> print(result.table[["year", "designated", "revoked", "net_stock"]].to_string(index=False))
     year  designated  revoked  net_stock
     2019       100.0      0.0      100.0
     2020         0.0      0.0      100.0
     2021         0.0      0.0      100.0
     2022         0.0     50.0       50.0
     2023         0.0      0.0       50.0
     2024         0.0      0.0       50.0
     2025         0.0     25.0       25.0
    >>> print(result.target_met_year)
    None
    """
    values = _validate(
        {
            "last_known_year": last_known_year,
            "new_per_year": new_per_year,
            "growth": growth,
            "pass_rate": pass_rate,
            "review_cycle": review_cycle,
            "target": target,
            "target_year": target_year,
            "horizon": horizon,
        }
    )
    last_known, cycle = int(values["last_known_year"]), int(values["review_cycle"])
    if values["horizon"] < last_known:
        raise ValueError(
            "horizon must not be earlier than last_known_year "
            f"(got horizon={values['horizon']}, last_known_year={last_known})"
        )
    end_year = max(int(values["horizon"]), int(values["target_year"]))
    record = _record(history, reviews, last_known, cycle)
    years = np.arange(record.start_year, end_year + 1)
    projected = years > last_known
    steps = np.maximum(years - last_known - 1, 0)
    designated = np.where(
        projected,
        values["new_per_year"] * (1.0 + values["growth"]) ** steps,
        _pad(record.designated, len(years)),
    )
    observed = _pad_square(record.review_share, len(years))
    flows = _cohort_flows(designated, observed, float(values["pass_rate"]), cycle)
    table = pd.DataFrame(
        {
            "year": years.astype(int),
            "designated": designated,
            "reviewed": flows.reviewed,
            "revoked": flows.revoked,
            "net_stock": flows.stock,
            "gross_designated": np.cumsum(designated),
            "is_projection": projected,
            "review_assumed": flows.review_assumed,
        }
    )
    return _result(table, values)


def batch_needed_for_target(
    history: pd.DataFrame | None = None,
    *,
    reviews: pd.DataFrame | None = None,
    last_known_year: int = 2025,
    pass_rate: float = 0.87,
    review_cycle: int = 3,
    target: int = 10000,
    target_year: int = 2025,
) -> int:
    """Smallest constant yearly batch that brings the net stock to the target in its year.

    Years up to ``last_known_year`` come from the record, exactly as in
    :func:`designation_pipeline`; every later year names the same number of firms
    (growth 0). The answer is exact: the stock in ``target_year`` rises with the batch
    size, so a closed-form first guess is checked against the model itself and moved by
    whole firms until ``batch`` reaches the target and ``batch - 1`` does not.

    Parameters
    ----------
    history, reviews : pandas.DataFrame, optional
        As in :func:`designation_pipeline`.
    last_known_year, pass_rate, review_cycle, target, target_year
        As in :func:`designation_pipeline`, with the same allowed ranges.

    Returns
    -------
    int
        Firms a year from ``last_known_year + 1``; 0 if the record alone already meets the
        target in ``target_year``. It can exceed the largest ``new_per_year`` a slider
        offers.

    Raises
    ------
    ValueError
        For an invalid parameter or history (see :func:`designation_pipeline`), or if the
        target is missed and no batch can help because ``target_year`` is not after
        ``last_known_year``.

    Examples
    --------
    >>> import pandas as pd
    >>> history = pd.DataFrame({"year": [2019], "final_count": [100],
    ...                         "public_notice_count": [100], "review_pass_count": [pd.NA]})
    >>> batch_needed_for_target(history, last_known_year=2019, pass_rate=0.5,
    ...                         review_cycle=3, target=400, target_year=2022)
    117

    With 117 firms a year in 2020-2022 the stock in 2022 is 50 + 3 x 117 = 401; with 116
    it is 398.
    """
    values = _validate(
        {
            "last_known_year": last_known_year,
            "pass_rate": pass_rate,
            "review_cycle": review_cycle,
            "target": target,
            "target_year": target_year,
        }
    )
    last_known, cycle = int(values["last_known_year"]), int(values["review_cycle"])
    goal, due = int(values["target"]), int(values["target_year"])
    record = _record(history, reviews, last_known, cycle)
    if due < record.start_year:
        raise ValueError(
            f"target_year {due} is before the first recorded batch ({record.start_year})"
        )
    end_year = max(due, last_known)
    years = np.arange(record.start_year, end_year + 1)
    projected = years > last_known
    recorded = _pad(record.designated, len(years))
    observed = _pad_square(record.review_share, len(years))
    rate = float(values["pass_rate"])
    due_index = due - record.start_year

    def stock_in_target_year(batch: int) -> float:
        designated = np.where(projected, float(batch), recorded)
        return float(_cohort_flows(designated, observed, rate, cycle).stock[due_index])

    base = stock_in_target_year(0)
    if base >= goal:
        return 0
    per_firm = stock_in_target_year(1) - base
    if due <= last_known or per_firm <= 0:
        raise ValueError(
            f"the target of {goal:,} in {due} cannot be met by new batches: the stock from "
            f"the record is {base:,.0f} and target_year is not after last_known_year "
            f"({last_known})"
        )
    batch = max(math.ceil((goal - base) / per_firm), 1)
    while stock_in_target_year(batch) < goal:
        batch += 1
    while batch > 1 and stock_in_target_year(batch - 1) >= goal:
        batch -= 1
    return batch


def batch_sizes(history: pd.DataFrame | None = None) -> pd.DataFrame:
    """The size of each batch as the model counts it, and which count that is.

    A batch counts its final designation where the record has one, else its public-notice
    list (the firms put up for comment, usually a few more than are finally named).

    Parameters
    ----------
    history : pandas.DataFrame, optional
        As in :func:`designation_pipeline` (default: ``data/designation_batches.csv``).

    Returns
    -------
    pandas.DataFrame
        The history's ``batch`` column if it has one, then ``year``, ``firms`` (float) and
        ``count_kind`` (:data:`FINAL` or :data:`PUBLIC_NOTICE`), one row per batch.

    Examples
    --------
    >>> sizes = batch_sizes()
    >>> print(sizes.loc[sizes["year"] >= 2023].to_string(index=False))
     batch  year  firms         count_kind
         5  2023 3654.0  final designation
         6  2024 3012.0 public-notice list
         7  2025 3482.0 public-notice list
    """
    history = _history_or_default(history)
    final = _numeric_column(history, "final_count")
    notice = _numeric_column(history, "public_notice_count")
    has_final = ~np.isnan(final)
    sizes = pd.DataFrame(
        {
            "year": _numeric_column(history, "year").astype(int),
            "firms": np.where(has_final, final, notice),
            "count_kind": np.where(has_final, FINAL, PUBLIC_NOTICE),
        },
        index=history.index,
    )
    if "batch" in history.columns:
        sizes.insert(0, "batch", history["batch"])
    return sizes.reset_index(drop=True)


# --- internals -------------------------------------------------------------------------------


def _validate(values: Mapping[str, object]) -> dict[str, float | int]:
    """Check values against the records in ``data/parameters_explorer.csv``."""
    return validate_parameters(PARAMETER_TABLE, MODEL, values)


@dataclass(frozen=True)
class _Record:
    """Recorded cohorts, one per year from ``start_year`` to ``last_known_year``."""

    start_year: int
    designated: np.ndarray
    # review_share[c, y]: share of cohort c kept at its re-review in year y (indices from
    # start_year); NaN where the record has no result for that review.
    review_share: np.ndarray


@dataclass(frozen=True)
class _Flows:
    reviewed: np.ndarray
    revoked: np.ndarray
    stock: np.ndarray
    review_assumed: np.ndarray


def _history_or_default(history: pd.DataFrame | None) -> pd.DataFrame:
    if history is None:
        from explainer.data import load_table

        return load_table("designation_batches")
    if not isinstance(history, pd.DataFrame):
        raise ValueError(
            f"history must be a pandas DataFrame or None (got {type(history).__name__})"
        )
    return history


def _reviews_or_default(reviews: pd.DataFrame | None, history: pd.DataFrame | None) -> pd.DataFrame:
    """The joint re-reviews: the data table with the default history, none with another."""
    if reviews is None:
        if history is not None:
            return pd.DataFrame(columns=list(REVIEW_COLUMNS))
        from explainer.data import load_table

        return load_table("review_rounds")
    if not isinstance(reviews, pd.DataFrame):
        raise ValueError(
            f"reviews must be a pandas DataFrame or None (got {type(reviews).__name__})"
        )
    return reviews


def _record(
    history: pd.DataFrame | None,
    reviews: pd.DataFrame | None,
    last_known_year: int,
    review_cycle: int,
) -> _Record:
    """The recorded cohorts, with every recorded re-review result that applies."""
    batches = _history_or_default(history)
    record = _recorded_cohorts(batches, last_known_year, review_cycle)
    joint = _reviews_or_default(reviews, history)
    _add_joint_reviews(record, batches, joint, last_known_year, review_cycle)
    return record


def _numeric_column(history: pd.DataFrame, name: str) -> np.ndarray:
    try:
        return history[name].to_numpy(dtype=float, na_value=math.nan)
    except (TypeError, ValueError):
        raise ValueError(f"history column {name!r} must hold numbers or be empty") from None


def _recorded_cohorts(history: pd.DataFrame, last_known_year: int, review_cycle: int) -> _Record:
    """Turn the batch table into one recorded cohort per year up to ``last_known_year``."""
    missing = [name for name in HISTORY_COLUMNS if name not in history.columns]
    if missing:
        raise ValueError(
            f"history lacks the column(s) {', '.join(missing)}; "
            f"it needs {', '.join(HISTORY_COLUMNS)}"
        )
    year = _numeric_column(history, "year")
    if np.isnan(year).any() or (year != np.round(year)).any():
        raise ValueError("history column 'year' must hold a whole year in every row")
    final = _numeric_column(history, "final_count")
    notice = _numeric_column(history, "public_notice_count")
    passed = _numeric_column(history, "review_pass_count")
    if "review_year" in history.columns:
        review_year = _numeric_column(history, "review_year")
    else:
        review_year = np.full(len(year), math.nan)
    named = np.where(np.isnan(final), notice, final)

    keep = year <= last_known_year
    if not keep.any():
        raise ValueError(f"history has no batch in or before last_known_year ({last_known_year})")
    for y, count, used in zip(year[keep], named[keep], passed[keep]):
        if math.isnan(count) or count < 0:
            raise ValueError(f"history batch of {int(y)} has no valid final or public-notice count")
        if not math.isnan(used) and not 0 <= used <= count:
            raise ValueError(
                f"history batch of {int(y)}: {used:,.0f} firms passed re-review "
                f"out of {count:,.0f} named"
            )
    # A recorded review result counts only if the model reviews that batch in the year the
    # record says it was reviewed, and that year is part of the record.
    due = year + review_cycle
    on_schedule = np.isnan(review_year) | (review_year == due)
    usable = keep & ~np.isnan(passed) & on_schedule & (due <= last_known_year)

    start = int(year[keep].min())
    size = last_known_year - start + 1
    index = (year[keep] - start).astype(int)
    designated = np.bincount(index, weights=named[keep], minlength=size)
    passes = np.bincount(index, weights=np.where(usable[keep], passed[keep], 0.0), minlength=size)
    batches = np.bincount(index, minlength=size)
    recorded = np.bincount(index, weights=usable[keep].astype(float), minlength=size)
    # Several batches in one year share one cohort; its result is known only if all are.
    complete = (batches > 0) & (recorded == batches) & (designated > 0)
    review_share = np.full((size, size), math.nan)
    for cohort in np.flatnonzero(complete):
        review_share[cohort, cohort + review_cycle] = passes[cohort] / designated[cohort]
    return _Record(start_year=start, designated=designated, review_share=review_share)


def _add_joint_reviews(
    record: _Record,
    history: pd.DataFrame,
    reviews: pd.DataFrame,
    last_known_year: int,
    review_cycle: int,
) -> None:
    """Fill ``record.review_share`` with the rates of re-reviews reported for several batches
    together: the rate applies to every listed batch the model reviews in that year."""
    missing = [name for name in REVIEW_COLUMNS if name not in reviews.columns]
    if missing:
        raise ValueError(
            f"reviews lacks the column(s) {', '.join(missing)}; "
            f"it needs {', '.join(REVIEW_COLUMNS)}"
        )
    if reviews.empty:
        return
    if "batch" not in history.columns:
        raise ValueError("history needs a 'batch' column to match the batches in reviews")
    batch_year = dict(zip(_batch_numbers(history["batch"], "history"), history["year"]))
    for row in reviews.itertuples(index=False):
        year, rate = int(row.review_year), float(row.pass_rate_pct)
        if not 0 <= rate <= 100:
            raise ValueError(f"reviews of {year}: pass_rate_pct must be 0 to 100 (got {rate:g})")
        listed = set(_batch_numbers(row.batches, f"reviews of {year}"))
        unknown = sorted(listed - set(batch_year))
        if unknown:
            raise ValueError(f"reviews of {year} name batch {unknown[0]}, which history lacks")
        if year > last_known_year:
            continue
        y = year - record.start_year
        for c in range(min(y, len(record.designated))):
            cohort_year = record.start_year + c
            named = {b for b, by in batch_year.items() if by == cohort_year}
            due = (y - c) % review_cycle == 0
            if named and named <= listed and due and math.isnan(record.review_share[c, y]):
                record.review_share[c, y] = rate / 100


def _batch_numbers(values: object, where: str) -> list[int]:
    """Batch numbers from a column or a list cell (the loader gives ``("1", "4")``)."""
    items = list(values) if isinstance(values, tuple | list | pd.Series) else [values]
    try:
        numbers = [float(item) for item in items]
    except (TypeError, ValueError):
        raise ValueError(f"{where}: batch numbers must be whole numbers (got {items!r})") from None
    if any(not math.isfinite(n) or n != round(n) for n in numbers):
        raise ValueError(f"{where}: batch numbers must be whole numbers (got {items!r})")
    return [int(n) for n in numbers]


def _pad(values: np.ndarray, length: int, fill: float = 0.0) -> np.ndarray:
    out = np.full(length, fill, dtype=float)
    out[: min(len(values), length)] = values[:length]
    return out


def _pad_square(values: np.ndarray, length: int) -> np.ndarray:
    """A square matrix grown (or cut) to ``length`` rows and columns, NaN where new."""
    out = np.full((length, length), math.nan)
    size = min(len(values), length)
    out[:size, :size] = values[:size, :size]
    return out


def _cohort_flows(
    designated: np.ndarray, review_share: np.ndarray, pass_rate: float, review_cycle: int
) -> _Flows:
    """Follow every cohort through its re-reviews; return yearly flows and the stock.

    ``designated[i]`` firms are named in year ``i``; they are reviewed in years
    ``j = i + k * review_cycle`` (k = 1, 2, ...). A review keeps ``review_share[i, j]`` of
    them where that is known (not NaN), else ``pass_rate``. The stock is summed from each
    cohort's survivors rather than from the flows, so a higher pass rate can never give a
    smaller stock through rounding.
    """
    n = len(designated)
    age = np.arange(n)[None, :] - np.arange(n)[:, None]  # years since designation (cohort, year)
    rounds = (n - 1) // review_cycle
    cohorts = np.arange(n)[:, None]
    review_years = cohorts + review_cycle * np.arange(1, rounds + 1)[None, :]  # (cohort, k)
    within = review_years < n
    recorded_keep = np.full((n, rounds), math.nan)
    recorded_keep[within] = review_share[
        np.broadcast_to(cohorts, within.shape)[within], review_years[within]
    ]
    keep = np.where(np.isnan(recorded_keep), pass_rate, recorded_keep)
    survival = np.ones((n, rounds + 1))
    survival[:, 1:] = np.cumprod(keep, axis=1)
    reviews_passed = np.clip(age // review_cycle, 0, rounds)
    alive = np.where(age >= 0, np.take_along_axis(survival, reviews_passed, axis=1), 0.0)
    before = np.zeros_like(alive)
    before[:, 1:] = alive[:, :-1]
    is_review = (age > 0) & (age % review_cycle == 0)
    cohort = designated[:, None]
    assumed = is_review & (cohort > 0) & np.isnan(review_share)
    return _Flows(
        reviewed=(cohort * np.where(is_review, before, 0.0)).sum(axis=0),
        revoked=(cohort * np.where(is_review, before - alive, 0.0)).sum(axis=0),
        stock=(cohort * alive).sum(axis=0),
        review_assumed=assumed.any(axis=0),
    )


def _result(table: pd.DataFrame, values: dict[str, float | int]) -> PipelineResult:
    target, due = int(values["target"]), int(values["target_year"])
    years = table["year"].to_numpy()
    stock = table["net_stock"].to_numpy()
    met = np.flatnonzero(stock >= target)
    in_year = stock[years == due]
    at_due = float(in_year[0]) if len(in_year) else 0.0
    return PipelineResult(
        table=table,
        target=target,
        target_year=due,
        target_met_year=int(years[met[0]]) if len(met) else None,
        stock_at_target_year=at_due,
        shortfall_at_target_year=max(target - at_due, 0.0),
        parameters=dict(values),
    )
