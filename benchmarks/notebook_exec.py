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
(``explainer.cache``) are warm after the first round; ``--cold`` empties them before every
sample (into a throw-away folder), which is what the very first student of a fresh install
meets. Not a test: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
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


def run_once(notebook: nbformat.NotebookNode, cwd: Path) -> float:
    """Seconds to start a fresh kernel, run every cell and stop the kernel."""
    copy = nbformat.from_dict(json.loads(json.dumps(notebook)))
    start = time.perf_counter()
    NotebookClient(
        copy, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    ).execute()
    return time.perf_counter() - start


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
    samples: dict[str, list[float]] = {"floor": [], **{name: [] for name in notebooks}}

    def one(name: str) -> float:
        if args.cold:
            os.environ["EXPLAINER_CACHE_DIR"] = tempfile.mkdtemp(prefix="lg-cold-")
        notebook = floor_notebook() if name == "floor" else notebooks[name]
        return run_once(notebook, ROOT / "notebooks")

    for name in samples:  # warm-up round: disk caches, the OS's file cache, bytecode
        one(name)
    for _ in range(args.runs):
        for name in samples:
            samples[name].append(one(name))

    load = os.getloadavg()
    floor = statistics.median(samples["floor"])
    mode = "cold caches" if args.cold else "warm caches"
    print(f"{args.runs} rounds, {mode}; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print(f"{'notebook':<36} {'median s':>9} {'min s':>7} {'x floor':>8}")
    for name, times in samples.items():
        median = statistics.median(times)
        ratio = median / floor
        flag = "" if name == "floor" or ratio <= AIM else f"  (aim {AIM}x)"
        print(f"{name:<36} {median:9.2f} {min(times):7.2f} {ratio:8.2f}{flag}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
