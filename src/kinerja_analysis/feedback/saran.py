"""What the free-text ``saran`` talks about: topic counts from a small, documented Indonesian keyword list.

A suggestion mentions a topic when it contains one of the topic's patterns (case-insensitive, matched
at the start of a word, so "antre" also finds "antrean" and "mengantre" is not found; affixed forms that
matter are listed). Counting is about *mentions*: "pelayanan cepat, terima kasih" mentions waktu
pelayanan as much as "antrean terlalu lama" does; sentiment is not judged. One suggestion can mention
several topics. Answers that say nothing ("-", "tidak ada", "nihil") are not counted as suggestions.

The topics follow the nine items of PermenPANRB 14/2017 where they can (``item`` in the result), plus
``apresiasi`` for thanks and praise:

============================  ====  ==================================================================
topic                         item  patterns (regular expressions, each at a word start)
============================  ====  ==================================================================
persyaratan                   u1    syarat, persyaratan, berkas, dokumen, formulir, blanko
prosedur                      u2    prosedur, alur, mekanisme, berbelit, ribet, rumit, daring, online,
                                    aplikasi, sistem
waktu_pelayanan               u3    waktu, lama, lambat, cepat, percepat, dipercepat, antri, antre,
                                    mengantri, mengantre, tunggu / menunggu (not "ruang tunggu"), jam
biaya                         u4    biaya, bayar, pungli, pungutan, tarif, gratis, mahal, uang, retribusi
kompetensi_petugas            u6    kompeten, paham, memahami, menguasai, terampil, cekatan, profesional
perilaku_petugas              u7    ramah, sopan, judes, jutek, ketus, kasar, senyum, sombong, sigap,
                                    disiplin, "tidak ada di tempat", "tidak di tempat"
pengaduan                     u8    pengaduan, aduan, keluhan, "kotak saran", tanggapan
sarana_prasarana              u9    ruang, kursi, toilet, wc, parkir, ac, kipas, bersih, kotor, fasilitas,
                                    sarana, prasarana, gedung, "tempat duduk"
apresiasi                           "terima kasih", terimakasih, pertahankan, "sudah baik", puas,
                                    memuaskan, mantap
============================  ====  ==================================================================

Pass your own ``topics`` (name -> patterns) to extend or replace the list; the default is
:data:`SARAN_TOPICS`. Short words are matched whole (``jam`` is not ``jaminan``, ``ac`` not ``acara``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from kinerja_analysis.common.errors import InvalidOptionError, MissingColumnError
from kinerja_analysis.common.options import check_alpha
from kinerja_analysis.feedback.survey_frame import (
    SurveiInput,
    as_by,
    as_relation,
    group_exprs,
    quote,
    restore_key_dtypes,
)

__all__ = ["SARAN_TOPICS", "TOPIC_ITEMS", "match_topics", "saran_topics"]

SARAN_TOPICS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "persyaratan": (r"syarat\w*", r"persyaratan", r"berkas", r"dokumen", r"formulir", r"blanko"),
    "prosedur": (r"prosedur", r"alur", r"mekanisme", r"berbelit\w*", r"ribet", r"rumit", r"daring", r"online",
                 r"aplikasi", r"sistem"),
    "waktu_pelayanan": (r"waktu", r"lama\b", r"lambat", r"cepat", r"percepat", r"dipercepat", r"antri\w*", r"antre\w*",
                        r"mengantr\w*", r"(?<!ruang )(?:me)?nunggu", r"(?<!ruang )tunggu", r"jam\b"),
    "biaya": (r"biaya", r"bayar\w*", r"pungli", r"pungutan", r"tarif", r"gratis", r"mahal", r"uang\b", r"retribusi"),
    "kompetensi_petugas": (r"kompeten\w*", r"paham", r"memahami", r"menguasai", r"terampil", r"cekatan",
                           r"profesional"),
    "perilaku_petugas": (r"ramah", r"sopan", r"judes", r"jutek", r"ketus", r"kasar", r"senyum", r"sombong", r"sigap",
                         r"disiplin", r"tidak ada di tempat", r"tidak di tempat"),
    "pengaduan": (r"pengaduan", r"aduan", r"keluhan", r"kotak saran", r"tanggapan"),
    "sarana_prasarana": (r"ruang\w*", r"kursi", r"toilet", r"wc\b", r"parkir", r"ac\b", r"kipas", r"bersih\w*",
                         r"kotor", r"fasilitas", r"sarana", r"prasarana", r"gedung", r"tempat duduk"),
    "apresiasi": (r"terima kasih", r"terimakasih", r"pertahankan", r"sudah baik", r"puas", r"memuaskan", r"mantap"),
})  # fmt: skip
"""Default topics: name -> regular expressions matched at a word start (see the module docstring)."""

TOPIC_ITEMS: Mapping[str, str] = MappingProxyType({
    "persyaratan": "u1", "prosedur": "u2", "waktu_pelayanan": "u3", "biaya": "u4", "kompetensi_petugas": "u6",
    "perilaku_petugas": "u7", "pengaduan": "u8", "sarana_prasarana": "u9",
})  # fmt: skip
"""The survey item (unsur) each default topic speaks to."""

_NOTHING = re.compile(r"^\W*(?:-+|tidak ada(?: saran)?|tidak|nihil|none|no|tdk ada|ok)?\W*$")


def _compile(topics: Mapping[str, Sequence[str]]) -> dict[str, re.Pattern[str]]:
    if not isinstance(topics, Mapping) or not topics:
        raise InvalidOptionError("topics must map topic names to lists of patterns.")
    out = {}
    for name, patterns in topics.items():
        if isinstance(patterns, str) or not patterns:
            raise InvalidOptionError(f"topics[{name!r}] must be a list of patterns, not {patterns!r}.")
        try:
            out[str(name)] = re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in patterns) + ")")
        except re.error as error:
            raise InvalidOptionError(
                f"topics[{name!r}]: a pattern is not a valid regular expression ({error})."
            ) from error
    return out


def match_topics(
    texts: Sequence[object] | pd.Series, *, topics: Mapping[str, Sequence[str]] | None = None
) -> pd.DataFrame:
    """Which topics each text mentions.

    Parameters
    ----------
    texts
        Suggestions (missing values allowed).
    topics
        Topic name -> patterns; default :data:`SARAN_TOPICS`.

    Returns
    -------
    One row per text (same index for a Series): ``is_saran`` (the text says something) and one boolean
    column per topic.

    Examples
    --------
    >>> match_topics(["Antrean terlalu lama.", "Ruang tunggu perlu ditambah kursi.", "-"])[
    ...     ["is_saran", "waktu_pelayanan", "sarana_prasarana"]]
       is_saran  waktu_pelayanan  sarana_prasarana
    0      True             True             False
    1      True            False              True
    2     False            False             False
    """
    compiled = _compile(SARAN_TOPICS if topics is None else topics)
    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype="object")
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    lowered = [re.sub(r"\s+", " ", str(u).lower()).strip() for u in uniques]
    said = np.array([not _NOTHING.match(t) for t in lowered], dtype=bool)
    flags = {name: np.array([bool(rx.search(t)) for t in lowered], dtype=bool) & said for name, rx in compiled.items()}
    present = codes >= 0
    out = pd.DataFrame(index=series.index)
    out["is_saran"] = np.where(present, said[np.maximum(codes, 0)] if len(said) else False, False)
    for name, values in flags.items():
        out[name] = np.where(present, values[np.maximum(codes, 0)] if len(values) else False, False)
    return out


def saran_topics(
    survei: SurveiInput,
    *,
    by: str | Sequence[str] | None = None,
    topics: Mapping[str, Sequence[str]] | None = None,
    alpha: float = 0.05,
    column: str = "saran",
    date_column: str = "tanggal",
) -> pd.DataFrame:
    """How many suggestions mention each topic, per group, with the share and its Wilson interval.

    DuckDB counts the responses per group and distinct text; each distinct text is then matched once in
    Python (:func:`match_topics`) and the counts are added up per group.

    Parameters
    ----------
    survei
        The ``survei`` table with the free-text column. Not modified.
    by
        Grouping columns (``tahun`` etc. derived from ``date_column``); None pools the table.
    topics
        Topic name -> patterns; default :data:`SARAN_TOPICS`.
    alpha
        1 - confidence level of the Wilson interval of each share.
    column
        The free-text column (``saran``).
    date_column
        Date of the response, for derived period keys.

    Returns
    -------
    One row per group and topic: the keys, ``topic``, ``item`` (the survey item it speaks to, or ""),
    ``responses`` (all responses), ``n`` (responses with a suggestion), ``mentions``, ``estimate``
    (mentions / n), ``ci_low``, ``ci_high`` and ``method``. Texts themselves are never returned.

    Examples
    --------
    >>> s = pd.DataFrame({"saran": ["Antrean terlalu lama.", "Petugas agar lebih ramah.", None, "Waktu dipercepat"]})
    >>> r = saran_topics(s)
    >>> r.loc[r["topic"].isin(["waktu_pelayanan", "perilaku_petugas"]), ["topic", "item", "n", "mentions"]]
                  topic item  n  mentions
    2   waktu_pelayanan   u3  3         2
    5  perilaku_petugas   u7  3         1
    """
    alpha = check_alpha(alpha)
    chosen = SARAN_TOPICS if topics is None else topics
    compiled_check = match_topics([], topics=chosen)  # refuse bad patterns before scanning
    names = [c for c in compiled_check.columns if c != "is_saran"]
    keys = as_by(by)
    with as_relation(survei, table="survei") as (rel, frame):
        columns = dict(zip(rel.columns, (str(t) for t in rel.types), strict=True))
        if column not in columns:
            raise MissingColumnError(f"survei: no free-text column {column!r}.")
        key_sql = group_exprs(columns, keys, date_column=date_column)
        names_sql = [quote(k) for k in keys]
        select = ", ".join([*key_sql, f"CAST({quote(column)} AS VARCHAR) AS _text"])
        group = ", ".join([*names_sql, "_text"])
        # one row per group and distinct text: matching runs once per text, counting stays in the engine
        texts = rel.query(
            "survei", f"SELECT {group}, count(*) AS _n FROM (SELECT {select} FROM survei) GROUP BY {group}"
        ).df()
    texts = restore_key_dtypes(texts, frame, keys)
    flags = match_topics(texts["_text"], topics=chosen)
    weights = texts["_n"].to_numpy(dtype=np.int64)
    tally = pd.DataFrame({"responses": weights, "_f0": flags["is_saran"].to_numpy() * weights})
    for i, name in enumerate(names, start=1):
        tally[f"_f{i}"] = flags[name].to_numpy() * weights
    if keys:
        tally = pd.concat([texts[list(keys)], tally], axis=1)
        counts = tally.groupby(list(keys), dropna=False, sort=True, observed=True).sum().reset_index()
    else:
        counts = tally.sum().to_frame().T
    parts = []
    for i, name in enumerate(names, start=1):
        part = counts[list(keys)].copy()
        part["topic"] = name
        part["item"] = TOPIC_ITEMS.get(name, "") if topics is None else ""
        part["responses"] = counts["responses"].astype(np.int64).to_numpy()
        part["n"] = counts["_f0"].astype(np.int64).to_numpy()
        part["mentions"] = counts[f"_f{i}"].astype(np.int64).to_numpy()
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    n, k = out["n"].to_numpy(), out["mentions"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        out["estimate"] = np.where(n > 0, k / np.where(n > 0, n, 1), np.nan)
    low, high = proportion_confint(k, np.where(n > 0, n, 1), alpha=alpha, method="wilson")
    out["ci_low"] = np.where(n > 0, low, np.nan)
    out["ci_high"] = np.where(n > 0, high, np.nan)
    source = "default keyword list (saran_topics.SARAN_TOPICS)" if topics is None else "caller's keyword list"
    out["method"] = f"share of suggestions mentioning the topic, {source}; Wilson {1 - alpha:.0%}"
    if keys:
        out["_order"] = np.tile(np.arange(len(counts)), len(names))
        out = out.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
    return out
