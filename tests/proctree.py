"""Processes below a test, read from /proc (Linux): for the tests of what a build leaves running."""

from __future__ import annotations

import time
from pathlib import Path


def _stat(pid: int) -> list[str]:
    return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()


def parent(pid: int) -> int:
    """The parent's pid; -1 when ``pid`` is gone."""
    try:
        return int(_stat(pid)[1])
    except (OSError, IndexError):
        return -1


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid``."""
    return [child for child in _all() if parent(child) == pid]


def descendants(pid: int) -> list[int]:
    """Every process below ``pid``, at any depth."""
    below: dict[int, list[int]] = {}
    for child in _all():
        below.setdefault(parent(child), []).append(child)
    found, todo = [], [pid]
    while todo:
        for child in below.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie has exited)."""
    try:
        return _stat(pid)[0] != "Z"
    except (OSError, IndexError):
        return False


def gone(pids: list[int], seconds: float = 30) -> bool:
    """Whether all of ``pids`` end within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(alive(p) for p in pids):
            return True
        time.sleep(0.2)
    return False


def cmdline(pid: int) -> bytes:
    """The command line, NUL-separated; empty when ``pid`` is gone."""
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes()
    except OSError:
        return b""


def _all() -> list[int]:
    return [int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit()]
