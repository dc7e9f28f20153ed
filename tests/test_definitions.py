"""The Dagster code location loads and wires landing -> ingest -> dbt -> publish."""

import subprocess
import sys

import dagster as dg

from assets.definitions import defs


def test_definitions_load_with_the_full_lineage():
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert {"raw/pegawai", "ingest/ledger", "staging/stg_pegawai", "marts/mart_talenta_asn",
            "published/proasn_duckdb"} <= keys  # fmt: skip
    upstream = graph.get(dg.AssetKey(["published", "proasn_duckdb"])).parent_keys
    assert dg.AssetKey(["marts", "mart_talenta_asn"]) in upstream
    raw_children = graph.get(dg.AssetKey(["raw", "pegawai"])).child_keys
    assert any(k.path[0] == "staging" for k in raw_children), "dbt sources map to the ingest asset keys"


def test_every_warehouse_writer_is_in_the_warehouse_pool():
    graph = defs.resolve_asset_graph()
    writers = [
        dg.AssetKey(["raw", "pegawai"]),
        dg.AssetKey(["marts", "mart_talenta_asn"]),
        dg.AssetKey(["published", "proasn_duckdb"]),
        dg.AssetKey(["pemeliharaan", "riwayat_pemadatan"]),
    ]
    for key in writers:
        assert graph.get(key).pools == {"warehouse"}, key


def test_refresh_job_exists():
    assert defs.resolve_job_def("refresh").name == "refresh"


def test_compaction_has_its_own_nightly_job_before_the_refresh():
    compaction = dg.AssetKey(["pemeliharaan", "riwayat_pemadatan"])
    assert compaction not in defs.resolve_job_def("refresh").asset_layer.executable_asset_keys
    assert defs.resolve_job_def("pemadatan_gudang").asset_layer.executable_asset_keys == {compaction}
    schedules = {s.name: s for s in defs.schedules}
    assert schedules["pemadatan_gudang_nightly"].cron_schedule == "0 1 * * *"
    assert schedules["refresh_nightly"].cron_schedule == "0 2 * * *"


def test_cli_help_lists_every_interface_command():
    out = subprocess.run(
        [sys.executable, "-m", "tools.cli", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in ("generate", "check", "refresh", "sql", "ui", "status"):
        assert command in out


def test_every_asset_check_says_what_it_checks():
    specs = {
        spec.key: spec
        for assets_def in defs.resolve_asset_graph().assets_defs
        for spec in assets_def.check_specs
    }
    assert len(specs) > 100, "the dbt tests are checks too"
    undescribed = [
        key.to_user_string() for key, spec in specs.items() if not (spec.description or "").strip()
    ]
    assert undescribed == []
    by_name = {key.name: spec.description for key, spec in specs.items()}
    assert (
        by_name["unique_dim_jabatan_kode_jabatan"] == "dbt test: every kode_jabatan of dim_jabatan is unique."
    )
    assert "kotak_talenta is one of 1, 2, 3" in by_name["accepted_values_mart_peta_talenta"]
    assert by_name["semua_model_dan_kolom_terdokumentasi"].startswith("Every model and seed")  # its YAML's


def test_launchpad_offers_the_run_settings_and_nothing_internal():
    for job in ("refresh", "paket_instansi", "pemadatan_gudang"):
        resources = defs.resolve_job_def(job).run_config_schema.config_type.fields["resources"].config_type
        configurable = {
            name
            for name, field in resources.fields.items()
            if getattr(field.config_type.fields["config"].config_type, "fields", None)
        }
        assert configurable <= {"proasn", "io_manager"}, job
    proasn = resources.fields["proasn"].config_type.fields["config"].config_type.fields
    assert set(proasn) == {"tanggal_acuan", "instansi", "muat_ulang"}
    assert all(field.description for field in proasn.values())
    shown = str(
        defs.resolve_job_def("refresh").run_config_schema.config_type.fields["resources"].default_value
    )
    assert "dbt_executable" not in shown and "database" not in shown
