"""Parallel build workers: the worker process (executes and renders runs until told to stop) and
the pool that runs tasks on them; the messages they exchange with the coordinator are in messages.py.

Each worker pays the start-up costs once (papermill, nbclient and nbconvert imports, the HTML
template) and keeps one warm kernel ahead (see kernels.py). It never imports the Jupyter server.
Only light modules are imported at the top: the coordinator imports this module on every build.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import queue
import signal
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.queues import Queue
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportbuild.guard import OutputsUnwritable
from reportbuild.messages import Failure, Result, Started, Task

if TYPE_CHECKING:  # imported where used: the coordinator imports this module on every build
    from reportbuild.forkserver import SharedServers

# -- the worker process ----------------------------------------------------------------------


@dataclass(frozen=True)
class WorkerConfig:
    kernel: str
    cwd: str  # where kernels start: the notebooks folder, as in Jupyter (the kernel finds its project from there)
    preload: tuple[str, ...]
    root: str  # for notebook paths in messages
    parent: int = 0  # the coordinator's pid: a worker whose coordinator died stops (it holds no lock)
    trace: str | None = None  # the data folder whose reads each kernel records
    fork_servers: str | None = None  # the folder of shared fork servers (forkserver.SharedServers)


def _block_slow_import() -> None:
    # jsonschema (pulled in by nbformat) imports the optional `rfc3987_syntax`, which builds a
    # lark grammar at import: ~2.5 s on a 2-core machine, every process. It only serves the
    # "iri" string formats, which the notebook schema does not use, so workers go without it.
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def _on_sigterm(signum: int, frame: Any) -> None:
    _exit_soon(128 + signum)
    raise SystemExit(128 + signum)


SHUTDOWN_GRACE_SECONDS = 5.0
"""How long a stopped worker may take to unwind (its ``finally`` blocks): the coordinator waits
this long before it kills a worker, and a worker whose coordinator died ends itself after it."""


def _exit_soon(code: int) -> None:
    """End this process in ``SHUTDOWN_GRACE_SECONDS`` even if the ``SystemExit`` just raised is lost.

    Python drops an exception raised where it cannot propagate (a weakref callback of the import
    system, a ``__del__``); a worker stopped there would go on running its report after its
    coordinator died (seen under load: the signal landed while the worker was importing)."""
    import threading

    def end() -> None:
        from reportbuild import kernels

        kernels.kill_all()
        os._exit(code)

    timer = threading.Timer(SHUTDOWN_GRACE_SECONDS, end)
    timer.daemon = True
    timer.start()


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """Make this process get SIGTERM when ``parent`` dies (Linux: the kernel sends it; elsewhere a
    thread watches the parent pid), and stop at once if it is already gone.

    The coordinator holds the build lock; a worker outliving it would write outputs/ unlocked.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl in this libc: the watcher below does the job
            _watch_parent(parent)
    else:
        _watch_parent(parent)
    if parent and os.getppid() != parent:  # it died before the request above took effect
        raise SystemExit(128 + signal.SIGTERM)


def _watch_parent(parent: int) -> None:
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def worker_main(index: int, config: WorkerConfig, tasks: Queue, events: Queue, pending: Synchronized) -> None:
    """Process entry point. Ctrl-C is left to the coordinator, which terminates workers (SIGTERM)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_sigterm)
    signal.signal(signal.SIGHUP, _on_sigterm)
    die_with_parent(config.parent)
    _block_slow_import()
    import asyncio

    from reportbuild import kernels

    try:
        asyncio.run(_serve(index, config, tasks, events, pending))
    finally:
        kernels.kill_all()  # after an interrupt: no orphaned kernel outlives its worker


async def _serve(index: int, config: WorkerConfig, tasks: Queue, events: Queue, pending: Synchronized) -> None:
    import asyncio

    from reportbuild.kernels import KernelPool

    pool = KernelPool(config.kernel, Path(config.cwd), config.preload, config.trace, shared=config.fork_servers)
    if pending.value > 0:
        pool.prestart()
    # Import and compile the renderer while the first kernel boots.
    await asyncio.to_thread(_warm_renderer)
    loop = asyncio.get_running_loop()
    try:
        while True:
            task: Task | None = await loop.run_in_executor(None, tasks.get)
            if task is None:
                break
            events.put(Started(task.run, index))
            started = time.perf_counter()
            try:
                if task.execute:
                    with pending.get_lock():
                        pending.value -= 1
                        more = pending.value > 0
                    result, output = await execute_task(task, config, pool, prestart=more)
                else:
                    result, output = rerender_task(task)
                commit(output, config.parent)
            except OutputsUnwritable as err:
                failure = Failure(notebook=_relative(task.notebook_path, config.root), kind="unwritable",
                                  message=str(err))
                result = Result(task.run, "failed", 0.0, failure)
            except Exception as err:  # an engine bug must not take the other runs down
                result = Result(task.run, "failed", 0.0, engine_failure(task, config, err))
            events.put(dataclasses.replace(result, seconds=time.perf_counter() - started))
    finally:
        await pool.close()


def engine_failure(task: Task, config: WorkerConfig, err: Exception) -> Failure:
    """A failure of the engine itself, named by the last frame and the exception."""
    frame = traceback.extract_tb(err.__traceback__)[-1]
    message = "".join(traceback.format_exception_only(err)).strip()
    return Failure(notebook=_relative(task.notebook_path, config.root), kind="engine",
                   message=f"{message} (at {Path(frame.filename).name}:{frame.lineno})")


def _warm_renderer() -> None:
    from reportbuild.render import _exporter, _page_template

    _exporter()
    _page_template()


def _relative(path: str, root: str) -> str:
    try:
        return os.path.relpath(path, root)
    except ValueError:
        return path


@dataclass(frozen=True)
class Output:
    """What a finished task puts in outputs/: files written together (all or none), files removed."""

    files: tuple[tuple[str, bytes], ...] = ()
    remove: tuple[str, ...] = ()


def commit(output: Output, parent: int = 0) -> None:
    """Write a task's output atomically: never an executed notebook and HTML from different builds.

    Refuses (SystemExit) when the coordinator that holds the lock is gone (``parent``).
    """
    from reportbuild.guard import atomic_write_files

    if parent and os.getppid() != parent:
        raise SystemExit(128 + signal.SIGTERM)
    atomic_write_files([(Path(path), data) for path, data in output.files])
    for path in output.remove:
        Path(path).unlink(missing_ok=True)


def _text(text: str) -> bytes:
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


async def execute_task(task: Task, config: WorkerConfig, pool: Any, prestart: bool = False) -> tuple[Result, Output]:
    """Execute one run on a fresh kernel of ``pool``; its result and what to write."""
    import asyncio

    import nbformat

    from reportbuild.execute import execute, load_source, parameterize, select_language

    kernel = await pool.take()
    if prestart:
        pool.prestart()
    try:
        # The other language's cells go before execution: the executed notebook is monolingual.
        source, positions = select_language(load_source(task.notebook_path), task.parameters.get("lang"))
        nb = parameterize(source, task.parameters, config.kernel)
        nb.metadata["chengguan"] = task.metadata
        execution = await execute(nb, kernel, notebook=_relative(task.notebook_path, config.root),
                                  timeout=task.timeout, cwd=config.cwd, positions=positions)
    finally:
        # Stop the kernel while the notebook renders; it is never reused.
        stopping = asyncio.create_task(kernel.shutdown())
    try:
        if execution.failure is not None:
            failed = Output(files=((task.failed, _text(nbformat.writes(execution.nb))),))
            return Result(task.run, "failed", 0.0, execution.failure), failed
        result, output = _publish(task, execution.nb, "ran", positions)
        return dataclasses.replace(result, reads=execution.reads), output
    finally:
        await stopping


def rerender_task(task: Task) -> tuple[Result, Output]:
    """Re-render the stored executed notebook with the source's current markdown."""
    import nbformat

    from reportbuild.execute import load_source, merge_markdown, select_language

    source, positions = select_language(load_source(task.notebook_path), task.parameters.get("lang"))
    executed = nbformat.read(task.ipynb, as_version=4)
    nb = merge_markdown(source, executed)
    nb.metadata["chengguan"] = task.metadata
    return _publish(task, nb, "re-rendered", positions)


def _publish(task: Task, nb: Any, status: str, positions: list[int]) -> tuple[Result, Output]:
    """The executed notebook, its key results and its HTML to write together; a stale
    ``.failed.ipynb`` to remove.

    What the page leaves out (stderr, bare values) and what a reader would trip over (see
    pagecheck.py) come back as warnings.
    """
    import nbformat

    from reportbuild.execute import source_cell_number
    from reportbuild.pagecheck import check_page
    from reportbuild.render import PageLinks, prepare, render_report, report_title
    from reportbuild.results import ResultsError, dumps, find_results, results_document

    lang = task.parameters.get("lang")
    lang = lang if isinstance(lang, str) else None
    prepared = prepare(nb, lang, lambda index: source_cell_number(nb, index, positions))
    warnings = [f"{task.run}: {w}" for w in prepared.warnings]
    try:
        results = find_results(nb)
        if results is None:
            warnings.append(f"{task.run}: no key results (a cell tagged key-results that displays them)")
    except ResultsError as err:
        results = None
        warnings.append(f"{task.run}: {err}")
    document = results_document(run=task.run, notebook=task.notebook, parameters=task.parameters,
                                results=results or [], title=report_title(prepared.nb))
    html = render_report(prepared.nb, lang=lang, fallback_title=task.title, links=PageLinks(**task.links),
                         show_code=task.show_code, degraded=prepared.degraded)
    files = [(task.ipynb, _text(nbformat.writes(nb))), (task.html, _text(html))]
    if task.results:
        files.append((task.results, _text(dumps(document))))
    output = Output(files=tuple(files), remove=(task.failed,))
    if prepared.degraded:
        warnings.append(f"{task.run}: built without a Chinese (CJK) font, so its charts are labelled in "
                        "English; it is marked degraded. Install one (Debian: apt-get install "
                        "fonts-noto-cjk) and build again.")
    problems: dict[str, list[str]] = {}
    for problem in check_page(html, lang):
        problems.setdefault(problem.kind, []).append(problem.detail)
    for kind, details in problems.items():
        warnings.append(f"{task.run}.html: {len(details)} × {kind}, e.g. {details[0]}")
    return Result(task.run, status, 0.0, None, tuple(warnings), prepared.degraded), output


# -- the pool -------------------------------------------------------------------------------


Event = Started | Result | None  # None: a periodic tick, so progress can show the elapsed time

TICK_SECONDS = 0.5


def _context() -> Any:  # a ForkContext or SpawnContext (typeshed's BaseContext lacks Process)
    # fork is cheapest (the coordinator has imported little); spawn where fork does not exist.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def run_tasks(tasks: Sequence[Task], jobs: int, config: WorkerConfig,
              on_event: Callable[[Event], None]) -> list[Result]:
    """Execute ``tasks`` on ``jobs`` workers; ``on_event`` sees every start, result and tick.

    Tasks are taken in the given order (put the longest first). If ``on_event`` raises (for
    example KeyboardInterrupt), the workers are terminated and the exception propagates; the
    results already delivered stand.
    """
    if not tasks:
        return []
    ctx = _context()
    task_queue = ctx.Queue()
    events = ctx.Queue()
    pending = ctx.Value("i", sum(1 for t in tasks if t.execute))
    for task in tasks:
        task_queue.put(task)
    count = max(1, min(jobs, len(tasks)))
    servers = _shared_fork_server(config) if count > 1 and pending.value > 0 else None
    if servers is not None:
        config = dataclasses.replace(config, fork_servers=servers.folder)
    workers = [
        ctx.Process(target=worker_main, args=(i, config, task_queue, events, pending), daemon=True,
                    name=f"chengguan-build-{i}")
        for i in range(count)
    ]
    for _ in workers:
        task_queue.put(None)  # one stop sign per worker
    results: dict[str, Result] = {}
    started: dict[str, Started] = {}
    try:
        for w in workers:
            w.start()
        while len(results) < len(tasks):
            try:
                event = events.get(timeout=TICK_SECONDS)
            except queue.Empty:
                if not any(w.is_alive() for w in workers):
                    _fail_lost(tasks, results, on_event)
                    break
                on_event(None)
                continue
            if isinstance(event, Started):
                started[event.run] = event
            else:
                results[event.run] = event
            on_event(event)
    except BaseException:
        for w in workers:
            if w.is_alive():
                w.terminate()
        raise
    finally:
        for w in workers:
            w.join(SHUTDOWN_GRACE_SECONDS)
            if w.is_alive():
                w.kill()
                w.join()
        task_queue.close()
        events.close()
        if servers is not None:
            servers.close()
    return [results[t.run] for t in tasks if t.run in results]


def _shared_fork_server(config: WorkerConfig) -> SharedServers | None:
    """One fork server for all the workers of this build (they would each start one and import
    the same libraries: about 1.5 s of CPU a worker), unless the build was handed shared servers,
    or kernels are not forked here."""
    if config.fork_servers is not None:
        return None
    from reportbuild import forkserver

    if not forkserver.available():
        return None
    try:
        interpreter = forkserver.kernel_interpreter(config.kernel)
    except Exception:  # noqa: BLE001 - no such kernel: each worker's first kernel says so
        return None
    if interpreter is None:
        return None
    servers = forkserver.SharedServers()
    try:
        servers.start(interpreter, config.preload, cwd=config.cwd)
    except OSError:
        servers.close()
        return None
    return servers


def _fail_lost(tasks: Sequence[Task], results: dict[str, Result], on_event: Callable[[Event], None]) -> None:
    """Every worker is gone (killed from outside?): report the runs that never finished."""
    for task in tasks:
        if task.run not in results:
            failure = Failure(notebook=task.notebook_path, kind="engine", message="the worker process died")
            results[task.run] = Result(task.run, "failed", 0.0, failure)
            on_event(results[task.run])
