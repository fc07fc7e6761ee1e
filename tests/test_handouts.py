"""Static pages: the handouts and slide decks exist, show every chart and load nothing remote.

The build executes every notebook (``python -m classroom.build``), so these tests are ``slow``;
the checks of the static panel view and of the page scanner are quick.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from classroom import build

NOTEBOOKS = build.notebook_paths()

#: Attributes through which a page makes the browser fetch something (a link's href does not).
_LOADING = {
    ("script", "src"),
    ("link", "href"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("iframe", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("video", "src"),
    ("audio", "src"),
    ("image", "href"),
    ("image", "xlink:href"),
    ("use", "href"),
    ("use", "xlink:href"),
}
_CSS_REMOTE = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*((?:https?:)?//[^'")\s]+)""", re.I)


class _Loads(HTMLParser):
    """Collect every address a page would load by itself: scripts, styles, images, fonts."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (tag, name) in _LOADING:
                self.loads.append(value)
            if name == "style" and value:
                self.loads += _CSS_REMOTE.findall(value)
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.loads += _CSS_REMOTE.findall(data)


def remote_loads(page: str) -> list[str]:
    """Addresses on the network (http, https or protocol-relative) that the page would fetch."""
    parser = _Loads()
    parser.feed(page)
    return [
        address
        for address in parser.loads
        if re.match(r"^\s*(https?:)?//", address, re.I) or address.startswith("about:blank/")
    ]


def test_the_scanner_finds_remote_scripts_styles_images_and_fonts() -> None:
    page = """
    <script src="https://cdn.example.org/require.js"></script>
    <link rel="stylesheet" href="//fonts.example.org/css">
    <img src="http://example.org/a.png"> <img src="data:image/png;base64,AAAA">
    <style>@font-face { src: url('https://example.org/f.woff') }
    .a { background: url(x.png) }</style>
    <a href="https://example.org/a-citation">a citation is not a load</a>
    """
    assert remote_loads(page) == [
        "https://cdn.example.org/require.js",
        "//fonts.example.org/css",
        "http://example.org/a.png",
        "https://example.org/f.woff",
    ]


def test_a_panel_shows_its_default_state_as_plain_html_when_static(monkeypatch) -> None:
    import altair as alt
    import pandas as pd
    from IPython.display import HTML

    from explainer.charts import sourced
    from explainer.parameters import parameter_specs
    from explainer.widgets.base import STATIC_ENV, Panel

    class Line(Panel):
        title = "A line"

        def compute(self, values):
            return pd.DataFrame({"x": [0, 1], "y": [0, values["pass_rate"]]})

        def render(self, result):
            chart = alt.Chart(result).mark_line().encode(x="x:Q", y="y:Q")
            ids = [spec.source_ids for spec in self.specs.values()]
            ids = [i for group in ids for i in group] or ["miit-2019-batch1-notice"]
            return sourced(chart, title="A line", description="One line.", sources=ids), "Done."

    specs = parameter_specs("parameters_explorer", "designation_pipeline")
    panel = Line({"pass_rate": specs["pass_rate"]})
    static = panel.static_html()
    assert "<h3>A line</h3>" in static and "<svg" in static and "Done." in static
    assert f"{specs['pass_rate'].default:.2f}" in static  # the setting, as its slider shows it

    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *objs, **kw: shown.extend(objs))
    monkeypatch.delenv(STATIC_ENV, raising=False)
    panel._ipython_display_()
    monkeypatch.setenv(STATIC_ENV, "1")
    panel._ipython_display_()
    live, still = shown
    assert live is panel.view
    assert isinstance(still, HTML) and still.data == static


class _Folds(HTMLParser):
    """Each ``<details>`` of a page as a browser builds it: open or not, its summary, the text
    inside it (nested tags and all), and the page's text outside every fold."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.folds: list[dict[str, object]] = []
        self.outside: list[str] = []
        self._open: list[dict[str, object]] = []
        self._in_summary = False
        self._skip = 0  # inside <style> or <script>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        elif tag == "details":
            fold = {"open": any(n == "open" for n, _ in attrs), "summary": "", "text": ""}
            self.folds.append(fold)
            self._open.append(fold)
        elif tag == "summary":
            self._in_summary = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1
        elif tag == "details" and self._open:
            self._open.pop()
        elif tag == "summary":
            self._in_summary = False

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if not self._open:
            self.outside.append(data)
            return
        fold = self._open[-1]
        key = "summary" if self._in_summary else "text"
        fold[key] = str(fold[key]) + data


def folds(page: str) -> _Folds:
    parser = _Folds()
    parser.feed(page)
    parser.close()
    return parser


def _words(text: str) -> str:
    """Text as a reader reads it: Markdown marks and tags dropped, links as their words."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>|^\s*[-*+] |^\s*\d+\. ", " ", text, flags=re.M)
    return " ".join(re.sub(r"[*_`#>|]", "", text).split())


def answers(notebook: Path) -> list[str]:
    """The text of each fold in a notebook's Markdown cells (what must stay inside it)."""
    import nbformat

    found = []
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type != "markdown":
            continue
        for block in re.findall(r"<details.*?</details>", cell.source, flags=re.S):
            body = re.sub(r"^.*?</summary>", "", block, flags=re.S)
            found.append(body.replace("</details>", ""))
    return found


def check_folds(page: str, notebook: Path, kind: str) -> list[str]:
    """Every way in which a built page gets its notebook's folds wrong."""
    seen = folds(page)
    problems = []
    for fold in seen.folds:
        if not _words(str(fold["text"])):
            problems.append(f"an empty fold: {fold['summary']!r}")
        if kind == "student" and fold["open"]:
            problems.append(f"a fold open in a student handout: {fold['summary']!r}")
        if kind == "teacher" and not fold["open"]:
            problems.append(f"a fold closed in a teacher's copy: {fold['summary']!r}")
    outside = _words(" ".join(seen.outside))
    inside = _words(" ".join(str(f["text"]) for f in seen.folds))
    for answer in answers(notebook):
        # a distinctive stretch of the answer's words: inside a fold, never outside
        words = _words(answer).split()
        probe = " ".join(words[len(words) // 3 : len(words) // 3 + 8])
        if not probe:
            continue
        if probe not in inside:
            problems.append(f"answer text not inside any fold: {probe!r}")
        if probe in outside:
            problems.append(f"answer text outside its fold: {probe!r}")
    return problems


def _tiny_notebook(tmp_path: Path) -> tuple[object, Path]:
    import nbformat

    picture = tmp_path / "dot.png"
    picture.write_bytes(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360f8ffff3f0005fe02fea7d6a4a10000000049454e44ae426082"
        )
    )
    answer = (
        "### Exercise 1\n\nWhich batch was largest?\n\n<details>\n<summary>Show the answer"
        "</summary>\n\nBatch **four**, named in 2022.\n\n- first point\n- second point\n\n"
        '<img src="dot.png" alt="a dot">\n</details>\n\nAfter the fold.'
    )
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell(answer)], metadata={"title": "Tiny"}
    )
    source = tmp_path / "99_tiny.ipynb"
    nbformat.write(notebook, source)
    return notebook, source


@pytest.mark.parametrize("kind", ["student", "teacher"])
def test_an_answer_with_blank_lines_stays_inside_its_fold(tmp_path: Path, kind: str) -> None:
    notebook, source = _tiny_notebook(tmp_path)
    notebook.metadata["title"] = "Tiny"
    page = build.export_handout(notebook, source, kind)
    (fold,) = folds(page).folds
    assert "Batch four, named in 2022." in " ".join(str(fold["text"]).split())
    assert "second point" in str(fold["text"])
    assert "After the fold." in " ".join(folds(page).outside)
    assert fold["open"] is (kind == "teacher")
    assert ("<details open>" in page) is (kind == "teacher")
    assert "<summary>Show the answer</summary>" in page
    assert 'src="data:image/png;base64,' in page  # images are still embedded
    assert check_folds(page, source, kind) == []


def test_the_fold_check_catches_an_answer_spilled_out_of_its_fold(tmp_path: Path) -> None:
    _, source = _tiny_notebook(tmp_path)
    spilled = (
        "<details><summary>Show the answer</summary></details>"
        "<p>Batch <strong>four</strong>, named in 2022.</p><ul><li>first point</li>"
        "<li>second point</li></ul>"
    )
    problems = check_folds(spilled, source, "student")
    assert any("empty fold" in p for p in problems)
    assert any("outside its fold" in p for p in problems)


def test_handout_kinds_are_named_so_nobody_confuses_them() -> None:
    student, teacher = (build.HANDOUT_KINDS[k][0] for k in ("student", "teacher"))
    assert student == ".student.html" and teacher == ".teacher.html"
    assert build.handout_kinds(Path("01_policy_history.ipynb")) == ["student", "teacher"]
    assert build.handout_kinds(Path("06_for_teachers.ipynb")) == ["teacher"]
    linked = build._link_pages('<a href="06_for_teachers.ipynb#keys">', "student")
    assert linked == '<a href="06_for_teachers.teacher.html#keys">'
    with pytest.raises(ValueError, match="kind must be one of"):
        build.export_handout(None, Path("x.ipynb"), "pupil")


def _kind(page: Path) -> str:
    return page.name.rsplit(".", 2)[-2]


@pytest.mark.slow
def test_handouts_build_self_contained_with_every_chart(classroom_pages) -> None:
    pages = classroom_pages.get("handouts")
    expected = sorted(
        f"{n.stem}{build.HANDOUT_KINDS[k][0]}" for n in NOTEBOOKS for k in build.handout_kinds(n)
    )
    assert sorted(p.name for p in pages) == expected
    for page in pages:
        notebook = build.NOTEBOOKS / f"{page.name.split('.')[0]}.ipynb"
        text = page.read_text(encoding="utf-8")
        assert remote_loads(text) == [], page.name
        assert "<script" not in text, f"{page.name} has a script; a handout needs none"
        assert "application/vnd.jupyter.widget-view+json" not in text
        assert "Traceback" not in text, page.name
        figures = re.findall(r'<figure class="lg-figure".*?</figure>', text, flags=re.S)
        assert all("<svg" in figure for figure in figures), f"{page.name}: a chart without SVG"
        if notebook.stem != "06_for_teachers":  # the teachers' guide draws no chart
            assert figures, f"{page.name} shows no chart"
        kind = _kind(page)
        assert f"lg-handout-{kind}" in text, f"{page.name}: no banner saying which copy it is"
        assert check_folds(text, notebook, kind) == [], page.name
    student = [p for p in pages if _kind(p) == "student"]
    assert sum(len(folds(p.read_text(encoding="utf-8")).folds) for p in student) >= 20


@pytest.mark.slow
def test_slide_decks_build_self_contained_with_answers_folded(classroom_pages) -> None:
    decks = classroom_pages.get("slides")
    assert [d.name for d in decks] == [f"{n.stem}.slides.html" for n in NOTEBOOKS]
    for deck, notebook in zip(decks, NOTEBOOKS):
        text = deck.read_text(encoding="utf-8")
        assert remote_loads(text) == [], deck.name
        assert "Reveal.initialize" in text and text.count("<section") >= 3
        assert check_folds(text, notebook, "student") == [], deck.name
