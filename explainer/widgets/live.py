"""A live chart view: a compiled Vega spec drawn in the browser, then fed data and words.

:class:`LiveChart` is an `anywidget <https://anywidget.dev>`_ widget. It receives a chart's
compiled Vega spec once (again only when the chart's structure changes), and on each move
only the named data sets that changed and the chart's words: title and subtitle go in as
Vega signals, the description becomes the figure's caption and the SVG's ARIA label. The
browser applies the rows with the view's own ``changeset()``, so a move costs the kernel a
few kilobytes and no rendering at all.

The Vega runtime (vega-embed with Vega and Vega-Lite, from vl-convert's offline bundle,
about 0.9 MB) is held by ONE :class:`VegaRuntime` model per kernel that every chart
references: it reaches a page once, not once per chart, and a notebook's saved widget state
holds it once. In the page it is imported once and reused from a module-level promise
(``live_chart.js``). Nothing is fetched from the network.

The bundle takes vl-convert a second or two to build, so it is built once per machine and
kept in the user's cache folder (``$XDG_CACHE_HOME/little-giants``), named by the
vl-convert and Vega-Lite versions.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import anywidget
import traitlets
from ipywidgets import widget_serialization

from explainer.charts.frames import ChartFrame, CompiledChart

__all__ = ["LiveChart", "VegaRuntime", "live_vega", "runtime", "runtime_source"]

_SNIPPET = "const lgEmbed = vegaEmbed;\nexport { lgEmbed };\n"
_JS = Path(__file__).with_name("live_chart.js")


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "little-giants"


@functools.cache
def runtime_source() -> str:
    """The Vega runtime as one ES module exporting ``lgEmbed`` (vega-embed), built offline.

    Built by ``vl_convert.javascript_bundle`` once per machine and cached on disk; if the
    cache folder cannot be written, it is kept in memory for this process only.
    """
    import vl_convert

    from explainer.charts import _vl_version

    version = getattr(vl_convert, "__version__", "unknown")
    tag = hashlib.sha256(f"{version}|{_vl_version()}|{_SNIPPET}".encode()).hexdigest()[:16]
    path = _cache_dir() / f"vega-runtime-{tag}.js"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    source = vl_convert.javascript_bundle(_SNIPPET, vl_version=_vl_version())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp"
        ) as handle:
            handle.write(source)
        os.replace(handle.name, path)
    except OSError:
        pass
    return source


class VegaRuntime(anywidget.AnyWidget):
    """The Vega runtime, shared by every :class:`LiveChart` of a kernel (never displayed)."""

    _esm = "export default { render() {} };\n"
    #: The bundle's source (an ES module) and a key naming its version.
    source = traitlets.Unicode("").tag(sync=True)
    key = traitlets.Unicode("").tag(sync=True)


@functools.cache
def runtime() -> VegaRuntime:
    """The one :class:`VegaRuntime` of this kernel."""
    source = runtime_source()
    return VegaRuntime(source=source, key=hashlib.sha256(source.encode()).hexdigest()[:16])


@functools.lru_cache(maxsize=32)
def _live_vega(chart: CompiledChart) -> dict[str, Any]:
    return live_vega(chart.vega())


def live_vega(vega: Mapping[str, Any]) -> dict[str, Any]:
    """A compiled Vega spec made ready for the live view.

    - the title's text and subtitle read the signals ``lg_title`` and ``lg_subtitle``, so new
      words need no new spec;
    - every mark that carries an ARIA description and no tooltip shows that description on
      hover (as the SVG path's ``<title>`` elements do);
    - data sets with inline values are emptied (the view fills them from its data slots).
    """
    spec = _copy(vega)
    title = dict(spec.get("title") or {})
    title["text"] = {"signal": "lg_title"}
    title["subtitle"] = {"signal": "lg_subtitle"}
    spec["title"] = title
    signals = [s for s in spec.get("signals", []) if s["name"] not in {"lg_title", "lg_subtitle"}]
    spec["signals"] = [{"name": "lg_title", "value": ""}, {"name": "lg_subtitle", "value": []}]
    spec["signals"] += signals
    for entry in spec.get("data", []):
        if "values" in entry:
            entry["values"] = []
    _tooltips_from_descriptions(spec.get("marks", []))
    spec.pop("usermeta", None)
    spec.pop("description", None)
    return spec


def _copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _tooltips_from_descriptions(marks: list[dict[str, Any]]) -> None:
    for mark in marks:
        update = mark.get("encode", {}).get("update")
        if update and "description" in update and "tooltip" not in update:
            update["tooltip"] = update["description"]
        _tooltips_from_descriptions(mark.get("marks", []))


_SLOT = re.compile(r"[^0-9A-Za-z_]")


class LiveChart(anywidget.AnyWidget):
    """A chart drawn in the browser from a compiled Vega spec and then fed frames.

    Use :meth:`draw` with a :class:`~explainer.charts.frames.ChartFrame`. The spec is sent
    when the frame's chart differs from the last one drawn; each data set is a model
    attribute of its own (``data_<name>``), so only the sets that changed are sent.
    """

    _esm = _JS
    runtime = traitlets.Instance(VegaRuntime, allow_none=True).tag(
        sync=True, **widget_serialization
    )
    spec = traitlets.Dict().tag(sync=True)
    slots = traitlets.Dict().tag(sync=True)
    words = traitlets.Dict().tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(runtime=runtime(), **kwargs)
        self.chart: CompiledChart | None = None
        self.frame: ChartFrame | None = None
        self.add_class("lg-chart")

    def draw(self, frame: ChartFrame) -> None:
        """Show ``frame``: its spec if the structure is new, then changed data sets and words."""
        with self.hold_sync():
            if frame.chart is not self.chart:
                self._new_structure(frame)
            for name, rows in frame.datasets.items():
                setattr(self, self.slots[name], list(rows))
            self.words = {
                "title": frame.words["title"],
                "subtitle": list(frame.words["subtitle"]),
                "description": frame.words["description"],
            }
        self.frame = frame

    def _new_structure(self, frame: ChartFrame) -> None:
        slots = dict(self.slots)
        new = {}
        for name in frame.datasets:
            if name not in slots:
                slots[name] = "data_" + _SLOT.sub("_", name)
                if not self.has_trait(slots[name]):
                    new[slots[name]] = traitlets.List().tag(sync=True)
        if new:
            self.add_traits(**new)
        self.slots = slots
        self.spec = _live_vega(frame.chart)
        self.chart = frame.chart
