"""Full execution of each notebook against the floor: a fresh kernel that only imports.

Run from the repository root::

    PYTHONPATH=. JUPYTER_PLATFORM_DIRS=1 .venv/bin/python benchmarks/notebook_exec.py
    .venv/bin/python benchmarks/notebook_exec.py --runs 5 01_policy_history 03_subsidies

Each sample starts a fresh kernel (the environment's ``python3``, as JupyterLab and Voilà
start it), runs every code cell with nbclient and shuts the kernel down; the time is wall
clock from asking for the kernel to the last cell's end. The **floor** is the same for a
notebook of one cell that imports the explainer package, every module of it the notebooks use,
and so its dependencies (Altair, pandas, ipywidgets, vl-convert), and calls ``charts.setup()``:
what no notebook can avoid. Floor and notebooks are interleaved, round by round, so a busy
machine slows both alike; the medians and their ratio are printed, with the load average.

Issue 13 asks for each notebook at most 1.3 times the floor. The cross-kernel caches
(``explainer.cache``) are warm after the first round; ``--cold`` gives every sample an empty
one (a throw-away folder, removed at the end), which is what the very first student meets
where no cache was shipped with the environment (a cache that ``binder/postBuild`` shipped
is still read). Not a test: timings depend on the machine and its load.
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

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
AIM = 1.3

FLOOR_SOURCE = """\
import explainer.charts.debate, explainer.charts.explorer, explainer.charts.policy
import explainer.charts.trade
import explainer.widgets.debate, explainer.widgets.explorer, explainer.widgets.policy
import explainer.widgets.timeline
from explainer import charts, data, parameters, sources, text
from IPython.display import HTML, Markdown

charts.setup()
"""


def floor_notebook() -> nbformat.NotebookNode:
    """A notebook of one cell that only imports the package and its dependencies."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(FLOOR_SOURCE)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    return notebook


# Appended to every notebook run: the kernel's own CPU seconds (all its threads, kernel
# start-up included) and its peak resident memory, read back from the cell's output.
USAGE_SOURCE = """\
import json as _json, resource as _resource
_usage = _resource.getrusage(_resource.RUSAGE_SELF)
print(_json.dumps({"cpu": _usage.ru_utime + _usage.ru_stime, "maxrss_kb": _usage.ru_maxrss}))
"""


def run_once(notebook: nbformat.NotebookNode, cwd: Path) -> tuple[float, float, float]:
    """Wall seconds to start a fresh kernel, run every cell and stop it; the kernel's CPU
    seconds; its peak resident memory in MiB."""
    copy = nbformat.from_dict(json.loads(json.dumps(notebook)))
    copy.cells.append(nbformat.v4.new_code_cell(USAGE_SOURCE))
    start = time.perf_counter()
    NotebookClient(
        copy, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    ).execute()
    wall = time.perf_counter() - start
    usage = json.loads(copy.cells[-1].outputs[0]["text"])
    return wall, usage["cpu"], usage["maxrss_kb"] / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="name prefixes, e.g. 01 03_subsidies")
    parser.add_argument("--runs", type=int, default=3, help="rounds measured (after a warm-up)")
    parser.add_argument("--cold", action="store_true", help="empty the caches before each run")
    args = parser.parse_args()

    os.environ.setdefault("PYTHONPATH", str(ROOT))
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    paths = sorted((ROOT / "notebooks").glob("0*.ipynb"))
    if args.notebooks:
        paths = [p for p in paths if any(p.stem.startswith(n) for n in args.notebooks)]
    notebooks = {p.stem: nbformat.read(p, as_version=4) for p in paths}
    samples: dict[str, list[tuple[float, float, float]]] = {
        "floor": [],
        **{name: [] for name in notebooks},
    }

    scratch: list[str] = []

    def one(name: str) -> tuple[float, float, float]:
        if args.cold:
            scratch.append(tempfile.mkdtemp(prefix="lg-cold-"))
            os.environ["EXPLAINER_CACHE_DIR"] = scratch[-1]
        notebook = floor_notebook() if name == "floor" else notebooks[name]
        return run_once(notebook, ROOT / "notebooks")

    for name in samples:  # warm-up round: disk caches, the OS's file cache, bytecode
        one(name)
    for _ in range(args.runs):
        for name in samples:
            samples[name].append(one(name))

    for folder in scratch:
        shutil.rmtree(folder, ignore_errors=True)
    load = os.getloadavg()

    def median(name: str, column: int) -> float:
        return statistics.median(sample[column] for sample in samples[name])

    floor_wall, floor_cpu = median("floor", 0), median("floor", 1)
    mode = "cold caches" if args.cold else "warm caches"
    print(f"{args.runs} rounds, {mode}; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print("Medians. wall: kernel start to last cell; CPU: the kernel's own (steadier when busy)")
    header = f"{'notebook':<32} {'wall s':>7} {'x floor':>8} {'CPU s':>6} {'x floor':>8}"
    print(header + f" {'peak MiB':>9}")
    for name in samples:
        wall, cpu, rss = median(name, 0), median(name, 1), median(name, 2)
        flag = ""
        if name != "floor" and max(wall / floor_wall, cpu / floor_cpu) > AIM:
            flag = f"  (aim {AIM}x)"
        print(
            f"{name:<32} {wall:7.2f} {wall / floor_wall:8.2f} {cpu:6.2f} {cpu / floor_cpu:8.2f}"
            f" {rss:9.0f}{flag}"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
