"""Input → redraw latency of every interactive panel, in a real browser (reported, not asserted).

For each notebook that uses widgets, this starts JupyterLab (and, with ``--apps``, Voilà) in a
throw-away sandbox, opens the notebook in the system Chromium with no route to the internet,
runs all cells, then presses ArrowRight and ArrowLeft on every slider of every panel in turn.
Each press is timed from the keydown event to the moment the panel's chart SVG is replaced
(a MutationObserver timestamp, same clock), and to the moment its summary text changes. The
browser draws that change in its next frame. What measures stays out of the way of what is
measured: the observer compares markup only when a change reached the chart or the texts, and
the page's websockets are watched, not routed through Playwright (tests/browser/harness.py).

    PYTHONPATH=. JUPYTER_PLATFORM_DIRS=1 .venv/bin/python benchmarks/browser_latency.py
    .venv/bin/python benchmarks/browser_latency.py --repeats 10 --apps 03_subsidies

Each notebook is measured twice in the same run: with the live chart view (the default: a
compiled Vega spec drawn in the browser, fed changed data and words) and with the old path,
kernel-rendered SVG (``EXPLAINER_SVG_PANELS=1``), so the two can be compared under the same
load. For each it reports the median and p95 of key press → chart changed, the bytes the
kernel sent over the page's websocket per move, and how many times the page imported the Vega
runtime (it should be once). ``--kernel`` also times each move inside a kernel-less process
(the slider's value set from Python: model, chart frame and widget-state serialisation, with a
comm that counts the bytes it would send), the "kernel time per move".

``--windowing contentVisibility`` measures JupyterLab as a reader gets it (its default:
the browser skips laying out cells off screen); the default ``none`` is the tests' setting.

Targets (issue 13): median ≤ 50 ms in JupyterLab and ≤ 40 ms in Voilà, p95 ≤ 100 ms and
≤ 0.4 × the SVG path's median; kernel p95 ≤ 15 ms; ≤ 8 KB per move. Results are printed as a
table and written to build/browser/latency.json. JupyterLab runs with the tests' settings
(every cell in the page, no windowing), the heaviest case for a redraw; run it on a quiet
machine, since other work on two cores shows up in every number.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))

import harness

TARGET_MS = {"lab": 50, "voila": 40}
TARGET_P95_MS = 100
SVG_ENV = "EXPLAINER_SVG_PANELS"
#: A websocket frame this large at page load carries the Vega runtime (about 0.9 MB).
RUNTIME_FRAME = 500_000


def uses_widgets(path: Path) -> bool:
    """A cheap filter: does any code cell mention widgets (explainer.widgets or ipywidgets)?"""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return any(
        "widgets" in "".join(cell["source"])
        for cell in notebook["cells"]
        if cell["cell_type"] == "code"
    )


class Wire:
    """Counts the bytes the server sends a page over its websockets (kernel messages)."""

    def __init__(self, page: Any) -> None:
        self.bytes = 0
        self.frames: list[int] = []
        page.on("websocket", self._socket)

    def _socket(self, socket: Any) -> None:
        socket.on("framereceived", self._frame)

    def _frame(self, payload: Any) -> None:
        size = len(payload.encode("utf-8") if isinstance(payload, str) else payload)
        self.bytes += size
        self.frames.append(size)


def measure(
    page: Any, repeats: int, wire: Wire | None = None
) -> dict[str, list[tuple[harness.Move, int]]]:
    """Press each slider ``repeats`` times each way (right, then back left)."""
    moves: dict[str, list[tuple[harness.Move, int]]] = {}

    def press(panel: dict[str, Any], k: int, key: str | None) -> tuple[harness.Move, int]:
        start = wire.bytes if wire else 0
        move = harness.move_slider(page, panel, k, key)
        page.wait_for_timeout(150)  # the kernel's echo and idle messages of this move
        return move, (wire.bytes - start) if wire else 0

    for panel in harness.find_panels(page):
        if not panel["charts"]:
            continue
        name = panel["title"] or f"panel {panel['index'] + 1}"
        found = moves.setdefault(name, [])
        for k in range(panel["sliders"]):
            first = press(panel, k, None)  # also finds a direction that moves
            back = "ArrowLeft" if first[0].key == "ArrowRight" else "ArrowRight"
            found.append(first)
            for i in range(2 * repeats - 1):
                found.append(press(panel, k, back if i % 2 == 0 else first[0].key))
    return moves


def summarise(
    where: str, moves: dict[str, list[tuple[harness.Move, int]]], loads: int | None = None
) -> list[dict[str, Any]]:
    rows = []
    for panel, found in moves.items():
        chart = [m.chart_ms for m, _ in found if m.chart_ms is not None]
        summary = [m.summary_ms for m, _ in found if m.summary_ms is not None]
        sent = [b for m, b in found if m.moved]
        per_control: dict[str, list[float]] = {}
        for m, _ in found:
            if m.chart_ms is not None:
                per_control.setdefault(m.control, []).append(m.chart_ms)
        rows.append(
            {
                "where": where,
                "panel": panel,
                "presses": len(found),
                "chart_redraws": len(chart),
                "median_chart_ms": round(statistics.median(chart), 1) if chart else None,
                "p95_chart_ms": round(_quantile(chart, 0.95), 1) if chart else None,
                "median_summary_ms": round(statistics.median(summary), 1) if summary else None,
                "median_bytes_per_move": round(statistics.median(sent)) if sent else None,
                "runtime_imports_in_page": loads,
                "median_by_control_ms": {
                    c: round(statistics.median(v), 1) for c, v in per_control.items()
                },
            }
        )
    return rows


def _measure_page(page: Any, wire: Any, repeats: int, label: str) -> list[dict[str, Any]]:
    """Every panel's moves on an open page, with the Vega runtime frames the page received."""
    runtime_frames = [f for f in wire.frames if f > RUNTIME_FRAME]
    moves = measure(page, repeats, wire)
    loads = page.evaluate("() => globalThis.__lgVegaLoads || 0")
    found = summarise(label, moves, loads)
    for row in found:
        row["runtime_sends_in_page"] = len(runtime_frames)
        row["runtime_bytes_in_page"] = sum(runtime_frames)
    return found


def kernel_moves(repeats: int) -> list[dict[str, Any]]:
    """Time moves inside this process: a slider's value set as the browser sets it.

    Each move runs what a kernel runs for a key press (validation, the model, the chart frame
    and the widget messages, serialised to JSON by a comm that counts their bytes), without
    the websocket. Reported per panel: median and p95 milliseconds, median bytes.
    """
    import comm
    from comm.base_comm import BaseComm

    sent: list[int] = []

    class CountingComm(BaseComm):
        def publish_msg(
            self,
            msg_type: str,
            data: Any = None,
            metadata: Any = None,
            buffers: Any = None,
            **keys: Any,
        ) -> None:
            sent.append(len(json.dumps(data, default=str)) + sum(len(b) for b in buffers or ()))

    comm.create_comm = CountingComm
    from explainer.widgets.debate import PickingWinnersPanel
    from explainer.widgets.explorer import PipelinePanel, SubsidyPanel
    from explainer.widgets.policy import RecordExplorer

    rows = []
    for make in (RecordExplorer, PipelinePanel, SubsidyPanel, PickingWinnersPanel):
        panel = make()
        _ = panel.view  # displayed: every widget has its comm
        times: list[float] = []
        sizes: list[int] = []
        for control in panel.controls.values():
            if not hasattr(control, "step") or not hasattr(control, "spec"):
                continue
            spec = control.spec
            jump = spec.step * max(1, round(0.01 * (spec.maximum - spec.minimum) / spec.step))
            way = -1 if control.value + jump > control.max else 1
            for i in range(2 * repeats):
                target = control.value + (way if i % 2 == 0 else -way) * jump
                sent.clear()
                started = time.perf_counter()
                control.value = target
                times.append((time.perf_counter() - started) * 1000)
                sizes.append(sum(sent))
        rows.append(_kernel_row(make.title, times, sizes))
    rows.append(_timeline_moves(repeats, sent))
    return rows


def _kernel_row(panel: str, times: list[float], sizes: list[int]) -> dict[str, Any]:
    return {
        "where": "kernel (in process)",
        "panel": panel,
        "moves": len(times),
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(_quantile(times, 0.95), 2),
        "median_bytes_per_move": round(statistics.median(sizes)),
    }


def _timeline_moves(repeats: int, sent: list[int]) -> dict[str, Any]:
    """Moves of the timeline explorer (notebook 02) as its date range's arrow keys make them:
    one handle a month one way and back, each handle in turn, from the notebook's settings."""
    from explainer.widgets.timeline import TimelineExplorer

    explorer = TimelineExplorer(start="2018-01", end="2022-12")
    _ = explorer.view
    dates = explorer.controls["dates"]
    times: list[float] = []
    sizes: list[int] = []
    for handle, inward in ((0, 1), (1, -1)):
        for i in range(2 * repeats):
            index = list(dates.index)
            index[handle] += inward if i % 2 == 0 else -inward
            sent.clear()
            started = time.perf_counter()
            dates.index = tuple(index)
            times.append((time.perf_counter() - started) * 1000)
            sizes.append(sum(sent))
    return _kernel_row(explorer.title, times, sizes)


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="presses each way per slider")
    parser.add_argument(
        "--notebooks",
        nargs="*",
        default=None,
        help="name prefixes to measure in JupyterLab (default: every notebook using widgets)",
    )
    parser.add_argument(
        "--apps",
        nargs="*",
        default=None,
        help="also measure these notebooks as Voilà apps (no names: the suite's apps)",
    )
    parser.add_argument(
        "--paths",
        nargs="*",
        default=["live", "svg"],
        help="renderers to measure: live (the default view) and svg (the old kernel SVG path)",
    )
    parser.add_argument("--kernel", action="store_true", help="also time moves in-process")
    parser.add_argument(
        "--windowing",
        default="none",
        choices=["none", "contentVisibility", "defer", "full"],
        help="JupyterLab's windowing mode: none (the tests' setting, every cell laid out: the "
        "heaviest page) or contentVisibility (JupyterLab's default: what a reader gets)",
    )
    args = parser.parse_args(argv)
    if not harness.CHROMIUM.exists():
        print(f"no Chromium at {harness.CHROMIUM}: {harness.INSTALL_HINT}", file=sys.stderr)
        return 2

    notebooks = [p for p in harness.discover_notebooks() if uses_widgets(p)]
    if args.notebooks is not None:
        notebooks = [p for p in notebooks if p.name.startswith(tuple(args.notebooks))]
    apps: list[Path] = []
    if args.apps is not None:
        prefixes = tuple(args.apps) or harness.APP_NUMBERS
        apps = [p for p in harness.discover_notebooks() if p.name.startswith(prefixes)]

    rows: list[dict[str, Any]] = []
    load = os.getloadavg()
    base = Path(tempfile.mkdtemp(prefix="lg-latency-"))
    sandbox = harness.Sandbox(base)
    tracker = sandbox.settings / "@jupyterlab/notebook-extension/tracker.jupyterlab-settings"
    tracker.write_text(
        json.dumps({**json.loads(tracker.read_text()), "windowingMode": args.windowing}),
        encoding="utf-8",
    )
    try:
        for path_name in args.paths:
            if path_name == "svg":
                sandbox.env[SVG_ENV] = "1"
            else:
                sandbox.env.pop(SVG_ENV, None)
            rows += _measure_path(path_name, sandbox, notebooks, apps, args.repeats, base)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    kernel_rows = kernel_moves(args.repeats) if args.kernel else []

    print(
        f"\nKey press → chart changed ({args.repeats} presses each way per slider; JupyterLab"
        f" windowing {args.windowing}); load average at start"
        f" {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} on {os.cpu_count()} cores"
    )
    header = (
        f"{'where':<42} {'panel':<40} {'n':>4} {'median':>9} {'p95':>9} {'bytes':>7} "
        f"{'rt':>3} {'rt sent':>9}"
    )
    print(header)
    svg_median = {
        (r["where"].split(":", 1)[1], r["panel"]): r["median_chart_ms"]
        for r in rows
        if r["where"].startswith("svg:")
    }
    for row in rows:
        flags = []
        where_kind = row["where"].split(":", 1)[1].split("/", 1)[0]
        median = row["median_chart_ms"]
        if row["where"].startswith("live:") and median is not None:
            if median > TARGET_MS.get(where_kind, 50):
                flags.append(f"median over {TARGET_MS.get(where_kind, 50)} ms")
            if (row["p95_chart_ms"] or 0) > TARGET_P95_MS:
                flags.append(f"p95 over {TARGET_P95_MS} ms")
            svg = svg_median.get((row["where"].split(":", 1)[1], row["panel"]))
            if svg:
                row["ratio_to_svg_median"] = round(median / svg, 2)
                flags.append(f"{row['ratio_to_svg_median']:.2f} x SVG")
        print(
            f"{row['where']:<42} {row['panel'][:40]:<40} {row['presses']:>4} "
            f"{_ms(median)} {_ms(row['p95_chart_ms'])} "
            f"{row['median_bytes_per_move'] or 0:>7} {row['runtime_imports_in_page'] or 0:>3} "
            f"{row.get('runtime_sends_in_page', 0)}x{row.get('runtime_bytes_in_page', 0):>8}"
            + ("  " + "; ".join(flags) if flags else "")
        )
    for row in kernel_rows:
        print(
            f"{row['where']:<42} {row['panel'][:40]:<40} {row['moves']:>4} "
            f"{row['median_ms']:6.1f} ms {row['p95_ms']:6.1f} ms {row['median_bytes_per_move']:>7}"
        )
    out = harness.ROOT / "build" / "browser" / "latency.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
    out.write_text(
        json.dumps(
            {"measured": stamp, "load_average": load, "panels": rows, "kernel": kernel_rows},
            indent=2,
        ),
        encoding="utf-8",
    )
    print(f"written to {out.relative_to(harness.ROOT)}")
    return 0


def _measure_path(
    path_name: str,
    sandbox: harness.Sandbox,
    notebooks: list[Path],
    apps: list[Path],
    repeats: int,
    base: Path,
) -> list[dict[str, Any]]:
    """Start the servers with this renderer, measure every notebook and app, stop them."""
    from playwright.sync_api import sync_playwright

    rows: list[dict[str, Any]] = []
    lab = voila = None
    try:
        lab = harness.start_lab(sandbox) if notebooks else None
        voila = harness.start_voila(sandbox) if apps else None
        profile = base / f"profile-{path_name}"
        with (
            sync_playwright() as playwright,
            harness.browser_context(playwright, profile) as (context, _guard),
        ):
            for path in notebooks:
                assert lab is not None
                page = context.new_page()
                wire = Wire(page)
                harness.open_in_lab(page, lab, path.name)
                harness.run_all_in_lab(page)
                page.wait_for_timeout(1000)
                rows += _measure_page(page, wire, repeats, f"{path_name}:lab/{path.stem}")
                page.close()
                lab.shutdown_kernels()
            for path in apps:
                assert voila is not None
                page = context.new_page()
                wire = Wire(page)
                harness.open_app(page, voila, path.name)
                page.wait_for_selector(".widget-slider", timeout=60_000)
                page.wait_for_timeout(1000)
                rows += _measure_page(page, wire, repeats, f"{path_name}:voila/{path.stem}")
                page.close()
    finally:
        for server in (lab, voila):
            if server is not None:
                server.stop()
    return rows


def _ms(value: float | None) -> str:
    return f"{value:6.0f} ms" if value is not None else "      —  "


if __name__ == "__main__":
    sys.exit(main())
