"""Defer a costly import that Altair's dependencies make and the explainer never uses.

``import altair`` imports ``jsonschema``, whose format checkers import ``rfc3987_syntax`` when
it is installed (Jupyter's own packages install it). That module builds three Earley parsers of
the IRI grammar (RFC 3987) as it is imported: about a second on a 2-core machine, in every
kernel, so in every Voilà request, although only a schema with ``"format": "iri"`` checked
with a format checker ever uses them, and no chart or table of the explainer does.

:func:`defer_iri_grammar` puts a stand-in for ``rfc3987_syntax`` in ``sys.modules`` before
``jsonschema`` is imported. Its ``is_valid_syntax`` (the one name ``jsonschema`` takes) imports
the real module on its first call and hands over, so IRI checking keeps working exactly as
before, only paid for by whoever uses it. Any other attribute does the same. Nothing is
changed when the real module is not installed or has already been imported.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any

_NAME = "rfc3987_syntax"


class _Deferred(types.ModuleType):
    """Stands for ``rfc3987_syntax`` until something really uses it."""

    def __getattr__(self, attribute: str) -> Any:
        return getattr(_real(), attribute)


def _real() -> types.ModuleType:
    """Import the real module (once), replacing the stand-in in ``sys.modules``."""
    current = sys.modules.get(_NAME)
    if current is not None and not isinstance(current, _Deferred):
        return current
    sys.modules.pop(_NAME, None)
    try:
        return importlib.import_module(_NAME)
    except BaseException:
        if current is not None:
            sys.modules[_NAME] = current
        raise


def _is_valid_syntax(term: str, value: str) -> bool:
    """``rfc3987_syntax.is_valid_syntax``, imported on first use."""
    return _real().is_valid_syntax(term, value)


def defer_iri_grammar() -> bool:
    """Install the stand-in if it can help; return whether it is in place."""
    if isinstance(sys.modules.get(_NAME), _Deferred):
        return True
    if _NAME in sys.modules or "jsonschema._format" in sys.modules:
        return False
    spec = importlib.util.find_spec(_NAME)
    if spec is None:
        return False
    stand_in = _Deferred(_NAME, "Stand-in: the real module is imported on first use.")
    stand_in.__spec__ = spec
    stand_in.__path__ = list(spec.submodule_search_locations or [])
    stand_in.is_valid_syntax = _is_valid_syntax  # type: ignore[attr-defined]
    sys.modules[_NAME] = stand_in
    return True
