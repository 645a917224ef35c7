"""A one-line progress display on stderr for long runs: documents, MB, MB/s.

Shown only when stderr is a terminal (and not ``--quiet``); redrawn at most five times a second.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, enabled: bool | None = None, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.docs = 0
        self.chars = 0
        self.start = time.perf_counter()
        self.last = 0.0

    def update(self, chars: int) -> None:
        self.docs += 1
        self.chars += chars
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.last >= 0.2:
            self.last = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        mb = self.chars / 1e6
        rate = mb / max(now - self.start, 1e-9)
        self.stream.write(f"\r{self.docs} documents  {mb:.1f} MB  {rate:.1f} MB/s ")
        self.stream.flush()

    def clear(self) -> None:
        """Erase the line (before a note is printed, and at the end): a progress line never
        stays behind on the terminal."""
        if self.enabled and self.last:
            self.stream.write("\r\x1b[K")
            self.stream.flush()

    def close(self) -> None:
        self.clear()
        self.last = 0.0
