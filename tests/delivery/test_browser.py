"""The what-if app in a real browser: Voila serves notebook 07, Chromium moves a slider, the page shows
the value that the pure scenario function computes for the new setting.

Debian's Chromium (``apt-get install chromium``) is driven by Python Playwright; ``playwright install``
is never needed. Without a browser the test is skipped locally and FAILS in CI (``CI=true``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from kinerja_analysis import load_dataset, paths, whatif
from kinerja_analysis.delivery import widgets
from kinerja_analysis.merit.design import selection_design

CHROMIUM = os.environ.get("KINERJA_CHROMIUM", "/usr/bin/chromium")
NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "07_simulasi_what_if.ipynb"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
# the weights notebook 07 starts the promotion panel with (bobot_bawaan)
DEFAULT_WEIGHTS = {"kompetensi": 1.0, "potensi": 1.0, "kinerja": 0.5, "senioritas": 1.0}


def _require_browser() -> None:
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the Python package playwright (pip install -e '.[dev]')")
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        missing.append(f"Chromium at {CHROMIUM} (apt-get install -y chromium)")
    if missing:
        message = "browser test needs " + " and ".join(missing)
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + "; in CI a missing browser is a failure, not a skip.")
        pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def voila(tmp_path: Path):
    _require_browser()
    port = _free_port()
    env = os.environ | {"JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "IPYTHONDIR": str(tmp_path / "ipython"),
                        "MPLCONFIGDIR": str(tmp_path / "mpl")}  # fmt: skip
    log = (tmp_path / "voila.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "voila", str(NOTEBOOK), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=tmp_path,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/voila/static/", timeout=1)
                break
            except urllib.error.HTTPError:
                break  # the server answers (even a 404 on the folder means it is up)
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"Voila did not start: {(tmp_path / 'voila.log').read_text()[-2000:]}")
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_moving_a_slider_shows_the_scenario_value(voila: str) -> None:
    from playwright.sync_api import sync_playwright

    inputs = whatif.promotion_inputs(selection_design(load_dataset(paths.demo_data_dir())))
    before = whatif.promotion_scenario(inputs, weights=DEFAULT_WEIGHTS)
    after = whatif.promotion_scenario(inputs, weights=DEFAULT_WEIGHTS | {"kompetensi": 2.0})  # slider max
    shown = "keputusan nyata: {} dari {} seleksi; senioritas menentukan pemenang di {} seleksi"
    expected_before = shown.format(widgets.percent(before.changed_share), inputs.n_selections,
                                   widgets.percent(before.seniority_decides))  # fmt: skip
    expected_after = shown.format(widgets.percent(after.changed_share), inputs.n_selections,
                                  widgets.percent(after.seniority_decides))  # fmt: skip
    assert expected_after != expected_before, "the test would not see the slider move"

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            page = browser.new_page()
            # nothing leaves the machine: every request not to 127.0.0.1 is blocked
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1")
                       else route.abort())  # fmt: skip
            page.goto(voila, timeout=60_000)
            outputs = page.locator(".widget-output")
            page.wait_for_function(
                "t => [...document.querySelectorAll('.widget-output')].some(e => e.innerText.includes(t))",
                arg=expected_before, timeout=60_000,
            )  # fmt: skip
            handle = page.locator(".widget-slider .noUi-handle").first
            handle.focus()
            handle.press("End")
            page.wait_for_function(
                "t => [...document.querySelectorAll('.widget-output')].some(e => e.innerText.includes(t))",
                arg=expected_after, timeout=20_000,
            )  # fmt: skip
            assert any(expected_after in text for text in outputs.all_inner_texts())
        finally:
            browser.close()
