"""Little Giants explainer: data, models, charts and widgets behind the notebooks.

The package is small on purpose. Import what you need from its modules:

- :mod:`explainer.data` loads the sourced tables in ``data/`` and checks them;
- :mod:`explainer.sources` turns source ids into citations;
- :mod:`explainer.parameters` reads the adjustable assumptions of each model;
- :mod:`explainer.models` holds the pure models behind the widgets;
- :mod:`explainer.charts` builds every chart with one theme and a source line;
- :mod:`explainer.widgets` joins models and charts into panels.

Importing the package itself is cheap: Altair and ipywidgets load only when a chart or a
widget is first needed. It also defers the IRI grammar that ``jsonschema`` (under Altair)
would otherwise build in every kernel and the explainer never uses (see
:mod:`explainer._speedups`); IRI checks still work, the grammar is built on the first one.
"""

from __future__ import annotations

from explainer._speedups import defer_iri_grammar

defer_iri_grammar()

__version__ = "0.1.0"
__all__ = ["__version__"]
