"""Write the bytecode of what the reports, the engine and the tests import, by importing it.

`make` runs this once when it creates the environment, instead of compiling every installed file
(``uv pip sync --compile-bytecode``: some 11,000 files, 17 s on 2 cores): about 3,000 modules are
ever imported, and compiling only those takes 7 s. Without their bytecode on disk, every kernel,
engine worker and test process would compile them again at import (where PYTHONDONTWRITEBYTECODE
is set, as on many CI machines, it never stops doing so). Whatever is imported that is not listed
here is compiled at its first import, as Python always does.

Usage: python tools/compile_imports.py MODULE... (a name ending in ".*", quoted for the shell, takes its submodules too).
Run one process per independent stack, in parallel (see the Makefile).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys


def main(names: list[str]) -> None:
    sys.dont_write_bytecode = False  # the point of this script, whatever the environment says
    for name in names:
        package = name.removesuffix(".*")
        module = importlib.import_module(package)
        if package != name:
            for info in pkgutil.walk_packages(module.__path__, f"{package}.", onerror=lambda _: None):
                try:
                    importlib.import_module(info.name)
                except Exception:  # noqa: BLE001 - an optional submodule that cannot load here
                    pass


if __name__ == "__main__":
    main(sys.argv[1:])
