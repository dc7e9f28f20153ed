"""Publish: the analysts' read-only warehouse, written beside the old one and swapped in atomically.

Readers (analysts, BI tools) open published/proasn.duckdb read-only and never the working warehouse, so a
refresh never blocks them and they never see a half-written file: the new file is complete and
checkpointed before os.replace() puts it in place, and a reader that has the old file open keeps it.

The new file starts as a copy of the old one when it can: the small tables are written again, and the person-level
ones (mart_talenta_asn, 5.4M rows at national scale) only for the agencies whose rows differ. Which agencies
those are comes from a fingerprint of each agency's rows, kept in the published file itself (FINGERPRINTS), so
the record and the rows it describes are swapped in together and can never disagree.
"""

import os
import shutil
import uuid
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import get_asset_key_for_model
from dagster_duckdb import DuckDBResource

from assets.dbt import dbt_project, dbt_warehouse, ensure_manifest, published_models
from assets.ingest import WAREHOUSE_POOL
from pipelines.resources import ProasnConfig

PUBLISHED_KEY = dg.AssetKey(["published", "proasn_duckdb"])
PERSON_KEY = "asn_key"
AGENCY_KEY = "kode_instansi"
# Direct identifiers (R12) that must never reach a published table, by column name.
IDENTIFYING_COLUMNS = frozenset({"nip", "nik", "nama", "tanggal_lahir", "tempat_lahir", "gelar_depan",
                                 "gelar_belakang"})  # fmt: skip
# In the published file, beside the analysts' tables (schema main): for each person-level table and agency, the
# number of rows and the sum of their row hashes when they were published. No person's data.
FINGERPRINTS = "publikasi.sidik_instansi"
FINGERPRINT_COLUMNS = f"tabel varchar, {AGENCY_KEY} varchar, jumlah_baris bigint, sidik hugeint"
# Replacing agencies leaves the deleted rows' blocks free in the file (DuckDB reuses them later). The file is
# written anew when more than this share of its blocks is free (and at least REWRITE_FREE_BYTES: a few free
# blocks of a small file waste nothing), or when more than this share of a table's rows would be replaced.
REWRITE_SHARE = 0.25
REWRITE_FREE_BYTES = 16 * 2**20


class PrivacyError(RuntimeError):
    """A table about to be published carries a direct identifier."""


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def is_aggregate(columns: list[str]) -> bool:
    """A published table without the person key holds aggregates or reference data, never persons."""
    return PERSON_KEY not in columns


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in con.execute(f"describe {relation}").fetchall()]


def _by_agency(columns: list[str]) -> bool:
    """A person-level table with the agency of each row: published agency by agency."""
    return not is_aggregate(columns) and AGENCY_KEY in columns


def _fingerprint(con: duckdb.DuckDBPyConnection, sources: dict[str, str]) -> None:
    """publish_sidik: for each table published agency by agency (name: warehouse relation) and each agency,
    its rows and the sum of their hashes (a sum, so that two equal rows do not cancel out)."""
    con.execute(f"create or replace temp table publish_sidik ({FINGERPRINT_COLUMNS})")
    for name, source in sources.items():
        con.execute(
            f"insert into publish_sidik select {_quote(name)}, {AGENCY_KEY}, count(*), sum(hash(t)::hugeint) "
            f"from {source} as t group by {AGENCY_KEY}"
        )


def _from_previous(
    con: duckdb.DuckDBPyConnection, published_path: Path, columns: dict[str, list[tuple[str, str]]]
) -> bool:
    """Whether the new file can start as a copy of the published one: that holds exactly the tables to publish,
    with the same columns, is not too sparse, and few of its rows differ from the warehouse's. If so,
    publish_berubah lists the agencies to replace in each table published agency by agency. `columns`: each
    table to publish, with its columns and types in the warehouse."""
    if not published_path.exists():
        return False
    try:
        con.execute(f"attach {_quote(str(published_path))} as publish_previous (read_only)")
    except duckdb.Error:  # unreadable, or locked by a writer: not a start to trust
        return False
    try:
        tables = {r[0] for r in con.execute(
            "select schema_name || '.' || table_name from duckdb_tables() where database_name = 'publish_previous'"
        ).fetchall()}  # fmt: skip
        if tables != {f"main.{name}" for name in columns} | {FINGERPRINTS}:
            return False
        if any(_columns(con, f"publish_previous.main.{name}") != typed for name, typed in columns.items()):
            return False
        if _columns(con, f"publish_previous.{FINGERPRINTS}") != _columns(con, "publish_sidik"):
            return False
        total, free, block_size = con.execute(
            "select total_blocks, free_blocks, block_size from pragma_database_size()"
            " where database_name = 'publish_previous'"
        ).fetchone()
        if free > REWRITE_SHARE * total and free * block_size >= REWRITE_FREE_BYTES:
            return False
        con.execute(
            f"""create or replace temp table publish_berubah as
            select coalesce(baru.tabel, lama.tabel) as tabel, coalesce(baru.{AGENCY_KEY}, lama.{AGENCY_KEY}) as {AGENCY_KEY},
                   coalesce(baru.jumlah_baris, 0) + coalesce(lama.jumlah_baris, 0) as baris
            from publish_sidik as baru
            full join publish_previous.{FINGERPRINTS} as lama
                on baru.tabel = lama.tabel and baru.{AGENCY_KEY} is not distinct from lama.{AGENCY_KEY}
            where baru.jumlah_baris is distinct from lama.jumlah_baris or baru.sidik is distinct from lama.sidik"""
        )  # fmt: skip
        # Old and new rows of each agency are counted: against twice the table's rows.
        too_many = con.execute(
            f"""select count(*) from (select tabel, sum(baris) as baris from publish_berubah group by tabel) as b
            join (select tabel, sum(jumlah_baris) as semua from publish_sidik group by tabel) as s using (tabel)
            where b.baris > {REWRITE_SHARE} * 2 * s.semua"""
        ).fetchone()[0]
        return too_many == 0
    finally:
        con.execute("detach database publish_previous")


def _replace_changed_agencies(con: duckdb.DuckDBPyConnection, source: str, name: str) -> list[str]:
    """In the copy of the published table, replace the rows of the agencies listed in publish_berubah."""
    target = f"publish_target.main.{name}"
    changed = f"publish_berubah.tabel = {_quote(name)} and {{table}}.{AGENCY_KEY} is not distinct from publish_berubah.{AGENCY_KEY}"
    con.execute(f"delete from {target} using publish_berubah where {changed.format(table=target)}")
    con.execute(
        f"insert into {target} select t.* from {source} as t "
        f"where exists (select 1 from publish_berubah where {changed.format(table='t')})"
    )
    return [r[0] for r in con.execute(
        f"select {AGENCY_KEY} from publish_berubah where tabel = {_quote(name)} order by 1"
    ).fetchall()]  # fmt: skip


def publish_warehouse(
    con: duckdb.DuckDBPyConnection, published_path: Path, parquet_dir: Path, models: list[dict]
) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Write the published models into a new DuckDB file and the aggregates into new Parquet files, then swap
    each into place; until the swap, readers keep seeing the previous snapshot. Returns the rows of each table
    and, when the new file started as a copy of the previous one, the agencies replaced in each table published
    agency by agency (empty when the file was written whole)."""
    typed_columns, by_agency = {}, {}  # each table's columns and types in the warehouse, read once
    for model in models:
        name, source = model["name"], f"{model['schema']}.{model['name']}"
        typed_columns[name] = _columns(con, source)
        columns = [c for c, _ in typed_columns[name]]
        leaked = IDENTIFYING_COLUMNS.intersection(columns)
        if leaked:
            raise PrivacyError(f"{source} has identifying columns {sorted(leaked)}: not published")
        if _by_agency(columns):
            by_agency[name] = source
    published_path.parent.mkdir(parents=True, exist_ok=True)
    # Leftovers of a publish that was killed half-way, with DuckDB's .tmp.wal beside the file (only one publish
    # runs at a time: the pool).
    for leftover in published_path.parent.glob(".*.tmp*"):
        shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
    token = uuid.uuid4().hex
    tmp = published_path.with_name(f".{published_path.name}.{token}.tmp")
    staged_parquet = parquet_dir.with_name(f".{parquet_dir.name}.{token}.tmp")
    staged_parquet.mkdir(parents=True)
    _fingerprint(con, by_agency)
    from_previous = _from_previous(con, published_path, typed_columns)
    if from_previous:
        shutil.copyfile(published_path, tmp)
    counts, replaced = {}, {}
    con.execute(f"attach {_quote(str(tmp))} as publish_target")
    try:
        for model in models:
            name, source = model["name"], f"{model['schema']}.{model['name']}"
            target = f"publish_target.main.{name}"
            if from_previous and name in by_agency:
                replaced[name] = _replace_changed_agencies(con, source, name)
            else:
                con.execute(f"create or replace table {target} as select * from {source}")
            if model.get("description"):
                con.execute(f"comment on table {target} is {_quote(model['description'])}")
            columns = [c for c, _ in typed_columns[name]]
            for column, spec in model.get("columns", {}).items():
                if column in columns and spec.get("description"):
                    con.execute(f"comment on column {target}.{column} is {_quote(spec['description'])}")
            if is_aggregate(columns):
                parquet = staged_parquet / f"{name}.parquet"
                con.execute(f"copy {target} to {_quote(str(parquet))} (format parquet, compression zstd)")
            counts[name] = con.execute(f"select count(*) from {target}").fetchall()[0][0]
        con.execute("create schema if not exists publish_target.publikasi")
        con.execute(f"create or replace table publish_target.{FINGERPRINTS} as select * from publish_sidik")
        con.execute("checkpoint publish_target")
    finally:
        con.execute("detach database if exists publish_target")
    try:
        os.chmod(tmp, 0o644)  # analysts' copy: readable by the readers' group and others
        os.replace(tmp, published_path)
        parquet_dir.mkdir(parents=True, exist_ok=True)
        for stale in set(p.name for p in parquet_dir.glob("*.parquet")) - set(
            p.name for p in staged_parquet.glob("*.parquet")
        ):
            (parquet_dir / stale).unlink()
        for parquet in sorted(staged_parquet.glob("*.parquet")):
            os.chmod(parquet, 0o644)
            os.replace(parquet, parquet_dir / parquet.name)
    finally:
        tmp.unlink(missing_ok=True)
        shutil.rmtree(staged_parquet, ignore_errors=True)
    return counts, replaced


_MODELS = published_models(ensure_manifest())


@dg.asset(
    key=PUBLISHED_KEY,
    deps=[get_asset_key_for_model([dbt_warehouse], m["name"]) for m in _MODELS],
    group_name="publish",
    kinds={"duckdb"},
    pool=WAREHOUSE_POOL,
    description="published/proasn.duckdb: the marts analysts and BI tools read (no direct identifiers).",
)
def published_warehouse(context: dg.AssetExecutionContext, warehouse: DuckDBResource, proasn: ProasnConfig):
    settings = proasn.settings()
    models = published_models(dbt_project.manifest_path)
    with warehouse.get_connection() as con:
        counts, replaced = publish_warehouse(con, settings.published_path, settings.parquet_dir, models)
    for name, agencies in replaced.items():
        context.log.info(f"{name}: {len(agencies)} agencies replaced in a copy of the previous snapshot")
    return dg.MaterializeResult(
        metadata={
            "path": str(settings.published_path),
            # person-level tables updated agency by agency: how many agencies; the rest were written whole
            **{f"agencies_replaced_{k}": len(v) for k, v in replaced.items()},
            **{f"rows_{k}": v for k, v in counts.items()},
        }
    )
