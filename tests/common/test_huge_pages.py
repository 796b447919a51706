"""numpy's huge-page switch: off inside the block, put back after, whatever the nesting and the threads."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from kinerja_analysis.common import huge_pages
from kinerja_analysis.common.huge_pages import huge_pages_enabled, without_huge_pages

pytestmark = pytest.mark.skipif(huge_pages._switch is None, reason="this numpy has no huge-page switch")


@pytest.fixture(params=[True, False], ids=["on before", "off before"])
def before(request):
    """numpy's setting before the block, restored after the test whatever it did."""
    saved = huge_pages._switch(request.param)
    yield request.param
    huge_pages._switch(saved)


def test_off_inside_and_put_back_after(before):
    with without_huge_pages():
        assert huge_pages_enabled() is False
    assert huge_pages_enabled() is before


def test_put_back_after_an_error(before):
    with pytest.raises(ZeroDivisionError), without_huge_pages():
        _ = 1 / 0
    assert huge_pages_enabled() is before


def test_nested_blocks_put_it_back_once_the_outer_ends(before):
    with without_huge_pages():
        with without_huge_pages():
            pass
        assert huge_pages_enabled() is False
    assert huge_pages_enabled() is before


def test_blocks_overlapping_across_threads_put_it_back_when_the_last_ends(before):
    entered, release = threading.Event(), threading.Event()

    def other() -> None:
        with without_huge_pages():
            entered.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    with without_huge_pages():
        thread.start()
        assert entered.wait(5)
    assert huge_pages_enabled() is False  # the other thread's block still runs
    release.set()
    thread.join(5)
    assert huge_pages_enabled() is before


def test_without_the_switch_nothing_changes(monkeypatch, before):
    monkeypatch.setattr(huge_pages, "_switch", None)
    assert huge_pages_enabled() is None
    with without_huge_pages():
        pass
    monkeypatch.undo()
    assert huge_pages_enabled() is before


def _huge_kb(array: np.ndarray) -> int:
    """AnonHugePages (kB) of the mappings that hold ``array``'s data, from /proc/self/smaps (numpy's advice
    splits an array's mapping in two: the part before the first aligned page, and the advised rest)."""
    low_end, high_end = array.ctypes.data, array.ctypes.data + array.nbytes
    total, inside, seen = 0, False, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        head = line.split()[0]
        if "-" in head and ":" not in head:
            low, high = (int(x, 16) for x in head.split("-"))
            inside = low < high_end and low_end < high
            seen |= inside
        elif inside and head == "AnonHugePages:":
            total += int(line.split()[1])
    assert seen, "the array's mappings were not found in /proc/self/smaps"
    return total


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/smaps")
def test_an_array_made_inside_gets_no_huge_pages():
    mode = Path("/sys/kernel/mm/transparent_hugepage/enabled")
    if not mode.exists() or "[madvise]" not in mode.read_text():
        pytest.skip("huge pages here do not follow madvise (always or never): numpy's advice changes nothing")
    saved = huge_pages._switch(True)
    try:
        outside = np.ones(64 << 20, dtype=np.uint8)  # 64 MB, every page touched
        if _huge_kb(outside) == 0:
            pytest.skip("the kernel gave no huge pages even when asked: nothing to compare")
        with without_huge_pages():
            inside = np.ones(64 << 20, dtype=np.uint8)
        assert _huge_kb(inside) == 0
        assert np.array_equal(inside, outside)  # same values, only the page size differs
    finally:
        huge_pages._switch(saved)
