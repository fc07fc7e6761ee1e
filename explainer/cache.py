"""A small cache on disk, shared by every kernel of one user: work done once, not per kernel.

A Voilà app starts a fresh kernel for every page request, and a class opens the same page
thirty times at once. What a kernel computes from the same input is the same every time, so
it is kept on disk under a key made from that input's content:

- a chart's SVG and its compiled Vega spec (:mod:`explainer.charts`), keyed by the full
  Vega-Lite (or Vega) spec, data included, and the renderer's version.

Rules that keep it safe:

- **Keyed by content.** A key is a SHA-256 of everything the result depends on (the input
  itself, the library versions, this package's version). Change any of it and the key
  changes, so the work is done afresh; a stale entry is never read.
- **Deterministic and optional.** An entry holds exactly what the computation returned.
  Delete the folder at any time: the next kernel recomputes. If the folder cannot be
  written (a read-only home), nothing is cached and everything still works.
- **Atomic.** An entry is written to a temporary file and renamed into place, so thirty
  kernels writing the same entry at once never leave a half-written one.

The folder is ``$EXPLAINER_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/little-giants-explainer``
(``~/.cache/little-giants-explainer``). Set ``EXPLAINER_CACHE_DIR=off`` to turn the cache off.
Entries are text (SVG, JSON); nothing is unpickled.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["cache_dir", "clear", "content_key", "read_text", "write_text"]

_OFF = {"off", "0", "none", "false", ""}
_FOLDER = "little-giants-explainer"
_ENTRIES = "entries-v1"  # the only sub-folder this module writes to or clears


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    chosen = os.environ.get("EXPLAINER_CACHE_DIR")
    if chosen is not None:
        return None if chosen.strip().lower() in _OFF else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / _FOLDER


def content_key(*parts: Any) -> str:
    """A SHA-256 hex key of JSON-serialisable parts (dict keys sorted, so order-free)."""
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _entry(kind: str, key: str, suffix: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    return folder / _ENTRIES / kind / key[:2] / f"{key}{suffix}"


def read_text(kind: str, key: str, suffix: str = ".txt") -> str | None:
    """The entry stored under ``kind``/``key``, or None if there is none (or no cache)."""
    path = _entry(kind, key, suffix)
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def write_text(kind: str, key: str, text: str, suffix: str = ".txt") -> bool:
    """Store ``text`` under ``kind``/``key`` atomically; return False if it could not be."""
    path = _entry(kind, key, suffix)
    if path is None:
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=suffix)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True


def clear() -> int:
    """Delete every entry of the cache (nothing else in its folder); return how many."""
    folder = cache_dir()
    if folder is None or not (folder / _ENTRIES).is_dir():
        return 0
    folder = folder / _ENTRIES
    removed = 0
    for path in [*sorted(folder.rglob("*"), reverse=True), folder]:
        try:
            if path.is_dir() and not path.is_symlink():
                path.rmdir()
            else:
                path.unlink()
                removed += 1
        except OSError:
            continue
    return removed
