"""Build progress: a live status line on a terminal, one line per event in a log, and the summary table."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Sequence
from typing import TextIO

from reportbuild.messages import Result, Started


class Progress:
    """Follows a build's events. ``live`` redraws one status line; otherwise one line per event."""

    def __init__(self, total: int, stream: TextIO, live: bool,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.total = total
        self.stream = stream
        self.live = live
        self.clock = clock
        self.start = clock()
        self.done = 0
        self.running: dict[str, float] = {}
        self._status_shown = False

    def elapsed(self) -> float:
        return self.clock() - self.start

    def __call__(self, event: Started | Result | None) -> None:
        if isinstance(event, Started):
            self.running[event.run] = self.clock()
            if not self.live:
                self._line(f"start  {event.run}")
        elif isinstance(event, Result):
            self.running.pop(event.run, None)
            self.done += 1
            self._line(f"{event.status:<11} {event.run} ({event.seconds:.1f} s)")
        if self.live:
            self._status()

    def _line(self, text: str) -> None:
        self._clear()
        self.stream.write(f"[{self.done}/{self.total} {self.elapsed():6.1f}s] {text}\n")
        self.stream.flush()

    def _status(self) -> None:
        width = shutil.get_terminal_size((100, 20)).columns - 1
        names = ", ".join(self.running) or "-"
        text = f"[{self.done}/{self.total} {self.elapsed():6.1f}s] running: {names}"
        self.stream.write("\r" + text[:width].ljust(width))
        self.stream.flush()
        self._status_shown = True

    def _clear(self) -> None:
        if self._status_shown:
            width = shutil.get_terminal_size((100, 20)).columns - 1
            self.stream.write("\r" + " " * width + "\r")
            self._status_shown = False

    def finish(self) -> None:
        self._clear()
        self.stream.flush()


def summary_table(rows: Sequence[tuple[str, str, float | None]]) -> str:
    """``run  status  seconds`` as aligned plain text (skipped runs show no seconds)."""
    header = ("run", "status", "seconds")
    width = max([len(header[0])] + [len(r[0]) for r in rows])
    lines = [f"{header[0]:<{width}}  {header[1]:<11}  {header[2]:>7}"]
    for name, status, seconds in rows:
        shown = "" if seconds is None else f"{seconds:7.1f}"
        lines.append(f"{name:<{width}}  {status:<11}  {shown:>7}".rstrip())
    return "\n".join(lines)
