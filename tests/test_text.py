"""Shared wording: dates as exact as known, qualified figures, projector-ready tables."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from explainer.text import escape_dollars, qualified, reading_table, when, when_column

ROOT = Path(__file__).resolve().parents[1]


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


# --- reading tables: HTML written directly, no Styler -------------------------------------------


def _cells(page: str) -> list[str]:
    """The text of every body cell, in order."""
    return re.findall(r"<td[^>]*>(.*?)</td>", page)


def test_reading_table_formats_each_kind_of_column() -> None:
    frame = pd.DataFrame(
        {
            "batch": [1.0, 2.0],
            "firms": pd.array([12000, None], dtype="Int64"),
            "share": [0.25, 12345.678],
            "date": pd.to_datetime(["2019-06-05", None]),
            "listed": [True, False],
            "source_ids": [("a", "b"), ("c",)],
            "note": ["x", None],
        }
    )
    cells = _cells(reading_table(frame, decimals=2, dates="%b %Y").to_html())
    assert cells == [
        "1", "12,000", "0.25", "Jun 2019", "True", "a; b", "x",
        "2", "–", "12,345.68", "–", "False", "c", "–",
    ]  # fmt: skip


def test_reading_table_escapes_every_cell_and_header() -> None:
    attack = "<img src=x onerror=alert(1)>"
    frame = pd.DataFrame({attack: [attack, "it's & <b>"]})
    page = reading_table(frame).to_html()
    assert "<img" not in page and "<b>" not in page
    assert "<th>&lt;img src=x onerror=alert(1)&gt;</th>" in page
    assert _cells(page) == ["&lt;img src=x onerror=alert(1)&gt;", "it&#x27;s &amp; &lt;b&gt;"]
    shown = reading_table(frame).with_text(attack, ["<i>", "ok"]).to_html()
    assert "&lt;i&gt;" in shown and "<i>" not in shown


def test_reading_table_widths_are_preferred_widths_of_their_columns() -> None:
    frame = pd.DataFrame({"a": ["x"], "b": ["y"]})
    page = reading_table(frame, widths={"b": "20em"}).to_html()
    table_id = re.search(r'<table id="([\w-]+)"', page)[1]
    assert f"#{table_id} td:nth-child(2) {{ width: 20em; }}" in page
    assert f"#{table_id} {{ max-width: 100%; }}" in page  # shrinks to fit the page's column
    with pytest.raises(ValueError, match="not a column"):
        reading_table(frame, widths={"c": "20em"})
    with pytest.raises(ValueError, match="CSS length"):
        reading_table(frame, widths={"a": "20em; color: red"})


def test_reading_table_output_is_deterministic_and_scoped_by_content() -> None:
    frame = pd.DataFrame({"a": ["x", "y"], "n": [1, 2]})
    first, again = reading_table(frame).to_html(), reading_table(frame.copy()).to_html()
    assert first == again and first == reading_table(frame)._repr_html_()
    other = reading_table(frame.assign(a=["x", "z"])).to_html()
    ids = {re.search(r'<table id="([\w-]+)"', p)[1] for p in (first, other)}
    assert len(ids) == 2  # different content, different scope
    for page in (first, other):
        table_id = re.search(r'<table id="([\w-]+)"', page)[1]
        rules = re.search(r"<style[^>]*>(.*)</style>", page, re.S)[1].strip().splitlines()
        assert all(rule.startswith(f"#{table_id}") for rule in rules)


def test_reading_table_keeps_its_data_and_a_short_repr() -> None:
    frame = pd.DataFrame({f"c{i}": range(500) for i in range(9)})
    table = reading_table(frame)
    assert table.data is frame
    assert repr(table) == (
        "<ReadingTable: 500 rows × 9 columns (c0, c1, c2, c3, c4, c5, … (3 more))>"
    )


def test_reading_table_variants_leave_the_original_alone() -> None:
    frame = pd.DataFrame({"Verdict": ["yes", "no"], "n": [1, 2]})
    table = reading_table(frame)
    styled = (
        table.with_classes("tex2jax_ignore")
        .aligned_top()
        .with_caption("What <b>yes</b> means")
        .with_cell_style("Verdict", lambda v: "font-weight: bold" if v == "yes" else "")
    )
    page = styled.to_html()
    assert '<table id="' in page and 'class="tex2jax_ignore"' in page
    assert "vertical-align: top" in page and "<caption>What <b>yes</b> means</caption>" in page
    assert '<td style="font-weight: bold">yes</td><td>1</td>' in page and "<td>no</td>" in page
    assert table.to_html() == reading_table(frame).to_html()  # the original is unchanged
    with pytest.raises(ValueError, match="not a column"):
        table.with_text("verdict", ["a", "b"])
    with pytest.raises(ValueError, match="2 rows"):
        table.with_text("Verdict", ["a"])


def test_reading_tables_do_not_import_pandas_styler() -> None:
    code = (
        "import sys, pandas as pd\n"
        "from explainer.text import reading_table\n"
        "from explainer.charts import policy, trade\n"
        "reading_table(pd.DataFrame({'a': [1.5], 'b': ['x']})).to_html()\n"
        "policy.claims_table().to_html()\n"
        "trade.table_view(pd.DataFrame({'when': ['2019']})).to_html()\n"
        "print('pandas.io.formats.style' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.split() == ["False"]


def test_a_reading_table_gives_its_source_ids_like_its_data() -> None:
    from explainer.sources import collect_ids

    frame = pd.DataFrame({"source_ids": [("a", "b"), ("b", "c")], "note": ["x", "y"]})
    assert collect_ids(reading_table(frame), "d") == ["a", "b", "c", "d"]
