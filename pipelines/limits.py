"""The limits every extract file is read within: a file that breaks one is rejected, never the process.

Checked before a file is parsed (line lengths and XLSX sizes streamed, in bounded memory), or enforced on
the child process that reads an XLSX. docs/extract-contract.md (section 8) states them; the two environment
variables raise the XLSX reader's ceilings where a machine needs it.
"""

from __future__ import annotations

import os

# One physical line (CSV) or one row (XLSX, its cells together): DuckDB's read_csv limit on a record.
MAX_LINE_BYTES = 2 * 2**20
# Columns in a header: the widest entity has 19, extra columns are allowed and reported; far more is not an
# extract (94,000 columns took the header mapping minutes).
MAX_COLUMNS = 1000
# Excel's own sheet limit: a workbook beyond it was not written by Excel.
MAX_XLSX_ROWS = 1_048_576
# python-calamine builds the used range as a grid of about 32 bytes a cell, empty or not.
MAX_GRID_CELLS = 40_000_000
# The first sheet's XML, decompressed (a few hundred bytes a row in real workbooks).
MAX_SHEET_XML_BYTES = 4 * 2**30
# The XLSX reader's child process: address space and wall time.
DEFAULT_READ_MEMORY_MB = 4096
DEFAULT_READ_SECONDS = 600


def angka(number: int) -> str:
    """A whole number as Indonesian writes it in a message: 1.048.576."""
    return f"{number:,}".replace(",", ".")


# The details of a rejection (BATAS_BACA_TERLAMPAUI) for agencies, the same for CSV and XLSX.
LINE_TOO_LONG = f"ada baris lebih panjang dari {MAX_LINE_BYTES // 2**20} MB"


def too_many_columns(columns: int) -> str:
    return f"baris judul memuat {angka(columns)} kolom; batas {angka(MAX_COLUMNS)}"


def _positive_env(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) <= 0:
        raise ValueError(f"{name} must be a positive whole number, got {value!r}")
    return int(value)


def read_memory_bytes() -> int:
    """PROASN_XLSX_MEMORY_MB: the XLSX reader's address-space ceiling."""
    return _positive_env("PROASN_XLSX_MEMORY_MB", DEFAULT_READ_MEMORY_MB) * 2**20


def read_seconds() -> int:
    """PROASN_XLSX_SECONDS: how long one XLSX may take to read."""
    return _positive_env("PROASN_XLSX_SECONDS", DEFAULT_READ_SECONDS)
