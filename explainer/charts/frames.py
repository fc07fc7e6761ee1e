"""A chart split in two: its structure, compiled once, and the data and words of one moment.

A live panel redraws one chart many times. Its layers, scales and axes never change; only
its named data sets and its words (title, subtitle, description) do. So a panel's chart is
a :class:`CompiledChart` (a Vega-Lite template with *named* data sets, compiled to Vega once)
and each move hands the view a :class:`ChartFrame`: tidy rows per data set, and the words.

Both renderers draw from the same compiled Vega:

- the live view in the browser (:mod:`explainer.widgets.live`) receives the compiled spec
  once, then only a frame's changed data sets and its words;
- the static path (handouts, static decks, ``EXPLAINER_STATIC``, nbconvert) fills the frame
  into the compiled spec (:meth:`ChartFrame.vega`) and renders SVG with vl-convert.

:meth:`ChartFrame.spec` gives the equivalent Vega-Lite spec, for tests and for readers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ChartFrame", "CompiledChart", "Rows", "frame_of"]

Rows = list[dict[str, Any]]


@dataclass(frozen=True, eq=False)
class CompiledChart:
    """A chart's structure: a Vega-Lite template with named data sets, and its Vega, built once.

    Parameters
    ----------
    key : str
        A name for the structure; a view recompiles only when a frame brings another key.
    template : callable
        Returns the Vega-Lite template (a dict, layers reading ``alt.Data(name=...)``); cached.
    example : callable
        Returns a Vega-Lite spec of this template filled with example data, compiled once to
        get the Vega spec (vl-convert needs data to compile).
    compiled : callable, optional
        Returns that Vega spec without building the example, e.g. read back from the cache
        by its inputs (:func:`explainer.charts.kept_json`); by default the example is built
        and compiled.
    """

    key: str
    template: Callable[[], dict[str, Any]]
    example: Callable[[], dict[str, Any]]
    _vega: dict[str, Any] = field(default_factory=dict, repr=False)
    compiled: Callable[[], dict[str, Any]] | None = field(default=None, repr=False)

    def vega(self) -> dict[str, Any]:
        """The template compiled to Vega (once per process; never modified afterwards)."""
        if not self._vega:
            from explainer.charts import to_vega

            self._vega.update(self.compiled() if self.compiled else to_vega(self.example()))
        return self._vega


@dataclass(frozen=True, eq=False)
class ChartFrame:
    """The data and words of one chart at one moment: what a panel hands its view.

    Attributes
    ----------
    chart : CompiledChart
        The structure the rows fill.
    datasets : dict
        Rows per named data set (JSON-ready values: numbers, strings, booleans, None).
    words : dict
        ``title``, ``subtitle`` (lines, the source line last), ``description`` and
        ``source_ids``, as :func:`explainer.charts.heading` writes them.
    """

    chart: CompiledChart
    datasets: Mapping[str, Rows]
    words: Mapping[str, Any]

    @functools.cached_property
    def spec(self) -> dict[str, Any]:
        """The Vega-Lite spec this frame stands for (the template, its data and its words)."""
        return {
            **self.chart.template(),
            "datasets": dict(self.datasets),
            "title": {"text": self.words["title"], "subtitle": list(self.words["subtitle"])},
            "description": self.words["description"],
            "usermeta": {"source_ids": list(self.words["source_ids"])},
        }

    def vega(self) -> dict[str, Any]:
        """The compiled Vega spec filled with this frame's data and words (no compiler run)."""
        return fill_vega(self.chart.vega(), self.datasets, self.words)

    @property
    def description(self) -> str:
        return str(self.words["description"])


def fill_vega(
    vega: Mapping[str, Any], datasets: Mapping[str, Rows], words: Mapping[str, Any]
) -> dict[str, Any]:
    """A compiled Vega spec with named data sets and words filled in (a shallow copy)."""
    data = [
        {**entry, "values": list(datasets[entry["name"]])} if entry["name"] in datasets else entry
        for entry in vega["data"]
    ]
    title = {
        **(vega.get("title") or {}),
        "text": words["title"],
        "subtitle": list(words["subtitle"]),
    }
    return {
        **vega,
        "data": data,
        "title": title,
        "description": words["description"],
        "usermeta": {"source_ids": list(words["source_ids"])},
    }


def frame_of(chart: Any) -> ChartFrame:
    """Any Altair chart or Vega-Lite spec as a frame of a structure of its own.

    For a panel that hands its view whole charts (a reader's own panel, say): the chart is
    compiled on every call and its inline data become the frame's data sets, so it draws
    correctly, without the savings of a chart compiled once.
    """
    from explainer.charts import spec_dict, to_vega

    spec = dict(chart) if isinstance(chart, Mapping) else spec_dict(chart)
    vega = to_vega(spec)
    datasets = {
        d["name"]: list(d["values"])
        for d in vega.get("data", [])
        if isinstance(d.get("values"), list)
    }
    title = spec.get("title") or ""
    if isinstance(title, Mapping):
        text, subtitle = str(title.get("text", "")), title.get("subtitle") or []
    else:
        text, subtitle = str(title), []
    words = {
        "title": text,
        "subtitle": [subtitle] if isinstance(subtitle, str) else list(subtitle),
        "description": str(spec.get("description", "")),
        "source_ids": list((spec.get("usermeta") or {}).get("source_ids", [])),
    }
    compiled = CompiledChart("adhoc", lambda: spec, lambda: spec, vega)
    return ChartFrame(compiled, datasets, words)
