"""chengguan: traceable indicator tables and reports on Shanghai city-management enforcement.

Layout (one job per module):

- ``quantities`` / ``units``: read quantity phrases of Chinese report text into exact values.
- ``sources``: the raw source documents and the normalized text that quotes are matched against.
- ``tables``: schemas, loading, validation and coverage of the indicator tables in ``data/``.
- ``sources.sections``: the numbered sections of a document, with a character count.
- ``stats``: what a printed figure stands for (rounding, 余, 以上), ratio bounds, intervals.
- ``theme``: the plotting theme (Chinese-capable font), source lines, event marks.
- ``display``: figures with their quotes, sources, tables, charts and key results, escaped.
- ``params``: notebook parameter constraints and their validation.

The build engine is not part of this library: it is the package ``reportbuild`` (``engine/``).
"""

__version__ = "0.1.0"
