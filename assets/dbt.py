"""The dbt project as Dagster assets: seeds, staging, intermediate and marts, with dbt tests as checks."""

import datetime as dt
import json
import os
import re
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
from pipelines import spark
from pipelines.dbt_project import (
    DBT_EXECUTABLE,
    FULL_BUILD_THREADS,
    KEPT_BUILD_FOLDERS,
    MANIFEST_PATH,
    build_folder,
    built_fingerprint,
    k_anonimitas,
    keep_parse_state,
    project_fingerprint,
    prune_build_folders,
    restore_parse_state,
)
from pipelines.reports import nine_box_markdown
from pipelines.reports_merit import headline_numbers
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

    def get_asset_check_spec(self, asset_spec, manifest, unique_id, project) -> dg.AssetCheckSpec | None:
        """dagster-dbt reads a check's description from the test's meta only: here the test's own description
        from YAML, or else a sentence saying what the generic test asserts."""
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        test = manifest["nodes"][unique_id]
        return spec._replace(description=test.get("description") or describe_dbt_test(test))


def _ref_name(text: str) -> str:
    """`ref('golongan')` or `{{ get_where_subquery(ref('x')) }}` -> the model's name."""
    match = re.search(r"ref\(\s*['\"]([^'\"]+)['\"]", text or "")
    return match.group(1) if match else str(text)


def _values(values: list | dict, shown: int = 6) -> str:
    values = values["values"] if isinstance(values, dict) else values
    listed = ", ".join(str(v) for v in values[:shown])
    return listed + (f" (and {len(values) - shown} more)" if len(values) > shown else "")


def describe_dbt_test(test: Mapping[str, Any]) -> str:
    """A sentence for a dbt test without a description, from its generic test and arguments."""
    metadata = test.get("test_metadata") or {}
    kwargs = metadata.get("kwargs") or {}
    model = _ref_name(kwargs.get("model", ""))
    name = metadata.get("name")
    if name == "unique":
        return f"dbt test: every {kwargs.get('column_name')} of {model} is unique."
    if name == "not_null_columns":
        return f"dbt test: every row of {model} has a value in {', '.join(kwargs['columns'])}."
    if name == "unique_combination":
        return f"dbt test: ({', '.join(kwargs['columns'])}) identifies one row of {model}."
    if name == "accepted_values_columns":
        rules = "; ".join(
            f"{column} is one of {_values(values)}" for column, values in kwargs["columns"].items()
        )
        return f"dbt test on {model}: {rules} (or empty)."
    if name == "relationships_columns":
        rules = "; ".join(
            f"{column} is a {target['field']} of {_ref_name(target['to'])}"
            for column, target in kwargs["columns"].items()
        )
        return f"dbt test on {model}: {rules} (or empty)."
    if name:
        return f"dbt test {name} on {model}."
    return f"dbt test {test.get('original_file_path', test.get('name'))}."


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
    fingerprint = project_fingerprint(settings.pseudonym_key, settings.engine)
    dbt_vars = {"tanggal_acuan": settings.tanggal_acuan.isoformat(), "sidik_proyek": fingerprint,
                **movement_pair_vars()}  # fmt: skip
    # Unit tests check the SQL, not the data: they run in the test suite (tests/test_dbt_warehouse.py).
    build = ["build", "--exclude-resource-type", "unit_test", "--vars", json.dumps(dbt_vars)]
    with warehouse.get_connection() as con:
        if built_fingerprint(con) != fingerprint:
            # New model code, seeds, pseudonym key or engine: the per-agency models are rebuilt whole, on DuckDB
            # one node at a time (Spark's models are tables rebuilt whole at every build anyway).
            context.log.info("dbt project changed since the last complete build: dbt build --full-refresh")
            build += ["--full-refresh"]
            if settings.engine == "duckdb":
                build += ["--threads", str(FULL_BUILD_THREADS)]
    # dbt holds the warehouse lock while it runs: the tests' results are recorded as they come, the models'
    # materializations once dbt is done and their row counts can be read. (dagster-dbt's fetch_row_counts()
    # would open the warehouse in this process while dbt writes it: not used.)
    materializations = []
    if settings.engine == "spark":
        invocation = yield from build_on_spark(context, dbt, settings, warehouse, build, materializations)
    else:
        target_path = build_folder(dbt_warehouse.op.name, context.run.run_id)
        restore_parse_state(settings.warehouse_path, target_path)
        invocation = dbt.cli(build, context=context, raise_on_error=False, target_path=target_path)
        yield from stream_dbt(invocation, materializations)
    with warehouse.get_connection() as con:
        log_affected_agencies(context, con)
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = current_database()"
        ).fetchall()
        counts = {
            (schema, table): con.execute(f'select count(*) from "{schema}"."{table}"').fetchall()[0][0]
            for schema, table in tables
        }
        talent_map = talent_map_metadata(con)
        headlines = {**movement_metadata(con), **headline_numbers(con)}
    for event in materializations:
        key = tuple(context.asset_key_for_output(event.output_name).path)
        if key in counts:
            event = event.with_metadata({**event.metadata, "dagster/row_count": counts[key]})
        if key == TALENT_MAP and talent_map:
            event = event.with_metadata({**event.metadata, **talent_map})
        if headlines.get(key):
            event = event.with_metadata({**event.metadata, **headlines[key]})
        yield event
    error = invocation.get_error()  # after the models dbt built are recorded, with the tests that failed
    if error:
        raise error
    if settings.engine == "duckdb":  # (a parse for Spark's profile is no use to the next DuckDB build)
        keep_parse_state(invocation.target_path, settings.warehouse_path)
    prune_build_folders(invocation.target_path.parent, dbt_warehouse.op.name, keep=KEPT_BUILD_FOLDERS)


def stream_dbt(invocation, materializations: list):
    """dbt's events as they come; the models' materializations kept back in `materializations`, to be recorded
    with their row counts once dbt is done."""
    for event in invocation.stream():
        if isinstance(event, dg.Output):
            materializations.append(event)
        else:
            yield event


def build_on_spark(context, dbt, settings, warehouse, build: list[str], materializations: list):
    """The dbt build on the Spark engine (pipelines/spark.py): the sources exported as Parquet, dbt up to R12's
    pattern, the pattern computed here, dbt from the pattern on, and Spark's tables copied into the working
    warehouse. Returns the last dbt invocation (the first when it failed: nothing after it runs)."""
    os.environ.update(spark.dbt_environment(settings.home))
    with warehouse.get_connection() as con:
        exported = spark.export_sources(con, settings.home, settings.pseudonym_key)
    context.log.info(f"Spark sources: {exported['ditulis']} files written, {exported['dihapus']} removed")
    invocation = None
    for phase in spark.build_phases(json.loads(MANIFEST_PATH.read_text())):
        if invocation is not None:
            cells = spark.write_pattern(settings.home, k_anonimitas())
            context.log.info(f"R12 pattern on Spark's aggregates: {cells} withheld cells")
        invocation = dbt.cli([*build, "--target", "spark", *phase], context=context, raise_on_error=False,
                             target_path=build_folder(dbt_warehouse.op.name, context.run.run_id))  # fmt: skip
        yield from stream_dbt(invocation, materializations)
        if invocation.get_error():
            return invocation
    with warehouse.get_connection() as con:
        copied = spark.copy_back(con, settings.home)
    context.log.info(f"Spark's tables copied into the working warehouse: {len(copied)}")
    return invocation


TALENT_MAP = ("marts", "mart_peta_talenta")


def talent_map_metadata(con) -> dict:
    """The national nine-box and the share not yet profiled, as published (suppressed cells withheld), for
    the talent map's materialization: what the data team looks for first on its Overview."""
    try:
        rows = con.execute(
            "select kotak_talenta, jumlah, persen::double from marts.mart_peta_talenta "
            "where level = 'NASIONAL' and jenis_jabatan = 'SEMUA'"
        ).fetchall()
    except duckdb.CatalogException:  # dbt failed before building it
        return {}
    k = k_anonimitas()
    boxes = {int(box): (jumlah, persen) for box, jumlah, persen in rows if box is not None}
    unprofiled = [(jumlah, persen) for box, jumlah, persen in rows if box is None]
    jumlah, persen = unprofiled[0] if unprofiled else (0, 0.0)
    return {
        "kotak_talenta_nasional": dg.MetadataValue.md(nine_box_markdown(boxes, k)),
        "belum_diprofilkan_persen": dg.MetadataValue.float(persen) if persen is not None else "ditekan",
        "belum_diprofilkan_jumlah": jumlah if jumlah is not None and not 0 < jumlah < k else f"<{k}",
    }


def movement_pair_vars() -> dict[str, str]:
    """The pair of kept dates the movement and transfer marts compare, when the data team names one for this
    refresh (PROASN_PERGERAKAN_AWAL, PROASN_PERGERAKAN_AKHIR: ISO dates; docs/analysts-guide.md): dbt vars
    pergerakan_awal and pergerakan_akhir. Unset: tanggal_acuan and the latest kept date before it."""
    found = {}
    for name in ("pergerakan_awal", "pergerakan_akhir"):
        value = os.environ.get(f"PROASN_{name.upper()}", "").strip()
        if value:
            found[name] = dt.date.fromisoformat(value).isoformat()
    return found


MOVEMENT = ("marts", "mart_pergerakan_talenta")
TRANSFERS = ("marts", "mart_mutasi")


def movement_metadata(con) -> dict[tuple, dict]:
    """The headline numbers of the movement (R15) and transfer (R16) marts, as published (withheld cells stay
    withheld): the pair of kept dates, the nation's entrants and leavers, the people of box 5 at the start now in
    box 8; the agency-to-agency pairs with movers, how many are withheld, and the movers shown."""
    try:
        gerak = dict(con.execute(
            "select kotak_asal || '>' || kotak_tujuan, jumlah from marts.mart_pergerakan_talenta "
            "where level = 'NASIONAL' and (kotak_asal in ('MASUK', '5') or kotak_tujuan = 'KELUAR')"
        ).fetchall())  # fmt: skip
        pair = con.execute(
            "select any_value(tanggal_acuan_awal)::varchar, any_value(tanggal_acuan_akhir)::varchar "
            "from marts.mart_pergerakan_talenta"
        ).fetchall()[0]
        pindah = con.execute(
            "select count(*), count(*) filter (where ditekan), coalesce(sum(jumlah), 0) from marts.mart_mutasi "
            "where jenis = 'INSTANSI' and pindah"
        ).fetchall()[0]
    except duckdb.CatalogException:  # dbt failed before building them
        return {}
    if pair[0] is None:
        note = {"pergerakan": "belum ada dua tanggal acuan tersimpan"}
        return {MOVEMENT: note, TRANSFERS: note}

    def count(value):
        return value if value is not None else "ditekan"

    dates = {"tanggal_acuan_awal": pair[0], "tanggal_acuan_akhir": pair[1]}
    return {
        MOVEMENT: {**dates, "masuk_nasional": count(gerak.get("MASUK>SEMUA")),
                   "keluar_nasional": count(gerak.get("SEMUA>KELUAR")),
                   "kotak_5_ke_8_nasional": count(gerak.get("5>8"))},
        TRANSFERS: {**dates, "pasangan_instansi_pindah": pindah[0], "pasangan_ditekan": pindah[1],
                    "pindah_instansi_tampil": int(pindah[2])},
    }  # fmt: skip


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
