"""Live panels in a real browser (issue 13): data updates not new specs, stable values, presets.

The explorer of notebook 03 is opened in JupyterLab and as a Voilà app, offline. On each page:

- each live chart is built once and a key press redraws it through a data update (the
  chart's build count stays 1 while its update count grows), and the Vega runtime is
  imported once for the whole page;
- left alone for 5 s, nothing is marked changed and each panel's preset menu shows the
  default preset ("What actually happened");
- choosing preset A then preset B shows B; Reset shows the default preset on every panel;
- the live chart and the static SVG (vl-convert, same compiled spec) show the same title,
  subtitle, caption and marks (the marks' ARIA labels, which carry their values);
- every slider handle has an accessible name.
"""

from __future__ import annotations

import re
from typing import Any

import checks
import harness
import pytest

pytestmark = pytest.mark.browser

APP = "03"
DEFAULT_PRESET = "What actually happened"

_STATE = """() => [...document.querySelectorAll('.lg-live-chart')].map((el) => ({
  builds: Number(el.dataset.lgBuilds || 0), updates: Number(el.dataset.lgUpdates || 0),
  title: [...el.querySelectorAll('.role-title-text text')].map((t) => t.textContent).join('|'),
  subtitle: [...el.querySelectorAll('.role-title-subtitle text')].map((t) => t.textContent),
  caption: (el.querySelector('figcaption span') || {}).textContent || '',
  marks: [...el.querySelectorAll('svg [role="graphics-symbol"]')].map(
    (m) => m.getAttribute('aria-label')).filter(Boolean).sort(),
}))"""

_PRESETS = """() => [...document.querySelectorAll('.lg-panel .widget-dropdown select')]
  .filter((s) => [...s.options].some((o) => o.textContent.replace(/\u00a0/g, ' ') === 'No preset'))
  .map((s) => s.options[s.selectedIndex].textContent.replace(/\u00a0/g, ' '))"""

_CHOOSE = """([label]) => {
  const select = [...document.querySelectorAll('.lg-panel .widget-dropdown select')].find((s) =>
    [...s.options].some((o) => o.textContent.replace(/\u00a0/g, ' ') === 'No preset'));
  return [...select.options].findIndex((o) => o.textContent.replace(/\u00a0/g, ' ') === label);
}"""

#: ARIA labels of a chart's furniture (title, axes, legends), not of its marks.
_FURNITURE = ("Title text", "Subtitle text", "X-axis", "Y-axis", "Symbol legend", "Gradient legend")

_UNNAMED = """() => [...document.querySelectorAll('.noUi-handle')]
  .filter((h) => !(h.getAttribute('aria-label') || '').trim()).length"""


def _charts(page: Any) -> list[dict[str, Any]]:
    return page.evaluate(_STATE)


def _wait_quiet(page: Any, ms: int = 1500) -> None:
    page.wait_for_timeout(ms)


def _svg_parts(svg: str) -> dict[str, Any]:
    """Title, subtitle lines and mark ARIA labels of a vl-convert SVG."""
    import html

    def texts(role: str) -> list[str]:
        block = re.search(rf'<g class="mark-text role-{role}"[^>]*>(.*?)</g>', svg, re.S)
        if not block:
            return []
        found = re.findall(r"<text[^>]*>(.*?)</text>", block.group(1), re.S)
        return [html.unescape(re.sub(r"<[^>]+>", "", t)) for t in found]

    marks = re.findall(r'aria-label="([^"]*)" role="graphics-symbol"', svg)
    marks += re.findall(r'role="graphics-symbol" aria-label="([^"]*)"', svg)
    return {
        "title": "|".join(texts("title-text")),
        "subtitle": texts("title-subtitle"),
        "marks": _marks(html.unescape(m) for m in marks),
    }


def _marks(labels: Any) -> list[str]:
    return sorted(m for m in labels if not m.startswith(_FURNITURE))


def _check_live_page(page: Any, where: str) -> list[str]:
    failures: list[str] = []
    page.wait_for_function(
        "() => document.querySelectorAll('.lg-live-chart svg').length >= 1", timeout=60_000
    )

    # left alone for 5 s: the default preset everywhere, nothing marked changed
    page.wait_for_timeout(5000)
    if page.evaluate(_UNNAMED):
        failures.append(f"{where}: {page.evaluate(_UNNAMED)} slider handles have no name")
    presets = page.evaluate(_PRESETS)
    if not presets or any(p != DEFAULT_PRESET for p in presets):
        failures.append(f"{where}: after 5 s untouched the preset menus show {presets}")
    charts = _charts(page)
    changed = [c["title"] for c in charts if any("Changed from" in s for s in c["subtitle"])]
    if changed:
        failures.append(f"{where}: untouched, these charts say a value changed: {changed}")
    if any(c["builds"] != 1 for c in charts):
        failures.append(f"{where}: charts built more than once: {[c['builds'] for c in charts]}")
    loads = page.evaluate("() => globalThis.__lgVegaLoads || 0")
    if loads != 1:
        failures.append(f"{where}: the Vega runtime was imported {loads} times (expected once)")

    # the live chart and the static SVG: same words and marks (the pipeline at its defaults)
    from explainer.widgets.explorer import PipelinePanel

    static = _svg_parts(PipelinePanel().chart_view.figure_html())
    live = next((c for c in charts if c["title"] == static["title"]), None)
    if live is None:
        failures.append(f"{where}: no live chart titled {static['title']!r}")
    else:
        live = {**live, "marks": _marks(live["marks"])}
        for part in ("subtitle", "marks"):
            if live[part] != static[part]:
                failures.append(
                    f"{where}: live and static {part} differ: {live[part][:4]} vs "
                    f"{static[part][:4]} ({len(live[part])} vs {len(static[part])})"
                )

    # a key press redraws through a data update, not a new spec
    panels = harness.find_panels(page)
    first = next(p for p in panels if p["charts"])
    before = _charts(page)
    move = harness.move_slider(page, first, 0)
    _wait_quiet(page)
    after = _charts(page)
    if not move.moved:
        failures.append(f"{where}: the first slider did not move ({move})")
    if [c["builds"] for c in after] != [c["builds"] for c in before]:
        failures.append(f"{where}: a move rebuilt a chart (a new spec was sent)")
    if sum(c["updates"] for c in after) <= sum(c["updates"] for c in before):
        failures.append(f"{where}: a move did not update any chart's data")
    if move.chart_ms is None:
        failures.append(f"{where}: the chart did not change after a key press")
    # one arrow press moves about 1% of the range, so the chart shows it
    if move.moved:
        step = abs(_number(move.value_after) - _number(move.value_before))
        if step < 50:  # "New little giants in the first projected year": 0 to 10,000
            failures.append(f"{where}: one arrow press moved {move.control} by only {step}")

    # preset A then preset B shows B; Reset shows the default preset on every panel
    select = page.locator(".lg-panel .widget-dropdown select").first
    select.select_option(index=page.evaluate(_CHOOSE, ["The 2022 news story"]))
    _wait_quiet(page)
    select.select_option(index=page.evaluate(_CHOOSE, ["The official plan (2021)"]))
    _wait_quiet(page)
    shown = page.evaluate(_PRESETS)
    if not shown or shown[0] != "The official plan (2021)":
        failures.append(f"{where}: preset A then B shows {shown}")
    for button in page.locator(".lg-panel button", has_text="Reset").all():
        if button.is_visible():
            button.click()
            _wait_quiet(page, 800)
    _wait_quiet(page)
    shown = page.evaluate(_PRESETS)
    visible = [s for s in shown if s]
    if any(s != DEFAULT_PRESET for s in visible[:1]):
        failures.append(f"{where}: after Reset the preset menus show {shown}")
    if any(c["builds"] != 1 for c in _charts(page)):
        failures.append(f"{where}: presets or Reset rebuilt a chart")
    return failures


def _number(text: str) -> float:
    return float(re.sub(r"[^0-9.\-]", "", text) or "nan")


def test_live_panels_in_jupyterlab(
    lab: harness.Server, sandbox: harness.Sandbox, page: Any
) -> None:
    path = checks.notebook_or_skip(APP)
    harness.run_in_lab(page, lab, path)
    failures = _check_live_page(page, "lab")
    page.screenshot(path=str(harness.SCREENSHOTS / "live-lab-03.png"))
    lab.shutdown_kernels()
    assert not failures, "\n- ".join(["live panels in JupyterLab:", *failures])


def test_live_panels_in_voila(voila: Any, sandbox: harness.Sandbox, page: Any) -> None:
    path = checks.notebook_or_skip(APP)
    page.set_viewport_size({"width": 1280, "height": 720})
    harness.open_app(page, voila.get(), path.name)
    failures = _check_live_page(page, "voila")
    page.screenshot(path=str(harness.SCREENSHOTS / "live-voila-03.png"))
    assert not failures, "\n- ".join(["live panels in Voilà:", *failures])
