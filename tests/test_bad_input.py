"""Bad input, class by class, through every entry point (issue 16).

Each class a student who breaks things finds: numbers too large for a float, NaN and Infinity
tokens and over-long numbers in scenario files, files of any bytes, header-only and missing
table files. Every refusal is a ``ValueError`` (or the loader's ``DataFileError``) naming the
setting, or the file, and the allowed range; property tests generate the cases.
"""

from __future__ import annotations

import json
import math
import shutil
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from uploads import upload

from explainer import data
from explainer.models.pipeline import designation_pipeline
from explainer.models.subsidy import subsidy_arithmetic
from explainer.parameters import defaults, parameter_specs, validate_value
from explainer.widgets import explorer as ex

TABLE, SUBSIDY, PIPELINE = "parameters_explorer", "subsidy_arithmetic", "designation_pipeline"
SPECS = parameter_specs(TABLE, SUBSIDY)
NAMES = list(SPECS)
EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

#: Numbers no setting can take: too large for a float, NaN, infinite, or exact fractions
#: too large for a float.
huge_ints = st.integers(min_value=309, max_value=6000).flatmap(
    lambda digits: st.sampled_from([10**digits, -(10**digits), 10**digits + 7])
)
non_finite = st.sampled_from([math.nan, math.inf, -math.inf])
huge_fractions = huge_ints.map(lambda n: Fraction(n, 3))
unusable = st.one_of(huge_ints, non_finite, huge_fractions)


def _names_setting_and_range(message: str, name: str) -> bool:
    return name in message and SPECS[name].range_text in message


@pytest.fixture(scope="module")
def subsidy() -> ex.SubsidyPanel:
    return ex.SubsidyPanel()


def _scenario(values: dict[str, Any]) -> dict[str, Any]:
    return {"format": ex.SCENARIO_FORMAT, "version": 1, "model": SUBSIDY, "values": values}


# --- numbers too large for a float, NaN, infinity: every entry point --------------------------


@EXAMPLES
@given(name=st.sampled_from(NAMES), value=unusable)
def test_unusable_numbers_are_refused_by_the_record(name: str, value: Any) -> None:
    with pytest.raises(ValueError) as refused:
        validate_value(SPECS[name], value)
    assert _names_setting_and_range(str(refused.value), name)
    assert len(str(refused.value)) < 300  # a 5000-digit number is named, not printed


@EXAMPLES
@given(name=st.sampled_from(NAMES), value=unusable)
def test_unusable_numbers_are_refused_by_the_model(name: str, value: Any) -> None:
    with pytest.raises(ValueError) as refused:
        subsidy_arithmetic(**{name: value})
    assert _names_setting_and_range(str(refused.value), name)


@EXAMPLES
@given(value=huge_ints)
def test_unusable_numbers_are_refused_by_the_pipeline_model(value: int) -> None:
    with pytest.raises(ValueError, match="pass_rate must be between"):
        designation_pipeline(pass_rate=value)


@EXAMPLES
@given(name=st.sampled_from(NAMES), value=unusable)
def test_panel_set_refuses_and_changes_nothing(
    subsidy: ex.SubsidyPanel, name: str, value: Any
) -> None:
    before = subsidy.values
    with pytest.raises(ValueError) as refused:
        subsidy.set(**{name: value})
    assert _names_setting_and_range(str(refused.value), name)
    assert subsidy.values == before


@EXAMPLES
@given(name=st.sampled_from(NAMES), value=unusable)
def test_a_scenario_dict_with_unusable_numbers_is_refused(name: str, value: Any) -> None:
    values = {**defaults(TABLE, SUBSIDY), name: value}
    with pytest.raises(ValueError, match="^Scenario refused: ") as refused:
        ex.check_scenario(_scenario(values), SUBSIDY)
    assert _names_setting_and_range(str(refused.value), name)


def _text_with(name: str, token: str) -> str:
    """A valid scenario's JSON text with one setting's value replaced by a raw token."""
    values = defaults(TABLE, SUBSIDY)
    text = json.dumps(_scenario({**values, name: 123456789}))
    return text.replace("123456789", token)


#: Number tokens no setting can take: NaN and Infinity (JSON extensions Python reads), floats
#: beyond a float's range, and integers of any length up to 6000 digits.
bad_tokens = st.one_of(
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "-1e999"]),
    st.integers(min_value=41, max_value=6000).map(lambda n: "9" * n),
    st.integers(min_value=41, max_value=500).map(lambda n: "0." + "0" * n + "1"),
)


@EXAMPLES
@given(name=st.sampled_from(NAMES), token=bad_tokens, form=st.sampled_from(["text", "bytes"]))
def test_bad_number_tokens_are_refused_naming_the_setting(name: str, token: str, form: str) -> None:
    text = _text_with(name, token)
    source: Any = text if form == "text" else text.encode()
    with pytest.raises(ValueError, match="^Scenario refused: ") as refused:
        ex.check_scenario(source, SUBSIDY)
    message = str(refused.value)
    assert _names_setting_and_range(message, name), message
    assert "Exceeds the limit" not in message and len(message) < 300


def test_bad_number_tokens_are_refused_from_a_path(tmp_path: Path) -> None:
    for number, token in enumerate(["NaN", "Infinity", "9" * 5000, "1e400"]):
        path = tmp_path / f"s{number}.json"
        path.write_text(_text_with("fund_years", token), encoding="utf-8")
        with pytest.raises(ValueError, match="^Scenario refused: fund_years must be between"):
            ex.check_scenario(path, SUBSIDY)


@EXAMPLES
@given(name=st.sampled_from(NAMES), token=bad_tokens)
def test_the_upload_shows_every_refusal_and_changes_nothing(
    subsidy: ex.SubsidyPanel, name: str, token: str
) -> None:
    subsidy.reset()
    before = subsidy.values
    upload(subsidy, "mine.json", _text_with(name, token).encode())
    message = subsidy.scenario_message.value
    assert "Scenario refused" in message and name in message, message
    assert "were not changed" in message and subsidy.values == before


@EXAMPLES
@given(content=st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_any_bytes_are_loaded_or_refused_never_crash(
    subsidy: ex.SubsidyPanel, content: bytes
) -> None:
    subsidy.reset()
    before = subsidy.values
    try:
        ex.check_scenario(content, SUBSIDY)
    except ValueError as exc:
        assert str(exc).startswith("Scenario refused: ")
    upload(subsidy, "any.json", content)
    assert subsidy.values == before or "Loaded" in subsidy.scenario_message.value


def test_deeply_nested_json_is_refused() -> None:
    for text in ("[" * 10_000 + "]" * 10_000, '{"a":' * 3000 + "1" + "}" * 3000):
        with pytest.raises(ValueError, match="^Scenario refused: "):
            ex.check_scenario(text.encode(), SUBSIDY)


# --- size bounded before parsing --------------------------------------------------------------


def test_a_large_file_is_refused_before_it_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("parsed a file that is too large")

    monkeypatch.setattr(ex.json, "loads", never)
    big = _text_with("fund_years", "3" + " " * ex.MAX_SCENARIO_BYTES).encode()
    path = tmp_path / "big.json"
    path.write_bytes(big)
    for source in (big, big.decode(), path):
        with pytest.raises(ValueError, match=r"at most 16,384 bytes"):
            ex.check_scenario(source, SUBSIDY)


def test_long_numbers_never_reach_int(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 5000-digit token is refused from its length: ``int()`` is never asked to convert it."""
    text = _text_with("fund_years", "7" * 5000)
    with pytest.raises(ValueError, match="longer than 40 characters"):
        ex.check_scenario(text, SUBSIDY)


def test_scenario_json_text_round_trips(subsidy: ex.SubsidyPanel) -> None:
    subsidy.reset()
    text = json.dumps(subsidy.export_scenario())
    assert ex.check_scenario(text, SUBSIDY) == subsidy.values


# --- table files: header-only and missing -----------------------------------------------------


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(data.data_dir(), folder)
    return folder


@pytest.mark.parametrize("name", data.table_names())
def test_a_header_only_file_is_refused_naming_it(data_copy: Path, name: str) -> None:
    resource = data.resource(name, data_copy)
    assert resource.get(data.MIN_ROWS, 1) >= 1  # the descriptor says every table has rows
    path = data_copy / resource["path"]
    original = path.read_bytes()
    try:
        path.write_bytes(original.splitlines(keepends=True)[0])
        with pytest.raises(data.DataFileError, match="needs at least 1") as refused:
            data.load_table(name, data_copy)
        assert refused.value.file == f"data/{resource['path']}"
    finally:
        path.write_bytes(original)


@pytest.mark.parametrize("name", ["parameters_explorer", "sources", "timeline"])
def test_a_missing_file_raises_the_loaders_error(
    data_copy: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data_copy / data.resource(name, data_copy)["path"]
    hidden = path.with_suffix(".hidden")
    path.rename(hidden)
    monkeypatch.setenv(data.DATA_ENV, str(data_copy))
    try:
        with pytest.raises(data.DataFileError, match=f"data/{path.name}: the file is missing"):
            data.load_table(name)
        if name == "parameters_explorer":
            with pytest.raises(data.DataFileError, match="parameters_explorer.csv"):
                parameter_specs(TABLE, SUBSIDY)
    finally:
        hidden.rename(path)


def test_the_data_folder_can_be_overridden(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(data.DATA_ENV, str(data_copy))
    assert data.data_dir() == data_copy
    assert data.validate_all() == data.validate_all(data_copy)


# --- where scenario files go (issue 15, item 6) -----------------------------------------------


def test_save_goes_to_a_scenarios_folder_beside_the_notebooks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, subsidy: ex.SubsidyPanel
) -> None:
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    monkeypatch.chdir(notebooks)  # where a notebook's kernel runs
    monkeypatch.delenv(ex.SCENARIO_FOLDER_ENV, raising=False)
    assert ex.scenario_folder() == tmp_path / "scenarios"
    subsidy.export_button.click()
    assert list(notebooks.iterdir()) == []  # nothing among the notebooks
    saved = list((tmp_path / "scenarios").glob("scenario-subsidy_arithmetic-*.json"))
    assert len(saved) == 1 and subsidy.last_export == saved[0]
    message = subsidy.scenario_message.value
    assert "scenarios/" in message and "data:application/json;base64," in message


def test_save_offers_the_download_when_the_folder_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, subsidy: ex.SubsidyPanel
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv(ex.SCENARIO_FOLDER_ENV, str(blocked / "scenarios"))
    subsidy.export_button.click()
    message = subsidy.scenario_message.value
    assert "data:application/json;base64," in message and "could not be saved" in message


def test_the_load_button_has_no_file_count(subsidy: ex.SubsidyPanel) -> None:
    """ipywidgets writes "Load scenario (0)" on an upload button; the button carries the class
    that the page's control helper looks for to drop the count (the browser test of the app
    page reads the button's text)."""
    from importlib.resources import files

    assert "lg-scenario-upload" in subsidy.upload._dom_classes
    helper = files("explainer.widgets").joinpath("controls.js").read_text(encoding="utf-8")
    assert 'within(root, ".lg-scenario-upload")' in helper


# --- the other panels: the record explorer (01) and the timeline explorer (02) ----------------


@pytest.fixture(scope="module")
def timeline() -> Any:
    from explainer.widgets.timeline import TimelineExplorer

    return TimelineExplorer()


@EXAMPLES
@given(
    setting=st.sampled_from(["start", "end", "event", "actors", "categories"]),
    value=st.one_of(unusable, huge_ints.map(lambda n: [n]), st.just("<img src=x>")),
)
def test_the_timeline_explorer_refuses_naming_the_setting(
    timeline: Any, setting: str, value: Any
) -> None:
    before = dict(timeline.values)
    with pytest.raises(ValueError) as refused:
        timeline.set(**{setting: value})
    message = str(refused.value)
    assert message.startswith(setting) and len(message) < 400
    assert timeline.values == before


@pytest.fixture(scope="module")
def record() -> Any:
    from explainer.widgets.policy import RecordExplorer

    return RecordExplorer()


@EXAMPLES
@given(value=unusable)
def test_the_record_explorer_refuses_naming_the_setting(record: Any, value: Any) -> None:
    before = record.values
    with pytest.raises(ValueError, match="^year must be between 2019 and"):
        record.set(year=value)
    assert record.values == before


@EXAMPLES
@given(
    name=st.sampled_from(data.table_names()),
    bom=st.booleans(),
    newline=st.sampled_from(["\n", "\r\n"]),
    blank_lines=st.integers(min_value=0, max_value=3),
)
def test_a_header_with_only_blank_lines_is_refused(
    data_copy: Path, name: str, bom: bool, newline: str, blank_lines: int
) -> None:
    resource = data.resource(name, data_copy)
    path = data_copy / resource["path"]
    original = path.read_bytes()
    header = original.decode("utf-8-sig").splitlines()[0]
    text = ("\ufeff" if bom else "") + header + newline * (1 + blank_lines)
    try:
        path.write_bytes(text.encode("utf-8"))
        with pytest.raises(data.DataFileError, match=f"data/{resource['path']}: has 0 data row"):
            data.load_table(name, data_copy)
    finally:
        path.write_bytes(original)
