"""The Dagster code location (workspace.yaml loads it): landing -> ingest -> dbt -> publish.

Importing it writes nothing: the dbt manifest is parsed beforehand (`make manifest`, every `proasn` command,
the tests' conftest), and DAGSTER_HOME's dagster.yaml is written by the `proasn` commands that start Dagster.

Also the refresh job, the agency pack job that follows each successful refresh, the warehouse compaction
job, the nightly schedules, the landing sensor and the failure alert.
"""

from __future__ import annotations

import dagster as dg

from assets.dbt import dbt_resource, dbt_warehouse
from assets.exports import paket_instansi
from assets.ingest import ingest
from assets.maintenance import riwayat_pemadatan
from assets.mart_checks import disclosure_audit, mart_suites
from assets.publish import published_warehouse
from assets.quality import agency_freshness, row_conservation
from assets.reports import laporan_html
from assets.resources import build_resources
from assets.sensors import build_landing_sensor, build_packs_sensor, run_failure_alert

ALL_ASSETS = [ingest, dbt_warehouse, published_warehouse, laporan_html, paket_instansi, riwayat_pemadatan]
ALL_CHECKS = [row_conservation, agency_freshness, mart_suites, disclosure_audit]

# Every step of these jobs takes the warehouse pool (limit 1): they run one after another whatever the
# executor. The multiprocess executor started a process per step that imported the code location again (8-15 s
# a step for runs launched from the UI or the daemon; docs/performance.md); in process, a launched run pays
# that import once, as `proasn refresh` does.
EXECUTOR = dg.in_process_executor

PACKS = dg.AssetSelection.assets(paket_instansi)
COMPACTION = dg.AssetSelection.assets(riwayat_pemadatan)
refresh_job = dg.define_asset_job(
    "refresh",
    selection=dg.AssetSelection.all() - PACKS - COMPACTION,
    executor_def=EXECUTOR,
    description="The full refresh: ingest new submissions, dbt build and tests, checks, publish, reports.",
)
# Agency packs (personal data, spreadsheets written cell by cell) follow a successful refresh in a run of
# their own: the published warehouse never waits for them, and a failed pack run leaves it untouched.
packs_job = dg.define_asset_job(
    "paket_instansi",
    selection=PACKS,
    executor_def=EXECUTOR,
    description="The agency feedback packs under PROASN_HOME/exports: the packs whose content changed.",
)

compaction_job = dg.define_asset_job(
    "pemadatan_gudang",
    selection=COMPACTION,
    executor_def=EXECUTOR,
    description="Compacts the working warehouse: vacuums the rows per-agency rebuilds deleted (refreshes skip "
    "DuckDB's vacuum to stay fast; assets/maintenance.py).",
)


def nightly(name: str, job, hour: int, description: str) -> dg.ScheduleDefinition:
    """A schedule on by default, every night at `hour`:00 WIB (Asia/Jakarta)."""
    return dg.ScheduleDefinition(
        name=name,
        job=job,
        cron_schedule=f"0 {hour} * * *",
        execution_timezone="Asia/Jakarta",
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description=description,
    )


nightly_compaction = nightly(
    "pemadatan_gudang_nightly",
    compaction_job,
    1,
    "The warehouse compaction every night at 01:00 WIB, before the refresh.",
)
nightly_refresh = nightly(
    "refresh_nightly", refresh_job, 2, "The full refresh every night at 02:00 WIB (Asia/Jakarta)."
)

defs = dg.Definitions(
    assets=ALL_ASSETS,
    asset_checks=ALL_CHECKS,
    jobs=[refresh_job, packs_job, compaction_job],
    schedules=[nightly_compaction, nightly_refresh],
    sensors=[
        build_landing_sensor(refresh_job),
        build_packs_sensor(refresh_job, packs_job),
        run_failure_alert,
    ],
    resources=build_resources(dbt_resource()),
)


def refresh_job_def() -> dg.JobDefinition:
    return defs.resolve_job_def(refresh_job.name)


def packs_job_def() -> dg.JobDefinition:
    return defs.resolve_job_def(packs_job.name)


def compaction_job_def() -> dg.JobDefinition:
    return defs.resolve_job_def(compaction_job.name)


def refresh_run_config(tanggal_acuan, **proasn_config) -> dict:
    """Run config that pins the run's reference date (the resource's default is "today at run start"),
    plus any other ProasnConfig field (instansi, muat_ulang)."""
    config = {"tanggal_acuan": tanggal_acuan.isoformat(), **proasn_config}
    return {"resources": {"proasn": {"config": config}}}
