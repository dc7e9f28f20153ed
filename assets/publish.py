"""The published warehouse as a Dagster asset: pipelines/publish.py writes and swaps it in."""

import dagster as dg
from dagster_dbt import get_asset_key_for_model
from dagster_duckdb import DuckDBResource

from assets.dbt import dbt_warehouse
from assets.ingest import WAREHOUSE_POOL
from assets.resources import ProasnConfig
from pipelines.dbt_project import MANIFEST_PATH, published_models
from pipelines.publish import publish_warehouse

PUBLISHED_KEY = dg.AssetKey(["published", "proasn_duckdb"])


_MODELS = published_models(MANIFEST_PATH)


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
    models = published_models(MANIFEST_PATH)
    with warehouse.get_connection() as con:
        counts, replaced = publish_warehouse(con, settings.published_dir, models)
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
