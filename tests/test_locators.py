"""Every cited figure can be found again: a locator for each (table, row, source) citation.

``data/locators.csv`` says where in a source each row's figure stands. A citation may lack a
locator only if its source could not be re-opened (empty ``accessed`` in ``data/sources.csv``,
with ``reopen_note`` saying why) or if it is listed in ``tests/locators_pending.csv``: citations
of sources re-opened in earlier rounds whose place has not yet been recorded. That list may
only shrink: a pending citation that gains a locator, or disappears, must be struck from it.

To strike entries after adding locators, run ``python tests/test_locators.py --prune``; it
removes resolved entries and never adds new ones.
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

import pytest

from explainer import data, sources
from explainer.data import DataFileError, load_table

PENDING = Path(__file__).with_name("locators_pending.csv")
Citation = tuple[str, str, str]


def _pending() -> set[Citation]:
    with open(PENDING, encoding="utf-8", newline="") as handle:
        return {(r["table"], r["row_key"], r["source_id"]) for r in csv.DictReader(handle)}


def _missing(folder: Path | None = None) -> list[Citation]:
    """Citations of re-opened sources that have no locator, in file order."""
    reopened = load_table("sources", folder).set_index("id")["accessed"].notna()
    located = {
        tuple(row)
        for row in load_table("locators", folder)[["table", "row_key", "source_id"]].itertuples(
            index=False
        )
    }
    return [c for c in data.citations(folder) if reopened.get(c[2], False) and c not in located]


def _listing(citations: list[Citation] | set[Citation]) -> str:
    return "\n".join(f"  table {t}, row {k!r}, source {s}" for t, k, s in sorted(citations))


def test_every_citation_of_a_reopened_source_has_a_locator() -> None:
    missing = _missing()
    new_gaps = [c for c in missing if c not in _pending()]
    assert not new_gaps, (
        f"{len(new_gaps)} citation(s) have no locator in data/locators.csv (add a row "
        "table,row_key,source_id,locator for each, or empty the source's accessed date and "
        "give a reopen_note if it cannot be re-opened):\n" + _listing(new_gaps)
    )


def test_pending_list_only_holds_open_gaps() -> None:
    resolved = _pending() - set(_missing())
    assert not resolved, (
        "these citations now have a locator, or no longer exist: strike them from "
        "tests/locators_pending.csv (python tests/test_locators.py --prune):\n" + _listing(resolved)
    )


def test_sources_not_reopened_say_why_and_have_no_locators() -> None:
    table = load_table("sources")
    closed = table[table["accessed"].isna()]
    assert closed["reopen_note"].notna().all()
    located = set(load_table("locators")["source_id"])
    assert not located & set(closed["id"])


def test_citation_says_why_a_source_was_not_reopened() -> None:
    table = load_table("sources")
    row = table[table["accessed"].isna()].iloc[0]
    text = sources.citation(row["id"])
    assert text.endswith(f"(not re-opened by us: {row['reopen_note']})")
    reopened = table[table["accessed"].notna()].iloc[0]
    assert "not re-opened" not in sources.citation(reopened["id"])


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the real data package that a test may break."""
    folder = tmp_path / "data"
    shutil.copytree(data.data_dir(), folder)
    return folder


def _append(folder: Path, name: str, line: str) -> int:
    """Append one line to a CSV file; return its data-row number."""
    path = folder / name
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return len(text.splitlines())


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        ("nonesuch,1,yicai-2018-600-little-giants,para 1", "table", "no table 'nonesuch'"),
        ("timeline,no-such-row,yicai-2018-600-little-giants,para 1", "row_key", "no row"),
        ("timeline,bse-opens,yicai-2018-600-little-giants,para 1", "source_id", "does not cite"),
        ("timeline,bse-opens,nope,para 1", "source_id", "unknown id 'nope'"),
        (
            "timeline,bse-opens,bloomberg-2021-bse-little-giants,para 1",
            "source_id",
            "a locator needs a source we re-opened",
        ),
        ('timeline,bse-opens,flanders-china-2021-bse-81,"""81 firms"""', "locator", "pattern"),
    ],
)
def test_bad_locator_names_file_row_and_column(
    copy: Path, line: str, column: str, message: str
) -> None:
    number = _append(copy, "locators.csv", line)
    with pytest.raises(DataFileError, match=message) as caught:
        load_table("locators", copy)
    assert (caught.value.file, caught.value.row, caught.value.column) == (
        "data/locators.csv",
        number,
        column,
    )


def test_duplicate_locator_is_refused(copy: Path) -> None:
    first = (copy / "locators.csv").read_text(encoding="utf-8").splitlines()[1]
    _append(copy, "locators.csv", first)
    with pytest.raises(DataFileError, match="duplicate key"):
        load_table("locators", copy)


def test_source_without_access_date_needs_a_reason(copy: Path) -> None:
    path = copy / "sources.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines) if line.startswith("naega-2018-section-301"))
    lines[number] = lines[number][: lines[number].rindex(",")] + ","
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_table("sources", copy)
    assert (caught.value.row, caught.value.column) == (number, "reopen_note")


def test_a_new_uncited_row_is_reported_by_table_row_and_source(copy: Path) -> None:
    _append(
        copy,
        "timeline.csv",
        "new-event,2026-12-01,day,China central,little giants,New event,Detail.,"
        "yicai-2018-600-little-giants",
    )
    assert ("timeline", "new-event", "yicai-2018-600-little-giants") in _missing(copy)


def _prune() -> int:
    """Strike resolved entries from the pending list; never add any."""
    keep = _pending() & set(_missing())
    rows = sorted(keep)
    with open(PENDING, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["table", "row_key", "source_id"])
        writer.writerows(rows)
    return len(rows)


if __name__ == "__main__":
    if sys.argv[1:] == ["--prune"]:
        print(f"{_prune()} citations still pending")
    else:
        sys.exit("usage: python tests/test_locators.py --prune")


def test_list_foreign_keys_declared_apart_still_count_as_citations() -> None:
    """Keys over list fields sit under ``x-listForeignKeys`` (the Frictionless-safe form) and
    still count as citations."""
    timeline = next(r for r in data.descriptor()["resources"] if r["name"] == "timeline")
    assert "foreignKeys" not in timeline["schema"]
    assert timeline["schema"]["x-listForeignKeys"][0]["fields"] == "source_ids"
    cited = [c for c in data.citations() if c[0] == "timeline"]
    assert len(cited) >= len(data.load_table("timeline"))
