"""Small formatting helpers shared by charts, tables, panels and notebooks.

One place for the wording rules, so that a date, a reported figure or a table reads the same
in every notebook: dates only as exact as they are known, figures with the qualifier their
source used, tables with whole numbers that look like years left alone.

Examples
--------
>>> import pandas as pd
>>> when(pd.Timestamp("2023-07-01"), "month")
'Jul 2023'
>>> qualified(12000, "more_than")
'more than 12,000'
>>> escape_dollars("$200 billion and $34.5 billion")
'\\\\$200 billion and \\\\$34.5 billion'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

__all__ = [
    "DATE_FORMATS",
    "QUALIFIER_WORDS",
    "escape_dollars",
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
    ``2,019``); missing values show as a dash; dates show as ``5 Jun 2019``. ``widths``
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
        .set_properties(**cell)
        .set_table_styles(styles)
    )
    for column, width in (widths or {}).items():
        styler = styler.set_properties(subset=[column], **{"width": width})
    return styler


def _whole(series: pd.Series) -> bool:
    values = series.dropna()
    return bool(len(values)) and bool((values == values.round()).all())
