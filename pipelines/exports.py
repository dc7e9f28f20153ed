"""Agency feedback packs: each agency's own people by name, rebuilt after each refresh under
PROASN_HOME/exports/<kode_instansi>/, for the agency's HR unit (BKD/BKPSDM) and BKN only.

A pack holds, as CSV (UTF-8 with BOM, for spreadsheets) and in one XLSX workbook with a sheet each:
- rekomendasi_asn: terbatas.rst_rekomendasi_asn of the agency (NIP, name, what to do next per person);
- kandidat_suksesi: terbatas.rst_kandidat_suksesi of the agency (ranked box 7-9 candidates per post);
- melewati_bup: intermediate.int_melewati_bup of the agency: the people its file still lists whose TMT pensiun is
  on or before tanggal_acuan (no longer active ASN, R4), by name, with what to correct;
- indikator_instansi: the agency's row of mart_indikator_instansi beside the provincial and national medians;
- kualitas_data: every quarantined row of its files with its reason codes, the message and how to fix it
  (pipelines.contract.REASONS), whole-file rejections and row warnings.

Personal data: folders 0700 and files 0600 (owner only). Text cells that a spreadsheet would run as a formula
(starting with =, +, -, @, tab or carriage return) get a leading ' in both CSV and XLSX. Each pack is written
into a temporary folder beside the others and renamed into place, so a reader never sees half a pack.

Packs are written in their own job (`paket_instansi`), started after every successful refresh: writing a
spreadsheet is Python work per cell, far slower than the warehouse, and must not hold back publishing. A pack
is rewritten only when what it shows changed (a fingerprint of its rows, computed in DuckDB, kept in the
pack as `.fingerprint`): a one-agency resubmission rewrites that agency's pack, not the nation's.
"""

import decimal
import hashlib
import json
import multiprocessing
import os
import shutil
import statistics
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path

import duckdb

from pipelines.contract import ENTITIES, REASONS
from pipelines.paket import PRIVATE_DIR, Table, write_pack, written_fingerprint

RESTRICTED_MODELS = ("rst_rekomendasi_asn", "rst_kandidat_suksesi", "int_melewati_bup")
# (sheet, table, order) of the pack's per-person sheets
PERSON_TABLES = (
    ("rekomendasi_asn", "terbatas.rst_rekomendasi_asn", "nip"),
    ("kandidat_suksesi", "terbatas.rst_kandidat_suksesi", "jabatan_sasaran, peringkat"),
    ("melewati_bup", "intermediate.int_melewati_bup", "nip"),
)
# Bump when the pack's layout or formatting changes: every pack is then rewritten once.
PACK_FORMAT = "5"  # 3: a sheet cut to fit says so; 4: the melewati_bup sheet; 5: persen_sesuai_kualifikasi
# (column of mart_indikator_instansi, label in the pack)
INDICATORS = (
    ("jumlah_asn", "Jumlah ASN"),
    ("cakupan_profil_persen", "Cakupan profil talenta (%)"),
    ("persen_kelompok_suksesi", "ASN dalam kelompok rencana suksesi (%)"),
    ("persen_siap", "Kesiapan merit SIAP (%)"),
    ("persen_siap_dengan_pengembangan", "Kesiapan merit SIAP_DENGAN_PENGEMBANGAN (%)"),
    ("persen_20jp", "ASN dengan minimal 20 JP dalam 12 bulan (%)"),
    ("persen_sesuai_kualifikasi", "ASN memenuhi kualifikasi pendidikan jabatan (%)"),
    ("rata_ip_asn", "Rata-rata indeks profesionalitas ASN"),
    ("pensiun_5_tahun", "ASN pensiun dalam 5 tahun"),
    ("cakupan_suksesi_persen", "Cakupan suksesi jabatan (%)"),
    ("persen_baris_karantina", "Baris data dikarantina (%)"),
    ("indeks_kesiapan_merit", "Indeks kesiapan merit"),
)


def _query(
    con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None
) -> tuple[list[str], list[tuple]]:
    cursor = con.execute(sql, params or [])
    columns = [d[0] for d in cursor.description]
    return columns, cursor.fetchall()


def agencies(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Agencies with current ASN, people past their retirement age, or any file in the ledger."""
    rows = con.execute(
        """select kode_instansi from terbatas.rst_rekomendasi_asn
           union select kode_instansi from intermediate.int_melewati_bup
           union select kode_instansi from ingest.ledger where kode_instansi is not null
           order by 1"""
    ).fetchall()
    return [r[0] for r in rows]


def _number(value) -> int | float | None:
    return float(value) if isinstance(value, decimal.Decimal) else value


def _median(values: list) -> float | None:
    present = [float(v) for v in values if v is not None]
    return round(statistics.median(present), 2) if present else None


def indicator_tables(con: duckdb.DuckDBPyConnection) -> dict[str, Table]:
    """Per agency: its indicators beside the medians over the agencies (with at least one ASN) of its
    province and of the nation. Values suppressed in the mart (R12) stay empty and count in no median."""
    columns, rows = _query(
        con,
        f"select kode_instansi, kode_provinsi, {', '.join(c for c, _ in INDICATORS)} "
        "from marts.mart_indikator_instansi",
    )
    records = [dict(zip(columns, row, strict=True)) for row in rows]
    with_asn = [r for r in records if (r["jumlah_asn"] or 0) > 0]
    national = {c: _median([r[c] for r in with_asn]) for c, _ in INDICATORS}
    provinces: dict[str, dict] = {}
    for province in {r["kode_provinsi"] for r in with_asn}:
        members = [r for r in with_asn if r["kode_provinsi"] == province]
        provinces[province] = {c: _median([r[c] for r in members]) for c, _ in INDICATORS}
    header = ["indikator", "keterangan", "nilai_instansi", "median_provinsi", "median_nasional"]
    tables = {}
    for record in records:
        province = provinces.get(record["kode_provinsi"], {})
        tables[record["kode_instansi"]] = Table(
            "indikator_instansi",
            header,
            [
                (column, label, _number(record[column]), province.get(column), national[column])
                for column, label in INDICATORS
            ],
        )
    return tables


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


def pack_fingerprints(con: duckdb.DuckDBPyConnection, indicators: dict[str, Table]) -> dict[str, str]:
    """Per agency, a digest of every row its pack is made of (sums of DuckDB row hashes per table: order
    does not matter, one query per table for the whole nation), of its indicator rows, of the reason texts
    and of PACK_FORMAT. Agencies with nothing in a table just have no part for it."""
    sources = [
        *(("kode_instansi", table) for _, table, _ in PERSON_TABLES),
        ("kode_instansi", "ingest.ledger"),
        ("kode_instansi", "ingest.peringatan"),
        *(("_kode_instansi", f"quarantine.{entity}") for entity in ENTITIES),
    ]
    parts: dict[str, list[str]] = {}
    for index, (column, table) in enumerate(sources):
        for kode, digest in con.execute(
            f"select {column}, sum(hash(t))::varchar from {table} t where {column} is not null group by 1"
        ).fetchall():
            parts.setdefault(kode, []).append(f"{index}:{digest}")
    common = PACK_FORMAT + repr(sorted((k, r.pesan, r.perbaikan) for k, r in REASONS.items()))
    fingerprints = {}
    for kode in set(parts) | set(indicators):
        table = indicators.get(kode)
        text = "|".join([common, *sorted(parts.get(kode, [])), repr(table.rows if table else None)])
        fingerprints[kode] = hashlib.sha256(text.encode()).hexdigest()
    return fingerprints


def build_exports(con: duckdb.DuckDBPyConnection, exports_dir: Path) -> dict[str, int | None]:
    """Every agency's pack whose content changed; returns, per agency, the people in the pack written,
    or None when its pack was already up to date."""
    exports_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(exports_dir, PRIVATE_DIR)
    for leftover in exports_dir.glob(".*.tmp"):  # a run killed half-way (one export runs at a time: the pool)
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in exports_dir.glob(".*.old"):
        shutil.rmtree(leftover, ignore_errors=True)
    indicators = indicator_tables(con)
    fingerprints = pack_fingerprints(con, indicators)
    written: dict[str, int | None] = {}
    # Spreadsheets are written cell by cell in Python: worker processes write packs (one core each) while
    # this process queries the next ones. At most two packs per worker wait, to bound the memory held.
    workers = os.cpu_count() or 1
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        pending: set[Future] = set()
        for kode in agencies(con):
            fingerprint = fingerprints.get(kode, "")
            if fingerprint and written_fingerprint(exports_dir, kode) == fingerprint:
                written[kode] = None
                continue
            tables = pack_tables(con, kode, indicators)
            written[kode] = len(tables[0].rows)
            while len(pending) >= 2 * workers:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    future.result()  # a failed pack fails the run
            pending.add(pool.submit(write_pack, exports_dir, kode, tables, fingerprint))
        for future in pending:
            future.result()
    return written
