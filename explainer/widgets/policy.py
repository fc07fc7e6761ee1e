"""The record explorer: choose which count of little giants to see, and step through the years.

:class:`RecordExplorer` is a small app object in the pattern of
:class:`explainer.widgets.base.Panel`: a dropdown picks the count (public-notice lists, final
designations or the net stock holding the title), a slider steps through the years of the
record, and one chart and one sentence redraw in place. Code drives it exactly as a reader
does:

>>> panel = RecordExplorer(count="final", year=2021)
>>> panel.result.added_up
4762
>>> panel.set(count="net_stock", year=2023)
>>> panel.result.passed.year
2023
"""

from __future__ import annotations

import functools
from typing import Any

import ipywidgets as widgets

from explainer.charts.policy import (
    COUNTS,
    record_frame,
    record_summary,
    record_up_to,
    record_years,
)
from explainer.parameters import ParameterSpec
from explainer.widgets.base import CONTROL_WIDTH, LABEL_WIDTH, Panel

__all__ = ["RecordExplorer", "year_spec"]


@functools.lru_cache(maxsize=64)
def _record_view(count: str, year: int) -> tuple[Any, Any, str]:
    """The record, its chart frame and its summary at one count and year: the record has
    a few dozen such states and does not change, so each is worked out once."""
    view = record_up_to(count, year)
    return view, record_frame(view), record_summary(view)


def year_spec() -> ParameterSpec:
    """The year control as a parameter record, bounded by the years the record covers.

    It is a view setting rather than an assumption about the world, so its bounds come from
    ``data/designation_batches.csv`` instead of a parameter table.
    """
    first, last = record_years()
    return ParameterSpec(
        model="record_up_to",
        name="year",
        label="Show the record up to",
        unit="year",
        kind="integer",
        default=last,
        minimum=first,
        maximum=last,
        step=1,
        description="Last year shown: batches named and net-stock reports up to its end.",
        basis="reported",
        source_ids=(),
    )


class RecordExplorer(Panel):
    """Which count of little giants, up to which year: a dropdown, a year slider, one chart.

    Parameters
    ----------
    count : str
        ``"public_notice"``, ``"final"`` (default) or ``"net_stock"``.
    year : int, optional
        Last year shown; defaults to the last year of the record.

    Attributes
    ----------
    result : RecordView
        The record as shown (see :func:`explainer.charts.policy.record_up_to`).
    summary : str
        The sentence under the controls.
    chart_view : ChartView
        Shows :func:`explainer.charts.policy.record_frame`; its ``chart`` is the equivalent
        Vega-Lite spec (a dict, see :func:`explainer.charts.policy.record_spec`).
    """

    title = "Explore the record: which count, up to when?"
    default_count = "final"

    def __init__(self, count: str = default_count, year: int | None = None) -> None:
        self.count_control = widgets.Dropdown(
            options=[(label, key) for key, label in COUNTS.items()],
            value=self._checked_count(count),
            description="Count to show",
            style={"description_width": LABEL_WIDTH},
            layout=widgets.Layout(width=CONTROL_WIDTH),
        )
        super().__init__({"year": year_spec()})
        # listed with the other controls, so that shared code (e.g. a static view) shows it too
        self.controls = {"count": self.count_control, **self.controls}
        self.count_control.observe(self._on_change, names="value")
        if year is not None:
            self.set(year=year)

    @staticmethod
    def _checked_count(count: str) -> str:
        if count not in COUNTS:
            raise ValueError(f"count must be one of {', '.join(COUNTS)} (got {count!r})")
        return count

    # --- the panel contract ----------------------------------------------------------------
    @property
    def values(self) -> dict[str, Any]:
        """The current count and year."""
        return {"count": self.count_control.value, "year": self.controls["year"].value}

    def set(self, **values: Any) -> None:
        """Set the count and/or the year in one update.

        Raises
        ------
        ValueError
            For an unknown count, a year outside the record, or an unknown setting name;
            nothing changes then.
        """
        count = values.pop("count", None)
        checked = None if count is None else self._checked_count(count)
        if values:
            unknown = sorted(set(values) - set(self.controls))
            if unknown:
                raise ValueError(f"no setting named {unknown[0]!r}; settings: count, year")
        self._updating = True
        try:
            if checked is not None:
                self.count_control.value = checked
        finally:
            self._updating = False
        super().set(**values)

    def reset(self) -> None:
        """Back to the final designations over the whole record."""
        self.set(count=self.default_count, year=year_spec().default)

    def compute(self, values: dict[str, Any]) -> Any:
        return _record_view(values["count"], int(values["year"]))[0]

    def render(self, result: Any) -> tuple[Any, str]:
        _, frame, summary = _record_view(result.count, result.year)
        return frame, summary

    def control_box(self) -> widgets.Widget:
        """The dropdown, the year slider (with a play button) and the reset button."""
        slider = self.controls["year"]
        # One step is a year and a redraw costs the kernel well under a millisecond, so the
        # slider reports every step at once (it used to wait for the release, which in
        # JupyterLab could come tens of milliseconds after the key press); a year is already
        # a visible step, so the arrow keys keep the slider's own step.
        slider.remove_class("lg-step-keys")
        play = widgets.Play(
            min=slider.min, max=slider.max, step=1, interval=1200, description="Play"
        )
        play.value = slider.value
        # The button moves the slider in the browser; the slider's own steps reach the button
        # from the kernel, after the chart's update. (A two-way link in the browser made every
        # step send the kernel two messages, the button's first.)
        widgets.jsdlink((play, "value"), (slider, "value"))
        slider.observe(lambda change: setattr(play, "value", change["new"]), names="value")
        return widgets.VBox([self.count_control, widgets.HBox([slider, play]), self.reset_button])
