"""Build the static classroom pages: one handout and one slide deck per notebook.

Each notebook is executed in a fresh kernel, as a reader would run it, and then rendered by
nbconvert with the templates beside this file:

- **Handouts** (``build/handouts/NN_name.html``): prose, tables and every chart, no code, for
  printing or for readers without Python.
- **Slides** (``build/slides/NN_name.slides.html``): the cells' ``slideshow`` metadata turned
  into a reveal.js deck, for a projector without a running kernel.

Every page is self-contained: charts are inline SVG (``explainer.charts`` draws them so), the
style sheets and reveal.js are inlined, and nothing is fetched from the network. Widgets cannot
run without a kernel, so the kernels get ``EXPLAINER_STATIC=1``: a panel then displays its
default state as plain HTML (:meth:`explainer.widgets.base.Panel.static_html`). Any other
widget is replaced by a note saying where to use it.

Usage (from the repository root; ``make handouts`` and ``make slides`` call this)::

    python -m classroom.build handouts [NOTEBOOK ...] [--out DIR]
    python -m classroom.build slides [NOTEBOOK ...] [--out DIR]

With no notebook named, every ``notebooks/*.ipynb`` is built.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import re
import sys
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
#: The slide templates' shared static folder: reveal.js (vendored) and the slide styles.
REVEAL = HERE / "jupyter" / "voila" / "templates" / "lg-slides" / "static"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: Shown where a widget that has no static view would have been.
WIDGET_NOTE = (
    '<p class="lg-widget-note"><em>An interactive control goes here. Open the notebook in '
    "JupyterLab, Binder or app mode to use it.</em></p>"
)
CELL_TIMEOUT = 120  # seconds; a cell that takes longer is a bug, and the build says which


def notebook_paths(names: Iterable[str] = ()) -> list[Path]:
    """The notebooks to build: the ones named (a path, a file name or a stem), or all of them."""
    names = list(names)
    if not names:
        return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    paths = []
    for name in names:
        path = Path(name)
        for candidate in (path, NOTEBOOKS / path.name, NOTEBOOKS / f"{path.name}.ipynb"):
            if candidate.is_file():
                paths.append(candidate.resolve())
                break
        else:
            raise FileNotFoundError(f"no notebook {name!r} in {NOTEBOOKS}")
    return paths


def execute(path: Path) -> nbformat.NotebookNode:
    """Run a notebook top to bottom in a fresh kernel with static panels; return it with outputs.

    Raises
    ------
    nbclient.exceptions.CellExecutionError
        If a cell fails; the message names the cell and the error.
    """
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        store_widget_state=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    env = {**os.environ, "EXPLAINER_STATIC": "1", "PYTHONPATH": _pythonpath()}
    asyncio.run(client.async_execute(env=env))  # its own event loop, closed when done
    return make_static(notebook)


def make_static(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop live-widget outputs and state: keep an HTML fallback if there is one, else a note."""
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW not in data:
                continue
            data.pop(WIDGET_VIEW)
            if "text/html" not in data:
                data["text/html"] = WIDGET_NOTE
            data.pop("text/plain", None)
    return notebook


def export_handout(notebook: nbformat.NotebookNode, source: Path) -> str:
    """One self-contained HTML page: prose, tables, charts; no code, no network."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="handout",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
        embed_images=True,
    )
    resources = {"classroom": _classroom_resources(source, HERE / "handout.css")}
    body, _ = exporter.from_notebook_node(notebook, resources=resources)
    return _link_pages(body, ".html")


def export_slides(notebook: nbformat.NotebookNode, source: Path) -> str:
    """One self-contained reveal.js deck from the cells' slide metadata; no code, no network."""
    from nbconvert import SlidesExporter

    exporter = SlidesExporter(
        template_name="slides",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
        embed_images=True,
        reveal_url_prefix="about:blank",  # unused: the template inlines reveal.js
        reveal_width="1280",
        reveal_height="800",
    )
    resources = {"classroom": _classroom_resources(source, REVEAL / "slides.css")}
    resources["classroom"].update(
        reveal_js=(REVEAL / "reveal-5.2.1.js").read_text(encoding="utf-8"),
        reveal_css=(REVEAL / "reveal.css").read_text(encoding="utf-8"),
        theme_css=(REVEAL / "white.css").read_text(encoding="utf-8"),
    )
    body, _ = exporter.from_notebook_node(notebook, resources=resources)
    return _link_pages(body, ".slides.html")


def build(kind: str, names: Sequence[str] = (), out: Path | None = None) -> list[Path]:
    """Execute and export each notebook; return the pages written (two notebooks at a time)."""
    if kind not in ("handouts", "slides"):
        raise ValueError(f"kind must be 'handouts' or 'slides' (got {kind!r})")
    out = Path(out or ROOT / "build" / kind)
    out.mkdir(parents=True, exist_ok=True)
    export, suffix = (
        (export_handout, ".html") if kind == "handouts" else (export_slides, ".slides.html")
    )

    def one(path: Path) -> Path:
        started = time.perf_counter()
        page = out / f"{path.stem}{suffix}"
        page.write_text(export(execute(path), path), encoding="utf-8")
        print(f"{page.relative_to(out.parent)}  ({time.perf_counter() - started:.1f} s)")
        return page

    with ThreadPoolExecutor(max_workers=2) as pool:  # one kernel per core on a 2-core machine
        return list(pool.map(one, notebook_paths(names)))


def _link_pages(page: str, suffix: str) -> str:
    """Point links between notebooks (``01_policy_history.ipynb``) at the built pages instead."""
    return _NOTEBOOK_LINK.sub(lambda m: f'href="{m.group(1)}{suffix}{m.group(2) or ""}"', page)


_NOTEBOOK_LINK = re.compile(r'href="(\d\d_[A-Za-z0-9_]+)\.ipynb(#[^"]*)?"')


def _classroom_resources(source: Path, css: Path) -> dict[str, str]:
    try:
        shown = str(source.relative_to(ROOT))
    except ValueError:
        shown = source.name
    return {
        "source": shown,
        "built": dt.date.today().isoformat(),
        "css": css.read_text(encoding="utf-8"),
    }


def _pythonpath() -> str:
    """The kernel imports ``explainer`` from this checkout, as ``make lab`` does."""
    parts = [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return os.pathsep.join(dict.fromkeys(parts))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=["handouts", "slides"])
    parser.add_argument("notebooks", nargs="*", help="names or paths (default: all)")
    parser.add_argument("--out", type=Path, help="folder to write to (default: build/KIND)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    pages = build(args.kind, args.notebooks, args.out)
    print(f"{len(pages)} {args.kind} built in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
