"""One build at a time per outputs folder: a file lock, plus a note of who holds it."""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout


class BuildLocked(RuntimeError):
    """Another build holds the lock on this outputs folder."""


class BuildLock:
    """``with BuildLock(path):`` — refuse at once (no waiting) when another build is running."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.owner_file = path.with_name(path.name + ".pid")
        self._lock = FileLock(str(path), timeout=0)

    def __enter__(self) -> BuildLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire()
        except Timeout:
            raise BuildLocked(self._refusal()) from None
        # Written after acquiring, so it names the holder (the lock file itself stays empty).
        self.owner_file.write_text(f"{os.getpid()}\n", encoding="utf-8")
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.owner_file.unlink(missing_ok=True)
        self._lock.release()

    def _refusal(self) -> str:
        try:
            pid = self.owner_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            pid = ""
        holder = f"build (pid {pid})" if pid else "build"
        return (f"another {holder} is writing to {self.path.parent.parent}; "
                f"lock file: {self.path}. Wait for it to finish, or pass --outputs to build elsewhere.")
