"""Keyed pseudonyms, small-cell suppression and the personal-data finder (DOMAIN.md section 7)."""

from __future__ import annotations

import hashlib
import hmac
import stat

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.common.privacy import (
    KEY_ENV_VAR,
    find_personal_data,
    pseudonym_key_path,
    pseudonymize,
    suppress_small_cells,
)

KEY = b"0123456789abcdef-test-key"
NIPS = ["198609262015051001", "199001012019032002", "197512312000121003"]


def _reference(nip: str, key: bytes, length: int = 12) -> str:
    return hmac.new(key, nip.encode("ascii"), hashlib.sha256).hexdigest()[:length]


# --- pseudonymize ---------------------------------------------------------------------------------


def test_pseudonyms_are_hmac_sha256_prefixes():
    got = pseudonymize(pd.Series(NIPS), key=KEY)
    assert got.tolist() == [_reference(n, KEY) for n in NIPS]
    assert got.name == "pseudonim"
    long = pseudonymize(NIPS, key=KEY, length=64)
    assert long.tolist() == [hmac.new(KEY, n.encode(), hashlib.sha256).hexdigest() for n in NIPS]


def test_text_key_is_utf8_and_integers_read_as_digits():
    got = pseudonymize([int(NIPS[0]), np.int64(NIPS[1]), f" {NIPS[2]} "], key=KEY.decode())
    assert got.tolist() == [_reference(n, KEY) for n in NIPS]


def test_same_key_same_pseudonym_other_key_other_pseudonym():
    a = pseudonymize(NIPS, key=KEY)
    b = pseudonymize(list(reversed(NIPS)), key=KEY)
    assert a.tolist() == list(reversed(b.tolist()))
    other = pseudonymize(NIPS, key=b"another-key-of-enough-length")
    assert not set(a) & set(other)


def test_missing_values_stay_missing_index_kept_input_untouched():
    nips = pd.Series([NIPS[0], None, NIPS[1]], index=[10, 20, 30], dtype="str")
    before = nips.copy()
    got = pseudonymize(nips, key=KEY)
    assert got.index.tolist() == [10, 20, 30]
    assert got.isna().tolist() == [False, True, False]
    assert got[30] == _reference(NIPS[1], KEY)
    pd.testing.assert_series_equal(nips, before)


def test_float_nip_is_refused_naming_the_row():
    # 1.98609262015051E+17 is what a spreadsheet leaves of a NIP: the last digits are gone.
    with pytest.raises(KinerjaDataError, match=r"rows 1\b.*dtype=str"):
        pseudonymize(pd.Series([NIPS[0], 1.98609262015051e17], dtype="object"), key=KEY)


@pytest.mark.parametrize("length", [7, 65, 12.0, True])
def test_length_outside_8_to_64_is_refused(length):
    with pytest.raises(InvalidOptionError, match="8 to 64"):
        pseudonymize(NIPS, key=KEY, length=length)


def test_short_key_is_refused():
    with pytest.raises(InvalidOptionError, match="at least 16"):
        pseudonymize(NIPS, key=b"short")


def test_colliding_pseudonyms_are_an_error():
    # Find two NIPs whose 8-hex-digit HMAC prefixes collide, independently of the code under test
    # (32 bits: a collision is expected after about 80,000 values).
    seen: dict[str, str] = {}
    pair = None
    for serial in range(1_000_000):
        nip = f"1986092620150{serial:05d}"
        prefix = _reference(nip, KEY, 8)
        if prefix in seen:
            pair = [seen[prefix], nip]
            break
        seen[prefix] = nip
    assert pair is not None
    with pytest.raises(KinerjaDataError, match="larger length"):
        pseudonymize(pair, key=KEY, length=8)
    assert pseudonymize(pair, key=KEY, length=16).nunique() == 2


def test_key_from_environment(monkeypatch):
    monkeypatch.setenv(KEY_ENV_VAR, KEY.decode())
    assert pseudonymize(NIPS).tolist() == [_reference(n, KEY) for n in NIPS]


def test_key_file_is_created_once_outside_the_repo_with_mode_0600(tmp_path, monkeypatch):
    monkeypatch.delenv(KEY_ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    path = pseudonym_key_path()
    assert path == tmp_path / "config" / "kinerja-analysis" / "pseudonym.key"
    first = pseudonymize(NIPS)
    key = bytes.fromhex(path.read_text().strip())
    assert len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first.tolist() == [_reference(n, key) for n in NIPS]
    assert pseudonymize(NIPS).tolist() == first.tolist()  # reused, not regenerated


def test_a_plain_hash_of_a_nip_is_reversible_by_brute_force():
    # The argument in pseudonymize's docstring, carried out: knowing someone's birth date and
    # appointment month (both often public) leaves 2 sex digits x 999 serials to try.
    secret_nip = "198609262015052137"
    leaked = hashlib.sha256(secret_nip.encode()).hexdigest()
    guesses = (f"19860926201505{sex}{serial:03d}" for sex in (1, 2) for serial in range(1, 1000))
    recovered = [g for g in guesses if hashlib.sha256(g.encode()).hexdigest() == leaked]
    assert recovered == [secret_nip]
    # The published keyed pseudonym matches none of the plain hashes of the same guesses.
    published = pseudonymize([secret_nip], key=KEY, length=64)[0]
    guesses = (f"19860926201505{sex}{serial:03d}" for sex in (1, 2) for serial in range(1, 1000))
    assert all(hashlib.sha256(g.encode()).hexdigest() != published for g in guesses)


# --- suppress_small_cells -------------------------------------------------------------------------


def _groups() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit_id": ["KEL01", "KEL02", "KEL03"],
            "tahun": [2024, 2024, 2024],
            "n": [9, 10, 11],
            "dipilih": [3, 4, 5],
            "estimate": [3 / 9, 0.4, 5 / 11],
            "method": ["wilson", "wilson", "wilson"],
        }
    )


def test_boundary_9_10_11_with_min_n_10():
    table = _groups()
    before = table.copy()
    out = suppress_small_cells(table, min_n=10)
    assert out["suppressed"].tolist() == [True, False, False]
    assert out["n"].isna().tolist() == [True, False, False]
    assert out["dipilih"].isna().tolist() == [True, False, False]
    assert out["estimate"].isna().tolist() == [True, False, False]
    assert out.loc[1:, "estimate"].tolist() == [0.4, 5 / 11]
    assert out.loc[1:, "n"].tolist() == [10, 11]
    # grouping columns and text are kept; no row is dropped; the input is untouched
    assert out["unit_id"].tolist() == ["KEL01", "KEL02", "KEL03"]
    assert out["tahun"].tolist() == [2024] * 3
    assert out["method"].tolist() == ["wilson"] * 3
    assert len(out) == 3
    pd.testing.assert_frame_equal(table, before)


def test_min_n_11_and_named_columns():
    out = suppress_small_cells(_groups(), min_n=11, columns=["estimate"])
    assert out["suppressed"].tolist() == [True, True, False]
    assert out["estimate"].isna().tolist() == [True, True, False]
    assert out["n"].tolist() == [9, 10, 11]  # not named, so shown
    assert out["dipilih"].tolist() == [3, 4, 5]


def test_missing_group_size_counts_as_small_and_other_count_column():
    table = pd.DataFrame({"kelompok": ["a", "b"], "jumlah": [pd.NA, 40], "rate": [0.1, 0.2]})
    table["jumlah"] = table["jumlah"].astype("Int64")
    out = suppress_small_cells(table, n="jumlah")
    assert out["suppressed"].tolist() == [True, False]
    assert out["rate"].isna().tolist() == [True, False]


def test_bad_arguments_are_named():
    with pytest.raises(MissingColumnError, match="'n'"):
        suppress_small_cells(pd.DataFrame({"count": [1]}))
    with pytest.raises(MissingColumnError, match="'nope'"):
        suppress_small_cells(_groups(), columns=["nope"])
    with pytest.raises(InvalidOptionError, match="min_n"):
        suppress_small_cells(_groups(), min_n=0)
    with pytest.raises(KinerjaDataError, match="suppressed once"):
        suppress_small_cells(suppress_small_cells(_groups()))


# --- find_personal_data ---------------------------------------------------------------------------


def test_finds_nips_plain_and_printed_but_not_longer_digit_runs():
    text = "NIP 198609262015051001; SK: 19860926 201505 1 001; kode 1234567890123456789; telp 0711"
    assert find_personal_data(text) == ["198609262015051001", "19860926 201505 1 001"]


def test_finds_whole_names_only_and_decodes_html():
    names = ["Putri Lestari", "Ma'ruf Hidayat", "Al"]
    text = "<td>Kelurahan Talang Putri</td><td>PUTRI   lestari</td><td>Ma&#39;ruf Hidayat</td><td>Alamat</td>"
    assert find_personal_data(text, names=names) == ["PUTRI   lestari", "Ma'ruf Hidayat"]
    assert find_personal_data("Putri Lestariningsih", names=names) == []


def test_complementary_suppression_protects_a_lone_small_cell():
    # Box counts 74, 6, 132, 34: with the total known (a share gives it away), the hidden 6 would be
    # 246 - 74 - 132 - 34. The smallest shown cell (34) is hidden too: 6 + 34 >= 10 in two cells.
    t = pd.DataFrame({"box": [2, 4, 5, 7], "n": [74, 6, 132, 34], "share": [0.3, 0.02, 0.54, 0.14]})
    out = suppress_small_cells(t, min_n=10, complement=True)
    assert out["suppressed"].tolist() == [False, True, False, True]
    assert out["n"].isna().tolist() == [False, True, False, True]


def test_complementary_suppression_works_within_groups_and_keeps_going_until_min_n():
    # Group X: 2 and 3 hidden (5 < 10), so 7 joins them (12 >= 10). Group Y has nothing small.
    t = pd.DataFrame({"g": ["X"] * 4 + ["Y"] * 2, "n": [2, 3, 7, 50, 20, 30]})
    out = suppress_small_cells(t, min_n=10, complement=["g"])
    assert out["suppressed"].tolist() == [True, True, True, False, False, False]
    plain = suppress_small_cells(t, min_n=10)
    assert plain["suppressed"].tolist() == [True, True, True, False, False, False]  # 7 < 10 anyway
    t2 = t.assign(n=[2, 30, 40, 50, 20, 30])
    assert suppress_small_cells(t2, min_n=10, complement=["g"])["suppressed"].tolist() == [
        True,
        True,
        False,
        False,
        False,
        False,
    ]


def test_names_are_found_through_pdf_ligatures():
    assert find_personal_data("Pegawai Citra Saﬁtri", names=["Citra Safitri"]) == ["Citra Safitri"]
