"""The timeline explorer of notebook 02 as a live chart, in a real browser (issue 13).

Notebook 02 is opened in JupyterLab, offline, and run. Then:

- the explorer's chart is a live chart, built once; a key press on its date range redraws
  it through a data update (its build count stays 1 while its update count grows), the
  title follows the new range, and the summary under the controls says the same;
- the live chart and the static SVG (vl-convert, same compiled spec) of the explorer at the
  notebook's settings show the same title, subtitle and marks (the dots' ARIA labels, which
  carry their hover values);
- the figure fits the JupyterLab column without shrinking.
"""

from __future__ import annotations

from typing import Any

import checks
import harness
import pytest
from test_live_panels import _STATE, _marks, _svg_parts

pytestmark = pytest.mark.browser

NOTEBOOK = "02"
TITLE = "Explore the timeline"

#: The explorer's live chart: its panel holds the heading TITLE.
_TIMELINE = f"""() => {{
  const panel = [...document.querySelectorAll('.lg-panel')]
    .find((p) => (p.querySelector('h3') || {{}}).textContent === {TITLE!r});
  const chart = panel && panel.querySelector('.lg-live-chart');
  if (!chart) return null;
  const svg = chart.querySelector('svg');
  return {{index: [...document.querySelectorAll('.lg-live-chart')].indexOf(chart),
          width: svg ? Math.round(svg.getBoundingClientRect().width) : 0,
          natural: svg ? Number(svg.getAttribute('width')) : 0,
          column: Math.floor(chart.querySelector('figure').clientWidth)}};
}}"""


def _explorer_at_the_notebook_s_settings() -> Any:
    """The explorer as notebook 02 leaves it: the notebook's own cells, run here."""
    import nbformat

    path = harness.app_notebook(NOTEBOOK)
    cells = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    namespace: dict[str, Any] = {}
    exec(cells[0], namespace)  # the notebook's imports
    for source in cells:
        if "explorer" in source and "explorer.events" not in source:
            exec(source, namespace)
    return namespace["explorer"]


def _timeline_chart(page: Any) -> dict[str, Any]:
    found = page.evaluate(_TIMELINE)
    assert found is not None, "no live chart in the timeline explorer's panel"
    return {**page.evaluate(_STATE)[found["index"]], **found}


def test_the_timeline_is_a_live_chart_redrawn_by_data_updates(
    lab: harness.Server, sandbox: harness.Sandbox, page: Any
) -> None:
    path = checks.notebook_or_skip(NOTEBOOK)
    not_run = harness.run_in_lab(page, lab, path)
    assert not not_run, f"cells that did not run: {not_run}"
    page.wait_for_function(f"() => ({_TIMELINE})() && ({_TIMELINE})().width > 0", timeout=60_000)
    page.wait_for_timeout(1500)
    failures: list[str] = []

    # the live chart and the static SVG of the same settings: same words and marks
    before = _timeline_chart(page)
    static = _svg_parts(_explorer_at_the_notebook_s_settings().chart_view.figure_html())
    for part in ("title", "subtitle"):
        if before[part] != static[part]:
            failures.append(f"live and static {part} differ: {before[part]} vs {static[part]}")
    live_marks = _marks(before["marks"])
    if not live_marks or live_marks != static["marks"]:
        failures.append(
            f"live and static marks differ ({len(live_marks)} vs {len(static['marks'])}): "
            f"{sorted(set(live_marks) ^ set(static['marks']))[:3]}"
        )
    if before["builds"] != 1:
        failures.append(f"the chart was built {before['builds']} times (expected once)")
    # laid out for its column (the live view fits the plot to it), never scaled down
    if not 0 < before["width"] <= before["column"] or before["width"] < before["natural"]:
        failures.append(
            f"the chart is {before['width']} px wide in a {before['column']}-px column, "
            f"drawn {before['natural']} px"
        )

    # a key press on the date range: a data update, not a new spec
    panel = next(p for p in harness.find_panels(page) if p["title"] == TITLE)
    move = harness.move_slider(page, panel, 0)
    page.wait_for_timeout(1500)
    after = _timeline_chart(page)
    if not move.moved:
        failures.append(f"the date range did not move ({move})")
    if move.chart_ms is None:
        failures.append("the chart did not change after a key press")
    if after["builds"] != 1:
        failures.append(f"a move rebuilt the chart ({after['builds']} builds): a new spec")
    if after["updates"] <= before["updates"]:
        failures.append(f"a move did not update the chart's data ({after['updates']} updates)")
    if after["title"] == before["title"]:
        failures.append(f"the title did not follow the new range: {after['title']!r}")
    page.locator(".lg-panel .lg-live-chart").first.scroll_into_view_if_needed()
    page.screenshot(path=str(harness.SCREENSHOTS / "timeline-live-lab-02.png"))
    harness.element_screenshot(
        page, ".lg-panel .lg-live-chart", harness.SCREENSHOTS / "timeline-live-chart-02.png"
    )
    lab.shutdown_kernels()
    assert not failures, "\n- ".join(["the timeline explorer in JupyterLab:", *failures])
