"""Ingest: every new file under the landing tree into raw.*, quarantine.*, ingest.peringatan and the ledger.

Each file is loaded in one transaction: all its rows land (in raw or quarantine) with its ledger row, or
nothing does. Rows read = rows loaded + rows quarantined, for every file. The same bytes are loaded once:
a file whose (path, sha256) is in the ledger is skipped, and is not even hashed again while its path, size
and modification time match the ledger; the same bytes under another path get a DUPLIKAT ledger row.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines.contract import ENTITIES, ENTITY_NAMES, META_COLUMNS, REASONS
from pipelines.validation import (
    TANGGAL_RE,
    LandingFile,
    discover,
    normalised_sql,
    raw_text_sql,
    read_file,
    sha256_of,
    warnings_sql,
)

LEDGER_DDL = """
create schema if not exists ingest;
create table if not exists ingest.ledger (
    file_sha256 varchar not null,
    file_path varchar not null,
    kode_instansi varchar,
    tanggal_ekstrak date,
    entity varchar,
    status varchar not null,          -- DIMUAT, DITOLAK, DIABAIKAN, DUPLIKAT
    baris_dibaca bigint not null,
    baris_dimuat bigint not null,
    baris_karantina bigint not null,
    alasan json,                      -- reason code -> count of rows (or the file's own reason)
    pesan varchar,                    -- one message for the agency, in Bahasa Indonesia
    loaded_at timestamp not null,
    primary key (file_path, file_sha256)
);
alter table ingest.ledger add column if not exists file_size bigint;        -- bytes, when processed
alter table ingest.ledger add column if not exists file_mtime_ns bigint;    -- modification time, ns
alter table ingest.ledger add column if not exists peringatan json;         -- warning code -> count
alter table ingest.ledger add column if not exists duplikat_dari varchar;   -- DUPLIKAT: the file loaded
create table if not exists ingest.peringatan (
    file_sha256 varchar not null,
    file_path varchar not null,
    kode_instansi varchar not null,
    tanggal_ekstrak date not null,
    _line integer not null,
    kode_alasan varchar not null,     -- a WARNING reason of pipelines.contract.REASONS
    kolom varchar,
    keterangan varchar                -- the values that disagree
);
"""
LEDGER_COLUMNS = ("file_sha256", "file_path", "kode_instansi", "tanggal_ekstrak", "entity", "status",
                  "baris_dibaca", "baris_dimuat", "baris_karantina", "alasan", "pesan", "loaded_at",
                  "file_size", "file_mtime_ns", "peringatan", "duplikat_dari")  # fmt: skip
EXTRA_COLUMNS_NOTE = "Kolom tambahan diabaikan"
ORPHANS_SKIPPED_NOTE = (
    "Pemeriksaan NIP terhadap data pegawai (data yatim) dilewati: tidak ada berkas pegawai instansi ini "
    "yang dapat dimuat di antara berkas yang diperiksa"
)
# Files rejected for where they are, not for what they hold: the same bytes elsewhere are judged anew.
IGNORED_PROBLEMS = ("ENTITAS_TIDAK_DIKENAL",)


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(LEDGER_DDL)
    con.execute("create schema if not exists raw; create schema if not exists quarantine;")
    meta = "_kode_instansi varchar, _tanggal_ekstrak date, _file_sha256 varchar, _file_path varchar, " \
        "_line integer, _loaded_at timestamp"  # fmt: skip
    for entity in ENTITIES.values():
        cols = ", ".join(f"{c} varchar" for c in entity.column_names)
        con.execute(f"create table if not exists raw.{entity.name} ({meta}, {cols})")
        con.execute(
            f"create table if not exists quarantine.{entity.name} ({meta}, _reasons varchar[], {cols})"
        )


def forget_agency(con: duckdb.DuckDBPyConnection, kode_instansi: str) -> int:
    """Remove everything loaded from one agency (raw, quarantine, warnings, ledger), in one transaction,
    so that its files load again from the landing folder: a per-agency re-run after a rule changed.
    Returns the number of ledger rows removed."""
    ensure_tables(con)
    con.execute("begin transaction")
    try:
        for entity in ENTITIES:
            con.execute(f"delete from raw.{entity} where _kode_instansi = ?", [kode_instansi])
            con.execute(f"delete from quarantine.{entity} where _kode_instansi = ?", [kode_instansi])
        con.execute("delete from ingest.peringatan where kode_instansi = ?", [kode_instansi])
        removed = con.execute(
            "select count(*) from ingest.ledger where kode_instansi = ?", [kode_instansi]
        ).fetchall()[0][0]
        con.execute("delete from ingest.ledger where kode_instansi = ?", [kode_instansi])
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return removed


@dataclass
class FileOutcome:
    file: LandingFile
    sha256: str
    status: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    warnings: dict[str, int] = field(default_factory=dict)
    message: str = ""
    detail: str = ""  # the file-level problem's specifics (which columns are missing...)
    extra_columns: list[str] = field(default_factory=list)
    orphans_checked: bool = True
    duplicate_of: str | None = None  # DUPLIKAT: the path of the same bytes loaded before


def file_message(code: str, detail: str = "") -> str:
    reason = REASONS[code]
    text = f"[{code}] {reason.pesan}"
    if detail:
        text += f" ({detail})"
    return f"{text} {reason.perbaikan}"


def _current_pegawai_table(con: duckdb.DuckDBPyConnection, file: LandingFile, check_only: bool) -> str | None:
    """Temp table of the NIPs of the agency's current pegawai, for the orphan rule.

    The current pegawai is the newest loaded pegawai file of the agency with a tanggal_ekstrak not after
    this file's: the same submission's when it was loaded, else the newest earlier one. None in `proasn
    check` when the checked files hold no pegawai of the agency (there is nothing to judge orphans by).
    """
    newest = con.execute(
        """select file_sha256 from ingest.ledger
           where kode_instansi = ? and entity = 'pegawai' and status = 'DIMUAT' and tanggal_ekstrak <= ?
           order by tanggal_ekstrak desc, loaded_at desc, file_path desc limit 1""",
        [file.kode_instansi, file.tanggal_ekstrak],
    ).fetchall()
    if not newest and check_only:
        return None
    con.execute(
        "create or replace temp table current_pegawai as select distinct nip from raw.pegawai "
        "where _file_sha256 = ? and nip is not null",
        [newest[0][0] if newest else ""],
    )
    return "current_pegawai"


def _process(
    con, file: LandingFile, sha: str, workdir: Path, now: dt.datetime, check_only: bool
) -> FileOutcome:
    if file.file_problem:
        status = "DIABAIKAN" if file.file_problem in IGNORED_PROBLEMS else "DITOLAK"
        return FileOutcome(file, sha, status, reasons={file.file_problem: 1},
                           message=file_message(file.file_problem, file.rel_path))  # fmt: skip
    read = read_file(con, file, "incoming", workdir)
    if read.problem:
        return FileOutcome(file, sha, "DITOLAK", reasons={read.problem: 1}, detail=read.detail,
                           message=file_message(read.problem, read.detail))  # fmt: skip
    outcome = _load_rows(con, file, sha, read.rows_read, now, check_only)
    outcome.extra_columns = read.extra_columns
    if read.extra_columns:
        outcome.message += f" {EXTRA_COLUMNS_NOTE}: {', '.join(read.extra_columns)}."
    return outcome


def load_file(con: duckdb.DuckDBPyConnection, file: LandingFile, sha: str, workdir: Path,
              check_only: bool = False) -> FileOutcome:  # fmt: skip
    """Validate one file and write it to raw/quarantine/peringatan/ledger (the caller holds the transaction)."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    outcome = _process(con, file, sha, workdir, now, check_only)
    _write_ledger(con, outcome, now)
    return outcome


def _write_ledger(con, outcome: FileOutcome, now: dt.datetime) -> None:
    file = outcome.file
    con.execute(
        f"insert into ingest.ledger ({', '.join(LEDGER_COLUMNS)}) values ({', '.join('?' * len(LEDGER_COLUMNS))})",
        [outcome.sha256, file.rel_path, file.kode_instansi or None, file.tanggal_ekstrak, file.entity,
         outcome.status, outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined,
         json.dumps(outcome.reasons, sort_keys=True), outcome.message.strip(), now, file.size, file.mtime_ns,
         json.dumps(outcome.warnings, sort_keys=True), outcome.duplicate_of],
    )  # fmt: skip


def _load_rows(
    con, file: LandingFile, sha: str, rows_read: int, now: dt.datetime, check_only: bool
) -> FileOutcome:
    entity = ENTITIES[file.entity]
    pegawai_table = None if entity.name == "pegawai" else _current_pegawai_table(con, file, check_only)
    con.execute(
        "create or replace temp table checked as "
        + normalised_sql(entity, "incoming", file.tanggal_ekstrak, sha, pegawai_table)
    )
    meta_values = "$kode, $tanggal::date, $sha, $path, _line, $now::timestamp"
    params = {"kode": file.kode_instansi, "tanggal": file.tanggal_ekstrak.isoformat(), "sha": sha,
              "path": file.rel_path, "now": now}  # fmt: skip
    cols = ", ".join(entity.column_names)
    texts = ", ".join(raw_text_sql(c) for c in entity.columns)
    srcs = ", ".join(f"src_{c}" for c in entity.column_names)
    con.execute(
        f"insert into raw.{entity.name} ({', '.join(META_COLUMNS)}, {cols}) "
        f"select {meta_values}, {texts} from checked where len(_reasons) = 0 order by _line",
        params,
    )
    con.execute(
        f"insert into quarantine.{entity.name} ({', '.join(META_COLUMNS)}, _reasons, {cols}) "
        f"select {meta_values}, _reasons, {srcs} from checked where len(_reasons) > 0 order by _line",
        params,
    )
    warnings: dict[str, int] = {}
    if (sql := warnings_sql(entity, "checked")) is not None:
        con.execute(
            "insert into ingest.peringatan select $sha, $path, $kode, $tanggal::date, _line, kode_alasan, kolom, "
            f"keterangan from ({sql}) order by _line, kode_alasan",
            {k: v for k, v in params.items() if k != "now"},
        )
        warnings = dict(
            con.execute(
                "select kode_alasan, count(*) from ingest.peringatan where file_sha256 = ? and file_path = ? "
                "group by 1 order by 1",
                [sha, file.rel_path],
            ).fetchall()
        )
    loaded, quarantined = con.execute(
        "select count(*) filter (len(_reasons) = 0), count(*) filter (len(_reasons) > 0) from checked"
    ).fetchall()[0]
    assert loaded + quarantined == rows_read, (file.rel_path, rows_read, loaded, quarantined)
    reason_counts = dict(
        con.execute(
            "select split_part(r, ':', 1), count(*) from (select unnest(_reasons) r from checked) group by 1 order by 1"
        ).fetchall()
    )
    message = f"{loaded} baris dimuat, {quarantined} baris dikarantina."
    if reason_counts:
        message += " Alasan: " + ", ".join(f"{k} ({v})" for k, v in sorted(reason_counts.items())) + "."
    if warnings:
        message += f" {sum(warnings.values())} peringatan: " + ", ".join(
            f"{k} ({v})" for k, v in sorted(warnings.items())
        ) + "."  # fmt: skip
    if pegawai_table is None and entity.name != "pegawai":
        message += f" {ORPHANS_SKIPPED_NOTE}."
    return FileOutcome(file, sha, "DIMUAT", rows_read, loaded, quarantined, reason_counts, warnings, message,
                       orphans_checked=pegawai_table is not None or entity.name == "pegawai")  # fmt: skip


def _duplicate_outcome(file: LandingFile, sha: str, first_path: str) -> FileOutcome:
    detail = f"sama dengan {first_path}"
    return FileOutcome(file, sha, "DUPLIKAT", reasons={"BERKAS_DUPLIKAT": 1}, detail=detail,
                       message=file_message("BERKAS_DUPLIKAT", detail), duplicate_of=first_path)  # fmt: skip


def ingest_landing(
    con: duckdb.DuckDBPyConnection,
    landing: Path,
    today: dt.date,
    only: Path | None = None,
    check_only: bool = False,
) -> list[FileOutcome]:
    """Load every file not yet in the ledger (below `only`, when given); pegawai before the histories.

    `check_only` (for `proasn check`, on a scratch database): orphans are not judged when no pegawai of
    the agency was checked.
    """
    ensure_tables(con)
    ledger = con.execute(
        "select file_path, file_sha256, file_size, file_mtime_ns, status, baris_dibaca from ingest.ledger"
    ).fetchall()
    seen_stat = {(p, size, mtime) for p, _, size, mtime, _, _ in ledger if size is not None}
    seen = {(p, sha) for p, sha, *_ in ledger}
    # Bytes loaded with at least one row: the same bytes elsewhere are a duplicate. (A header-only file
    # loads nothing, so the same empty file from two agencies is not a duplicate of each other.)
    loaded_by_sha = {sha: p for p, sha, _, _, status, read in ledger if status == "DIMUAT" and read > 0}
    order = {name: i for i, name in enumerate(ENTITY_NAMES)}
    found = discover(landing, today) if landing.exists() else []
    if only is not None:
        found = [f for f in found if f.path == only or only in f.path.parents]
    files = sorted(
        found,
        key=lambda f: (
            f.kode_instansi,
            f.tanggal_ekstrak or dt.date.min,
            order.get(f.entity, 99),
            f.rel_path,
        ),
    )
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="proasn-ingest-") as workdir:
        for file in files:
            if (file.rel_path, file.size, file.mtime_ns) in seen_stat:
                continue  # unchanged since it was processed: not even hashed again
            sha = sha256_of(file.path)
            if (file.rel_path, sha) in seen:
                # Processed before (the ledger predates size/mtime, or the file was touched): remember
                # its stat so the next run skips it without hashing.
                con.execute(
                    "update ingest.ledger set file_size = ?, file_mtime_ns = ? where file_path = ? and file_sha256 = ?",
                    [file.size, file.mtime_ns, file.rel_path, sha],
                )
                continue
            con.execute("begin transaction")
            try:
                if file.file_problem is None and sha in loaded_by_sha:
                    outcome = _duplicate_outcome(file, sha, loaded_by_sha[sha])
                    _write_ledger(con, outcome, dt.datetime.now(dt.UTC).replace(tzinfo=None))
                else:
                    outcome = load_file(con, file, sha, Path(workdir), check_only)
                con.execute("commit")
            except BaseException:
                con.execute("rollback")
                raise
            outcomes.append(outcome)
            seen.add((file.rel_path, sha))
            if outcome.status == "DIMUAT" and outcome.rows_read > 0:
                loaded_by_sha.setdefault(sha, file.rel_path)
    return outcomes


def landing_root_of(path: Path) -> Path:
    """The landing root for a path that is a file, a submission folder, an agency folder or a whole tree."""
    path = path.resolve()
    if path.is_file():
        return path.parent.parent.parent
    if TANGGAL_RE.match(path.name):
        return path.parent.parent
    if any(TANGGAL_RE.match(child.name) for child in path.iterdir() if child.is_dir()):
        return path.parent
    return path


# --- proasn check ------------------------------------------------------------------------------
def _reason_entry(code: str, count: int, examples: list[dict]) -> dict:
    reason = REASONS[code]
    return {"kode": code, "tingkat": reason.level, "jumlah": count, "pesan": reason.pesan,
            "perbaikan": reason.perbaikan, "contoh": examples}  # fmt: skip


def _row_reasons(con, outcome: FileOutcome, first_n: int) -> list[dict]:
    """Per reason code: how many rows, and the first `first_n` (line, column, value as written)."""
    entity = ENTITIES[outcome.file.entity]
    value_by_column = "map_from_entries([" + ", ".join(f"('{c}', {c})" for c in entity.column_names) + "])"
    rows = con.execute(
        f"""with reasons as (
                select _line, split_part(r, ':', 1) as kode, split_part(r, ':', 2) as kolom,
                       {value_by_column} as nilai
                from (select _line, unnest(_reasons) as r, * exclude (_line, _reasons)
                      from quarantine.{entity.name} where _file_path = ? and _file_sha256 = ?)
            ),
            numbered as (select *, row_number() over (partition by kode order by _line, kolom) as n,
                                count(*) over (partition by kode) as jumlah from reasons)
            select kode, jumlah, _line, kolom, nilai[kolom] from numbered where n <= ? order by kode, n""",
        [outcome.file.rel_path, outcome.sha256, first_n],
    ).fetchall()
    grouped: dict[str, tuple[int, list[dict]]] = {}
    for kode, jumlah, line, kolom, nilai in rows:
        grouped.setdefault(kode, (jumlah, []))[1].append(
            {"baris": line, "kolom": kolom or None, "nilai": nilai}
        )
    return [_reason_entry(k, n, examples) for k, (n, examples) in grouped.items()]


def _warning_reasons(con, outcome: FileOutcome, first_n: int) -> list[dict]:
    rows = con.execute(
        """select kode_alasan, count(*) over (partition by kode_alasan), _line, kolom, keterangan
           from ingest.peringatan where file_path = ? and file_sha256 = ?
           qualify row_number() over (partition by kode_alasan order by _line) <= ? order by 1, 3""",
        [outcome.file.rel_path, outcome.sha256, first_n],
    ).fetchall()
    grouped: dict[str, tuple[int, list[dict]]] = {}
    for kode, jumlah, line, kolom, keterangan in rows:
        grouped.setdefault(kode, (jumlah, []))[1].append({"baris": line, "kolom": kolom, "nilai": keterangan})
    return [_reason_entry(k, n, examples) for k, (n, examples) in grouped.items()]


def check_submissions(path: Path, today: dt.date | None = None, first_n: int = 10) -> dict:
    """`proasn check`: the ingest's own validation in a scratch in-memory database; nothing is loaded.

    Orphans are judged against the pegawai of the checked submissions themselves (skipped, and said so,
    for an agency whose checked files hold no pegawai). Per file: status, counts, message, and per reason
    code the message, the fix, how many rows and the first `first_n` lines with column and value.
    """
    path = path.resolve()
    con = duckdb.connect()
    try:
        outcomes = ingest_landing(
            con, landing_root_of(path), today or dt.date.today(), only=path, check_only=True
        )
        files = []
        for outcome in outcomes:
            if outcome.status == "DIMUAT":
                reasons = _row_reasons(con, outcome, first_n) if outcome.rows_quarantined else []
                warnings = _warning_reasons(con, outcome, first_n) if outcome.warnings else []
            else:
                code = next(iter(outcome.reasons))
                reasons = [
                    _reason_entry(code, 1, [{"baris": None, "kolom": None, "nilai": outcome.detail or None}])
                ]
                warnings = []
            files.append({
                "file_path": outcome.file.rel_path, "entity": outcome.file.entity, "status": outcome.status,
                "baris_dibaca": outcome.rows_read, "baris_dimuat": outcome.rows_loaded,
                "baris_karantina": outcome.rows_quarantined, "pesan": outcome.message.strip(),
                "alasan": reasons, "peringatan": warnings, "kolom_tambahan": outcome.extra_columns,
                "catatan": [] if outcome.orphans_checked else [ORPHANS_SKIPPED_NOTE + "."],
                "dapat_diterima": outcome.status == "DIMUAT" and outcome.rows_quarantined == 0,
            })  # fmt: skip
    finally:
        con.close()
    ok = sum(1 for f in files if f["dapat_diterima"])
    return {"path": str(path), "files": files, "ok": ok, "acceptable": ok == len(files)}
