"""Notebook hygiene: clean diffs, a clear structure, short cells (nbval runs them)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))
MAX_CODE_LINES = 12


def _load(path: Path) -> nbformat.NotebookNode:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    return notebook


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS[0].name == "00_start_here.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_outputs_and_widget_state_are_stripped(path: Path) -> None:
    notebook = _load(path)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]
    assert "widgets" not in notebook.metadata


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_one_title_first_then_ordered_headings(path: Path) -> None:
    notebook = _load(path)
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    levels = [
        len(m.group(1))
        for cell in notebook.cells
        if cell.cell_type == "markdown"
        for m in re.finditer(r"^(#{1,6}) ", cell.source, flags=re.M)
    ]
    assert levels.count(1) == 1, "exactly one H1 title"
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"heading level jumps from {before} to {after}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_code_cells_are_short_and_setup_comes_first(path: Path) -> None:
    notebook = _load(path)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code and "charts.setup()" in code[0].source
    for cell in code:
        lines = [line for line in cell.source.splitlines() if line.strip()]
        assert len(lines) <= MAX_CODE_LINES, cell.source[:80]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_lists_its_sources(path: Path) -> None:
    notebook = _load(path)
    assert any("sources.references(" in c.source for c in notebook.cells if c.cell_type == "code")
