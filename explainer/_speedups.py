"""Two costs every kernel paid for nothing, removed without changing any result.

1. **The IRI grammar** (:func:`defer_iri_grammar`, called when the package is imported).

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

2. **Altair's class table** (:func:`share_altair_class_table`, called when
:mod:`explainer.charts` imports Altair). Each time an encoding is given as a string or a
dict (``tooltip=["year:O", ...]``, ``alt.condition(...)``), Altair's ``from_dict`` rebuilds
a table from every schema class (some 570, each hashed as JSON) to the classes it may become:
about 20 ms a call, 40 calls in notebook 01. The table depends only on the classes, so it is
built once per set of classes and each call gets its own copy of it. Altair's own fix is
pending upstream (vega/altair pull request 3547, "the breadth-first search now occurs only
once"); if Altair's internals change shape, nothing is patched.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from collections import defaultdict
from collections.abc import Iterable
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


def share_altair_class_table() -> bool:
    """Build Altair's schema-hash → classes table once; return whether the patch is in place."""
    try:
        from altair.utils import schemapi
    except ImportError:
        return False
    converter = getattr(schemapi, "_FromDict", None)
    original = getattr(converter, "__init__", None)
    if converter is None or original is None or getattr(original, "_lg_shared", False):
        return original is not None and getattr(original, "_lg_shared", False)
    if not hasattr(converter, "hash_schema"):
        return False
    built: dict[tuple[type, ...], dict[int, list[type]]] = {}

    def __init__(self: Any, wrapper_classes: Iterable[type], /) -> None:
        classes = tuple(wrapper_classes)
        table = built.get(classes)
        if table is None:
            original(self, classes)
            built.clear()  # keep one table: the class set only grows if Altair is extended
            built[classes] = dict(self.class_dict)
        else:
            self.class_dict = defaultdict(list, table)

    __init__._lg_shared = True  # type: ignore[attr-defined]
    __init__.__wrapped__ = original  # type: ignore[attr-defined]
    converter.__init__ = __init__
    return True
