"""The whole graph, materialized for real (ingest -> dbt build -> publish) on the fixture submissions."""

import datetime as dt
import hashlib
import hmac
import json
import os
import shutil

import duckdb
import pytest

from pipelines.dbt_project import (
    FULL_BUILD_THREADS,
    built_fingerprint,
    project_fingerprint,
    prune_build_folders,
)
from pipelines.settings import get_settings
from tests.helpers import FIXTURES, TANGGAL_ACUAN, TEST_PSEUDONYM_KEY, dbt_build_folder, run_refresh, use_home


def hmac_key(nip: str) -> str:
    return hmac.new(TEST_PSEUDONYM_KEY.encode(), nip.encode(), hashlib.sha256).hexdigest()[:16]


def dbt_build_args(run_id: str) -> dict:
    """The arguments dbt ran with in a run's build (its run_results.json, in the build's own folder)."""
    return json.loads((dbt_build_folder(run_id) / "run_results.json").read_text())["args"]


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    """One real refresh shared by the tests of this module (a materialization costs ~10 s)."""
    mp = pytest.MonkeyPatch()
    home = tmp_path_factory.mktemp("refresh")
    shutil.copytree(FIXTURES / "landing", home / "landing")
    use_home(mp, home)
    settings = get_settings(TANGGAL_ACUAN)
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    result = run_refresh()
    yield settings, result
    mp.undo()


@pytest.mark.slow
def test_refresh_succeeds_and_runs_dbt_tests(refreshed):
    _, result = refreshed
    assert result.success
    checks = result.get_asset_check_evaluations()
    assert len(checks) >= 10, "dbt tests arrive as Dagster asset checks"
    assert all(c.passed for c in checks), [c.check_name for c in checks if not c.passed]
    args = dbt_build_args(result.run_id)  # the first build is a full one, one node at a time
    assert args["full_refresh"] and args["threads"] == FULL_BUILD_THREADS == 1


@pytest.mark.slow
def test_the_mart_holds_the_accepted_people_pseudonymised_and_the_microdata_file_their_keys(refreshed):
    settings, _ = refreshed
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        rows = con.execute(
            "select asn_key, kode_instansi, status_kepegawaian, jenis_jabatan, jenjang_fungsional, golongan, "
            "tmt_pensiun, tanggal_acuan from marts.mart_talenta_asn order by asn_key"
        ).fetchall()
    expected = {
        # NIP (normalised by ingest) -> (agency, status, jabatan, jenjang, golongan, TMT pensiun by R4)
        "198003152005011001": ("3373", "PNS", "FUNGSIONAL", "AHLI_MUDA", "III/d", dt.date(2038, 4, 1)),
        "196803151993032002": ("3373", "PNS", "JPT_PRATAMA", None, "IV/a", dt.date(2028, 4, 1)),
        "199001012020121003": ("3373", "PPPK", "PELAKSANA", None, "IX", dt.date(2048, 2, 1)),
        "196612011990031001": ("K016", "PNS", "JPT_MADYA", None, "IV/c", dt.date(2027, 1, 1)),
        "197002022000032001": ("K016", "PNS", "FUNGSIONAL", "AHLI_UTAMA", "IV/b", dt.date(2035, 3, 1)),
    }
    assert sorted(rows) == sorted((hmac_key(nip), *values, TANGGAL_ACUAN) for nip, values in expected.items())
    # Published only in the microdata file: five people in two agencies share no combination with four others,
    # so every quasi-identifier is blank; the rest (box, readiness...) is kept.
    with duckdb.connect(str(settings.mikro_path), read_only=True) as con:
        published = con.execute(
            "select asn_key, kode_instansi, status_kepegawaian, jenis_jabatan, kategori_fungsional, "
            "kelompok_golongan, tahun_pensiun, tanggal_acuan from mart_talenta_asn order by asn_key"
        ).fetchall()
    assert published == sorted((hmac_key(nip), *[None] * 6, TANGGAL_ACUAN) for nip in expected)


@pytest.mark.slow
def test_published_files_have_no_direct_identifiers_and_document_columns(refreshed):
    settings, _ = refreshed
    for path in (settings.published_path, settings.mikro_path):
        with duckdb.connect(str(path), read_only=True) as con:
            columns = con.execute(
                "select table_name, column_name, comment from duckdb_columns() where schema_name = 'main' "
                "and not internal"
            ).fetchall()
            text = " ".join(
                str(v) for (table,) in con.execute("show tables").fetchall()
                for row in con.execute(f"select * from {table}").fetchall() for v in row
            )  # fmt: skip
        names = {c[1] for c in columns}
        assert not names & {"nip", "nik", "nama", "tanggal_lahir", "tempat_lahir"}
        assert all(comment for _, _, comment in columns), "every published column carries its description"
        assert "198003152005011001" not in text and "Budi" not in text


@pytest.mark.slow
def test_every_row_read_is_loaded_or_quarantined(refreshed):
    settings, _ = refreshed
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        ledger = con.execute(
            "select file_path, status, baris_dibaca, baris_dimuat, baris_karantina from ingest.ledger order by 1"
        ).fetchall()
        quarantined = con.execute("select nip, _reasons from quarantine.pegawai order by _line").fetchall()
    assert ledger == [
        ("3373/2026-10-01/pegawai.csv", "DIMUAT", 5, 3, 2),
        ("K016/2026-09-15/pegawai.csv", "DIMUAT", 2, 2, 0),
    ]
    assert quarantined == [
        ("1.98001E+17", ["NIP_NOTASI_ILMIAH:nip"]),
        ("197512312000031004", ["JENJANG_FUNGSIONAL_TIDAK_SESUAI:jenjang_fungsional"]),
    ]


@pytest.mark.slow
def test_second_refresh_loads_nothing_again(refreshed):
    settings, _ = refreshed
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        first = con.execute("select kode_instansi, alasan from staging.stg_instansi_terdampak").fetchall()
        assert first == [(None, "BANGUN_PENUH")]  # the first build: dbt build --full-refresh
        assert built_fingerprint(con) == project_fingerprint(settings.pseudonym_key)
    # another pseudonym key changes every asn_key: the next build is a full one
    assert project_fingerprint(settings.pseudonym_key + "x") != project_fingerprint(settings.pseudonym_key)
    result = run_refresh()
    assert result.success
    args = dbt_build_args(result.run_id)  # a per-agency build: the profile's threads (2)
    assert not args.get("full_refresh") and "threads" not in args
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        assert con.execute("select count(*) from ingest.ledger").fetchall() == [(2,)]
        assert con.execute("select count(*) from raw.pegawai").fetchall() == [(5,)]
        # same files, same project: the per-agency models rebuild no agency
        assert con.execute("select count(*) from staging.stg_instansi_terdampak").fetchall() == [(0,)]


@pytest.mark.slow
def test_working_warehouse_is_readable_by_its_owner_only(refreshed):
    settings, _ = refreshed
    assert settings.warehouse_path.stat().st_mode & 0o777 == 0o600
    assert settings.warehouse_path.parent.stat().st_mode & 0o777 == 0o700
    assert settings.published_path.stat().st_mode & 0o777 == 0o644, "the analysts' copy is for reading"
    assert settings.mikro_path.stat().st_mode & 0o777 == 0o600, "no PROASN_ANALYST_GROUP: the owner only"
    assert settings.mikro_path.parent.stat().st_mode & 0o777 == 0o700


@pytest.mark.slow
def test_failed_dbt_build_records_what_it_did_and_publishes_nothing(refreshed):
    """A data test that fails stops the refresh before publishing; the models dbt built before it are recorded
    as materialized and the failed test as a failed check. (Here: a NIP twice in 3373's current pegawai file,
    which the ingest would have quarantined, put straight into raw.pegawai.)"""
    settings, _ = refreshed
    published_before = settings.published_path.stat().st_mtime_ns
    nip = "198003152005011001"
    with duckdb.connect(str(settings.warehouse_path)) as con:
        con.execute("insert into raw.pegawai select * from raw.pegawai where nip = ?", [nip])
        # The ledger counts the row (row conservation holds); a new loaded_at rebuilds 3373.
        con.execute(
            "update ingest.ledger set baris_dibaca = baris_dibaca + 1, baris_dimuat = baris_dimuat + 1, "
            "loaded_at = loaded_at + interval 1 day where kode_instansi = '3373'"
        )
    try:
        result = run_refresh()
        assert not result.success
        failed = [c.check_name for c in result.get_asset_check_evaluations() if not c.passed]
        assert any("stg_pegawai_per_instansi" in name for name in failed), failed
        built = {m.asset_key.to_user_string() for m in result.get_asset_materialization_events()}
        assert "staging/stg_pegawai_per_instansi" in built and "marts/mart_talenta_asn" not in built
        assert settings.published_path.stat().st_mtime_ns == published_before
    finally:
        with duckdb.connect(str(settings.warehouse_path)) as con:
            rows = con.execute("select * from raw.pegawai where nip = ? limit 1", [nip]).fetchall()
            con.execute("delete from raw.pegawai where nip = ?", [nip])
            con.executemany("insert into raw.pegawai values (" + ", ".join("?" * len(rows[0])) + ")", rows)
            con.execute(
                "update ingest.ledger set baris_dibaca = baris_dibaca - 1, baris_dimuat = baris_dimuat - 1 "
                "where kode_instansi = '3373'"
            )


def test_old_dbt_build_folders_are_pruned(tmp_path):
    for age in range(25):  # dbt_warehouse-0 the newest
        folder = tmp_path / f"dbt_warehouse-{age}"
        (folder / "compiled").mkdir(parents=True)
        os.utime(folder, (1e9 - age * 60, 1e9 - age * 60))
    (tmp_path / "partial_parse.msgpack").write_bytes(b"kept")
    prune_build_folders(tmp_path, "dbt_warehouse", keep=20)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"dbt_warehouse-{age}" for age in range(20)] + ["partial_parse.msgpack"]
    )
