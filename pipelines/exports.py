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
import multiprocessing
import os
import shutil
import statistics
import uuid
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import duckdb

from pipelines.contract import ENTITIES, REASONS
from pipelines.paket import (
    MACROS,
    PRIVATE_DIR,
    Staged,
    Table,
    rows_sql,
    write_pack_in_worker,
    written_fingerprint,
)

RESTRICTED_MODELS = ("rst_rekomendasi_asn", "rst_kandidat_suksesi", "int_melewati_bup")
# (sheet, table, order) of the pack's per-person sheets
PERSON_TABLES = (
    ("rekomendasi_asn", "terbatas.rst_rekomendasi_asn", "nip"),
    ("kandidat_suksesi", "terbatas.rst_kandidat_suksesi", "jabatan_sasaran, peringkat"),
    ("melewati_bup", "intermediate.int_melewati_bup", "nip"),
)
# Rows a row group of the staged files holds: a worker reads whole row groups, so few beyond its agency's.
STAGE_ROW_GROUP = 4096
# The start of the packs job's progress lines ("... 120 of 651"), which `proasn refresh` shows as a bar.
PACKS_PROGRESS = "Agency packs written: "
# Bump when the pack's layout or formatting changes: every pack is then rewritten once.
PACK_FORMAT = "6"  # 3: a sheet cut to fit says so; 4: the melewati_bup sheet; 5: persen_sesuai_kualifikasi;
# 6: the workbook written by pipelines.paket itself (the same cells)
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


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


QUALITY_COLUMNS = (("jenis", "VARCHAR"), ("tanggal_ekstrak", "DATE"), ("berkas", "VARCHAR"), ("baris", "INTEGER"),
                   ("nip", "VARCHAR"), ("kode_alasan", "VARCHAR"), ("kolom", "VARCHAR"), ("nilai", "VARCHAR"),
                   ("pesan", "VARCHAR"), ("perbaikan", "VARCHAR"))  # fmt: skip
# The order of the quality rows: whole-file rejections (newest first), then each entity's quarantined rows
# (newest file first, by line, one row per reason in its order), then the row warnings.
QUALITY_ORDER = "_bagian, _entitas, _tanggal desc, _berkas, _baris, _urutan"


def quality_sql(kodes: str) -> str:
    """Every problem in the files of the agencies `kodes` (a SQL list): whole-file rejections, quarantined rows
    (one line per reason) and row warnings, each with the Bahasa Indonesia message and how to fix it; the
    columns of QUALITY_COLUMNS after kode_instansi and the keys of QUALITY_ORDER."""
    reasons = ", ".join(
        f"({_literal(k)}, {_literal(r.pesan)}, {_literal(r.perbaikan)})" for k, r in REASONS.items()
    )
    parts = [
        f"""select kode_instansi, 0 as _bagian, 0 as _entitas, tanggal_ekstrak as _tanggal, file_path as _berkas,
                0 as _baris, _urutan, 'BERKAS_DITOLAK' as jenis, tanggal_ekstrak, file_path as berkas,
                null::integer as baris, null::varchar as nip, kodes[_urutan] as kode_alasan, null::varchar as kolom,
                pesan as nilai
            from (select *, unnest(range(1, len(kodes) + 1)) as _urutan from (
                select kode_instansi, tanggal_ekstrak, file_path, pesan, coalesce(nullif(case json_type(alasan)
                    when 'OBJECT' then json_keys(alasan) when 'ARRAY' then alasan->>'$[*]' end, []), ['']) as kodes
                from ingest.ledger where status = 'DITOLAK' and kode_instansi in ({kodes})))"""
    ]
    for index, entity in enumerate(ENTITIES.values(), start=1):
        names = entity.column_names
        value = " ".join(f'when {_literal(n)} then "{n}"' for n in names)
        nip = '"nip"' if "nip" in names else "null::varchar"
        parts.append(
            f"""select _kode_instansi, 1, {index}, _tanggal_ekstrak, _file_path, _line, _urutan,
                    'BARIS_DIKARANTINA', _tanggal_ekstrak, _file_path, _line, {nip}, split_part(_alasan, ':', 1),
                    nullif(_kolom, ''), case _kolom {value} end
                from (select *, case when strpos(_alasan, ':') > 0 then substr(_alasan, strpos(_alasan, ':') + 1)
                                else '' end as _kolom
                      from (select *, _reasons[_urutan] as _alasan
                            from (select *, unnest(range(1, len(_reasons) + 1)) as _urutan
                                  from quarantine.{entity.name} where _kode_instansi in ({kodes}))))"""
        )
    parts.append(
        f"""select kode_instansi, 2, 0, tanggal_ekstrak, file_path, _line, 0, 'PERINGATAN', tanggal_ekstrak,
                file_path, _line, null, kode_alasan, kolom, keterangan
            from ingest.peringatan where kode_instansi in ({kodes})"""
    )
    union = "\nunion all\n".join(parts)
    return f"""select q.*, coalesce(r.pesan, '') as pesan, coalesce(r.perbaikan, '') as perbaikan
        from ({union}) q left join (values {reasons}) r(kode, pesan, perbaikan) on r.kode = q.kode_alasan"""


def quality_table(con: duckdb.DuckDBPyConnection, kode_instansi: str) -> Table:
    """One agency's quality rows in memory, as its pack shows them (for `proasn` checks and tests)."""
    columns = ", ".join(c for c, _ in QUALITY_COLUMNS)
    rows = con.execute(
        f"select {columns} from ({quality_sql(_literal(kode_instansi))}) order by {QUALITY_ORDER}"
    ).fetchall()
    return Table("kualitas_data", [c for c, _ in QUALITY_COLUMNS], rows)


def _describe(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in con.execute(f"describe {sql}").fetchall()]


def stage_tables(con: duckdb.DuckDBPyConnection, kodes: list[str], folder: Path) -> dict[str, list[Staged]]:
    """The person tables and the quality rows of the agencies `kodes`, each read once for all of them and
    written as one Parquet file in the order of agency and row, every row already as its CSV line and its
    sheet row (paket.rows_sql), in small row groups: a worker reads one agency's rows and skips the others'
    row groups. Per agency, its staged tables in the pack's order (the indicators go in between)."""
    in_list = ", ".join(_literal(k) for k in kodes)
    sources = [
        (name, f"select * from {table} where kode_instansi in ({in_list})", order, None)
        for name, table, order in PERSON_TABLES
    ]
    sources.append(("kualitas_data", quality_sql(in_list), QUALITY_ORDER, QUALITY_COLUMNS))
    con.execute(MACROS)
    staged: dict[str, list[Staged]] = {k: [] for k in kodes}
    for name, sql, order, shown in sources:
        columns = list(shown or _describe(con, sql))
        target = str(folder / f"{name}.parquet")
        con.execute(f"copy ({rows_sql(sql, columns, order)}) to {_literal(target)} "
                    f"(format parquet, compression lz4_raw, row_group_size {STAGE_ROW_GROUP})")  # fmt: skip
        counts = dict(
            con.execute(
                f"select kode_instansi, count(*) from read_parquet({_literal(target)}) group by 1"
            ).fetchall()
        )
        for kode in kodes:
            rows = counts.get(kode, 0)
            staged[kode].append(Staged(name, [c for c, _ in columns], target if rows else "", kode, rows))
    return staged


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


def build_exports(
    con: duckdb.DuckDBPyConnection,
    exports_dir: Path,
    progress: Callable[[int, int], None] | None = None,
    worker_peaks: list[int] | None = None,
) -> dict[str, int | None]:
    """Every agency's pack whose content changed; returns, per agency, the people in the pack written,
    or None when its pack was already up to date. `progress(done, total)` after each pack written;
    `worker_peaks` gets the peak resident memory (bytes) of the worker that wrote it."""
    exports_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(exports_dir, PRIVATE_DIR)
    for leftover in exports_dir.glob(".*.tmp"):  # a run killed half-way (one export runs at a time: the pool)
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in exports_dir.glob(".*.old"):
        shutil.rmtree(leftover, ignore_errors=True)
    indicators = indicator_tables(con)
    fingerprints = pack_fingerprints(con, indicators)
    written: dict[str, int | None] = {}
    todo = []
    for kode in agencies(con):
        fingerprint = fingerprints.get(kode, "")
        if fingerprint and written_fingerprint(exports_dir, kode) == fingerprint:
            written[kode] = None
        else:
            todo.append(kode)
    if not todo:
        return written
    empty = Table("indikator_instansi", ["indikator", "keterangan", "nilai_instansi", "median_provinsi",
                                         "median_nasional"], [])  # fmt: skip
    stage = exports_dir / f".stage.{uuid.uuid4().hex}.tmp"  # private, beside the packs; removed at the end
    stage.mkdir(mode=PRIVATE_DIR)
    os.chmod(stage, PRIVATE_DIR)
    try:
        staged = stage_tables(con, todo, stage)
        # The biggest packs first, so that no big one is left for the end while the other workers idle.
        todo.sort(key=lambda k: -sum(t.rows for t in staged[k]))
        # Worker processes write the packs (one core each) with a DuckDB of their own.
        workers = min(os.cpu_count() or 1, len(todo))
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = []
            for kode in todo:
                people, *rest = staged[kode]
                tables = [people, *rest[:2], indicators.get(kode, empty), *rest[2:]]
                written[kode] = people.rows
                futures.append(
                    pool.submit(write_pack_in_worker, exports_dir, kode, tables, fingerprints.get(kode, ""))
                )
            for done, future in enumerate(as_completed(futures), start=1):
                peak = future.result()  # a failed pack fails the run
                if worker_peaks is not None:
                    worker_peaks.append(peak)
                if progress:
                    progress(done, len(futures))
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return written
