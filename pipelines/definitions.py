"""The Dagster code location (workspace.yaml loads it): landing -> ingest -> dbt -> publish."""

from __future__ import annotations

import dagster as dg

from assets.dbt import dbt_resource, dbt_warehouse
from assets.ingest import ingest
from assets.publish import published_warehouse
from pipelines.resources import build_resources
from pipelines.settings import export_environment, get_settings

settings = get_settings()
export_environment(settings)

ALL_ASSETS = [ingest, dbt_warehouse, published_warehouse]

refresh_job = dg.define_asset_job(
    "refresh",
    selection=dg.AssetSelection.all(),
    description="The full refresh: ingest new submissions, dbt build, checks, publish.",
)

defs = dg.Definitions(
    assets=ALL_ASSETS,
    jobs=[refresh_job],
    resources=build_resources(settings, dbt_resource()),
)


def refresh_job_def() -> dg.JobDefinition:
    return defs.resolve_job_def(refresh_job.name)


def refresh_run_config(tanggal_acuan) -> dict:
    """Run config that pins the run's reference date (the resource's default is "today at run start")."""
    return {"resources": {"proasn": {"config": {"tanggal_acuan": tanggal_acuan.isoformat()}}}}
