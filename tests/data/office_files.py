"""Builders of files as offices send them: workbooks with a title block, a logo, merged header cells,
a column-numbering row and a total row; Excel's "Unicode Text" bytes. Used by the loader tests.

The employees are the hand-checked ones of ``test_io_support`` (each NIP agrees with its row).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.drawing.image import Image
from PIL import Image as PILImage

from tests.data.test_io_support import NIPS

TITLE = ("DAFTAR PEGAWAI NEGERI SIPIL", "KECAMATAN PLAJU KOTA PALEMBANG", "Keadaan per 31 Desember 2024")
# Two header rows: "Tanggal" is merged over "Lahir" and "TMT CPNS"; the other headers are merged down.
HEADER_TOP = ["No", "NIP Baru", "Nama", "Status", "L/P", "Tanggal", None, "Gol/Ruang", "Jenis Jabatan", "Jabatan",
              "Pendidikan", "Unit Kerja"]  # fmt: skip
HEADER_SUB = [None, None, None, None, None, "Lahir", "TMT CPNS", None, None, None, None, None]
SEX = {"L": "Laki-laki", "P": "Perempuan"}
JOBS = [
    ("III/b", "pelaksana", "Pengadministrasi Umum", "S1", "U01"),
    ("IV/a", "administrator", "Camat", "S2", "U01"),
    ("III/c", "fungsional", "Dokter Ahli Pertama", "S1", "U03"),
    ("III/a", "fungsional", "Perawat Terampil", "D3", "U03"),
]


def employee_rows() -> list[list[object]]:
    """Four PNS as an office lists them: number, NIP as text, name, ..., unit."""
    out = []
    for i, (nip, (born, tmt, sex, status)) in enumerate(list(NIPS.items())[:4]):
        gol, jenis, jabatan, pendidikan, unit = JOBS[i]
        name = ["Andi", "Sri", "Budi", "Dewi"][i]
        out.append([i + 1, nip, name, status.upper(), SEX[sex], born, tmt, gol, jenis, jabatan, pendidikan, unit])
    return out


def logo(tmp_path: Path) -> Path:
    """A small PNG to anchor as the office's logo."""
    path = tmp_path / "logo_pemkot.png"
    PILImage.new("RGB", (48, 48), (200, 30, 30)).save(path)
    return path


def pegawai_workbook(path: Path, tmp_path: Path, *, rows: list[list[object]] | None = None, footer: bool = True,
                     sheet: str = "Data Pegawai") -> Path:  # fmt: skip
    """A SIASN-like export: logo over merged A1:B3, title in C1:C3, blank row 4, header rows 5-6
    (merged cells), column numbers on row 7, data from row 8, "JUMLAH" after the data and a signature line.
    """
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.merge_cells("A1:B3")
    ws.add_image(Image(str(logo(tmp_path))), "A1")
    for r, text in enumerate(TITLE, start=1):
        ws.cell(r, 3, text)
        ws.merge_cells(start_row=r, start_column=3, end_row=r, end_column=12)
    for j, (top, sub) in enumerate(zip(HEADER_TOP, HEADER_SUB, strict=True), start=1):
        ws.cell(5, j, top)
        ws.cell(6, j, sub)
        if sub is None and top is not None:
            ws.merge_cells(start_row=5, start_column=j, end_row=6, end_column=j)
    ws.merge_cells("F5:G5")
    for j in range(1, 13):
        ws.cell(7, j, j)
    data = employee_rows() if rows is None else rows
    for i, row in enumerate(data):
        for j, value in enumerate(row, start=1):
            ws.cell(8 + i, j, value)
    if footer:
        end = 8 + len(data)
        ws.cell(end, 1, "JUMLAH")
        ws.merge_cells(start_row=end, start_column=1, end_row=end, end_column=2)
        ws.cell(end, 3, len(data))
        ws.cell(end + 2, 10, "Palembang, 2 Januari 2025")
        ws.cell(end + 3, 10, "Camat Plaju")
    book.save(path)
    return path


def unicode_text(rows: list[list[str]]) -> bytes:
    """What Excel's "Save as Unicode Text" writes: UTF-16 LE with a byte-order mark, tabs, CRLF."""
    text = "".join("\t".join(row) + "\r\n" for row in rows)
    return b"\xff\xfe" + text.encode("utf-16-le")
