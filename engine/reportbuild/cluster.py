"""Scale-out: hand each run to a Dask distributed cluster (``chengguan-build --scheduler ADDRESS``).

The plan, the lock and every write stay on the client (this process): a cluster worker executes
one notebook in a fresh kernel of its own, renders it, and sends back the result and the files'
contents; the client writes them atomically, exactly as a local build does. So incrementality
(the client decides what runs), isolation (one kernel per run, thrown away) and atomic writes
hold whatever the cluster. Re-rendering needs no kernel and runs on the client.

Cluster workers need the same environment (the locked packages, with ``reportbuild`` and the
project's libraries importable) and the project checkout at the same path as the client (a
shared file system, or the same image), since kernels start in the notebooks folder and read
``data/`` from there.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from reportbuild.messages import Failure, Result, Started, Task
from reportbuild.workers import (
    Event,
    Output,
    WorkerConfig,
    commit,
    engine_failure,
    rerender_task,
)

TICK_SECONDS = 0.5
POLL_SECONDS = 0.05
# How long the client keeps trying to reach the scheduler (a cluster may still be starting).
CONNECT_TIMEOUT = "60s"


class ClusterUnavailable(RuntimeError):
    """The scheduler given with --scheduler cannot be reached."""


def remote_run(task: Task, config: WorkerConfig) -> tuple[Result, Output]:
    """Executed on a cluster worker: one run in a fresh kernel; nothing written there."""
    from reportbuild.workers import _block_slow_import

    _block_slow_import()
    started = time.perf_counter()
    try:
        result, output = asyncio.run(_execute(task, config))
    except Exception as err:  # an engine error is one failed run, as in a local worker
        result, output = Result(task.run, "failed", 0.0, engine_failure(task, config, err)), Output()
    return Result(result.run, result.status, time.perf_counter() - started, result.failure,
                  result.warnings, result.degraded, result.reads), output


async def _execute(task: Task, config: WorkerConfig) -> tuple[Result, Output]:
    from pathlib import Path

    from reportbuild.kernels import KernelPool
    from reportbuild.workers import execute_task

    # One kernel per task here: a fork server would only add its own start-up (and it must not
    # be tied, as it is on Linux, to the executor thread that would start it).
    pool = KernelPool(config.kernel, Path(config.cwd), config.preload, config.trace, fork=False)
    try:
        return await execute_task(task, config, pool)
    finally:
        await pool.close()


def run_on_cluster(tasks: Sequence[Task], address: str, config: WorkerConfig,
                   on_event: Callable[[Event], None], client_factory: Callable[[str], Any] | None = None) -> None:
    """Run ``tasks``: executions on the Dask cluster at ``address``, re-renders here; every output is
    written here. ``on_event`` sees each start, result and a periodic tick; if it raises (an
    interrupt, unwritable outputs), the runs still queued on the cluster are cancelled."""
    from distributed import Client

    try:
        client = (client_factory or (lambda a: Client(a, set_as_default=False, timeout=CONNECT_TIMEOUT)))(address)
    except (OSError, TimeoutError, ValueError) as err:
        raise ClusterUnavailable(f"cannot reach the Dask scheduler at {address}: {err}") from err
    futures: dict[Any, Task] = {}
    try:
        for task in tasks:
            if task.execute:
                key = f"reportbuild-{task.run}-{uuid.uuid4().hex[:8]}"
                futures[client.submit(remote_run, task, config, key=key, pure=False)] = task
                on_event(Started(task.run, -1))
        for task in tasks:
            if not task.execute:  # no kernel: render here while the cluster works
                on_event(Started(task.run, 0))
                started = time.perf_counter()
                try:
                    result, output = rerender_task(task)
                    commit(output)
                except Exception as err:
                    result = Result(task.run, "failed", 0.0, engine_failure(task, config, err))
                on_event(Result(result.run, result.status, time.perf_counter() - started, result.failure,
                                result.warnings, result.degraded, result.reads))
        pending = list(futures)
        last_tick = time.monotonic()
        while pending:
            done = [f for f in pending if f.done()]
            if not done:
                time.sleep(POLL_SECONDS)
                if time.monotonic() - last_tick >= TICK_SECONDS:
                    on_event(None)
                    last_tick = time.monotonic()
                continue
            for future in done:
                pending.remove(future)
                on_event(_collect(future, futures[future], config))
    finally:
        for future in futures:
            if not future.done():
                future.cancel()
        client.close()


def _collect(future: Any, task: Task, config: WorkerConfig) -> Result:
    """The run's result, its files written here (the client holds the build lock)."""
    try:
        result, output = future.result()
    except Exception as err:  # the cluster lost the worker, or could not run the task at all
        message = f"the cluster could not run it: {type(err).__name__}: {err}"
        return Result(task.run, "failed", 0.0, Failure(notebook=task.notebook_path, kind="engine", message=message))
    commit(output)
    return result
