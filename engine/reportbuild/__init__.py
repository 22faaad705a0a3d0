"""reportbuild: build the parameterized notebooks of a manifest (``reports.toml``) into ``outputs/``.

The command is ``chengguan-build``. Modules, grouped by what they do:

- manifest and plan: ``manifest`` (read and check ``reports.toml``, fan runs out, select them),
  ``plan`` (fingerprints of what each run depends on; execute, re-render or skip, and why),
  ``layout`` (where inputs and outputs live);
- execution and workers: ``workers`` (worker processes, their messages, the pool),
  ``kernels`` (fresh pre-warmed kernels), ``execute`` (papermill parameterization, nbclient execution);
- rendering and site: ``render`` (self-contained HTML of one report), ``results`` (its key results,
  ``<run>.results.json``), ``pagecheck`` (what a reader would trip over), ``site`` (the home pages
  ``index.html``/``index.en.html`` and ``build.html``), ``templates/`` (page templates and CSS);
- state, lock and atomic writes: ``state`` (``outputs/.build/state.json``), ``guard`` (one build at a
  time, atomic writes);
- the command: ``build`` (the build itself), ``progress`` (live progress and the summary), ``cli``.

Kernels never import this package: it is no input of a report, except ``render.py`` whose edits
re-render every report.
"""
