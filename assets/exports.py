"""The agency feedback packs as a Dagster asset in a job of its own (pipelines/exports.py builds them)."""

import time

import dagster as dg
from dagster_dbt import get_asset_key_for_model
from dagster_duckdb import DuckDBResource

from assets.dbt import dbt_warehouse
from assets.ingest import WAREHOUSE_POOL
from assets.publish import PUBLISHED_KEY
from assets.resources import ProasnConfig
from pipelines.exports import PACKS_PROGRESS, RESTRICTED_MODELS, build_exports

EXPORTS_KEY = dg.AssetKey(["exports", "paket_instansi"])
PROGRESS_SECONDS = 5


@dg.asset(
    key=EXPORTS_KEY,
    deps=[PUBLISHED_KEY, *(get_asset_key_for_model([dbt_warehouse], m) for m in RESTRICTED_MODELS)],
    group_name="publish",
    kinds={"csv", "xlsx"},
    pool=WAREHOUSE_POOL,
    description="Agency feedback packs under PROASN_HOME/exports/<kode_instansi>/ (RESTRICTED: NIP and names; "
    "owner-only files): recommendations per person, succession candidates, indicators beside the provincial "
    "and national medians, and every quarantined row with how to fix it.",
)
def paket_instansi(context: dg.AssetExecutionContext, warehouse: DuckDBResource, proasn: ProasnConfig):
    settings = proasn.settings()
    shown = [0.0]

    def progress(done: int, total: int) -> None:
        # A line every few seconds (and the last): `proasn refresh` shows it as the packs' progress bar.
        if done == total or time.monotonic() - shown[0] >= PROGRESS_SECONDS:
            shown[0] = time.monotonic()
            context.log.info(f"{PACKS_PROGRESS}{done} of {total}")

    worker_peaks: list[int] = []
    with warehouse.get_connection() as con:
        written = build_exports(con, settings.exports_dir, progress, worker_peaks)
    rewritten = {kode: people for kode, people in written.items() if people is not None}
    context.log.info(
        f"{len(rewritten)} agency packs written, {len(written) - len(rewritten)} unchanged, "
        f"under {settings.exports_dir}"
    )
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(settings.exports_dir)),
            "agencies": len(written),
            "packs_rewritten": len(rewritten),
            "people_in_rewritten_packs": sum(rewritten.values()),
            # the largest pack writer's peak resident memory (a worker process, one per core)
            "largest_worker_peak_bytes": max(worker_peaks, default=0),
        }
    )
