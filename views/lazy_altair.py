"""Altair, imported when a chart is first built rather than when the app starts.

Importing altair takes about half a second on an idle core (a second under load), half of what the app imports
at a cold start, and the landing page draws no Altair chart. Modules that build charts write
``from views.lazy_altair import alt`` and use ``alt.Chart`` etc. as usual: the first attribute read imports
altair (Python's import lock makes that safe when several sessions start at once); the type checker sees the
real module.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class _LazyAltair:
    """Reads every attribute from the altair module, importing it on first use."""

    _module: ModuleType | None = None

    def __getattr__(self, name: str) -> Any:
        module = _LazyAltair._module
        if module is None:
            module = importlib.import_module("altair")
            _LazyAltair._module = module
        return getattr(module, name)


alt: Any = _LazyAltair()
