"""The curation tools of ``data/``: validation, coverage of the source, drafting and intake of new
sources, the Frictionless descriptor, the downloads, and the ``chengguan-data`` command.

They keep the tables right; no notebook imports them. The notebook-facing library is the rest of
:mod:`chengguan` (loading in :mod:`chengguan.tables`, display, stats, theme, text), so importing the
tables for a notebook never imports the validator.
"""
