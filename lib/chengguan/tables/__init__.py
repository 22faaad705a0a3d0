"""The indicator tables of ``data/``: schema, loading, validation and coverage.

``validate`` and ``coverage`` are both submodules and the functions they define; importing the
functions here, eagerly, makes the package attributes the functions for good (a submodule import
would otherwise rebind the name to the module). Both modules are cheap to import: they import the
quantity parser only when they run. The loading API imports pandas and is loaded lazily
(PEP 562), so ``from chengguan.tables import load_observations`` never imports the parser.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from chengguan.tables.coverage import CoverageReport, coverage
from chengguan.tables.validate import Problem, validate

if TYPE_CHECKING:
    from chengguan.tables.load import (
        Observation,
        load_domains,
        load_events,
        load_exclusions,
        load_indicators,
        load_labels,
        load_observations,
        load_recognitions,
        load_scopes,
        load_sources,
        load_supplementary_map,
        source_titles,
        tables_read,
        value_of,
        whole_years,
    )

_LAZY = (
    "Observation", "load_observations", "load_indicators", "load_sources", "load_scopes",
    "load_domains", "load_recognitions", "load_exclusions", "load_supplementary_map",
    "load_events", "load_labels", "source_titles", "tables_read", "value_of", "whole_years",
)

# Written out (not built from _LAZY) so linters see the re-exports; a test-free check keeps them equal.
__all__ = [
    "CoverageReport", "coverage", "Problem", "validate",
    "Observation", "load_observations", "load_indicators", "load_sources", "load_scopes",
    "load_domains", "load_recognitions", "load_exclusions", "load_supplementary_map",
    "load_events", "load_labels", "source_titles", "tables_read", "value_of", "whole_years",
]
assert set(__all__) == {"CoverageReport", "coverage", "Problem", "validate", *_LAZY}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.load"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
