"""Hover text that says only what the tooltip says.

The offline SVG renderer shows each mark's ARIA label as its hover text. Vega-Lite builds
that label from *every* encoded field, so a stacked bar's hover read "Share: 59.7%" for the
bar's left edge, and layer plumbing ("fill: #0072B2", "segment: 1") showed through. Here each
mark that has a tooltip gets a ``description`` built from the tooltip alone, formatted as
the tooltip formats it, with an empty value written out ("not given") instead of "null".
"""

from __future__ import annotations

import json
from typing import Any

import altair as alt

__all__ = ["EMPTY_WORDS", "with_tooltip_hover"]

#: What a hover text says where a value is missing.
EMPTY_WORDS = "not given"

_TIME_FORMAT = "%d %b %Y"


def _value_expr(tip: dict[str, Any]) -> str:
    """A Vega expression that writes one tooltip field as the tooltip would."""
    field = json.dumps(tip["field"])
    datum = f"datum[{field}]"
    kind, fmt = tip.get("type", "nominal"), tip.get("format")
    if kind == "quantitative":
        written = f"format({datum}, {json.dumps(fmt or ',')})"
    elif kind == "temporal":
        written = f"timeFormat({datum}, {json.dumps(fmt or _TIME_FORMAT)})"
    else:  # a true/false field reads as yes/no
        written = f"({datum} === true ? 'yes' : {datum} === false ? 'no' : '' + {datum})"
    empty = json.dumps(EMPTY_WORDS)
    return f"(isValid({datum}) && {datum} !== '' ? {written} : {empty})"


def _hover_expr(tips: list[dict[str, Any]]) -> str:
    parts = [f"{json.dumps(t.get('title', t['field']) + ': ')} + {_value_expr(t)}" for t in tips]
    return " + '; ' + ".join(parts)


def _tooltips(chart: alt.Chart) -> list[dict[str, Any]] | None:
    if chart.encoding is alt.Undefined:
        return None
    encoding = chart.encoding.to_dict(validate=False)
    if "description" in encoding or "tooltip" not in encoding:
        return None
    tips = encoding["tooltip"]
    tips = tips if isinstance(tips, list) else [tips]
    if not tips or not all(isinstance(t, dict) and "field" in t for t in tips):
        return None
    return tips


def with_tooltip_hover(chart: Any) -> Any:
    """The chart with every tooltip also written as the marks' hover text (ARIA label).

    Layered and concatenated charts are handled part by part; a mark that already has a
    ``description`` encoding, or no tooltip, is left alone. The chart given is not changed (a
    copy is returned): a chart built once and cached stays as it was built.
    """
    for key in ("layer", "hconcat", "vconcat", "concat"):
        parts = getattr(chart, key, alt.Undefined)
        if parts is not alt.Undefined and isinstance(parts, list):
            hovered = chart.copy(deep=False)
            setattr(hovered, key, [with_tooltip_hover(p) for p in parts])
            return hovered
    if not isinstance(chart, alt.Chart):
        return chart
    tips = _tooltips(chart)
    if tips is None:
        return chart
    return chart.transform_calculate(_hover=_hover_expr(tips)).encode(
        description=alt.Description("_hover:N")
    )
