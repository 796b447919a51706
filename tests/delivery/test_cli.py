"""The ``kinerja`` command: behaviour and exit codes of each sub-command."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from kinerja_analysis.data.io import load_dataset
from kinerja_analysis.delivery.cli import main

BAD_DISIPLIN = "nip;tanggal;tingkat\n198609262015051001;2024-02-01;ringan\n19860926201505100;01/03/2024;berat\n"
PARAMS = ("code", 'data_dir = ""', ["parameters"])


def _kinerja(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kinerja_analysis", *args], capture_output=True, text=True, env=env, timeout=300
    )


# --- help and entry points ------------------------------------------------------------------------


def test_no_command_prints_help(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    for command in ("demo-data", "validate", "report", "lab", "app"):
        assert command in out


def test_python_dash_m_and_the_console_script():
    result = _kinerja("--help")
    assert result.returncode == 0 and "validate" in result.stdout
    script = Path(sys.executable).parent / "kinerja"
    assert script.is_file(), "the kinerja entry point is not installed: make setup"
    assert subprocess.run([str(script), "--help"], capture_output=True, text=True).returncode == 0


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["analyse"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


# --- validate -------------------------------------------------------------------------------------


def test_validate_accepted_folder_exits_0_and_prints_the_summary(tiny_export, capsys):
    assert main(["validate", str(tiny_export)]) == 0
    out = capsys.readouterr().out
    dataset = load_dataset(tiny_export)
    assert out == dataset.summary() + "\n" + dataset.header_summary() and "2 rows read, 2 accepted, 0 rejected" in out


def test_validate_prints_the_header_map_of_every_table(tiny_export, capsys):
    disiplin = "NIP Baru;Tangal;Tingkat Hukuman\n198609262015051001;2024-02-01;ringan\n"
    (tiny_export / "disiplin.csv").write_text(disiplin, encoding="utf-8")
    assert main(["validate", str(tiny_export)]) == 1  # tanggal is missing: the row is rejected
    mapping = capsys.readouterr().out.split("Headers read (your header -> our column):\n", 1)[1]
    assert mapping.splitlines() == [
        "  unit_kerja: unit_kerja.csv (header on row 1)",
        *(f"    {c:<10} -> {c}" for c in ("unit_id", "nama_unit", "jenis_unit", "instansi", "sektor", "kelurahan")),
        "  disiplin: disiplin.csv (header on row 1)",
        "    NIP Baru        -> nip",
        "    Tangal          -> (not used, kept as text; closest: tanggal?)",  # match_headers' suggestion
        "    Tingkat Hukuman -> tingkat",
        "    (none)          -> tanggal  MISSING: required, no header fills it",
    ]


def test_validate_rejected_rows_exit_1_and_are_saved(tmp_path, capsys):
    export = tmp_path / "disiplin.csv"
    export.write_text(BAD_DISIPLIN, encoding="utf-8")
    saved = tmp_path / "keluar" / "ditolak.csv"
    assert main(["validate", str(export), "--rejected-out", str(saved)]) == 1
    assert "1 rejected" in capsys.readouterr().out
    rejected = pd.read_csv(saved, dtype="str")
    assert rejected[["table", "row", "column", "value"]].to_dict("records") == [
        {"table": "disiplin", "row": "3", "column": "nip", "value": "19860926201505100"}
    ]


def test_validate_strict_with_rejected_rows_exits_1(tmp_path, capsys):
    export = tmp_path / "disiplin.csv"
    export.write_text(BAD_DISIPLIN, encoding="utf-8")
    saved = tmp_path / "ditolak.csv"
    assert main(["validate", str(export), "--strict", "--rejected-out", str(saved)]) == 1
    captured = capsys.readouterr()
    assert "invalid NIP: 17 digits" in captured.out
    assert "rejected (--strict)" in captured.err
    assert len(pd.read_csv(saved)) == 1


def test_validate_saves_an_empty_rejected_file_when_all_rows_pass(tiny_export, tmp_path):
    saved = tmp_path / "ditolak.csv"
    assert main(["validate", str(tiny_export), "--rejected-out", str(saved)]) == 0
    assert len(pd.read_csv(saved)) == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [("tidak_ada", None), ("catatan.docx", "PK\x03\x04 not a table"), ("pegawai.csv", "")],
)
def test_validate_file_level_errors_exit_2_without_traceback(tmp_path, name, content):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = _kinerja("validate", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("kinerja validate: ") and name in result.stderr
    assert "Traceback" not in result.stderr


BROKEN = {  # binary bytes, a truncated workbook, a ZIP of notes (written below), a truncated Parquet file
    "pegawai.csv": b"\x00\x01\x02binary\x00\xff" * 50,
    "pegawai.xlsx": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 30,
    "notes.xlsx": None,
    "disiplin.parquet": b"PAR1\x15\x04\x15" + b"\x00" * 40,
}


@pytest.mark.parametrize("name", BROKEN)
def test_validate_unreadable_file_exits_2_with_the_message(tmp_path, capsys, name):
    path = tmp_path / name
    if BROKEN[name] is None:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("catatan.txt", "bukan workbook")
    else:
        path.write_bytes(BROKEN[name])
    assert main(["validate", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith(f"kinerja validate: {name}: ")
    assert "Traceback" not in captured.err and any(w in captured.err for w in ("again", "save it", "Unpack"))


def test_validate_rejected_out_cannot_run_formulas_in_excel(tmp_path, capsys):  # see data/test_io_export.py
    export = tmp_path / "disiplin.csv"
    export.write_text('nip,tanggal,tingkat\n198609262015051001,2024-02-01,"=HYPERLINK(""http://x"",""klik"")"\n')
    assert main(["validate", str(export), "--rejected-out", str(tmp_path / "ditolak.csv")]) == 1
    assert b'"\'=HYPERLINK(""http://x"",""klik"")"' in (tmp_path / "ditolak.csv").read_bytes()


# --- demo-data ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_demo_data_writes_a_loadable_dataset_reproducibly(tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["demo-data", "--out", str(a), "--seed", "7"]) == 0
    assert str(a) in capsys.readouterr().out
    assert main(["demo-data", "--out", str(b), "--seed", "7"]) == 0
    files = sorted(p.name for p in a.iterdir())
    assert "pegawai.csv" in files
    assert files == sorted(p.name for p in b.iterdir())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    dataset = load_dataset(a)
    assert len(dataset.rejected) == 0
    assert len(dataset.pegawai) > 100


# --- report ---------------------------------------------------------------------------------------


@pytest.mark.slow
def test_report_builds_pages_and_fails_with_1_naming_the_cell(tiny_project, make_notebook, jupyter_env):
    make_notebook(tiny_project / "notebooks" / "01_satu.ipynb", [("md", "# Satu\n\nsintetis"), PARAMS])
    make_notebook(tiny_project / "notebooks" / "02_dua.ipynb", [("md", "# Dua"), PARAMS, ("code", "{}['nip']")])
    env = dict(os.environ)
    ok = _kinerja("report", "--notebooks", "01", "--no-progress", env=env)
    assert ok.returncode == 0, ok.stderr
    assert (tiny_project / "reports" / "01_satu.html").is_file()
    assert (tiny_project / "reports" / "index.html").is_file()
    bad = _kinerja("report", "--out", str(tiny_project / "lain"), "--no-progress", env=env)
    assert bad.returncode == 1
    assert "02_dua.ipynb, cell 3: KeyError: 'nip'" in bad.stderr
    assert "Traceback" not in bad.stderr


@pytest.mark.slow
def test_report_passes_one_report_year_to_every_notebook(tiny_project, make_notebook, jupyter_env):
    cells = [("md", "# Satu\n\nsintetis"), ("code", 'data_dir = ""\ntahun_laporan = 2024', ["parameters"]),
             ("code", "print(f'TAHUN {tahun_laporan}')")]  # fmt: skip
    make_notebook(tiny_project / "notebooks" / "01_satu.ipynb", cells)
    make_notebook(tiny_project / "notebooks" / "02_dua.ipynb", cells)
    done = _kinerja("report", "--tahun-laporan", "2023", "--no-progress", env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    for page in ("01_satu.html", "02_dua.html"):
        html = (tiny_project / "reports" / page).read_text(encoding="utf-8")
        assert "TAHUN 2023" in html and "TAHUN 2024" not in html


def test_report_input_errors_exit_2(tiny_project, make_notebook, tmp_path, capsys):
    make_notebook(tiny_project / "notebooks" / "01_satu.ipynb", [("md", "# Satu"), PARAMS])
    assert main(["report", "--notebooks", "05"]) == 2
    assert "no notebook '05'" in capsys.readouterr().err
    assert main(["report", "--data", str(tmp_path / "tidak_ada")]) == 2
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "laporan.docx").write_text("x", encoding="utf-8")
    assert main(["report", "--data", str(tmp_path / "laporan.docx"), "--no-progress"]) == 2
    assert "cannot be read" in capsys.readouterr().err
    assert not (tiny_project / "reports").exists()


# --- lab and app ----------------------------------------------------------------------------------


def test_app_without_notebook_07_is_an_error(tiny_project, capsys):
    assert main(["app"]) == 2
    assert "notebook 07" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(args: list[str], url: str, *, timeout: float = 90) -> str:
    """Start ``kinerja ARGS``, return the body of ``url`` once it answers, then stop the server."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "kinerja_analysis", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, so the server it starts is stopped with it
    )
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"kinerja {args[0]} exited with {proc.returncode}: {proc.stderr.read().decode()}")
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    return response.read().decode("utf-8")
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        pytest.fail(f"{url} did not answer within {timeout} s")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        proc.stderr.close()


@pytest.mark.slow
def test_app_serves_notebook_07_with_voila(tiny_project, make_notebook, jupyter_env):
    make_notebook(
        tiny_project / "notebooks" / "07_whatif.ipynb",
        [("md", "# Aplikasi uji"), ("code", "print('skenario', 40 + 2)")],
    )
    port = _free_port()
    page = _serve(["app", "--no-browser", f"--port={port}"], f"http://127.0.0.1:{port}/")
    assert "Aplikasi uji" in page and "skenario 42" in page


@pytest.mark.slow
def test_lab_serves_the_notebooks_folder(tiny_project, make_notebook, jupyter_env, monkeypatch):
    make_notebook(tiny_project / "notebooks" / "01_satu.ipynb", [("md", "# Satu")])
    monkeypatch.setenv("JUPYTER_TOKEN", "uji-token")
    port = _free_port()
    body = _serve(["lab", "--no-browser", f"--port={port}"], f"http://127.0.0.1:{port}/api/contents?token=uji-token")
    assert [item["name"] for item in json.loads(body)["content"]] == ["01_satu.ipynb"]


@pytest.mark.slow
def test_report_pdf_prints_the_named_notebook(tiny_project, make_notebook, jupyter_env):
    import shutil

    from pypdf import PdfReader

    if shutil.which("chromium") is None and os.environ.get("CI", "").lower() != "true":
        pytest.skip("PDF printing needs Chromium (apt-get install -y chromium)")
    make_notebook(tiny_project / "notebooks" / "01_satu.ipynb", [("md", "# Satu\n\nRingkasan"), PARAMS])
    make_notebook(tiny_project / "notebooks" / "02_dua.ipynb", [("md", "# Dua"), PARAMS])
    env = dict(os.environ)
    done = _kinerja("report", "--notebooks", "02", "--pdf", "--pdf-notebook", "01", "--no-progress", env=env)
    assert done.returncode == 0, done.stderr
    pdf = tiny_project / "reports" / "01_satu.pdf"
    assert pdf.read_bytes()[:4] == b"%PDF"
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "DATA SINTETIS" in text and "Ringkasan" in text
    missing = _kinerja("report", "--pdf", "--no-progress", env=env)  # no notebook 00 in this project
    assert missing.returncode == 2 and "no notebook '00' to print" in missing.stderr


# --- validate --day-first -------------------------------------------------------------------------

AMBIGUOUS_DATES = "nip;tanggal;tingkat\n198609262015051001;03/05/2024;ringan\n199001012015051002;04/06/2024;berat\n"


@pytest.mark.parametrize(
    ("choice", "code", "read_as"),
    [("yes", 0, "day/month/year"), ("no", 0, "month/day/year"), ("auto", 1, "order not known")],
)
def test_validate_day_first_chooses_how_ambiguous_dates_are_read(tmp_path, capsys, choice, code, read_as):
    (tmp_path / "disiplin.csv").write_text(AMBIGUOUS_DATES, encoding="utf-8")
    saved = tmp_path / "ditolak.csv"
    assert main(["validate", str(tmp_path), "--day-first", choice, "--rejected-out", str(saved)]) == code
    out = capsys.readouterr().out
    assert f"disiplin.tanggal: dates in numbers{': ' if choice == 'auto' else ' read '}{read_as}" in out
    rejected = pd.read_csv(saved, dtype=str)
    if choice == "auto":  # no date in the column shows the order: both rows are rejected, with the way out
        assert rejected["row"].tolist() == ["2", "3"]
        assert (rejected["check"] == "type").all()
        assert rejected["reason"].str.contains("--day-first yes").all()
    else:
        assert rejected.empty
