"""Kernels forked from a warm process: each report's kernel starts with its libraries imported.

Launching a kernel and importing pandas, matplotlib and statsmodels costs about 2.5 s of CPU, as
much as executing most reports. A fork server (one per worker, started with the worker's first
kernel) pays that once; each kernel is then a fork of it, so a kernel costs a fork and ipykernel's
own set-up. Every notebook still gets a kernel of its own, in a process no other notebook used.

Why a forked kernel is the kernel ``python -m ipykernel_launcher`` would be: the server only
imports modules (into no namespace) and creates no thread, socket or event loop before it forks;
it sets before those imports the one variable ipykernel would set before the notebook imports
them (``MPLBACKEND``, the inline backend); the child takes the environment, working directory,
arguments and session jupyter_client asks for, and runs ipykernel as its launcher does. One
difference, on purpose: autoreload does not watch installed packages or the standard library (see
the server's code).
tests/test_engine_equivalence.py compares a report's outputs, figures included, byte for byte with
a fresh papermill kernel's.

Only a kernel command of the form ``<this python> [flags] -m ipykernel_launcher ...`` is forked,
on Linux; any other kernel is launched as jupyter_client launches it.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

LAUNCHER = "ipykernel_launcher"
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"

# The server: import, then fork a kernel per request line ({"argv", "cwd", "env"}) and answer
# its pid on the reply pipe. Run as `python [flags] -c SERVER <reply fd> <modules as JSON>`.
SERVER = r"""
import ctypes, json, os, signal, sys

PR_SET_PDEATHSIG = 1
libc = ctypes.CDLL(None, use_errno=True)
libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)  # the server dies with its worker
reply_fd, modules = int(sys.argv[1]), json.loads(sys.argv[2])
signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the coordinator's to handle
os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
import importlib
import ipykernel.kernelapp
for name in modules:
    try:
        importlib.import_module(name)
    except Exception:
        pass  # the kernel's own pre-import reports it, as without a fork server

# The notebooks' first cell turns on `%autoreload 2`, which stats every imported module before
# each cell: about 10 ms a cell with the scientific stack loaded, a fifth of a report's execution.
# Installed packages and the standard library do not change under a batch run, so the kernels'
# reloaders skip them and watch the rest (the project's own library) as before.
import sysconfig
from IPython.extensions import autoreload

INSTALLED = tuple({os.path.join(sysconfig.get_path(key), "")
                   for key in ("stdlib", "platstdlib", "purelib", "platlib")})
watched_file_and_mtime = autoreload.ModuleReloader.filename_and_mtime


def filename_and_mtime(reloader, module):
    name, file = getattr(module, "__name__", None), getattr(module, "__file__", None)
    if name and isinstance(file, str) and file.startswith(INSTALLED):
        reloader.skip_modules[name] = True
        return None, None
    return watched_file_and_mtime(reloader, module)


autoreload.ModuleReloader.filename_and_mtime = filename_and_mtime


def reap(signum, frame):
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


signal.signal(signal.SIGCHLD, reap)
os.write(reply_fd, b"ready\n")
for line in sys.stdin.buffer:
    request = json.loads(line)
    pid = os.fork()
    if pid:
        os.write(reply_fd, b"%d\n" % pid)
        continue
    code = 1
    try:
        os.setsid()  # a session of its own, as jupyter_client starts kernels
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.close(reply_fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
        # The one setting ipykernel reads from the environment when it is imported, not launched.
        trait = ipykernel.kernelapp.IPKernelApp.class_traits()["parent_handle"]
        trait.default_value = int(os.environ.get("JPY_PARENT_PID") or 0)
        import ipykernel_launcher
        sys.argv = [ipykernel_launcher.__file__, *request["argv"]]
        sys.path[0] = os.getcwd()  # `python -m` puts the working directory first
        ipykernel.kernelapp.launch_new_instance()
        code = 0
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
""".replace("INLINE_BACKEND", repr(INLINE_BACKEND))


def launcher_arguments(cmd: Sequence[str]) -> tuple[list[str], list[str]] | None:
    """``(interpreter and flags, kernel arguments)`` of an ipykernel launch command, else None."""
    if "-m" not in cmd:
        return None
    at = list(cmd).index("-m")
    if at + 1 >= len(cmd) or cmd[at + 1] != LAUNCHER:
        return None
    return list(cmd[:at]), list(cmd[at + 2:])


class ForkServer:
    """One warm process that forks kernels for one worker."""

    def __init__(self, preload: Sequence[str]) -> None:
        self.preload = tuple(preload)
        self.interpreter: list[str] | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self._replies: Any = None
        self._lock = asyncio.Lock()

    def _start(self, interpreter: list[str], cwd: str, env: dict[str, str]) -> None:
        read, write = os.pipe()
        self.process = subprocess.Popen(
            [*interpreter, "-c", SERVER, str(write), json.dumps(self.preload)],
            stdin=subprocess.PIPE, pass_fds=(write,), cwd=cwd, env=env)
        os.close(write)
        self._replies = os.fdopen(read, "rb")
        self.interpreter = interpreter

    def _reply(self) -> str:
        line = self._replies.readline()
        if not line:
            raise OSError("the kernel fork server exited")
        return line.decode().strip()

    async def fork(self, cmd: Sequence[str], cwd: str, env: dict[str, str]) -> int | None:
        """The pid of a kernel forked for ``cmd``; None when ``cmd`` is not one this server forks."""
        parts = launcher_arguments(cmd)
        if parts is None:
            return None
        interpreter, arguments = parts
        async with self._lock:
            if self.process is not None and self.process.poll() is not None:
                # The server died (killed, out of memory) and took its kernels with it: start a
                # new one rather than write to a pipe nobody reads.
                self._replies.close()
                self.process = None
            if self.process is None:
                self._start(interpreter, cwd, env)
                if await asyncio.to_thread(self._reply) != "ready":
                    raise OSError("the kernel fork server did not start")
            if interpreter != self.interpreter:
                return None
            assert self.process is not None and self.process.stdin is not None
            request = {"argv": arguments, "cwd": cwd, "env": env}
            self.process.stdin.write(json.dumps(request).encode() + b"\n")
            self.process.stdin.flush()
            return int(await asyncio.to_thread(self._reply))

    def close(self) -> None:
        """Stop the server (its kernels are killed by their own managers)."""
        if self.process is None:
            return
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
        finally:
            self._replies.close()
            self.process = None


class ForkedProcess:
    """What jupyter_client's local provisioner needs of a ``Popen``, for a forked kernel (the
    server, its parent, reaps it)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and not _alive(self.pid):
            self.returncode = -signal.SIGKILL
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.02)
        assert self.returncode is not None
        return self.returncode

    def send_signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"  # a zombie has exited
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


class ForkingProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, launching through a fork server when it can."""

    server: ForkServer | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        env = dict(kwargs.get("env") or os.environ)
        env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launcher sets it
        cwd = str(kwargs.get("cwd") or os.getcwd())
        pid = await self.server.fork(cmd, cwd, env) if self.server is not None else None
        if pid is None:
            return await super().launch_kernel(cmd, **kwargs)
        self.process = ForkedProcess(pid)  # type: ignore[assignment]  # what the provisioner uses of a Popen
        self.pid = self.pgid = pid
        self.cwd = cwd
        return self.connection_info


def available() -> bool:
    """Whether kernels can be forked here (Linux: fork, prctl and /proc)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")
