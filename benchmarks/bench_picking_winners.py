"""Time the picking-winners model at its default size over random valid parameter sets.

Run from the repository root::

    .venv/bin/python benchmarks/bench_picking_winners.py [--runs 200] [--seed 0]

Three timings, each the median and 95th percentile in milliseconds:

- **keyboard steps**: from the defaults, each setting in turn moves 15 slider steps up and 15
  back down, one step per call (the sizes stay put), as a reader's arrow keys do;
- **slider jumps**: from the defaults, one setting at a time jumps to a random value within its
  record's range (the sizes ``n_firms``, ``n_draws`` and ``seed`` stay put), as a reader's
  slider does; the model reuses its cached draws, so this is the time a slider move costs;
- **random settings**: every setting but the sizes drawn at random for each call;
- **a 13-point noise sweep** at random settings.

Aim: at most 10 ms p95 per call at the default size. Not a test: timings depend on the machine
and its load (CPU time is steadier on a busy machine than wall-clock time).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from explainer.models import picking_winners as pw
from explainer.parameters import parameter_specs

BUDGET_MS = 10.0  # the model's share of a slider move at the default size
FIXED = ("n_firms", "n_draws", "seed")


def random_parameters(rng: np.random.Generator) -> dict[str, float | int]:
    """One valid parameter set at the default size, drawn from the records' ranges."""
    values: dict[str, float | int] = {}
    for name, spec in parameter_specs(pw.TABLE, pw.MODEL).items():
        if name in FIXED:
            values[name] = spec.default
        elif spec.kind == "integer":
            values[name] = int(rng.integers(spec.minimum, spec.maximum, endpoint=True))
        else:
            values[name] = float(rng.uniform(spec.minimum, spec.maximum))
    return values


FIXED_SET = set(FIXED)


def _moved(sequence: list[dict[str, float | int]]) -> list[set[str]]:
    """For each settings dict, the names that differ from the defaults."""
    specs = parameter_specs(pw.TABLE, pw.MODEL)
    return [
        {k for k, v in values.items() if v != specs[k].default} or {"none"} for values in sequence
    ]


def keyboard_steps() -> list[dict[str, float | int]]:
    """Settings after single slider steps: each setting 15 steps up, then 15 back down."""
    specs = parameter_specs(pw.TABLE, pw.MODEL)
    defaults = {name: spec.default for name, spec in specs.items()}
    sequence = []
    for name, spec in specs.items():
        if name in FIXED:
            continue
        value = spec.default
        for i in range(30):
            value += spec.step if i < 15 else -spec.step
            value = round(min(max(value, spec.minimum), spec.maximum), 9)
            sequence.append({**defaults, name: value})
    return sequence


def slider_moves(rng: np.random.Generator, runs: int) -> list[dict[str, float | int]]:
    """Settings after each of ``runs`` single-slider moves, starting from the defaults."""
    specs = {k: v for k, v in parameter_specs(pw.TABLE, pw.MODEL).items() if k not in FIXED}
    current = {name: spec.default for name, spec in parameter_specs(pw.TABLE, pw.MODEL).items()}
    names = list(specs)
    moves = []
    for _ in range(runs):
        spec = specs[names[int(rng.integers(len(names)))]]
        steps = round((spec.maximum - spec.minimum) / spec.step)
        value = spec.minimum + spec.step * int(rng.integers(0, steps, endpoint=True))
        current = {**current, spec.name: int(value) if spec.kind == "integer" else float(value)}
        moves.append(current)
    return moves


def time_calls(call, parameter_sets: list[dict[str, float | int]]) -> tuple[np.ndarray, ...]:
    """Wall-clock and CPU milliseconds of each call (CPU time is steadier on a busy machine)."""
    call(**parameter_sets[0])  # warm up imports and caches
    wall, cpu = [], []
    for values in parameter_sets:
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        call(**values)
        wall.append(time.perf_counter() - start_wall)
        cpu.append(time.process_time() - start_cpu)
    return 1e3 * np.array(wall), 1e3 * np.array(cpu)


def report(label: str, times: tuple[np.ndarray, ...]) -> None:
    wall, cpu = times
    print(
        f"{label}: wall median {np.median(wall):.1f} ms, p95 {np.percentile(wall, 95):.1f} ms; "
        f"CPU median {np.median(cpu):.1f} ms, p95 {np.percentile(cpu, 95):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    parameter_sets = [random_parameters(rng) for _ in range(args.runs)]

    print(f"aim: the model's p95 at most {BUDGET_MS:.0f} ms per call at the default size")
    sequence = keyboard_steps()
    steps = time_calls(pw.simulate_picking_winners, sequence)
    report(f"keyboard steps from the defaults, {len(steps[0])} runs", steps)
    for name in dict.fromkeys(next(iter(set(v) - FIXED_SET)) for v in _moved(sequence)):
        rows = [i for i, moved in enumerate(_moved(sequence)) if name in moved]
        cpu = steps[1][rows]
        median, p95 = np.median(cpu), np.percentile(cpu, 95)
        label = "back at the defaults" if name == "none" else name
        print(f"  {label}: CPU median {median:.1f} ms, p95 {p95:.1f} ms")
    moves = time_calls(pw.simulate_picking_winners, slider_moves(rng, args.runs))
    report(f"slider jumps from the defaults, {args.runs} runs", moves)
    model = time_calls(pw.simulate_picking_winners, parameter_sets)
    report(f"random settings, default size, {args.runs} runs", model)

    noises = np.round(np.linspace(0, 3, 13), 2).tolist()

    def sweep(planner_noise: float, **values: float | int) -> object:
        return pw.noise_sweep(noises, **values)

    sweeps = time_calls(sweep, parameter_sets[: max(1, args.runs // 4)])
    report(f"noise_sweep, 13 points, {len(sweeps[0])} runs", sweeps)


if __name__ == "__main__":
    main()
