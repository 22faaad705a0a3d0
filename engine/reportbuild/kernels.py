"""A pool of warm kernels: a fresh kernel per notebook, started and pre-warmed ahead of time.

Every notebook gets a kernel no other notebook has used, so no state leaks between reports.
What is reused is *time*: while one notebook executes, the next kernel boots and imports the
heavy libraries, in its own process.

Why pre-importing is sound: importing the ``[build].preload`` modules (pandas, matplotlib.pyplot,
seaborn, ...) creates no name in the user namespace (the imports run in a throwaway dict), does not advance
the execution counter or the history (``silent=True``), and leaves the same module state a
notebook's own first import would: ipykernel sets ``MPLBACKEND`` to the inline backend at start,
so importing pyplot configures the inline backend and its rcParams exactly as it would inside
the notebook. tests/test_engine_equivalence.py checks outputs and rcParams against fresh kernels.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import signal
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.paths import jupyter_runtime_dir
from jupyter_core.utils import ensure_async
from nbclient import NotebookClient
from nbformat import v4

from reportbuild.forkserver import ForkingProvisioner, ForkServer, available

log = logging.getLogger(__name__)

# Kernel processes started by this process and not yet shut down (see kill_all).
_live_pids: set[int] = set()


def kill_all() -> None:
    """Kill every kernel still running; for a worker that is being terminated."""
    while _live_pids:
        try:
            os.kill(_live_pids.pop(), signal.SIGKILL)
        except ProcessLookupError:
            pass


@dataclass
class Kernel:
    km: AsyncKernelManager
    kc: Any  # AsyncKernelClient
    pid: int | None

    async def shutdown(self) -> None:
        """Kill the kernel: a report kernel has nothing to save, and a polite shutdown first
        interrupts a busy kernel (noise on stderr) and may wait a second."""
        try:
            self.kc.stop_channels()
        finally:
            await _kill(self.km)
            _live_pids.discard(self.pid)


async def _kill(km: AsyncKernelManager) -> None:
    try:
        if km.has_kernel and km.provisioner is not None:
            await km.provisioner.kill()
            await km.provisioner.wait()
    finally:
        await km.cleanup_resources()


def preload_code(modules: Sequence[str]) -> str:
    # exec in a fresh dict so no name lands in the notebook's namespace.
    body = "\n".join(f"import {m}" for m in modules)
    return f"exec({body!r}, {{}})"


class PreloadError(RuntimeError):
    pass


class KernelDied(RuntimeError):
    """A kernel exited while the engine waited for its reply."""


# Which data files a notebook reads, recorded in its kernel (narrower rebuilds: a change to one
# table re-runs only the reports that read it). An audit hook (PEP 578) sees every file Python
# opens, whichever library opens it; it keeps the paths below the data folder opened for reading,
# and the folders listed there (a notebook that globs depends on what the folder holds). The
# kernel is thrown away after one notebook, so the hook, which cannot be removed, goes with it.
TRACE_SOURCE = r"""
def install(folder):
    import os, sys
    prefix = os.path.join(folder, "")
    reads = set()

    def hook(event, args):
        if event == "open":
            target, mode = args[0], args[1]
            if isinstance(mode, str) and any(c in mode for c in "wax+"):
                return
            suffix = ""
        elif event in ("os.listdir", "os.scandir"):
            target, suffix = (args[0] if args else "."), "/"
        else:
            return
        if target is None or isinstance(target, int):
            return
        try:
            path = os.path.abspath(os.fsdecode(target))
        except (TypeError, ValueError):
            return
        if path == folder or path.startswith(prefix):
            reads.add(path[len(prefix):] + suffix if path != folder else suffix)

    sys.addaudithook(hook)
    sys.reportbuild_reads = reads


install(FOLDER)
"""
# Evaluated in the kernel after the last cell (a user expression: no output, no history).
READS_EXPRESSION = "sorted(getattr(__import__('sys'), 'reportbuild_reads', ()))"


def trace_code(folder: str) -> str:
    """Code that installs the read tracer for ``folder`` in a kernel, leaving no name behind."""
    return f"exec({TRACE_SOURCE!r}, {{'FOLDER': {folder!r}}})"


async def start_kernel(name: str, cwd: Path, preload: Sequence[str], startup_timeout: float = 60,
                       trace: str | None = None, server: ForkServer | None = None) -> Kernel:
    """Start a kernel the way nbclient does for a fresh run (forked from ``server`` when given),
    then trace reads below the folder ``trace`` (when given) and pre-import ``preload``."""
    # Reuse nbclient's own start-up (kernel arguments such as the in-memory history file), so a
    # warm kernel is launched like the one `papermill` would launch (only the transport differs).
    starter = NotebookClient(v4.new_notebook(), kernel_name=name, startup_timeout=int(startup_timeout))
    # IPC sockets: local only, and no "running over TCP without encryption" warning per kernel.
    # The socket path must be absolute: the kernel runs in another working directory.
    runtime = jupyter_runtime_dir()
    os.makedirs(runtime, mode=0o700, exist_ok=True)
    socket = os.path.join(runtime, f"chengguan-{uuid.uuid4().hex[:12]}-ipc")
    starter.km = AsyncKernelManager(kernel_name=name, transport="ipc", ip=socket)
    if server is not None:
        # jupyter_client keeps a provisioner that is already set (as it does on restarts).
        starter.km.kernel_id = str(uuid.uuid4())
        provisioner = ForkingProvisioner(kernel_id=starter.km.kernel_id, kernel_spec=starter.km.kernel_spec,
                                         parent=starter.km)
        provisioner.server = server
        starter.km.provisioner = provisioner
    await starter.async_start_new_kernel(cwd=str(cwd))
    pid = getattr(starter.km.provisioner, "pid", None)
    if pid is not None:
        _live_pids.add(pid)
    try:
        kc = await starter.async_start_new_kernel_client()
        kernel = Kernel(starter.km, kc, pid)
        if trace:
            await _silent(kernel, trace_code(trace), startup_timeout, "read tracer")
        if preload:
            await _silent(kernel, preload_code(preload), startup_timeout, "pre-import")
    except BaseException:
        # nbclient already cleans up (and forgets km) when the client fails to connect.
        if starter.kc is not None:
            starter.kc.stop_channels()
        if starter.km is not None:
            await _kill(starter.km)
        _live_pids.discard(pid)
        raise
    return kernel


async def _silent(kernel: Kernel, code: str, timeout: float, what: str,
                  user_expressions: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``code`` without output or history; its reply's content."""
    msg_id = await ensure_async(kernel.kc.execute(code, silent=True, store_history=False, allow_stdin=False,
                                                  user_expressions=user_expressions or {}))
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        # In steps of a second, so that a kernel that died (killed, or with its fork server) is
        # noticed at once instead of after the whole timeout.
        left = deadline - asyncio.get_running_loop().time()
        try:
            reply = await kernel.kc.get_shell_msg(timeout=max(0.01, min(1.0, left)))
        except queue.Empty:
            if left <= 1.0:
                raise
            if not await kernel.km.is_alive():
                raise KernelDied(f"the kernel died ({what})") from None
            continue
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    content: dict[str, Any] = reply["content"]
    if content["status"] != "ok":
        raise PreloadError(f"{what} failed: {content.get('ename')}: {content.get('evalue')}")
    return content


async def traced_reads(kernel: Kernel, timeout: float = 60) -> tuple[str, ...] | None:
    """The data files (relative paths; folders end in "/") the kernel read since it started, or
    None when it does not know (no tracer)."""
    import ast

    try:
        content = await _silent(kernel, "", timeout, "reading the traced files", {"reads": READS_EXPRESSION})
        value = content["user_expressions"]["reads"]
        if value.get("status") != "ok":
            return None
        return tuple(ast.literal_eval(value["data"]["text/plain"]))
    except (PreloadError, KeyError, ValueError, SyntaxError):
        return None


class KernelPool:
    """Hands out fresh kernels; ``prestart`` boots the next one in the background."""

    def __init__(self, name: str, cwd: Path, preload: Sequence[str], trace: str | None = None,
                 fork: bool = True, shared: str | None = None) -> None:
        self.name = name
        self.cwd = cwd
        self.preload = tuple(preload)
        self.trace = trace
        self._next: asyncio.Task[Kernel] | None = None
        # Kernels forked from one warm process hold the pre-imports from birth (see forkserver.py);
        # ``shared``: the folder of servers shared by several builds, when there is one.
        self.server = ForkServer(self.preload, shared) if fork and available() else None

    def prestart(self) -> None:
        if self._next is None:
            self._next = asyncio.create_task(self._start())

    async def _start(self) -> Kernel:
        try:
            return await start_kernel(self.name, self.cwd, self.preload, trace=self.trace, server=self.server)
        except PreloadError as err:
            # A module that cannot be imported would fail the notebook anyway; never let the
            # optimization change the outcome: fall back to a plain kernel.
            log.warning("%s; starting kernels without pre-imports", err)
            self.preload = ()
            return await start_kernel(self.name, self.cwd, (), trace=self.trace)

    async def take(self) -> Kernel:
        """A fresh, live kernel. One that died before its notebook began (killed, or with its
        fork server: a forked kernel dies with the server) is replaced once, from a new server
        when the old one is gone: a report does not fail for a kernel it never used."""
        for attempt in (1, 2):
            self.prestart()
            assert self._next is not None
            task, self._next = self._next, None
            try:
                kernel = await task
            except (OSError, RuntimeError, queue.Empty) as error:  # died or hung while starting
                if attempt == 2 or isinstance(error, PreloadError):
                    raise
                log.warning("a kernel died while starting (%s); starting another", error)
                continue
            if await kernel.km.is_alive():
                return kernel
            log.warning("a kernel died before its notebook began; starting another")
            await kernel.shutdown()
            if attempt == 2:
                raise RuntimeError("two kernels in a row died before their notebook began")
        raise AssertionError("unreachable")  # pragma: no cover

    async def close(self) -> None:
        try:
            if self._next is None:
                return
            task, self._next = self._next, None
            task.cancel()
            try:
                kernel = await task
            except (asyncio.CancelledError, Exception):
                return
            await kernel.shutdown()
        finally:
            if self.server is not None:
                self.server.close()
