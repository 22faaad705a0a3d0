"""What a report depends on, as short digests, computed fast enough for a sub-second no-op build.

A run's fingerprint has one digest per kind of input, so a changed digest names the reason to
rebuild. Tree digests reuse a stat cache (size, mtime_ns) -> sha256 kept in the build state, so
unchanged files are never read again.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

# Distributions whose versions can change what a notebook computes or how it executes.
EXECUTION_PACKAGES = (
    "ipykernel", "ipython", "jupyter_client", "matplotlib", "matplotlib-inline", "nbclient",
    "nbformat", "numpy", "pandas", "papermill", "scipy", "seaborn", "statsmodels",
)
# Distributions that only change the HTML rendering (a change re-renders, never re-executes).
RENDER_PACKAGES = ("nbconvert", "mistune", "pygments", "jupyterlab_pygments", "bleach")

# Reasons, in the order they are reported.
EXECUTION_REASONS = {
    "code": "notebook code changed",
    "params": "params changed",
    "data": "data changed",
    "library": "library changed",
    "packages": "packages changed",
    "kernel": "kernel changed",
}
RENDER_REASONS = {
    "markdown": "markdown changed",
    "render": "rendering changed",
}


def digest(value: Any) -> str:
    """sha256 of a JSON-serializable value (keys sorted), shortened: these are not secrets."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


StatCache = MutableMapping[str, list[Any]]  # path -> [size, mtime_ns, sha256]


def file_sha256(path: Path, cache: StatCache | None = None) -> str:
    """Content hash of one file, reusing ``cache`` when size and mtime are unchanged."""
    st = path.stat()
    key = str(path)
    hit = cache.get(key) if cache is not None else None
    if hit and hit[0] == st.st_size and hit[1] == st.st_mtime_ns:
        return str(hit[2])
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    sha = h.hexdigest()
    if cache is not None:
        cache[key] = [st.st_size, st.st_mtime_ns, sha]
    return sha


def _walk(root: Path, exclude: tuple[str, ...]) -> Iterable[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        # Skip caches and hidden folders; they do not change what a notebook computes.
        dirnames[:] = sorted(
            d for d in dirnames
            if not d.startswith(".") and d != "__pycache__"
            and os.path.relpath(os.path.join(dirpath, d), root) not in exclude
        )
        for name in sorted(filenames):
            if not name.startswith(".") and not name.endswith((".pyc", ".pyo")):
                yield Path(dirpath) / name


def tree_digest(root: Path, cache: StatCache | None = None, exclude: tuple[str, ...] = ()) -> str:
    """Digest of every file's relative path and content under ``root`` ('' when it is absent)."""
    if not root.is_dir():
        return digest(None)
    entries = [(path.relative_to(root).as_posix(), file_sha256(path, cache)) for path in _walk(root, exclude)]
    return digest(entries)


def notebook_digests(nb: Mapping[str, Any]) -> tuple[str, str]:
    """``(code, markdown)`` digests of a notebook's JSON.

    Code covers what execution sees: code cell sources in order and their tags (the
    ``parameters`` tag decides where papermill injects). Markdown covers everything else shown.
    """
    code, other = [], []
    for cell in nb.get("cells", []):
        source = "".join(cell.get("source", ""))
        if cell.get("cell_type") == "code":
            code.append([source, sorted(cell.get("metadata", {}).get("tags", []))])
        else:
            other.append([cell.get("cell_type"), source, cell.get("attachments")])
    return digest(code), digest(other)


def package_versions(names: Iterable[str]) -> dict[str, str | None]:
    """Installed versions (None when a distribution is absent)."""
    versions: dict[str, str | None] = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def kernelspec_file(name: str) -> Path | None:
    """The ``kernel.json`` of kernel ``name`` (found without importing jupyter_client)."""
    from jupyter_core.paths import jupyter_path  # light: no server stack

    for base in jupyter_path("kernels"):
        candidate = Path(base) / name / "kernel.json"
        if candidate.is_file():
            return candidate
    return None


def kernel_digest(name: str) -> str:
    """Digest of the kernelspec (its command line and environment) and this Python."""
    spec = kernelspec_file(name)
    text = spec.read_text(encoding="utf-8") if spec else None
    return digest([name, text, sys.version])


@dataclass(frozen=True)
class Fingerprint:
    """Digests of everything one run depends on."""

    code: str
    markdown: str
    params: str
    data: str
    library: str
    packages: str
    kernel: str
    render: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Fingerprint | None:
        if not data or set(data) != set(cls.__dataclass_fields__):
            return None  # written by an older engine: treat as no previous output
        return cls(**data)

    def execution_changes(self, old: Fingerprint) -> list[str]:
        return [reason for key, reason in EXECUTION_REASONS.items() if getattr(self, key) != getattr(old, key)]

    def render_changes(self, old: Fingerprint) -> list[str]:
        return [reason for key, reason in RENDER_REASONS.items() if getattr(self, key) != getattr(old, key)]
