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

import html
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

__all__ = [
    "DATE_FORMATS",
    "QUALIFIER_WORDS",
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


def reading_table(
    frame: pd.DataFrame,
    *,
    widths: Mapping[str, str] | None = None,
    decimals: int = 1,
    dates: str = "%-d %b %Y",
) -> Any:
    """A DataFrame styled to read on a projector: no index, left-aligned, wrapped text.

    Quantities get thousands separators and at most ``decimals`` decimals; whole numbers in
    label columns (years, batch and round numbers) are left as they are (``2019``, not
    ``2,019``); missing values show as a dash; dates show as ``5 Jun 2019``. Text in cells
    and headers is escaped (:func:`html_text`): markup in data is shown, never run. ``widths``
    are each column's preferred width: the table still shrinks to fit the page's column.
    """
    formats: dict[str, Any] = {}
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_bool_dtype(series):
            continue
        if pd.api.types.is_integer_dtype(series) or (
            pd.api.types.is_float_dtype(series) and _whole(series)
        ):
            formats[column] = "{:.0f}" if column in LABEL_COLUMNS else "{:,.0f}"
        elif pd.api.types.is_float_dtype(series):
            formats[column] = f"{{:,.{decimals}f}}"
        elif pd.api.types.is_datetime64_any_dtype(series):
            formats[column] = lambda d, fmt=dates: "" if pd.isna(d) else d.strftime(fmt)
        else:  # text (and lists of ids): escaped, the same on every pandas version
            formats[column] = _cell_text
    # The table never grows wider than its column (848 px in JupyterLab at 1280 px): widths
    # are preferred widths, not minimums, and a word too long for its cell (a URL) breaks.
    styles = [
        {"selector": "", "props": "max-width: 100%;"},
        {"selector": "th", "props": "text-align: left; font-size: 15px;"},
    ]
    cell = {
        "text-align": "left",
        "white-space": "normal",
        "font-size": "15px",
        "overflow-wrap": "break-word",
    }
    styler = (
        frame.style.hide(axis="index")
        .format(formats, na_rep="–")
        .format_index(html_text, axis=1)
        .set_properties(**cell)
        .set_table_styles(styles)
    )
    for column, width in (widths or {}).items():
        styler = styler.set_properties(subset=[column], **{"width": width})
    return styler


def _cell_text(value: Any) -> str:
    # Text cells are escaped here rather than with the Styler's own ``escape="html"``, which
    # writes an apostrophe differently on pandas 2 and 3; lists of ids (tuples) are joined.
    if isinstance(value, tuple | list):
        return html_text("; ".join(map(str, value)))
    return html_text(value)


def _whole(series: pd.Series) -> bool:
    values = series.dropna()
    return bool(len(values)) and bool((values == values.round()).all())
