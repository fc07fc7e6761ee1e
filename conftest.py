"""Test-session set-up shared by unit tests, doctests and notebook runs (nbval)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent

# Notebook kernels start in notebooks/; make sure they import this checkout's explainer.
_paths = [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(p for p in _paths if p != "."))
os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")


class _ClassroomPages:
    """Handouts and slide decks built once per test session, on first use (see classroom/)."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self.factory = factory
        self.built: dict[str, list[Path]] = {}

    def get(self, kind: str) -> list[Path]:
        """Every page of ``kind`` ("handouts" or "slides"), built into a temporary folder."""
        if kind not in self.built:
            from classroom import build

            self.built[kind] = build.build(kind, out=self.factory.mktemp(kind))
        return self.built[kind]


@pytest.fixture(scope="session")
def classroom_pages(tmp_path_factory: pytest.TempPathFactory) -> _ClassroomPages:
    """The built handouts and decks, shared by tests/test_handouts.py and the browser tests."""
    return _ClassroomPages(tmp_path_factory)
