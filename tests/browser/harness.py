"""Machinery shared by the browser tests and ``benchmarks/browser_latency.py``.

It starts JupyterLab and Voilà from the project's environment in a throw-away sandbox (a copy
of ``notebooks/``, its own Jupyter config, data, runtime and settings folders), launches the
system Chromium with no route to the internet, and drives pages as a reader would.
Nothing here writes to the repository except screenshots under ``build/`` and ``docs/images/``.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
SCREENSHOTS = ROOT / "build" / "screenshots"
DOCS_IMAGES = ROOT / "docs" / "images"
#: The system Chromium (Debian/Ubuntu package); never a downloaded browser.
CHROMIUM = Path(os.environ.get("LG_CHROMIUM", "/usr/bin/chromium"))
INSTALL_HINT = "install it with `apt-get install chromium` (Debian/Ubuntu)"

#: Notebooks that also run as Voilà apps, by number; an app whose notebook is missing is skipped.
APP_NUMBERS = ("03", "04")

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}

#: Flags for a headless Chromium with no route to the internet: no background fetches, every
#: host name except loopback resolving to nothing, and a proxy no one answers for everything
#: else (an address typed as numbers); Chromium never sends loopback through a proxy.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-crash-reporter",
    "--disable-breakpad",
    "--proxy-server=http://127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]

#: The test's own JupyterLab settings: every cell in the page (no windowing), no autosave,
#: no news or update checks.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {
        "windowingMode": "none",
        "autoStartDefaultKernel": True,
    },
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}


def ci() -> bool:
    """True when the ``CI`` environment variable is set to a true value (as CI services do)."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def discover_notebooks() -> list[Path]:
    """Every notebook in ``notebooks/``, in order; new ones are picked up on the next run."""
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def app_notebook(number: str) -> Path | None:
    """The notebook numbered ``number`` (e.g. ``"03"``), or None if it does not exist yet."""
    found = sorted(NOTEBOOKS.glob(f"{number}_*.ipynb"))
    return found[0] if found else None


def free_port() -> int:
    """A TCP port that is free on the loopback interface right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def is_loopback(url: str) -> bool:
    """True for ``http(s)``/``ws(s)`` URLs on loopback, for the browser's own schemes and for
    local files (a handout or deck opened from disk, as a teacher opens it)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme in {"data", "blob", "about", "chrome", "devtools", "file"}:
        return True
    return (parts.hostname or "") in LOOPBACK_HOSTS


def die_with_parent() -> None:
    """In a child process (``preexec_fn``): get SIGTERM if the process that started it dies.

    The servers run in sessions of their own (so that their whole group can be stopped), out
    of reach of a signal to the test run's group: if the test run is killed before its
    finalizers run, this still stops them (and a stopped Jupyter server stops its kernels).
    """
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Stopwatch:
    """Seconds spent in each phase of a test, for the report."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.monotonic()

    def lap(self, name: str) -> None:
        now = time.monotonic()
        self.laps[name] = round(now - self._last, 1)
        self._last = now


# --- the sandbox ------------------------------------------------------------------------------
@dataclass
class Sandbox:
    """A temporary copy of the notebooks and Jupyter folders that the servers may write to."""

    base: Path
    root: Path = field(init=False)
    notebooks: Path = field(init=False)
    settings: Path = field(init=False)
    env: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.root = self.base / "root"
        self.notebooks = self.root / "notebooks"
        shutil.copytree(
            NOTEBOOKS, self.notebooks, ignore=shutil.ignore_patterns(".ipynb_checkpoints")
        )
        for config in ("voila.json", "voila.py"):  # Voilà reads these from its working folder
            if (ROOT / config).is_file():
                shutil.copy(ROOT / config, self.root / config)
        self.settings = self.base / "lab-settings"
        for plugin, values in LAB_SETTINGS.items():
            path = self.settings / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")
        folders = {
            "JUPYTER_CONFIG_DIR": "jupyter-config",
            "JUPYTER_DATA_DIR": "jupyter-data",
            "JUPYTER_RUNTIME_DIR": "jupyter-runtime",
            "IPYTHONDIR": "ipython",
        }
        env = dict(os.environ)
        for name, folder in folders.items():
            (self.base / folder).mkdir()
            env[name] = str(self.base / folder)
        # Kernels import `explainer` from this checkout, whatever their working folder.
        env["PYTHONPATH"] = os.pathsep.join(
            [str(ROOT), *[p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]]
        )
        # The classroom's Voilà templates (lg-app, which voila.json names, and lg-slides), found
        # as `make app` finds them; Binder installs them into the environment instead.
        env["JUPYTER_PATH"] = os.pathsep.join(
            [
                str(ROOT / "classroom" / "jupyter"),
                *[p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p],
            ]
        )
        env["JUPYTER_PLATFORM_DIRS"] = "1"
        env["PYTHONWARNINGS"] = "ignore"  # the servers' own deprecation noise is not under test
        for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
            env.pop(proxy, None)
        env["no_proxy"] = env["NO_PROXY"] = "127.0.0.1,localhost"
        self.env = env


# --- servers ----------------------------------------------------------------------------------
class Server:
    """A Jupyter server process in its own process group, stopped with everything it started."""

    def __init__(self, name: str, argv: list[str], sandbox: Sandbox, port: int, token: str):
        self.name, self.argv, self.sandbox = name, argv, sandbox
        self.port, self.token = port, token
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = sandbox.base / f"{name}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.started = 0.0

    def start(self, probe: str, timeout: float = 90.0) -> Server:
        """Start the process and wait until ``probe`` (a path) answers with a status below 400."""
        self.started = time.monotonic()
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                self.argv,
                cwd=self.sandbox.root,
                env=self.sandbox.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=die_with_parent,
            )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        request = urllib.request.Request(
            self.url + probe, headers={"Authorization": f"token {self.token}"}
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}:\n{self.log()}")
            with contextlib.suppress(OSError), opener.open(request, timeout=5) as response:
                if response.status < 400:
                    return self
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {timeout:.0f} s:\n{self.log()}")

    def log(self, last: int = 4000) -> str:
        """The tail of the server's log (stdout and stderr)."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-last:]
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop the server's process group and any kernel it started (kernels run detached)."""
        if self.proc is not None:
            end_process_tree(self.proc)
            self.proc = None

    def api(self, method: str, path: str, body: Any = None) -> Any:
        """Call the server's REST API with the token; return the decoded JSON (or None)."""
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        request = urllib.request.Request(
            self.url + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with opener.open(request, timeout=60) as response:
            data = response.read()
        return json.loads(data) if data else None

    def start_kernel_for(self, notebook: str) -> None:
        """Start a kernel session for ``notebook`` (a path under the root) ahead of opening it.

        JupyterLab connects to an existing session for the path it opens, so starting the
        next notebook's kernel early overlaps its start-up with the current test.
        """
        if any(s["path"] == notebook for s in self.api("GET", "/api/sessions")):
            return
        body = {
            "path": notebook,
            "name": Path(notebook).name,
            "type": "notebook",
            "kernel": {"name": "python3"},
        }
        self.api("POST", "/api/sessions", body)

    def shutdown_kernels(self, notebook: str | None = None) -> None:
        """Shut down the kernel sessions of ``notebook`` (all if None); pages leave them running."""
        with contextlib.suppress(OSError, ValueError):
            for session in self.api("GET", "/api/sessions"):
                if notebook is None or session["path"] == notebook:
                    with contextlib.suppress(OSError):
                        self.api("DELETE", f"/api/sessions/{session['id']}")


def end_process_tree(proc: subprocess.Popen[Any], grace: float = 15.0) -> None:
    """End a process started with ``start_new_session=True``, its group and its descendants.

    Jupyter starts kernels in sessions of their own, so killing the group is not enough:
    the descendants are listed first and ended after the group has had ``grace`` seconds to
    shut them down itself.
    """
    descendants: list[Any] = []
    with contextlib.suppress(Exception):
        import psutil

        descendants = psutil.Process(proc.pid).children(recursive=True)
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
    else:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    for child in descendants:
        with contextlib.suppress(Exception):
            if child.is_running():
                child.kill()
                child.wait(5)


def start_lab(sandbox: Sandbox) -> Server:
    """JupyterLab on a free loopback port with a random token, rooted in the sandbox."""
    port, token = free_port(), secrets.token_hex(24)
    argv = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={sandbox.root}",
        "--ServerApp.terminals_enabled=False",
        f"--LabApp.user_settings_dir={sandbox.settings}",
        f"--LabApp.workspaces_dir={sandbox.base / 'lab-workspaces'}",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if os.geteuid() == 0:
        argv.append("--allow-root")
    return Server("jupyterlab", argv, sandbox, port, token).start("/api/status")


def start_voila(sandbox: Sandbox) -> Server:
    """Voilà serving the sandbox's notebooks folder (apps at ``/voila/render/<name>``)."""
    port, token = free_port(), secrets.token_hex(24)
    argv = [
        sys.executable,
        "-m",
        "voila",
        str(sandbox.notebooks),
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        "--Voila.port_retries=0",
        f"--token={token}",
    ]
    return Server("voila", argv, sandbox, port, token).start("/")


# --- the browser ------------------------------------------------------------------------------
@dataclass
class NetworkGuard:
    """Aborts every request that leaves loopback and remembers it, with the page it came from.

    Websockets are watched, not routed: Playwright's websocket routing passes every frame a
    page sends through its own shim in the page, which delayed each widget message by about
    11 ms (measured on 04's panel: key press to kernel busy, 15 ms routed, 4 ms watched). The
    browser's flags keep them offline (`CHROMIUM_ARGS`); the guard names any that tried.
    """

    blocked: list[tuple[Any, str]] = field(default_factory=list)

    def install(self, context: Any) -> None:
        context.route(lambda url: not is_loopback(url), self._abort)
        context.on("page", self._watch)
        for page in context.pages:
            self._watch(page)

    def _watch(self, page: Any) -> None:
        page.on("websocket", lambda socket: self._socket(page, socket.url))

    def _socket(self, page: Any, url: str) -> None:
        if not is_loopback(url):
            self.blocked.append((page, url))

    def _abort(self, route: Any) -> None:
        page = None
        with contextlib.suppress(Exception):  # a service worker's request has no frame
            page = route.request.frame.page
        self.blocked.append((page, route.request.url))
        route.abort("internetdisconnected")

    def for_page(self, page: Any) -> list[str]:
        """Requests blocked for ``page`` (and any that no page could be named for)."""
        return [url for owner, url in self.blocked if owner is page or owner is None]


def new_page(context: Any) -> Any:
    """A page that records its uncaught script errors and console errors."""
    page = context.new_page()
    page.lg_page_errors = []
    page.lg_console_errors = []
    page.on("pageerror", lambda error: page.lg_page_errors.append(str(error)))
    page.on(
        "console",
        lambda m: page.lg_console_errors.append(m.text[:500]) if m.type == "error" else None,
    )
    return page


@contextlib.contextmanager
def browser_context(playwright: Any, user_data_dir: Path) -> Iterator[tuple[Any, NetworkGuard]]:
    """The system Chromium, headless, with a fresh profile and the network guard installed."""
    context = playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 1280, "height": 900},
        device_scale_factor=1,
        service_workers="block",
        accept_downloads=False,
    )
    guard = NetworkGuard()
    try:
        guard.install(context)
        context.set_default_timeout(30_000)
        yield context, guard
    finally:
        context.close()


# --- what a notebook should show: executed headless with nbclient -----------------------------
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
FIGURE_MARK = 'class="lg-figure"'
VEGA_MIMES = ("application/vnd.vegalite", "application/vnd.vega.")


@dataclass
class Expected:
    """What executing a notebook headless produced: the browser must show at least this."""

    charts: int = 0  # figures drawn by the explainer's renderer, plus any Vega output
    widget_views: int = 0  # widgets displayed at the top level of an output
    panels: int = 0  # displayed widgets with a slider and a chart
    errors: list[str] = field(default_factory=list)  # error outputs (outside raises-exception)
    seconds: float = 0.0

    @classmethod
    def from_json(cls, text: str) -> Expected:
        return cls(**json.loads(text))


def count_expected(notebook: dict[str, Any]) -> Expected:
    """Count charts, widget views and panels in an executed notebook (with widget state).

    >>> cell = {"cell_type": "code", "metadata": {}, "outputs": [
    ...     {"output_type": "display_data", "data": {"text/html": '<figure class="lg-figure">'}}]}
    >>> count_expected({"cells": [cell], "metadata": {}}).charts
    1
    """
    state = notebook.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    expected = Expected()

    def model_tree(model_id: str, seen: set[str]) -> tuple[int, bool]:
        """Charts under a widget model, and whether a slider is among its descendants."""
        if model_id in seen or model_id not in state:
            return 0, False
        seen.add(model_id)
        model = state[model_id]
        name, values = model.get("model_name", ""), model.get("state", {})
        charts = 0
        slider = name.endswith("SliderModel")
        if name in {"HTMLModel", "HTMLMathModel"}:
            charts += str(values.get("value", "")).count(FIGURE_MARK)
        if name == "AnyModel" and {"spec", "slots", "words"} <= set(values):
            charts += 1  # a live chart (explainer.widgets.live.LiveChart)
        if name == "OutputModel":
            charts += sum(output_charts(o, seen)[0] for o in values.get("outputs", []))
        for ref in references(values):
            sub_charts, sub_slider = model_tree(ref, seen)
            charts, slider = charts + sub_charts, slider or sub_slider
        return charts, slider

    def output_charts(output: dict[str, Any], seen: set[str]) -> tuple[int, bool]:
        data = output.get("data", {})
        charts = str(data.get("text/html", "")).count(FIGURE_MARK)
        charts += sum(1 for mime in data if mime.startswith(VEGA_MIMES))
        if WIDGET_VIEW in data:
            sub_charts, slider = model_tree(data[WIDGET_VIEW].get("model_id", ""), seen)
            return charts + sub_charts, slider
        return charts, False

    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        allowed = "raises-exception" in cell.get("metadata", {}).get("tags", [])
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and not allowed:
                expected.errors.append(f"{output.get('ename')}: {output.get('evalue')}")
            charts, slider = output_charts(output, set())
            expected.charts += charts
            if WIDGET_VIEW in output.get("data", {}):
                expected.widget_views += 1
                expected.panels += int(slider and charts > 0)
    return expected


def references(value: Any) -> Iterator[str]:
    """Model ids referenced (``IPY_MODEL_<id>``) anywhere in a widget's state."""
    if isinstance(value, str) and value.startswith("IPY_MODEL_"):
        yield value[len("IPY_MODEL_") :]
    elif isinstance(value, dict):
        for item in value.values():
            yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


def execute_headless(path: Path, workdir: Path, timeout: float = 600.0) -> Expected:
    """Run a notebook with nbclient (in this process) in ``workdir`` and count what it shows."""
    import nbformat
    from nbclient import NotebookClient

    started = time.monotonic()
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=int(timeout),
        kernel_name="python3",
        allow_errors=True,
        store_widget_state=True,
        resources={"metadata": {"path": str(workdir)}},
    )
    client.execute()
    expected = count_expected(notebook)
    expected.seconds = round(time.monotonic() - started, 1)
    return expected


def code_cell_tags(path: Path) -> list[list[str]]:
    """The tags of each code cell, in order (to allow errors in ``raises-exception`` cells)."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return [
        list(cell.get("metadata", {}).get("tags", []))
        for cell in notebook["cells"]
        if cell["cell_type"] == "code"
    ]


# --- in the page ------------------------------------------------------------------------------
#: Helpers installed once per page as ``window.__lg`` (see page.js).
JS_LIB = (Path(__file__).parent / "page.js").read_text(encoding="utf-8")


def install_lib(page: Any) -> None:
    page.evaluate(JS_LIB)


def inspect(page: Any) -> dict[str, Any]:
    """Charts (drawn or not), problems shown, widget views and icon fonts in the page."""
    install_lib(page)
    return page.evaluate("() => __lg.inspect()")


def wait_until_shown(page: Any, expected: Expected, timeout: float = 30.0) -> dict[str, Any]:
    """Poll until the page shows what ``expected`` says, an error is on it, or time runs out.

    Returns the last look (see :func:`inspect`).
    """
    deadline = time.monotonic() + timeout
    while True:
        seen = inspect(page)
        drawn = sum(c["drawn"] for c in seen["charts"])
        loading = any("Loading widget" in p["text"] for p in seen["problems"])
        final = any(p["kind"] in {"error output", "widget error"} for p in seen["problems"])
        if (
            (
                drawn >= expected.charts
                and len(seen["widgetViews"]) >= expected.widget_views
                and not loading
            )
            or final
            or time.monotonic() > deadline
        ):
            return seen
        page.wait_for_timeout(250)


@dataclass
class Move:
    """One keyboard move of one slider and what followed it."""

    panel: str
    control: str
    key: str
    value_before: str
    value_after: str
    chart_ms: float | None  # keydown → chart SVG replaced (MutationObserver), in milliseconds
    summary_ms: float | None  # keydown → summary text changed
    refused: str | None  # the panel's "Not possible" message, if it appeared

    @property
    def moved(self) -> bool:
        return self.value_before != self.value_after


def find_panels(page: Any) -> list[dict[str, Any]]:
    """Every output holding a slider: index, heading, number of sliders and charts, summary."""
    install_lib(page)
    return page.evaluate("() => __lg.panels(document)")


def move_slider(page: Any, panel: dict[str, Any], k: int, key: str | None = None) -> Move:
    """Focus slider ``k`` of ``panel``, press an arrow key once, and time what changes."""
    slider = page.locator(f'[data-lg-panel="{panel["index"]}"] .widget-slider').nth(k)
    label = (slider.locator(".widget-label").first.text_content() or f"slider {k}").strip()
    handle = slider.locator(".noUi-handle").first
    before = _value(slider)
    if key is None:
        now = _number(handle.get_attribute("aria-valuenow") or "nan")
        at_top = now >= _number(handle.get_attribute("aria-valuemax") or "inf")
        key = "ArrowLeft" if at_top else "ArrowRight"
    page.evaluate("(i) => __lg.arm(i)", panel["index"])
    handle.focus()
    page.keyboard.press(key)
    with contextlib.suppress(Exception):
        page.wait_for_function("() => __lg.anyChange()", timeout=15_000, polling=50)
        page.wait_for_function("() => __lg.bothChanged()", timeout=3_000, polling=50)
    state = page.evaluate("() => __lg.moveState()")
    after = _value(slider)
    page.evaluate("() => __lg.stop()")

    def since_key(t: float | None) -> float | None:
        return None if t is None or state["key"] is None else round(t - state["key"], 1)

    return Move(
        panel=panel["title"] or f"panel {panel['index'] + 1}",
        control=label,
        key=key,
        value_before=before,
        value_after=after,
        chart_ms=since_key(state["chart"]),
        summary_ms=since_key(state["summary"]),
        refused=state["refused"],
    )


def element_screenshot(page: Any, selector: str, path: Path, timeout: float = 10.0) -> None:
    """Screenshot one element once the page has stopped moving (fonts loaded, no layout shift)."""
    target = page.locator(selector).first
    target.scroll_into_view_if_needed()
    page.evaluate("async () => { await document.fonts.ready; }")
    deadline, last, steady = time.monotonic() + timeout, None, 0
    while time.monotonic() < deadline and steady < 3:
        box = page.evaluate(
            "(s) => { const r = document.querySelector(s).getBoundingClientRect();"
            " return [r.x, r.y, r.width, r.height, document.documentElement.scrollHeight]; }",
            selector,
        )
        steady = steady + 1 if box == last else 0
        last = box
        page.wait_for_timeout(200)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Chromium paints only what a viewport shows: make it tall enough for the whole element.
    viewport = page.viewport_size
    height = int(last[3]) + 40 if last else viewport["height"]
    if height > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": height})
        target.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
    try:
        target.screenshot(path=path, animations="disabled")
    finally:
        page.set_viewport_size(viewport)


def _value(slider: Any) -> str:
    """What the reader reads as the slider's value: its readout (else the handle's ARIA text)."""
    readout = slider.locator(".widget-readout")
    if readout.count():
        text = (readout.first.text_content() or "").strip()
        if text:
            return text
    handle = slider.locator(".noUi-handle").first
    return handle.get_attribute("aria-valuetext") or handle.get_attribute("aria-valuenow") or ""


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return float("nan")


# --- JupyterLab and Voilà pages -----------------------------------------------------------------


def lab_url(lab: Server, name: str) -> str:
    """The notebook's address in its own workspace (two open pages must not share one)."""
    workspace = Path(name).stem
    return f"{lab.url}/lab/workspaces/{workspace}/tree/notebooks/{name}?token={lab.token}&reset"


def open_in_lab(page: Any, lab: Server, name: str) -> None:
    """Open ``notebooks/<name>`` in JupyterLab (unless already loading) and wait until idle."""
    if page.url == "about:blank":
        page.goto(lab_url(lab, name), timeout=120_000)
    page.locator(".jp-NotebookPanel").first.wait_for(timeout=120_000)
    page.get_by_text("| Idle").first.wait_for(timeout=120_000)


def preload_in_lab(context: Any, lab: Server, name: str) -> Any:
    """A new page that starts loading the notebook in the background (see :func:`open_in_lab`)."""
    page = new_page(context)
    page.goto(lab_url(lab, name), wait_until="commit", timeout=120_000)
    return page


def run_all_in_lab(page: Any, timeout: float = 300.0) -> list[int]:
    """Run → Run All Cells from the menu bar, wait until it has finished and all is idle.

    Returns the (0-based) code cells that never ran: JupyterLab stops a Run All at the first
    error, so a reader would not see anything after it.
    """
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    install_lib(page)
    page.wait_for_function("() => __lg.runFinished()", timeout=timeout * 1000, polling=200)
    page.get_by_text("| Idle").first.wait_for(timeout=timeout * 1000)
    return page.evaluate("() => __lg.notRun()")


def run_in_lab(page: Any, lab: Server, path: Path) -> list[int]:
    """Open ``path`` (a notebook) in JupyterLab at 1280x720 (a projector), in a kernel started
    for it, and run all its cells; returns the code cells that never ran (see
    :func:`run_all_in_lab`)."""
    lab.start_kernel_for(f"notebooks/{path.name}")
    page.set_viewport_size({"width": 1280, "height": 720})
    open_in_lab(page, lab, path.name)
    return run_all_in_lab(page)


def open_app(page: Any, voila: Server, name: str, timeout: float = 300.0) -> None:
    """Open ``name`` in Voilà and wait until it has executed (its spinner is gone)."""
    page.goto(f"{voila.url}/voila/render/{name}?token={voila.token}", timeout=timeout * 1000)
    page.locator("#loading").wait_for(state="detached", timeout=timeout * 1000)


def visible_code(page: Any) -> list[str]:
    """Code inputs a reader can see (Voilà apps must show none)."""
    install_lib(page)
    return page.evaluate("() => __lg.visibleCode()")


if __name__ == "__main__":  # `python harness.py expect NOTEBOOK WORKDIR`: used by the tests
    if len(sys.argv) != 4 or sys.argv[1] != "expect":
        sys.exit("usage: harness.py expect NOTEBOOK WORKDIR")
    result = execute_headless(Path(sys.argv[2]), Path(sys.argv[3]))
    print(json.dumps(result.__dict__))
