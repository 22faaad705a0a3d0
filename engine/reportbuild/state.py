"""The build state (``outputs/.build/state.json``): what each run was last built from, and how it went.

A run's :class:`Fingerprint` (one digest per kind of input) is the state's vocabulary: ``plan.py``
computes today's and compares it with the one recorded here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from reportbuild.guard import atomic_write_text

FORMAT = 1

# Reasons, in the order they are reported.
EXECUTION_REASONS = {
    "code": "notebook code changed",
    "params": "params changed",
    "data": "data changed",
    "library": "library changed",
    "packages": "packages changed",
    "kernel": "kernel changed",
    "fonts": "fonts changed",
}
RENDER_REASONS = {
    "markdown": "markdown changed",
    "render": "rendering changed",
}


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
    fonts: str
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


@dataclass
class RunRecord:
    """The last outcome of one run.

    ``fingerprint`` is what ``<run>.ipynb``/``.html`` were built from; it is kept from the last
    good build when a later build fails (the failed notebook sits beside, in ``<run>.failed.ipynb``).
    """

    status: str  # "ok" | "failed"
    fingerprint: dict[str, str] | None = None
    built_at: str | None = None  # ISO time of the last good build
    duration: float | None = None  # seconds of the last execution
    error: str | None = None  # the summary of the last failure
    degraded: bool = False  # the last good build is not fully in its language (no CJK font)
    commit: str | None = None  # the project's commit the last good build was made from
    # Data files the last good execution read (relative to data/; folders end in "/") and their
    # digests; None when unknown, and then any change under data/ re-runs the report.
    reads: dict[str, str | None] | None = None

    def fp(self) -> Fingerprint | None:
        return Fingerprint.from_dict(self.fingerprint)


@dataclass
class BuildState:
    runs: dict[str, RunRecord] = field(default_factory=dict)
    files: dict[str, list[Any]] = field(default_factory=dict)  # the stat cache of plan.py
    downloads: str | None = None  # digest of the data and code outputs/data/ was last exported from
    validated: str | None = None  # digest of the data and libraries the table validator last passed
    site: str | None = None  # digest of what the site's pages were last written from
    _saved: str | None = field(default=None, repr=False, compare=False)  # the text last read or written

    @classmethod
    def load(cls, path: Path) -> BuildState:
        """The saved state, or an empty one when missing, unreadable or of another format."""
        try:
            text = path.read_text(encoding="utf-8")
            data = json.loads(text)
        except (OSError, ValueError):  # missing, unreadable (the build then says why it cannot write)
            return cls()
        if data.get("format") != FORMAT:
            return cls()
        runs = {name: RunRecord(**record) for name, record in data.get("runs", {}).items()}
        return cls(runs=runs, files=data.get("files", {}), downloads=data.get("downloads"),
                   validated=data.get("validated"), site=data.get("site"), _saved=text)

    def save(self, path: Path) -> None:
        data = {
            "format": FORMAT,
            "runs": {name: asdict(record) for name, record in sorted(self.runs.items())},
            "files": self.files,
            "downloads": self.downloads,
            "validated": self.validated,
            "site": self.site,
        }
        text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
        if text != self._saved:  # a no-op build writes (and syncs to disk) nothing
            atomic_write_text(path, text)
            self._saved = text
