"""Where the project's files live.

The project root is, in this order: ``CHENGGUAN_ROOT`` when set; the nearest folder at or above the
working directory that holds ``reports.toml`` and ``data/`` (so a kernel started in a copy's
``notebooks/`` reads that copy); the checkout this library is installed from in editable mode.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The project's root directory (see the module docstring for how it is found)."""
    env = os.environ.get("CHENGGUAN_ROOT")
    if env:
        return Path(env).resolve()
    cwd = Path.cwd().resolve()
    for parent in (cwd, *cwd.parents):
        if (parent / "reports.toml").is_file() and (parent / "data").is_dir():
            return parent
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "data").is_dir():
            return parent
    raise RuntimeError(
        f"cannot find the project root above {here}; set CHENGGUAN_ROOT to the checkout"
    )


def data_dir() -> Path:
    """``data/``: raw sources and the tidy tables."""
    return project_root() / "data"


def raw_dir() -> Path:
    """``data/raw/``: source documents exactly as received (never edited)."""
    return data_dir() / "raw"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"
