"""Test-session set-up shared by unit tests, doctests and notebook runs (nbval)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent

# Notebook kernels start in notebooks/; make sure they import this checkout's explainer.
_paths = [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(p for p in _paths if p != "."))
os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
