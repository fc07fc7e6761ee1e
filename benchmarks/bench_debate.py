"""Time one update of the picking-winners panel at the default size, as a reader feels it.

Run from the repository root::

    .venv/bin/python benchmarks/bench_debate.py [--runs 300] [--seed 0]

An update is what one slider move does: check the values, run the model over 2,000 start-ups
and 200 worlds, and hand the live chart view the outcomes figure's rows and words (the browser
draws it; :mod:`explainer.widgets.live`). Each run
draws every setting uniformly within its record's range (the first bets at most the number of
start-ups), except the size (start-ups and worlds), which stays at its default. It prints the
median and 95th percentile of wall-clock and CPU time in milliseconds; the aim is a p95 under
60 ms (issue 13 asks 15 ms of kernel time per keyboard step: see ``browser_latency.py
--kernel``). For comparison it also times the sweep (drawn only on request) and the same
outcomes figure rendered to SVG in the kernel by vl-convert, the static path (handouts,
``EXPLAINER_SVG_PANELS``), which a live panel avoids. Not a test: timings depend on the
machine and on what else it is doing, which is why CPU time is shown too.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from explainer.charts import debate, figure_html
from explainer.models import picking_winners as pw
from explainer.parameters import parameter_specs
from explainer.widgets.debate import PickingWinnersPanel

AIM_MS = 60.0
SIZES = ("n_firms", "n_draws")


def random_settings(rng: np.random.Generator) -> dict[str, float | int]:
    """One valid set of panel settings at the default size, drawn from the records' ranges."""
    values: dict[str, float | int] = {}
    for name, spec in parameter_specs(pw.TABLE, pw.MODEL).items():
        if name in SIZES:
            values[name] = spec.default
        elif spec.kind == "integer":
            values[name] = int(rng.integers(spec.minimum, spec.maximum, endpoint=True))
        else:
            values[name] = float(rng.uniform(spec.minimum, spec.maximum))
    return values


def time_calls(
    call: Callable[..., object], settings: list[dict[str, float | int]]
) -> tuple[np.ndarray, np.ndarray]:
    """Wall-clock and CPU milliseconds of ``call(**s)`` for each settings dict."""
    wall, cpu = [], []
    for values in settings:
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        call(**values)
        wall.append(time.perf_counter() - start_wall)
        cpu.append(time.process_time() - start_cpu)
    return 1e3 * np.array(wall), 1e3 * np.array(cpu)


def report(label: str, times: tuple[np.ndarray, np.ndarray]) -> float:
    """Print one line of medians and 95th percentiles; return the wall-clock p95."""
    wall, cpu = times
    p95 = float(np.percentile(wall, 95))
    print(
        f"{label}: wall median {np.median(wall):.1f} ms, p95 {p95:.1f} ms; "
        f"CPU median {np.median(cpu):.1f} ms, p95 {np.percentile(cpu, 95):.1f} ms"
    )
    return p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    settings = [random_settings(rng) for _ in range(args.runs)]

    panel = PickingWinnersPanel()
    panel.set(**settings[0])  # warm up imports and caches
    print(f"aim: one panel update at the default size, p95 under {AIM_MS:.0f} ms")
    p95 = report(
        f"panel update (model + chart frame + live view), {args.runs} runs",
        time_calls(panel.set, settings),
    )
    print(f"  -> {'within' if p95 < AIM_MS else 'OVER'} the aim (wall-clock p95)")

    model = time_calls(pw.simulate_picking_winners, settings)
    report("  of which the model alone", model)

    few = settings[: max(1, args.runs // 10)]

    def sweep(**values: float | int) -> None:
        panel.set(**values)
        panel.draw_sweep()

    report(
        f"sweep on request (update + 13-point sweep + chart), {len(few)} runs",
        time_calls(sweep, few),
    )

    def through_vega(**values: float | int) -> str:
        frame = debate.outcomes_frame(pw.simulate_picking_winners(**values))
        return figure_html(frame.spec, vega=frame.vega())

    report(
        f"for comparison: the same update rendered to SVG in the kernel, {len(few)} runs",
        time_calls(through_vega, few),
    )


if __name__ == "__main__":
    main()
