"""The published snapshot as a Dagster asset: pipelines/publish.py writes and swaps it in (the aggregates file,
its Parquet files and the microdata file, together)."""

import dagster as dg
from dagster_dbt import get_asset_key_for_model
from dagster_duckdb import DuckDBResource

from assets.dbt import dbt_warehouse
from assets.ingest import WAREHOUSE_POOL
from assets.resources import ProasnConfig
from pipelines.dbt_project import MANIFEST_PATH, MIKRO_TAG, k_anonimitas, published_models
from pipelines.publish import publish_warehouse

PUBLISHED_KEY = dg.AssetKey(["published", "proasn_duckdb"])


_MODELS = published_models(MANIFEST_PATH) + published_models(MANIFEST_PATH, MIKRO_TAG)


def coarsening_markdown(summaries: dict[str, dict]) -> str:
    """The coarsening of each microdata table as a table: per attribute, records generalised and blanked."""
    lines = ["| tabel | atribut | digeneralisasi | dikosongkan |", "|---|---|---:|---:|"]
    for table, summary in summaries.items():
        for name, counts in summary["atribut"].items():
            lines.append(f"| {table} | {name} | {counts['digeneralisasi']} | {counts['dikosongkan']} |")
    return "\n".join(lines)


@dg.asset(
    key=PUBLISHED_KEY,
    deps=[get_asset_key_for_model([dbt_warehouse], m["name"]) for m in _MODELS],
    group_name="publish",
    kinds={"duckdb"},
    pool=WAREHOUSE_POOL,
    description="published/proasn.duckdb and parquet/: the aggregate and reference marts every analyst and BI tool "
    "reads (no person rows, no direct identifiers); published/mikro/proasn_mikro.duckdb: the pseudonymous "
    "person-level mart, quasi-identifiers coarsened to k-anonymity, for the analysts' group only.",
)
def published_warehouse(context: dg.AssetExecutionContext, warehouse: DuckDBResource, proasn: ProasnConfig):
    settings = proasn.settings()
    k = k_anonimitas()
    with warehouse.get_connection() as con:
        publication = publish_warehouse(
            con,
            settings.published_dir,
            published_models(MANIFEST_PATH),
            published_models(MANIFEST_PATH, MIKRO_TAG),
            k=k,
            analyst_group=settings.analyst_group,
        )
    access = publication.access
    if access.group is None:
        context.log.warning(access.message)
    else:
        context.log.info(access.message)
    summaries = {done.table: done.summary() for done in publication.coarsening}
    for table, summary in summaries.items():
        touched = ", ".join(
            f"{name} {c['digeneralisasi']} generalised / {c['dikosongkan']} blanked"
            for name, c in summary["atribut"].items()
        )
        context.log.info(f"{table}: k = {k}, {summary['baris']} records; {touched}")
    return dg.MaterializeResult(
        metadata={
            "path": str(settings.published_path),
            "mikro_path": str(settings.mikro_path),
            "mikro_access": access.message,
            "k_anonimitas": k,
            **{f"rows_{name}": n for name, n in publication.counts.items()},
            **{f"mikro_rows_{name}": n for name, n in publication.mikro_counts.items()},
            "mikro_pengaburan": dg.MetadataValue.json(summaries),
            "mikro_pengaburan_tabel": dg.MetadataValue.md(coarsening_markdown(summaries)),
        }
    )
