"""Kernels forked from a warm process: pre-imported from birth, and still one fresh kernel per report."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from proctree import alive, cmdline, descendants, gone, parent
from reportbuild import forkserver
from reportbuild.kernels import KernelPool, _silent

pytestmark = [pytest.mark.skipif(not forkserver.available(), reason="kernels are forked on Linux only"),
              pytest.mark.notebooks]  # starts kernels: `make test-quick` leaves this module out


def test_only_an_ipykernel_launch_is_forked() -> None:
    cmd = ["/venv/bin/python", "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "/tmp/k.json"]
    assert forkserver.launcher_arguments(cmd) == (["/venv/bin/python", "-Xfrozen_modules=off"], ["-f", "/tmp/k.json"])
    assert forkserver.launcher_arguments(["/usr/bin/R", "--slave", "-f", "x"]) is None
    assert forkserver.launcher_arguments(["python", "-m", "other_kernel", "-f", "x"]) is None


async def _value(kernel, expression: str) -> str:
    content = await _silent(kernel, "", 60, "reading", {"v": expression})
    return content["user_expressions"]["v"]["data"]["text/plain"]


def test_forked_kernels_are_fresh_and_warm(tmp_path: Path) -> None:
    async def scenario() -> dict[str, object]:
        pool = KernelPool("chengguan", tmp_path, ["json", "pandas"])
        assert pool.server is not None
        seen: dict[str, object] = {}
        try:
            first = await pool.take()
            await _silent(first, "leak = 1", 60, "setting a name")
            seen["first_has_name"] = await _value(first, "'leak' in globals()")
            seen["pandas_at_birth"] = await _value(first, "__import__('sys').modules.get('pandas') is not None")
            seen["cwd"] = await _value(first, "__import__('os').getcwd()")
            seen["parent_pid_env"] = await _value(first, "__import__('os').environ['JPY_PARENT_PID']")
            seen["backend"] = await _value(first, "__import__('os').environ['MPLBACKEND']")
            seen["parent_handle"] = await _value(first, "__import__('ipykernel.kernelapp').kernelapp"
                                                        ".IPKernelApp.instance().parent_handle")
            second = await pool.take()
            seen["second_has_name"] = await _value(second, "'leak' in globals()")
            seen["pids"] = (first.pid, second.pid)
            seen["server"] = pool.server.process.pid if pool.server.process else None
            seen["parents"] = tuple(parent(pid) for pid in (first.pid, second.pid))
            await first.shutdown()
            await second.shutdown()
        finally:
            await pool.close()
        return seen

    seen = asyncio.run(scenario())
    assert seen["first_has_name"] == "True" and seen["second_has_name"] == "False"  # no state shared
    assert seen["pandas_at_birth"] == "True"  # imported by the server, before the fork
    assert seen["cwd"] == repr(str(tmp_path))
    assert seen["parent_pid_env"] == repr(str(os.getpid()))  # as jupyter_client's launcher sets it
    assert seen["parent_handle"] == str(os.getpid())  # read by ipykernel at launch, as when launched
    assert seen["backend"] == repr(forkserver.INLINE_BACKEND)
    first, second = seen["pids"]  # type: ignore[misc]
    assert first != second
    assert seen["parents"] == (seen["server"], seen["server"])  # forked, not launched
    for pid in (first, second, seen["server"]):
        assert not alive(pid)  # type: ignore[arg-type]


async def _cell(kernel, code: str) -> None:
    """Run ``code`` as a notebook cell runs (not silent: autoreload's hook runs before it)."""
    msg_id = kernel.kc.execute(code, store_history=True, allow_stdin=False)
    while True:
        reply = await kernel.kc.get_shell_msg(timeout=60)
        if reply["parent_header"].get("msg_id") == msg_id:
            assert reply["content"]["status"] == "ok", reply["content"]
            return


def test_autoreload_in_a_forked_kernel_watches_the_project_not_the_installed_packages(tmp_path: Path) -> None:
    module = tmp_path / "projectlib.py"
    module.write_text("VALUE = 1\n", encoding="utf-8")

    async def scenario() -> dict[str, str]:
        pool = KernelPool("chengguan", tmp_path, ["pandas"])
        seen: dict[str, str] = {}
        try:
            kernel = await pool.take()
            await _cell(kernel, "%load_ext autoreload\n%autoreload 2")
            await _cell(kernel, "import projectlib\nimport pandas")
            seen["before"] = await _value(kernel, "projectlib.VALUE")
            module.write_text("VALUE = 2\n", encoding="utf-8")
            stat = module.stat()
            os.utime(module, (stat.st_atime, stat.st_mtime + 5))  # a later mtime, whatever the clock's grain
            await _cell(kernel, "pass")
            seen["after"] = await _value(kernel, "projectlib.VALUE")
            reloader = "get_ipython().magics_manager.registry['AutoreloadMagics']._reloader"
            seen["skipped"] = await _value(kernel, f"sorted(m for m in ('pandas', 'json', 'projectlib') "
                                                   f"if m in {reloader}.skip_modules)")
            await kernel.shutdown()
        finally:
            await pool.close()
        return seen

    seen = asyncio.run(scenario())
    assert (seen["before"], seen["after"]) == ("1", "2")  # the project's module is still reloaded
    assert seen["skipped"] == "['json', 'pandas']"  # installed packages and the standard library are not watched


# A worker of another build: takes a kernel from the shared servers, says its pid, and waits to be killed.
WORKER = """
import asyncio, sys
from pathlib import Path
from reportbuild.kernels import KernelPool

async def main():
    pool = KernelPool("chengguan", Path(sys.argv[1]), ["json"], shared=sys.argv[2])
    kernel = await pool.take()
    print(kernel.pid, flush=True)
    await asyncio.sleep(600)

asyncio.run(main())
"""


def test_builds_share_the_server_made_for_their_kernels_and_a_dead_workers_kernels_die(tmp_path: Path) -> None:
    interpreter = forkserver.kernel_interpreter("chengguan")
    assert interpreter is not None
    servers = forkserver.SharedServers()
    servers.start(interpreter, ["json"])
    shared, folder = servers.processes[0], servers.folder

    async def scenario() -> dict[str, object]:
        one = KernelPool("chengguan", tmp_path, ["json"], shared=str(folder))
        two = KernelPool("chengguan", tmp_path, ["json"], shared=str(folder))
        other = KernelPool("chengguan", tmp_path, ["json", "pandas"], shared=str(folder))  # none made for it
        seen: dict[str, object] = {}
        try:
            a, b, c = await one.take(), await two.take(), await other.take()
            seen["parents"] = (parent(a.pid), parent(b.pid), parent(c.pid))
            seen["own servers"] = [pool.server.process is not None for pool in (one, two, other)]
            seen["own server of other"] = other.server.process.pid
            # A worker killed mid-run (kill -9: no clean-up of its own): its kernel goes with it.
            worker = subprocess.Popen([sys.executable, "-c", WORKER, str(tmp_path), str(folder)],
                                      stdout=subprocess.PIPE, text=True)
            orphan = int(worker.stdout.readline())
            seen["orphan's parent"] = parent(orphan)
            worker.kill()
            worker.wait()
            seen["orphan gone"] = gone([orphan], 10)
            seen["others alive"] = [alive(k.pid) for k in (a, b, c)]
            for kernel in (a, b, c):
                await kernel.shutdown()
            # The shared server killed: a worker's next kernel comes from a server of its own.
            shared.kill()
            shared.wait()
            d = await one.take()
            seen["after the shared server died"] = await _value(d, "6 * 7")
            seen["own server now"] = one.server.process is not None and parent(d.pid) == one.server.process.pid
            await d.shutdown()
        finally:
            for pool in (one, two, other):
                await pool.close()
        return seen

    try:
        seen = asyncio.run(scenario())
    finally:
        servers.close()
    assert seen["parents"] == (shared.pid, shared.pid, seen["own server of other"])
    assert seen["own servers"] == [False, False, True]
    assert seen["orphan's parent"] == shared.pid
    assert seen["orphan gone"] is True  # killed by the server when its worker's connection closed
    assert seen["others alive"] == [True, True, True]
    assert seen["after the shared server died"] == "42" and seen["own server now"] is True


def test_a_build_with_two_workers_forks_their_kernels_from_one_server(tmp_path: Path, monkeypatch) -> None:
    import threading

    from fixtures.project import make_project, run_build
    from reportbuild.build import FORK_SERVERS_ENV

    monkeypatch.delenv(FORK_SERVERS_ENV, raising=False)  # as outside the test suite
    layout = make_project(tmp_path / "p")
    me = os.getpid()
    before = set(descendants(me))  # the session's own servers, when this process started them
    seen: dict[int, int] = {}  # every process of the fork server's code below this one -> its parent
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            for pid in descendants(me):
                if pid not in before and b"PR_SET_PDEATHSIG" in cmdline(pid):
                    seen.setdefault(pid, parent(pid))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        code, out, err = run_build(layout, "good-zh", "good-en", jobs=2)
    finally:
        done.set()
        watcher.join()
    assert code == 0, out + err
    # A server is a fork-server process whose parent is not one: one below each worker would show
    # up here with a worker as its parent. Below a kernel there may be a short-lived fork that has
    # not yet called exec (a kernel running a subprocess), still showing the server's command line.
    servers = [pid for pid, parent in seen.items() if parent not in seen]
    kernels = [pid for pid, parent in seen.items() if parent in servers]
    assert [seen[s] for s in servers] == [me]  # the build's own, not one below each worker
    assert len(kernels) >= 2
    assert not any(b"PR_SET_PDEATHSIG" in cmdline(p) for p in set(descendants(me)) - before)  # stopped with the build
