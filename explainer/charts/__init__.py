"""One chart layer: a projector-friendly, colour-blind-safe theme and an offline renderer.

Every chart in the notebooks goes through :func:`sourced`, which gives it a title, a
subtitle ending in its source line, and a text description. :func:`setup` (the first code
cell of each notebook) turns on the theme and a renderer that draws charts as inline SVG
with Vega's own engine bundled in ``vl-convert``: no script is fetched from the network, so
charts show in JupyterLab, Voilà, nbconvert handouts and on GitHub alike. Hovering a mark
shows its values (a native SVG tooltip), and each figure carries its description as a
visible caption.

Compiling and drawing go through a cache on disk shared by every kernel
(:mod:`explainer.cache`), keyed by the chart's full spec: a chart drawn once is not drawn
again in every student's kernel. A notebook's static figures go one step further
(:func:`kept_figure`): keyed by what they are built from (builder, arguments, data files,
code, library versions), a kernel that finds one shows it without building the chart.

Why SVG for a notebook's charts: the default renderer loads Vega from a CDN and shows nothing
offline, and a chart drawn once gains nothing from a live view; SVG works everywhere. A
panel's chart, redrawn on every slider move, is the exception: it is compiled once
(:mod:`explainer.charts.frames`) and drawn in the browser by a live view
(:mod:`explainer.widgets.live`) that receives only the changed data and words. Its static
form (handouts, decks, ``EXPLAINER_STATIC``) is the SVG of the same compiled spec.
"""

from __future__ import annotations

import functools
import html
import json
import re
import textwrap
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ParamSpec

import altair as alt

from explainer import cache
from explainer._speedups import share_altair_class_table
from explainer.sources import collect_ids, source_line

share_altair_class_table()

__all__ = [
    "BASIS_COLOURS",
    "PALETTE",
    "Figure",
    "figure_html",
    "heading",
    "kept_figure",
    "kept_json",
    "setup",
    "sourced",
    "spec_dict",
    "theme_config",
    "to_svg",
    "to_vega",
]

#: Okabe & Ito's colour-blind-safe palette: blue, orange, green, pink, sky, vermilion, yellow,
#: black.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

#: How each kind of number is drawn, so a reader can tell a record from an assumption.
BASIS_COLOURS = {
    "reported": "#0072B2",
    "derived": "#56B4E9",
    "estimate": "#E69F00",
    "assumption": "#CC79A7",
    "projection": "#D55E00",
}

FONT = "Helvetica Neue, Helvetica, Arial, sans-serif"
WIDTH, HEIGHT = 640, 320
THEME_NAME = "little_giants"
SUBTITLE_WIDTH = 95  # characters per subtitle line, so the figure keeps the plot's width
_SYMBOL = re.compile(
    r'<(path|rect|circle|line|text)( aria-label="([^"]*)" role="graphics-symbol"[^>]*?)/>'
)


def theme_config() -> dict[str, Any]:
    """The theme as a Vega-Lite ``config``: large type, Okabe-Ito colours, light grid."""
    return {
        "config": {
            "font": FONT,
            "view": {"continuousWidth": WIDTH, "continuousHeight": HEIGHT, "stroke": None},
            "background": "white",
            "padding": 12,
            "title": {
                "fontSize": 22,
                "fontWeight": "bold",
                "anchor": "start",
                "subtitleFontSize": 15,
                "subtitleColor": "#333333",
                "subtitlePadding": 6,
                "offset": 14,
            },
            "axis": {
                "labelFontSize": 15,
                "titleFontSize": 16,
                "titleFontWeight": "normal",
                "labelColor": "#222222",
                "titleColor": "#222222",
                "gridColor": "#e6e6e6",
                "domainColor": "#888888",
                "tickColor": "#888888",
            },
            "legend": {
                "labelFontSize": 15,
                "titleFontSize": 15,
                "symbolSize": 160,
                "labelLimit": 420,
            },
            "header": {"labelFontSize": 15, "titleFontSize": 16},
            "text": {"fontSize": 14},
            "range": {"category": PALETTE},
            "line": {"strokeWidth": 3},
            "point": {"size": 90, "filled": True},
            "bar": {"color": PALETTE[0]},
        }
    }


def sourced(
    chart: alt.TopLevelMixin,
    *,
    title: str,
    description: str,
    sources: Iterable[Any],
    subtitle: str | Iterable[str] | None = None,
) -> alt.TopLevelMixin:
    """Give a chart its title, a subtitle ending in the source line, and a description.

    Parameters
    ----------
    chart : altair chart
        Any Altair chart (layered and concatenated ones too).
    title : str
        What the chart shows, as a headline.
    description : str
        A text alternative: one or two sentences saying what the chart shows and its main
        point. It becomes the figure's caption and the Vega-Lite ``description``.
    sources : iterable
        Source ids, lists of ids or DataFrames with a ``source_ids`` column.
    subtitle : str or list of str, optional
        Context lines shown above the source line (e.g. "Dashed: projection, an assumption").

    Returns
    -------
    altair chart
        A copy with ``title`` and ``description`` set; its source ids are kept in
        ``usermeta["source_ids"]`` so that :func:`explainer.sources.references` can list them.

    Raises
    ------
    ValueError
        If the title or description is empty, or a source id is unknown.
    """
    words = heading(title=title, description=description, sources=sources, subtitle=subtitle)
    return chart.properties(
        title={"text": words["title"], "subtitle": words["subtitle"]},
        description=words["description"],
        usermeta={"source_ids": words["source_ids"]},
    )


def heading(
    *,
    title: str,
    description: str,
    sources: Iterable[Any],
    subtitle: str | Iterable[str] | None = None,
) -> dict[str, Any]:
    """The words :func:`sourced` gives a chart, without touching the chart.

    Returns ``{"title", "subtitle" (lines, the source line last), "description",
    "source_ids"}``: what a live chart view receives on a move instead of a new spec. Takes
    well under a millisecond (the source line is worked out once per set of ids).

    Raises
    ------
    ValueError
        If the title or description is empty, or a source id is unknown.
    """
    if not title.strip():
        raise ValueError("a chart needs a title")
    if not description.strip():
        raise ValueError("a chart needs a text description")
    lines = [subtitle] if isinstance(subtitle, str) else list(subtitle or [])
    ids = collect_ids(*sources)
    lines += _source_lines(tuple(ids))
    return {
        "title": title,
        "subtitle": lines,
        "description": description.strip(),
        "source_ids": ids,
    }


@functools.lru_cache(maxsize=256)
def _source_lines(ids: tuple[str, ...]) -> list[str]:
    return textwrap.wrap(source_line(list(ids)), SUBTITLE_WIDTH)


def to_svg(
    chart: alt.TopLevelMixin | Mapping[str, Any], *, vega: Mapping[str, Any] | None = None
) -> str:
    """Render a chart (or a Vega-Lite spec) to an SVG string, offline.

    Each mark's ``aria-label`` (its values) is copied into an SVG ``<title>``, which
    browsers show as a tooltip on hover. ``vega``, if given, is the same chart already
    compiled to Vega (see :func:`to_vega`); it is drawn as it is, which skips the Vega-Lite
    compiler (some 10 ms), for panels that redraw one chart many times.
    """
    if vega is not None:
        svg = _converted("vega_to_svg", dict(vega))
    else:
        spec = chart if isinstance(chart, Mapping) else spec_dict(chart)
        svg = _converted("vegalite_to_svg", dict(spec), vl_version=_vl_version())
    return _unlabelled_hidden(_SYMBOL.sub(r"<\1\2><title>\3</title></\1>", svg))


#: An element that claims an image role (``graphics-symbol``, ``img``) without a label.
_ROLE_TAG = re.compile(
    r'<(?:g|path|rect|circle|line|text|svg)\b[^>]*\brole="(?:graphics-symbol|img)"[^>]*>'
)


def _unlabelled_hidden(svg: str) -> str:
    """Hide from screen readers each element with an image role but no label.

    Vega gives an empty layer (a mark container with no data, e.g. a highlight that nothing
    matches) the role ``graphics-symbol`` and no ``aria-label``: a screen reader would announce
    an unnamed image (axe ``svg-img-alt``). It shows nothing, so it is hidden instead.

    >>> _unlabelled_hidden('<g class="mark-symbol" role="graphics-symbol"></g>')
    '<g class="mark-symbol" role="graphics-symbol" aria-hidden="true"></g>'
    >>> _unlabelled_hidden('<path aria-label="x: 1" role="graphics-symbol"/>')
    '<path aria-label="x: 1" role="graphics-symbol"/>'
    """

    def hide(match: re.Match[str]) -> str:
        tag = match.group(0)
        if re.search(r'\saria-label(?:ledby)?="[^"]', tag) or "aria-hidden" in tag:
            return tag
        end = -2 if tag.endswith("/>") else -1
        return f'{tag[:end]} aria-hidden="true"{tag[end:]}'

    return _ROLE_TAG.sub(hide, svg)


def to_vega(chart: alt.TopLevelMixin | Mapping[str, Any]) -> dict[str, Any]:
    """Compile a chart (or a Vega-Lite spec) to a Vega spec, offline."""
    spec = chart if isinstance(chart, Mapping) else spec_dict(chart)
    return json.loads(_converted("vegalite_to_vega", dict(spec), vl_version=_vl_version()))


def figure_html(
    chart: alt.TopLevelMixin | Mapping[str, Any], *, vega: Mapping[str, Any] | None = None
) -> str:
    """Render a chart as an HTML ``<figure>``: inline SVG plus its description as a caption.

    ``vega``: the chart compiled to Vega, drawn instead of compiling it again (see
    :func:`to_svg`).

    The ``tex2jax_ignore`` class stops JupyterLab's MathJax from reading two dollar signs in a
    caption or label ("$200 billion ... $34.5B") as mathematics.
    """
    spec = chart if isinstance(chart, Mapping) else spec_dict(chart)
    caption = html.escape(str(spec.get("description", "")))
    return (
        '<figure class="lg-figure" style="margin:0 0 1em 0;max-width:100%;overflow-x:auto">'
        f'<div class="tex2jax_ignore">{to_svg(spec, vega=vega)}</div>'
        '<figcaption class="tex2jax_ignore" '
        'style="font-size:15px;color:#333;max-width:820px;margin-top:4px">'
        f"<strong>Chart description.</strong> {caption}</figcaption></figure>"
    )


def spec_dict(chart: alt.TopLevelMixin, *, validate: bool = False) -> dict[str, Any]:
    """The chart's Vega-Lite spec with the theme applied (``validate=True`` checks the schema)."""
    with alt.theme.enable(THEME_NAME):
        return chart.to_dict(validate=validate)


def _converted(function: str, spec: dict[str, Any], **options: str) -> str:
    """``vl_convert.<function>(spec, **options)`` as text, compiled once across kernels.

    The result is kept in :mod:`explainer.cache` under a key of the whole spec (data
    included), the options and vl-convert's version: a kernel that draws a chart another
    kernel already drew reads it from disk and never starts vl-convert's JavaScript engine
    (over a second on a busy 2-core machine). A Vega spec is stored as JSON text.
    """
    import vl_convert

    convert = getattr(vl_convert, function)
    key = cache.content_key(function, spec, options, vl_convert.__version__)
    kept = cache.read_text(function, key)
    if kept is not None:
        return kept
    result = convert(spec, **options)
    text = result if isinstance(result, str) else json.dumps(result)
    if not _answering_a_control():
        cache.write_text(function, key, text)
    return text


def _answering_a_control() -> bool:
    """True while the kernel handles a widget message (a slider move), not a cell.

    A chart drawn as the notebook runs is the same for every student and is kept; one drawn
    in reply to a student's move is theirs alone, so it is read from the cache if there but
    not stored: thirty students moving sliders do not fill the disk.
    """
    import sys

    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    kernel = getattr(shell, "kernel", None)
    if kernel is None or not hasattr(kernel, "get_parent"):
        return False
    try:
        parent = kernel.get_parent("shell") or {}
    except (LookupError, KeyError, AttributeError):
        return False
    return parent.get("header", {}).get("msg_type") == "comm_msg"


def _vl_version() -> str:
    major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    return f"{major}.{minor}"


_PLAIN = "<Chart: see the figure above>"


def _render(spec: dict[str, Any], **metadata: Any) -> dict[str, str]:
    return {"text/html": figure_html(spec), "text/plain": _PLAIN}


P = ParamSpec("P")


def kept_figure(build: Callable[P, Any]) -> Callable[P, Any]:
    """Make a builder of a static chart return a :class:`Figure`: built only when needed.

    A notebook displays the same figures in every kernel. Building one through Altair's
    object model and rendering it costs tens of milliseconds; reading it back costs well
    under one. The figure is kept under a key of its inputs (the builder, its arguments, the
    bytes of every data file, this package's code and the libraries' versions), so a kernel
    that finds it never builds the chart, and any change to an input misses it. Arguments
    that are not plain JSON (a DataFrame, say) make the builder return its chart directly.
    """

    @functools.wraps(build)
    def kept(*args: P.args, **kwargs: P.kwargs) -> Any:
        inputs = [f"{build.__module__}.{build.__qualname__}", list(args), kwargs]
        if not _plain(inputs):
            return build(*args, **kwargs)
        return Figure(functools.partial(build, *args, **kwargs), inputs)

    return kept


def kept_json(build: Callable[P, Any]) -> Callable[P, Any]:
    """Keep what a builder of a JSON-ready value returns (a chart's Vega-Lite template, say)
    on disk, under the same key of its inputs as :func:`kept_figure`'s figures.

    For a structure built through Altair's object model that every kernel builds the same:
    a kernel that finds it reads it back instead. Arguments must be plain JSON; if they are
    not, or the value is not, the builder simply runs.
    """

    @functools.wraps(build)
    def kept(*args: P.args, **kwargs: P.kwargs) -> Any:
        inputs = [f"{build.__module__}.{build.__qualname__}", list(args), kwargs]
        if not _plain(inputs):
            return build(*args, **kwargs)
        key = _inputs_key("json", inputs)
        text = cache.read_text("json", key, ".json")
        if text is not None:
            try:
                return json.loads(text)
            except ValueError:
                pass
        value = build(*args, **kwargs)
        try:
            text = json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError):
            return value
        if _inputs_key("json", inputs) == key and not _answering_a_control():
            cache.write_text("json", key, text, ".json")  # unless the data changed meanwhile
        return json.loads(text)  # the same value a kernel that reads it back gets

    return kept


def _plain(inputs: list[Any]) -> bool:
    """True if a builder's name and arguments are plain JSON, so they can make a key."""
    try:
        cache.content_key(inputs)
    except (TypeError, ValueError):
        return False
    return True


def _inputs_key(kind: str, inputs: list[Any]) -> str:
    """The cache key of a result built from ``inputs`` (a builder's name and arguments), the
    data files, this package's code and the libraries' versions."""
    from explainer import data

    return cache.content_key(kind, inputs, data.fingerprint(), cache.code_version(), _versions())


class Figure:
    """A static chart that is built only if its figure is not kept already.

    Displayed under the explainer's renderer (:func:`setup`), it shows the kept figure (the
    same HTML, SVG and caption the chart renders to) or else builds the chart, shows it and
    keeps what it showed. Its source ids (``usermeta``) come from the kept entry too, so
    :func:`explainer.sources.references` does not build it either. Anything else (``to_dict``,
    ``properties``, ``+``, ``|``, ``&``) is the Altair chart's, built on first use:
    :attr:`chart` is that chart.
    """

    def __init__(self, build: Callable[[], Any], inputs: list[Any]) -> None:
        self._build = build
        self._inputs = inputs
        self._entry: dict[str, Any] | None = None
        self._chart: Any = None
        self._key_made: str | None = None
        self._keepable = True

    @property
    def chart(self) -> Any:
        """The Altair chart, built once."""
        if self._chart is None:
            key = self._key()
            try:
                self._chart = self._build()
            except AttributeError as error:  # not lost in __getattr__'s "no such attribute"
                raise RuntimeError(f"building {self._inputs[0]} failed: {error}") from error
            # A data file changed while it was built: the chart matches no one key, so it is
            # shown but never kept.
            self._keepable = _inputs_key("figure", self._inputs) == key
        return self._chart

    def __getattr__(self, name: str) -> Any:
        # Only public names reach the chart: IPython probes objects for ``_repr_*_`` and
        # other private names, and that must not build the chart.
        if name.startswith("_") or name == "chart":
            raise AttributeError(name)
        return getattr(self.chart, name)

    def __add__(self, other: Any) -> Any:
        return self.chart + _unwrapped(other)

    def __or__(self, other: Any) -> Any:
        return self.chart | _unwrapped(other)

    def __and__(self, other: Any) -> Any:
        return self.chart & _unwrapped(other)

    def __repr__(self) -> str:
        return f"Figure({self._inputs[0]}, {self._inputs[1]!r}, {self._inputs[2]!r})"

    @property
    def usermeta(self) -> Any:
        """The chart's ``usermeta`` (its source ids), from the kept figure when there is one."""
        entry = self._kept()
        if entry is not None and isinstance(entry.get("usermeta"), dict):
            return entry["usermeta"]
        return self.chart.usermeta

    def _repr_mimebundle_(self, *args: Any, **kwargs: Any) -> Any:
        if not _renderer_is_ours():
            return self.chart._repr_mimebundle_(*args, **kwargs)
        entry = self._kept()
        if entry is not None:
            return dict(entry["bundle"])
        bundle = self.chart._repr_mimebundle_(*args, **kwargs)
        if isinstance(bundle, dict) and bundle.get("text/html") and bundle.get("text/plain"):
            self._keep(bundle)
        return bundle

    def _key(self) -> str:
        """The key of this figure's inputs, as they were when it was first shown or built:
        a figure built from some data is never kept under the key of other data."""
        if self._key_made is None:
            self._key_made = _inputs_key("figure", self._inputs)
        return self._key_made

    def _kept(self) -> dict[str, Any] | None:
        """The kept entry (``bundle`` and ``usermeta``), or None."""
        if self._entry is None:
            text = cache.read_text("figure", self._key(), ".json")
            try:
                entry = json.loads(text) if text is not None else None
            except ValueError:
                entry = None
            if isinstance(entry, dict) and isinstance(entry.get("bundle"), dict):
                self._entry = entry
        return self._entry

    def _keep(self, bundle: Mapping[str, Any]) -> None:
        usermeta = getattr(self.chart, "usermeta", None)
        entry = {
            "bundle": {k: bundle[k] for k in ("text/html", "text/plain")},
            "usermeta": usermeta if isinstance(usermeta, dict) else None,
        }
        try:
            text = json.dumps(entry, sort_keys=True, ensure_ascii=False)
        except (TypeError, ValueError):
            return
        self._entry = entry
        if self._keepable and not _answering_a_control():
            cache.write_text("figure", self._key(), text, ".json")


def _unwrapped(chart: Any) -> Any:
    return chart.chart if isinstance(chart, Figure) else chart


def _renderer_is_ours() -> bool:
    """True when charts display through :func:`_render` in the explainer's theme, unchanged."""
    return (
        alt.renderers.active == THEME_NAME
        and alt.theme.active == THEME_NAME
        and alt.data_transformers.active == "default"
    )


@functools.lru_cache(maxsize=1)
def _versions() -> dict[str, str]:
    """The versions of what a figure is drawn with (Python, the libraries)."""
    import platform
    from importlib import metadata

    found = {"python": platform.python_version()}
    for name in ("altair", "vl-convert-python", "pandas", "numpy", "jsonschema"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "absent"
    return found


alt.theme.register(THEME_NAME, enable=False)(theme_config)
alt.renderers.register(THEME_NAME, _render)


def setup() -> None:
    """Turn on the theme and the offline SVG renderer. Call once, in a notebook's first cell.

    Safe to call again. After it, any Altair chart displayed in the notebook (a student's own
    ones too) is drawn as inline SVG with its caption, with no network.
    """
    alt.theme.enable(THEME_NAME)
    alt.renderers.enable(THEME_NAME)
