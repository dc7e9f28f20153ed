"""The dbt project as Dagster assets: seeds, staging, intermediate and marts, with dbt tests as checks."""

import json
import os
from collections.abc import Mapping
from functools import cached_property
from importlib.metadata import version
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from packaging.version import Version

from assets.ingest import WAREHOUSE_POOL
from assets.resources import ProasnConfig, WarehouseResource
from pipelines.dbt_project import (
    DBT_EXECUTABLE,
    FULL_BUILD_THREADS,
    KEPT_BUILD_FOLDERS,
    MANIFEST_PATH,
    built_fingerprint,
    keep_parse_state,
    project_fingerprint,
    prune_build_folders,
)
from pipelines.settings import DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
if not MANIFEST_PATH.exists():  # parsed by `make`, every `proasn` command and the tests, never at import
    raise RuntimeError(
        f"No dbt manifest at {MANIFEST_PATH}: run `make manifest` (or any proasn command) first."
    )


class ProasnDbtTranslator(DagsterDbtTranslator):
    """Models keyed by their layer (staging/stg_pegawai, marts/mart_talenta_asn), seeds under referensi;
    sources keep the ingest asset keys their meta names."""

    @staticmethod
    def _layer(props: Mapping[str, Any]) -> str | None:
        if props["resource_type"] == "seed":
            return "referensi"
        if props["resource_type"] == "model":
            return props["fqn"][1] if len(props["fqn"]) > 2 else "models"
        return None

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        layer = self._layer(dbt_resource_props)
        if layer is None:
            return super().get_asset_key(dbt_resource_props)
        return dg.AssetKey([layer, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return self._layer(dbt_resource_props) or super().get_group_name(dbt_resource_props)


@dbt_assets(
    manifest=MANIFEST_PATH,
    project=dbt_project,
    dagster_dbt_translator=ProasnDbtTranslator(),
    pool=WAREHOUSE_POOL,
)
def dbt_warehouse(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, proasn: ProasnConfig, warehouse: WarehouseResource
):
    """`dbt build` (seeds, models, tests) as of tanggal_acuan; each table's row count as metadata."""
    settings = proasn.settings()
    os.environ["PROASN_WAREHOUSE"] = str(settings.warehouse_path)  # profiles.yml reads it
    fingerprint = project_fingerprint(settings.pseudonym_key)
    dbt_vars = {"tanggal_acuan": settings.tanggal_acuan.isoformat(), "sidik_proyek": fingerprint}
    # Unit tests check the SQL, not the data: they run in the test suite (tests/test_dbt_warehouse.py).
    build = ["build", "--exclude-resource-type", "unit_test", "--vars", json.dumps(dbt_vars)]
    with warehouse.get_connection() as con:
        if built_fingerprint(con) != fingerprint:
            # New model code, seeds or pseudonym key: the per-agency models are rebuilt whole.
            context.log.info(
                "dbt project changed since the last complete build: dbt build --full-refresh, one node at a time"
            )
            build += ["--full-refresh", "--threads", str(FULL_BUILD_THREADS)]
    # dbt holds the warehouse lock while it runs: the tests' results are recorded as they come, the models'
    # materializations once dbt is done and their row counts can be read. (dagster-dbt's fetch_row_counts()
    # would open the warehouse in this process while dbt writes it: not used.)
    invocation = dbt.cli(build, context=context, raise_on_error=False)
    materializations = []
    for event in invocation.stream():
        if isinstance(event, dg.Output):
            materializations.append(event)
        else:
            yield event
    with warehouse.get_connection() as con:
        log_affected_agencies(context, con)
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = current_database()"
        ).fetchall()
        counts = {
            (schema, table): con.execute(f'select count(*) from "{schema}"."{table}"').fetchall()[0][0]
            for schema, table in tables
        }
    for event in materializations:
        key = tuple(context.asset_key_for_output(event.output_name).path)
        if key in counts:
            event = event.with_metadata({**event.metadata, "dagster/row_count": counts[key]})
        yield event
    error = invocation.get_error()  # after the models dbt built are recorded, with the tests that failed
    if error:
        raise error
    keep_parse_state(invocation.target_path)
    prune_build_folders(invocation.target_path.parent, dbt_warehouse.op.name, keep=KEPT_BUILD_FOLDERS)


def log_affected_agencies(context: dg.AssetExecutionContext, con) -> None:
    """Which agencies this build rebuilt in the per-agency models (stg_instansi_terdampak)."""
    try:
        semua, instansi, alasan = con.execute(
            "select bool_or(kode_instansi is null), count(distinct kode_instansi), string_agg(distinct alasan, ', ' "
            "order by alasan) from staging.stg_instansi_terdampak"
        ).fetchall()[0]
    except duckdb.CatalogException:  # dbt failed before building it: its own errors say why
        return
    scope = "every agency" if semua else f"{instansi} agencies"
    context.log.info(f"Per-agency models: rebuilt {scope} ({alasan or 'nothing changed'})")


class ProasnDbtCliResource(DbtCliResource):
    """dagster-dbt's resource without two costs of every invocation that this project does not need (4 s of
    a refresh): `dbt --version` in a subprocess (DBT_EXECUTABLE is the installed dbt-core), and a dbt adapter
    opened in this process, which only dagster-dbt's row-count and column-metadata helpers use."""

    @cached_property
    def _cli_version(self) -> Version:
        return Version(version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None  # dagster-dbt then leaves out the helpers that need it (and so does this project)


def dbt_resource() -> DbtCliResource:
    return ProasnDbtCliResource(project_dir=dbt_project, profiles_dir=str(DBT_PROJECT_DIR),
                                dbt_executable=DBT_EXECUTABLE)  # fmt: skip
