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
    # Why a state file that exists was not used ("is not JSON ..."), for the build to say so: an
    # unusable state means every run is rebuilt, which a reader should not discover from the time.
    problem: str | None = field(default=None, repr=False, compare=False)

    @classmethod
    def load(cls, path: Path) -> BuildState:
        """The saved state, or an empty one when missing, unreadable, corrupt or of another format;
        then (except when missing) ``problem`` says why, for the build's warning."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:  # the first build
            return cls()
        except (OSError, UnicodeDecodeError) as error:
            why = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            return cls(problem=f"cannot be read ({why})")
        try:
            data = json.loads(text)
        except ValueError as error:  # truncated, or not JSON at all
            return cls(problem=f"is not JSON ({error})")
        if not isinstance(data, dict):
            kind = {list: "array", str: "string", bool: "boolean", int: "number", float: "number"}.get(
                type(data), "null")
            return cls(problem=f"is not a build state (a JSON {kind}, not an object)")
        if data.get("format") != FORMAT:
            return cls(problem=f"is of another format ({data.get('format')!r}; this engine writes {FORMAT})")
        try:
            runs = {str(name): RunRecord(**record) for name, record in data.get("runs", {}).items()}
            state = cls(runs=runs, files=data.get("files", {}), downloads=data.get("downloads"),
                        validated=data.get("validated"), site=data.get("site"), _saved=text)
        except (TypeError, AttributeError) as error:  # a record with other fields, a list for a map
            return cls(problem=f"is not a build state this engine can read ({error})")
        if not isinstance(state.files, dict) or not all(
                isinstance(v, str | None) for v in (state.downloads, state.validated, state.site)):
            return cls(problem="is not a build state this engine can read (a field of the wrong type)")
        return state

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
