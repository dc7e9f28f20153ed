"""The ingest asset: new landing files into raw.*, quarantine.* and the ledger (pipelines/ingest.py)."""

import datetime as dt
from collections import Counter

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.contract import ENTITIES, ENTITY_NAMES
from pipelines.ingest import ingest_landing
from pipelines.resources import ProasnConfig

WAREHOUSE_POOL = "warehouse"  # every asset that writes the warehouse; limit 1 (DAGSTER_HOME/dagster.yaml)
LEDGER_KEY = dg.AssetKey(["ingest", "ledger"])


def raw_key(entity: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", entity])


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            raw_key(e),
            description=f"Accepted rows of {e}: {ENTITIES[e].description}.",
            group_name="ingest",
            kinds={"duckdb"},
        )  # fmt: skip
        for e in ENTITY_NAMES
    ]
    + [
        dg.AssetSpec(
            LEDGER_KEY,
            description="One row per landing file: hash, counts, status, message.",
            group_name="ingest",
            kinds={"duckdb"},
        )  # fmt: skip
    ],
    pool=WAREHOUSE_POOL,
    can_subset=False,
)
def ingest(context: dg.AssetExecutionContext, warehouse: DuckDBResource, proasn: ProasnConfig):
    """Read every new file under PROASN_LANDING; load accepted rows, quarantine the rest with reasons."""
    settings = proasn.settings()
    with warehouse.get_connection() as con:
        outcomes = ingest_landing(con, settings.landing, dt.date.today())
        totals = con.execute(
            "select entity, sum(baris_dimuat), sum(baris_karantina) from ingest.ledger group by 1"
        ).fetchall()
    per_entity = {e: (int(loaded), int(quarantined)) for e, loaded, quarantined in totals if e}
    for outcome in outcomes:
        context.log.info(f"{outcome.file.rel_path}: {outcome.status}. {outcome.message}")
    new = Counter(o.file.entity for o in outcomes if o.status == "DIMUAT")
    for entity in ENTITY_NAMES:
        loaded, quarantined = per_entity.get(entity, (0, 0))
        yield dg.MaterializeResult(
            asset_key=raw_key(entity),
            metadata={
                "files_loaded_this_run": new.get(entity, 0),
                "rows_loaded_total": loaded,
                "rows_quarantined_total": quarantined,
            },  # fmt: skip
        )
    yield dg.MaterializeResult(
        asset_key=LEDGER_KEY,
        metadata={
            "files_this_run": len(outcomes),
            "rejected_this_run": sum(o.status == "DITOLAK" for o in outcomes),
            "rows_read_this_run": sum(o.rows_read for o in outcomes),
            "rows_loaded_this_run": sum(o.rows_loaded for o in outcomes),
            "rows_quarantined_this_run": sum(o.rows_quarantined for o in outcomes),
        },
    )
