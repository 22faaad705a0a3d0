"""The indicator tables of ``data/`` as notebooks read them: schema, reading and loading.

Validation, coverage and the other curation tools are :mod:`chengguan.curation`; nothing here
imports them. The loading API imports pandas and is loaded lazily (PEP 562).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chengguan.tables.load import (
        Observation,
        days_inside,
        events_between,
        load_domains,
        load_events,
        load_exclusions,
        load_indicators,
        load_labels,
        load_observations,
        load_recognitions,
        load_scopes,
        load_series,
        load_sources,
        load_supplementary_map,
        source_issuers,
        source_titles,
        tables_read,
        value_of,
        whole_years,
    )

_LAZY = (
    "Observation", "load_observations", "load_indicators", "load_sources", "load_scopes",
    "load_domains", "load_recognitions", "load_exclusions", "load_supplementary_map",
    "load_events", "load_labels", "source_issuers", "source_titles", "tables_read", "value_of", "whole_years",
    "load_series", "events_between", "days_inside",
)

# Written out (not built from _LAZY) so linters see the re-exports; a test-free check keeps them equal.
__all__ = [
    "Observation", "load_observations", "load_indicators", "load_sources", "load_scopes",
    "load_domains", "load_recognitions", "load_exclusions", "load_supplementary_map",
    "load_events", "load_labels", "source_issuers", "source_titles", "tables_read", "value_of", "whole_years",
    "load_series", "events_between", "days_inside",
]
assert set(__all__) == set(_LAZY)


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.load"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
