"""Fixtures for the browser tests: one JupyterLab, one Voilà (started when an app exists), one
headless system Chromium with no route to the internet, and a page per notebook.

Without ``/usr/bin/chromium`` (or Playwright) the tests skip locally, saying how to install it;
with ``CI`` set to a true value they fail instead, so CI can never pass by skipping them.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import harness
import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-docs-images",
        action="store_true",
        default=False,
        help="also refresh the README's screenshots in docs/images/ (see `make screenshots`)",
    )


def _missing() -> str | None:
    """Why the browser tests cannot run here, or None if they can."""
    if not os.access(harness.CHROMIUM, os.X_OK):
        return f"Chromium not found at {harness.CHROMIUM}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright's Python package is missing (pip install -r requirements-test.txt)"
    return None


@pytest.fixture(scope="session")
def chromium() -> Path:
    """The system Chromium; skip (locally) or fail (CI) if it is not installed."""
    problem = _missing()
    if problem and harness.ci():
        pytest.fail(
            f"{problem}. CI=true, so the browser tests fail instead of skipping: "
            f"{harness.INSTALL_HINT}.",
            pytrace=False,
        )
    if problem:
        pytest.skip(f"{problem}; {harness.INSTALL_HINT} to run the browser tests")
    return harness.CHROMIUM


@pytest.fixture(scope="session")
def sandbox(chromium: Path) -> Iterator[harness.Sandbox]:
    """A temporary copy of notebooks/ and private Jupyter folders (removed afterwards)."""
    base = Path(tempfile.mkdtemp(prefix="lg-browser-"))
    try:
        yield harness.Sandbox(base)
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def lab(sandbox: harness.Sandbox) -> Iterator[harness.Server]:
    server = harness.start_lab(sandbox)
    try:
        yield server
    finally:
        server.stop()


class LazyVoila:
    """Voilà is started by the first app test that needs it, and stopped at the end."""

    def __init__(self, sandbox: harness.Sandbox) -> None:
        self.sandbox = sandbox
        self.server: harness.Server | None = None

    def get(self) -> harness.Server:
        if self.server is None:
            self.server = harness.start_voila(self.sandbox)
        return self.server

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()


@pytest.fixture(scope="session")
def voila(sandbox: harness.Sandbox) -> Iterator[LazyVoila]:
    lazy = LazyVoila(sandbox)
    try:
        yield lazy
    finally:
        lazy.stop()


class Expectations:
    """Each notebook executed headless with nbclient, in the background, one at a time.

    The counts say how many charts, widgets and panels the browser must show at least.
    Each run is a subprocess (its kernel in the sandbox), so it overlaps the browser work.
    """

    def __init__(self, sandbox: harness.Sandbox, paths: list[Path]) -> None:
        self.sandbox = sandbox
        self.workdir = sandbox.base / "nbclient"
        shutil.copytree(harness.NOTEBOOKS, self.workdir)
        self.running: set[subprocess.Popen[str]] = set()
        self.lock = threading.Lock()
        self.closed = False
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        self.futures = {p.name: self.pool.submit(self._run, p.name) for p in paths}

    def _run(self, name: str) -> harness.Expected:
        notebook = str(self.workdir / name)
        argv = [sys.executable, harness.__file__, "expect", notebook, str(self.workdir)]
        with self.lock:
            if self.closed:
                raise RuntimeError("session is ending")
            proc = subprocess.Popen(
                argv,
                cwd=self.workdir,
                env=self.sandbox.env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                start_new_session=True,
                preexec_fn=harness.die_with_parent,
            )
            self.running.add(proc)
        try:
            out, err = proc.communicate(timeout=900)
        except subprocess.TimeoutExpired:
            harness.end_process_tree(proc)
            raise RuntimeError(f"nbclient did not finish {name} within 15 minutes") from None
        finally:
            with self.lock:
                self.running.discard(proc)
        if proc.returncode != 0:
            raise RuntimeError(f"nbclient could not run {name}:\n{err[-3000:]}")
        return harness.Expected.from_json(out.strip().splitlines()[-1])

    def get(self, path: Path) -> harness.Expected:
        future = self.futures.get(path.name) or self.pool.submit(self._run, path.name)
        return future.result()

    def close(self) -> None:
        with self.lock:
            self.closed = True
            running = list(self.running)
        for future in self.futures.values():
            future.cancel()
        for proc in running:
            harness.end_process_tree(proc)
        self.pool.shutdown(wait=True)


@pytest.fixture(scope="session")
def expectations(
    sandbox: harness.Sandbox, request: pytest.FixtureRequest
) -> Iterator[Expectations]:
    """Headless runs of the notebooks this session tests, in the order the tests need them."""
    wanted: list[Path] = []
    for item in request.session.items:
        params = getattr(item, "callspec", None)
        params = params.params if params else {}
        path = params.get("path") or (
            harness.app_notebook(params["number"]) if "number" in params else None
        )
        if path is not None and path not in wanted and (sandbox.notebooks / path.name).exists():
            wanted.append(path)
    found = Expectations(sandbox, wanted)
    try:
        yield found
    finally:
        found.close()


@pytest.fixture(scope="session")
def browser(sandbox: harness.Sandbox) -> Iterator[tuple[Any, harness.NetworkGuard]]:
    """One Chromium for the session: fresh profile, network guard on every page."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        profile = sandbox.base / "chromium-profile"
        with harness.browser_context(playwright, profile) as (context, guard):
            yield context, guard


@pytest.fixture
def page(browser: tuple[Any, harness.NetworkGuard]) -> Iterator[Any]:
    """A new page; it records uncaught script errors and console errors."""
    page = harness.new_page(browser[0])
    try:
        yield page
    finally:
        with contextlib.suppress(Exception):
            page.close()


class LabPages:
    """JupyterLab pages, one per notebook; the next notebook's page loads in the background.

    Loading JupyterLab takes seconds of browser time, and so does starting a kernel, while
    the current notebook mostly waits for its own kernel: overlapping them shortens the run.
    """

    def __init__(self, context: Any, lab: harness.Server) -> None:
        self.context, self.lab = context, lab
        self.loading: dict[str, Any] = {}

    def take(self, path: Path) -> Any:
        """The page for ``path`` (already loading, or a new blank one)."""
        return self.loading.pop(path.name, None) or harness.new_page(self.context)

    def preload(self, path: Path) -> None:
        """Start the kernel and the page for ``path`` now, to be taken later."""
        self.lab.start_kernel_for(f"notebooks/{path.name}")
        if path.name not in self.loading:
            self.loading[path.name] = harness.preload_in_lab(self.context, self.lab, path.name)

    def close(self) -> None:
        for page in self.loading.values():
            with contextlib.suppress(Exception):
                page.close()


@pytest.fixture(scope="session")
def lab_pages(browser: tuple[Any, harness.NetworkGuard], lab: harness.Server) -> Iterator[LabPages]:
    pages = LabPages(browser[0], lab)
    try:
        yield pages
    finally:
        pages.close()


@pytest.fixture(scope="session")
def report() -> Iterator[dict[str, Any]]:
    """What the tests saw (per notebook and app), written to build/browser/report.json."""
    found: dict[str, Any] = {}
    yield found
    _REPORT.update(found)
    if found:
        out = harness.ROOT / "build" / "browser" / "report.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(found, indent=2, default=str), encoding="utf-8")


_REPORT: dict[str, Any] = {}


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Median input → redraw per panel (informative: timing is reported, never asserted)."""
    rows = []
    for where, seen in _REPORT.items():
        for panel, moves in seen.get("panels", {}).items():
            chart = [m["chart_ms"] for m in moves if m["chart_ms"] is not None]
            summary = [m["summary_ms"] for m in moves if m["summary_ms"] is not None]
            rows.append((where, panel, len(moves), _median(chart), _median(summary)))
    if not _REPORT:
        return
    write = terminalreporter.write_line
    terminalreporter.section("browser: input → redraw (one key press per slider; median)")
    if not rows:
        write("no interactive panels found")
    for where, panel, n, chart, summary in rows:
        write(f"{where:<42} {panel[:40]:<40} {n:>2} moves  chart {chart}  summary {summary}")
    blocked = sum(len(seen.get("blocked", [])) for seen in _REPORT.values())
    write(f"requests to the internet blocked: {blocked}; screenshots in build/screenshots/")
    partial = [
        f"{where} {m['control']} ({'chart' if m['chart_ms'] is not None else 'summary'} only)"
        for where, seen in _REPORT.items()
        for moves in seen.get("panels", {}).values()
        for m in moves
        if (m["chart_ms"] is None) != (m["summary_ms"] is None)
    ]
    if partial:
        write("sliders that changed the chart or the summary but not both (allowed):")
        for line in partial:
            write(f"  {line}")
    tofu = sorted(w for w, seen in _REPORT.items() if seen.get("cjk", {}).get("fontMissing"))
    if tofu:
        write(
            "note: Chinese characters in charts show as empty boxes in this browser (no CJK "
            f"font; apt-get install fonts-noto-cjk): {', '.join(tofu)}"
        )


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):7.0f} ms" if values else "      —   "
