"""Shared wording: dates as exact as known, qualified figures, projector-ready tables."""

from __future__ import annotations

import pandas as pd
import pytest

from explainer.text import escape_dollars, qualified, reading_table, when, when_column


@pytest.mark.parametrize(
    ("precision", "expected"), [("day", "5 Jun 2019"), ("month", "Jun 2019"), ("year", "2019")]
)
def test_when_writes_only_what_is_known(precision: str, expected: str) -> None:
    assert when(pd.Timestamp("2019-06-05"), precision) == expected


def test_when_rejects_unknown_precision_and_handles_missing() -> None:
    with pytest.raises(ValueError, match="precision must be one of: day, month, year"):
        when(pd.Timestamp("2019-06-05"), "week")
    assert when(pd.NaT) == "date not known"
    assert when_column([pd.Timestamp("2020-01-01")], ["year"]) == ["2020"]


def test_qualified() -> None:
    assert qualified(12000, "more_than") == "more than 12,000"
    assert qualified(8997) == "8,997"
    assert qualified(14600, "about") == "about 14,600"
    with pytest.raises(ValueError, match="qualifier must be one of"):
        qualified(1, "roughly")


def test_escape_dollars() -> None:
    assert escape_dollars("$1 and $2") == r"\$1 and \$2"


def test_reading_table_leaves_years_alone_and_separates_thousands() -> None:
    frame = pd.DataFrame({"year": [2019, 2020], "firms": [248.0, 1584.0], "share": [0.26, None]})
    html = reading_table(frame).to_html()
    assert ">2019<" in html and "2,019" not in html
    assert ">1,584<" in html and ">0.3<" in html
    assert "–" in html  # a missing value shows as a dash, not as nan
