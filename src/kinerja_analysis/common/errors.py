"""Errors raised for bad input and bad options.

Every error is a ``ValueError`` subclass so that callers can catch them broadly, and every message says
which table, column and rows are wrong and what to do about it. Input checks never use ``assert``.
"""

from __future__ import annotations

__all__ = [
    "KinerjaDataError",
    "FileFormatError",
    "MissingColumnError",
    "MissingTableError",
    "UnknownTableError",
    "InvalidOptionError",
    "ReportError",
]


class KinerjaDataError(ValueError):
    """Base class: the data given cannot be used as it is.

    Parameters
    ----------
    message
        A readable explanation, naming table, column and rows, and what to do.
    rejected
        Optional DataFrame of rejected rows (columns ``table``, ``row``, ``column``, ``value``,
        ``reason``) behind the error, for strict loading.
    """

    def __init__(self, message: str, *, rejected=None) -> None:
        super().__init__(message)
        self.rejected = rejected


class FileFormatError(KinerjaDataError):
    """A file cannot be read: wrong type, empty, undecodable or wrongly delimited."""


class MissingColumnError(KinerjaDataError):
    """A required column is absent from a table."""


class MissingTableError(KinerjaDataError):
    """An analysis needs a table that the dataset does not have."""


class UnknownTableError(KinerjaDataError):
    """A file could not be matched to any canonical table."""


class InvalidOptionError(KinerjaDataError):
    """A keyword option has a value outside its allowed set or range."""


class ReportError(KinerjaDataError):
    """A notebook failed while building reports; the message names the notebook, the cell and the error."""
