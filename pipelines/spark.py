"""The Spark engine (PROASN_ENGINE=spark, docs/spark-engine.md): the same dbt project built on Apache Spark through
dbt-spark, while DuckDB keeps the ingest (ledger, raw, quarantine) and everything read after dbt.

Around dbt's build on Spark, a refresh:
1. export_sources(): each loaded file's accepted rows as Parquet, once per file (ingest.parket says which files
   are there), under <home>/spark/sumber/raw/<entity>/<agency>/, its warnings likewise, the ledger whole, and the
   pseudonymous key of every NIP (langkah_spark.kunci_asn), computed here where the secret is held. dbt's
   on-run-start makes each source a Spark view over its folder (dbt_project/macros/spark_sources.sql).
2. dbt builds everything but R12's pattern and what follows it; write_pattern() computes the pattern with
   pipelines/disclosure.py over the agr_* tables Spark wrote; dbt builds the rest
   (models/agregat/spark/pola_penekanan.sql takes the pattern in). dbt-spark runs Python models on Databricks only.
3. copy_back(): every table dbt built on Spark replaces its namesake in the working warehouse, so that the checks,
   the audit, the publish, the reports and the packs read what they read on DuckDB.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import duckdb

from pipelines.contract import ENTITY_NAMES
from pipelines.disclosure import AGGREGATES, pattern
from pipelines.pseudonym import asn_key_macro_sql

PATTERN_MODEL = "model.proasn.pola_penekanan"
# The schemas dbt writes (dbt_project.yml): copied back into the working warehouse after a build on Spark.
DBT_SCHEMAS = ("referensi", "staging", "intermediate", "agregat", "marts", "terbatas", "riwayat", "status")
PER_FILE_SOURCES = {**{e: ("raw", e) for e in ENTITY_NAMES}, "peringatan": ("ingest", "peringatan")}
WHOLE = "semua"  # the one folder of a source written whole at every refresh
PATTERN_COLUMNS = ("tabel", "kunci", "kolom", "penekanan")  # R12's pattern (pipelines/disclosure.py)
PARKET_DDL = """
create table if not exists ingest.parket (
    file_sha256 varchar not null,
    file_path varchar not null,
    loaded_at timestamp not null,     -- the ledger's: a file loaded again is written again
    kode_instansi varchar not null,
    entity varchar not null,
    parket varchar not null,          -- the file's name in each of its source folders
    primary key (file_path, file_sha256)
)"""


def spark_dir(home: Path) -> Path:
    """Everything of the Spark engine under the home: sumber/ (the sources as Parquet), gudang/ (Spark's tables),
    metastore/ (Spark's catalog)."""
    return home / "spark"


def sources_dir(home: Path) -> Path:
    return spark_dir(home) / "sumber"


def tables_dir(home: Path) -> Path:
    """spark.sql.warehouse.dir: a table `schema.name` is the folder <tables_dir>/<schema>.db/<name>."""
    return spark_dir(home) / "gudang"


def dbt_environment(home: Path) -> dict[str, str]:
    """The environment variables dbt's spark target reads (dbt_project/profiles.yml)."""
    return {"PROASN_SPARK_HOME": str(spark_dir(home))}


def build_phases(manifest: dict) -> tuple[list[str], list[str]]:
    """The dbt arguments of the two phases of a build on Spark: every node but R12's pattern and what follows it,
    then those. Both as --exclude: dagster-dbt adds its own --select (the assets a run materialises), and of two
    --select flags dbt keeps the last. The second phase selects tests cautiously: excluding a first-phase model
    would otherwise exclude a test that also reads a second-phase one."""
    after, todo = set(), [PATTERN_MODEL]
    while todo:
        node = todo.pop()
        if node not in after:
            after.add(node)
            todo.extend(manifest["child_map"].get(node, []))
    names = {False: [], True: []}
    for unique_id, node in manifest["nodes"].items():
        if node["resource_type"] in ("model", "seed", "test", "snapshot"):
            names[unique_id in after].append(node["name"])
    return (
        ["--exclude", " ".join(sorted(names[True]))],
        ["--exclude", " ".join(sorted(names[False])), "--indirect-selection", "cautious"],
    )


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _write_parquet(con, query: str, params: list, path: Path) -> None:
    """The query's rows as one Parquet file at `path`, replaced whole (a reader sees the old file or the new)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(f".{path.name}.tmp")
    con.execute(f"copy ({query}) to {_quote(staged)} (format parquet)", params)
    os.replace(staged, path)


def _file_name(sha256: str, file_path: str) -> str:
    return f"{sha256[:16]}-{hashlib.sha256(file_path.encode()).hexdigest()[:12]}.parquet"


def export_sources(con: duckdb.DuckDBPyConnection, home: Path, pseudonym_key: str) -> dict[str, int]:
    """Bring the Parquet sources under <home>/spark/sumber up to the working warehouse's ingest: files loaded
    since the last export written, files forgotten since (a per-agency re-run) removed, the ledger and the keys
    written whole. Returns how many files were written and removed."""
    root = sources_dir(home)
    con.execute(PARKET_DDL)
    # An empty file per per-file source gives Spark the columns before any agency's file is there.
    for schema, table in PER_FILE_SOURCES.values():
        empty = root / schema / table / "_skema" / "kosong.parquet"
        if not empty.exists():
            _write_parquet(con, f"select * from {schema}.{table} limit 0", [], empty)
    gone = con.execute(
        "select p.file_sha256, p.file_path, p.kode_instansi, p.entity, p.parket from ingest.parket p "
        "left join ingest.ledger l on l.file_sha256 = p.file_sha256 and l.file_path = p.file_path "
        "and l.loaded_at = p.loaded_at and l.status = 'DIMUAT' where l.file_sha256 is null"
    ).fetchall()
    for sha, path, kode, entity, parket in gone:
        for name in (entity, "peringatan"):
            schema, table = PER_FILE_SOURCES[name]
            (root / schema / table / kode / parket).unlink(missing_ok=True)
        con.execute("delete from ingest.parket where file_sha256 = ? and file_path = ?", [sha, path])
    todo = con.execute(
        "select l.file_sha256, l.file_path, l.loaded_at, l.kode_instansi, l.entity from ingest.ledger l "
        "anti join ingest.parket p using (file_sha256, file_path) "
        "where l.status = 'DIMUAT' and l.entity is not null order by l.kode_instansi, l.file_path"
    ).fetchall()
    for sha, path, loaded_at, kode, entity in todo:
        parket = _file_name(sha, path)
        rows = f"select * from raw.{entity} where _file_sha256 = ? and _file_path = ?"
        _write_parquet(con, rows, [sha, path], root / "raw" / entity / kode / parket)
        warnings = "select * from ingest.peringatan where file_sha256 = ? and file_path = ?"
        if con.execute(f"select exists ({warnings})", [sha, path]).fetchone()[0]:
            _write_parquet(con, warnings, [sha, path], root / "ingest" / "peringatan" / kode / parket)
        con.execute(
            "insert into ingest.parket values (?, ?, ?, ?, ?, ?)",
            [sha, path, loaded_at, kode, entity, parket],
        )
    _write_parquet(
        con, "select * from ingest.ledger", [], root / "ingest" / "ledger" / WHOLE / "ledger.parquet"
    )
    pattern_file = root / "langkah_spark" / "pola_penekanan" / WHOLE / "pola_penekanan.parquet"
    if not pattern_file.exists():  # its view is made before dbt's first phase; write_pattern() fills it
        columns = ", ".join(f"null::varchar as {c}" for c in PATTERN_COLUMNS)
        _write_parquet(con, f"select {columns} limit 0", [], pattern_file)
    con.execute(asn_key_macro_sql(pseudonym_key))  # a temporary macro of this connection: never stored
    _write_parquet(
        con,
        "select nip, asn_key(nip) as asn_key from (select distinct nip from raw.pegawai where nip is not null)",
        [],
        root / "langkah_spark" / "kunci_asn" / WHOLE / "kunci_asn.parquet",
    )
    return {"ditulis": len(todo), "dihapus": len(gone)}


def _table_files(home: Path, schema: str, table: str) -> str:
    """Every Parquet file of a table Spark wrote (partitions in subfolders), as a SQL string."""
    return _quote(tables_dir(home) / f"{schema}.db" / table / "**" / "*.parquet")


def write_pattern(home: Path, k: int) -> int:
    """R12's pattern over the agr_* tables dbt built on Spark, as langkah_spark.pola_penekanan. Returns its rows."""
    with duckdb.connect() as con:
        frames = {
            table.name: con.execute(
                f"select * from read_parquet({_table_files(home, 'agregat', 'agr_' + table.name)})"
            ).df()
            for table in AGGREGATES
        }
        cells = pattern(frames, k)
        con.register("pola", cells)
        target = sources_dir(home) / "langkah_spark" / "pola_penekanan" / WHOLE / "pola_penekanan.parquet"
        _write_parquet(con, f"select {', '.join(PATTERN_COLUMNS)} from pola", [], target)
    return len(cells)


def copy_back(con: duckdb.DuckDBPyConnection, home: Path) -> list[str]:
    """Every table of dbt's schemas on Spark replaces its namesake in the working warehouse (one transaction).
    Returns the tables copied, as schema.name."""
    copied = []
    con.execute("begin transaction")
    try:
        for schema in DBT_SCHEMAS:
            folder = tables_dir(home) / f"{schema}.db"
            if not folder.is_dir():
                continue
            con.execute(f'create schema if not exists "{schema}"')
            for table in sorted(p.name for p in folder.iterdir() if p.is_dir()):
                files = f"read_parquet({_table_files(home, schema, table)}, hive_partitioning = true)"
                # Spark's timestamps (UTC, its session's zone) come back as DuckDB's plain timestamps, as dbt
                # writes them on DuckDB.
                utc = [f"timezone('UTC', \"{name}\") as \"{name}\""
                       for name, kind, *_ in con.execute(f"describe select * from {files}").fetchall()
                       if kind == "TIMESTAMP WITH TIME ZONE"]  # fmt: skip
                columns = f"* replace ({', '.join(utc)})" if utc else "*"
                con.execute(f'create or replace table "{schema}"."{table}" as select {columns} from {files}')
                copied.append(f"{schema}.{table}")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return copied
