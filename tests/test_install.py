"""`pip install .` (not editable) ships the data: the installed package finds every table."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_wheel_ships_data_and_loads_it_from_anywhere(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = wheels.glob("little_giants_explainer-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    described = {p.name for p in (ROOT / "data").glob("*.csv")} | {"datapackage.json"}
    shipped = {Path(n).name for n in names if n.startswith("explainer/_data/")}
    assert described <= shipped

    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
    )
    probe = (
        "import explainer, explainer.data as d; "
        "print(explainer.__file__); print(d.data_dir()); print(sum(d.validate_all().values()))"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    assert out[0].startswith(str(site))
    assert out[1] == str(site / "explainer" / "_data")
    assert int(out[2]) > 0


def test_import_is_light() -> None:
    """`import explainer` does not pull in Altair or ipywidgets (they load on first use)."""
    probe = "import sys, explainer; print('altair' in sys.modules, 'ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    assert out.stdout.split() == ["False", "False"]
