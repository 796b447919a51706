"""Personal data in outputs: keyed pseudonyms, small-cell suppression and a leak finder.

UU 27/2022 (Pelindungan Data Pribadi) treats a NIP and a name as personal data, and the NIP itself
reveals a birth date, an appointment month and a sex (DOMAIN.md sections 1 and 7). Published outputs
therefore never show either: analyses that need a stable person identifier use :func:`pseudonymize`,
group statistics about people go through :func:`suppress_small_cells`, and the report tests scan
every page with :func:`find_personal_data`.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import os
import re
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError

__all__ = [
    "KEY_ENV_VAR",
    "pseudonym_key_path",
    "load_pseudonym_key",
    "pseudonymize",
    "suppress_small_cells",
    "EFFECT_COLUMNS",
    "withhold_small_effects",
    "find_personal_data",
]

KEY_ENV_VAR = "KINERJA_PSEUDONYM_KEY"
"""Environment variable holding the pseudonym key (text, at least 16 characters)."""

_MIN_KEY_BYTES = 16
# Numeric columns that name a group rather than measure it: kept when a row is suppressed.
_GROUP_LIKE = frozenset({"tahun", "bulan", "triwulan", "semester", "periode", "box"})


def pseudonym_key_path() -> Path:
    """Where the pseudonym key file lives: ``$XDG_CONFIG_HOME/kinerja-analysis/pseudonym.key``.

    Without ``XDG_CONFIG_HOME`` the folder is ``~/.config``. The file is outside the repository on
    purpose: a key committed beside the data would let anyone with the repository undo the pseudonyms.
    """
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "kinerja-analysis" / "pseudonym.key"


def load_pseudonym_key() -> bytes:
    """The pseudonym key: ``$KINERJA_PSEUDONYM_KEY`` if set, else the key file, created on first use.

    A new key file holds 32 random bytes (``secrets.token_bytes``) written as hex, with mode 0600 in a
    folder with mode 0700. Keep a copy of it somewhere safe: pseudonyms made with a lost key cannot be
    linked to new ones.
    """
    env = os.environ.get(KEY_ENV_VAR)
    if env is not None:
        return _check_key(env.encode("utf-8"), source=f"${KEY_ENV_VAR}")
    path = pseudonym_key_path()
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            # O_EXCL: if two processes race to create the key, exactly one wins and both use its key.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(secrets.token_bytes(32).hex() + "\n")
    text = path.read_text(encoding="ascii").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise KinerjaDataError(
            f"The pseudonym key file {path} is not hex text. Restore it from your copy, or delete it to "
            "start a new key (pseudonyms made with the old key will no longer match)."
        ) from None
    return _check_key(key, source=str(path))


def _check_key(key: bytes, *, source: str) -> bytes:
    if len(key) < _MIN_KEY_BYTES:
        raise InvalidOptionError(
            f"The pseudonym key from {source} has {len(key)} bytes; use at least {_MIN_KEY_BYTES} "
            "(a short key can be guessed, which makes the pseudonyms reversible)."
        )
    return key


def pseudonymize(nips: pd.Series | Iterable[object], *, key: bytes | str | None = None, length: int = 12) -> pd.Series:
    """Replace NIPs by keyed pseudonyms: the first ``length`` hex digits of HMAC-SHA256(key, nip).

    Why a key: a plain hash of a NIP is reversible. The NIP is ``YYYYMMDD`` birth date, ``YYYYMM``
    appointment month, a sex digit and a 3-digit serial, so all plausible NIPs number about
    16,000 birth dates x 500 appointment months x 2 x 1,000 serials, roughly 1.6e10, and far fewer once
    appointment at 18 or older is required. One GPU computes about 1e10 SHA-256 hashes a second, so
    every plain-hashed NIP falls in seconds; someone who knows a person's birth date and appointment
    month (both often public) needs only 2,000 guesses. With HMAC the guesser also needs the key
    (32 random bytes, 2**256 possibilities), so the same search is hopeless.

    Parameters
    ----------
    nips
        NIPs as text (or as integers, read as their digits). Missing values stay missing.
    key
        The secret key; by default :func:`load_pseudonym_key` (``$KINERJA_PSEUDONYM_KEY`` or the key file
        outside the repository). Text is encoded as UTF-8. At least 16 bytes.
    length
        Hex digits kept, 8 to 64. Twelve digits (48 bits) make a collision unlikely for a region; for
        national data (4.3 million ASN) use 16, since 12 digits give about a 3% chance of one collision.

    Returns
    -------
    Series named ``pseudonim`` with the input's index, dtype ``str``. The same NIP and key always give
    the same pseudonym; another key gives unrelated ones.

    Raises
    ------
    KinerjaDataError
        If a value is neither text nor an integer (a float NIP has lost digits), or two different NIPs
        share a pseudonym at this length (use a larger ``length``).

    Examples
    --------
    >>> pseudonymize(["198609262015051001"], key="contoh-kunci-rahasia-16").tolist()
    ['ab90780445a6']
    """
    if isinstance(length, bool) or not isinstance(length, int) or not 8 <= length <= 64:
        raise InvalidOptionError(f"length={length!r} is not allowed; choose an integer from 8 to 64.")
    if key is None:
        secret = load_pseudonym_key()
    else:
        secret = _check_key(key.encode("utf-8") if isinstance(key, str) else bytes(key), source="the key argument")
    series = nips if isinstance(nips, pd.Series) else pd.Series(list(nips), dtype="object")
    present = series.notna()
    texts = series[present].map(_nip_text)
    bad = texts.isna()
    if bad.any():
        rows = ", ".join(str(i) for i in texts.index[bad][:10])
        raise KinerjaDataError(
            f"pseudonymize: values that are neither text nor integers at rows {rows}. A NIP read as a "
            "float has lost its last digits; read the column as text (dtype=str) and try again."
        )
    digests = {t: hmac.new(secret, t.encode("utf-8"), hashlib.sha256).hexdigest()[:length] for t in set(texts)}
    if len(set(digests.values())) < len(digests):
        raise KinerjaDataError(
            f"pseudonymize: two different NIPs share a {length}-digit pseudonym; use a larger length."
        )
    out = pd.Series(pd.NA, index=series.index, dtype="str", name="pseudonim")
    out[present] = texts.map(digests).astype("str")
    return out


def _nip_text(value: object) -> str | None:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return str(int(value))
    return None


def suppress_small_cells(
    table: pd.DataFrame,
    *,
    n: str = "n",
    min_n: int = 10,
    columns: Sequence[str] | None = None,
    complement: bool | Sequence[str] = False,
) -> pd.DataFrame:
    """Hide the statistics of groups with fewer than ``min_n`` people.

    Rows are never dropped: a reader must see that a group exists and that its numbers were withheld,
    otherwise a missing row reads as "no such people" and totals silently stop adding up. Only the
    statistics of a small group are set to missing, and a ``suppressed`` column says which rows.
    With ``complement``, complementary suppression is done as well: where the cells of a table (or of
    each group of rows with equal ``complement`` columns) add up to a total a reader knows or can work
    out (a share next to its count gives the total away), one hidden cell could be recovered as the
    total minus the others. So more cells are hidden, smallest first, until each group hides at least two
    cells holding at least ``min_n`` people together, or nothing is left to hide. Cross-table
    disclosure (a margin published in another table) is not checked.

    Parameters
    ----------
    table
        A tidy table with one row per group and a count column ``n``. It is not modified.
    n
        The column holding the group size. A missing size counts as small.
    min_n
        The minimum group size shown (UU 27/2022 sets none; 10 is the project's default, DOMAIN.md 7).
    columns
        The statistic columns to hide. By default every numeric column except the grouping columns,
        ``n`` included (a count of 1 to 9 in a named group already says something about those people).
        Grouping columns are the non-numeric and boolean ones and the time or box keys
        ``tahun``, ``bulan``, ``triwulan``, ``semester``, ``periode`` and ``box``.
    complement
        False (default): primary suppression only. True: the whole table is one set of cells adding to
        a total. A list of columns: each group of rows with equal values there adds to its own total.

    Returns
    -------
    A copy with the statistic columns missing where ``n < min_n`` (integer columns become nullable
    ``Int64``) and a boolean column ``suppressed``.

    Examples
    --------
    >>> t = pd.DataFrame({"unit_id": ["A", "B"], "n": [12, 4], "estimate": [0.5, 0.25]})
    >>> suppress_small_cells(t, min_n=10)
      unit_id     n  estimate  suppressed
    0       A    12       0.5       False
    1       B  <NA>       NaN        True

    With the total known, B = total - A; complementary suppression hides A too:

    >>> suppress_small_cells(t, min_n=10, complement=True)["suppressed"].tolist()
    [True, True]
    """
    if isinstance(min_n, bool) or not isinstance(min_n, (int, np.integer)) or min_n < 1:
        raise InvalidOptionError(f"min_n={min_n!r} is not allowed; choose a positive integer.")
    if n not in table.columns:
        raise MissingColumnError(
            f"suppress_small_cells: the table has no count column {n!r}; name it with n=... "
            f"(columns are {', '.join(map(str, table.columns))})."
        )
    if "suppressed" in table.columns:
        raise KinerjaDataError(
            "suppress_small_cells: the table already has a 'suppressed' column; it was suppressed once."
        )
    if columns is None:
        targets = [c for c in table.columns if _is_statistic(table[c], str(c))]
    else:
        targets = list(columns)
        unknown = [c for c in targets if c not in table.columns]
        if unknown:
            raise MissingColumnError(
                f"suppress_small_cells: no column(s) {', '.join(map(repr, unknown))} in the table."
            )
    sizes = pd.to_numeric(table[n], errors="coerce")
    small = (sizes < min_n).fillna(True).astype(bool)
    if complement is not False:
        small = _complementary(table, sizes, small, min_n=min_n, by=[] if complement is True else list(complement))
    out = table.copy()
    for col in targets:
        values = out[col]
        if isinstance(values.dtype, np.dtype) and values.dtype.kind in "iu":
            values = values.astype("Int64")  # numpy integers cannot hold a missing value
        out[col] = values.mask(small)
    out["suppressed"] = small.to_numpy(copy=True)
    return out


EFFECT_COLUMNS: tuple[str, ...] = ("estimate", "std_error", "ci_low", "ci_high", "p_value", "p_adjusted", "att",
                                   "att_std_error")  # fmt: skip
"""The statistics of an effect estimate that are withheld together when it rests on too few people."""


def withhold_small_effects(table: pd.DataFrame, *, n: str = "n_treated", min_n: int = 10) -> pd.DataFrame:
    """The one rule for publishing effect estimates: withhold those resting on fewer than ``min_n`` treated people.

    Every notebook and scenario that shows an effect (training ATT per sector, provider or topic; the
    what-if projections built on them) passes it through here, so an estimate withheld in one report is
    withheld in all. The row stays, with its statistics (:data:`EFFECT_COLUMNS` present in ``table``)
    missing and ``suppressed`` True; counts stay visible (they are counts of treated people in groups that
    are already public, not statistics about them).

    >>> t = pd.DataFrame({"level": ["a", "b"], "n_treated": [40, 6], "estimate": [-0.5, -0.2]})
    >>> withhold_small_effects(t)[["level", "estimate", "suppressed"]]
      level  estimate  suppressed
    0     a      -0.5       False
    1     b       NaN        True
    """
    columns = [c for c in EFFECT_COLUMNS if c in table.columns]
    return suppress_small_cells(table, n=n, min_n=min_n, columns=columns)


def _complementary(table: pd.DataFrame, sizes: pd.Series, small: pd.Series, *, min_n: int, by: list[str]) -> pd.Series:
    """Grow each group's hidden cells, smallest first, until at least two hide at least min_n people."""
    missing = [c for c in by if c not in table.columns]
    if missing:
        raise MissingColumnError(f"suppress_small_cells: complement names unknown column(s) {missing}.")
    hidden = small.to_numpy(copy=True)
    counts = sizes.fillna(0).to_numpy(dtype="float64")
    groups = [np.arange(len(table))] if not by else list(table.groupby(by, sort=False, observed=True).indices.values())
    for rows in groups:
        rows = np.asarray(rows)
        if not hidden[rows].any():
            continue
        # Shown cells, smallest first; ties broken by position so the result does not depend on sorting.
        order = rows[np.lexsort((rows, counts[rows]))]
        for row in order:
            group_hidden = hidden[rows]
            if group_hidden.sum() >= 2 and counts[rows][group_hidden].sum() >= min_n:
                break
            hidden[row] = True
    return pd.Series(hidden, index=table.index)


def _is_statistic(values: pd.Series, name: str) -> bool:
    if name in _GROUP_LIKE or pd.api.types.is_bool_dtype(values.dtype):
        return False
    return pd.api.types.is_numeric_dtype(values.dtype)


_NIP_PATTERNS = (
    re.compile(r"(?<!\d)\d{18}(?!\d)"),
    # The printed form on SK and ID cards: 19860926 201505 1 001.
    re.compile(r"(?<!\d)\d{8}[ .-]\d{6}[ .-]\d[ .-]\d{3}(?!\d)"),
)


def find_personal_data(text: str, *, names: Iterable[str] = (), public: Iterable[str] = ()) -> list[str]:
    """The NIP-like numbers and the given ``names`` that occur in ``text``, in order of appearance.

    A NIP-like number is 18 digits not inside a longer run of digits, written plainly or in the printed
    form ``19860926 201505 1 001``. A name matches as a whole (case and runs of spaces ignored, not as
    part of a longer word), so the name "Putri Lestari" is found but the kelurahan "Talang Putri" is not.
    HTML entities are decoded and compatibility characters folded (NFKC: PDF ligatures such as "ﬁ"
    become "fi") first, so the function can scan report pages and text extracted from PDFs directly.

    Single-word names are common in Indonesia and may also be part of a place's name (an employee
    called "Putri" and the kelurahan "Talang Putri"). ``public`` lists such published phrases (unit and
    kelurahan names); their occurrences are blanked before names are searched, so a place is not taken
    for a person while the same word elsewhere still is.

    >>> text = "Pegawai 198609262015051001 (ANI  susanti) di Talang Putri"
    >>> find_personal_data(text, names=["Ani Susanti", "Putri Ayu"])
    ['198609262015051001', 'ANI  susanti']
    >>> find_personal_data("Kelurahan Talang Putri; Putri hadir", names=["Putri"], public=["Talang Putri"])
    ['Putri']
    >>> find_personal_data("Kelurahan Talang Putri", names=["Putri"], public=["Talang Putri"])
    []
    """
    # NFKC undoes what PDF printers do to text: the ligature "ﬁ" in "Saﬁtri" becomes "fi" again.
    plain = unicodedata.normalize("NFKC", html.unescape(text))
    for phrase in sorted({" ".join(str(p).split()) for p in public if str(p).strip()}, key=len, reverse=True):
        words = r"\s+".join(re.escape(w) for w in phrase.split(" "))
        # same length, so positions (and the order of findings) do not move
        plain = re.sub(rf"(?<!\w){words}(?!\w)", lambda m: " " * len(m.group()), plain, flags=re.IGNORECASE)
    found: list[tuple[int, str]] = []
    for pattern in _NIP_PATTERNS:
        found += [(m.start(), m.group()) for m in pattern.finditer(plain)]
    for name in {" ".join(str(nm).split()) for nm in names}:
        if len(name) < 3:  # "Al" or an initial would match everywhere and is no identification alone
            continue
        words = r"\s+".join(re.escape(w) for w in name.split(" "))
        pattern = re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)
        found += [(m.start(), m.group()) for m in pattern.finditer(plain)]
    seen: dict[str, None] = {}
    for _, value in sorted(found):
        seen.setdefault(value, None)
    return list(seen)
