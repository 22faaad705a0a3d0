"""The messages between the build's coordinator and whatever runs its notebooks (local workers,
a Dask cluster): a :class:`Task` goes out, :class:`Started` and a :class:`Result` come back, and a
:class:`Failure` says where a run failed in terms of the source notebook.

Plain data and nothing else, so that every side imports it at no cost: the coordinator
(build.py, progress.py), the workers (workers.py, cluster.py) and the kernel side (execute.py,
which turns a cell's error into a Failure).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Task:
    """One run for a worker: execute then render, or only re-render the stored notebook."""

    run: str
    notebook: str  # stem
    notebook_path: str
    parameters: dict[str, Any]
    title: str
    description: str
    show_code: bool
    timeout: float
    execute: bool  # False: re-render the stored executed notebook with the new markdown
    ipynb: str
    html: str
    failed: str
    metadata: dict[str, Any] = field(default_factory=dict)  # stored under nb.metadata.chengguan
    results: str = ""  # where the key results go (<run>.results.json)
    links: dict[str, Any] = field(default_factory=dict)  # the report's top bar (render.PageLinks)


@dataclass(frozen=True)
class Failure:
    """Where and how a run failed, in terms of the source notebook."""

    notebook: str  # path as shown to the user
    kind: str  # "error" | "timeout" | "dead kernel" | "engine"
    message: str  # "ZeroDivisionError: division by zero"
    cell: int | None = None  # 1-based position among the source notebook's cells
    line: int | None = None  # 1-based line within the cell
    source_line: str | None = None

    def describe(self) -> str:
        where = self.notebook
        if self.cell is not None:
            where += f", cell {self.cell}"
        if self.line is not None:
            where += f", line {self.line}"
        text = f"{where}: {self.kind}"
        if self.source_line is not None:
            text += f" in `{self.source_line.strip()}`"
        return f"{text}\n    {self.message}"


@dataclass(frozen=True)
class Result:
    run: str
    status: str  # "ran" | "re-rendered" | "failed"
    seconds: float
    failure: Failure | None = None
    warnings: tuple[str, ...] = ()
    degraded: bool = False  # built, but not fully in its language (e.g. no CJK font for a zh report)
    reads: tuple[str, ...] | None = None  # data files the notebook read, relative to data/ (None: unknown)


@dataclass(frozen=True)
class Started:
    run: str
    worker: int
