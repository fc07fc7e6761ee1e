"""Adjustable assumptions as data: read parameter records and check values against them.

Each model's parameters are rows of a table in ``data/`` (``parameters_explorer``,
``parameters_simulation``): a label, a unit, a default, bounds, a step, a one-line
description and where the default comes from. Widgets are built from these records and
models validate their inputs against them, so a slider and a function call can never
disagree about what is allowed.

Examples
--------
>>> from explainer.parameters import ParameterSpec, validate_value
>>> rate = ParameterSpec("m", "pass_rate", "Re-review pass rate", "share", "number",
...                      0.8, 0.3, 1.0, 0.01, "Share that keeps the title.", "assumption", ())
>>> validate_value(rate, 0.9)
0.9
>>> validate_value(rate, 1.4)
Traceback (most recent call last):
...
ValueError: pass_rate must be between 0.3 and 1 (got 1.4)
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass

from explainer.data import load_table, table_path

__all__ = [
    "ParameterSpec",
    "defaults",
    "parameter_specs",
    "validate_parameters",
    "validate_value",
    "value_text",
]


@dataclass(frozen=True)
class ParameterSpec:
    """One adjustable assumption of a model, as recorded in ``data/``."""

    model: str
    name: str
    label: str
    unit: str
    kind: str
    default: float | int
    minimum: float | int
    maximum: float | int
    step: float | int
    description: str
    basis: str
    source_ids: tuple[str, ...]
    note: str | None = None

    @property
    def range_text(self) -> str:
        """The allowed range in words, e.g. ``between 0.3 and 1.0``."""
        return f"between {_fmt(self.minimum)} and {_fmt(self.maximum)}"


def _fmt(value: float | int) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) >= 1 else f"{value:g}"


def parameter_specs(table: str, model: str) -> dict[str, ParameterSpec]:
    """Return the parameter records of one model, keyed by keyword-argument name.

    Parameters
    ----------
    table : str
        The parameter table, e.g. ``"parameters_explorer"``.
    model : str
        The model function's name as written in the table's ``model`` column.

    Raises
    ------
    KeyError
        If the table has no rows for that model.
    DataFileError
        If the table's file is missing or malformed (naming the file, row and column).
    """
    path = table_path(table)
    return dict(_specs_cached(table, model, path.stat().st_mtime_ns))


@functools.lru_cache(maxsize=32)
def _specs_cached(table: str, model: str, stamp: int) -> tuple[tuple[str, ParameterSpec], ...]:
    frame = load_table(table)
    rows = frame[frame["model"] == model]
    if rows.empty:
        known = ", ".join(sorted(frame["model"].unique()))
        raise KeyError(f"no parameters for model {model!r} in {table}; known models: {known}")
    specs = []
    for row in rows.itertuples(index=False):
        as_kind = int if row.kind == "integer" else float
        spec = ParameterSpec(
            model=row.model,
            name=row.name,
            label=row.label,
            unit=row.unit,
            kind=row.kind,
            default=as_kind(row.default),
            minimum=as_kind(row.minimum),
            maximum=as_kind(row.maximum),
            step=as_kind(row.step),
            description=row.description,
            basis=row.basis,
            source_ids=tuple(row.source_ids),
            note=row.note,
        )
        specs.append((row.name, spec))
    return tuple(specs)


def defaults(table: str, model: str) -> dict[str, float | int]:
    """Return ``{name: default}`` for every parameter of a model."""
    return {name: spec.default for name, spec in parameter_specs(table, model).items()}


def validate_value(spec: ParameterSpec, value: object) -> float | int:
    """Check one value against its record and return it as ``int`` or ``float``.

    Raises
    ------
    ValueError
        Naming the parameter, the value and the allowed range, if the value is not a
        real number (bools and strings are refused), is NaN or infinite, is too large for
        a float (such as ``10**400``), is not whole for an integer parameter, or lies
        outside the range.
    """
    problem = f"{spec.name} must be {spec.range_text}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(
            f"{problem}; got {value_text(value)} of type {type(value).__name__}, not a number"
        )
    try:
        number = float(value)
    except (OverflowError, ValueError):
        raise ValueError(
            f"{problem} (got {value_text(value)}, a number too large to use)"
        ) from None
    if not math.isfinite(number):
        raise ValueError(f"{problem} (got {value_text(value)})")
    if spec.kind == "integer" and not number.is_integer():
        raise ValueError(
            f"{spec.name} must be a whole number {spec.range_text} (got {value_text(value)})"
        )
    if not spec.minimum <= number <= spec.maximum:
        raise ValueError(f"{problem} (got {value_text(value)})")
    return int(number) if spec.kind == "integer" else number


def value_text(value: object, limit: int = 40) -> str:
    """``repr(value)``, shortened: a 5000-digit number is named, not printed in full.

    Python refuses to turn an int of more than 4300 digits into text; this never asks it to.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value).bit_length() > 128:
            return f"a whole number of about {int(abs(value).bit_length() * 0.30103) + 1} digits"
        return repr(value)
    try:
        text = repr(value)
    except (ValueError, OverflowError):
        return f"a {type(value).__name__}"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def validate_parameters(
    table: str, model: str, values: Mapping[str, object]
) -> dict[str, float | int]:
    """Check keyword arguments against a model's records; fill in defaults.

    Parameters
    ----------
    table, model : str
        Where the records are (see :func:`parameter_specs`).
    values : mapping
        The caller's keyword arguments; any parameter left out takes its default.

    Returns
    -------
    dict
        Every parameter of the model, validated, as ``int`` or ``float``.

    Raises
    ------
    ValueError
        For an unknown name, or a value that :func:`validate_value` refuses.
    """
    specs = parameter_specs(table, model)
    unknown = sorted(set(values) - set(specs))
    if unknown:
        raise ValueError(
            f"{model} has no parameter {unknown[0]!r}; its parameters are: {', '.join(specs)}"
        )
    return {
        name: validate_value(spec, values[name]) if name in values else spec.default
        for name, spec in specs.items()
    }
