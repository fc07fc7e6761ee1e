"""The designation and subsidy explorer: two panels, presets and scenario files.

:class:`PipelinePanel` joins :func:`~explainer.models.pipeline.designation_pipeline` to the
stock chart, :class:`SubsidyPanel` joins :func:`~explainer.models.subsidy.subsidy_arithmetic`
to the support chart. Both are :class:`~explainer.widgets.base.Panel` objects, so code drives
them the way a reader does:

>>> panel = PipelinePanel()
>>> panel.set(pass_rate=0.6)
>>> panel.values["pass_rate"], panel.result.target_met_year
(0.6, 2023)
>>> panel.apply_preset("article")
>>> panel.preset, panel.values["new_per_year"]
('article', 1587)

On top of the base panel each has a **preset** menu (the 2022 news story, the official plan,
what actually happened: ``data/presets_explorer.csv``) and **scenario files**: the current
settings saved as a small JSON file and loaded back, so a student's work is not lost.

>>> scenario = panel.export_scenario()
>>> scenario["format"], scenario["version"], scenario["model"]
('little-giants-scenario', 1, 'designation_pipeline')
>>> panel.reset()
>>> panel.import_scenario(scenario)
>>> panel.preset
'article'

A scenario that is not valid is refused with a :class:`ValueError` that says what is wrong,
and the panel keeps its settings. :class:`ExplorerApp` lays the two panels out as tabs.
"""

from __future__ import annotations

import base64
import collections
import datetime
import functools
import html
import json
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

import ipywidgets as widgets
import pandas as pd

from explainer.charts.explorer import stock_projection_frame, support_per_firm_frame
from explainer.charts.frames import ChartFrame
from explainer.data import load_table
from explainer.models.pipeline import (
    PipelineResult,
    batch_needed_for_target,
    designation_pipeline,
)
from explainer.models.subsidy import SubsidyResult, subsidy_arithmetic
from explainer.parameters import ParameterSpec, parameter_specs, validate_value, value_text
from explainer.widgets.base import STATIC_ENV, Panel, format_value

__all__ = [
    "NO_PRESET",
    "PRESET_LABELS",
    "SCENARIO_FORMAT",
    "SCENARIO_VERSION",
    "ExplorerApp",
    "ExplorerPanel",
    "PipelinePanel",
    "SubsidyPanel",
    "check_scenario",
    "presets",
    "presets_table",
    "scenario_folder",
    "scenario_message",
    "scenario_upload",
]

PARAMETER_TABLE = "parameters_explorer"
PRESET_TABLE = "presets_explorer"
SCENARIO_FORMAT = "little-giants-scenario"
SCENARIO_VERSION = 1
SCENARIO_KEYS = ("format", "version", "model", "values")
#: What the preset menu calls each preset of ``data/presets_explorer.csv``.
PRESET_LABELS = {
    "article": "The 2022 news story",
    "official_plan": "The official plan (2021)",
    "actual": "What actually happened",
}
NO_PRESET = ""
_ERROR_STYLE = "color:#D55E00"


# --- presets ----------------------------------------------------------------------------------


def presets(model: str) -> dict[str, dict[str, float | int]]:
    """The presets of one model, ``{preset: {parameter: value}}``, in the table's order.

    Values are checked against the parameter records and typed like them (``int`` for whole
    parameters), so a preset sets exactly the value in ``data/presets_explorer.csv``.

    Raises
    ------
    ValueError
        If a preset misses a parameter, names an unknown one or holds a value out of range.

    Examples
    --------
    >>> presets("subsidy_arithmetic")["article"]["key_firms_per_round"]
    10000
    """
    specs = parameter_specs(PARAMETER_TABLE, model)
    table = load_table(PRESET_TABLE)
    table = table[table["model"] == model]
    found: dict[str, dict[str, float | int]] = {}
    for row in table.itertuples(index=False):
        if row.name not in specs:
            raise ValueError(f"preset {row.preset!r} of {model} sets an unknown {row.name!r}")
        found.setdefault(row.preset, {})[row.name] = validate_value(specs[row.name], row.value)
    for name, values in found.items():
        missing = [p for p in specs if p not in values]
        if missing:
            raise ValueError(f"preset {name!r} of {model} lacks {', '.join(missing)}")
        found[name] = {p: values[p] for p in specs}
    return found


def presets_table(model: str) -> pd.DataFrame:
    """Every preset value of one model with its basis, sources and note, for a reader.

    Returns
    -------
    pandas.DataFrame
        Columns ``Preset``, ``Setting``, ``Value`` (text, as
        :func:`~explainer.widgets.base.format_value` writes it: years as ``2021``),
        ``Basis``, ``Sources``, ``Note``, plus ``source_ids`` (so
        :func:`explainer.sources.references` can list them).
    """
    specs = parameter_specs(PARAMETER_TABLE, model)
    table = load_table(PRESET_TABLE)
    table = table[table["model"] == model]
    return pd.DataFrame(
        {
            "Preset": [PRESET_LABELS.get(p, p) for p in table["preset"]],
            "Setting": [specs[n].label for n in table["name"]],
            "Value": [format_value(specs[n], v) for n, v in zip(table["name"], table["value"])],
            "Basis": table["basis"].to_numpy(),
            "Sources": [", ".join(ids) or "(our assumption)" for ids in table["source_ids"]],
            "Note": table["note"].fillna("").to_numpy(),
            "source_ids": table["source_ids"].to_numpy(),
        }
    )


# --- scenario files ---------------------------------------------------------------------------

#: The largest scenario file read (a saved one is about 300 bytes); a bigger one is refused
#: before it is parsed.
MAX_SCENARIO_BYTES = 16_384
#: The longest number a scenario file may write (in characters); a longer one is refused
#: before Python converts it (a 5000-digit integer would otherwise take Python's own limit).
MAX_NUMBER_CHARS = 40
#: The environment variable naming the folder "Save scenario" writes to (default: see
#: :func:`scenario_folder`).
SCENARIO_FOLDER_ENV = "LITTLE_GIANTS_SCENARIOS"


class _BadNumber:
    """A number token of a scenario file that no setting can take (NaN, Infinity, too long)."""

    def __init__(self, token: str, why: str) -> None:
        self.token, self.why = token, why

    def __repr__(self) -> str:
        shown = self.token if len(self.token) <= 12 else f"a {len(self.token)}-character number"
        return f"{shown} ({self.why})"


def check_scenario(
    source: Mapping[str, Any] | str | os.PathLike[str] | bytes,
    model: str,
    specs: Mapping[str, ParameterSpec] | None = None,
) -> dict[str, float | int]:
    """Read and check a scenario; return its values, or refuse it with a clear message.

    Parameters
    ----------
    source : dict, str, path or bytes
        A parsed scenario (as :meth:`ExplorerPanel.export_scenario` returns it); the JSON text
        of one (a string that starts with ``{``); the path of a scenario file; or the bytes of
        one (an upload).
    model : str
        The model the scenario must be for.
    specs : mapping, optional
        The model's parameter records (default: read from ``data/parameters_explorer.csv``).

    Returns
    -------
    dict
        Every parameter, in record order, checked against its record.

    Raises
    ------
    ValueError
        If the file cannot be read, is larger than :data:`MAX_SCENARIO_BYTES` or is not
        JSON, is not a scenario of this format and version, is for another model, or its
        values are missing, unknown or invalid (NaN, Infinity, a number longer than
        :data:`MAX_NUMBER_CHARS` characters or too large for a float, out of range). The
        message starts with "Scenario refused:", names the setting where there is one and
        gives its allowed range.

    Examples
    --------
    >>> check_scenario({"format": "little-giants-scenario", "version": 1,
    ...                 "model": "subsidy_arithmetic", "values": {}}, "subsidy_arithmetic")
    Traceback (most recent call last):
    ...
    ValueError: Scenario refused: it has no value for fund_bn_yuan, fund_years, ...
    """
    specs = parameter_specs(PARAMETER_TABLE, model) if specs is None else specs
    data = _parse_scenario(source)
    if not isinstance(data, dict):
        _refuse(f"it should be a JSON object with the keys {', '.join(SCENARIO_KEYS)}")
    missing = [key for key in SCENARIO_KEYS if key not in data]
    extra = sorted(map(_shown, set(data) - set(SCENARIO_KEYS)))
    if missing:
        _refuse(f"it lacks {', '.join(map(repr, missing))}; is it a little-giants scenario file?")
    if extra:
        _refuse(f"it has unexpected entries {', '.join(extra)}")
    if not isinstance(data["format"], str) or data["format"] != SCENARIO_FORMAT:
        _refuse(f"its format is {_shown(data['format'])}, not {SCENARIO_FORMAT!r}")
    version = data["version"]
    if type(version) is not int or version != SCENARIO_VERSION:
        _refuse(f"it is version {_shown(version)}; this explorer reads version {SCENARIO_VERSION}")
    if not isinstance(data["model"], str) or data["model"] != model:
        _refuse(f"it is for the {_shown(data['model'])} model, and this panel is {model!r}")
    values = data["values"]
    if not isinstance(values, dict):
        _refuse("its 'values' should be an object of setting names and numbers")
    unknown = sorted(map(_shown, set(values) - set(specs)))
    absent = [name for name in specs if name not in values]
    if unknown:
        _refuse(
            f"it has unknown setting(s) {', '.join(unknown)}; the settings are {', '.join(specs)}"
        )
    if absent:
        _refuse(f"it has no value for {', '.join(absent)}")
    checked = {}
    for name, spec in specs.items():
        value = values[name]
        if isinstance(value, _BadNumber):
            _refuse(f"{name} must be {spec.range_text}; the file gives {value!r}")
        try:
            checked[name] = validate_value(spec, value)
        except ValueError as exc:
            _refuse(str(exc))
    return checked


def _shown(value: Any) -> str:
    if isinstance(value, _BadNumber):
        return repr(value)
    return value_text(value)


def _refuse(reason: str) -> NoReturn:
    raise ValueError(f"Scenario refused: {reason}.")


def _parse_scenario(source: Any) -> Any:
    if isinstance(source, Mapping):
        return dict(source)
    if isinstance(source, str) and source.lstrip()[:1] in ("{", "["):
        raw, where = source.encode("utf-8", errors="surrogatepass"), "the text"
        _check_size(len(raw), where)
    elif isinstance(source, bytes | bytearray | memoryview):
        raw, where = bytes(source), "the upload"
        _check_size(len(raw), where)
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        where = path.name
        try:
            _check_size(path.stat().st_size, where)
            with path.open("rb") as handle:
                raw = handle.read(MAX_SCENARIO_BYTES + 1)
        except (OSError, ValueError) as exc:
            if isinstance(exc, ValueError) and str(exc).startswith("Scenario refused"):
                raise
            reason = getattr(exc, "strerror", None) or exc
            _refuse(f"the file {value_text(str(path))} cannot be read ({reason})")
        _check_size(len(raw), where)
    else:
        _refuse(f"expected a file path, file contents or a dict, not {type(source).__name__}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        _refuse(f"{where} is not a text file")
    try:
        return json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_constant,
            parse_int=_integer,
            parse_float=_float,
        )
    except json.JSONDecodeError as exc:
        _refuse(f"{where} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")
    except RecursionError:
        _refuse(f"{where} is nested too deeply to be a scenario file")


def _check_size(size: int, where: str) -> None:
    if size > MAX_SCENARIO_BYTES:
        _refuse(
            f"{where} is {size:,} bytes; a scenario file is at most {MAX_SCENARIO_BYTES:,} bytes "
            "(a saved one is under 1,000)"
        )


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    counts = collections.Counter(key for key, _ in pairs)
    repeated = [key for key, n in counts.items() if n > 1]
    if repeated:
        _refuse(f"it gives {value_text(repeated[0])} more than once")
    return dict(pairs)


def _constant(name: str) -> _BadNumber:
    return _BadNumber(name, "not a number" if name == "NaN" else "infinite")


def _integer(token: str) -> int | _BadNumber:
    if len(token) > MAX_NUMBER_CHARS:
        return _BadNumber(token, f"longer than {MAX_NUMBER_CHARS} characters")
    return int(token)


def _float(token: str) -> float | _BadNumber:
    if len(token) > MAX_NUMBER_CHARS:
        return _BadNumber(token, f"longer than {MAX_NUMBER_CHARS} characters")
    number = float(token)
    return number if math.isfinite(number) else _BadNumber(token, "too large for a number")


def scenario_folder() -> Path:
    """Where "Save scenario" writes: a ``scenarios/`` folder beside ``notebooks/``.

    Notebooks run in ``notebooks/``, so the folder is ``../scenarios`` from there (at the top
    of the project, where the file browser shows it), or ``./scenarios`` from anywhere else.
    The environment variable ``LITTLE_GIANTS_SCENARIOS`` names another folder.
    """
    override = os.environ.get(SCENARIO_FOLDER_ENV)
    if override:
        return Path(override)
    here = Path.cwd()
    return (here.parent if here.name == "notebooks" else here) / "scenarios"


#: The upload button's class: the page's control helper (``controls.js``, loaded once per page
#: by every panel) drops the file count ipywidgets writes after the label ("Load scenario (0)"),
#: so the button's own text, which screen readers read, is the label alone.
_UPLOAD_CLASS = "lg-scenario-upload"


def scenario_upload() -> widgets.FileUpload:
    """The "Load scenario" button (one JSON file), labelled without ipywidgets' "(0)" count."""
    upload = widgets.FileUpload(
        accept=".json,application/json",
        multiple=False,
        description="Load scenario",
        tooltip="Load settings saved earlier",
    )
    upload.add_class(_UPLOAD_CLASS)
    return upload


def scenario_message() -> widgets.HTML:
    """The line under the scenario buttons, where refusals and saved files are reported."""
    return widgets.HTML()


# --- panels -----------------------------------------------------------------------------------


class ExplorerPanel(Panel):
    """A :class:`~explainer.widgets.base.Panel` with a preset menu and scenario files.

    Subclasses set :attr:`model` (the model's name in ``data/parameters_explorer.csv``) and
    implement ``compute`` and ``render`` as for any panel.

    Attributes
    ----------
    presets : dict
        ``{preset: {parameter: value}}`` from ``data/presets_explorer.csv``.
    preset_picker : ipywidgets.Dropdown
        Choosing a preset sets every value in one update; it shows "No preset" once a
        value no longer matches one.
    export_button, upload : ipywidgets widgets
        Save the settings as a JSON file the browser downloads, with a copy in
        :attr:`export_folder` (default: :func:`scenario_folder`, a ``scenarios/`` folder
        beside ``notebooks/``), and load one from the browser.
    scenario_message : ipywidgets.HTML
        What the last save or load did, or why a file was refused.
    """

    model: str = ""

    def __init__(self, **values: float | int) -> None:
        specs = parameter_specs(PARAMETER_TABLE, self.model)
        self.presets = presets(self.model)
        self.export_folder: Path | None = None
        self.last_export: Path | None = None
        options = [("No preset", NO_PRESET)]
        options += [(PRESET_LABELS.get(name, name), name) for name in self.presets]
        self.preset_picker = widgets.Dropdown(
            options=options,
            value=NO_PRESET,
            description="Preset",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="360px"),
        )
        self.export_button = widgets.Button(
            description="Save scenario", icon="download", tooltip="Save these settings to a file"
        )
        self.upload = scenario_upload()
        self.scenario_message = scenario_message()
        self._syncing = False
        super().__init__(specs, **values)
        self.preset_picker.observe(self._on_preset, names="value")
        self.export_button.on_click(lambda _: self._on_export())
        self.upload.observe(self._on_upload, names="value")

    # --- presets -----------------------------------------------------------------------------
    @property
    def preset(self) -> str | None:
        """The preset the current values match exactly, or None."""
        values = self.values
        return next((name for name, p in self.presets.items() if p == values), None)

    def apply_preset(self, name: str) -> None:
        """Set every value to the preset ``name`` in one update.

        Raises
        ------
        ValueError
            If there is no such preset; nothing changes then.
        """
        if name not in self.presets:
            raise ValueError(f"no preset named {name!r}; presets: {', '.join(self.presets)}")
        self.set(**self.presets[name])

    def update(self) -> None:
        super().update()
        self._syncing = True
        try:
            self.preset_picker.value = self.preset or NO_PRESET
        finally:
            self._syncing = False

    def _on_preset(self, change: Mapping[str, Any]) -> None:
        if not self._syncing and change["new"]:
            self.apply_preset(change["new"])

    # --- scenario files ----------------------------------------------------------------------
    def export_scenario(self, path: str | os.PathLike[str] | None = None) -> dict[str, Any] | Path:
        """The current settings as a scenario; written to ``path`` as JSON if one is given.

        Returns
        -------
        dict or Path
            ``{"format": "little-giants-scenario", "version": 1, "model": ..., "values":
            {...}}``, or the path written.
        """
        scenario = {
            "format": SCENARIO_FORMAT,
            "version": SCENARIO_VERSION,
            "model": self.model,
            "values": self.values,
        }
        if path is None:
            return scenario
        path = Path(path)
        path.write_text(json.dumps(scenario, indent=2) + "\n", encoding="utf-8")
        return path

    def import_scenario(self, source: Mapping[str, Any] | str | os.PathLike[str] | bytes) -> None:
        """Load a scenario (a dict, JSON text, a file path or a file's bytes) in one update.

        Raises
        ------
        ValueError
            If :func:`check_scenario` refuses it or the model cannot compute it; the panel
            keeps its current settings then.
        """
        values = check_scenario(source, self.model, self.specs)
        try:
            self.compute(values)
        except ValueError as exc:
            _refuse(f"the model cannot use these settings ({exc})")
        self.set(**values)

    def _on_export(self) -> None:
        scenario = self.export_scenario()
        text = json.dumps(scenario, indent=2) + "\n"
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        name = f"scenario-{self.model}-{stamp}.json"
        link = base64.b64encode(text.encode("utf-8")).decode("ascii")
        download = (
            f'<a download="{html.escape(name)}" href="data:application/json;base64,{link}" '
            f'style="font-weight:bold">Download {html.escape(name)}</a>'
        )
        folder = scenario_folder() if self.export_folder is None else Path(self.export_folder)
        path = folder / name
        n = 1
        while path.exists():
            n += 1
            path = folder / f"scenario-{self.model}-{stamp}-{n}.json"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            reason = html.escape(str(exc.strerror or exc))
            self._say(
                f"{download} to keep these settings (it could not be saved on the server: "
                f"{reason}).",
                escape=False,
            )
            return
        self.last_export = path
        shown = f"{folder.name}/{path.name}"
        self._say(
            f"Saved as <code>{html.escape(shown)}</code> (a folder beside the notebooks). "
            f"{download} to keep a copy on this computer.",
            escape=False,
        )

    def _on_upload(self, change: Mapping[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[0]
        name = str(upload.get("name", "the file"))
        name = name if len(name) <= 60 else name[:59] + "\u2026"
        try:
            self.import_scenario(bytes(upload["content"]))
        except ValueError as exc:
            self._say(f"{name}: {exc} The settings were not changed.", error=True)
        except Exception as exc:  # a student must see every refusal
            self._say(
                f"{name}: Scenario refused: it could not be read ({type(exc).__name__}). "
                "The settings were not changed.",
                error=True,
            )
        else:
            self._say(f"Loaded the scenario from {name}.")
        finally:
            self.upload.value = ()  # so that the same file can be loaded again

    def _say(self, text: str, *, error: bool = False, escape: bool = True) -> None:
        body = html.escape(text) if escape else text
        style = f' style="{_ERROR_STYLE}"' if error else ""
        self.scenario_message.value = f"<p{style}>{body}</p>"

    # --- display -----------------------------------------------------------------------------
    def control_box(self) -> widgets.Widget:
        """Preset menu, sliders, then reset, save and load with the scenario message."""
        buttons = widgets.HBox([self.reset_button, self.export_button, self.upload])
        return widgets.VBox(
            [self.preset_picker, *self.controls.values(), buttons, self.scenario_message]
        )


class PipelinePanel(ExplorerPanel):
    """The designation pipeline: the record, a projection and the target, from the sliders.

    ``result`` is a :class:`~explainer.models.pipeline.PipelineResult`; the chart is
    :func:`~explainer.charts.explorer.stock_projection_spec`.
    """

    title = "Designations: will the stock reach the target?"
    model = "designation_pipeline"

    def __init__(self, **values: float | int) -> None:
        self.history = load_table("designation_batches")
        self.reviews = load_table("review_rounds")
        self.reported = load_table("designation_stock")
        super().__init__(**values)

    def compute(self, values: dict[str, float | int]) -> PipelineResult:
        return designation_pipeline(self.history, reviews=self.reviews, **values)

    def render(self, result: PipelineResult) -> tuple[ChartFrame, str]:
        frame = stock_projection_frame(result, history=self.history, reported=self.reported)
        return frame, result.summary()

    def batch_needed(self) -> int:
        """The constant yearly batch that reaches the target in its year, at these settings.

        See :func:`~explainer.models.pipeline.batch_needed_for_target`.
        """
        names = ("last_known_year", "pass_rate", "review_cycle", "target", "target_year")
        values = self.values
        chosen = {name: values[name] for name in names}
        return batch_needed_for_target(self.history, reviews=self.reviews, **chosen)


class SubsidyPanel(ExplorerPanel):
    """Subsidy arithmetic: what the central fund means per funded firm, against its R&D.

    ``result`` is a :class:`~explainer.models.subsidy.SubsidyResult`; the chart is
    :func:`~explainer.charts.explorer.support_per_firm_spec`.
    """

    title = "Subsidies: how much does a funded firm get?"
    model = "subsidy_arithmetic"

    def compute(self, values: dict[str, float | int]) -> SubsidyResult:
        return subsidy_arithmetic(**values)

    def render(self, result: SubsidyResult) -> tuple[ChartFrame, str]:
        return support_per_firm_frame(result), result.summary()


class ExplorerApp:
    """Both panels in one view, as tabs: what the Voilà app shows.

    Attributes
    ----------
    pipeline : PipelinePanel
    subsidy : SubsidyPanel
    """

    def __init__(self) -> None:
        self.pipeline = PipelinePanel()
        self.subsidy = SubsidyPanel()

    @functools.cached_property
    def view(self) -> widgets.Tab:
        """The two panels' views as tabs (built once)."""
        return widgets.Tab(
            children=[self.pipeline.view, self.subsidy.view],
            titles=("Designations", "Subsidies"),
        )

    def static_html(self) -> str:
        """Both panels at their current values as plain HTML, one after the other."""
        return self.pipeline.static_html() + self.subsidy.static_html()

    def _ipython_display_(self) -> None:
        from IPython.display import HTML, display

        if os.environ.get(STATIC_ENV):
            display(HTML(self.static_html()))
        else:
            display(self.view)
