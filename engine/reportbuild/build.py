"""The build: manifest -> validated parameters -> plan -> parallel runs -> state, site, summary.

This module is on the no-op path, so it imports nothing heavy; the worker pool (and with it
papermill, nbclient and nbconvert) is imported only when some run has to execute or re-render.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TextIO

from chengguan.params import ParameterError
from reportbuild.guard import BuildLock, BuildLocked
from reportbuild.layout import Layout
from reportbuild.manifest import Manifest, ManifestError, Run, load_manifest, validate_runs
from reportbuild.plan import Action, Decision, library_sources, plan
from reportbuild.progress import Progress, summary_table
from reportbuild.site import read_site_info, site_run, write_site
from reportbuild.state import BuildState, RunRecord
from reportbuild.workers import Result, Started, Task

EXIT_OK, EXIT_FAILED, EXIT_REFUSED, EXIT_INTERRUPTED = 0, 1, 2, 130


@dataclass
class BuildOptions:
    patterns: Sequence[str] = ()
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    force: bool = False
    dry_run: bool = False
    timeout: float | None = None  # overrides the manifest's per-cell timeout
    show_code: bool | None = None  # overrides the manifest's show_code
    versions: Mapping[str, str | None] | None = None  # package versions (tests); None: installed


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _override(runs: Sequence[Run], options: BuildOptions) -> list[Run]:
    changes: dict[str, Any] = {}
    if options.timeout is not None:
        changes["timeout"] = options.timeout
    if options.show_code is not None:
        changes["show_code"] = options.show_code
    return [dataclasses.replace(run, **changes) for run in runs] if changes else list(runs)


def prepare(layout: Layout, options: BuildOptions) -> tuple[Manifest, list[Run], dict[str, dict]]:
    """The manifest, the selected runs and their validated parameters (before any kernel starts)."""
    manifest = load_manifest(layout.manifest, layout.root)
    library_sources(manifest, layout)  # refuse early when a library cannot be found
    runs = _override(manifest.select(options.patterns), options)
    return manifest, runs, validate_runs(runs)


def _task(decision: Decision, layout: Layout) -> Task:
    run = decision.run
    return Task(
        run=run.name, notebook=run.notebook, notebook_path=str(run.notebook_path),
        parameters=decision.parameters, title=run.title, description=run.description,
        show_code=run.show_code, timeout=run.timeout, execute=decision.action is Action.EXECUTE,
        ipynb=str(layout.ipynb(run.name)), html=str(layout.html(run.name)), failed=str(layout.failed(run.name)),
        metadata={"run": run.name, "parameters": decision.parameters, "fingerprint": decision.fingerprint.to_dict()},
        results=str(layout.results(run.name)), links=decision.links,
    )


def _order(decisions: Sequence[Decision], state: BuildState) -> list[Decision]:
    """Executions first, longest (by last duration; unknown counts as longest) first; then re-renders."""

    def key(d: Decision) -> tuple[int, float]:
        record = state.runs.get(d.run.name)
        last = record.duration if record and record.duration is not None else float("inf")
        return (0 if d.action is Action.EXECUTE else 1, -last)

    return sorted((d for d in decisions if d.action is not Action.SKIP), key=key)


def _record(state: BuildState, decision: Decision, result: Result, commit: str | None) -> None:
    old = state.runs.get(decision.run.name)
    if result.status == "failed":
        failure = result.failure.describe() if result.failure else "failed"
        state.runs[decision.run.name] = RunRecord(
            status="failed", fingerprint=old.fingerprint if old else None,
            built_at=old.built_at if old else None, duration=old.duration if old else None, error=failure,
            degraded=old.degraded if old else False, commit=old.commit if old else None)
        return
    duration = result.seconds if result.status == "ran" else (old.duration if old else None)
    state.runs[decision.run.name] = RunRecord(
        status="ok", fingerprint=decision.fingerprint.to_dict(), built_at=_now(), duration=duration,
        degraded=result.degraded, commit=commit)


def project_commit(root: os.PathLike[str] | str) -> str | None:
    """The git commit of the project (with "+changes" when the work tree differs), or None."""
    import subprocess

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    head = git("rev-parse", "HEAD")
    if not head:
        return None
    changed = git("status", "--porcelain", "--untracked-files=no")
    return head + ("+changes" if changed else "")


def write_site_pages(manifest: Manifest, parameters: Mapping[str, dict], state: BuildState, layout: Layout) -> None:
    """Rewrite the site's pages (home in each language, build details) where their text changed,
    so that a no-op build leaves them untouched."""
    from reportbuild.guard import atomic_write_text

    runs = []
    for run in manifest.runs:
        record = state.runs.get(run.name)
        runs.append(site_run(
            name=run.name, notebook=run.notebook, parameters=parameters.get(run.name, run.parameters),
            title=run.title, description=run.description,
            status=record.status if record else "not built",
            has_report=layout.html(run.name).is_file(),
            degraded=record.degraded if record else False,
            built_at=record.built_at if record else None,
            duration=record.duration if record else None,
            commit=record.commit if record else None,
            error=record.error if record else None,
            results_file=layout.results(run.name),
        ))
    info = read_site_info(layout.data, layout.outputs, manifest.site.primary_source)
    write_site(runs, info, layout.outputs, atomic_write_text)


def export_downloads(manifest: Manifest, layout: Layout, state: BuildState, err: TextIO) -> None:
    """Write the data downloads (``outputs/data/``) with the manifest's ``[site] downloads``
    function, when the data or the libraries changed since the last export, or they are missing.

    A refusal (e.g. tables that do not validate) leaves the last downloads as they were and is
    reported; the reports still build.
    """
    target = manifest.site.downloads
    if target is None:
        return
    from reportbuild.plan import digest, library_sources, tree_digest

    key = digest([target, tree_digest(layout.data, state.files),
                  [tree_digest(path, state.files) for path in library_sources(manifest, layout)]])
    present = layout.downloads.is_dir() and any(layout.downloads.iterdir())
    if key == state.downloads and present:
        return
    import importlib

    module, _, function = target.partition(":")
    try:
        getattr(importlib.import_module(module), function)(layout.downloads, layout.data)
    except Exception as error:  # the export's own refusal, or any failure: the reports still build
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        err.write(f"chengguan-build: data downloads not written ({target}): {first}\n")
        return
    state.downloads = key
    state.save(layout.state_file)


def _all_parameters(manifest: Manifest, selected: Mapping[str, dict]) -> dict[str, dict]:
    """Resolved parameters of every run for the site (explicit ones where a run is invalid)."""
    resolved = dict(selected)
    for run in manifest.runs:
        if run.name not in resolved:
            try:
                resolved[run.name] = run.resolved()
            except ParameterError:
                resolved[run.name] = run.parameters
    return resolved


def _report_failures(results: Sequence[Result], layout: Layout, out: TextIO) -> None:
    for result in results:
        if result.status != "failed":
            continue
        out.write(f"\nFAILED {result.run}: ")
        out.write(result.failure.describe() if result.failure else "unknown failure")
        failed = layout.failed(result.run)
        if failed.is_file():
            out.write(f"\n    executed notebook: {layout.relative(failed)}")
        if layout.html(result.run).is_file():
            out.write(f"\n    last good report kept: {layout.relative(layout.html(result.run))}")
        out.write("\n")
    for result in results:
        for warning in result.warnings:
            out.write(f"warning: {warning}\n")


def build(layout: Layout, options: BuildOptions, out: TextIO = sys.stdout, err: TextIO = sys.stderr,
          on_event: Callable[[Started | Result | None], None] | None = None) -> int:
    """Run a build; returns the exit code. ``on_event`` also sees every worker event (tests)."""
    try:
        manifest, runs, parameters = prepare(layout, options)
    except (ManifestError, ParameterError) as error:
        err.write(f"chengguan-build: {error}\n")
        return EXIT_REFUSED

    if options.dry_run:
        decisions = plan(runs, parameters, manifest, layout, BuildState.load(layout.state_file),
                         options.force, options.versions)
        width = max((len(d.run.name) for d in decisions), default=0)
        for d in decisions:
            out.write(f"{d.run.name:<{width}}  {d.describe()}\n")
        return EXIT_OK

    try:
        with BuildLock(layout.lock_file):
            return _locked_build(manifest, runs, parameters, layout, options, out, err, on_event)
    except BuildLocked as error:
        err.write(f"chengguan-build: {error}\n")
        return EXIT_REFUSED


def _locked_build(manifest: Manifest, runs: list[Run], parameters: dict[str, dict], layout: Layout,
                  options: BuildOptions, out: TextIO, err: TextIO,
                  on_event: Callable[[Started | Result | None], None] | None) -> int:
    state = BuildState.load(layout.state_file)
    # Before the plan: whether downloads exist decides the reports' links to them.
    export_downloads(manifest, layout, state, err)
    decisions = plan(runs, parameters, manifest, layout, state, options.force, options.versions)
    by_name = {d.run.name: d for d in decisions}
    todo = _order(decisions, state)
    results: dict[str, Result] = {}
    interrupted = False
    if todo:
        from reportbuild.workers import WorkerConfig, run_tasks

        progress = Progress(len(todo), err, live=err.isatty())
        commit = project_commit(layout.root)

        def handle(event: Started | Result | None) -> None:
            if isinstance(event, Result):
                results[event.run] = event
                _record(state, by_name[event.run], event, commit)
                state.save(layout.state_file)  # after every run: an interrupted build resumes
            progress(event)
            if on_event is not None:
                on_event(event)

        config = WorkerConfig(
            kernel=manifest.build.kernel, cwd=str(layout.root / manifest.build.notebooks_dir),
            preload=manifest.build.preload, root=str(layout.root))
        try:
            run_tasks([_task(d, layout) for d in todo], options.jobs, config, handle)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            progress.finish()
    known = {run.name for run in manifest.runs}
    state.runs = {name: record for name, record in state.runs.items() if name in known}
    state.save(layout.state_file)
    write_site_pages(manifest, _all_parameters(manifest, parameters), state, layout)

    rows: list[tuple[str, str, float | None]] = []
    for d in decisions:
        result = results.get(d.run.name)
        if result is not None:
            rows.append((d.run.name, result.status, result.seconds))
        elif d.action is Action.SKIP:
            rows.append((d.run.name, "skipped", None))
        else:
            rows.append((d.run.name, "not run", None))
    out.write(summary_table(rows) + "\n")
    _report_failures(list(results.values()), layout, out)
    if interrupted:
        left = len(todo) - len(results)
        out.write(f"\ninterrupted: {len(results)} run(s) finished, {left} left; the next build resumes\n")
        return EXIT_INTERRUPTED
    return EXIT_FAILED if any(r.status == "failed" for r in results.values()) else EXIT_OK
