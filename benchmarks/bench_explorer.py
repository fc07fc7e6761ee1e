"""Time one update of each explorer panel over random valid settings.

Run from the repository root::

    .venv/bin/python benchmarks/bench_explorer.py [--runs 300] [--seed 0]

For each panel of notebook 03 (:class:`~explainer.widgets.explorer.PipelinePanel` and
:class:`~explainer.widgets.explorer.SubsidyPanel`) it draws ``--runs`` settings, every one
uniformly within its parameter record's range (so each is a state a slider can reach), and
times two things per setting:

- **model + chart spec**: the model call and the Vega-Lite spec of the chart
  (``panel.compute`` then ``panel.render``), the work in Python that decides what is drawn;
- **full update**: ``panel.set(...)`` as a slider move does it: the model, the spec, the SVG
  drawn by vl-convert and put into the panel's HTML widget (what the reader waits for, less
  the browser's own paint).

It prints the median and 95th percentile of each, in wall-clock and CPU milliseconds (CPU
time is steadier on a busy machine; vl-convert draws on a second thread, so its CPU time can
exceed its wall time). Aim: model + chart spec p95 under 30 ms on a 2-core machine. Not a
test: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from explainer.widgets.explorer import ExplorerPanel, PipelinePanel, SubsidyPanel

BUDGET_MS = 30.0  # model + chart spec, p95


def random_settings(panel: ExplorerPanel, rng: np.random.Generator) -> dict[str, float | int]:
    """One valid setting of every slider, drawn uniformly from its record's range."""
    values: dict[str, float | int] = {}
    for name, spec in panel.specs.items():
        if spec.kind == "integer":
            values[name] = int(rng.integers(spec.minimum, spec.maximum, endpoint=True))
        else:
            values[name] = float(rng.uniform(spec.minimum, spec.maximum))
    return values


def time_calls(
    call: Callable[[dict[str, float | int]], object], settings: list[dict[str, float | int]]
) -> tuple[np.ndarray, np.ndarray]:
    """Wall-clock and CPU milliseconds of ``call(setting)`` for each setting."""
    call(settings[0])  # warm up imports and caches
    wall, cpu = [], []
    for values in settings:
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        call(values)
        wall.append(time.perf_counter() - start_wall)
        cpu.append(time.process_time() - start_cpu)
    return 1e3 * np.array(wall), 1e3 * np.array(cpu)


def report(label: str, times: tuple[np.ndarray, np.ndarray]) -> float:
    """Print one line of figures; return the wall-clock p95."""
    wall, cpu = times
    p95 = float(np.percentile(wall, 95))
    print(
        f"  {label:<22} wall median {np.median(wall):6.1f} ms, p95 {p95:6.1f} ms;  "
        f"CPU median {np.median(cpu):6.1f} ms, p95 {np.percentile(cpu, 95):6.1f} ms"
    )
    return p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300, help="settings per panel")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    print(f"aim: model + chart spec p95 under {BUDGET_MS:.0f} ms; {args.runs} settings a panel")
    for panel_class in (PipelinePanel, SubsidyPanel):
        panel = panel_class()
        settings = [random_settings(panel, rng) for _ in range(args.runs)]

        def spec_only(values: dict[str, float | int], panel: ExplorerPanel = panel) -> object:
            return panel.render(panel.compute(values))

        def full_update(values: dict[str, float | int], panel: ExplorerPanel = panel) -> None:
            panel.set(**values)

        print(f"{panel_class.__name__}:")
        p95 = report("model + chart spec", time_calls(spec_only, settings))
        report("full update (SVG)", time_calls(full_update, settings))
        verdict = "within" if p95 < BUDGET_MS else "OVER"
        print(f"  model + chart spec p95 is {verdict} the {BUDGET_MS:.0f} ms aim")


if __name__ == "__main__":
    main()
