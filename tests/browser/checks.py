"""The assertions shared by the JupyterLab and Voilà tests: what a reader must see."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import harness
import pytest


def notebook_or_skip(number: str, sandbox: harness.Sandbox | None = None) -> Path:
    """The notebook numbered ``number``; the test is skipped if there is none yet, or if it
    appeared after the session's sandbox was made (then the servers cannot see it)."""
    path = harness.app_notebook(number)
    if path is None:
        pytest.skip(f"no notebooks/{number}_*.ipynb yet: it is tested once it exists")
    if sandbox is not None and not (sandbox.notebooks / path.name).exists():
        pytest.skip(f"{path.name} appeared after this test session started")
    return path


def check_page(
    where: str,
    path: Path,
    page: Any,
    seen: dict[str, Any],
    expected: harness.Expected,
    guard: harness.NetworkGuard,
) -> tuple[list[str], dict[str, Any]]:
    """Every failure a reader would see on the page, and a summary for the report.

    ``path`` is the notebook as served (its ``raises-exception`` tags allow an error output).
    """
    failures: list[str] = []
    tags = harness.code_cell_tags(path)

    def allowed(problem: dict[str, Any]) -> bool:
        cell = problem.get("cell", -1)
        return 0 <= cell < len(tags) and "raises-exception" in tags[cell]

    for problem in seen["problems"]:
        if not allowed(problem):
            cell = f"code cell {problem['cell'] + 1}" if problem.get("cell", -1) >= 0 else "page"
            text = problem["text"].strip()
            if problem["kind"] == "widget error":  # the widget's own message is in the console
                text += "\nbrowser console: " + " | ".join(page.lg_console_errors[-3:])
            failures.append(f"{problem['kind']} ({cell}):\n{text}")
    if expected.errors:
        failures.append(f"nbclient run raised: {expected.errors}")

    charts = seen["charts"]
    for chart in charts:
        if not chart["drawn"]:
            name = chart.get("title") or chart["kind"]
            failures.append(f"chart not drawn ({chart['why']}): {name}")
    drawn = sum(c["drawn"] for c in charts)
    if drawn < expected.charts:
        failures.append(f"{drawn} charts drawn; executing the notebook produced {expected.charts}")
    views = seen["widgetViews"]
    if len(views) < expected.widget_views:
        failures.append(
            f"{len(views)} widgets rendered, but the notebook displays {expected.widget_views}"
        )
    for view in views:
        if not (view["width"] and view["height"]):
            failures.append(f"widget rendered with no size: {view['text']!r}")
    if seen["icons"]["missing"]:
        failures.append("widget icons not drawn:\n" + "\n".join(seen["icons"]["missing"]))

    summary = {
        "where": where,
        "charts_drawn": drawn,
        "charts_expected": expected.charts,
        "widgets_rendered": len(views),
        "widgets_expected": expected.widget_views,
        "panels_expected": expected.panels,
        "nbclient_seconds": expected.seconds,
        "cjk": seen["cjk"],
    }
    return failures, summary


def network_and_script_failures(
    page: Any, guard: harness.NetworkGuard
) -> tuple[list[str], list[str]]:
    """Requests beyond loopback and uncaught script errors since the page opened.

    No request may leave loopback, not even one the page could do without: behind a firewall
    that drops packets, a style sheet from a CDN keeps the whole page blank until it times out
    (why the apps use the lg-app template). Widget icons come from Voilà's own copy of Font
    Awesome; the icon check in ``check_page`` fails if one has no font.

    Returns the failures and every blocked URL (for the report).
    """
    failures = []
    blocked = guard.for_page(page)
    if blocked:
        failures.append("the page asked the internet for:\n" + "\n".join(sorted(set(blocked))))
    if page.lg_page_errors:
        failures.append("uncaught script errors:\n" + "\n".join(page.lg_page_errors))
    return failures, blocked


def docs_image_problem(seen: dict[str, Any]) -> str | None:
    """Why a screenshot of this page must not go into docs/images, or None."""
    if seen["cjk"]["fontMissing"]:
        return (
            f"docs/images not refreshed: the charts contain Chinese ({seen['cjk']['chars']}) and "
            "this machine has no CJK font, so they would show empty boxes "
            "(apt-get install fonts-noto-cjk, or fonts-wqy-microhei)"
        )
    return None


def drive_panels(
    page: Any, expected: harness.Expected
) -> tuple[list[str], dict[str, list[dict[str, Any]]]]:
    """Move every slider of every panel once with the keyboard; check what follows.

    Every slider must move and change something the reader sees (chart or summary), without
    the panel refusing the value; in each panel, at least one slider must both redraw the
    chart and update the summary.
    """
    failures: list[str] = []
    found = harness.find_panels(page)
    if len(found) < expected.panels:
        failures.append(f"{len(found)} panels with sliders; the notebook shows {expected.panels}")
    moves: dict[str, list[dict[str, Any]]] = {}
    for panel in found:
        name = panel["title"] or f"panel {panel['index'] + 1}"
        if name in moves:
            name = f"{name} ({panel['index'] + 1})"
        if not panel["charts"]:
            continue  # sliders without a chart (e.g. a plain control) are not a panel
        results = [harness.move_slider(page, panel, k) for k in range(panel["sliders"])]
        for move in results:
            what = f"{name}: {move.control} ({move.key}, {move.value_before}→{move.value_after})"
            if not move.moved:
                failures.append(f"{what}: the slider did not move")
            elif move.refused:
                failures.append(f"{what}: the panel refused the value: {move.refused}")
            elif move.chart_ms is None and move.summary_ms is None:
                failures.append(f"{what}: neither the chart nor the summary changed")
        if not any(m.chart_ms is not None and m.summary_ms is not None for m in results):
            failures.append(f"{name}: no slider both redrew the chart and updated the summary")
        moves[name] = [m.__dict__ for m in results]
    return failures, moves


#: In-page function (a JavaScript expression): the smallest chart text under a CSS selector as
#: rendered, each text's font size times its SVG's drawn scale; ``{smallest, where}``.
SMALLEST_CHART_TEXT = """(selector) => {
  let smallest = Infinity, where = '';
  document.querySelectorAll(selector).forEach((svg) => {
    const box = svg.getBoundingClientRect();
    const natural = (svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width) ||
        parseFloat(svg.getAttribute('width')) || box.width;
    if (!box.width || !natural) return;
    const scale = box.width / natural;
    svg.querySelectorAll('text').forEach((t) => {
      if (!t.textContent.trim()) return;
      const size = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (size < smallest) {
        smallest = size;
        where = (svg.getAttribute('aria-label') || '').slice(0, 60) + ': ' +
            t.textContent.slice(0, 30);
      }
    });
  });
  return {smallest, where};
}"""

#: Smallest chart text and sideways scrolling in the notebook column, as rendered.
_FIT = (
    """() => {
  let {smallest, where} = ("""
    + SMALLEST_CHART_TEXT
    + """)('.jp-Notebook figure.lg-figure svg');
  const column = document.querySelector('.jp-NotebookPanel .jp-Notebook');
  // Wider than its box: scrolls sideways, or is cut off at the column's edge (a widget's HTML
  // hides what overflows).
  const wide = [...document.querySelectorAll(
      '.jp-Notebook .jp-OutputArea-output, .jp-Notebook figure.lg-figure, .jp-Notebook table, ' +
      '.jp-Notebook .widget-html-content')]
    .filter((e) => e.getClientRects().length && e.scrollWidth > e.clientWidth + 1)
    .map((e) => (e.querySelector('th') || e).textContent.trim().slice(0, 40) +
        ` (${e.scrollWidth} px in ${e.clientWidth})`)
    .concat([...document.querySelectorAll('.jp-Notebook figure.lg-figure svg')].map((svg) => {
      const area = svg.closest('.jp-OutputArea-output');
      const box = svg.getBoundingClientRect(), edge = area && area.getBoundingClientRect();
      if (!edge || box.right <= edge.right + 1) return null;
      const title = svg.getAttribute('aria-label') || svg.textContent.trim();
      return `chart "${title.slice(0, 50)}" is ${Math.round(box.width)} px wide, cut off at ` +
          `the ${Math.round(edge.width)}-px column`;
    }).filter(Boolean));
  const area = document.querySelector('.jp-Notebook .jp-OutputArea-output');
  return {smallest: smallest === Infinity ? null : smallest, where,
          column: area ? area.clientWidth : (column ? column.clientWidth : null),
          wide: [...new Set(wide)].slice(0, 5)};
}"""
)

#: The smallest chart text a projector may show at 1280x720, in CSS pixels (issue 15).
MIN_CHART_TEXT = 12.0


def fit_failures(page: Any) -> tuple[list[str], dict[str, Any]]:
    """At 1280x720: chart text below 12 px, and anything that scrolls sideways in the column."""
    viewport = page.viewport_size
    page.set_viewport_size({"width": 1280, "height": 720})
    try:
        page.wait_for_timeout(300)
        seen = page.evaluate(_FIT)
    finally:
        page.set_viewport_size(viewport)
    failures = []
    if seen["smallest"] is not None and seen["smallest"] < MIN_CHART_TEXT:
        failures.append(
            f"chart text renders at {seen['smallest']:.1f} px in a {seen['column']}-px column "
            f"at 1280x720 (at least {MIN_CHART_TEXT:g}): {seen['where']}"
        )
    failures += [f"scrolls sideways in the notebook column at 1280x720: {w}" for w in seen["wide"]]
    return failures, seen
