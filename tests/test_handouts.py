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


@pytest.mark.slow
def test_handouts_build_self_contained_with_every_chart(tmp_path: Path) -> None:
    pages = build.build("handouts", out=tmp_path)
    assert [p.stem for p in pages] == [p.stem for p in NOTEBOOKS]
    for page, notebook in zip(pages, NOTEBOOKS):
        text = page.read_text(encoding="utf-8")
        assert remote_loads(text) == [], page.name
        assert "<script" not in text, f"{page.name} has a script; a handout needs none"
        assert "application/vnd.jupyter.widget-view+json" not in text
        assert "Traceback" not in text, page.name
        figures = re.findall(r'<figure class="lg-figure".*?</figure>', text, flags=re.S)
        assert all("<svg" in figure for figure in figures), f"{page.name}: a chart without SVG"
        if notebook.stem != "06_for_teachers":  # the teachers' guide draws no chart
            assert figures, f"{page.name} shows no chart"


@pytest.mark.slow
def test_slide_decks_build_self_contained(tmp_path: Path) -> None:
    names = [NOTEBOOKS[0].stem]  # one deck: the template is shared, and each takes a kernel
    (deck,) = build.build("slides", names, out=tmp_path)
    text = deck.read_text(encoding="utf-8")
    assert remote_loads(text) == []
    assert "Reveal.initialize" in text and text.count("<section") >= 3
