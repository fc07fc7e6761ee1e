"""Small formatting helpers shared by charts, tables, panels and notebooks.

One place for the wording rules, so that a date, a reported figure or a table reads the same
in every notebook: dates only as exact as they are known, figures with the qualifier their
source used, tables with whole numbers that look like years left alone.

And one escaping rule: **text from data is escaped before it becomes HTML or Markdown.**
:func:`html_text` for HTML (every cell and header of :func:`reading_table`), and
:func:`markdown_text` for Markdown built from table text (citations, claims, cards), so a
``<`` in a CSV cell is shown as ``<``, never read as a tag.

Examples
--------
>>> import pandas as pd
>>> when(pd.Timestamp("2023-07-01"), "month")
'Jul 2023'
>>> qualified(12000, "more_than")
'more than 12,000'
>>> escape_dollars("$200 billion and $34.5 billion")
'\\\\$200 billion and \\\\$34.5 billion'
>>> markdown_text("<b>R&D</b> of $3bn")
'&lt;b&gt;R&D&lt;/b&gt; of \\\\$3bn'
"""

from __future__ import annotations

import copy
import hashlib
import html
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pandas as pd

__all__ = [
    "DATE_FORMATS",
    "QUALIFIER_WORDS",
    "ReadingTable",
    "escape_dollars",
    "html_text",
    "markdown_text",
    "qualified",
    "reading_table",
    "when",
    "when_column",
]

#: strftime formats for each ``date_precision`` value in data/.
DATE_FORMATS = {"day": "%-d %b %Y", "month": "%b %Y", "year": "%Y"}

#: How a ``qualifier`` value in data/ reads in a sentence.
QUALIFIER_WORDS = {
    "exact": "",
    "about": "about ",
    "more_than": "more than ",
    "at_least": "at least ",
}

#: Columns whose whole numbers are labels (years, batch numbers), not quantities.
LABEL_COLUMNS = ("year", "batch", "round", "rank", "review_year", "Year", "Batch", "Round")

#: How a missing value shows in a table.
MISSING = "–"

_LENGTH = re.compile(r"\d+(\.\d+)?(em|rem|ch|px|%)")
_ID = "<table-id>"  # stands for the id until the table's content gives it


def when(date: Any, precision: str = "day") -> str:
    """A date written only as exactly as it is known: ``'5 Jun 2019'``, ``'Jul 2023'``, ``'2020'``.

    Raises
    ------
    ValueError
        If ``precision`` is not one of ``day``, ``month``, ``year``.
    """
    if precision not in DATE_FORMATS:
        raise ValueError(f"precision must be one of: {', '.join(DATE_FORMATS)} (got {precision!r})")
    if date is None or pd.isna(date):
        return "date not known"
    return pd.Timestamp(date).strftime(DATE_FORMATS[precision])


def when_column(dates: Iterable[Any], precisions: Iterable[str]) -> list[str]:
    """:func:`when` for two columns, e.g. ``when_column(df["date"], df["date_precision"])``."""
    return [when(d, p) for d, p in zip(dates, precisions)]


def qualified(value: float | int, qualifier: str | None = "exact") -> str:
    """A figure with the qualifier its source used: ``'more than 12,000'``, ``'8,997'``."""
    words = QUALIFIER_WORDS.get(qualifier or "exact")
    if words is None:
        raise ValueError(
            f"qualifier must be one of: {', '.join(QUALIFIER_WORDS)} (got {qualifier!r})"
        )
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    return f"{words}{number}"


def escape_dollars(text: str) -> str:
    r"""Escape ``$`` so Jupyter's Markdown does not typeset "$200 ... $34.5B" as mathematics."""
    return text.replace("$", r"\$")


def html_text(value: Any) -> str:
    """Text from data, made safe to put into HTML: ``<``, ``>``, ``&`` and quotes escaped."""
    return html.escape(str(value), quote=True)


def markdown_text(value: Any) -> str:
    r"""Text from data, made safe to put into Markdown: no tag, no mathematics.

    ``<`` and ``>`` become entities, so Markdown shows them and never reads a tag (or a
    blockquote); ``$`` is escaped as in :func:`escape_dollars`. Other characters are left as
    they are, so addresses in citations still become links.
    """
    text = str(value).replace("<", "&lt;").replace(">", "&gt;")
    return escape_dollars(text)


class ReadingTable:
    """A DataFrame laid out to read on a projector, written as HTML without pandas' Styler.

    No index, left-aligned, wrapped text, 15-px type. Quantities get thousands separators and
    at most ``decimals`` decimals; whole numbers in label columns (:data:`LABEL_COLUMNS`:
    years, batch and round numbers) are left as they are (``2019``, not ``2,019``); missing
    values show as a dash; dates show as ``dates`` writes them. Every cell and header is
    escaped (:func:`html_text`): markup in data is shown, never run. ``widths`` are each
    column's preferred width: the table still shrinks to fit the page's column.

    The style sheet is scoped by an id derived from the table's content, so the same inputs
    always give the same page. ``data`` is the DataFrame, unchanged, for callers that read the
    numbers. The ``with_*`` methods return a new table; none changes this one.
    """

    __slots__ = ("_caption", "_cells", "_classes", "_styles", "_top", "data", "widths")

    def __init__(
        self,
        data: pd.DataFrame,
        *,
        widths: Mapping[Any, str] | None = None,
        decimals: int = 1,
        dates: str = "%-d %b %Y",
    ) -> None:
        self.data = data
        self.widths: dict[Any, str] = _checked_widths(widths or {}, data.columns)
        self._cells: dict[Any, list[str]] = {
            column: _column_text(data[column], decimals, dates) for column in data.columns
        }
        self._styles: dict[Any, list[str]] = {}
        self._classes = ""
        self._caption = ""
        self._top = False

    def _copy(self) -> ReadingTable:
        """A copy whose cells and styles can change without changing this table."""
        other = copy.copy(self)
        other._cells = dict(self._cells)
        other._styles = dict(self._styles)
        return other

    def with_text(self, column: Any, texts: Iterable[Any]) -> ReadingTable:
        """The same table with ``column``'s cells shown as ``texts`` (escaped), one per row."""
        _check_column(column, self.data)
        shown = [html_text(t) for t in texts]
        if len(shown) != len(self.data):
            raise ValueError(f"{len(shown)} texts for {len(self.data)} rows of {column!r}")
        other = self._copy()
        other._cells[column] = shown
        return other

    def with_cell_style(self, column: Any, css: Callable[[Any], str]) -> ReadingTable:
        """The same table with each cell of ``column`` styled by ``css(value)``."""
        _check_column(column, self.data)
        other = self._copy()
        other._styles[column] = [css(value) for value in self.data[column]]
        return other

    def with_classes(self, classes: str) -> ReadingTable:
        """The same table with these HTML classes (e.g. ``"tex2jax_ignore"``: no MathJax)."""
        other = self._copy()
        other._classes = classes
        return other

    def with_caption(self, caption: str) -> ReadingTable:
        """The same table with a caption: HTML of the project's own wording, not data."""
        other = self._copy()
        other._caption = caption
        return other

    def aligned_top(self) -> ReadingTable:
        """The same table with every row's cells aligned at the top."""
        other = self._copy()
        other._top = True
        return other

    def to_html(self) -> str:
        """The table as HTML: a scoped style sheet and the table."""
        # The placeholder holds a "<", which no escaped cell or header can hold.
        body = self._table(_ID)
        return body.replace(_ID, "lg-table-" + hashlib.sha256(body.encode()).hexdigest()[:12])

    def _repr_html_(self) -> str:
        """What Jupyter shows: :meth:`to_html`."""
        return self.to_html()

    def __repr__(self) -> str:
        """A short line for a console: the table's size and its first column names."""
        columns = [str(c) for c in self.data.columns]
        named = ", ".join(columns[:6]) + (f", … ({len(columns) - 6} more)" if columns[6:] else "")
        rows = f"{len(self.data)} row{'s' * (len(self.data) != 1)}"
        count = f"{len(columns)} column{'s' * (len(columns) != 1)}"
        return f"<ReadingTable: {rows} × {count} ({named})>"

    def _table(self, table_id: str) -> str:
        columns = list(self.data.columns)
        cell = "text-align: left; white-space: normal; font-size: 15px; overflow-wrap: break-word;"
        if self._top:
            cell += " vertical-align: top;"
        rules = [
            f"#{table_id} {{ max-width: 100%; }}",
            f"#{table_id} th {{ text-align: left; font-size: 15px; }}",
            f"#{table_id} td {{ {cell} }}",
        ]
        rules += [
            f"#{table_id} td:nth-child({columns.index(c) + 1}) {{ width: {w}; }}"
            for c, w in self.widths.items()
        ]
        classes = f' class="{html_text(self._classes)}"' if self._classes else ""
        caption = f"  <caption>{self._caption}</caption>\n" if self._caption else ""
        headers = "".join(f"<th>{html_text(c)}</th>" for c in columns)
        rows = []
        for row in range(len(self.data)):
            cells = []
            for column in columns:
                style = self._styles.get(column, ())
                attribute = f' style="{html_text(style[row])}"' if style and style[row] else ""
                cells.append(f"<td{attribute}>{self._cells[column][row]}</td>")
            rows.append("    <tr>" + "".join(cells) + "</tr>\n")
        return (
            '<style type="text/css">\n' + "\n".join(rules) + "\n</style>\n"
            f'<table id="{table_id}"{classes}>\n{caption}'
            f"  <thead>\n    <tr>{headers}</tr>\n  </thead>\n"
            "  <tbody>\n" + "".join(rows) + "  </tbody>\n</table>\n"
        )


def reading_table(
    frame: pd.DataFrame,
    *,
    widths: Mapping[str, str] | None = None,
    decimals: int = 1,
    dates: str = "%-d %b %Y",
) -> ReadingTable:
    """A DataFrame laid out to read on a projector (:class:`ReadingTable`).

    Quantities get thousands separators and at most ``decimals`` decimals; whole numbers in
    label columns (years, batch and round numbers) are left as they are (``2019``, not
    ``2,019``); missing values show as a dash; dates show as ``5 Jun 2019``. Text in cells
    and headers is escaped (:func:`html_text`): markup in data is shown, never run. ``widths``
    are each column's preferred width: the table still shrinks to fit the page's column.
    """
    return ReadingTable(frame, widths=widths, decimals=decimals, dates=dates)


def _column_text(series: pd.Series, decimals: int, dates: str) -> list[str]:
    """Each cell of one column as the table shows it: formatted, escaped, a dash if missing."""
    if pd.api.types.is_bool_dtype(series):
        return [str(v) for v in series]
    if pd.api.types.is_integer_dtype(series) or (
        pd.api.types.is_float_dtype(series) and _whole(series)
    ):
        pattern = "{:.0f}" if series.name in LABEL_COLUMNS else "{:,.0f}"
        write: Callable[[Any], str] = pattern.format
    elif pd.api.types.is_float_dtype(series):
        write = f"{{:,.{decimals}f}}".format
    elif pd.api.types.is_datetime64_any_dtype(series):
        write = lambda d: html_text(d.strftime(dates))  # noqa: E731
    else:  # text (and lists of ids): escaped
        write = _cell_text
    return [MISSING if _missing(v) else write(v) for v in series]


def _checked_widths(widths: Mapping[Any, str], columns: Iterable[Any]) -> dict[Any, str]:
    """``widths`` as given, once each is known to be a column's and a plain CSS length."""
    known = list(columns)
    for column, width in widths.items():
        if column not in known:
            raise ValueError(f"a width for {column!r}, which is not a column of the table")
        if not _LENGTH.fullmatch(str(width)):
            raise ValueError(f"width must be a CSS length such as '20em' (got {width!r})")
    return dict(widths)


def _check_column(column: Any, frame: pd.DataFrame) -> None:
    """Raise ValueError unless ``column`` is a column of ``frame``."""
    if column not in frame.columns:
        raise ValueError(f"{column!r} is not a column of the table")


def _missing(value: Any) -> bool:
    """Whether a cell is missing (None, NaN, NaT, NA); a list of ids never is."""
    return pd.api.types.is_scalar(value) and bool(pd.isna(value))


def _cell_text(value: Any) -> str:
    """A text cell, escaped; lists of ids (tuples) are joined with semicolons."""
    if isinstance(value, tuple | list):
        return html_text("; ".join(map(str, value)))
    return html_text(value)


def _whole(series: pd.Series) -> bool:
    values = series.dropna()
    return bool(len(values)) and bool((values == values.round()).all())
