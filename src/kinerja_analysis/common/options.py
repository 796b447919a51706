"""One helper that checks closed sets of options, so every such error reads the same."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kinerja_analysis.common.errors import InvalidOptionError

__all__ = ["check_option", "check_alpha", "check_share"]


def check_option(name: str, value: Any, allowed: Iterable[Any]) -> Any:
    """Return ``value`` if it is one of ``allowed``, else raise naming the allowed values.

    >>> check_option("weight", "exact", ("exact", "0.111", "0.11"))
    'exact'
    """
    allowed = tuple(allowed)
    if value not in allowed:
        choices = ", ".join(repr(a) for a in allowed)
        raise InvalidOptionError(f"{name}={value!r} is not allowed; choose one of {choices}.")
    return value


def check_alpha(alpha: float) -> float:
    """Return ``alpha`` as a float if it is a level strictly between 0 and 0.5, else raise.

    An interval's level is 1 - alpha; alpha of 0.5 or more would give an interval narrower than the
    estimate's own half of the distribution, which no reader means.

    >>> check_alpha(0.05)
    0.05
    """
    if isinstance(alpha, bool) or not isinstance(alpha, int | float) or not 0 < alpha < 0.5:
        raise InvalidOptionError(f"alpha={alpha!r} is not allowed; choose a number between 0 and 0.5 (e.g. 0.05).")
    return float(alpha)


def check_share(name: str, value: float, *, closed: bool = False) -> float:
    """Return ``value`` as a float if it is a share: strictly between 0 and 1, or with ``closed`` from 0 to 1.

    >>> check_share("jp_target", 0.8), check_share("reach", 1, closed=True)
    (0.8, 1.0)
    """
    inside = isinstance(value, int | float) and not isinstance(value, bool)
    inside = inside and (0 <= value <= 1 if closed else 0 < value < 1)
    if not inside:
        span = "between 0 and 1, both included" if closed else "strictly between 0 and 1"
        raise InvalidOptionError(f"{name}={value!r} is not allowed; give a share {span} (e.g. 0.8).")
    return float(value)
