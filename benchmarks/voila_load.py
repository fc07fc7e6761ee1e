"""A class opening the app at once: Voilà page requests, server side, against a bare page.

Run from the repository root::

    .venv/bin/python benchmarks/voila_load.py
    .venv/bin/python benchmarks/voila_load.py --app 03_subsidies_and_designations --at-once 1 10

It starts one Voilà server on the loopback interface (the repository's ``voila.json`` and the
``lg-app`` template, as ``make app`` does) and requests pages with plain HTTP, no browser: each
request makes Voilà start a fresh kernel and execute the whole notebook before the page's
last byte is sent. A request is timed from sending it to that last byte. Two pages are
measured in the same run, round by round, so a busy machine slows both alike:

- **bare**: ``benchmarks/bare_slider.ipynb``, one slider and nothing else: the floor;
- **app**: the notebook given (``03_subsidies_and_designations`` by default).

For each count in ``--at-once`` (1 and 10 by default; at most 30) that many requests of the
page are sent together; the median time of a request is reported against the bare page's.
Issue 13's aims: one request of the 03 app at most 2.5 x bare, ten at once at most 3 x bare.
While requests run, the CPU time and resident memory (RSS and, where the system gives it,
PSS, which counts shared pages once) of every kernel is sampled; the peak per kernel is
reported: what a class's server must hold for each student. A kernel's CPU seconds (its
start-up, imports and the notebook, sampled every 0.25 s until it is shut down) vary far
less with the machine's load than wall time does. Kernels are shut down after every batch.

The cross-kernel cache (``explainer.cache``) is warm after the warm-up round, as it is on a
server once the first student has opened the page (or from the start, where ``postBuild``
shipped it); ``--no-cache`` turns it off, so every kernel draws its charts afresh.
Not a test: timings depend on the machine and on what else it is doing.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
BARE = "benchmarks/bare_slider.ipynb"
MAX_AT_ONCE = 30
TIMEOUT_S = 180
AIMS = {1: 2.5, 10: 3.0}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_voila(port: int, env: dict[str, str]) -> subprocess.Popen:
    """A Voilà server for the repository root on 127.0.0.1:port, ready to serve."""
    command = [
        str(BIN / "voila"),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--template=lg-app",
        str(ROOT),
    ]
    log = open(Path(tempfile.gettempdir()) / f"voila-load-{port}.log", "w")  # noqa: SIM115
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError(f"Voila did not start on port {port}; see {log.name}")


def fetch(url: str) -> float:
    """Seconds from sending the request to the page's last byte; fails on a broken page."""
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
        body = response.read()
    elapsed = time.perf_counter() - start
    if b"jp-OutputArea" not in body or b"Traceback" in body:
        raise RuntimeError(f"{url}: the page did not render its outputs")
    return elapsed


class MemoryWatch:
    """Samples the memory of every kernel the server starts, keeping each one's peak."""

    def __init__(self, server: subprocess.Popen) -> None:
        self.parent = psutil.Process(server.pid)
        self.page = ""  # the page whose batch is running; a new kernel is counted for it
        self.pages: dict[int, str] = {}
        self.rss: dict[int, int] = {}
        self.pss: dict[int, int] = {}
        self.cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            for child in self.parent.children(recursive=True):
                try:
                    if "ipykernel" not in " ".join(child.cmdline()):
                        continue
                    info = child.memory_full_info()
                    times = child.cpu_times()
                except (psutil.Error, OSError):
                    continue
                self.cpu[child.pid] = max(self.cpu.get(child.pid, 0.0), times.user + times.system)
                self.pages.setdefault(child.pid, self.page)
                self.rss[child.pid] = max(self.rss.get(child.pid, 0), info.rss)
                pss = getattr(info, "pss", 0)
                self.pss[child.pid] = max(self.pss.get(child.pid, 0), pss)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def shut_down_kernels(port: int) -> None:
    """Stop every kernel the server holds (no browser will ever connect to them)."""
    base = f"http://127.0.0.1:{port}/api/kernels"
    try:
        kernels = json.load(urllib.request.urlopen(base, timeout=10))
    except OSError:
        return
    for kernel in kernels:
        request = urllib.request.Request(f"{base}/{kernel['id']}", method="DELETE")
        try:
            urllib.request.urlopen(request, timeout=30).read()
        except OSError:
            continue


def batch(port: int, page: str, at_once: int, memory: MemoryWatch) -> list[float]:
    """Times of ``at_once`` simultaneous requests of ``page``."""
    memory.page = page
    url = f"http://127.0.0.1:{port}/voila/render/{page}"
    with ThreadPoolExecutor(max_workers=at_once) as pool:
        times = list(pool.map(fetch, [url] * at_once))
    time.sleep(0.6)  # the kernels are idle now: let the watcher read their final CPU time
    shut_down_kernels(port)
    time.sleep(1.0)  # let the kernels exit before the next batch
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", default="03_subsidies_and_designations")
    parser.add_argument("--at-once", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--rounds", type=int, default=2, help="rounds measured after a warm-up")
    parser.add_argument("--no-cache", action="store_true", help="turn the chart cache off")
    args = parser.parse_args()
    if any(n < 1 or n > MAX_AT_ONCE for n in args.at_once):
        parser.error(f"--at-once takes counts from 1 to {MAX_AT_ONCE}")
    app = f"notebooks/{args.app}.ipynb"
    if not (ROOT / app).is_file():
        parser.error(f"no notebook {app}")

    env = dict(os.environ)
    env.update(
        PYTHONPATH=os.environ.get("PYTHONPATH", str(ROOT)),  # another checkout to compare
        JUPYTER_PLATFORM_DIRS="1",
        JUPYTER_PATH=str(ROOT / "classroom" / "jupyter"),
    )
    if args.no_cache:
        env["EXPLAINER_CACHE_DIR"] = "off"
    port = free_port()
    server = start_voila(port, env)
    results: dict[tuple[str, int], list[float]] = {}
    try:
        with MemoryWatch(server) as memory:
            batch(port, BARE, 1, memory)  # warm-up: server, disk and caches
            batch(port, app, 1, memory)
            for _ in range(args.rounds):
                for count in args.at_once:
                    for label, page in (("bare", BARE), ("app", app)):
                        times = batch(port, page, count, memory)
                        results.setdefault((label, count), []).extend(times)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()

    load = os.getloadavg()
    cpus = os.cpu_count()
    print(f"Voila requests, {args.rounds} rounds; {cpus} CPUs; load {load[0]:.1f} {load[1]:.1f}")
    print(f"{'at once':>7} {'bare s':>8} {'app s':>8} {'app/bare':>9} {'aim':>5}")
    for count in args.at_once:
        bare = statistics.median(results[("bare", count)])
        app_s = statistics.median(results[("app", count)])
        aim = AIMS.get(count)
        shown = f"{aim:5.1f}" if aim else "    -"
        print(f"{count:7d} {bare:8.2f} {app_s:8.2f} {app_s / bare:9.2f} {shown}")
    mib = 1024 * 1024
    for label, page in (("bare", BARE), ("app", app)):
        pids = [pid for pid, seen in memory.pages.items() if seen == page]
        if not pids:
            continue
        rss = sorted(memory.rss[pid] for pid in pids)
        pss = sorted(memory.pss[pid] for pid in pids if memory.pss.get(pid))
        cpu = statistics.median(memory.cpu[pid] for pid in pids)
        line = (
            f"{label}: {len(pids)} kernels; CPU a kernel (median) {cpu:.2f} s; peak memory: "
            f"RSS median {statistics.median(rss) / mib:.0f} MiB, max {rss[-1] / mib:.0f} MiB"
        )
        if pss:
            line += f"; PSS median {statistics.median(pss) / mib:.0f} MiB, max {pss[-1] / mib:.0f}"
        print(line)


if __name__ == "__main__":
    main()
