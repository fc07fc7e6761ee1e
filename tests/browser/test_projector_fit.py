"""App mode on a projector: each chart beside its controls, drawn at a size its text can be read.

At 1280x720 the lg-app template puts a panel's chart beside its controls; a live chart lays its
plot out for the width of its column (explainer/widgets/live_chart.js) instead of being scaled
down, so its smallest text, as rendered (font size times the SVG's drawn scale), stays at least
14 px. A narrower window stacks the chart under its controls; resizing the window re-lays the
chart out in the browser without a new build and without counting as a data update. Leaving a
Voilà page shuts its kernel down with no console error (lg-app/static/kernel-shutdown.js).
"""

from __future__ import annotations

import time
from typing import Any

import checks
import harness
import pytest
from test_classroom_pages import SCREEN, _open

pytestmark = pytest.mark.browser

#: The smallest chart text a projector may show beside the controls, in CSS pixels.
MIN_CHART_TEXT = 14.0
#: A window too narrow for the side-by-side layout (projector.css: 1280 px or more).
NARROW = {"width": 1000, "height": 720}

#: One panel (index ``i`` among the page's panels) as laid out, after scrolling it to the top.
PANEL = (
    """(i) => {
  const panel = document.querySelectorAll('.lg-panel')[i];
  panel.scrollIntoView({block: 'start'});
  panel.dataset.lgMeasured = String(i);
  const {smallest, where} = ("""
    + checks.SMALLEST_CHART_TEXT
    + """)(`[data-lg-measured="${i}"] figure.lg-figure svg`);
  const box = (e) => { if (!e) return null; const r = e.getBoundingClientRect();
      return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, height: r.height}; };
  const controls = panel.querySelector('.lg-controls');
  const svg = panel.querySelector('.lg-chart figure.lg-figure svg');
  const chart = svg && svg.closest('.lg-chart');
  // Labels that reach past their controls column (cut off by it, or drawn over the chart).
  const wide = controls ? [...controls.querySelectorAll('.widget-label')]
      .filter((l) => l.getClientRects().length &&
          l.getBoundingClientRect().right > controls.getBoundingClientRect().right + 1)
      .map((l) => l.textContent.trim().slice(0, 40)) : [];
  const doc = document.scrollingElement || document.documentElement;
  return {
    title: (panel.querySelector('h3') || panel).textContent.trim().slice(0, 60),
    smallest: smallest === Infinity ? null : smallest, where,
    controls: box(controls), slider: box(panel.querySelector('.widget-slider')),
    chart: box(chart), svg: box(svg), wide, viewport: innerHeight,
    sideways: doc.scrollWidth > doc.clientWidth + 1,
    builds: chart ? Number(chart.dataset.lgBuilds || 0) : null,
    updates: chart ? Number(chart.dataset.lgUpdates || 0) : null,
    fits: chart ? Number(chart.dataset.lgFits || 0) : null,
  };
}"""
)


def _panels(page: Any) -> list[dict[str, Any]]:
    count = page.evaluate("() => document.querySelectorAll('.lg-panel').length")
    return [page.evaluate(PANEL, i) for i in range(count)]


def _shown(box: dict[str, float], viewport: float) -> float:
    """The share of ``box``'s height inside the viewport."""
    inside = min(box["bottom"], viewport) - max(box["top"], 0)
    return max(0.0, inside) / box["height"] if box["height"] else 0.0


def test_app_chart_beside_its_controls_keeps_its_text_readable(
    voila: Any, sandbox: harness.Sandbox, page: Any
) -> None:
    path = checks.notebook_or_skip("03", sandbox)
    _open(page, voila.get(), path.name)
    failures = []
    wide = _panels(page)
    if len(wide) < 2:
        failures.append(f"{len(wide)} panels found in the 03 app (it shows two)")
    for seen in wide:
        name = seen["title"]
        controls, chart, svg = seen["controls"], seen["chart"], seen["svg"]
        if not (controls and chart and svg):
            failures.append(f"{name}: no live chart and controls found")
            continue
        if seen["smallest"] is None or seen["smallest"] < MIN_CHART_TEXT:
            failures.append(
                f"{name}: chart text renders at {seen['smallest']} px at 1280x720 "
                f"(at least {MIN_CHART_TEXT:g}): {seen['where']}"
            )
        if not (chart["left"] >= controls["right"] - 1 and chart["top"] < controls["bottom"]):
            failures.append(f"{name}: the chart {chart} is not beside its controls {controls}")
        slider_on_screen = _shown(seen["slider"], seen["viewport"]) == 1.0
        chart_on_screen = _shown(svg, seen["viewport"])
        if not slider_on_screen or chart_on_screen < 0.75:
            failures.append(
                f"{name}: controls and chart not on the screen together (a slider fully shown: "
                f"{slider_on_screen}; {chart_on_screen:.0%} of the chart)"
            )
        if seen["wide"]:
            failures.append(f"{name}: labels reach past the controls column: {seen['wide']}")
        if seen["sideways"]:
            failures.append(f"{name}: the page scrolls sideways at 1280x720")
        if seen["builds"] != 1:
            failures.append(f"{name}: the chart was built {seen['builds']} times (once)")
    page.evaluate("() => document.querySelector('.lg-panel').scrollIntoView({block: 'start'})")
    page.screenshot(path=harness.SCREENSHOTS / f"app-fit-{path.stem}-1280.png")

    # A narrower window: the chart under its controls, re-laid out in the browser only.
    page.set_viewport_size(NARROW)
    page.wait_for_timeout(800)  # the charts refit once the resizes settle
    narrow = _panels(page)
    page.screenshot(path=harness.SCREENSHOTS / f"app-fit-{path.stem}-{NARROW['width']}.png")
    page.set_viewport_size(SCREEN)
    page.wait_for_timeout(800)
    again = _panels(page)
    for before, under, after in zip(wide, narrow, again, strict=True):
        name = before["title"]
        controls, chart = under["controls"], under["chart"]
        if controls and chart and chart["top"] < controls["bottom"] - 1:
            failures.append(
                f"{name}: at {NARROW['width']} px the chart {chart} is not under its "
                f"controls {controls}"
            )
        if under["sideways"]:
            failures.append(f"{name}: the page scrolls sideways at {NARROW['width']} px")
        if (after["builds"], after["updates"]) != (before["builds"], before["updates"]):
            failures.append(
                f"{name}: resizing the window rebuilt or updated the chart (builds, updates "
                f"{before['builds']}, {before['updates']} → {after['builds']}, "
                f"{after['updates']}); a resize is a fit, not a data update"
            )
        if after["smallest"] is None or after["smallest"] < MIN_CHART_TEXT:
            failures.append(f"{name}: back at 1280 px, chart text {after['smallest']} px")
    failures += [f"console error: {e}" for e in page.lg_console_errors]
    failures += [f"script error: {e}" for e in page.lg_page_errors]
    assert not failures, f"{path.name} in app mode:\n- " + "\n- ".join(failures)


def _shutdowns(server: harness.Server) -> int:
    return server.log(last=10**7).count("Kernel shutdown:")


def test_leaving_app_and_slides_shuts_their_kernels_with_no_console_error(
    voila: Any, sandbox: harness.Sandbox, page: Any
) -> None:
    path = checks.notebook_or_skip("03", sandbox)
    server = voila.get()
    shut = _shutdowns(server)
    _open(page, server, path.name)  # the app, then the live slides, then the app again
    _open(page, server, path.name, template="lg-slides")
    page.wait_for_function("() => window.Reveal && Reveal.isReady()")
    _open(page, server, path.name)
    deadline = time.monotonic() + 15
    while _shutdowns(server) < shut + 2 and time.monotonic() < deadline:
        time.sleep(0.25)
    failures = [f"console error: {e}" for e in page.lg_console_errors]
    failures += [f"script error: {e}" for e in page.lg_page_errors]
    if _shutdowns(server) < shut + 2:
        failures.append(
            f"{_shutdowns(server) - shut} of the 2 kernels left behind were shut down; the "
            "server says:\n" + server.log(last=1500)
        )
    assert not failures, "app → slides → app:\n- " + "\n- ".join(failures)
