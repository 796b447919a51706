"""numpy's transparent huge pages switched off for a block of work: large arrays written once, in order.

numpy asks the kernel for transparent huge pages (``madvise(MADV_HUGEPAGE)``) for every array of 4 MB or
more. That pays for a table hit at random many times (fewer TLB misses), but an array that is written
once from start to end (a reordering, a result column) gains nothing, and its first touch costs more:
the kernel clears, and where ``defrag`` is ``madvise`` may first compact, 2 MB at a time. After the
Parquet scan of the service KPIs, 50 million cases, about 1.1 GB of such arrays are made; without huge pages
for them the call took 3.44-3.57 s against 3.66-4.04 s, with a third less system time, in paired runs on
this project's machine (benchmarks/README.md).

The switch is numpy's own (``NUMPY_MADVISE_HUGEPAGE`` at import, ``_set_madvise_hugepage`` after). It is
process-wide: while a block runs, arrays made by other threads get no huge pages either (their values
are the same; only their page size differs). Blocks may nest and overlap across threads: the first to
enter keeps the setting it found, the last to leave puts it back. Where numpy lacks the switch, nothing
changes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

__all__ = ["without_huge_pages", "huge_pages_enabled"]

_switch = getattr(getattr(getattr(np, "_core", None), "multiarray", None), "_set_madvise_hugepage", None)
_lock = threading.Lock()
_depth = 0
_saved = True


def huge_pages_enabled() -> bool | None:
    """Whether numpy currently advises huge pages for large arrays (None: this numpy has no switch)."""
    if _switch is None:
        return None
    with _lock:
        current = _switch(False)
        _switch(current)
        return bool(current)


@contextmanager
def without_huge_pages() -> Iterator[None]:
    """Inside the block, numpy allocates large arrays without asking for transparent huge pages."""
    global _depth, _saved
    if _switch is None:
        yield
        return
    with _lock:
        if _depth == 0:
            _saved = bool(_switch(False))
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                _switch(_saved)
