"""The teachers' notebook keeps up with the others, and the classroom documents hold together.

- Every exercise in the narrative notebooks has an entry in the answer key of
  ``06_for_teachers``, under its notebook's heading; an answer the notebook folds into a
  ``<details>`` block appears there word for word (answers computed when the notebook runs
  are described instead, so only their titles are checked).
- The lesson plans' minutes add up to the lesson's length.
- Relative links in the README, the guides and the two classroom notebooks lead to files
  that exist, and ``CITATION.cff`` is valid YAML with the fields GitHub needs.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
GUIDE = NOTEBOOKS / "06_for_teachers.ipynb"
NARRATIVE = [
    p
    for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if p.name not in {"00_start_here.ipynb", GUIDE.name}
]

#: "### Exercise 2 (compute from a table)" or "**2. The shortfall in dollars.**"
_TITLE = re.compile(r"^#{2,4} (Exercise \d+[^\n]*)$|^\*\*(\d+\.[^*]+?)\*\*", re.M)
_DETAILS = re.compile(r"<details[^>]*>\s*<summary>.*?</summary>(.*?)</details>", re.S)


def _markdown(path: Path) -> list[str]:
    notebook = nbformat.read(path, as_version=4)
    return [c.source for c in notebook.cells if c.cell_type == "markdown"]


def _exercise_section(path: Path) -> str:
    """The Markdown of a notebook's "## Exercises" section, up to the next "## " heading."""
    lines, inside = [], False
    for source in _markdown(path):
        if source.startswith("## Exercises"):
            inside = True
        elif source.startswith("## ") and inside:
            break
        if inside:
            lines.append(source)
    return "\n\n".join(lines)


def exercises(path: Path) -> list[tuple[str, str | None]]:
    """(title, folded answer or None) for each exercise of a notebook, in order."""
    section = _exercise_section(path)
    marks = list(_TITLE.finditer(section))
    found = []
    for mark, after in zip(marks, [*marks[1:], None]):
        chunk = section[mark.end() : after.start() if after else len(section)]
        folded = _DETAILS.search(chunk)
        title = (mark.group(1) or mark.group(2)).strip()
        found.append((title, folded.group(1).strip() if folded else None))
    return found


def _squash(text: str) -> str:
    return " ".join(text.split())


def _guide_section(stem_heading: str) -> str:
    """The answer-key Markdown for one notebook: from its "### Notebook N" heading on."""
    cells = _markdown(GUIDE)
    start = next(i for i, s in enumerate(cells) if s.startswith(f"### {stem_heading}"))
    end = next(
        (i for i in range(start + 1, len(cells)) if re.match(r"#{2,3} ", cells[i])), len(cells)
    )
    return _squash("\n\n".join(cells[start:end]))


def test_the_narrative_notebooks_have_exercises() -> None:
    assert NARRATIVE, "no narrative notebooks found"
    for path in NARRATIVE:
        assert exercises(path), f"{path.name}: no exercises found under '## Exercises'"


@pytest.mark.parametrize("path", NARRATIVE, ids=lambda p: p.stem)
def test_every_exercise_has_an_answer_key_entry(path: Path) -> None:
    number = int(path.name[:2])
    section = _guide_section(f"Notebook {number}")
    for title, answer in exercises(path):
        label = title if title.startswith("Exercise") else f"Exercise {title}"
        assert _squash(label.rstrip(".")) in section, (
            f"06_for_teachers has no answer-key entry for {path.stem}, {title!r}: add it under "
            f"'### Notebook {number}'"
        )
        if answer is not None:
            assert _squash(answer) in section, (
                f"the answer to {path.stem}, {title!r} changed: copy it into 06_for_teachers"
            )


@pytest.mark.parametrize("minutes", [45, 90])
def test_lesson_plans_add_up(minutes: int) -> None:
    plan = next(s for s in _markdown(GUIDE) if s.startswith(f"## A {minutes}-minute lesson"))
    rows = re.findall(r"^\| (\d+) \|", plan, flags=re.M)
    assert rows and sum(map(int, rows)) == minutes


def test_the_guide_has_every_part() -> None:
    headings = {line for s in _markdown(GUIDE) for line in s.splitlines() if line.startswith("## ")}
    for part in (
        "## How to present",
        "## A 45-minute lesson",
        "## A 90-minute lesson",
        "## Discussion prompts",
        "## Common misconceptions",
        "## Answer keys",
        "## Preparing for class",
    ):
        assert any(h.startswith(part) for h in headings), part


def _relative_links(text: str) -> list[str]:
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    return [t for t in targets if not re.match(r"^[a-z]+:|^#", t)]


@pytest.mark.parametrize(
    "document",
    [
        "README.md",
        "docs/teaching.md",
        "docs/teaching-at-scale.md",
        "notebooks/00_start_here.ipynb",
        "notebooks/06_for_teachers.ipynb",
    ],
)
def test_relative_links_resolve(document: str) -> None:
    path = ROOT / document
    text = "\n".join(_markdown(path)) if path.suffix == ".ipynb" else path.read_text()
    missing = [
        link
        for link in _relative_links(text)
        if not (path.parent / link.split("#")[0]).resolve().exists()
    ]
    assert not missing, f"{document} links to files that do not exist: {missing}"


def test_citation_file() -> None:
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert citation["cff-version"] == "1.2.0"
    for field in ("message", "title", "authors", "version", "license"):
        assert citation.get(field), field
