"""Write the bytecode of what the kernels, the engine and the tests import, by importing it.

`make` runs this once when it creates the environment, instead of compiling every installed file
(``uv pip sync --compile-bytecode``: some 11,000 files, 17 s on 2 cores): some 4,200 modules
(standard library included) are ever imported, and compiling only those takes 7 s. Without their
bytecode on disk, every kernel, engine worker and test process would compile them again at import
(where PYTHONDONTWRITEBYTECODE is set, as on many CI machines, it never stops doing so). Whatever
is imported that is not listed here is compiled at its first import, as Python always does; the
lists below came from a test session run with bytecode writing on (the files it wrote were the
ones missing).

Usage: ``python tools/compile_imports.py kernel`` or ``... tools``: one process per stack, the two
run in parallel (see the Makefile).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys

# A name ending in ".*" takes its submodules too.
STACKS = {
    # What a report's kernel imports: at start (ipykernel, IPython's shell and its magics), the
    # engine's pre-imports, the library, and what the notebooks load as they run (tables as HTML,
    # PNG charts, tracebacks of a failing cell).
    "kernel": [
        "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.debugger",
        "ipykernel_launcher", "zmq.utils.garbage", "tornado.platform.asyncio",
        "IPython.core.oinspect", "IPython.core.debugger", "IPython.core.completerlib",
        "IPython.core.logger", "IPython.core.magics.extension", "IPython.extensions.storemagic",
        "IPython.extensions.autoreload", "IPython.lib.lexers", "IPython.utils.wildcard",
        "IPython.core.ultratb", "stack_data", "executing", "pure_eval", "asttokens",
        "matplotlib_inline.backend_inline", "matplotlib.pyplot", "matplotlib.style.core",
        "PIL.PngImagePlugin", "PIL.BmpImagePlugin", "PIL.GifImagePlugin", "PIL.JpegImagePlugin",
        "PIL.PpmImagePlugin",
        "pandas", "pandas.io.formats.html", "pandas.io.formats.string", "pandas.core.reshape.reshape",
        "pandas.core.arrays.arrow.extension_types", "seaborn", "statsmodels.api",
        "statsmodels.stats.proportion", "statsmodels.stats.rates", "chengguan.*",
    ],
    # What the build engine, its workers, the data tools and the tests import (test modules
    # themselves are rewritten by pytest, which keeps its own cache), and the plain way to run and
    # share one notebook: the papermill and `jupyter nbconvert` commands.
    "tools": [
        "reportbuild.*", "nbconvert", "nbconvert.nbconvertapp", "nbclient", "papermill", "papermill.cli",
        "jupyter_core.command", "jupyter_client.manager",
        "jupyter_client.ioloop", "jupyter_client.restarter", "mistune.plugins.*", "pygments.lexers.html",
        "pygments.lexers.python", "pygments.lexers.shell", "pygments.formatters.html",
        "pygments.styles.default", "pyarrow.parquet", "pyarrow.dataset", "openpyxl", "frictionless.*",
        "pytest", "xdist.plugin", "xdist.remote", "playwright.sync_api", "distributed",
    ],
}


def main(stack: str) -> None:
    sys.dont_write_bytecode = False  # the point of this script, whatever the environment says
    for name in STACKS[stack]:
        package = name.removesuffix(".*")
        try:
            module = importlib.import_module(package)
        except Exception as error:  # noqa: BLE001 - renamed, or broken here: only this speed-up is lost
            print(f"compile_imports: {package} not compiled ({type(error).__name__}: {error})", file=sys.stderr)
            continue
        if package != name:
            for info in pkgutil.walk_packages(module.__path__, f"{package}.", onerror=lambda _: None):
                try:
                    importlib.import_module(info.name)
                except Exception:  # noqa: BLE001 - an optional submodule that cannot load here
                    pass


if __name__ == "__main__":
    os.environ.setdefault("MPLBACKEND", "Agg")  # no display here
    main(sys.argv[1])
