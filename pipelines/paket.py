"""Writing agency feedback packs: CSV and XLSX files with formula-like cells escaped, owner-only, each pack
swapped into place whole. Kept apart from the Dagster asset (assets/exports.py) so that the worker
processes that write packs import only this."""

import csv
import datetime as dt
import decimal
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from pipelines.cells import escape_cell
from pipelines.limits import MAX_XLSX_ROWS, angka

PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600
FINGERPRINT_FILE = ".fingerprint"
# Rows one XLSX sheet holds, header included (Excel's limit; tests lower it). A larger table is cut in its
# sheet, under a note that says so; its CSV always holds every row.
SHEET_ROWS = MAX_XLSX_ROWS


@dataclass
class Table:
    name: str  # file stem and sheet name
    columns: list[str]
    rows: list[tuple]


def _plain(value):
    """A value as CSV text (escaped when it is text)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    if isinstance(value, int | float | decimal.Decimal):
        return str(value)
    return escape_cell(str(value))


def write_csv(path: Path, table: Table) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(table.columns)
        writer.writerows([_plain(v) for v in row] for row in table.rows)
    os.chmod(path, PRIVATE_FILE)


def _cut_note(table: Table, shown: int) -> str:
    """The row above the header of a sheet too small for its table, so nobody takes the sheet for all of it."""
    return (
        f"PERHATIAN: tabel ini berisi {angka(len(table.rows))} baris data, tetapi satu lembar Excel hanya "
        f"memuat {angka(SHEET_ROWS)} baris, sehingga lembar ini hanya menampilkan {angka(shown)} baris "
        f"pertama. Data lengkap ada di berkas {table.name}.csv dalam paket ini."
    )


def write_xlsx(path: Path, tables: list[Table]) -> None:
    """One sheet per table. Text is written as text (never a formula or URL), escaped like the CSV."""
    workbook = xlsxwriter.Workbook(
        str(path), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    bold = workbook.add_format({"bold": True})
    for table in tables:
        sheet = workbook.add_worksheet(table.name[:31])
        rows, header = table.rows, 0
        if 1 + len(rows) > SHEET_ROWS:
            rows, header = rows[: SHEET_ROWS - 2], 1  # room for the note row and the header
            sheet.write_string(0, 0, _cut_note(table, len(rows)), bold)
        sheet.write_row(header, 0, table.columns, bold)
        sheet.freeze_panes(header + 1, 0)
        for r, row in enumerate(rows, start=header + 1):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, int | float | decimal.Decimal):
                    sheet.write_number(r, c, float(value))
                else:
                    sheet.write_string(r, c, _plain(value))
    workbook.close()
    os.chmod(path, PRIVATE_FILE)


def _pack_folder(exports_dir: Path, kode_instansi: str) -> Path:
    return exports_dir / "".join(ch for ch in kode_instansi if ch.isalnum())


def written_fingerprint(exports_dir: Path, kode_instansi: str) -> str | None:
    try:
        return (_pack_folder(exports_dir, kode_instansi) / FINGERPRINT_FILE).read_text().strip()
    except OSError:
        return None


def write_pack(exports_dir: Path, kode_instansi: str, tables: list[Table], fingerprint: str = "") -> Path:
    """Write the pack into a private temporary folder, then rename it into exports/<kode_instansi>."""
    target = _pack_folder(exports_dir, kode_instansi)
    safe = target.name
    token = uuid.uuid4().hex
    staging = exports_dir / f".{safe}.{token}.tmp"
    staging.mkdir(mode=PRIVATE_DIR)
    os.chmod(staging, PRIVATE_DIR)  # mkdir's mode is filtered by the umask
    try:
        for table in tables:
            write_csv(staging / f"{table.name}.csv", table)
        write_xlsx(staging / f"paket_{safe}.xlsx", tables)
        if fingerprint:
            (staging / FINGERPRINT_FILE).write_text(fingerprint + "\n")
            os.chmod(staging / FINGERPRINT_FILE, PRIVATE_FILE)
        old = exports_dir / f".{safe}.{token}.old"
        if target.exists():
            os.rename(target, old)
        os.rename(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
