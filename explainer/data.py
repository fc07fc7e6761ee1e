"""Load the sourced tables in ``data/`` and check them against their descriptor.

Every table is a CSV file described in ``data/datapackage.json`` (a Frictionless Data
package). :func:`load_table` reads a table by name, checks every cell against the
descriptor (columns present, types, required values, constraints, unique keys, known
source ids) and returns a typed pandas DataFrame. Anything wrong raises one
:class:`DataFileError` that names the file, the row and the column.

Examples
--------
>>> from explainer.data import load_table
>>> batches = load_table("designation_batches")
>>> int(batches.loc[batches["batch"] == 1, "final_count"].iloc[0])
248
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import math
import os
import re
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "DATA_ENV",
    "DataFileError",
    "citations",
    "data_dir",
    "descriptor",
    "fingerprint",
    "load_table",
    "resource",
    "table_names",
    "table_path",
    "validate_all",
]

#: An environment variable naming another data folder to read instead (tests use it to run the
#: notebooks against a changed copy of ``data/``).
DATA_ENV = "LITTLE_GIANTS_DATA"
_PACKAGED = Path(__file__).resolve().parent / "_data"
_SOURCE_TREE = Path(__file__).resolve().parent.parent / "data"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_TRUE, _FALSE = {"true", "True", "TRUE", "1"}, {"false", "False", "FALSE", "0"}


class DataFileError(ValueError):
    """A data file does not match its description in ``datapackage.json``.

    Attributes
    ----------
    file : str
        The file, as ``data/<name>.csv``.
    row : int or None
        The data row (1 is the first row after the header), or None for the whole file.
    column : str or None
        The column, or None when the problem is not in one column.
    """

    def __init__(self, file: str, message: str, row: int | None = None, column: str | None = None):
        self.file, self.row, self.column = file, row, column
        where = file
        if row is not None:
            where += f", row {row} (line {row + 1})"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {message}")


def data_dir() -> Path:
    """Return the folder that holds ``datapackage.json``.

    An installed package carries its tables in ``explainer/_data``; a source checkout
    reads the top-level ``data/`` folder. The environment variable ``LITTLE_GIANTS_DATA``
    (:data:`DATA_ENV`), when set, names another folder to read instead.
    """
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override)
    return _PACKAGED if (_PACKAGED / "datapackage.json").is_file() else _SOURCE_TREE


def _resolve(folder: str | Path | None) -> Path:
    return Path(folder) if folder is not None else data_dir()


@functools.lru_cache(maxsize=8)
def _descriptor_cached(path: str, mtime_ns: int) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def descriptor(folder: str | Path | None = None) -> dict[str, Any]:
    """Return the data-package descriptor (the parsed ``datapackage.json``)."""
    path = _resolve(folder) / "datapackage.json"
    try:
        return _descriptor_cached(str(path), path.stat().st_mtime_ns)
    except FileNotFoundError:
        raise DataFileError(str(path), "the data-package descriptor is missing") from None
    except json.JSONDecodeError as exc:
        raise DataFileError(
            "data/datapackage.json", f"not valid JSON (line {exc.lineno}: {exc.msg})"
        ) from None


def table_names(folder: str | Path | None = None) -> list[str]:
    """Names of every table described in the data package, in descriptor order."""
    return [res["name"] for res in descriptor(folder)["resources"]]


def resource(name: str, folder: str | Path | None = None) -> dict[str, Any]:
    """Return the descriptor entry (path, schema, keys) of one table.

    Raises
    ------
    KeyError
        If no table has that name; the message lists the known names.
    """
    for res in descriptor(folder)["resources"]:
        if res["name"] == name:
            return res
    known = ", ".join(table_names(folder))
    raise KeyError(f"no table named {name!r}; known tables: {known}")


def table_path(name: str, folder: str | Path | None = None) -> Path:
    """The CSV file of one table, which must exist.

    Raises
    ------
    DataFileError
        If the file is missing (naming it).
    KeyError
        If no table has that name.
    """
    path = _resolve(folder) / resource(name, folder)["path"]
    if not path.is_file():
        raise DataFileError(f"data/{resource(name, folder)['path']}", "the file is missing")
    return path


def load_table(name: str, folder: str | Path | None = None) -> pd.DataFrame:
    """Load one table by name, checked against its descriptor, as a typed DataFrame.

    Parameters
    ----------
    name : str
        A resource name in ``datapackage.json``, e.g. ``"designation_batches"``.
    folder : str or Path, optional
        Another folder holding a ``datapackage.json`` and its CSV files (tests use this).

    Returns
    -------
    pandas.DataFrame
        Columns in descriptor order. ``integer`` fields are nullable ``Int64``, ``number``
        fields ``float64``, ``date`` fields ``datetime64``, ``boolean`` fields ``boolean``,
        ``list`` fields tuples of strings (empty when missing), ``string`` fields objects
        with ``None`` for missing. A fresh copy each call: changing it changes nothing else.

    Raises
    ------
    DataFileError
        If the file is missing, empty, not UTF-8, or any cell breaks the descriptor.
    KeyError
        If no table has that name.
    """
    base = _resolve(folder)
    res = resource(name, base)
    path = base / res["path"]
    try:
        stamp = path.stat()
    except FileNotFoundError:
        raise DataFileError(f"data/{res['path']}", "the file is missing") from None
    sources_stamp = _sources_stamp(base, name)
    frame = _load_cached(name, str(base), stamp.st_mtime_ns, stamp.st_size, sources_stamp)
    return frame.copy()


def validate_all(folder: str | Path | None = None) -> dict[str, int]:
    """Load every table, raising on the first problem; return the row count of each."""
    return {name: len(load_table(name, folder)) for name in table_names(folder)}


def fingerprint(folder: str | Path | None = None) -> str:
    """A SHA-256 of every file in the data folder (names and bytes): what a result made
    from the tables depends on, for a cache key (see :func:`explainer.charts.kept_figure`).

    Hashed again whenever a file's size or modification time changes, or a file comes or
    goes, the same rule by which :func:`load_table` reloads a table; otherwise remembered.
    """
    base = _resolve(folder)
    try:
        files = sorted(p for p in base.iterdir() if p.is_file() and not p.name.startswith("."))
    except OSError:
        files = []
    stamps = []
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        stamps.append((path.name, stat.st_mtime_ns, stat.st_size))
    return _fingerprint_cached(str(base), tuple(stamps))


@functools.lru_cache(maxsize=8)
def _fingerprint_cached(base: str, stamps: tuple[tuple[str, int, int], ...]) -> str:
    digest = hashlib.sha256()
    for name, _, _ in stamps:
        try:
            content = (Path(base) / name).read_bytes()
        except OSError:
            content = b""
        digest.update(f"{name}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


def _sources_stamp(base: Path, name: str) -> int:
    if name == "sources":
        return 0
    if name == LOCATORS:  # checked against every citing table, so reloaded when any changes
        return hash(tuple(p.stat().st_mtime_ns for p in sorted(base.glob("*.csv"))))
    path = base / resource("sources", base)["path"]
    return path.stat().st_mtime_ns if path.exists() else 0


@functools.lru_cache(maxsize=64)
def _load_cached(
    name: str, base: str, mtime_ns: int, size: int, sources_stamp: int
) -> pd.DataFrame:
    folder = Path(base)
    res = resource(name, folder)
    label = f"data/{res['path']}"
    text = _read_text(folder / res["path"], label)
    header, rows = _parse_csv(text, label)
    fields = res["schema"]["fields"]
    _check_header(header, fields, label)
    _check_row_count(rows, res, label)
    columns = _convert_rows(rows, header, fields, label)
    _check_keys(columns, res["schema"], label)
    _check_source_rule(columns, label)
    _check_reopen_rule(columns, label)
    for key in _foreign_keys(res["schema"]):
        _check_foreign_key(columns, key, folder, label)
    if name == LOCATORS:
        _check_locators(columns, folder, label)
    frame = pd.DataFrame({f["name"]: _to_series(columns[f["name"]], f) for f in fields})
    frame.attrs["table"] = name
    return frame


#: The descriptor's own keywords for rules the Frictionless standard has no word for (its
#: reference implementation ignores them; this loader checks them): foreign keys over list
#: fields, and the least number of data rows a table must have (default 1).
LIST_FOREIGN_KEYS = "x-listForeignKeys"
MIN_ROWS = "x-minRows"


def _foreign_keys(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [*schema.get("foreignKeys", []), *schema.get(LIST_FOREIGN_KEYS, [])]


def _check_row_count(rows: list[list[str]], res: dict[str, Any], label: str) -> None:
    least = int(res.get(MIN_ROWS, 1))
    if len(rows) < least:
        raise DataFileError(
            label,
            f"has {len(rows)} data row(s) after the header; this table needs at least {least} "
            f"({MIN_ROWS} in datapackage.json)",
        )


def _read_text(path: Path, label: str) -> str:
    raw = path.read_bytes()
    if not raw.strip():
        raise DataFileError(label, "the file is empty; expected a header row and data rows")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row, column = _locate_bad_byte(raw, exc.start)
        raise DataFileError(
            label,
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
            row,
            column,
        ) from None


def _locate_bad_byte(raw: bytes, position: int) -> tuple[int | None, str | None]:
    line_index = raw[:position].count(b"\n")
    lines = raw.decode("utf-8", errors="replace").splitlines()
    if line_index == 0 or not lines:
        return None, None
    header = next(csv.reader([lines[0]]))
    cells = next(csv.reader([lines[line_index]]), [])
    for column, cell in zip(header, cells):
        if "\ufffd" in cell:
            return line_index, column
    return line_index, None


def _parse_csv(text: str, label: str) -> tuple[list[str], list[list[str]]]:
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise DataFileError(label, f"not a valid CSV file ({exc})") from None
    records = [r for r in records if r]
    if not records:
        raise DataFileError(label, "the file is empty; expected a header row")
    header = [cell.strip() for cell in records[0]]
    for number, record in enumerate(records[1:], start=1):
        if len(record) != len(header):
            raise DataFileError(
                label, f"has {len(record)} cells, expected {len(header)} (one per column)", number
            )
    return header, records[1:]


def _check_header(header: list[str], fields: list[dict[str, Any]], label: str) -> None:
    expected = [f["name"] for f in fields]
    for name in expected:
        if name not in header:
            raise DataFileError(
                label, f"missing column (expected columns: {', '.join(expected)})", column=name
            )
    for name in header:
        if name not in expected:
            raise DataFileError(
                label,
                f"unknown column; add it to datapackage.json or remove it "
                f"(expected columns: {', '.join(expected)})",
                column=name,
            )
    if len(set(header)) != len(header):
        raise DataFileError(label, "a column name appears twice in the header")


def _convert_rows(
    rows: list[list[str]], header: list[str], fields: list[dict[str, Any]], label: str
) -> dict[str, list[Any]]:
    columns: dict[str, list[Any]] = {}
    for field in fields:
        index = header.index(field["name"])
        convert = _CONVERTERS[field.get("type", "string")]
        constraints = field.get("constraints", {})
        values = []
        for number, record in enumerate(rows, start=1):
            cell = record[index].strip()
            if cell == "":
                if constraints.get("required"):
                    raise DataFileError(label, "a value is required here", number, field["name"])
                values.append(None)
                continue
            try:
                value = convert(cell, field)
                _check_constraints(value, constraints)
            except ValueError as exc:
                raise DataFileError(label, f"{exc} (got {cell!r})", number, field["name"]) from None
            values.append(value)
        if constraints.get("unique"):
            _check_unique([(v,) for v in values], [field["name"]], label)
        columns[field["name"]] = values
    return columns


def _as_string(cell: str, field: dict[str, Any]) -> str:
    return cell


def _as_integer(cell: str, field: dict[str, Any]) -> int:
    if not _INTEGER.match(cell):
        raise ValueError("expected a whole number such as 248, without separators")
    return int(cell)


def _as_number(cell: str, field: dict[str, Any]) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise ValueError("expected a number such as 19.3, without units or separators") from None
    if not math.isfinite(value):
        raise ValueError("expected a finite number")
    return value


def _as_date(cell: str, field: dict[str, Any]) -> date:
    if not _DATE.match(cell):
        raise ValueError("expected a date as YYYY-MM-DD")
    try:
        return date.fromisoformat(cell)
    except ValueError:
        raise ValueError("expected a real calendar date as YYYY-MM-DD") from None


def _as_boolean(cell: str, field: dict[str, Any]) -> bool:
    if cell in _TRUE:
        return True
    if cell in _FALSE:
        return False
    raise ValueError("expected true or false")


def _as_list(cell: str, field: dict[str, Any]) -> tuple[str, ...]:
    items = tuple(item.strip() for item in cell.split(field.get("delimiter", ",")))
    if any(item == "" for item in items):
        raise ValueError(f"expected items separated by '{field.get('delimiter', ',')}'")
    return items


_CONVERTERS: dict[str, Callable[[str, dict[str, Any]], Any]] = {
    "string": _as_string,
    "integer": _as_integer,
    "number": _as_number,
    "date": _as_date,
    "boolean": _as_boolean,
    "list": _as_list,
}


def _check_constraints(value: Any, constraints: dict[str, Any]) -> None:
    if "enum" in constraints and value not in constraints["enum"]:
        raise ValueError(f"expected one of: {', '.join(map(str, constraints['enum']))}")
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], str(value)):
        raise ValueError(f"expected text matching the pattern {constraints['pattern']}")
    if "minimum" in constraints and value < constraints["minimum"]:
        raise ValueError(f"expected a value of at least {constraints['minimum']}")
    if "maximum" in constraints and value > constraints["maximum"]:
        raise ValueError(f"expected a value of at most {constraints['maximum']}")
    if "exclusiveMinimum" in constraints and value <= constraints["exclusiveMinimum"]:
        raise ValueError(f"expected a value above {constraints['exclusiveMinimum']}")


def _check_unique(keys: list[tuple[Any, ...]], names: list[str], label: str) -> None:
    seen: dict[tuple[Any, ...], int] = {}
    for number, key in enumerate(keys, start=1):
        if any(part is None for part in key):
            continue
        if key in seen:
            shown = ", ".join(map(str, key))
            raise DataFileError(
                label,
                f"duplicate key ({shown}); it is already used in row {seen[key]}",
                number,
                ", ".join(names),
            )
        seen[key] = number


def _check_keys(columns: dict[str, list[Any]], schema: dict[str, Any], label: str) -> None:
    key = schema.get("primaryKey")
    if not key:
        return
    names = [key] if isinstance(key, str) else list(key)
    for name in names:
        for number, value in enumerate(columns[name], start=1):
            if value is None:
                raise DataFileError(
                    label, "part of the primary key, so it is required", number, name
                )
    _check_unique(list(zip(*(columns[n] for n in names))), names, label)


def _check_source_rule(columns: dict[str, list[Any]], label: str) -> None:
    """A row may lack source ids only when its figure is our own assumption."""
    if "basis" not in columns or "source_ids" not in columns:
        return
    for number, (basis, ids) in enumerate(zip(columns["basis"], columns["source_ids"]), start=1):
        if not ids and basis != "assumption":
            raise DataFileError(
                label,
                f"a {basis} figure needs source ids (only an assumption may have none)",
                number,
                "source_ids",
            )


def _check_reopen_rule(columns: dict[str, list[Any]], label: str) -> None:
    """A source we could not re-open says why (``reopen_note``); a re-opened one has a date."""
    if "accessed" not in columns or "reopen_note" not in columns:
        return
    for number, (accessed, note) in enumerate(
        zip(columns["accessed"], columns["reopen_note"]), start=1
    ):
        if accessed is None and note is None:
            raise DataFileError(
                label,
                "no access date, so say why the source could not be re-opened",
                number,
                "reopen_note",
            )


#: The table that says where in each source a cited figure stands.
LOCATORS = "locators"


def _source_id_fields(res: dict[str, Any]) -> list[str]:
    """The columns of a table that hold ids of ``sources`` (its foreign keys to sources, both
    scalar ``foreignKeys`` and ``x-listForeignKeys`` over list fields)."""
    keys = _foreign_keys(res["schema"])
    return [key["fields"] for key in keys if key["reference"]["resource"] == "sources"]


def _key_text(value: Any) -> str:
    """A primary-key value as it is written in the CSV file."""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def citations(folder: str | Path | None = None) -> list[tuple[str, str, str]]:
    """Every citation in the data: ``(table, row_key, source_id)``, in file order.

    ``row_key`` is the row's primary-key value as written in its file, several key fields
    joined by ``|``. A row citing a source in two of its columns (e.g. ``source_ids`` and
    ``story_source_ids``) counts once. The sources table and the locators table cite nothing.

    Examples
    --------
    >>> ("eligibility_criteria", "national-2018|debt", "yicai-2018-600-little-giants") in (
    ...     citations()
    ... )
    True
    """
    found: list[tuple[str, str, str]] = []
    for res in descriptor(folder)["resources"]:
        name = res["name"]
        fields = _source_id_fields(res)
        if name in ("sources", LOCATORS) or not fields:
            continue
        key = res["schema"]["primaryKey"]
        names = [key] if isinstance(key, str) else list(key)
        frame = load_table(name, folder)
        for _, row in frame.iterrows():
            row_key = "|".join(_key_text(row[n]) for n in names)
            seen: dict[str, None] = {}
            for field in fields:
                for source_id in row[field] or ():
                    seen.setdefault(source_id)
            found.extend((name, row_key, source_id) for source_id in seen)
    return found


def _check_locators(columns: dict[str, list[Any]], folder: Path, label: str) -> None:
    """Each locator points at a real citation: a table, a row of it, a source that row cites."""
    cited = citations(folder)
    tables = {t for t, _, _ in cited}
    rows = {(t, k) for t, k, _ in cited}
    triples = set(cited)
    reopened = load_table("sources", folder).set_index("id")["accessed"].notna()
    for number, (table, row_key, source_id) in enumerate(
        zip(columns["table"], columns["row_key"], columns["source_id"]), start=1
    ):
        if table not in tables:
            known = ", ".join(sorted(tables))
            raise DataFileError(
                label, f"no table {table!r} cites sources; known: {known}", number, "table"
            )
        if (table, row_key) not in rows:
            raise DataFileError(
                label,
                f"no row with key {row_key!r} in data/{table}.csv "
                "(key fields joined by '|', as written in that file)",
                number,
                "row_key",
            )
        if (table, row_key, source_id) not in triples:
            raise DataFileError(
                label,
                f"row {row_key!r} of data/{table}.csv does not cite {source_id!r}",
                number,
                "source_id",
            )
        if not reopened.get(source_id, False):
            raise DataFileError(
                label,
                f"{source_id!r} has no access date in data/sources.csv: "
                "a locator needs a source we re-opened",
                number,
                "source_id",
            )


def _check_foreign_key(
    columns: dict[str, list[Any]], key: dict[str, Any], folder: Path, label: str
) -> None:
    field = key["fields"]
    reference = key["reference"]
    target = load_table(reference["resource"], folder)
    known = set(target[reference["fields"]].dropna())
    for number, value in enumerate(columns[field], start=1):
        for item in _items(value):
            if item not in known:
                raise DataFileError(
                    label,
                    f"unknown id {item!r}; add it to data/{reference['resource']}.csv first",
                    number,
                    field,
                )


def _items(value: Any) -> Iterable[Any]:
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (value,)


def _to_series(values: list[Any], field: dict[str, Any]) -> pd.Series:
    kind = field.get("type", "string")
    if kind == "integer":
        return pd.Series(values, dtype="Int64")
    if kind == "number":
        return pd.Series([math.nan if v is None else v for v in values], dtype="float64")
    if kind == "date":
        return pd.Series(pd.to_datetime(values), dtype="datetime64[ns]")
    if kind == "boolean":
        return pd.Series(values, dtype="boolean")
    if kind == "list":
        return pd.Series([v if v is not None else () for v in values], dtype=object)
    return pd.Series(values, dtype=object)
