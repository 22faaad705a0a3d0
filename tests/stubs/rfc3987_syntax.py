"""Stands in for the optional ``rfc3987_syntax`` in the processes the tests start.

jsonschema (under nbformat) imports it if it can, to check "iri" strings, and it builds a parser
when imported: about 1.4 s of CPU in every `jupyter nbconvert`, `papermill`, `frictionless` and
nbstripout command a test runs (11 a session). No schema here uses those formats. tests/conftest.py
puts this folder first on the session's PYTHONPATH; jsonschema then goes without the checker, as
the test processes themselves and the engine's workers do (reportbuild.workers._block_slow_import).
"""

raise ImportError("rfc3987_syntax is left out of the test session's processes (tests/stubs)")
