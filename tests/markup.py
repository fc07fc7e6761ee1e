"""Helpers for the escaping test: a copy of ``data/`` with markup in every free-text cell.

A "free-text" field is a ``string`` field that is not part of a key (primary or foreign) and
has no ``enum`` or ``pattern`` constraint: words a reader sees, never an id code looks up.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

#: What goes into every free-text cell: a tag that would run script if it reached HTML raw.
PAYLOAD = "<img src=x onerror=alert(1)>"
#: The raw tag as it would appear in an output that failed to escape it.
RAW_TAG = "<img src=x"


def free_text_fields(resource: dict[str, Any]) -> list[str]:
    """The names of a resource's free-text fields (see the module docstring)."""
    schema = resource["schema"]
    key = schema.get("primaryKey") or []
    keys = {key} if isinstance(key, str) else set(key)
    for foreign in [*schema.get("foreignKeys", []), *schema.get("x-listForeignKeys", [])]:
        fields = foreign["fields"]
        keys |= {fields} if isinstance(fields, str) else set(fields)
    found = []
    for field in schema["fields"]:
        constraints = field.get("constraints", {})
        if field.get("type", "string") != "string" or field["name"] in keys:
            continue
        if "enum" in constraints or "pattern" in constraints:
            continue
        found.append(field["name"])
    return found


def marked_copy(source: Path, target: Path) -> dict[str, list[str]]:
    """Copy the data folder ``source`` to ``target`` with :data:`PAYLOAD` added to every
    non-empty free-text cell; return ``{table: [fields marked]}``."""
    shutil.copytree(source, target)
    package = json.loads((target / "datapackage.json").read_text(encoding="utf-8"))
    marked: dict[str, list[str]] = {}
    for resource in package["resources"]:
        fields = free_text_fields(resource)
        path = target / resource["path"]
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        header, body = rows[0], rows[1:]
        columns = [header.index(name) for name in fields]
        for row in body:
            for index in columns:
                if row[index].strip():
                    row[index] = f"{row[index]} {PAYLOAD}"
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows([header, *body])
        marked[resource["name"]] = fields
    return marked


def raw_tags(notebook: Any) -> list[str]:
    """Where an executed notebook's rendered outputs hold :data:`RAW_TAG` unescaped.

    Looks at every output a browser renders as markup (``text/html``, ``text/markdown``,
    ``image/svg+xml``) and at every HTML value kept in the saved widget state.
    """
    found = []
    for number, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            for kind in ("text/html", "text/markdown", "image/svg+xml"):
                text = output.get("data", {}).get(kind, "")
                text = "".join(text) if isinstance(text, list) else text
                if RAW_TAG in text:
                    at = text.index(RAW_TAG)
                    found.append(f"cell {number} {kind}: ...{text[max(0, at - 80) : at + 30]!r}")
    state = notebook.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json")
    for model_id, model in (state or {}).get("state", {}).items():
        value = model.get("state", {}).get("value")
        if isinstance(value, str) and RAW_TAG in value:
            at = value.index(RAW_TAG)
            found.append(f"widget {model_id}: ...{value[max(0, at - 80) : at + 30]!r}")
    return found
