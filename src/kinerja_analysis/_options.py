"""One helper that checks closed sets of options, so every such error reads the same."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .errors import InvalidOptionError


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
