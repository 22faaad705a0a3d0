"""Run tasks on a pool of worker processes and stream their events back to the coordinator."""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Callable, Sequence

from chengguan.reports.tasks import Failure, Result, Started, Task
from chengguan.reports.worker import WorkerConfig, worker_main

Event = Started | Result | None  # None: a periodic tick, so progress can show the elapsed time

TICK_SECONDS = 0.5
SHUTDOWN_GRACE_SECONDS = 5.0


def _context() -> multiprocessing.context.BaseContext:
    # fork is cheapest (the coordinator has imported little); spawn where fork does not exist.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def run_tasks(tasks: Sequence[Task], jobs: int, config: WorkerConfig, on_event: Callable[[Event], None]) -> list[Result]:
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
    workers = [
        ctx.Process(target=worker_main, args=(i, config, task_queue, events, pending), daemon=True,
                    name=f"chengguan-build-{i}")
        for i in range(max(1, min(jobs, len(tasks))))
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
    return [results[t.run] for t in tasks if t.run in results]


def _fail_lost(tasks: Sequence[Task], results: dict[str, Result], on_event: Callable[[Event], None]) -> None:
    """Every worker is gone (killed from outside?): report the runs that never finished."""
    for task in tasks:
        if task.run not in results:
            failure = Failure(notebook=task.notebook_path, kind="engine", message="the worker process died")
            results[task.run] = Result(task.run, "failed", 0.0, failure)
            on_event(results[task.run])
