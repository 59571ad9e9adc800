"""A progress bar on standard error for a command over many files (``kinwise import``).

Shown only when standard error is a terminal or when ``--progress`` asks for it, never
on standard output (which carries the command's own lines for scripts to read). It
counts files and says nothing about what is in them. Lines the command writes to
standard error meanwhile go through :meth:`Progress.line`, which clears the bar first.
"""

from __future__ import annotations

import time
from typing import TextIO

WIDTH = 30
# at most this often (seconds) the bar is redrawn, besides its first and last state
EVERY = 0.2


def progress_wanted(*, asked: bool, stream: TextIO) -> bool:
    """Whether to show a bar: asked for, or standard error is a terminal."""
    if asked:
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty is not None and isatty())


class Progress:
    """``done`` of ``total`` files as a bar (``[=====     ] 12/40 files, 3.1 a second``)."""

    def __init__(self, *, total: int, stream: TextIO, enabled: bool, noun: str = "files") -> None:
        self.total = total
        self.stream = stream
        self.enabled = enabled and total > 0
        self.noun = noun
        self.done = 0
        self._start = time.monotonic()
        self._drawn = 0.0
        self._shown = False

    def text(self, done: int, seconds: float) -> str:
        filled = WIDTH * done // self.total if self.total else WIDTH
        rate = f", {done / seconds:.1f} a second" if seconds > 0 and done else ""
        bar = "=" * filled + " " * (WIDTH - filled)
        return f"[{bar}] {done}/{self.total} {self.noun}{rate}"

    def step(self, count: int = 1) -> None:
        self.done += count
        if not self.enabled:
            return
        now = time.monotonic()
        if self._shown and now - self._drawn < EVERY and self.done < self.total:
            return
        self._drawn = now
        self._draw(now)

    def _draw(self, now: float) -> None:
        self.stream.write("\r" + self.text(self.done, now - self._start) + "\x1b[K")
        self.stream.flush()
        self._shown = True

    def line(self, text: str) -> None:
        """Write ``text`` (a whole line) to the stream, the bar cleared and drawn again."""
        if self._shown:
            self.stream.write("\r\x1b[K")
        self.stream.write(text)
        if self._shown:
            self._draw(time.monotonic())

    def clear(self) -> None:
        """Take the bar off its line before the command writes to standard output (on
        the same terminal); the next step draws it again."""
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False

    def finish(self) -> None:
        """End the bar's line (nothing when it was never shown)."""
        if self._shown:
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()
            self._shown = False
