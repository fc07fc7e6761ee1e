"""A small cache on disk, shared by every kernel of one user: work done once, not per kernel.

A Voilà app starts a fresh kernel for every page request, and a class opens the same page
thirty times at once. What a kernel computes from the same input is the same every time, so
it is kept on disk under a key made from that input's content:

- a chart's SVG and its compiled Vega spec (:mod:`explainer.charts`), keyed by the full
  Vega-Lite (or Vega) spec, data included, and the renderer's version;
- a notebook's static figure as displayed (:func:`explainer.charts.kept_figure`), keyed by
  what it is built from: the builder and its arguments, every data file's bytes, this
  package's code (:func:`code_version`) and the libraries' versions. A kernel that finds it
  shows it without building the chart at all.

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

**Shipped with the environment.** On a JupyterHub every student is a different user with a
different home, so each would fill a cache of their own. ``binder/postBuild`` therefore runs
every notebook once when the image is built (``python -m explainer.cache warm``), into
``<sys.prefix>/share/little-giants-explainer/cache``, which every kernel of that environment
also reads (never writes). Keys are content, so a shipped entry is used only for exactly the
chart it was made from: a changed notebook or data file simply misses it.

Command line::

    python -m explainer.cache warm [NOTEBOOK ...] [--into FOLDER]   # run notebooks once
    python -m explainer.cache clear                                  # empty your cache
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

__all__ = [
    "cache_dir",
    "clear",
    "code_version",
    "content_key",
    "read_text",
    "shipped_dir",
    "warm",
    "write_text",
]

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


def shipped_dir() -> Path:
    """The read-only cache built with the environment (``python -m explainer.cache warm``)."""
    return Path(sys.prefix) / "share" / _FOLDER / "cache"


def content_key(*parts: Any) -> str:
    """A SHA-256 hex key of JSON-serialisable parts (dict keys sorted, so order-free)."""
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """A SHA-256 of this package's own files (its code, not ``_data``), once per process.

    Part of a key for anything the package's code computes: change a line and every such
    entry is made afresh.
    """
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] == "_data" or "__pycache__" in relative.parts:
            continue
        if path.name.startswith(".") or path.suffix in {".pyc", ".pyo"}:
            continue
        try:
            content = path.read_bytes()
        except OSError:  # a folder, or a file gone since the listing
            continue
        digest.update(f"{relative.as_posix()}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


def _entry(kind: str, key: str, suffix: str, folder: Path | None = None) -> Path | None:
    folder = folder or cache_dir()
    if folder is None:
        return None
    return folder / _ENTRIES / kind / key[:2] / f"{key}{suffix}"


def read_text(kind: str, key: str, suffix: str = ".txt") -> str | None:
    """The entry stored under ``kind``/``key`` (in the user's cache, else the shipped one),
    or None if there is none or the cache is off."""
    path = _entry(kind, key, suffix)
    if path is None:
        return None
    for candidate in (path, _entry(kind, key, suffix, shipped_dir())):
        try:
            return candidate.read_text(encoding="utf-8")  # type: ignore[union-attr]
        except (OSError, UnicodeDecodeError):
            continue
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


def warm(notebooks: list[Path], into: Path | None = None, timeout: int = 300) -> list[str]:
    """Run each notebook once in a fresh kernel so that its charts land in the cache.

    ``into``: the cache folder to fill (default: the user's). Returns the notebooks that
    failed, with the error; the others' charts are cached whatever happens to those.
    """
    import nbformat
    from nbclient import NotebookClient

    failed = []
    previous = os.environ.get("EXPLAINER_CACHE_DIR")
    if into is not None:
        os.environ["EXPLAINER_CACHE_DIR"] = str(into)
    try:
        for path in notebooks:
            notebook = nbformat.read(path, as_version=4)
            client = NotebookClient(
                notebook,
                timeout=timeout,
                kernel_name="python3",
                resources={"metadata": {"path": str(path.parent)}},
            )
            try:
                client.execute()
            except Exception as exc:  # reported; the other notebooks still run
                first = (str(exc).splitlines() or [""])[0]
                failed.append(f"{path}: {type(exc).__name__}: {first}")
    finally:
        if previous is None:
            os.environ.pop("EXPLAINER_CACHE_DIR", None)
        else:
            os.environ["EXPLAINER_CACHE_DIR"] = previous
    return failed


def main(argv: list[str] | None = None) -> int:
    """``python -m explainer.cache warm|clear``: see the module's docstring."""
    parser = argparse.ArgumentParser(prog="python -m explainer.cache", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    warming = commands.add_parser("warm", help="run notebooks once to fill the cache")
    warming.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    warming.add_argument("--into", type=Path, help="cache folder (default: your own)")
    commands.add_parser("clear", help="delete every entry of your cache")
    args = parser.parse_args(argv)
    if args.command == "clear":
        print(f"removed {clear()} cached files from {cache_dir()}")
        return 0
    notebooks = args.notebooks or sorted(Path("notebooks").glob("*.ipynb"))
    if not notebooks:
        parser.error("no notebooks given and none in ./notebooks")
    failed = warm(notebooks, args.into)
    done = len(notebooks) - len(failed)
    print(f"ran {done} of {len(notebooks)} notebooks into {args.into or cache_dir()}")
    for line in failed:
        print(f"failed: {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
