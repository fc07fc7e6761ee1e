"""The browser suite's own machinery, without a browser: counting, the network rule, skipping."""

from __future__ import annotations

import os
import subprocess
import sys

import harness
import pytest


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:8888/lab", True),
        ("ws://localhost:9/api/kernels", True),
        ("http://[::1]:80/", True),
        ("data:image/png;base64,AAAA", True),
        ("file:///tmp/00_start_here.student.html", True),
        ("https://cdn.jsdelivr.net/npm/vega@5", False),
        ("http://127.0.0.1.nip.io/", False),
        ("http://10.0.0.1/", False),
    ],
)
def test_only_loopback_is_allowed(url: str, local: bool) -> None:
    assert harness.is_loopback(url) is local


def _widget(name: str, **state: object) -> dict[str, object]:
    return {"model_name": name, "model_module": "@jupyter-widgets/controls", "state": state}


def test_expected_counts_follow_displayed_widgets_only() -> None:
    figure = '<figure class="lg-figure"><svg></svg></figure>'
    state = {
        "box": _widget("VBoxModel", children=["IPY_MODEL_slider", "IPY_MODEL_chart"]),
        "slider": _widget("FloatSliderModel", value=1.0),
        "chart": _widget("HTMLModel", value=figure),
        "hidden": _widget("HTMLModel", value=figure),  # built but never displayed
    }
    view = {"application/vnd.jupyter.widget-view+json": {"model_id": "box"}}
    cells = [
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [{"output_type": "display_data", "data": view}],
        },
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [{"output_type": "execute_result", "data": {"text/html": figure}}],
        },
        {
            "cell_type": "code",
            "metadata": {"tags": ["raises-exception"]},
            "outputs": [
                {"output_type": "error", "ename": "ValueError", "evalue": "shown on purpose"}
            ],
        },
    ]
    notebook = {"cells": cells, "metadata": {"widgets": {harness.WIDGET_STATE: {"state": state}}}}
    expected = harness.count_expected(notebook)
    assert (expected.charts, expected.widget_views, expected.panels) == (2, 1, 1)
    assert expected.errors == []


@pytest.mark.parametrize(("ci", "outcome"), [("", "skipped"), ("true", "error")])
def test_without_chromium_skip_locally_but_fail_in_ci(ci: str, outcome: str) -> None:
    env = {**os.environ, "LG_CHROMIUM": "/nonexistent/chromium", "CI": ci}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rs",
            "-m",
            "browser",
            "-k",
            "00_start_here or 03",
            str(harness.ROOT / "tests" / "browser"),
        ],
        cwd=harness.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert outcome in run.stdout.splitlines()[-1], run.stdout[-2000:]
    assert "apt-get install chromium" in run.stdout
    assert (run.returncode == 0) is (outcome == "skipped")
