"""Property tests of load_dataset: random pegawai tables with random defects planted in random rows.

For every example: rows read == accepted + rejected; the rejected rows are exactly the defective
rows (every rejected row number points at a planted defect, no good row is rejected, and no defect
is let through); and the accepted rows are the good rows, in order. Date parsing is checked against
Python's own calendar.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kinerja_analysis.data.io import load_dataset
from kinerja_analysis.data.parsing import parse_date, parse_float, parse_int

UNITS = ("U01", "U02", "U03")
DEFECTS = (
    "nip_short",  # 17 digits
    "nip_float",  # scientific notation, as a spreadsheet writes it
    "sex_disagrees",
    "birth_disagrees",
    "not_a_date",
    "golongan_unknown",
    "jabatan_missing",
    "unit_unknown",
    "duplicate",  # takes the NIP of a good row: both rows are defective
)
ALIASES = {"nip": "NIP Baru", "tanggal_lahir": "Tgl. Lahir", "jenis_kelamin": "JK", "golongan": "Gol/Ruang"}


@st.composite
def employees(draw):
    n = draw(st.integers(1, 25))
    rows = []
    for i in range(n):
        born = dt.date(1960, 1, 1) + dt.timedelta(days=draw(st.integers(0, 365 * 40)))
        pppk = draw(st.booleans())
        sex = draw(st.sampled_from("12"))
        year = born.year + draw(st.integers(19, 35))
        if pppk:  # NI PPPK: birth date, year appointed, marker 2, contract count 1-9, sex, serial
            nip = f"{born:%Y%m%d}{year}2{draw(st.integers(1, 9))}{sex}{i + 1:03d}"
            tmt = dt.date(year, draw(st.integers(1, 12)), 1)
        else:
            month = draw(st.integers(1, 12))
            nip = f"{born:%Y%m%d}{year}{month:02d}{sex}{i + 1:03d}"
            tmt = dt.date(year, month, draw(st.integers(1, 28)))
        rows.append({
            "nip": nip,
            "nama": draw(st.sampled_from(["Andi", "Sri", "José", "NA", ""])),
            "status": "pppk" if pppk else "pns",
            "jenis_kelamin": draw(st.sampled_from(["L", "Laki-laki", "pria"] if sex == "1" else ["P", "Perempuan"])),
            "tanggal_lahir": draw(st.sampled_from([f"{born:%Y-%m-%d}", f"{born:%d/%m/%Y}", f"{born:%d-%m-%Y}"])),
            "tmt_cpns": f"{tmt:%Y-%m-%d}",
            "golongan": "IX" if pppk else draw(st.sampled_from(["II/a", "III/b", "3c", "IV/A"])),
            "jenis_jabatan": "fungsional",
            "jabatan": "Analis",
            "pendidikan": draw(st.sampled_from(["S1", "D3", "S-1", "SMA"])),
            "unit_id": draw(st.sampled_from(UNITS)),
        })  # fmt: skip
    kinds = draw(st.lists(st.sampled_from((None, *DEFECTS)), min_size=n, max_size=n))
    return pd.DataFrame(rows, dtype="str"), kinds


def plant(df: pd.DataFrame, kinds: list) -> tuple[pd.DataFrame, set[int]]:
    """Apply each row's defect; return the table and the positions of the defective rows."""
    df = df.copy()
    bad: set[int] = set()
    good = [i for i, k in enumerate(kinds) if k is None]
    for i, kind in enumerate(kinds):
        if kind is None:
            continue
        if kind == "duplicate":
            partners = [j for j in good if j != i]
            if not partners:
                continue
            df.loc[i, "nip"] = df.loc[partners[0], "nip"]
            bad.add(partners[0])
        elif kind == "nip_short":
            df.loc[i, "nip"] = df.loc[i, "nip"][:-1]
        elif kind == "nip_float":
            df.loc[i, "nip"] = f"{float(df.loc[i, 'nip']):.14E}"
        elif kind == "sex_disagrees":
            df.loc[i, "jenis_kelamin"] = "P" if df.loc[i, "nip"][14] == "1" else "L"
        elif kind == "birth_disagrees":
            born = dt.datetime.strptime(df.loc[i, "nip"][:8], "%Y%m%d") + dt.timedelta(days=1)
            df.loc[i, "tanggal_lahir"] = f"{born:%Y-%m-%d}"
        elif kind == "not_a_date":
            df.loc[i, "tanggal_lahir"] = "31/02/1990"
        elif kind == "golongan_unknown":
            df.loc[i, "golongan"] = "V/z"
        elif kind == "jabatan_missing":
            df.loc[i, "jabatan"] = ""
        elif kind == "unit_unknown":
            df.loc[i, "unit_id"] = "ZZZ"
        bad.add(i)
    return df, bad


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=employees(), sep=st.sampled_from([",", ";"]), aliased=st.booleans(), shuffled=st.randoms())
def test_rejected_rows_are_exactly_the_defective_ones(tmp_path_factory, data, sep, aliased, shuffled):
    table, kinds = data
    df, bad = plant(table, kinds)
    columns = list(df.columns)
    shuffled.shuffle(columns)
    out = df[columns].rename(columns=ALIASES if aliased else {})
    folder = tmp_path_factory.mktemp("prop")
    units = {"unit_id": UNITS, "nama_unit": UNITS, "jenis_unit": "sd", "instansi": "Pemkot", "sektor": "pendidikan"}
    pd.DataFrame(units).to_csv(folder / "unit_kerja.csv", index=False)
    out.to_csv(folder / "pegawai.csv", index=False, sep=sep)

    ds = load_dataset(folder)

    acc = ds.accounting.set_index("table").loc["pegawai"]
    assert acc["rows_read"] == len(df) == acc["rows_accepted"] + acc["rows_rejected"]
    rejected_rows = set(ds.rejected.loc[ds.rejected["table"] == "pegawai", "row"])
    assert rejected_rows == {i + 2 for i in bad}
    assert acc["rows_rejected"] == len(bad)
    assert ds.pegawai["nip"].tolist() == df["nip"].drop(index=list(bad)).tolist()


@given(y=st.integers(1890, 2110), m=st.integers(0, 13), d=st.integers(0, 32))
@settings(max_examples=200, deadline=None)
def test_dates_are_valid_exactly_when_the_calendar_says_so(y, m, d):
    try:
        expected = dt.date(y, m, d)
        ok = 1900 <= y <= 2100
    except ValueError:
        expected, ok = None, False
    texts = [f"{y:04d}-{m:02d}-{d:02d}", f"{d:02d}/{m:02d}/{y:04d}", f"{d}-{m}-{y:04d}"]
    parsed = parse_date(pd.Series(texts, dtype="str"))
    assert parsed.bad.tolist() == [not ok] * 3
    if ok:
        assert all(v == pd.Timestamp(expected) for v in parsed.values)


@given(st.lists(st.one_of(st.integers(-(10**12), 10**12), st.decimals(-1e6, 1e6, places=3)), max_size=20))
def test_numbers_read_back_as_written_with_point_or_comma(values):
    texts = [str(v) for v in values] + [str(v).replace(".", ",") for v in values]
    floats = parse_float(pd.Series(texts, dtype="str"))
    assert not floats.bad.any()
    assert floats.values.tolist() == [float(v) for v in values] * 2
    ints = parse_int(pd.Series(texts, dtype="str"))
    whole = [float(v).is_integer() for v in values] * 2
    assert (~ints.bad).tolist() == whole
    got = [x for x, w in zip(ints.values, whole, strict=True) if w]
    assert got == [int(v) for v, w in zip(values * 2, whole, strict=True) if w]
