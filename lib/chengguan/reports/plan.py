"""Decide, per run, whether to execute, only re-render, or skip — and say why."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from chengguan.reports.fingerprint import (
    EXECUTION_PACKAGES,
    RENDER_PACKAGES,
    Fingerprint,
    digest,
    file_sha256,
    kernel_digest,
    notebook_digests,
    package_versions,
    tree_digest,
)
from chengguan.reports.layout import Layout
from chengguan.reports.manifest import Manifest, Run
from chengguan.reports.state import BuildState

# The renderer's own source: editing it re-renders every report (it is outside the library digest,
# since kernels never import the engine).
RENDERER_SOURCE = Path(__file__).with_name("html.py")


class Action(Enum):
    EXECUTE = "execute"
    RENDER = "render"
    SKIP = "skip"


@dataclass(frozen=True)
class Decision:
    run: Run
    action: Action
    reasons: tuple[str, ...]
    fingerprint: Fingerprint
    parameters: dict[str, Any]  # resolved (defaults filled in)

    def describe(self) -> str:
        if self.action is Action.EXECUTE:
            return "would run: " + ", ".join(self.reasons)
        if self.action is Action.RENDER:
            return "re-render: " + ", ".join(self.reasons)
        return "up to date"


def fingerprints(
    runs: Sequence[Run],
    parameters: Mapping[str, dict[str, Any]],
    manifest: Manifest,
    layout: Layout,
    state: BuildState,
    versions: Mapping[str, str | None] | None = None,
) -> dict[str, Fingerprint]:
    """The current fingerprint of each run. ``versions`` overrides the installed versions (tests)."""
    cache = state.files
    if versions is None:
        versions = package_versions(EXECUTION_PACKAGES + RENDER_PACKAGES)
    shared = {
        "data": tree_digest(layout.data, cache),
        # reports/ is the engine, which kernels never import; html.py is covered by `render`.
        "library": tree_digest(layout.library, cache, exclude=("reports",)),
        "packages": digest({k: versions.get(k) for k in EXECUTION_PACKAGES}),
        "kernel": kernel_digest(manifest.build.kernel),
    }
    renderer = [
        {k: versions.get(k) for k in RENDER_PACKAGES},
        file_sha256(RENDERER_SOURCE, cache) if RENDERER_SOURCE.is_file() else None,
    ]
    notebooks: dict[Path, tuple[str, str]] = {}
    result = {}
    for run in runs:
        if run.notebook_path not in notebooks:
            with run.notebook_path.open(encoding="utf-8") as f:
                notebooks[run.notebook_path] = notebook_digests(json.load(f))
        code, markdown = notebooks[run.notebook_path]
        params = parameters[run.name]
        result[run.name] = Fingerprint(
            code=code,
            markdown=markdown,
            params=digest(params),
            render=digest([renderer, run.title, run.description, run.show_code, params]),
            **shared,
        )
    return result


def decide(run: Run, fp: Fingerprint, params: dict[str, Any], state: BuildState, layout: Layout,
           force: bool = False) -> Decision:
    """What to do with one run, given its current fingerprint and the saved state."""

    def decision(action: Action, *reasons: str) -> Decision:
        return Decision(run, action, reasons, fp, params)

    if force:
        return decision(Action.EXECUTE, "forced")
    record = state.runs.get(run.name)
    if record is not None and record.status == "failed":
        return decision(Action.EXECUTE, "previous run failed")
    old = record.fp() if record else None
    if old is None or not layout.ipynb(run.name).is_file():
        return decision(Action.EXECUTE, "no previous output")
    changes = fp.execution_changes(old)
    if changes:
        return decision(Action.EXECUTE, *changes)
    rerender = fp.render_changes(old)
    if not layout.html(run.name).is_file():
        rerender.append("HTML missing")
    if rerender:
        return decision(Action.RENDER, *rerender)
    return decision(Action.SKIP)


def plan(runs: Sequence[Run], parameters: Mapping[str, dict[str, Any]], manifest: Manifest, layout: Layout,
         state: BuildState, force: bool = False,
         versions: Mapping[str, str | None] | None = None) -> list[Decision]:
    fps = fingerprints(runs, parameters, manifest, layout, state, versions)
    return [decide(run, fps[run.name], parameters[run.name], state, layout, force) for run in runs]
