"""Publish: the analysts' read-only warehouse, written beside the old one and swapped in atomically.

Readers (analysts, BI tools) open published/proasn.duckdb read-only and never the working warehouse, so a
refresh never blocks them and they never see a half-written file: the new file is complete and
checkpointed before os.replace() puts it in place, and a reader that has the old file open keeps it.
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
# Direct identifiers (R12) that must never reach a published table, by column name.
IDENTIFYING_COLUMNS = frozenset({"nip", "nik", "nama", "tanggal_lahir", "tempat_lahir", "gelar_depan",
                                 "gelar_belakang"})  # fmt: skip


class PrivacyError(RuntimeError):
    """A table about to be published carries a direct identifier."""


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def is_aggregate(columns: list[str]) -> bool:
    """A published table without the person key holds aggregates or reference data, never persons."""
    return PERSON_KEY not in columns


def publish_warehouse(
    con: duckdb.DuckDBPyConnection, published_path: Path, parquet_dir: Path, models: list[dict]
) -> dict[str, int]:
    """Copy the published models into a new DuckDB file and the aggregates into new Parquet files,
    then swap each into place. Until the swap, readers keep seeing the previous snapshot."""
    published_path.parent.mkdir(parents=True, exist_ok=True)
    # Leftovers of a publish that was killed half-way (only one publish runs at a time: the pool).
    for leftover in published_path.parent.glob(".*.tmp"):
        shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
    token = uuid.uuid4().hex
    tmp = published_path.with_name(f".{published_path.name}.{token}.tmp")
    staged_parquet = parquet_dir.with_name(f".{parquet_dir.name}.{token}.tmp")
    staged_parquet.mkdir(parents=True)
    counts = {}
    con.execute(f"attach {_quote(str(tmp))} as publish_target")
    try:
        for model in models:
            name, schema = model["name"], model["schema"]
            columns = [r[0] for r in con.execute(f"describe {schema}.{name}").fetchall()]
            leaked = IDENTIFYING_COLUMNS.intersection(columns)
            if leaked:
                raise PrivacyError(f"{schema}.{name} has identifying columns {sorted(leaked)}: not published")
            target = f"publish_target.main.{name}"
            con.execute(f"create table {target} as select * from {schema}.{name}")
            if model.get("description"):
                con.execute(f"comment on table {target} is {_quote(model['description'])}")
            for column, spec in model.get("columns", {}).items():
                if column in columns and spec.get("description"):
                    con.execute(f"comment on column {target}.{column} is {_quote(spec['description'])}")
            if is_aggregate(columns):
                parquet = staged_parquet / f"{name}.parquet"
                con.execute(f"copy {target} to {_quote(str(parquet))} (format parquet, compression zstd)")
            counts[name] = con.execute(f"select count(*) from {target}").fetchall()[0][0]
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
    return counts


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
        counts = publish_warehouse(con, settings.published_path, settings.parquet_dir, models)
    return dg.MaterializeResult(
        metadata={"path": str(settings.published_path), **{f"rows_{k}": v for k, v in counts.items()}}
    )
