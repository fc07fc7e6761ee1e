"""One check, shared by the notebook tests: figures typed in Markdown must be in data/."""

from __future__ import annotations

import re

import nbformat
import pandas as pd

from explainer import data

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)
_NUMBER = re.compile(r"(?<![\w.,/#-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w/-]|\.\d)")


def known_figures(*, days: bool = False) -> set[float]:
    """Every number in a numeric column of ``data/``, every year of its dates (and every day)."""
    known: set[float] = set()
    for name in data.table_names():
        frame = data.load_table(name)
        for column in frame.columns:
            series = frame[column]
            if pd.api.types.is_datetime64_any_dtype(series):
                dates = series.dropna()
                known |= {float(d.year) for d in dates}
                if days:
                    known |= {float(d.day) for d in dates}
            elif pd.api.types.is_numeric_dtype(series):
                known |= {round(float(v), 2) for v in series.dropna()}
    return known


def prose_figures(text: str) -> list[str]:
    """Numbers a reader sees in Markdown, leaving out code, links, names and list markers."""
    text = re.sub(r"```.*?```|`[^`]*`", " ", text, flags=re.S)
    text = re.sub(r"\]\([^)]*\)|<[^>]+>", " ", text)  # link targets and HTML tags
    text = re.sub(r"^\s*(?:\d+\.|[-*])\s", " ", text, flags=re.M)  # list markers
    text = re.sub(r"\b\d+(?:st|nd|rd|th)\b", " ", text)  # ordinals: the 14th plan
    text = re.sub(r"Exercise \d+|notebook \d+|0\d_\w+", " ", text, flags=re.I)
    # time estimates are the project's own, not facts: test_story_consistency checks them
    text = re.sub(r"^\*Time:.*$", " ", text, flags=re.M)
    text = re.sub(rf"\b(\d{{1,2}}) ({_MONTHS})\b", r"\2", text)  # days are checked with years
    return _NUMBER.findall(text)


def figures_not_in_data(
    notebook: nbformat.NotebookNode, *, days: bool = False
) -> list[tuple[str, str]]:
    """(figure, start of its cell) for each number typed in Markdown that no table holds."""
    known = known_figures(days=days)
    return [
        (figure, cell.source[:60])
        for cell in notebook.cells
        if cell.cell_type == "markdown"
        for figure in prose_figures(cell.source)
        if round(float(figure.replace(",", "")), 2) not in known
    ]
