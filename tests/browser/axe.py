"""axe-core in the browser tests: the npm package pinned in package.json / package-lock.json.

``npm ci`` (run by ``.ci/run`` and ``make env``) installs it into ``node_modules/``; nothing is
fetched while the tests run. Without it the accessibility tests skip locally, saying how to
install it, and fail in CI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import harness
import pytest

AXE_JS = harness.ROOT / "node_modules" / "axe-core" / "axe.min.js"
INSTALL_HINT = "run `npm ci` in the repository root (installs axe-core from package-lock.json)"
#: Impacts that fail a page: "serious" and "critical" (axe's own scale).
FAILING = ("serious", "critical")


def source() -> str:
    """axe-core's script; skip (locally) or fail (CI) if it is not installed."""
    if not AXE_JS.is_file():
        message = f"axe-core not installed at {AXE_JS}: {INSTALL_HINT}"
        if harness.ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return AXE_JS.read_text(encoding="utf-8")


def violations(page: Any, context: str = "document") -> list[dict[str, Any]]:
    """Serious and critical axe violations on the page: rule, impact, count, first examples."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=source())
    found = page.evaluate(
        """async (context) => {
            const target = context === 'document' ? document : document.querySelector(context);
            const result = await axe.run(target, {resultTypes: ['violations']});
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
                examples: v.nodes.slice(0, 3).map((n) => n.html.slice(0, 160)),
            }));
        }""",
        context,
    )
    return [v for v in found if v["impact"] in FAILING]


def describe(found: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"axe {v['id']} ({v['impact']}, {v['count']}x): {v['help']}; e.g. {v['examples'][0]}"
        for v in found
    )


def installed() -> bool:
    return Path(AXE_JS).is_file()
