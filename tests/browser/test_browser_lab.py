"""Every notebook in JupyterLab, as a reader sees it: run all, then look and move the sliders."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import checks
import harness
import pytest

pytestmark = pytest.mark.browser

#: The README's picture of the start notebook's first chart (`make screenshots`).
START_CHART = "start-here-chart.png"


NOTEBOOKS = harness.discover_notebooks()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_in_jupyterlab(
    path: Path,
    lab: harness.Server,
    sandbox: harness.Sandbox,
    lab_pages: Any,
    browser: tuple[Any, harness.NetworkGuard],
    expectations: Any,
    report: dict[str, Any],
    request: pytest.FixtureRequest,
) -> None:
    _, guard = browser
    clock = harness.Stopwatch()
    here = f"notebooks/{path.name}"
    lab.start_kernel_for(here)  # JupyterLab connects to this notebook's running session
    page = lab_pages.take(path)
    try:
        harness.open_in_lab(page, lab, path.name)
        clock.lap("open")
        cells = page.locator(".jp-Notebook .jp-Cell").count()
        copy = sandbox.notebooks / path.name  # what the server serves (taken at session start)
        assert cells == len(json.loads(copy.read_text(encoding="utf-8"))["cells"]), (
            f"{cells} cells in the page: JupyterLab's windowing is not off"
        )
        # While this notebook runs, the next one's kernel starts and its page loads.
        for following in NOTEBOOKS[NOTEBOOKS.index(path) + 1 :][:1]:
            lab_pages.preload(following)
        page.bring_to_front()  # the page a reader looks at is never a background tab
        not_run = harness.run_all_in_lab(page)
        clock.lap("run all")
        expected = expectations.get(path)
        clock.lap("nbclient wait")
        seen = harness.wait_until_shown(page, expected)
        clock.lap("shown")
        failures, summary = checks.check_page("lab", copy, page, seen, expected, guard)
        if not_run:
            cells = ", ".join(str(i + 1) for i in not_run)
            failures.insert(0, f"Run All stopped early: code cells {cells} never ran")
        docs = request.config.getoption("--update-docs-images")
        failures += _screenshot(page, path, seen, docs)
        fit, summary["fit"] = checks.fit_failures(page)  # chart text, sideways scroll (1280 px)
        failures += fit
        clock.lap("screenshot")
        moves_failures, moves = checks.drive_panels(page, expected)
        clock.lap("sliders")
        failures += moves_failures
        # Moving sliders must not break anything either (errors, refused values, requests).
        after = harness.inspect(page)
        failures += [f"after moving sliders: {f}" for f in _new(after, seen)]
        late, summary["blocked"] = checks.network_and_script_failures(page, guard)
        failures += late
        summary["panels"] = moves
        summary["seconds"] = clock.laps
        report[f"lab/{path.stem}"] = summary
    finally:
        with contextlib.suppress(Exception):
            page.close()
        lab.shutdown_kernels(here)
    assert not failures, f"{path.name} in JupyterLab:\n- " + "\n- ".join(failures)


def _new(after: dict[str, Any], before: dict[str, Any]) -> list[str]:
    old = {p["text"] for p in before["problems"]}
    return [f"{p['kind']}: {p['text'][:600]}" for p in after["problems"] if p["text"] not in old]


def _screenshot(page: Any, path: Path, seen: dict[str, Any], docs: bool) -> list[str]:
    """The notebook's first panel (else its first chart) into build/screenshots; with
    ``docs``, the start notebook's first chart into docs/images. Returns failures."""
    harness.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    harness.find_panels(page)
    for selector in ('[data-lg-panel="0"]', "figure.lg-figure"):
        target = page.locator(selector).first
        if target.count():
            target.scroll_into_view_if_needed()
            break
    page.screenshot(path=harness.SCREENSHOTS / f"lab-{path.stem}.png")
    chart = page.locator("figure.lg-figure").first
    if not (docs and path.name.startswith("00_") and chart.count()):
        return []
    problem = checks.docs_image_problem(seen)
    if problem:
        return [problem]
    harness.element_screenshot(page, "figure.lg-figure", harness.DOCS_IMAGES / START_CHART)
    return []
