"""Source ids resolve to citations; every id used anywhere in data/ is a known source."""

from __future__ import annotations

import pandas as pd
import pytest

from explainer import data, sources


@pytest.fixture(scope="module")
def source_table() -> pd.DataFrame:
    return data.load_table("sources")


def test_every_row_of_every_table_resolves(source_table: pd.DataFrame) -> None:
    known = set(source_table["id"])
    for name in data.table_names():
        frame = data.load_table(name)
        if "source_ids" not in frame:
            continue
        used = set(sources.collect_ids(frame))
        assert used <= known, (name, used - known)


def test_short_citation_and_line(source_table: pd.DataFrame) -> None:
    row = source_table.iloc[0]
    short = sources.short_citation(row["id"])
    assert short.startswith(row["publisher"]) and short.endswith(")")
    line = sources.source_line(row["id"], [row["id"]])
    assert line == f"Source: {short}."
    other = source_table[source_table["publisher"] != row["publisher"]].iloc[0]
    two = sources.source_line(row["id"], other["id"])
    assert two.startswith("Sources: ") and "; " in two


def test_long_source_lines_are_cut_short(source_table: pd.DataFrame) -> None:
    ids = list(source_table["id"])
    line = sources.source_line(ids, limit=2)
    assert line.count(";") == 2 and line.endswith("more (listed under Sources).")


def test_full_citation_has_title_url_and_access(source_table: pd.DataFrame) -> None:
    row = source_table[source_table["accessed"].notna()].iloc[-1]
    text = sources.citation(row["id"])
    assert row["title"] in text and row["url"] in text and "accessed 2" in text


def test_citation_says_when_we_did_not_reopen_a_source(source_table: pd.DataFrame) -> None:
    row = source_table[source_table["accessed"].isna()].iloc[0]
    assert sources.citation(row["id"]).endswith(f"(not re-opened by us: {row['reopen_note']})")


def test_unknown_id_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown source id 'nope'; add it to data/sources.csv"):
        sources.citation("nope")


def test_sources_table_from_frames(source_table: pd.DataFrame) -> None:
    batches = data.load_table("designation_batches")
    table = sources.sources_table(batches)
    assert list(table.columns) == ["id", "citation", "kind"]
    assert table["id"].is_unique and len(table) == len(sources.collect_ids(batches))


def test_references_is_numbered_markdown() -> None:
    md = sources.references(data.load_table("tariffs"))
    # a numbered list inside a wrapper that lets long addresses break (blank lines around it)
    assert md.data.startswith('<div class="lg-references"') and "\n\n1. " in md.data
    assert md.data.endswith("\n\n</div>")


def test_a_source_line_needs_ids() -> None:
    with pytest.raises(ValueError, match="at least one source id"):
        sources.source_line([])
