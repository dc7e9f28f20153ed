"""Ingest: every new file under the landing tree into raw.*, quarantine.* and the ingest ledger.

Each file is loaded in one transaction: all its rows land (in raw or quarantine) with its ledger row, or
nothing does. A file whose bytes were loaded before is not loaded again. Rows read = rows loaded + rows
quarantined, for every file.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.contract import ENTITIES, ENTITY_NAMES, META_COLUMNS, REASONS
from pipelines.validation import (
    TANGGAL_RE,
    LandingFile,
    discover,
    normalised_sql,
    read_file,
    register_reference,
    sha256_of,
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
"""


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


@dataclass
class FileOutcome:
    file: LandingFile
    sha256: str
    status: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    reasons: dict[str, int] | None = None
    message: str = ""


def file_message(code: str, detail: str = "") -> str:
    reason = REASONS[code]
    text = f"[{code}] {reason.pesan}"
    if detail:
        text += f" ({detail})"
    return f"{text} {reason.perbaikan}"


def _current_pegawai_table(con: duckdb.DuckDBPyConnection, kode_instansi: str) -> str:
    """Temp table of the NIPs in the agency's newest loaded pegawai submission (orphan check)."""
    con.execute(
        """create or replace temp table current_pegawai as
           select distinct nip from raw.pegawai
           where _kode_instansi = $1 and _tanggal_ekstrak = (
               select max(_tanggal_ekstrak) from raw.pegawai where _kode_instansi = $1)""",
        [kode_instansi],
    )
    return "current_pegawai"


def load_file(con: duckdb.DuckDBPyConnection, file: LandingFile, sha: str, workdir: Path) -> FileOutcome:
    """Validate one file and write it to raw/quarantine/ledger in one transaction."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    if file.file_problem:
        status = "DIABAIKAN" if file.file_problem in ("ENTITAS_TIDAK_DIKENAL",) else "DITOLAK"
        outcome = FileOutcome(file, sha, status, reasons={file.file_problem: 1},
                              message=file_message(file.file_problem, file.rel_path))  # fmt: skip
    else:
        read = read_file(con, file, "incoming", workdir)
        if read.problem:
            outcome = FileOutcome(file, sha, "DITOLAK", reasons={read.problem: 1},
                                  message=file_message(read.problem, read.detail))  # fmt: skip
        else:
            outcome = _load_rows(con, file, sha, read.rows_read, now)
            if read.extra_columns:
                outcome.message += f" Kolom tambahan diabaikan: {', '.join(read.extra_columns)}."
    con.execute(
        "insert into ingest.ledger values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [sha, file.rel_path, file.kode_instansi or None, file.tanggal_ekstrak, file.entity, outcome.status,
         outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined,
         json.dumps(outcome.reasons or {}, sort_keys=True), outcome.message.strip(), now],
    )  # fmt: skip
    return outcome


def _load_rows(con, file: LandingFile, sha: str, rows_read: int, now: dt.datetime) -> FileOutcome:
    entity = ENTITIES[file.entity]
    pegawai_table = None if entity.name == "pegawai" else _current_pegawai_table(con, file.kode_instansi)
    con.execute(
        f"create or replace temp table checked as "
        f"{normalised_sql(entity, 'incoming', file.tanggal_ekstrak, pegawai_table)}"
    )
    meta_values = "$kode, $tanggal::date, $sha, $path, _line, $now::timestamp"
    params = {"kode": file.kode_instansi, "tanggal": file.tanggal_ekstrak.isoformat(), "sha": sha,
              "path": file.rel_path, "now": now}  # fmt: skip
    cols = ", ".join(entity.column_names)
    srcs = ", ".join(f"src_{c}" for c in entity.column_names)
    con.execute(
        f"insert into raw.{entity.name} ({', '.join(META_COLUMNS)}, {cols}) "
        f"select {meta_values}, {cols} from checked where len(_reasons) = 0 order by _line",
        params,
    )
    con.execute(
        f"insert into quarantine.{entity.name} ({', '.join(META_COLUMNS)}, _reasons, {cols}) "
        f"select {meta_values}, _reasons, {srcs} from checked where len(_reasons) > 0 order by _line",
        params,
    )
    loaded, quarantined = con.execute(
        "select count(*) filter (len(_reasons) = 0), count(*) filter (len(_reasons) > 0) from checked"
    ).fetchall()[0]
    reason_counts = Counter(
        dict(
            con.execute(
                "select split_part(r, ':', 1), count(*) from (select unnest(_reasons) r from checked) group by 1"
            ).fetchall()
        )
    )
    message = f"{loaded} baris dimuat, {quarantined} baris dikarantina."
    if reason_counts:
        message += " Alasan: " + ", ".join(f"{k} ({v})" for k, v in sorted(reason_counts.items())) + "."
    return FileOutcome(file, sha, "DIMUAT", rows_read, loaded, quarantined, dict(reason_counts), message)


def ingest_landing(
    con: duckdb.DuckDBPyConnection, landing: Path, today: dt.date, only: Path | None = None
) -> list[FileOutcome]:
    """Load every file not yet in the ledger (below `only`, when given); pegawai before the histories."""
    ensure_tables(con)
    register_reference(con)
    seen = {row[0] for row in con.execute("select distinct file_sha256 from ingest.ledger").fetchall()}
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
            sha = sha256_of(file.path)
            if sha in seen:
                continue
            con.execute("begin transaction")
            try:
                outcomes.append(load_file(con, file, sha, Path(workdir)))
                con.execute("commit")
            except BaseException:
                con.execute("rollback")
                raise
            seen.add(sha)
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


def check_submissions(path: Path, today: dt.date | None = None) -> dict:
    """`proasn check`: the ingest's own validation in a scratch in-memory database; nothing is loaded.

    Orphans are judged against the pegawai of the checked submissions themselves.
    """
    path = path.resolve()
    con = duckdb.connect()
    try:
        outcomes = ingest_landing(con, landing_root_of(path), today or dt.date.today(), only=path)
        files = []
        for outcome in outcomes:
            rows = []
            if outcome.file.entity and outcome.rows_quarantined:
                rows = [
                    {"line": line, "alasan": reasons}
                    for line, reasons in con.execute(
                        f"select _line, _reasons from quarantine.{outcome.file.entity} "
                        "where _file_path = ? order by _line",
                        [outcome.file.rel_path],
                    ).fetchall()
                ]
            files.append({
                "file_path": outcome.file.rel_path, "status": outcome.status, "baris_dibaca": outcome.rows_read,
                "baris_dimuat": outcome.rows_loaded, "baris_karantina": outcome.rows_quarantined,
                "alasan": outcome.reasons or {}, "pesan": outcome.message.strip(), "baris": rows,
            })  # fmt: skip
    finally:
        con.close()
    ok = sum(1 for f in files if f["status"] == "DIMUAT" and f["baris_karantina"] == 0)
    return {"path": str(path), "files": files, "ok": ok, "acceptable": ok == len(files)}
