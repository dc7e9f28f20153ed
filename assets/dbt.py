"""The dbt project as Dagster assets: seeds, staging, intermediate and marts, with dbt tests as checks."""

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from functools import cached_property
from importlib.metadata import version
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from packaging.version import Version

from assets.ingest import WAREHOUSE_POOL
from pipelines.pseudonym import asn_key
from pipelines.resources import ProasnConfig, WarehouseResource
from pipelines.settings import DBT_PROJECT_DIR

DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")  # the venv's dbt, activated or not
PUBLISHED_TAG = "published"
# A full build runs one node at a time: DuckDB already spreads each national model over every core, and two
# at once slowed each other down (at scale 1.0, stg_skp with stg_riwayat_pelatihan: 69 s together, 45 s one
# after the other; the whole build 375 s with 2 threads, 343 s with 1). Per-agency builds, hundreds of small
# nodes where dbt's own time per node counts, keep the profile's 2 threads.
FULL_BUILD_THREADS = 1
KEPT_BUILD_FOLDERS = 20  # dbt_project/target/dbt_warehouse-*: the newest builds' artifacts, for debugging

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
    prune_build_folders(invocation.target_path.parent, keep=KEPT_BUILD_FOLDERS)


def prune_build_folders(target: Path, keep: int) -> None:
    """dagster-dbt gives every build its own folder under target/ (compiled SQL, run_results.json, dbt.log:
    about 16 MB at any scale): keep the newest `keep`, so that a daily refresh does not fill the disk."""
    folders = sorted(
        target.glob(f"{dbt_warehouse.op.name}-*/"), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for folder in folders[keep:]:
        shutil.rmtree(folder, ignore_errors=True)


def keep_parse_state(target_path: Path) -> None:
    """Keep this build's parse state where dagster-dbt looks for it before the next build, so that a build
    with the same vars (the same tanggal_acuan and project) parses only what changed: about 3 s instead of 6.
    dbt itself checks that the vars, profile, files and its version still match, and parses in full if not."""
    state = target_path / "partial_parse.msgpack"
    if state.exists():
        kept = target_path.parent / state.name  # target/, where dagster-dbt copies it from
        staged = kept.with_name(f".{kept.name}.{os.getpid()}.tmp")
        shutil.copyfile(state, staged)
        os.replace(staged, kept)  # a parse that reads it meanwhile sees the old file or the new one, whole


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
