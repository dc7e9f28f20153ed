"""The warehouse compaction as a Dagster asset, in a nightly job of its own (pipelines/compaction.py)."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.ingest import WAREHOUSE_POOL
from pipelines.compaction import compact_warehouse

PEMADATAN_KEY = dg.AssetKey(["pemeliharaan", "riwayat_pemadatan"])


@dg.asset(
    key=PEMADATAN_KEY,
    group_name="pemeliharaan",
    kinds={"duckdb"},
    pool=WAREHOUSE_POOL,
    description="Compacts the warehouse file: the rows per-agency rebuilds deleted are vacuumed away by one "
    "checkpoint (refreshes skip DuckDB's vacuum to stay fast). One row per run: when, how long, bytes in use "
    "before and after.",
)
def riwayat_pemadatan(context: dg.AssetExecutionContext, warehouse: DuckDBResource) -> dg.MaterializeResult:
    with warehouse.get_connection() as con:
        record = compact_warehouse(con)
    freed = record["bita_terpakai_sebelum"] - record["bita_terpakai_sesudah"]
    context.log.info(f"Compacted in {record['detik']:.1f} s: {freed / 2**20:,.1f} MiB freed.")
    return dg.MaterializeResult(
        metadata={
            "seconds": round(record["detik"], 2),
            "used_mib_before": round(record["bita_terpakai_sebelum"] / 2**20, 1),
            "used_mib_after": round(record["bita_terpakai_sesudah"] / 2**20, 1),
        }
    )
