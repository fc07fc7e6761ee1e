"""Build the static classroom pages: one handout and one slide deck per notebook.

Each notebook is executed in a fresh kernel, as a reader would run it, and then rendered by
nbconvert with the templates beside this file:

- **Handouts**, two of each notebook from one run: ``build/handouts/NN_name.student.html``
  (answers folded, and hidden when printed) and ``build/handouts/NN_name.teacher.html`` (every
  answer shown, on screen and on paper, under a banner saying so). Prose, tables and every
  chart, no code, for printing or for readers without Python. The teachers' guide (06) is
  built as a teacher's copy only: it is the answer key.
- **Slides** (``build/slides/NN_name.slides.html``): the cells' ``slideshow`` metadata turned
  into a reveal.js deck, for a projector without a running kernel.

Answers are written as ``<details><summary>…</summary>`` with Markdown inside, separated by
blank lines. nbconvert's image-embedding pass (``embed_images``) re-serialises each raw HTML
block through an HTML parser, which closes the ``<details>`` at the first blank line and drops
the lone ``</details>``, so every answer came out as an empty fold followed by the answer in
plain view. :class:`_FoldSafeRenderer` embeds images by rewriting ``src`` attributes in place
and leaves the rest of the HTML as written.

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
import functools
import os
import re
import sys
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

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


#: The two kinds of handout: file suffix, and the banner at the top of every page.
HANDOUT_KINDS = {
    "student": (
        ".student.html",
        "Student handout: answers are folded. Click “Show the answer” to open one; printed, "
        "they stay hidden.",
    ),
    "teacher": (
        ".teacher.html",
        "Teacher’s copy: every answer is shown, on screen and on paper. Not for students; "
        "hand out the .student.html page instead.",
    ),
}
#: Notebooks that are answer keys themselves: built as a teacher's copy only.
TEACHER_ONLY = ("06_for_teachers",)


def handout_kinds(source: Path) -> list[str]:
    """The handout kinds built for a notebook: both, or only the teacher's copy of a key."""
    return ["teacher"] if source.stem in TEACHER_ONLY else ["student", "teacher"]


def export_handout(notebook: nbformat.NotebookNode, source: Path, kind: str = "student") -> str:
    """One self-contained HTML page: prose, tables, charts; no code, no network.

    ``kind`` is ``"student"`` (answers folded, hidden in print) or ``"teacher"`` (every
    ``<details>`` open, on screen and in print).
    """
    if kind not in HANDOUT_KINDS:
        raise ValueError(f"kind must be one of {sorted(HANDOUT_KINDS)} (got {kind!r})")
    exporter = _exporters()["handout"](
        template_name="handout",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
        embed_images=True,
    )
    resources = {
        "classroom": _classroom_resources(source, HERE / "handout.css"),
        "metadata": _metadata(source),
    }
    resources["classroom"].update(kind=kind, banner=HANDOUT_KINDS[kind][1])
    body, _ = exporter.from_notebook_node(notebook, resources=resources)
    if kind == "teacher":
        body = _OPEN_DETAILS.sub(r"<details open\1>", body)
    label = "student handout" if kind == "student" else "TEACHER'S COPY, answers shown"
    body = re.sub(r"</title>", f" ({label})</title>", body, count=1)
    return _link_pages(body, kind)


def export_slides(notebook: nbformat.NotebookNode, source: Path) -> str:
    """One self-contained reveal.js deck from the cells' slide metadata; no code, no network."""
    exporter = _exporters()["slides"](
        template_name="slides",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
        embed_images=True,
        reveal_url_prefix="about:blank",  # unused: the template inlines reveal.js
        reveal_width="1280",
        reveal_height="720",
    )
    resources = {
        "classroom": _classroom_resources(source, REVEAL / "slides.css"),
        "metadata": _metadata(source),
    }
    resources["classroom"].update(
        reveal_js=(REVEAL / "reveal-5.2.1.js").read_text(encoding="utf-8"),
        reveal_css=(REVEAL / "reveal.css").read_text(encoding="utf-8"),
        theme_css=(REVEAL / "white.css").read_text(encoding="utf-8"),
        paginate_js=(TEMPLATES / "slides" / "paginate.js").read_text(encoding="utf-8"),
    )
    body, _ = exporter.from_notebook_node(notebook, resources=resources)
    return _link_pages(body, "slides")


_OPEN_DETAILS = re.compile(r"<details(?![^>]*\bopen\b)((?:\s[^>]*)?)>", re.I)
_IMG_SRC = re.compile(r"""(<img\b[^>]*?\ssrc\s*=\s*)(["'])(.*?)\2""", re.I | re.S)


@functools.lru_cache(maxsize=1)
def _exporters() -> dict[str, type]:
    """HTML and slide exporters whose Markdown keeps raw HTML blocks as written.

    nbconvert's ``IPythonRenderer`` embeds images by parsing each raw HTML block with
    BeautifulSoup and writing it back. A block of Markdown ends at a blank line, so
    ``<details><summary>Answer</summary>`` arrives alone: the parser closes the ``<details>``
    there (an empty fold) and drops the later, lone ``</details>``, leaving the answer in plain
    view. Here only the ``src`` of each ``<img>`` is rewritten; every other byte stays.
    """
    import jinja2
    from nbconvert import HTMLExporter, SlidesExporter
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    class FoldSafeRenderer(IPythonRenderer):
        def _html_embed_images(self, html: str) -> str:
            def embed(match: re.Match[str]) -> str:
                data_url = self._src_to_base64(match.group(3))
                if data_url is None:
                    return match.group(0)
                return f"{match.group(1)}{match.group(2)}{data_url}{match.group(2)}"

            return _IMG_SRC.sub(embed, html)

    class FoldSafe:
        @jinja2.pass_context
        def markdown2html(self, context: Any, source: str) -> str:
            cell = context.get("cell", {})
            renderer = FoldSafeRenderer(
                escape=False,
                attachments=cell.get("attachments", {}),
                embed_images=self.embed_images,
                path=context.get("resources", {}).get("metadata", {}).get("path", ""),
                anchor_link_text=self.anchor_link_text,
                exclude_anchor_links=self.exclude_anchor_links,
                **self.lexer_options,
            )
            return MarkdownWithMath(renderer=renderer).render(source)

    handout = type("ClassroomHTMLExporter", (FoldSafe, HTMLExporter), {})
    slides = type("ClassroomSlidesExporter", (FoldSafe, SlidesExporter), {})
    return {"handout": handout, "slides": slides}


def build(kind: str, names: Sequence[str] = (), out: Path | None = None) -> list[Path]:
    """Execute each notebook once and export it; return the pages written.

    ``handouts`` writes a student handout and a teacher's copy of each notebook (see
    :data:`HANDOUT_KINDS`), ``slides`` one deck. Two notebooks run at a time.
    """
    if kind not in ("handouts", "slides"):
        raise ValueError(f"kind must be 'handouts' or 'slides' (got {kind!r})")
    out = Path(out or ROOT / "build" / kind)
    out.mkdir(parents=True, exist_ok=True)

    def one(path: Path) -> list[Path]:
        started = time.perf_counter()
        notebook = execute(path)
        if kind == "slides":
            pages = {out / f"{path.stem}.slides.html": export_slides(notebook, path)}
        else:
            pages = {
                out / f"{path.stem}{HANDOUT_KINDS[k][0]}": export_handout(notebook, path, k)
                for k in handout_kinds(path)
            }
        for page, text in pages.items():
            page.write_text(text, encoding="utf-8")
        names = ", ".join(str(p.relative_to(out.parent)) for p in pages)
        print(f"{names}  ({time.perf_counter() - started:.1f} s)")
        return list(pages)

    with ThreadPoolExecutor(max_workers=2) as pool:  # one kernel per core on a 2-core machine
        return [page for pages in pool.map(one, notebook_paths(names)) for page in pages]


def page_name(stem: str, kind: str) -> str:
    """The built file of notebook ``stem`` for ``kind`` (student, teacher or slides)."""
    if kind == "slides":
        return f"{stem}.slides.html"
    if kind == "student" and stem in TEACHER_ONLY:
        kind = "teacher"  # a student's link to the answer key leads to the only copy there is
    return f"{stem}{HANDOUT_KINDS[kind][0]}"


def _link_pages(page: str, kind: str) -> str:
    """Point links between notebooks (``01_policy_history.ipynb``) at the built pages instead."""
    return _NOTEBOOK_LINK.sub(
        lambda m: f'href="{page_name(m.group(1), kind)}{m.group(2) or ""}"', page
    )


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


def _metadata(source: Path) -> dict[str, str]:
    """nbconvert's metadata: the folder that relative image paths are read from, the name."""
    return {"path": str(source.parent), "name": source.stem}


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
