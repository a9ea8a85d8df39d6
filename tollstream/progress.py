"""A one-line progress display for long runs (``replay``, ``eval``, ``produce``), on a terminal only.

Progress is counted in bytes of input, so the total is known from the files' sizes without a
first pass over them; the line shows the share done, the articles so far, their rate and the
time left. When the stream is not a terminal (a pipe, a file, CI) nothing is written at all.
"""

import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

REDRAW_SECONDS = 0.2


class Progress:
    """Counts values as they pass and redraws one status line at most every ``REDRAW_SECONDS``."""

    def __init__(self, label: str, total_bytes: int | None, stream: TextIO | None = None) -> None:
        self.label, self.total = label, total_bytes or None
        self.stream = stream if stream is not None else sys.stderr
        self.shown = self.stream.isatty()
        self.count = self.done = 0
        self.started = self.drawn = time.monotonic()

    @classmethod
    def for_files(cls, label: str, paths: Iterable[str | Path], stream: TextIO | None = None) -> "Progress":
        """Progress over files read whole; a path that is not a regular file (stdin) leaves the total unknown."""
        sizes = [Path(p).stat().st_size if p != "-" and Path(p).is_file() else None for p in paths]
        total = None if None in sizes else sum(s for s in sizes if s is not None)
        return cls(label, total, stream)

    def track(self, values: Iterable[bytes]) -> Iterator[bytes]:
        """The same values, counted; the line is finished when they run out or the consumer stops."""
        try:
            for value in values:
                self.count += 1
                self.done += len(value) + 1  # the line end the reader stripped
                if self.shown and time.monotonic() - self.drawn >= REDRAW_SECONDS:
                    self._draw()
                yield value
        finally:
            self.close()

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = self.count / elapsed
        parts = [self.label]
        if self.total:
            share = min(self.done / self.total, 1.0)
            parts.append(f"{share:4.0%}")
            if 0 < share < 1:
                parts.append(f"{elapsed * (1 - share) / share:,.0f}s left")
        parts += [f"{self.count:,} articles", f"{rate:,.1f}/s" if rate < 10 else f"{rate:,.0f}/s"]
        return "  ".join(parts)

    def _draw(self) -> None:
        self.drawn = time.monotonic()
        self.stream.write("\r\033[K" + self.line())
        self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()
            self.shown = False
