"""The agency pack writer as it was before the packs were staged and written by DuckDB (code of main at
5dc30b0, pipelines/exports.py and pipelines/paket.py): queries per agency, rows in Python, CSV by the csv
module, XLSX by xlsxwriter. Kept only here, as the reference the new writer's files are compared with cell by
cell (tests/test_rekomendasi_paket_profil.py, tests/test_aggregates.py). Do not use it elsewhere."""

import csv
import decimal
import json
import os
from pathlib import Path

import duckdb
import xlsxwriter

from pipelines.contract import ENTITIES, REASONS
from pipelines.exports import PERSON_TABLES, indicator_tables
from pipelines.limits import angka
from pipelines.paket import PRIVATE_FILE, SHEET_ROWS, Table, _plain


def quality_table(con: duckdb.DuckDBPyConnection, kode_instansi: str) -> Table:
    """Every problem in the agency's files: whole-file rejections, quarantined rows (one line per reason)
    and row warnings, each with the Bahasa Indonesia message and how to fix it."""
    header = ["jenis", "tanggal_ekstrak", "berkas", "baris", "nip", "kode_alasan", "kolom", "nilai", "pesan",
              "perbaikan"]  # fmt: skip
    out: list[tuple] = []

    def reason_text(code: str) -> tuple[str, str]:
        reason = REASONS.get(code)
        return (reason.pesan, reason.perbaikan) if reason else ("", "")

    files = con.execute(
        """select tanggal_ekstrak, file_path, alasan, pesan from ingest.ledger
           where kode_instansi = ? and status = 'DITOLAK' order by tanggal_ekstrak desc, file_path""",
        [kode_instansi],
    ).fetchall()
    for tanggal, path, alasan, pesan in files:
        codes = list(json.loads(alasan)) if alasan else []
        for code in codes or [""]:
            text, fix = reason_text(code)
            out.append(("BERKAS_DITOLAK", tanggal, path, None, None, code, None, pesan, text, fix))
    for entity in ENTITIES.values():
        names = entity.column_names
        rows = con.execute(
            f"""select _tanggal_ekstrak, _file_path, _line, _reasons, {", ".join(names)}
                from quarantine.{entity.name} where _kode_instansi = ?
                order by _tanggal_ekstrak desc, _file_path, _line""",
            [kode_instansi],
        ).fetchall()
        for tanggal, path, line, reasons, *values in rows:
            by_column = dict(zip(names, values, strict=True))
            for item in reasons or []:
                code, _, column = item.partition(":")
                text, fix = reason_text(code)
                value = by_column.get(column) if column else None
                out.append(("BARIS_DIKARANTINA", tanggal, path, line, by_column.get("nip"), code, column or None,
                            value, text, fix))  # fmt: skip
    warnings = con.execute(
        """select tanggal_ekstrak, file_path, _line, kode_alasan, kolom, keterangan from ingest.peringatan
           where kode_instansi = ? order by tanggal_ekstrak desc, file_path, _line""",
        [kode_instansi],
    ).fetchall()
    for tanggal, path, line, code, column, detail in warnings:
        text, fix = reason_text(code)
        out.append(("PERINGATAN", tanggal, path, line, None, code, column, detail, text, fix))
    return Table("kualitas_data", header, out)


def pack_tables(
    con: duckdb.DuckDBPyConnection, kode_instansi: str, indicators: dict[str, Table]
) -> list[Table]:
    tables = []
    for name, table, order in PERSON_TABLES:
        columns, rows = _query(
            con, f"select * from {table} where kode_instansi = ? order by {order}", [kode_instansi]
        )
        tables.append(Table(name, columns, rows))
    empty = Table("indikator_instansi", ["indikator", "keterangan", "nilai_instansi", "median_provinsi",
                                         "median_nasional"], [])  # fmt: skip
    tables.append(indicators.get(kode_instansi, empty))
    tables.append(quality_table(con, kode_instansi))
    return tables


def _query(
    con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None
) -> tuple[list[str], list[tuple]]:
    cursor = con.execute(sql, params or [])
    columns = [d[0] for d in cursor.description]
    return columns, cursor.fetchall()


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


def write_reference_pack(con: duckdb.DuckDBPyConnection, folder: Path, kode_instansi: str) -> None:
    """The pack of one agency as the old writer wrote it (without the fingerprint), into `folder`."""
    folder.mkdir(parents=True)
    tables = pack_tables(con, kode_instansi, indicator_tables(con))
    for table in tables:
        write_csv(folder / f"{table.name}.csv", table)
    write_xlsx(folder / f"paket_{kode_instansi}.xlsx", tables)


def read_pack(folder: Path) -> dict:
    """Every file of a pack as its cells: each CSV's rows (header included) and each XLSX sheet's rows, by
    name; the fingerprint left out."""
    from python_calamine import CalamineWorkbook

    cells: dict = {}
    for path in sorted(folder.iterdir()):
        if path.suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                cells[path.name] = list(csv.reader(handle))
        elif path.suffix == ".xlsx":
            workbook = CalamineWorkbook.from_path(str(path))
            cells[path.name] = {n: workbook.get_sheet_by_name(n).to_python() for n in workbook.sheet_names}
    return cells


def assert_same_packs(
    con: duckdb.DuckDBPyConnection, exports: Path, reference: Path, kodes: list[str]
) -> None:
    """The packs under `exports` hold, cell by cell, what the old writer writes for the same agencies."""
    for kode in kodes:
        write_reference_pack(con, reference / kode, kode)
        old, new = read_pack(reference / kode), read_pack(exports / kode)
        assert list(old) == list(new), kode
        for name in old:
            assert new[name] == old[name], (kode, name)
