"""Turn source ids into citations: a short form for charts, a full table for a notebook.

Every row in ``data/`` carries ``source_ids``; each id is a row of ``data/sources.csv``.

Examples
--------
>>> from explainer.sources import short_citation
>>> short_citation("piie-2020-tariff-chart")  # doctest: +SKIP
'PIIE (2020)'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from explainer.data import load_table, table_path
from explainer.text import markdown_text, when

__all__ = [
    "citation",
    "collect_ids",
    "references",
    "short_citation",
    "source_line",
    "sources_table",
]


def _sources() -> pd.DataFrame:
    """The sources table indexed by id (cached until the file changes)."""
    path = table_path("sources")
    stamp = path.stat()
    return _sources_by_id(str(path), stamp.st_mtime_ns, stamp.st_size)


def _source_row(source_id: str) -> Mapping[str, Any]:
    """One source's fields by column name (a plain mapping: a pandas row lookup cost more than
    the citation it serves, and a notebook's list of sources makes hundreds)."""
    path = table_path("sources")
    stamp = path.stat()
    row = _rows_by_id(str(path), stamp.st_mtime_ns, stamp.st_size).get(source_id)
    if row is None:
        raise ValueError(f"unknown source id {source_id!r}; add it to data/sources.csv")
    return row


@functools.lru_cache(maxsize=4)
def _rows_by_id(path: str, mtime_ns: int, size: int) -> dict[str, dict[str, Any]]:
    return _sources_by_id(path, mtime_ns, size).to_dict("index")


@functools.lru_cache(maxsize=4)
def _sources_by_id(path: str, mtime_ns: int, size: int) -> pd.DataFrame:
    # Indexed once per version of the file: a chart's source line looks up every id it cites,
    # and panels rebuild their charts on each slider move.
    return load_table("sources").set_index("id")


def _year(row: Mapping[str, Any]) -> str:
    return "n.d." if pd.isna(row["date"]) else str(row["date"].year)


def short_citation(source_id: str) -> str:
    """Publisher and year, e.g. ``'PIIE (2020)'``: short enough for a chart's source line."""
    row = _source_row(source_id)
    return f"{row['publisher']} ({_year(row)})"


def publication_date(source_id: str) -> str:
    """The publication date as exactly as known: ``'5 Jun 2019'``, ``'Mar 2021'``, ``'n.d.'``."""
    row = _source_row(source_id)
    if pd.isna(row["date"]):
        return "n.d."
    precision = row["date_precision"] if isinstance(row["date_precision"], str) else "day"
    return when(row["date"], precision)


def citation(source_id: str) -> str:
    """A full citation: publisher, title, date, address and when we last checked it.

    ``accessed`` is empty for a source we could not re-open ourselves (known only from the
    research notes); the citation then says so, and why (``reopen_note``), instead of a date.
    """
    row = _source_row(source_id)
    when = publication_date(source_id).rstrip(".") + "."  # "n.d." takes no second stop
    if pd.isna(row["accessed"]):
        reason = row.get("reopen_note")
        checked = "not re-opened by us" + (f": {reason}" if isinstance(reason, str) else "")
    else:
        checked = f"accessed {row['accessed'].date().isoformat()}"
    title = f"\u201c{row['title']}\u201d"
    return f"{row['publisher']}, {title}, {when} {row['url']} ({checked})"


def collect_ids(*items: Any) -> list[str]:
    """Gather source ids, in first-seen order, from ids, lists of ids, DataFrames or charts.

    A DataFrame (or a reading table's ``data``) contributes the items of its ``source_ids``
    column; a chart made with :func:`explainer.charts.sourced` contributes the ids it cites.
    Duplicates are dropped.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"source_ids": [("a", "b"), ("b",)]})
    >>> collect_ids("c", frame, ["a", "d"])
    ['c', 'a', 'b', 'd']
    """
    seen: dict[str, None] = {}
    for item in items:
        if isinstance(item, str):
            seen.setdefault(item)
        elif isinstance(item, pd.DataFrame):
            for ids in item.get("source_ids", pd.Series(dtype=object)):
                for source_id in ids or ():
                    seen.setdefault(source_id)
        elif isinstance(getattr(item, "usermeta", None), dict):
            # A chart, asked first: a kept figure (explainer.charts.Figure) answers this
            # without being built, while asking it for ``data`` would build it.
            for source_id in item.usermeta.get("source_ids", ()):
                seen.setdefault(source_id)
        elif isinstance(getattr(item, "data", None), pd.DataFrame):  # a reading table
            for source_id in collect_ids(item.data):
                seen.setdefault(source_id)
        else:
            for source_id in collect_ids(*item):
                seen.setdefault(source_id)
    return list(seen)


_CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]")  # CJK, kana, Hangul
_PARENTHESES = re.compile(r"\s*\(([^()]*)\)")


def _chart_name(publisher: str) -> str:
    """A publisher's name for a chart: its Latin-script form where the table gives one.

    "CCPIT Jiangsu (江苏省贸促会)" becomes "CCPIT Jiangsu" and "中制智库 (China Manufacturing
    think tank)" becomes "China Manufacturing think tank": the full citation keeps both, while
    a chart stays legible where no Chinese font is installed and draws faster.
    """
    latin = _PARENTHESES.sub(lambda m: "" if _CJK.search(m.group(1)) else m.group(0), publisher)
    if not _CJK.search(latin):
        return latin.strip()
    glosses = [g for g in _PARENTHESES.findall(publisher) if not _CJK.search(g)]
    return glosses[0].strip() if glosses else publisher


#: Which sources a chart's short source line names first.
_KIND_ORDER = {"official": 0, "research": 1, "press": 2, "secondary": 3}


def source_line(*items: Any, limit: int = 3) -> str:
    """One short line for a chart: ``'Sources: PIIE (2019); Xinhua (2021).'``.

    At most ``limit`` citations are named; the rest are counted ("and 4 more"), since the
    notebook's Sources section lists every one in full. Official and research sources are
    named before press reports, and reposts or aggregators last.
    """
    ids = collect_ids(*items)
    if not ids:
        raise ValueError("a chart needs at least one source id")
    kinds = _sources()["kind"]
    ids = sorted(ids, key=lambda i: _KIND_ORDER.get(kinds.get(i), len(_KIND_ORDER)))
    years: dict[str, list[str]] = {}
    for source_id in ids:  # one entry per publisher: "MIIT (2021, 2023)"
        row = _source_row(source_id)
        listed = years.setdefault(_chart_name(row["publisher"]), [])
        if _year(row) not in listed:
            listed.append(_year(row))
    short = [f"{publisher} ({', '.join(sorted(ys))})" for publisher, ys in years.items()]
    named = "; ".join(short[:limit])
    if len(short) > limit:
        named += f"; and {len(short) - limit} more (listed under Sources)"
    return ("Source: " if len(short) == 1 else "Sources: ") + named + "."


def sources_table(*items: Any) -> pd.DataFrame:
    """The sources behind some ids or tables, for a notebook's closing section.

    Returns a DataFrame with columns ``id``, ``citation`` and ``kind``, one row per source.
    """
    ids = collect_ids(*items)
    kinds = load_table("sources").set_index("id")["kind"]
    return pd.DataFrame(
        {"id": ids, "citation": [citation(i) for i in ids], "kind": [kinds.get(i) for i in ids]}
    )


def references(*items: Any) -> Any:
    """A numbered Markdown list of full citations, ready to display in a notebook.

    Each citation is text from data, so it is escaped (:func:`explainer.text.markdown_text`):
    a ``<`` in a title is shown, and titles such as "$200 billion ... $34.5B" are not typeset
    as mathematics.
    """
    from IPython.display import Markdown

    lines = [
        f"{n}. {markdown_text(citation(i))} <small>[`{i}`]</small>"
        for n, i in enumerate(collect_ids(*items), 1)
    ]
    # A long address breaks at the column's edge instead of making the notebook scroll
    # sideways (JupyterLab's column is 848 px at 1280x720). Blank lines keep the list Markdown.
    return Markdown(
        '<div class="lg-references" style="overflow-wrap:anywhere">\n\n'
        + "\n".join(lines)
        + "\n\n</div>"
    )
