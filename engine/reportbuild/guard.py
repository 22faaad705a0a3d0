"""The guards on outputs/: one build at a time (a file lock naming its holder) and atomic writes
(a reader, or an interrupted build, sees the old file or the new one, never half)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Read once at import: os.umask can only be read by setting it, which races with other threads.
_UMASK = _read_umask()


class OutputsUnwritable(RuntimeError):
    """A file of outputs/ cannot be written (no permission, read-only or full disk, ...)."""

    @classmethod
    def at(cls, path: Path, error: OSError) -> OutputsUnwritable:
        return cls(f"cannot write {path}: {error.strerror or error}")


def _temporary(path: Path, data: bytes) -> str:
    """``data`` in a new temporary file beside ``path``, flushed to disk; its name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp creates the file 0600; give it the mode an ordinary write would.
        os.fchmod(fd, 0o666 & ~_UMASK)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        _remove(tmp)
        raise
    return tmp


def _remove(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except FileNotFoundError:
        pass


def atomic_write_files(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write every file or none: all contents go to temporary files first (where a full disk or a
    missing permission shows), and only then are they renamed over their targets (which needs no
    space). So an executed notebook and its HTML are always from the same build.

    Raises OutputsUnwritable naming the file that could not be written.
    """
    temporaries: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            try:
                temporaries.append((_temporary(path, data), path))
            except OSError as error:
                raise OutputsUnwritable.at(path, error) from error
        for tmp, path in temporaries:
            try:
                os.replace(tmp, path)
            except OSError as error:
                raise OutputsUnwritable.at(path, error) from error
    finally:
        # Also on KeyboardInterrupt: leave no temporary file behind.
        for tmp, _ in temporaries:
            if os.path.exists(tmp):
                _remove(tmp)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, then rename over."""
    atomic_write_files([(path, data)])


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


class BuildLocked(RuntimeError):
    """Another build holds the lock on this outputs folder."""


class BuildLock:
    """``with BuildLock(path):`` — refuse at once (no waiting) when another build is running."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.owner_file = path.with_name(path.name + ".pid")
        self._lock = FileLock(str(path), timeout=0)

    def __enter__(self) -> BuildLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise OutputsUnwritable.at(self.path.parent, error) from error
        try:
            self._lock.acquire()
        except Timeout:
            raise BuildLocked(self._refusal()) from None
        except OSError as error:
            raise OutputsUnwritable.at(self.path, error) from error
        try:
            # Written after acquiring, so it names the holder (the lock file itself stays empty).
            self.owner_file.write_text(f"{os.getpid()}\n", encoding="utf-8")
        except OSError as error:
            self._lock.release()
            raise OutputsUnwritable.at(self.owner_file, error) from error
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
