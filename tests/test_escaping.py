"""One escaping rule: text from data is escaped before it becomes HTML or Markdown (issue 16).

Unit and property tests for each path (``text.reading_table``, the trade ``table_view``,
Markdown built from table text, ``sources.references``), and one slow test that runs every
notebook against a copy of ``data/`` with markup in every free-text cell of every table and
finds no raw tag in any output. The same copy shows that notebooks find rows by key, never by
the words a row shows.
"""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markup import PAYLOAD, RAW_TAG, free_text_fields, marked_copy, raw_tags

from explainer import data, sources, text
from explainer.charts import trade

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

markup = st.text(alphabet=st.sampled_from("<>&\"'/= abimgscrptx$"), min_size=1, max_size=30)


class _Cells(HTMLParser):
    """The text a browser shows in each cell and header of a table, and every tag it sees."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[str] = []
        self.tags: set[str] = set()
        self._open = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.add(tag)
        if tag in ("td", "th"):
            self._open, self.cells = True, [*self.cells, ""]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._open = False

    def handle_data(self, content: str) -> None:
        if self._open:
            self.cells[-1] += content


@settings(max_examples=60, deadline=None)
@given(cell=markup, header=markup)
def test_reading_table_shows_text_from_data_as_text(cell: str, header: str) -> None:
    frame = pd.DataFrame({header: [cell, "plain"], "ids": [(cell,), ()]})
    parser = _Cells()
    parser.feed(text.reading_table(frame).to_html())
    assert parser.tags <= {"style", "table", "thead", "tbody", "tr", "th", "td"}
    assert [c.strip() for c in parser.cells] == [
        header.strip(),
        "ids",
        cell.strip(),
        cell.strip(),
        "plain",
        "",
    ]


@settings(max_examples=60, deadline=None)
@given(words=markup)
def test_markdown_text_leaves_no_tag(words: str) -> None:
    made = text.markdown_text(words)
    assert "<" not in made and ">" not in made
    assert "$" not in made.replace("\\$", "")


def test_trade_table_view_escapes() -> None:
    frame = pd.DataFrame({"event": [PAYLOAD], "when": ["2019"]})
    page = trade.table_view(frame).to_html()
    assert RAW_TAG not in page and "&lt;img src=x" in page


def test_export_control_cards_escape_text_from_data() -> None:
    table = data.load_table("export_controls")
    table["target"] = table["target"] + " " + PAYLOAD
    table["us_rationale"] = table["us_rationale"].map(lambda v: v and f"{v} {PAYLOAD}")
    cards = trade.export_controls_markdown(table)
    assert RAW_TAG not in cards and "&lt;img src=x" in cards


def test_references_escape_titles(monkeypatch: pytest.MonkeyPatch) -> None:
    row = sources._sources().iloc[0]
    monkeypatch.setattr(
        sources, "citation", lambda i: f"{row['publisher']} {PAYLOAD} costs $200 and $34.5B"
    )
    shown = sources.references(row.name).data
    assert RAW_TAG not in shown and "&lt;img" in shown and "\\$200" in shown


def test_free_text_fields_leave_keys_and_codes_alone() -> None:
    timeline = data.resource("timeline")
    assert free_text_fields(timeline) == ["event", "detail"]
    for res in data.descriptor()["resources"]:
        key = res["schema"].get("primaryKey")
        keys = {key} if isinstance(key, str) else set(key)
        assert not keys & set(free_text_fields(res)), res["name"]


def test_tariff_summary_finds_rows_by_key_not_label(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    marked_copy(data.data_dir(), folder)  # every label reworded (markup added)
    monkeypatch.setenv(data.DATA_ENV, str(folder))
    assert "Trump took office" in trade.tariff_summary()


def _execute(path: Path, folder: Path) -> nbformat.NotebookNode:
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=True,
    )
    previous = os.environ.get(data.DATA_ENV)
    os.environ[data.DATA_ENV] = str(folder)  # the kernel inherits it
    try:
        client.execute()
    finally:
        if previous is None:
            os.environ.pop(data.DATA_ENV, None)
        else:
            os.environ[data.DATA_ENV] = previous
    return notebook


@pytest.fixture(scope="module")
def marked_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("marked") / "data"
    marked = marked_copy(data.data_dir(), folder)
    assert sum(map(len, marked.values())) >= 60  # every table's free text, not a sample
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_raw_tag_from_data_in_any_notebook_output(marked_data: Path, path: Path) -> None:
    notebook = _execute(path, marked_data)
    assert raw_tags(notebook) == []
    shown = "".join(
        str(output.get("data", {}).get("text/html", ""))
        for cell in notebook.cells
        for output in cell.get("outputs", [])
    )
    if "<table" in shown:  # the markup really was in the tables, escaped
        assert "&lt;img src=x" in shown
