"""Notebook 04's picking-winners panel in a real browser: its outcomes figure is a live chart.

Opened in JupyterLab and as a Voilà app, offline, at 1280×720:

- the outcomes figure is built once, and a key press on a slider redraws it through a data
  update (its build count stays 1 while its update count grows), with the Vega runtime
  imported once for the page;
- the live chart and the static SVG of the same compiled spec (vl-convert) show the same
  title, subtitle and marks (the marks' ARIA labels carry their values), and the figure is
  at most 840 px wide, so JupyterLab's 848-px column shows it at its own size.
"""

from __future__ import annotations

import html
import re
from typing import Any

import checks
import harness
import pytest
from test_live_panels import _STATE, _marks, _svg_parts

pytestmark = pytest.mark.browser

APP = "04"
TITLE = "What each strategy achieved"
#: The slider moved: the planner's noise (it changes every outcome of the planner).
SLIDER = "noise before investing"

_WIDTH = """([title]) => {
  const el = [...document.querySelectorAll('.lg-live-chart')].find((c) =>
    [...c.querySelectorAll('.role-title-text text')].some((t) => t.textContent.startsWith(title)));
  const svg = el && el.querySelector('svg');
  return svg ? [svg.getBoundingClientRect().width, Number(svg.getAttribute('width'))] : null;
}"""


def _titles(svg: str) -> str:
    """Every title of a vl-convert SVG (the figure's and its three panels'), as the live
    chart's state joins them."""
    blocks = re.findall(r'<g class="mark-text role-title-text"[^>]*>(.*?)</g>', svg, re.S)
    texts = [t for b in blocks for t in re.findall(r"<text[^>]*>(.*?)</text>", b, re.S)]
    return "|".join(html.unescape(re.sub(r"<[^>]+>", "", t)) for t in texts)


def _outcomes(page: Any) -> dict[str, Any] | None:
    return next((c for c in page.evaluate(_STATE) if TITLE in c["title"]), None)


def _check_page(page: Any, where: str) -> list[str]:
    failures: list[str] = []
    page.wait_for_function(
        "() => document.querySelectorAll('.lg-live-chart svg').length >= 1", timeout=120_000
    )
    page.wait_for_timeout(1500)
    live = _outcomes(page)
    if live is None:
        return [f"{where}: no live chart titled {TITLE!r}"]
    if live["builds"] != 1:
        failures.append(f"{where}: the outcomes chart was built {live['builds']} times")
    loads = page.evaluate("() => globalThis.__lgVegaLoads || 0")
    if loads != 1:
        failures.append(f"{where}: the Vega runtime was imported {loads} times (expected once)")
    drawn, own = page.evaluate(_WIDTH, [TITLE]) or (0, 0)
    if not 0 < own <= 840:
        failures.append(f"{where}: the figure is {own} px wide (at most 840)")
    if where == "lab" and drawn < own - 1:  # an app page may set it beside the controls
        failures.append(f"{where}: the {own}-px figure is shrunk to {drawn} px")

    # the live chart and the static SVG of the same compiled spec: same words and marks
    from explainer.widgets.debate import PickingWinnersPanel

    svg = PickingWinnersPanel().chart_view.figure_html()
    static = {**_svg_parts(svg), "title": _titles(svg)}
    if live["title"] != static["title"]:
        failures.append(f"{where}: titles differ: {live['title']!r} vs {static['title']!r}")
    for part, seen in (("subtitle", live["subtitle"]), ("marks", _marks(live["marks"]))):
        if seen != static[part] or not seen:
            failures.append(
                f"{where}: live and static {part} differ: {seen[:3]} vs {static[part][:3]} "
                f"({len(seen)} vs {len(static[part])})"
            )

    # a key press redraws through a data update, not a new spec
    panel = next(p for p in harness.find_panels(page) if p["charts"])
    labels = page.locator(f'[data-lg-panel="{panel["index"]}"] .widget-slider .widget-label')
    names = [(t or "").strip() for t in labels.all_text_contents()]
    k = next((i for i, n in enumerate(names) if SLIDER in n), None)
    if k is None:
        return [*failures, f"{where}: no slider named {SLIDER!r} among {names}"]
    move = harness.move_slider(page, panel, k)
    page.wait_for_timeout(1500)
    after = _outcomes(page) or {}
    if not move.moved:
        failures.append(f"{where}: the slider did not move ({move})")
    if move.chart_ms is None:
        failures.append(f"{where}: the chart did not change after a key press")
    if after.get("builds") != 1:
        failures.append(f"{where}: a move rebuilt the chart (a new spec was sent)")
    if after.get("updates", 0) <= live["updates"]:
        failures.append(f"{where}: a move did not update the chart's data")
    if after.get("marks") == live["marks"]:
        failures.append(f"{where}: the marks' values did not change after the move")
    return failures


def test_picking_panel_is_live_in_jupyterlab(
    lab: harness.Server, sandbox: harness.Sandbox, page: Any
) -> None:
    path = checks.notebook_or_skip(APP)
    harness.run_in_lab(page, lab, path)
    failures = _check_page(page, "lab")
    page.locator(".lg-live-chart").first.scroll_into_view_if_needed()
    page.screenshot(path=str(harness.SCREENSHOTS / "live-lab-04.png"))
    lab.shutdown_kernels()
    assert not failures, "\n- ".join(["picking-winners panel in JupyterLab:", *failures])


def test_picking_panel_is_live_in_voila(voila: Any, sandbox: harness.Sandbox, page: Any) -> None:
    path = checks.notebook_or_skip(APP)
    page.set_viewport_size({"width": 1280, "height": 720})
    harness.open_app(page, voila.get(), path.name)
    failures = _check_page(page, "voila")
    page.locator(".lg-live-chart").first.scroll_into_view_if_needed()
    page.screenshot(path=str(harness.SCREENSHOTS / "live-voila-04.png"))
    assert not failures, "\n- ".join(["picking-winners panel in Voilà:", *failures])
