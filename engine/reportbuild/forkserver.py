"""Kernels forked from a warm process: each report's kernel starts with its libraries imported.

Launching a kernel and importing pandas, matplotlib and statsmodels costs about 2.5 s of CPU, as
much as executing most reports. A fork server pays that once; each kernel is then a fork of it,
so a kernel costs a fork and ipykernel's own set-up. Every notebook still gets a kernel of its own,
in a process no other notebook used. A build with two workers or more starts one server that all
of them share (:class:`SharedServers`); a lone worker starts its own with its first kernel. A
session that runs many builds (the test suite) can start shared servers once and hand their
folder to its builds (``CHENGGUAN_FORK_SERVERS``): the workers connect to the one made for their
kernels' interpreter and pre-imports instead.

Why a forked kernel is the kernel ``python -m ipykernel_launcher`` would be: the server only
imports modules (into no namespace) and creates no thread or event loop before it forks, and the
child closes the server's sockets;
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
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

LAUNCHER = "ipykernel_launcher"
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"

# The server: fork a kernel per request line ({"argv", "cwd", "env"}) read from a connection, and
# answer its pid on that connection. Run as `python [flags] -c SERVER <listener fd> <connection fd>
# <modules as JSON>` (-1 for the one it does not have); it imports the modules before its first fork
# and stops when its stdin closes.
SERVER = r"""
import ctypes, json, os, selectors, signal, socket, sys

PR_SET_PDEATHSIG = 1
libc = ctypes.CDLL(None, use_errno=True)
libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)  # the server dies with its owner
listener_fd, connection_fd, modules = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the coordinator's to handle
os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)


def warm():
    global ipykernel
    import importlib
    import ipykernel.kernelapp
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:
            pass  # the kernel's own pre-import reports it, as without a fork server

    # The notebooks' first cell turns on `%autoreload 2`, which stats every imported module before
    # each cell: about 10 ms a cell with the scientific stack loaded, a fifth of a report's
    # execution. Installed packages and the standard library do not change under a batch run, so
    # the kernels' reloaders skip them and watch the rest (the project's own library) as before.
    import sysconfig
    from IPython.extensions import autoreload

    installed = tuple({os.path.join(sysconfig.get_path(key), "")
                       for key in ("stdlib", "platstdlib", "purelib", "platlib")})
    watched_file_and_mtime = autoreload.ModuleReloader.filename_and_mtime

    def filename_and_mtime(reloader, module):
        name, file = getattr(module, "__name__", None), getattr(module, "__file__", None)
        if name and isinstance(file, str) and file.startswith(installed):
            reloader.skip_modules[name] = True
            return None, None
        return watched_file_and_mtime(reloader, module)

    autoreload.ModuleReloader.filename_and_mtime = filename_and_mtime


kernels = {}  # pid -> the connection that asked for it


def reap(signum, frame):
    try:
        while True:
            pid = os.waitpid(-1, os.WNOHANG)[0]
            if not pid:
                break
            kernels.pop(pid, None)
    except ChildProcessError:
        pass


signal.signal(signal.SIGCHLD, reap)
selector = selectors.DefaultSelector()
selector.register(0, selectors.EVENT_READ)  # stdin: its owner closes it to stop the server
if listener_fd >= 0:
    selector.register(socket.socket(fileno=listener_fd), selectors.EVENT_READ)
if connection_fd >= 0:
    selector.register(socket.socket(fileno=connection_fd), selectors.EVENT_READ, bytearray())


def drop(connection):
    # Its worker is gone (done, or killed): so are the kernels it still had.
    selector.unregister(connection)
    connection.close()
    for pid, owner in list(kernels.items()):
        if owner is connection:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def kernel(request):
    code = 1
    try:
        os.setsid()  # a session of its own, as jupyter_client starts kernels
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
        signal.signal(signal.SIGINT, signal.default_int_handler)
        # Nothing of the server's stays open in the kernel: a worker reading a connection must
        # see it end when the server ends.
        for key in list(selector.get_map().values()):
            if isinstance(key.fileobj, socket.socket):
                key.fileobj.close()
        selector.close()
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
        import ipykernel_launcher
        sys.argv = [ipykernel_launcher.__file__, *request["argv"]]
        sys.path[0] = os.getcwd()  # `python -m` puts the working directory first
        # The one setting ipykernel takes from the environment when it is imported (the server's,
        # without it), not launched: its parent's pid, without which it prints its connection.
        parent = int(os.environ.get("JPY_PARENT_PID") or 0)
        ipykernel.kernelapp.IPKernelApp.launch_instance(parent_handle=parent)
        code = 0
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


warmed = False
while True:
    for key, _ in selector.select():
        if key.fd == 0:
            if not os.read(0, 4096):
                sys.exit(0)
            continue
        if key.data is None:  # the listener: a worker connects
            selector.register(key.fileobj.accept()[0], selectors.EVENT_READ, bytearray())
            continue
        connection, pending = key.fileobj, key.data
        data = connection.recv(65536)
        if not data:
            drop(connection)
            continue
        pending += data
        while b"\n" in pending:
            line, _, rest = bytes(pending).partition(b"\n")
            pending[:] = rest
            if not warmed:
                warm()
                warmed = True
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})  # reaped only once recorded
            pid = os.fork()
            if not pid:
                kernel(json.loads(line))
            kernels[pid] = connection
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
            connection.sendall(b"%d\n" % pid)
""".replace("INLINE_BACKEND", repr(INLINE_BACKEND))


def launcher_arguments(cmd: Sequence[str]) -> tuple[list[str], list[str]] | None:
    """``(interpreter and flags, kernel arguments)`` of an ipykernel launch command, else None."""
    if "-m" not in cmd:
        return None
    at = list(cmd).index("-m")
    if at + 1 >= len(cmd) or cmd[at + 1] != LAUNCHER:
        return None
    return list(cmd[:at]), list(cmd[at + 2:])


def kernel_interpreter(kernel_name: str) -> list[str] | None:
    """The interpreter and flags a kernel ``kernel_name`` is launched with (the command
    jupyter_client builds for it), or None when it is not an ipykernel this module forks."""
    from jupyter_client.manager import KernelManager

    parts = launcher_arguments(KernelManager(kernel_name=kernel_name).format_kernel_cmd())
    return parts[0] if parts else None


def shared_address(folder: str, interpreter: Sequence[str], preload: Sequence[str]) -> str:
    """Where the shared server for this interpreter and these pre-imports listens in ``folder``:
    a worker uses one only if it was started for exactly what the worker's kernels need."""
    key = hashlib.sha256(json.dumps([list(interpreter), list(preload)]).encode()).hexdigest()[:16]
    return os.path.join(folder, f"{key}.sock")


class SharedServers:
    """Fork servers in a private folder, shared by several workers: those of one build (the
    coordinator starts one when it has two workers or more), or those of every build of a session
    (the test suite's, handed to the builds as ``CHENGGUAN_FORK_SERVERS``). A worker connects to the
    one started for its kernels' interpreter and pre-imports (:func:`shared_address`).

    A server stops when :meth:`close` closes its stdin, or at once when the process that started it
    ends; it kills a worker's kernels when that worker disconnects (ends or is killed). The modules
    it imports see its ``cwd`` and ``env`` (a ``matplotlibrc`` there, ``MPLCONFIGDIR``): share one
    only between builds where those agree.
    """

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="chengguan-forks-")
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, interpreter: Sequence[str], preload: Sequence[str], cwd: str | None = None,
              env: dict[str, str] | None = None) -> None:
        """Start the server for kernels of ``interpreter`` with ``preload`` imported (unless it
        runs already); it imports them when the first kernel is asked for."""
        address = shared_address(self.folder, interpreter, preload)
        if os.path.exists(address):
            return
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(address)
            listener.listen(64)
            self.processes.append(subprocess.Popen(
                [*interpreter, "-c", SERVER, str(listener.fileno()), "-1", json.dumps(list(preload))],
                stdin=subprocess.PIPE, pass_fds=(listener.fileno(),), cwd=cwd, env=env))
        finally:
            listener.close()  # the server holds it now

    def close(self) -> None:
        """Stop the servers (their kernels die with them) and remove the folder."""
        for process in self.processes:
            _stop(process)
        self.processes = []
        shutil.rmtree(self.folder, ignore_errors=True)


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Close a server's stdin, which stops it; kill it if it has not ended in 5 s."""
    try:
        if server.stdin is not None:
            server.stdin.close()
        server.wait(timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        server.kill()
        server.wait()


class ForkServer:
    """Forks kernels for one worker: through the server in the folder ``shared`` (see
    :class:`SharedServers`) made for its interpreter and pre-imports when there is one, else
    through a server of its own (started with its first kernel, and again if it dies)."""

    def __init__(self, preload: Sequence[str], shared: str | None = None) -> None:
        self.preload = tuple(preload)
        self.shared = shared
        self.interpreter: list[str] | None = None
        self.process: subprocess.Popen[bytes] | None = None  # the server of its own, if started
        self._socket: socket.socket | None = None
        self._replies: Any = None
        self._lock = asyncio.Lock()

    def _connect(self, interpreter: list[str], cwd: str, env: dict[str, str]) -> None:
        if self.shared is not None:
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                connection.connect(shared_address(self.shared, interpreter, self.preload))
            except OSError:  # none for these kernels, or it is gone: a server of its own from now on
                connection.close()
                self.shared = None
            else:
                self._attach(connection, interpreter)
                return
        mine, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen(
                [*interpreter, "-c", SERVER, "-1", str(theirs.fileno()), json.dumps(self.preload)],
                stdin=subprocess.PIPE, pass_fds=(theirs.fileno(),), cwd=cwd, env=env)
        except BaseException:
            mine.close()
            raise
        finally:
            theirs.close()
        self._attach(mine, interpreter)

    def _attach(self, connection: socket.socket, interpreter: list[str]) -> None:
        self._socket = connection
        self._replies = connection.makefile("rb")
        self.interpreter = interpreter

    def _disconnect(self) -> None:
        if self._socket is not None:
            self._replies.close()
            self._socket.close()
            self._socket = self._replies = None
        if self.process is not None:
            _stop(self.process)
            self.process = None

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
                # Its server died (killed, out of memory) and took its kernels with it: start a
                # new one rather than write to a socket nobody reads.
                self._disconnect()
            if self._socket is None:
                self._connect(interpreter, cwd, env)
            if interpreter != self.interpreter:
                return None
            assert self._socket is not None
            request = {"argv": arguments, "cwd": cwd, "env": env}
            try:
                self._socket.sendall(json.dumps(request).encode() + b"\n")
                return int(await asyncio.to_thread(self._reply))
            except OSError:
                self._disconnect()  # the next kernel connects (or starts a server) anew
                raise

    def close(self) -> None:
        """Disconnect, and stop the server of its own (the kernels still running die with it; a
        shared server kills this worker's)."""
        self._disconnect()


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
