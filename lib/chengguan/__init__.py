"""chengguan: traceable indicator tables and reports on Shanghai city-management enforcement.

Layout (one job per module):

- ``quantities`` / ``units``: read quantity phrases of Chinese report text into exact values.
- ``sources``: the raw source documents and the normalized text that quotes are matched against.
- ``tables``: schemas, loading, validation and coverage of the indicator tables in ``data/``.
- ``stats``: intervals and rates with their denominators.
- ``theme``: the plotting theme (Chinese-capable font selection).
- ``params``: notebook parameter declarations and their validation.
- ``reports``: the batch report engine (manifest, cache, runner, HTML, gallery).
"""

__version__ = "0.1.0"
