"""A build worker: a process that executes and renders runs until it is told to stop.

Each worker pays the start-up costs once (papermill, nbclient and nbconvert imports, the HTML
template) and keeps one warm kernel ahead (see kernels.py). It never imports the Jupyter server.
"""

from __future__ import annotations

import os
import signal
import sys
import time
import traceback
from dataclasses import dataclass
from multiprocessing.queues import Queue
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path
from typing import Any

from chengguan.reports.tasks import Failure, Result, Started, Task


@dataclass(frozen=True)
class WorkerConfig:
    kernel: str
    cwd: str  # where kernels start: the notebooks folder, as in Jupyter
    preload: tuple[str, ...]
    env: dict[str, str]
    root: str  # for notebook paths in messages


def _block_slow_import() -> None:
    # jsonschema (pulled in by nbformat) imports the optional `rfc3987_syntax`, which builds a
    # lark grammar at import: ~2.5 s on a 2-core machine, every process. It only serves the
    # "iri" string formats, which the notebook schema does not use, so workers go without it.
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def _on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def worker_main(index: int, config: WorkerConfig, tasks: Queue, events: Queue, pending: Synchronized) -> None:
    """Process entry point. Ctrl-C is left to the coordinator, which terminates workers (SIGTERM)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_sigterm)
    _block_slow_import()
    os.environ.update(config.env)
    import asyncio

    from chengguan.reports import kernels

    try:
        asyncio.run(_serve(index, config, tasks, events, pending))
    finally:
        kernels.kill_all()  # after an interrupt: no orphaned kernel outlives its worker


async def _serve(index: int, config: WorkerConfig, tasks: Queue, events: Queue, pending: Synchronized) -> None:
    import asyncio

    from chengguan.reports.kernels import KernelPool

    pool = KernelPool(config.kernel, Path(config.cwd), config.preload)
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
                    result = await _execute(task, config, pool, prestart=more)
                else:
                    result = _rerender(task)
            except Exception as err:  # an engine bug must not take the other runs down
                # Name where in the engine it broke: the last frame and the exception.
                frame = traceback.extract_tb(err.__traceback__)[-1]
                message = "".join(traceback.format_exception_only(err)).strip()
                failure = Failure(notebook=_relative(task.notebook_path, config.root), kind="engine",
                                  message=f"{message} (at {Path(frame.filename).name}:{frame.lineno})")
                result = Result(task.run, "failed", 0.0, failure)
            events.put(Result(result.run, result.status, time.perf_counter() - started, result.failure,
                              result.warnings))
    finally:
        await pool.close()


def _warm_renderer() -> None:
    from chengguan.reports.html import _exporter

    _exporter()


def _relative(path: str, root: str) -> str:
    try:
        return os.path.relpath(path, root)
    except ValueError:
        return path


async def _execute(task: Task, config: WorkerConfig, pool: Any, prestart: bool) -> Result:
    import asyncio

    import nbformat

    from chengguan.reports.execute import execute, load_source, parameterize

    kernel = await pool.take()
    if prestart:
        pool.prestart()
    try:
        source = load_source(task.notebook_path)
        nb = parameterize(source, task.parameters, config.kernel)
        nb.metadata["chengguan"] = task.metadata
        execution = await execute(nb, kernel, notebook=_relative(task.notebook_path, config.root),
                                  timeout=task.timeout, cwd=config.cwd)
    finally:
        # Stop the kernel while the notebook renders; it is never reused.
        stopping = asyncio.create_task(kernel.shutdown())
    try:
        if execution.failure is not None:
            _write(Path(task.failed), nbformat.writes(execution.nb))
            return Result(task.run, "failed", 0.0, execution.failure)
        warnings = _publish(task, execution.nb)
        return Result(task.run, "ran", 0.0, None, warnings)
    finally:
        await stopping


def _rerender(task: Task) -> Result:
    import nbformat

    from chengguan.reports.execute import load_source, merge_markdown

    source = load_source(task.notebook_path)
    executed = nbformat.read(task.ipynb, as_version=4)
    nb = merge_markdown(source, executed)
    nb.metadata["chengguan"] = task.metadata
    return Result(task.run, "re-rendered", 0.0, None, _publish(task, nb))


def _publish(task: Task, nb: Any) -> tuple[str, ...]:
    """Write the executed notebook and its HTML; drop a stale ``.failed.ipynb``."""
    import nbformat

    from chengguan.reports.html import external_references, render_notebook

    html = render_notebook(nb, task.title, task.description, task.parameters, task.show_code)
    _write(Path(task.ipynb), nbformat.writes(nb))
    _write(Path(task.html), html)
    Path(task.failed).unlink(missing_ok=True)
    external = external_references(html)
    if external:
        return (f"{task.run}.html refers to {len(external)} external resource(s), e.g. {external[0]!r}",)
    return ()


def _write(path: Path, text: str) -> None:
    from chengguan.reports.atomic import atomic_write_text

    atomic_write_text(path, text if text.endswith("\n") else text + "\n")
