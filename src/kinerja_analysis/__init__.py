"""kinerja-analysis: evaluating performance management of Indonesian civil servants (ASN).

Importing the package has no side effects: it reads no files, sets no global state and logs nothing.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from kinerja_analysis import paths
from kinerja_analysis.common.errors import (
    FileFormatError,
    InvalidOptionError,
    KinerjaDataError,
    MissingColumnError,
    MissingTableError,
    UnknownTableError,
)
from kinerja_analysis.data import schema
from kinerja_analysis.data.dataset import Dataset
from kinerja_analysis.data.io import load_dataset
from kinerja_analysis.data.nip import parse_nip

try:
    __version__ = version("kinerja-analysis")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"

__all__ = [
    "__version__",
    "paths",
    "schema",
    "Dataset",
    "load_dataset",
    "parse_nip",
    "KinerjaDataError",
    "FileFormatError",
    "MissingColumnError",
    "MissingTableError",
    "UnknownTableError",
    "InvalidOptionError",
]
