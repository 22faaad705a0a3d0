"""The report engine: build the parameterized notebooks of ``reports.toml`` into ``outputs/``.

One job per module:

- ``manifest``: read and check ``reports.toml``; fan runs out over their matrix; select runs.
- ``fingerprint`` / ``state`` / ``plan``: what each run depends on, what was built, what to do.
- ``runner`` / ``worker`` / ``kernels`` / ``execute``: parallel workers, warm fresh kernels,
  papermill parameterization and nbclient execution.
- ``html`` / ``gallery``: self-contained HTML reports and ``index.html``.
- ``progress`` / ``lock`` / ``atomic``: live progress, one build at a time, crash-safe writes.
- ``build`` / ``cli``: the ``chengguan-build`` command.
"""
