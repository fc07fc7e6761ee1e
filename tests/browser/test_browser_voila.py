"""The interactive notebooks as Voilà apps: code hidden, charts drawn, panels that respond."""

from __future__ import annotations

from typing import Any

import checks
import harness
import pytest

pytestmark = pytest.mark.browser

#: The README's picture of an app's first panel: the explorer (03), else the simulation (04).
APP_PANEL = "app-panel.png"


@pytest.mark.parametrize("number", harness.APP_NUMBERS)
def test_app_in_voila(
    number: str,
    voila: Any,
    sandbox: harness.Sandbox,
    page: Any,
    browser: tuple[Any, harness.NetworkGuard],
    expectations: Any,
    report: dict[str, Any],
    request: pytest.FixtureRequest,
) -> None:
    path = checks.notebook_or_skip(number, sandbox)
    _, guard = browser
    clock = harness.Stopwatch()
    server = voila.get()
    clock.lap("start voila")
    harness.open_app(page, server, path.name)
    clock.lap("open")
    expected = expectations.get(path)
    clock.lap("nbclient wait")
    seen = harness.wait_until_shown(page, expected)
    clock.lap("shown")
    copy = sandbox.notebooks / path.name  # what Voilà serves (taken at session start)
    failures, summary = checks.check_page("voila", copy, page, seen, expected, guard)
    code = harness.visible_code(page)
    if code:
        failures.append(f"{len(code)} code inputs visible in the app, e.g. {code[0]!r}")
    panels = harness.find_panels(page)
    if not panels:
        failures.append("the app shows no panel with sliders")
    shot = harness.SCREENSHOTS / f"app-{path.stem}.png"
    if panels:  # the app's first panel, whole (Voilà scrolls inside the page: no full-page shot)
        harness.element_screenshot(page, '[data-lg-panel="0"]', shot)
    else:
        page.screenshot(path=shot)
    if request.config.getoption("--update-docs-images") and panels and _first_app(number):
        problem = checks.docs_image_problem(seen)
        if problem:
            failures.append(problem)
        else:
            panel = '[data-lg-panel="0"]'
            harness.element_screenshot(page, panel, harness.DOCS_IMAGES / APP_PANEL)
    moves_failures, moves = checks.drive_panels(page, expected)
    clock.lap("sliders")
    failures += moves_failures
    late, summary["blocked"] = checks.network_and_script_failures(page, guard)
    failures += late
    summary["panels"] = moves
    summary["seconds"] = clock.laps
    report[f"voila/{path.stem}"] = summary
    assert not failures, f"{path.name} in Voilà:\n- " + "\n- ".join(failures)


def _first_app(number: str) -> bool:
    """True for the first app that exists (the one whose panel the README shows)."""
    existing = [n for n in harness.APP_NUMBERS if harness.app_notebook(n) is not None]
    return bool(existing) and existing[0] == number
