"""The build: manifest -> validated parameters -> plan -> parallel runs -> state, site, summary.

This module is on the no-op path, so it imports nothing heavy; the worker pool (and with it
papermill, nbclient and nbconvert) is imported only when some run has to execute or re-render.
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from chengguan.params import ParameterError
from reportbuild.guard import BuildLock, BuildLocked, OutputsUnwritable
from reportbuild.layout import Layout
from reportbuild.manifest import Manifest, ManifestError, Run, load_manifest, validate_runs
from reportbuild.messages import Result, Started, Task
from reportbuild.plan import Action, Decision, digest, library_sources, plan, read_digests, tree_digest
from reportbuild.progress import Progress, summary_table
from reportbuild.site import read_site_info, site_run, write_site
from reportbuild.state import BuildState, RunRecord

EXIT_OK, EXIT_FAILED, EXIT_REFUSED, EXIT_INTERRUPTED = 0, 1, 2, 130
# Signals that stop a build the way Ctrl-C does; the exit code is 128 + the signal's number
# (SIGINT 130, SIGTERM 143, SIGHUP 129), as a shell reports a process killed by it.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
# A folder of fork servers that a session's builds share (reportbuild.forkserver.SharedServers,
# started by the test suite): the workers fork their kernels there instead of starting their own.
FORK_SERVERS_ENV = "CHENGGUAN_FORK_SERVERS"


class Interrupted(KeyboardInterrupt):
    """The build was asked to stop by a signal (SIGINT arrives as a plain KeyboardInterrupt)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def exit_code(interrupt: KeyboardInterrupt) -> int:
    return 128 + interrupt.signum if isinstance(interrupt, Interrupted) else EXIT_INTERRUPTED


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """While building, SIGTERM and SIGHUP raise Interrupted: the build stops its workers, keeps what
    finished, releases the lock and exits like on Ctrl-C. (Only the main thread may set handlers.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        raise Interrupted(signum)

    previous = {s: signal.signal(s, handler) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


@dataclass
class BuildOptions:
    patterns: Sequence[str] = ()
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    force: bool = False
    dry_run: bool = False
    timeout: float | None = None  # overrides the manifest's per-cell timeout
    show_code: bool | None = None  # overrides the manifest's show_code
    versions: Mapping[str, str | None] | None = None  # package versions (tests); None: installed
    scheduler: str | None = None  # a Dask scheduler's address: run there instead of local workers


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
    _check_collisions(manifest, layout)
    runs = _override(manifest.select(options.patterns), options)
    return manifest, runs, validate_runs(runs)


def _check_collisions(manifest: Manifest, layout: Layout) -> None:
    """Refuse runs whose output files would be the same (e.g. run `x.failed`'s report and run `x`'s
    failed notebook): one run's build would overwrite another's."""
    owner: dict[Path, str] = {}
    clashes = []
    for run in manifest.runs:
        for path in layout.outputs_of(run.name):
            if path in owner and owner[path] != run.name:
                clashes.append(f"runs {owner[path]!r} and {run.name!r} both write {layout.relative(path)}")
            owner.setdefault(path, run.name)
    if clashes:
        raise ManifestError(f"{layout.manifest}: run names clash:\n" + "\n".join(f"  - {c}" for c in clashes))


def check_tables(manifest: Manifest, layout: Layout, state: BuildState) -> tuple[list[str], str | None]:
    """The problems the manifest's table validator (``[build] validate``) finds in the data.

    Returns ``(problems, key)``; ``key`` digests the data and the libraries, so a build whose inputs
    were validated before skips the validator (``state.validated``). Bad data never reaches a kernel.
    """
    if not manifest.build.validate:
        return [], None
    key = digest([tree_digest(layout.data, state.files),
                  [tree_digest(p, state.files) for p in library_sources(manifest, layout)]])
    if state.validated == key:
        return [], key
    module, _, name = manifest.build.validate.partition(":")
    try:
        validator = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as error:
        raise ManifestError(f"[build] validate = {manifest.build.validate!r}: cannot be imported ({error})") from None
    return [str(problem) for problem in validator(layout.root)], key


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


def _record(state: BuildState, decision: Decision, result: Result, commit: str | None, layout: Layout) -> None:
    old = state.runs.get(decision.run.name)
    if result.status == "failed":
        failure = result.failure.describe() if result.failure else "failed"
        state.runs[decision.run.name] = RunRecord(
            status="failed", fingerprint=old.fingerprint if old else None,
            built_at=old.built_at if old else None, duration=old.duration if old else None, error=failure,
            degraded=old.degraded if old else False, commit=old.commit if old else None)
        return
    duration = result.seconds if result.status == "ran" else (old.duration if old else None)
    if result.status == "ran":
        reads = None if result.reads is None else read_digests(result.reads, layout, state)
    else:  # re-rendered: the notebook read what it read when it ran
        reads = old.reads if old else None
    state.runs[decision.run.name] = RunRecord(
        status="ok", fingerprint=decision.fingerprint.to_dict(), built_at=_now(), duration=duration,
        degraded=result.degraded, commit=commit, reads=reads)


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


def write_site_pages(manifest: Manifest, parameters: Mapping[str, dict], state: BuildState, layout: Layout,
                     err: TextIO | None = None) -> None:
    """Rewrite the site's pages (home in each language, build details, and the data explorer beside
    the downloads) where their text changed, so that a no-op build leaves them untouched.

    The explorer (``reportbuild.explorer``) is drawn when the site has downloads and ``data/``
    holds the tables it reads; it is drawn again when the data, the libraries or a report changed
    (its rows list the reports whose evidence tables show them). A failure to draw it is reported
    on ``err`` and the other pages are still written.
    """
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
    # Rendering the pages compiles their templates (about a second): skip it when nothing they
    # show, nor the code and templates that draw them, changed since the pages were written.
    from reportbuild import explorer, site

    pages = [layout.outputs / site.HOME["zh"], layout.outputs / site.HOME["en"], layout.outputs / site.BUILD_PAGE]
    code = [tree_digest(Path(site.__file__), state.files), tree_digest(Path(site.__file__).with_name("templates"),
                                                                       state.files)]
    with_explorer = (manifest.site.downloads is not None and layout.downloads.is_dir()
                     and explorer.can_draw(layout.data))
    inputs = None
    if with_explorer:
        pages += [layout.outputs / explorer.page_path(lang) for lang in site.LANGS]
        code.append(tree_digest(Path(explorer.__file__), state.files))
        inputs = [tree_digest(layout.data, state.files),
                  [tree_digest(path, state.files) for path in library_sources(manifest, layout)]]
    shown = [[repr(r) for r in runs], repr(dataclasses.replace(info, explorer=False)), code, inputs]

    def key() -> str:
        # Which pages exist is part of it, as they are after the pages are written: a build right
        # after a cold one (whose pages did not exist before it wrote them) draws nothing again.
        return digest([*shown, [p.is_file() for p in pages]])

    if key() == state.site and all(p.is_file() for p in pages):
        return
    if with_explorer:
        try:
            explorer.write_explorer(runs, layout.data, layout.outputs, atomic_write_text)
        except Exception as error:  # the reports and the home pages do without it
            first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            if err is not None:
                err.write(f"chengguan-build: data explorer not written: {first}\n")
        info = read_site_info(layout.data, layout.outputs, manifest.site.primary_source)  # sees the explorer
    write_site(runs, info, layout.outputs, atomic_write_text)
    state.site = key()


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
    # Exported into a folder beside them first, then moved in file by file (renames, the
    # descriptor last): an export that fails half-way (a full disk) leaves the last downloads as
    # they were, not new CSV files under an old datapackage.json whose checksums they fail.
    staging = layout.build_dir / "downloads.new"
    try:
        shutil.rmtree(staging, ignore_errors=True)  # left by a build killed while exporting
        staging.mkdir(parents=True)
        getattr(importlib.import_module(module), function)(staging, layout.data)
        _move_into(staging, layout.downloads)
    except Exception as error:  # the export's own refusal, or any failure: the reports still build
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        err.write(f"chengguan-build: data downloads not written ({target}): {first}\n")
        return
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    state.downloads = key
    state.save(layout.state_file)


def _move_into(staging: Path, target: Path) -> None:
    """Move every file of ``staging`` to the same place under ``target`` (same file system: each
    move is a rename), ``datapackage.json`` (which lists the others' checksums) last."""
    files = sorted((p for p in staging.rglob("*") if p.is_file()), key=lambda p: p.name == "datapackage.json")
    for path in files:
        destination = target / path.relative_to(staging)
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, destination)


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
        with stop_on_signals():
            return _build(layout, options, out, err, on_event)
    except KeyboardInterrupt as interrupt:  # before or after the runs (during them, see _locked_build)
        by = f" by {interrupt}" if isinstance(interrupt, Interrupted) else ""
        err.write(f"chengguan-build: interrupted{by}\n")
        return exit_code(interrupt)


def _build(layout: Layout, options: BuildOptions, out: TextIO, err: TextIO,
           on_event: Callable[[Started | Result | None], None] | None) -> int:
    try:
        manifest, runs, parameters = prepare(layout, options)
        state = BuildState.load(layout.state_file)
        if state.problem:  # said once, here; the locked build reads the same file again
            err.write(f"chengguan-build: warning: {layout.relative(layout.state_file)} {state.problem}: "
                      "every run is planned as new (rebuilt) and the file is written anew\n")
        problems, validated = check_tables(manifest, layout, state)
    except (ManifestError, ParameterError) as error:
        err.write(f"chengguan-build: {error}\n")
        return EXIT_REFUSED
    if problems:
        err.write(f"chengguan-build: the data tables are invalid ({len(problems)} problem(s)); nothing was "
                  "built and the last good reports are kept:\n" + "".join(f"  {p}\n" for p in problems))
        return EXIT_REFUSED

    if options.dry_run:
        decisions = plan(runs, parameters, manifest, layout, state, options.force, options.versions)
        width = max((len(d.run.name) for d in decisions), default=0)
        for d in decisions:
            out.write(f"{d.run.name:<{width}}  {d.describe()}\n")
        return EXIT_OK

    try:
        with BuildLock(layout.lock_file):
            return _locked_build(manifest, runs, parameters, layout, options, out, err, on_event, validated)
    except BuildLocked as error:
        err.write(f"chengguan-build: {error}\n")
        return EXIT_REFUSED
    except OutputsUnwritable as error:
        err.write(f"chengguan-build: {error}\n    Nothing more was written: every report in "
                  f"{layout.relative(layout.outputs)} is whole, from its last good build. "
                  "Free some space or fix the permissions, then build again.\n")
        return EXIT_REFUSED
    except RuntimeError as error:
        from reportbuild.cluster import ClusterUnavailable

        if not isinstance(error, ClusterUnavailable):
            raise
        err.write(f"chengguan-build: {error}\n")
        return EXIT_REFUSED


def _locked_build(manifest: Manifest, runs: list[Run], parameters: dict[str, dict], layout: Layout,
                  options: BuildOptions, out: TextIO, err: TextIO,
                  on_event: Callable[[Started | Result | None], None] | None, validated: str | None) -> int:
    state = BuildState.load(layout.state_file)  # again, now that the lock is held
    state.validated = validated
    # Before the plan: whether downloads exist decides the reports' links to them.
    export_downloads(manifest, layout, state, err)
    decisions = plan(runs, parameters, manifest, layout, state, options.force, options.versions)
    by_name = {d.run.name: d for d in decisions}
    todo = _order(decisions, state)
    results: dict[str, Result] = {}
    interrupted: KeyboardInterrupt | None = None
    if todo:
        from reportbuild.workers import WorkerConfig, run_tasks

        progress = Progress(len(todo), err, live=err.isatty())
        commit = project_commit(layout.root)

        def handle(event: Started | Result | None) -> None:
            if isinstance(event, Result) and event.failure is not None and event.failure.kind == "unwritable":
                raise OutputsUnwritable(event.failure.message)
            if isinstance(event, Result):
                results[event.run] = event
                _record(state, by_name[event.run], event, commit, layout)
                state.save(layout.state_file)  # after every run: an interrupted build resumes
            progress(event)
            if on_event is not None:
                on_event(event)

        config = WorkerConfig(
            kernel=manifest.build.kernel, cwd=str(layout.root / manifest.build.notebooks_dir),
            preload=manifest.build.preload, root=str(layout.root), parent=os.getpid(), trace=str(layout.data),
            fork_servers=os.environ.get(FORK_SERVERS_ENV) or None)
        try:
            if options.scheduler:
                from reportbuild.cluster import run_on_cluster

                run_on_cluster([_task(d, layout) for d in todo], options.scheduler, config, handle)
            else:
                run_tasks([_task(d, layout) for d in todo], options.jobs, config, handle)
        except KeyboardInterrupt as interrupt:
            interrupted = interrupt
        finally:
            progress.finish()
    known = {run.name for run in manifest.runs}
    state.runs = {name: record for name, record in state.runs.items() if name in known}
    write_site_pages(manifest, _all_parameters(manifest, parameters), state, layout, err)
    state.save(layout.state_file)

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
        by = f" by {interrupted}" if isinstance(interrupted, Interrupted) else ""
        out.write(f"\ninterrupted{by}: {len(results)} run(s) finished, {left} left; the next build resumes\n")
        return exit_code(interrupted)
    return EXIT_FAILED if any(r.status == "failed" for r in results.values()) else EXIT_OK
