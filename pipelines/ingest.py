"""Ingest: every new file under the landing tree into raw.*, quarantine.*, ingest.peringatan and the ledger.

Each file is loaded in one transaction: all its rows land (in raw or quarantine) with its ledger row, or
nothing does. Rows read = rows loaded + rows quarantined, for every file. The same bytes are loaded once:
a file whose (path, sha256) is in the ledger is skipped, and is not even hashed again while its path, size
and modification time match the ledger; the same bytes under another path get a DUPLIKAT ledger row.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines.contract import ENTITIES, ENTITY_NAMES, META_COLUMNS, REASONS, Entity
from pipelines.landing import (
    TANGGAL_RE,
    LandingFile,
    discover,
    display_name,
    inside_landing,
    sha256_of,
    symlink_sha256,
)
from pipelines.reading import ReadResult, read_files, unopened_detail
from pipelines.rules import checked_sql, raw_text_sql, warnings_sql

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
LEDGER_TYPES = dict(zip(LEDGER_COLUMNS, ("varchar", "varchar", "varchar", "date", "varchar", "varchar", "bigint",
                                         "bigint", "bigint", "json", "varchar", "timestamp", "bigint", "bigint",
                                         "json", "varchar"), strict=True))  # fmt: skip
EXTRA_COLUMNS_NOTE = "Kolom tambahan diabaikan"
EXTRA_COLUMNS_SHOWN = 20  # a header of thousands of columns must not become a message of thousands of names
OTHER_SHEETS_NOTE = "Hanya lembar kerja pertama yang dibaca; {n} lembar kerja lain diabaikan"
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
    recorded: bool = True  # False: a file that could not be opened, not in the ledger (tried again)


def file_message(code: str, detail: str = "") -> str:
    reason = REASONS[code]
    text = f"[{code}] {reason.pesan}"
    if detail:
        text += f" ({detail})"
    return f"{text} {reason.perbaikan}"


# Files validated together: one read per CSV layout, one validation query, one transaction. Batching
# amortises DuckDB's fixed cost per statement (planning the wide validation query, a commit) over many
# files; the bounds keep the temp tables of a batch well inside the memory limit.
BATCH_BYTES = 256 * 2**20
BATCH_FILES = 2000


def _next_round(
    pending: list[tuple[LandingFile, str]], unloadable: set[tuple[str, str, str]]
) -> tuple[list[tuple[LandingFile, str]], list[tuple[LandingFile, str]]]:
    """Split the files still to process (in the ingest order) into those ready now and those that wait,
    so that a round can be validated in batches with the same outcome as one file at a time:
    - a history file needs the agency's current pegawai, so it waits for every pegawai file of its agency
      with a tanggal_ekstrak not after its own (the files loaded before it in the ingest order);
    - the same bytes are judged duplicates of the first copy that loads rows, so a copy waits for every
      earlier copy that may load, that is, unless the same bytes under the same entity and extension were
      found to load no row (`unloadable`: (sha256, entity, extension), what reading a file depends on).
    Usually two rounds: the pegawai files, then the rest (header-only files, the same bytes in many
    agencies, take one more).
    """
    ready, waiting = [], []
    pegawai_pending: dict[str, list[dt.date]] = {}
    for file, _ in pending:
        if file.entity == "pegawai" and file.file_problem is None:
            pegawai_pending.setdefault(file.kode_instansi, []).append(file.tanggal_ekstrak)
    may_load = set()  # sha256 of earlier files that may load rows
    for file, sha in pending:
        needs_pegawai = (
            file.file_problem is None
            and file.entity != "pegawai"
            and any(
                tanggal <= file.tanggal_ekstrak for tanggal in pegawai_pending.get(file.kode_instansi, [])
            )
        )
        (waiting if needs_pegawai or sha in may_load else ready).append((file, sha))
        if file.file_problem is None and (sha, file.entity, file.extension) not in unloadable:
            may_load.add(sha)
    return ready, waiting


def _batches(ready: list[tuple[LandingFile, str]]) -> list[list[tuple[LandingFile, str]]]:
    """One entity per batch (one validation query), in the ingest order, bounded in bytes and files."""
    per_entity: dict[str | None, list[tuple[LandingFile, str]]] = {}
    for item in ready:
        per_entity.setdefault(item[0].entity, []).append(item)
    batches = []
    for items in per_entity.values():
        batch, size = [], 0
        for file, sha in items:
            if batch and (size + file.size > BATCH_BYTES or len(batch) >= BATCH_FILES):
                batches.append(batch)
                batch, size = [], 0
            batch.append((file, sha))
            size += file.size
        batches.append(batch)
    return batches


def _file_outcome(file: LandingFile, sha: str, loaded_by_sha: dict[str, str]) -> FileOutcome | None:
    """The outcome of a file judged without reading it (folder-level problem, duplicate), else None."""
    if file.file_problem:
        status = "DIABAIKAN" if file.file_problem in IGNORED_PROBLEMS else "DITOLAK"
        return FileOutcome(file, sha, status, reasons={file.file_problem: 1},
                           message=file_message(file.file_problem, file.rel_path))  # fmt: skip
    if sha in loaded_by_sha:
        return _duplicate_outcome(file, sha, loaded_by_sha[sha])
    return None


def _load_batch(
    con, batch: list[tuple[LandingFile, str]], loaded_by_sha: dict[str, str], workdir: Path, check_only: bool
) -> list[FileOutcome]:
    """Validate a batch of files of one entity and write them in one transaction: all their rows, warnings
    and ledger rows land, or none do (a crash loses the whole batch; the next run loads it again)."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    outcomes: dict[int, FileOutcome] = {}
    to_read: dict[int, LandingFile] = {}
    for file_id, (file, sha) in enumerate(batch):
        if (outcome := _file_outcome(file, sha, loaded_by_sha)) is not None:
            outcomes[file_id] = outcome
        else:
            to_read[file_id] = file
    loadable: dict[int, ReadResult] = {}
    if to_read:
        # Reading and validating only fill temp tables: done before the transaction, so that a file DuckDB
        # cannot parse (an error aborts a DuckDB transaction) is rejected without failing the others.
        entity = ENTITIES[batch[0][0].entity]
        for file_id, read in read_files(con, entity, to_read, "incoming", workdir).items():
            if read.problem:
                file, sha = batch[file_id]
                outcomes[file_id] = FileOutcome(file, sha, "DITOLAK", reasons={read.problem: 1},
                                                detail=read.detail, recorded=not read.unopened,
                                                message=file_message(read.problem, read.detail))  # fmt: skip
            else:
                loadable[file_id] = read
    con.execute("begin transaction")
    try:
        if loadable:
            outcomes |= _load_rows(con, entity, {i: batch[i] for i in loadable}, loadable, now, check_only)
        _write_ledger(con, [outcomes[i] for i in range(len(batch)) if outcomes[i].recorded], now)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return [outcomes[i] for i in range(len(batch))]


def _write_ledger(con, outcomes: list[FileOutcome], now: dt.datetime) -> None:
    """One statement for many ledger rows (executemany costs milliseconds per row)."""
    values = {column: [] for column in LEDGER_COLUMNS}
    for outcome in outcomes:
        file = outcome.file
        row = [outcome.sha256, file.rel_path, file.kode_instansi or None, file.tanggal_ekstrak, file.entity,
               outcome.status, outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined,
               json.dumps(outcome.reasons, sort_keys=True), outcome.message.strip(), now, file.size,
               file.mtime_ns, json.dumps(outcome.warnings, sort_keys=True), outcome.duplicate_of]  # fmt: skip
        for column, value in zip(LEDGER_COLUMNS, row, strict=True):
            values[column].append(value)
    select = ", ".join(f"unnest(${c})::{LEDGER_TYPES[c]}" for c in LEDGER_COLUMNS)
    con.execute(f"insert into ingest.ledger ({', '.join(LEDGER_COLUMNS)}) select {select}", values)


def _current_pegawai(con, files: dict[int, tuple[LandingFile, str]]) -> dict[int, str]:
    """file id -> sha256 of the agency's current pegawai for the orphan rule: the newest loaded pegawai
    file of the agency with a tanggal_ekstrak not after the file's (the same submission's when it was
    loaded, else the newest earlier one). Files of agencies without one are left out."""
    rows = con.execute(
        """with f as (select unnest($id) as _file_id, unnest($kode) as kode, unnest($tanggal)::date as tanggal)
           select f._file_id, l.file_sha256 from f join ingest.ledger l
             on l.kode_instansi = f.kode and l.entity = 'pegawai' and l.status = 'DIMUAT'
            and l.tanggal_ekstrak <= f.tanggal
           qualify row_number() over (
               partition by f._file_id order by l.tanggal_ekstrak desc, l.loaded_at desc, l.file_path desc) = 1""",
        {"id": list(files), "kode": [f.kode_instansi for f, _ in files.values()],
         "tanggal": [f.tanggal_ekstrak for f, _ in files.values()]},
    ).fetchall()  # fmt: skip
    return dict(rows)


def _load_rows(
    con,
    entity: Entity,
    files: dict[int, tuple[LandingFile, str]],
    reads: dict[int, ReadResult],
    now: dt.datetime,
    check_only: bool,
) -> dict[int, FileOutcome]:
    """Validate the rows of `incoming` (every file of `files`) and write raw, quarantine and warnings."""
    pegawai = {} if entity.name == "pegawai" else _current_pegawai(con, files)
    # Orphans are judged for every history file: against an empty set when the agency has no loaded
    # pegawai, except in `proasn check`, where they are not judged then (nothing to judge them by).
    checked_orphans = {i: entity.name == "pegawai" or i in pegawai or not check_only for i in files}
    con.execute(
        "create or replace temp table incoming_files as select unnest($id)::integer as _file_id, "
        "unnest($kode)::varchar as _kode_instansi, unnest($tanggal)::date as _tanggal_ekstrak, "
        "unnest($sha)::varchar as _file_sha256, unnest($path)::varchar as _file_path, "
        "unnest($cek)::boolean as _cek_yatim",
        {"id": list(files), "kode": [f.kode_instansi for f, _ in files.values()],
         "tanggal": [f.tanggal_ekstrak for f, _ in files.values()], "sha": [sha for _, sha in files.values()],
         "path": [f.rel_path for f, _ in files.values()], "cek": [checked_orphans[i] for i in files]},
    )  # fmt: skip
    orphans = None
    if entity.name != "pegawai":
        con.execute(
            "create or replace temp table current_pegawai as "
            "select distinct f._file_id, p.nip, p.pendidikan_terakhir "
            "from (select unnest($id) as _file_id, unnest($sha) as sha) f "
            "join raw.pegawai p on p._file_sha256 = f.sha where p.nip is not null",
            {"id": list(pegawai) or [-1], "sha": list(pegawai.values()) or [""]},
        )
        orphans = "current_pegawai"
    con.execute(
        "create or replace temp table checked as "
        + checked_sql(entity, "incoming", "incoming_files", orphans)
    )
    warnings_query = warnings_sql(entity, "checked", orphans)
    meta_values = (
        "f._kode_instansi, f._tanggal_ekstrak, f._file_sha256, f._file_path, c._line, $now::timestamp"
    )
    cols = ", ".join(entity.column_names)
    texts = ", ".join(raw_text_sql(c) for c in entity.columns)
    srcs = ", ".join(f"nullif(i.src_{c}, '')" for c in entity.column_names)  # an empty value: NULL
    # Sorted: without the ORDER BY (25% of the insert) DuckDB inserts the join's output from both cores
    # into part-filled row groups of their own: 16% more blocks for raw.*, read by every dbt build.
    con.execute(
        f"insert into raw.{entity.name} ({', '.join(META_COLUMNS)}, {cols}) "
        f"select {meta_values}, {texts} from checked c join incoming_files f using (_file_id) "
        "where len(c._reasons) = 0 order by c._file_id, c._line",
        {"now": now},
    )
    # Quarantined rows keep the values as written, from the incoming view.
    con.execute(
        f"insert into quarantine.{entity.name} ({', '.join(META_COLUMNS)}, _reasons, {cols}) "
        f"select {meta_values}, c._reasons, {srcs} from checked c join incoming_files f using (_file_id) "
        "join incoming i on i._file_id = c._file_id and i._line = c._line "
        "where len(c._reasons) > 0 order by c._file_id, c._line",
        {"now": now},
    )
    warnings: dict[int, dict[str, int]] = {}
    if warnings_query is not None:
        con.execute(
            "insert into ingest.peringatan select f._file_sha256, f._file_path, f._kode_instansi, "
            "f._tanggal_ekstrak, w._line, w.kode_alasan, w.kolom, w.keterangan "
            f"from ({warnings_query}) w join incoming_files f using (_file_id) "
            "order by w._file_id, w._line, w.kode_alasan"
        )
        for file_id, kode, count in con.execute(
            "select f._file_id, p.kode_alasan, count(*) from ingest.peringatan p "
            "join incoming_files f on p.file_sha256 = f._file_sha256 and p.file_path = f._file_path "
            "group by all order by all"
        ).fetchall():
            warnings.setdefault(file_id, {})[kode] = count
    counts = {
        file_id: (loaded, quarantined)
        for file_id, loaded, quarantined in con.execute(
            "select _file_id, count(*) filter (len(_reasons) = 0), count(*) filter (len(_reasons) > 0) "
            "from checked group by 1"
        ).fetchall()
    }
    reason_counts: dict[int, dict[str, int]] = {}
    for file_id, kode, count in con.execute(
        "select _file_id, split_part(r, ':', 1), count(*) from (select _file_id, unnest(_reasons) r from checked) "
        "group by all order by all"
    ).fetchall():
        reason_counts.setdefault(file_id, {})[kode] = count
    outcomes = {}
    for file_id, (file, sha) in files.items():
        loaded, quarantined = counts.get(file_id, (0, 0))
        rows_read = reads[file_id].rows_read
        assert loaded + quarantined == rows_read, (file.rel_path, rows_read, loaded, quarantined)
        reasons, file_warnings = reason_counts.get(file_id, {}), warnings.get(file_id, {})
        message = f"{loaded} baris dimuat, {quarantined} baris dikarantina."
        if reasons:
            message += " Alasan: " + ", ".join(f"{k} ({v})" for k, v in sorted(reasons.items())) + "."
        if file_warnings:
            message += f" {sum(file_warnings.values())} peringatan: " + ", ".join(
                f"{k} ({v})" for k, v in sorted(file_warnings.items())
            ) + "."  # fmt: skip
        if not checked_orphans[file_id]:
            message += f" {ORPHANS_SKIPPED_NOTE}."
        outcome = FileOutcome(file, sha, "DIMUAT", rows_read, loaded, quarantined, reasons, file_warnings,
                              message, orphans_checked=checked_orphans[file_id])  # fmt: skip
        outcome.extra_columns = reads[file_id].extra_columns
        if outcome.extra_columns:
            shown = outcome.extra_columns[:EXTRA_COLUMNS_SHOWN]
            more = len(outcome.extra_columns) - len(shown)
            outcome.message += (
                f" {EXTRA_COLUMNS_NOTE}: {', '.join(shown)}{f' (dan {more} lainnya)' if more else ''}."
            )
        if reads[file_id].other_sheets:
            outcome.message += f" {OTHER_SHEETS_NOTE.format(n=reads[file_id].other_sheets)}."
        outcomes[file_id] = outcome
    return outcomes


def _duplicate_outcome(file: LandingFile, sha: str, first_path: str) -> FileOutcome:
    detail = f"sama dengan {first_path}"
    return FileOutcome(file, sha, "DUPLIKAT", reasons={"BERKAS_DUPLIKAT": 1}, detail=detail,
                       message=file_message("BERKAS_DUPLIKAT", detail), duplicate_of=first_path)  # fmt: skip


def _fingerprint(file: LandingFile) -> str | OSError:
    """The file's sha256 (a symbolic link's: of its target path; it is never opened), or the error when
    it vanished or cannot be opened."""
    try:
        return symlink_sha256(file.path) if file.is_symlink else sha256_of(file.path)
    except OSError as error:
        return error


def _unopened_outcome(file: LandingFile, error: OSError) -> FileOutcome:
    """A file that exists but cannot be opened (no read permission, a folder now stands at its path):
    rejected in this run's outcomes, so the run's log and `proasn check` name it, but not written to the
    ledger, which keys files by their bytes: the next run tries it again."""
    detail = unopened_detail(error)
    return FileOutcome(file, "", "DITOLAK", reasons={"BERKAS_TIDAK_TERBACA": 1}, detail=detail,
                       message=file_message("BERKAS_TIDAK_TERBACA", detail), recorded=False)  # fmt: skip


def ingest_landing(
    con: duckdb.DuckDBPyConnection,
    landing: Path,
    today: dt.date,
    only: Path | None = None,
    check_only: bool = False,
) -> list[FileOutcome]:
    """Load every file not yet in the ledger (below `only`, when given); pegawai before the histories.

    `check_only` (for `proasn check`, on a scratch database): orphans are not judged when no pegawai of
    the agency was checked. Outcomes come in the ingest order (agency, tanggal_ekstrak, entity, path).
    """
    if only is not None:
        only = inside_landing(landing, only)
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
    found = discover(landing, today, below=only) if landing.exists() else []
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
    changed = [f for f in files if (f.rel_path, f.size, f.mtime_ns) not in seen_stat]  # others: not hashed
    # hashlib releases the GIL on large blocks: hash on every core.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        shas = list(pool.map(_fingerprint, changed))
    todo, outcomes = [], []
    for file, sha in zip(changed, shas, strict=True):
        if isinstance(sha, FileNotFoundError):
            continue  # vanished since the walk: nothing to report
        if isinstance(sha, OSError):
            outcomes.append(_unopened_outcome(file, sha))
            continue
        if (file.rel_path, sha) in seen:
            # Processed before (the ledger predates size/mtime, or the file was touched): remember
            # its stat so the next run skips it without hashing.
            con.execute(
                "update ingest.ledger set file_size = ?, file_mtime_ns = ? where file_path = ? and file_sha256 = ?",
                [file.size, file.mtime_ns, file.rel_path, sha],
            )
            continue
        todo.append((file, sha))
    with tempfile.TemporaryDirectory(prefix="proasn-ingest-") as workdir:
        pending, unloadable = todo, set()
        while pending:
            ready, pending = _next_round(pending, unloadable)
            for batch in _batches(ready):
                for outcome in _load_batch(con, batch, loaded_by_sha, Path(workdir), check_only):
                    outcomes.append(outcome)
                    if outcome.status == "DIMUAT" and outcome.rows_read > 0:
                        loaded_by_sha.setdefault(outcome.sha256, outcome.file.rel_path)
                    elif outcome.status in ("DIMUAT", "DITOLAK") and not outcome.file.file_problem:
                        unloadable.add((outcome.sha256, outcome.file.entity, outcome.file.extension))
                for path in Path(workdir).iterdir():  # transcoded copies of this batch
                    path.unlink()
    position = {f.path: i for i, f in enumerate(files)}
    return sorted(outcomes, key=lambda o: position[o.file.path])


def landing_root_of(path: Path) -> Path:
    """The landing root for a path that is a file, a submission folder, an agency folder or a whole tree."""
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
    path = Path(os.path.abspath(path))  # not resolved: a symbolic link given here is rejected, not followed
    with scratch_connection() as con:
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
    ok = sum(1 for f in files if f["dapat_diterima"])
    return {"path": display_name(str(path)), "files": files, "ok": ok, "acceptable": ok == len(files)}


@contextmanager
def scratch_connection():
    """An in-memory DuckDB (`proasn check`) whose spills to disk, the submissions' rows (personal data),
    go to a private temporary folder (0700, removed afterwards), not to DuckDB's default `.tmp` folder in
    the current directory."""
    with tempfile.TemporaryDirectory(prefix="proasn-check-") as spill:
        con = duckdb.connect(config={"temp_directory": spill})
        try:
            yield con
        finally:
            con.close()
