"""The Binder environment, rebuilt from scratch: every notebook runs in it, as on Binder.

The slow test does what Binder (repo2docker) does with this repository: a fresh virtual
environment, ``pip install -r binder/requirements.txt``, then ``binder/postBuild``. Then, with
nothing from this checkout on the path, it checks the JupyterLab extensions the classroom needs
(widgets, RISE slides, the Voila preview), the Voila cell timeout that postBuild installs, and
executes every notebook with nbclient, two at a time. pip's cache is used, as on any machine.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "binder" / "requirements.txt"

#: What the classroom paths need from the pinned environment, beyond the explainer's own needs.
CLASSROOM_PACKAGES = {
    "jupyterlab",
    "voila",
    "jupyterlab-rise",
    "nbconvert",
    "ipywidgets",
    "ipykernel",
}

#: Run inside the fresh environment: extensions, Voila settings, then every notebook.
CHECK = textwrap.dedent(
    """
    import json, os, subprocess, sys, time
    from concurrent.futures import ThreadPoolExecutor
    from pathlib import Path

    import explainer
    import nbformat
    from jupyter_server.serverapp import ServerApp
    from nbclient import NotebookClient

    root = Path(sys.argv[1])
    report = {"explainer": explainer.__file__}
    def listing(*args):
        done = subprocess.run(["jupyter", *args], capture_output=True, text=True, check=True)
        return done.stdout + done.stderr

    report["labextensions"] = listing("labextension", "list")
    report["serverextensions"] = listing("server", "extension", "list")
    app = ServerApp()
    app.load_config_file()
    report["voila_executor"] = dict(app.config.get("VoilaExecutor", {}))
    report["voila_template"] = app.config.get("VoilaConfiguration", {}).get("template")
    templates = Path(sys.prefix, "share", "jupyter", "voila", "templates")
    report["slides_template"] = (templates / "lg-slides" / "index.html.j2").is_file()
    report["app_template"] = (templates / "lg-app" / "index.html.j2").is_file()

    def run(path):
        started = time.perf_counter()
        nb = nbformat.read(path, as_version=4)
        NotebookClient(
            nb, timeout=300, kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        ).execute()
        return path.name, round(time.perf_counter() - started, 1)

    paths = sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    with ThreadPoolExecutor(max_workers=2) as pool:
        report["executed"] = dict(pool.map(run, paths))
    print(json.dumps(report))
    """
)


def _requirement_names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==", line)
        if match:
            names.add(match.group(1).lower().replace("_", "-"))
    return names


def test_the_pinned_environment_has_every_classroom_tool() -> None:
    missing = CLASSROOM_PACKAGES - _requirement_names(REQUIREMENTS)
    assert not missing, f"binder/requirements.txt lacks {sorted(missing)}: add to .in, `make lock`"


def test_postbuild_is_executable_and_installs_the_voila_settings() -> None:
    postbuild = ROOT / "binder" / "postBuild"
    assert os.access(postbuild, os.X_OK)
    assert "voila.json" in postbuild.read_text() and "lg-slides" in postbuild.read_text()
    assert "lg-app" in postbuild.read_text(), "postBuild installs the app template voila.json names"
    settings = json.loads((ROOT / "voila.json").read_text())
    assert settings["VoilaExecutor"]["timeout"] > 0, "Voila sets no cell timeout by default"


@pytest.mark.slow
def test_a_fresh_binder_environment_runs_every_notebook(tmp_path: Path) -> None:
    started = time.perf_counter()
    venv = tmp_path / "binder-env"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / "bin"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "JUPYTER_PATH"}
        and key != "JUPYTER_CONFIG_PATH"
    }
    env.update(
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        VIRTUAL_ENV=str(venv),
        JUPYTER_PLATFORM_DIRS="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )

    def run(*args: str, cwd: Path = tmp_path) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        return done

    run(str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS))
    installed = time.perf_counter()
    run("bash", str(ROOT / "binder" / "postBuild"), cwd=ROOT)
    checked = run(str(bin_dir / "python"), "-c", CHECK, str(ROOT))
    report = json.loads(checked.stdout.strip().splitlines()[-1])

    assert report["explainer"].startswith(str(venv)), "the installed package, not this checkout"
    extensions = report["labextensions"]
    for name in ("@jupyter-widgets/jupyterlab-manager", "jupyterlab-rise"):
        line = next((row for row in extensions.splitlines() if name in row), "")
        assert "enabled" in line and "OK" in line, f"{name} not enabled and OK:\n{extensions}"
    assert re.search(r"voila\.server_extension.*OK", report["serverextensions"])
    assert report["voila_executor"].get("timeout", 0) > 0
    assert report["slides_template"], "postBuild installs the live-slides template"
    assert report["voila_template"] == "lg-app", "voila.json names the app template lg-app"
    assert report["app_template"], "postBuild installs the app template lg-app"
    notebooks = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert sorted(report["executed"]) == notebooks
    print(
        f"\nBinder environment: install {installed - started:.0f} s, "
        f"postBuild and {len(notebooks)} notebooks {time.perf_counter() - installed:.0f} s "
        f"({report['executed']})"
    )
