"""The dbt project as Dagster assets: seeds, staging, intermediate and marts, with dbt tests as checks."""

import fcntl
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from assets.ingest import WAREHOUSE_POOL
from pipelines.pseudonym import asn_key
from pipelines.resources import ProasnConfig, WarehouseResource
from pipelines.settings import DBT_PROJECT_DIR

DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")  # the venv's dbt, activated or not
PUBLISHED_TAG = "published"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def _project_sources() -> list[Path]:
    names = ("models", "seeds", "macros", "tests")
    files = [p for name in names for p in (DBT_PROJECT_DIR / name).rglob("*") if p.is_file()]
    return files + [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]


def project_fingerprint(pseudonym_key: str) -> str:
    """The dbt project's sources, the dbt versions and the pseudonym key, hashed: when this changes, a model's
    code, a seed or every asn_key may have changed, so the per-agency models cannot be updated agency by agency
    (macros/per_instansi.sql). The key enters as the pseudonym of a fixed NIP, never as itself."""
    digest = hashlib.sha256(f"{version('dbt-core')} {version('dbt-duckdb')}".encode())
    digest.update(asn_key("0" * 18, pseudonym_key).encode())
    for path in sorted(_project_sources()):
        digest.update(path.relative_to(DBT_PROJECT_DIR).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def built_fingerprint(con) -> str | None:
    """The project fingerprint of the last complete build (dbt model status_bangun_berkas), if any."""
    try:
        return con.execute("select any_value(sidik_proyek) from status.status_bangun_berkas").fetchall()[0][0]
    except duckdb.CatalogException:  # no complete build yet
        return None


def ensure_manifest() -> Path:
    """Parse the dbt project when its manifest is missing or older than any project file.

    Several processes may load the code location at once (test workers, the UI, a CLI refresh): a file
    lock lets one parse while the others wait, so nobody reads a half-written manifest."""
    manifest = dbt_project.manifest_path
    manifest.parent.mkdir(parents=True, exist_ok=True)
    with open(manifest.parent / ".parse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        newest = max(p.stat().st_mtime for p in _project_sources())
        if not manifest.exists() or manifest.stat().st_mtime < newest:
            subprocess.run(
                [DBT_EXECUTABLE, "parse", "--quiet", "--project-dir", str(DBT_PROJECT_DIR),
                 "--profiles-dir", str(DBT_PROJECT_DIR)],
                check=True, cwd=DBT_PROJECT_DIR,
            )  # fmt: skip
    return manifest


def published_models(manifest_path: Path) -> list[dict[str, Any]]:
    """The dbt models tagged `published`: what analysts and BI tools get (name, description, columns)."""
    manifest = json.loads(manifest_path.read_text())
    return sorted(
        (node for node in manifest["nodes"].values()
         if node["resource_type"] == "model" and PUBLISHED_TAG in node.get("tags", [])),
        key=lambda node: node["name"],
    )  # fmt: skip


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
    manifest=ensure_manifest(),
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
            context.log.info("dbt project changed since the last complete build: dbt build --full-refresh")
            build.append("--full-refresh")
    # dbt holds the warehouse lock while it runs: collect its events, then count rows once it is done.
    # (dagster-dbt's fetch_row_counts() keeps dbt's own connection open in this process: not used.)
    events = list(dbt.cli(build, context=context).stream())
    with warehouse.get_connection() as con:
        log_affected_agencies(context, con)
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = current_database()"
        ).fetchall()
        counts = {
            (schema, table): con.execute(f'select count(*) from "{schema}"."{table}"').fetchall()[0][0]
            for schema, table in tables
        }
    for event in events:
        if isinstance(event, dg.Output):
            key = tuple(context.asset_key_for_output(event.output_name).path)
            if key in counts:
                event = event.with_metadata({**event.metadata, "dagster/row_count": counts[key]})
        yield event


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


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project, profiles_dir=str(DBT_PROJECT_DIR),
                          dbt_executable=DBT_EXECUTABLE)  # fmt: skip
