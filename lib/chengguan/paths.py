"""Where the project's files live.

The library is installed in editable mode from the project checkout, so the project root is found by
walking up from this file; ``CHENGGUAN_ROOT`` overrides it (tests use this to work on copies).
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The checkout's root directory (the one holding ``pyproject.toml``)."""
    env = os.environ.get("CHENGGUAN_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "data").is_dir():
            return parent
    raise RuntimeError(
        "cannot find the project root above %s; set CHENGGUAN_ROOT to the checkout" % here
    )


def data_dir() -> Path:
    """``data/``: raw sources and the tidy tables."""
    return project_root() / "data"


def raw_dir() -> Path:
    """``data/raw/``: source documents exactly as received (never edited)."""
    return data_dir() / "raw"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"
