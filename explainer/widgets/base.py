"""Building blocks shared by every panel: controls from parameter records, an in-place chart.

A panel is a plain object that code can drive: set a value with :meth:`Panel.set`, read
:attr:`Panel.values`, :attr:`Panel.result` and :attr:`Panel.summary`. Displaying it in a
notebook shows its controls, its chart and a one-line summary. The chart lives in one
``ipywidgets.HTML`` widget whose value is replaced on each update, so the figure redraws in
place without flicker and without re-creating any output area.
"""

from __future__ import annotations

import decimal
import functools
import html
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as widgets
import traitlets

from explainer.charts import figure_html
from explainer.charts.frames import ChartFrame, frame_of
from explainer.parameters import ParameterSpec, validate_value

__all__ = [
    "ChartView",
    "Panel",
    "SteppedFloatSlider",
    "SteppedIntSlider",
    "control_for",
    "describe_spec",
    "format_value",
    "records_table",
    "snap",
]

LABEL_WIDTH = "430px"  # room for a plain-language label and its unit on a projector
CONTROL_WIDTH = "820px"
#: When this environment variable is set (to any non-empty value), a panel displays itself as
#: plain HTML (:meth:`Panel.static_html`) instead of live widgets. The handout and static-slide
#: builds (``make handouts``, ``make slides``) set it for the kernels that execute the notebooks,
#: because a page without a kernel cannot draw widgets.
STATIC_ENV = "EXPLAINER_STATIC"
#: Set (to any non-empty value) to make every panel draw its chart as kernel-rendered SVG,
#: the path before live charts: for ``benchmarks/browser_latency.py`` only.
SVG_ENV = "EXPLAINER_SVG_PANELS"
#: Units whose whole numbers are labels, shown without thousands separators.
LABEL_UNITS = ("year", "seed number")


def describe_spec(spec: ParameterSpec) -> str:
    """The control's label: plain words and the unit, e.g. ``'Re-review pass rate (share)'``."""
    return f"{spec.label} ({spec.unit})" if spec.unit else spec.label


def snap(spec: ParameterSpec, value: float | int) -> float | int:
    """``value`` normalised to its slider's step: the nearest step from the minimum.

    Every value a panel compares, stores, shows or exports goes through this, so that a
    browser's ``10.000000000000002`` is the record's ``10.0`` and ``0.8699999999999999`` is
    ``0.87``. Integers come back as ``int``.

    Examples
    --------
    >>> from explainer.parameters import parameter_specs
    >>> specs = parameter_specs("parameters_explorer", "designation_pipeline")
    >>> snap(specs["pass_rate"], 0.8699999999999999), snap(specs["target"], 10_240)
    (0.87, 10000)
    """
    steps = round((float(value) - spec.minimum) / spec.step)
    snapped = spec.minimum + steps * spec.step
    if spec.kind == "integer":
        return round(snapped)
    return round(snapped, _decimals(spec.step)) + 0.0


class _Stepped:
    """A slider held to its parameter record: values snap to the step, bad ones are refused.

    A value assigned from code or sent by the browser is checked against the record
    (:func:`~explainer.parameters.validate_value`) and the slider's current bounds; NaN,
    infinity or a value out of range is refused: the slider keeps its last good value and
    :attr:`on_refuse` is told why (a panel shows it). A good value is snapped to the step.
    """

    spec: ParameterSpec
    on_refuse: Any = None

    @traitlets.validate("value")
    def _validate_value(self, proposal: Mapping[str, Any]) -> float | int:
        value = proposal["value"]
        try:
            checked = validate_value(self.spec, value)
            if not self.min <= checked <= self.max:  # e.g. first bets capped by start-ups
                raise ValueError(
                    f"{self.spec.name} must be between {self.min} and {self.max} here "
                    f"(got {value!r})"
                )
        except ValueError as exc:
            if self.on_refuse is not None:
                self.on_refuse(self.spec, value, exc)
            if "value" in self._trait_values:
                return self._trait_values["value"]
            raise
        return snap(self.spec, checked)


class SteppedFloatSlider(_Stepped, widgets.FloatSlider):
    """A :class:`ipywidgets.FloatSlider` held to its parameter record (see :class:`_Stepped`)."""

    #: Any value may be proposed (NaN into an integer slider too): ``_Stepped`` decides.
    value = traitlets.Any(0).tag(sync=True)

    def __init__(self, spec: ParameterSpec, **kwargs: Any) -> None:
        self.spec = spec
        super().__init__(**kwargs)


class SteppedIntSlider(_Stepped, widgets.IntSlider):
    """A :class:`ipywidgets.IntSlider` held to its parameter record (see :class:`_Stepped`)."""

    #: Any value may be proposed (NaN into an integer slider too): ``_Stepped`` decides.
    value = traitlets.Any(0).tag(sync=True)

    def __init__(self, spec: ParameterSpec, **kwargs: Any) -> None:
        self.spec = spec
        super().__init__(**kwargs)


def control_for(spec: ParameterSpec, value: float | int | None = None) -> widgets.Widget:
    """A slider bounded by a parameter record, so it can never hold an invalid value.

    The slider updates continuously while dragged; its readout shows the unit's precision.
    Values snap to the record's step (:func:`snap`); NaN, infinity or a value out of range
    is refused (see :class:`SteppedFloatSlider`).
    """
    common = {
        "value": snap(spec, spec.default if value is None else value),
        "min": spec.minimum,
        "max": spec.maximum,
        "step": spec.step,
        "description": describe_spec(spec),
        "description_allow_html": False,
        "tooltip": spec.description,
        "continuous_update": True,
        "style": {"description_width": LABEL_WIDTH},
        "layout": widgets.Layout(width=CONTROL_WIDTH),
    }
    if spec.kind == "integer":
        slider: widgets.Widget = SteppedIntSlider(spec, **common)
    else:
        slider = SteppedFloatSlider(spec, readout_format=f".{_decimals(spec.step)}f", **common)
    slider.add_class(STEP_KEYS_CLASS)
    return slider


#: CSS class of a slider whose arrow keys move it by about 1% of its range (controls.js);
#: only for sliders that send their value while moving (``continuous_update``).
STEP_KEYS_CLASS = "lg-step-keys"


class ControlHelper(anywidget.AnyWidget):
    """An invisible widget whose script, once per page, names every slider handle for
    assistive technology and gives panel sliders a keyboard step that shows (controls.js)."""

    _esm = Path(__file__).with_name("controls.js")


def format_value(spec: ParameterSpec, value: float | int) -> str:
    """A value of a parameter as a reader should see it, by the record's kind and step.

    Years (and seeds) read as labels (``2025``), other whole numbers with thousands
    separators (``10,000``), and other numbers with as many decimals as the slider's step
    (``0.87``).

    Examples
    --------
    >>> from explainer.parameters import parameter_specs
    >>> specs = parameter_specs("parameters_explorer", "designation_pipeline")
    >>> [format_value(specs[n], specs[n].default) for n in ("target_year", "target", "pass_rate")]
    ['2025', '10,000', '0.87']
    """
    if spec.unit in LABEL_UNITS:
        return f"{int(value)}"
    if spec.kind == "integer":
        return f"{int(value):,}"
    return f"{value:,.{_decimals(spec.step)}f}"


def _decimals(step: float | int) -> int:
    """Decimals a step needs: 1 -> 0, 0.5 -> 1, 0.01 -> 2, 0.025 -> 3, 500 -> 0."""
    exponent = decimal.Decimal(repr(float(step))).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def records_table(specs: Mapping[str, ParameterSpec]) -> Any:
    """The parameter records as a table a reader can see beside a panel.

    A :class:`explainer.text.ReadingTable`; each default shows as :func:`format_value` writes
    it (the ``Default`` column of its ``data`` keeps the numbers, so a caller can still
    re-format it).
    """
    import pandas as pd

    from explainer.text import reading_table

    rows = [
        {
            "Setting": s.label,
            "Unit": s.unit,
            "Default": s.default,
            "Range": f"{format_value(s, s.minimum)} to {format_value(s, s.maximum)}",
            "What it means": s.description,
            "Basis": s.basis,
            "Sources": ", ".join(s.source_ids) or "(our assumption)",
        }
        for s in specs.values()
    ]
    shown = [format_value(s, s.default) for s in specs.values()]
    return reading_table(pd.DataFrame(rows)).with_text("Default", shown)


class ChartView:
    """Where a panel's chart is shown: the one seam between panels and renderers.

    A panel hands it either a :class:`~explainer.charts.frames.ChartFrame` (the data and
    words of a chart compiled once: the live panels) or any Altair chart or Vega-Lite spec.

    - **live** (the default for frames): a :class:`~explainer.widgets.live.LiveChart` draws
      the compiled Vega spec in the browser and then receives only changed data sets and
      words; the kernel renders nothing;
    - **SVG**: an ``ipywidgets.HTML`` holding the figure rendered by vl-convert from the
      same compiled spec. Used for charts that are not frames, for static pages
      (``EXPLAINER_STATIC``), and, when ``EXPLAINER_SVG_PANELS`` is set, for every panel
      (the old path, kept for the latency benchmark).

    :meth:`figure_html` gives the current figure as static HTML either way.
    """

    def __init__(self, height: str = "520px", *, live: bool | None = None) -> None:
        if live is None:
            live = not (os.environ.get(STATIC_ENV) or os.environ.get(SVG_ENV))
        self.live = live
        layout = widgets.Layout(min_height=height, width="100%")
        if live:
            from explainer.widgets.live import LiveChart

            self.widget: widgets.Widget = LiveChart(layout=layout)
        else:
            self.widget = widgets.HTML(layout=layout)
            self.widget.add_class("lg-chart")
        self.frame: ChartFrame | None = None
        self._chart: Any = None

    @property
    def chart(self) -> Any:
        """What is shown: the chart a panel handed over, or a frame's Vega-Lite spec
        (:attr:`ChartFrame.spec`)."""
        if self._chart is not None or self.frame is None:
            return self._chart
        return self.frame.spec

    @chart.setter
    def chart(self, chart: Any) -> None:  # for views that draw other figures themselves
        self.frame, self._chart = None, chart

    def show(self, chart: Any) -> None:
        """Show ``chart``: a :class:`ChartFrame`, an Altair chart or a Vega-Lite spec.

        A live view draws a whole chart too (compiling it on each call, see
        :func:`~explainer.charts.frames.frame_of`); panels that redraw often hand frames.
        """
        if isinstance(chart, ChartFrame):
            self.frame, self._chart = chart, None
        elif self.live:
            self.frame, self._chart = frame_of(chart), chart
        else:
            self.frame, self._chart = None, chart
            self.widget.value = figure_html(chart)
            return
        if self.live:
            self.widget.draw(self.frame)
        else:
            self.widget.value = figure_html(self.frame.spec, vega=self.frame.vega())

    def figure_html(self) -> str:
        """The current figure as static HTML (SVG by vl-convert, with its caption)."""
        if self._chart is not None:
            return self.widget.value if not self.live else figure_html(self._chart)
        if self.frame is not None:
            return figure_html(self.frame.spec, vega=self.frame.vega())
        return ""


class Panel:
    """Base for interactive panels built from parameter records.

    Subclasses set :attr:`specs` (name → :class:`ParameterSpec`) and implement
    :meth:`compute` (values → result) and :meth:`render` (result → chart, summary text).
    Everything else (controls, set, reset, display) is shared.
    """

    title: str = ""
    #: Whether the chart is drawn by a live view (:class:`ChartView`); a panel whose figure
    #: is drawn otherwise sets False.
    live_chart: bool = True

    def __init__(self, specs: Mapping[str, ParameterSpec], **values: float | int) -> None:
        self.specs = dict(specs)
        self.controls: dict[str, widgets.Widget] = {
            name: control_for(spec) for name, spec in self.specs.items()
        }
        self.chart_view = ChartView(live=None if self.live_chart else False)
        self.summary_widget = widgets.HTML(layout=widgets.Layout(min_height="3em"))
        self.message = widgets.HTML()
        self.reset_button = widgets.Button(description="Reset", icon="undo", tooltip="Defaults")
        self.reset_button.on_click(lambda _: self.reset())
        self.result: Any = None
        self.summary: str = ""
        self._updating = False
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
            if isinstance(control, _Stepped):
                control.on_refuse = self._refused
        if values:
            self.set(**values)
        else:
            self.update()

    # --- what subclasses provide -------------------------------------------------------------
    def compute(self, values: dict[str, float | int]) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def render(self, result: Any) -> tuple[Any, str]:  # pragma: no cover - abstract
        raise NotImplementedError

    # --- driving the panel from code ---------------------------------------------------------
    @property
    def values(self) -> dict[str, float | int]:
        """The current value of every control."""
        return {name: control.value for name, control in self.controls.items()}

    def set(self, **values: float | int) -> None:
        """Set one or more values at once (one update), checked against their records.

        Raises
        ------
        ValueError
            For an unknown name or a value outside its record's range; nothing changes then.
        """
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise ValueError(f"no setting named {unknown[0]!r}; settings: {', '.join(self.specs)}")
        checked = {
            name: snap(self.specs[name], validate_value(self.specs[name], v))
            for name, v in values.items()
        }
        self._updating = True
        try:
            for name, value in checked.items():
                self.controls[name].value = value
        finally:
            self._updating = False
        self.update()

    def reset(self) -> None:
        """Put every control back to its default."""
        self.set(**{name: spec.default for name, spec in self.specs.items()})

    def update(self) -> None:
        """Recompute the model and redraw the chart and summary from the current values."""
        try:
            self.result = self.compute(self.values)
            chart, self.summary = self.render(self.result)
        except ValueError as exc:  # a combination the model refuses: say so, keep the last view
            text = html.escape(str(exc))
            self.message.value = (
                f'<p style="color:#D55E00"><strong>Not possible:</strong> {text}</p>'
            )
            return
        self.message.value = ""
        self.chart_view.show(chart)
        self.summary_widget.value = f'<p style="font-size:18px">{html.escape(self.summary)}</p>'

    def _on_change(self, change: Mapping[str, Any]) -> None:
        if not self._updating:
            self.update()

    def _refused(self, spec: ParameterSpec, value: Any, error: Exception) -> None:
        """Say why a value assigned to a control was refused (the control kept its value)."""
        control = self.controls.get(spec.name)
        low = format_value(spec, max(spec.minimum, getattr(control, "min", spec.minimum)))
        high = format_value(spec, min(spec.maximum, getattr(control, "max", spec.maximum)))
        kept = "" if control is None else f" It stays at {format_value(spec, control.value)}."
        text = (
            f"{describe_spec(spec)} takes values from {low} to {high}; {value!r} was refused.{kept}"
        )
        self.message.value = (
            f'<p style="color:#D55E00" role="alert"><strong>Refused:</strong> '
            f"{html.escape(text)}</p>"
        )

    # --- display -----------------------------------------------------------------------------
    def control_box(self) -> widgets.Widget:
        """The controls stacked, with the reset button under them."""
        return widgets.VBox([*self.controls.values(), self.reset_button])

    @functools.cached_property
    def view(self) -> widgets.Widget:
        """Everything the panel shows, in one container (built once, then updated in place).

        CSS classes for the page's layout (the lg-app and lg-slides templates): the root box
        ``lg-panel``, its controls ``lg-controls``, its chart ``lg-chart``.
        """
        heading = widgets.HTML(f"<h3>{html.escape(self.title)}</h3>") if self.title else None
        parts = [heading] if heading else []
        controls = self.control_box()
        controls.add_class("lg-controls")
        parts += [controls, self.message, self.summary_widget, self.chart_view.widget]
        return panel_box(parts)

    def static_html(self) -> str:
        """The panel at its current values as plain HTML: the settings, the summary, the figure."""
        rows = "".join(
            f'<tr><th style="text-align:left;font-weight:normal">{html.escape(str(c.description))}'
            f"</th><td>{html.escape(_readout(c))}</td></tr>"
            for c in self.controls.values()
        )
        heading = f"<h3>{html.escape(self.title)}</h3>" if self.title else ""
        return (
            f'<div class="lg-panel-static">{heading}'
            f'<table class="lg-panel-settings"><tbody>{rows}</tbody></table>'
            f"{self.message.value}{self.summary_widget.value}{self.chart_view.figure_html()}</div>"
        )

    def _ipython_display_(self) -> None:
        from IPython.display import HTML, display

        if os.environ.get(STATIC_ENV):
            display(HTML(self.static_html()))
        else:
            display(self.view)


def panel_box(children: list[widgets.Widget]) -> widgets.VBox:
    """A panel's root box: class ``lg-panel``, with the page's :class:`ControlHelper`."""
    box = widgets.VBox([*children, ControlHelper()])
    box.add_class("lg-panel")
    return box


def _readout(control: widgets.Widget) -> str:
    """A control's value as its own readout shows it (a dropdown's label, a slider's format)."""
    if getattr(control, "label", None) is not None:
        return str(control.label)
    fmt = getattr(control, "readout_format", "")
    try:
        return format(control.value, fmt)
    except (TypeError, ValueError):
        return str(control.value)
