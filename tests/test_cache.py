"""The cross-kernel cache and the deferred IRI grammar: faster, and never a different result."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import altair as alt
import pandas as pd
import pytest
import vl_convert

from explainer import cache, charts, data, sources
from explainer.charts import policy

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(folder))
    return folder


def entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def bars(values: list[int]) -> alt.Chart:
    frame = pd.DataFrame({"firm": ["a", "b"], "value": values})
    return alt.Chart(frame).mark_bar().encode(x="firm:N", y="value:Q")


# --- the cache itself -------------------------------------------------------------------


def test_key_is_deterministic_and_ignores_dict_order():
    assert cache.content_key({"a": 1, "b": [1, 2]}) == cache.content_key({"b": [1, 2], "a": 1})
    assert cache.content_key({"a": 1}) != cache.content_key({"a": 2})
    assert len(cache.content_key("x")) == 64


def test_round_trip_and_miss(cache_folder: Path):
    assert cache.read_text("kind", "ab" * 32) is None
    assert cache.write_text("kind", "ab" * 32, "<svg>é</svg>")
    assert cache.read_text("kind", "ab" * 32) == "<svg>é</svg>"
    assert not [p for p in entries(cache_folder) if p.name.startswith(".tmp-")]


def test_off_means_nothing_is_stored(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", "off")
    assert cache.cache_dir() is None
    assert not cache.write_text("kind", "cd" * 32, "x")
    assert cache.read_text("kind", "cd" * 32) is None


def test_unwritable_folder_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(blocker))
    assert not cache.write_text("kind", "ef" * 32, "x")
    assert cache.read_text("kind", "ef" * 32) is None


def test_clear_removes_entries_and_nothing_else(cache_folder: Path):
    cache_folder.mkdir()
    mine = cache_folder / "notes.txt"
    mine.write_text("a user's own file")
    cache.write_text("kind", "01" * 32, "x")
    cache.write_text("other", "02" * 32, "y")
    assert cache.clear() == 2
    assert entries(cache_folder) == [mine]


# --- charts compiled and drawn once -----------------------------------------------------


def test_svg_is_stored_once_and_read_back_unchanged(cache_folder: Path):
    chart = bars([1, 2])
    first = charts.to_svg(chart)
    stored = entries(cache_folder)
    assert len(stored) == 1
    second = charts.to_svg(chart)
    assert second == first
    assert entries(cache_folder) == stored
    spec = charts.spec_dict(chart)
    direct = vl_convert.vegalite_to_svg(spec, vl_version=charts._vl_version())
    assert first == charts._SYMBOL.sub(r"<\1\2><title>\3</title></\1>", direct)


def test_changed_data_is_drawn_afresh(cache_folder: Path):
    before = charts.to_svg(bars([1, 2]))
    after = charts.to_svg(bars([1, 3]))
    assert after != before
    assert len(entries(cache_folder)) == 2
    os.environ["EXPLAINER_CACHE_DIR"] = "off"  # the monkeypatch fixture restores it
    assert charts.to_svg(bars([1, 3])) == after


def test_a_tampered_entry_is_what_is_read(cache_folder: Path):
    """The key is the content: an entry is trusted, so a stale one could only come from a
    key collision. This pins that the cache is really read (not silently bypassed)."""
    chart = bars([4, 5])
    charts.to_svg(chart)
    (entry,) = entries(cache_folder)
    entry.write_text("<svg>kept</svg>", encoding="utf-8")
    assert charts.to_svg(chart) == "<svg>kept</svg>"
    cache.clear()
    assert charts.to_svg(chart).startswith("<svg")
    assert charts.to_svg(chart) != "<svg>kept</svg>"


def test_vega_is_compiled_once_and_equal(cache_folder: Path):
    chart = bars([1, 2])
    compiled = charts.to_vega(chart)
    assert compiled == vl_convert.vegalite_to_vega(
        charts.spec_dict(chart), vl_version=charts._vl_version()
    )
    assert charts.to_vega(chart) == compiled
    (entry,) = entries(cache_folder)
    assert json.loads(entry.read_text(encoding="utf-8")) == compiled
    assert charts.to_svg(chart, vega=compiled) == charts.to_svg(chart)


def test_a_slider_move_reads_but_does_not_store(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch
):
    """A chart drawn in reply to a widget message is one student's: not written to disk."""
    parent = {"header": {"msg_type": "comm_msg"}}
    shell = SimpleNamespace(kernel=SimpleNamespace(get_parent=lambda channel=None: parent))
    monkeypatch.setattr("IPython.get_ipython", lambda: shell)
    assert charts._answering_a_control()
    charts.to_svg(bars([7, 8]))
    assert entries(cache_folder) == []
    parent["header"]["msg_type"] = "execute_request"
    assert not charts._answering_a_control()
    charts.to_svg(bars([7, 8]))
    assert len(entries(cache_folder)) == 1


# --- figures kept by their inputs -----------------------------------------------------------


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(data.data_dir(), folder)
    monkeypatch.setenv(data.DATA_ENV, str(folder))
    return folder


@pytest.fixture
def our_renderer():
    before = alt.renderers.active, alt.theme.active
    charts.setup()
    yield
    alt.renderers.enable(before[0])
    alt.theme.enable(before[1])


def built(figure: charts.Figure) -> bool:
    return figure._chart is not None


def test_data_fingerprint_follows_every_byte_of_the_data_folder(data_copy: Path):
    first = data.fingerprint()
    assert first == data.fingerprint() and len(first) == 64
    table = data_copy / "regions.csv"
    text = table.read_text(encoding="utf-8")
    table.write_text(text.replace(",East,1773,", ",East,1873,"))
    changed = data.fingerprint()
    assert changed != first
    (data_copy / "new.csv").write_text("a\n1\n")
    assert data.fingerprint() not in {first, changed}
    (data_copy / "new.csv").unlink()
    table.write_text(text)
    assert data.fingerprint() == first


def test_a_kept_figure_is_shown_without_building_the_chart(
    cache_folder: Path, data_copy: Path, our_renderer: None
):
    first = policy.regions_chart()
    assert isinstance(first, charts.Figure) and not built(first)
    shown = first._repr_mimebundle_()
    assert shown == first.chart._repr_mimebundle_()  # exactly what the chart itself shows
    assert shown["text/html"].startswith('<figure class="lg-figure"')
    again = policy.regions_chart()
    assert again._repr_mimebundle_() == shown
    assert again.usermeta == first.chart.usermeta
    assert not built(again)
    assert charts.spec_dict(again) == charts.spec_dict(first.chart)  # still a whole chart


def test_a_kept_figure_gives_its_sources_without_being_built(
    cache_folder: Path, data_copy: Path, our_renderer: None
):
    # A notebook's last cell lists the sources of every figure it showed; asking a kept figure
    # for them must not build the chart (asking for ``data`` first once did, at ~0.2 s a page).
    policy.regions_chart()._repr_mimebundle_()  # kept
    again = policy.regions_chart()
    ids = sources.collect_ids(again)
    assert ids and not built(again)
    assert ids == sources.collect_ids(again.chart)


def test_changed_data_never_shows_a_stale_figure(
    cache_folder: Path, data_copy: Path, our_renderer: None
):
    before = policy.regions_chart()._repr_mimebundle_()["text/html"]
    table = data_copy / "regions.csv"
    table.write_text(table.read_text(encoding="utf-8").replace(",East,1773,", ",East,1873,"))
    changed = policy.regions_chart()
    after = changed._repr_mimebundle_()["text/html"]
    assert built(changed) and after != before
    assert "1,873" in after and "1,873" not in before
    assert after == changed.chart._repr_mimebundle_()["text/html"]


def test_a_figure_built_before_a_data_change_is_not_kept_as_the_new_data(
    cache_folder: Path, data_copy: Path, our_renderer: None
):
    early = policy.regions_chart()
    charts.spec_dict(early)  # built from the data as it is now
    table = data_copy / "regions.csv"
    table.write_text(table.read_text(encoding="utf-8").replace(",East,1773,", ",East,1873,"))
    assert "1,773" in early._repr_mimebundle_()["text/html"]  # it shows what it was built from
    fresh = policy.regions_chart()._repr_mimebundle_()["text/html"]
    assert "1,873" in fresh and "1,773" not in fresh


@charts.kept_figure
def sized_bars(first: int, *, second: int = 2) -> alt.Chart:
    return bars([first, second])


def test_changed_arguments_or_code_miss_the_kept_figure(
    cache_folder: Path, our_renderer: None, monkeypatch: pytest.MonkeyPatch
):
    one = sized_bars(1)._repr_mimebundle_()
    assert sized_bars(3)._repr_mimebundle_() != one
    kept = sized_bars(1)
    assert kept._repr_mimebundle_() == one and not built(kept)
    other = sized_bars(1, second=5)
    assert other._repr_mimebundle_() != one and built(other)
    monkeypatch.setattr(cache, "code_version", lambda: "another version of the code")
    recoded = sized_bars(1)
    assert recoded._repr_mimebundle_() == one and built(recoded)


def test_a_figure_works_with_no_cache_or_another_renderer(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, data_copy: Path, our_renderer: None
):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for unusable in ("off", str(blocker)):
        monkeypatch.setenv("EXPLAINER_CACHE_DIR", unusable)
        figure = policy.regions_chart()
        assert figure._repr_mimebundle_() == figure.chart._repr_mimebundle_()
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(tmp_path / "cache"))
    alt.renderers.enable("html")
    other = policy.regions_chart()
    shown = other._repr_mimebundle_()["text/html"]
    assert "vega-embed" in shown and "lg-figure" not in shown
    assert not (tmp_path / "cache" / "entries-v1" / "figure").exists()


BUILT: list[int] = []


@charts.kept_json
def fund_template(scale: int) -> dict:
    BUILT.append(scale)
    fund = data.load_table("central_fund").iloc[0]
    return {"scale": scale, "amount": float(fund["amount_bn_yuan"]) * scale, "shares": [0.5, 1e-9]}


def test_a_kept_template_is_read_back_equal_and_rebuilt_when_an_input_changes(
    cache_folder: Path, data_copy: Path, monkeypatch: pytest.MonkeyPatch
):
    BUILT.clear()
    first = fund_template(2)
    assert fund_template(2) == first and BUILT == [2]
    assert fund_template(3) != first and BUILT == [2, 3]
    table = data_copy / "central_fund.csv"
    header, row, *rest = table.read_text(encoding="utf-8").split("\n")
    amount = str(data.load_table("central_fund").iloc[0]["amount_bn_yuan"]).removesuffix(".0")
    table.write_text("\n".join([header, row.replace(f",{amount},", ",1,", 1), *rest]))
    assert fund_template(2)["amount"] == 2.0 and BUILT == [2, 3, 2]
    monkeypatch.setattr(cache, "code_version", lambda: "another version of the code")
    assert fund_template(2)["amount"] == 2.0 and BUILT == [2, 3, 2, 2]


@pytest.mark.parametrize(
    "where, name",
    [
        ("policy", "RECORD_CHART"),
        ("explorer", "STOCK_CHART"),
        ("explorer", "SUPPORT_CHART"),
        ("trade", "TIMELINE_CHART"),
        ("debate", "OUTCOMES_CHART"),
    ],
)
def test_a_live_charts_kept_vega_is_its_example_compiled(cache_folder: Path, where, name):
    import importlib

    from explainer.charts.frames import CompiledChart

    chart = getattr(importlib.import_module(f"explainer.charts.{where}"), name)
    assert chart.compiled is not None  # every live panel's chart is kept by its inputs
    fresh = CompiledChart(chart.key, chart.template, chart.example)
    kept = CompiledChart(chart.key, chart.template, chart.example, compiled=chart.compiled)
    assert kept.vega() == fresh.vega() == charts.to_vega(chart.example())
    assert [p for p in entries(cache_folder) if "json" in p.parts]
    again = CompiledChart(chart.key, chart.template, chart.example, compiled=chart.compiled)
    assert again.vega() == fresh.vega()  # read back from the cache


def test_arguments_that_are_not_plain_json_build_the_chart_directly():
    builder = charts.kept_figure(lambda frame: alt.Chart(frame).mark_point())
    frame = pd.DataFrame({"x": [1]})
    assert isinstance(builder(frame), alt.Chart)
    assert isinstance(builder.__wrapped__(frame), alt.Chart)


# --- the IRI grammar, deferred ----------------------------------------------------------

IRI_CHECK = """
import json, sys
{prelude}
import altair, jsonschema
deferred = "rfc3987_syntax.syntax_helpers" not in sys.modules and "lark" not in sys.modules
checker = jsonschema.Draft7Validator.FORMAT_CHECKER
values = ["http://例え.jp/päth?q=1#frag", "not an iri", "//host/x", "a b", "urn:isbn:0451450523"]
verdicts = [[checker.conforms(v, f) for f in ("iri", "iri-reference")] for v in values]
print(json.dumps({{"deferred": deferred, "verdicts": verdicts}}))
"""


def run_check(prelude: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", IRI_CHECK.format(prelude=prelude)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_iri_grammar_is_deferred_and_checks_are_unchanged():
    pytest.importorskip("rfc3987_syntax")
    plain = run_check("")
    deferred = run_check("import explainer.charts")
    assert not plain["deferred"]
    assert deferred["deferred"]
    assert deferred["verdicts"] == plain["verdicts"]
    assert [True, True] in plain["verdicts"] and [False, False] in plain["verdicts"]


# --- Altair's class table, built once ------------------------------------------------------


def test_altair_class_table_is_shared_and_specs_are_unchanged():
    """Encodings given as strings build the same objects with the shared table as without."""
    from altair.utils import schemapi

    assert getattr(schemapi._FromDict.__init__, "_lg_shared", False)
    classes = list(schemapi.SchemaBase._default_wrapper_classes())
    shared = schemapi._FromDict(classes).class_dict
    fresh: dict[int, list[type]] = {}
    for tp in classes:
        if tp._schema is not None:
            fresh.setdefault(schemapi._FromDict.hash_schema(tp._schema), []).append(tp)
    assert dict(shared) == fresh
    shared[12345].append(object)  # one instance's lookups never reach another's table
    assert 12345 not in schemapi._FromDict(classes).class_dict

    def chart() -> dict:
        frame = pd.DataFrame({"year": [2019, 2020], "firms": [248, 1744]})
        encoded = (
            alt.Chart(frame)
            .mark_line()
            .encode(x="year:O", y="firms:Q", tooltip=["year:O", alt.Tooltip("firms:Q", format=",")])
        )
        return charts.spec_dict(encoded, validate=True)

    patched = chart()
    original = schemapi._FromDict.__init__
    try:
        schemapi._FromDict.__init__ = original.__wrapped__
        assert chart() == patched
    finally:
        schemapi._FromDict.__init__ = original


def test_shipped_cache_is_read_but_not_written(
    cache_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    shipped = tmp_path / "prefix" / "share" / "little-giants-explainer" / "cache"
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "prefix"))
    assert cache.shipped_dir() == shipped
    key = cache.content_key("shipped")
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(shipped))
    cache.write_text("kind", key, "from the image")
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(cache_folder))
    assert cache.read_text("kind", key) == "from the image"
    assert not cache_folder.exists()
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", "off")
    assert cache.read_text("kind", key) is None


@pytest.mark.slow
def test_warm_runs_a_notebook_into_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`python -m explainer.cache warm` fills the folder a later kernel reads from."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    notebook = tmp_path / "one_chart.ipynb"
    cells = [
        "import altair as alt, pandas as pd\nfrom explainer import charts\ncharts.setup()",
        'alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_point().encode(x="x:Q")',
    ]
    notebook.write_text(
        json.dumps(
            {
                "cells": [
                    {
                        "cell_type": "code",
                        "id": f"c{i}",
                        "metadata": {},
                        "outputs": [],
                        "execution_count": None,
                        "source": source,
                    }
                    for i, source in enumerate(cells)
                ],
                "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        )
    )
    into = tmp_path / "warmed"
    assert cache.main(["warm", str(notebook), "--into", str(into)]) == 0
    assert len(entries(into)) == 1
    assert os.environ.get("EXPLAINER_CACHE_DIR") != str(into)


# --- the picking-winners sweeps --------------------------------------------------------------


def test_a_sweep_is_kept_across_kernels_and_read_back_exactly(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sweep (a dozen runs of the seeded model) is stored under a key of its settings and
    the model's code; a later kernel reads the same numbers instead of running the model."""
    from explainer.models import picking_winners as pw

    settings = {"n_firms": 200, "n_draws": 10, "seed": 5}
    pw._swept.cache_clear()
    first = pw.sweep("market_coverage", [0.2, 0.6], **settings)
    stored = [p for p in entries(cache_folder) if "picking_sweep" in p.parts]
    assert len(stored) == 1 and json.loads(stored[0].read_text())[0][0] == "planner"
    pw._swept.cache_clear()  # a fresh kernel: nothing in memory
    monkeypatch.setattr(pw, "_sweep_rows", lambda *args: pytest.fail("ran the model again"))
    pd.testing.assert_frame_equal(pw.sweep("market_coverage", [0.2, 0.6], **settings), first)
    with pytest.raises(pytest.fail.Exception, match="ran the model again"):
        pw.sweep("market_coverage", [0.2, 0.6], **{**settings, "seed": 6})  # other inputs
    monkeypatch.setattr(pw, "_code_version", lambda: "another version of the model")
    pw._swept.cache_clear()
    with pytest.raises(pytest.fail.Exception, match="ran the model again"):
        pw.sweep("market_coverage", [0.2, 0.6], **settings)  # other code
    pw._swept.cache_clear()
