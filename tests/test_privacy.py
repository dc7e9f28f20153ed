"""Privacy audit (issue 10): one real refresh (ingest with hostile files, dbt, checks, publish, reports) and its pack run
on a persistent Dagster instance under DAGSTER_HOME, then a scan of everything it left outside the working
warehouse and the packs for the input's NIP, NIK, names and birth dates: the Dagster event log
(every record's message and metadata), the other files under DAGSTER_HOME (compute logs, run storage), dbt's
logs and run artefacts, alerts, and everything under published/ and reports/. Files holding personal data
are owner-only."""

import json
import shutil
import stat
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster._serdes import serialize_value

from pipelines.contract import ENTITIES
from pipelines.expectations import frame_select_sql, run_suites
from pipelines.settings import DBT_PROJECT_DIR, export_environment, get_settings
from tests.helpers import FIXTURES, TANGGAL_ACUAN, identifying_values, run_packs, run_refresh, use_home

IDENTIFYING = ("nip", "nik", "nama", "tanggal_lahir")  # tempat_lahir is a place name: reports name places
EXTRA_HEADER = "nip,nik,nama,jenis_kelamin,tempat_lahir,tanggal_lahir,status_kepegawaian,golongan,jenis_jabatan," \
    "jenjang_fungsional,nama_jabatan,pendidikan_terakhir"  # fmt: skip
EXTRA = [
    "198511202010012007,3373016011850002,Wulan Sekar Arum,P,Purwokerto,1985-11-20,PNS,III/c,PELAKSANA,,Staf,S1",
    "199002142015031004,3373011402900003,Galih Pambudi,L,Tulungagung,1990-02-14,PNS,III/b,PELAKSANA,,Staf,S1",
    "199107072019032011,3373014707910001,Sekar Ayu Kinanti,P,Banyuwangi,1991-07-07,PNS,III/a,PELA",  # cut short
]


def add_hostile_submissions(landing: Path) -> None:
    """A new agency submission with NIK and birth places, a truncated last row, a symbolic link and a file
    over the reading limits (a 5 MB cell: a line longer than 2 MB)."""
    folder = landing / "3301" / "2026-10-01"
    folder.mkdir(parents=True)
    (folder / "pegawai.csv").write_text(EXTRA_HEADER + "\n" + "\n".join(EXTRA))
    (folder / "skp.csv").symlink_to(landing / "3373" / "2026-10-01" / "skp.csv")
    huge = landing / "3302" / "2026-10-01" / "pegawai.csv"
    huge.parent.mkdir(parents=True)
    huge.write_text(
        EXTRA_HEADER
        + "\n198703032012012002,3302014303870001,Ratna Kumalasari,P,Cilacap,1987-03-03,PNS,III/c,"
        f"PELAKSANA,,{'S' * 5_000_000},S1\n"
    )


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    home = tmp_path_factory.mktemp("privacy")
    shutil.copytree(FIXTURES / "loop" / "landing", home / "landing")
    add_hostile_submissions(home / "landing")
    mp = pytest.MonkeyPatch()
    use_home(mp, home)
    settings = get_settings(TANGGAL_ACUAN)
    export_environment(settings)
    started = time.time() - 1
    with dg.DagsterInstance.get() as instance:  # persistent, as `proasn refresh` and the UI use it
        result = run_refresh(instance)
        packs = run_packs(instance)
        assert packs.success
        records = instance.all_logs(result.run_id) + instance.all_logs(packs.run_id)
    yield settings, result, records, started
    mp.undo()


def leaks(secrets: set[str], text: str) -> set[str]:
    return {s for s in secrets if s in text}


def files_below(folder: Path, since: float = 0) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and p.stat().st_mtime >= since]


@pytest.mark.slow
def test_the_refresh_handles_the_hostile_files(audited):
    settings, result, _, _ = audited
    assert result.success
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        ledger = {path: (status, json.loads(alasan)) for path, status, alasan in con.execute(
            "select file_path, status, alasan from ingest.ledger where kode_instansi in ('3301', '3302')"
        ).fetchall()}  # fmt: skip
    assert ledger["3301/2026-10-01/pegawai.csv"][0] == "DIMUAT"
    assert ledger["3301/2026-10-01/pegawai.csv"][1]["KOLOM_KURANG"] == 1, "the cut last row is quarantined"
    assert ledger["3301/2026-10-01/skp.csv"] == ("DITOLAK", {"TAUTAN_SIMBOLIK": 1})
    assert ledger["3302/2026-10-01/pegawai.csv"] == ("DITOLAK", {"BATAS_BACA_TERLAMPAUI": 1})


@pytest.mark.slow
def test_no_identifier_in_logs_run_metadata_or_anything_published(audited):
    settings, _, records, started = audited
    secrets = identifying_values(settings.landing, IDENTIFYING, files="pegawai.csv", digits=False, shortest=6)
    assert {"198511202010012007", "3373016011850002", "Wulan Sekar Arum", "1985-11-20",
            "Ratna Kumalasari", "Sekar Ayu Kinanti"} <= secrets  # fmt: skip
    assert len(secrets) > 40

    # The Dagster event log: every record, messages and metadata (serialised as the instance stores it).
    assert len(records) > 100
    for record in records:
        found = leaks(secrets, serialize_value(record))
        assert not found, f"{found} in the event log: {record.user_message[:200]!r}"

    # Every file under DAGSTER_HOME (run and event storage, compute logs), dbt's logs and run artefacts
    # written by this refresh, alerts, reports (GX Data Docs included) and published files.
    dbt_files = files_below(DBT_PROJECT_DIR / "logs", started) + files_below(
        DBT_PROJECT_DIR / "target", started
    )
    scanned = {
        "dagster": files_below(settings.dagster_home),
        "dbt": dbt_files,
        "reports": files_below(settings.reports_dir),
        "published": files_below(settings.published_dir),
        "alerts": [settings.alerts_path] if settings.alerts_path.exists() else [],
    }
    for where in ("dagster", "dbt", "reports", "published"):
        assert scanned[where], f"nothing to scan in {where}"
    assert any(p.name == "dbt.log" for p in dbt_files)
    assert any(p.parent.name == "compute_logs" for p in scanned["dagster"]), "the run's stdout and stderr"
    assert any("gx" in p.relative_to(settings.reports_dir).parts[0] for p in scanned["reports"])
    for paths in scanned.values():
        for path in paths:
            content = path.read_bytes()
            found = {s for s in secrets if s.encode() in content}
            assert not found, f"{found} in {path}"

    # Both published files and the Parquet files, value by value (DuckDB and Parquet compress strings).
    with duckdb.connect(str(settings.published_path), read_only=True) as con:
        con.execute(f"attach '{settings.mikro_path}' as mikro (read_only)")
        tables = [
            r[0]
            for r in con.execute(
                "select database_name || '.' || schema_name || '.' || table_name from duckdb_tables()"
            ).fetchall()
        ]
        assert {"mikro.main.mart_talenta_asn", "mikro.main.laporan_pengaburan"} <= set(tables)
        assert len(tables) > 10
        for table in tables:
            found = leaks(secrets, repr(con.execute(f"select * from {table}").fetchall()))
            assert not found, f"{found} in published {table}"
        for parquet in settings.parquet_dir.glob("*.parquet"):
            found = leaks(secrets, repr(con.execute(f"select * from read_parquet('{parquet}')").fetchall()))
            assert not found, f"{found} in {parquet.name}"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.slow
def test_files_holding_personal_data_are_owner_only(audited):
    settings, _, _, _ = audited
    # The working warehouse and everything DuckDB puts beside it (WAL, spill files): a 0700 folder.
    assert mode(settings.warehouse_path.parent) == 0o700
    assert mode(settings.warehouse_path) == 0o600
    # The microdata file (pseudonymous persons): the owner and PROASN_ANALYST_GROUP; not set here, the owner.
    assert mode(settings.mikro_path.parent) == 0o700
    assert mode(settings.mikro_path) == 0o600
    # Agency packs (names, NIPs, the quarantined rows as written): 0700 folders, 0600 files.
    assert mode(settings.exports_dir) == 0o700
    packs = [p for p in settings.exports_dir.iterdir()]
    assert {p.name for p in packs} >= {"3301", "3373"}
    for pack in packs:
        assert mode(pack) == 0o700, pack
        for path in pack.iterdir():
            assert mode(path) == 0o600, path
    quality = (settings.exports_dir / "3301" / "kualitas_data.csv").read_text(encoding="utf-8-sig")
    assert "Sekar Ayu Kinanti" not in quality or "KOLOM_KURANG" in quality


def test_gx_data_docs_never_show_the_unexpected_values(tmp_path):
    """A suite that fails on personal values: the Data Docs (reports/gx) count the rows, never show them."""
    columns = ENTITIES["pegawai"].column_names
    con = duckdb.connect()
    con.execute(f"create table pegawai ({', '.join(f'{c} varchar' for c in columns)}, "
                "_tanggal_ekstrak date, _file_sha256 varchar, _line integer)")  # fmt: skip
    bad = {"nip": "19800315200501100X", "nama": "Siti Rahmawati", "tanggal_lahir": "1980-13-45",
           "nik": "33730155038000", "jenis_kelamin": "L", "status_kepegawaian": "PNS", "golongan": "III/a",
           "jenis_jabatan": "PELAKSANA", "nama_jabatan": "Staf", "pendidikan_terakhir": "S1"}  # fmt: skip
    con.execute(
        f"insert into pegawai ({', '.join(bad)}, _tanggal_ekstrak, _file_sha256, _line) "
        f"values ({', '.join('?' * len(bad))}, date '2026-10-01', 'a', 2)",
        list(bad.values()),
    )
    frame = con.execute(f"select {frame_select_sql('pegawai')} from pegawai").df()
    docs = tmp_path / "gx"
    outcome = run_suites({"pegawai": frame}, docs_dir=docs)["pegawai"]
    assert {e.kolom for e in outcome.failed} >= {"nip", "nik", "tanggal_lahir"}
    pages = files_below(docs)
    assert any(p.suffix == ".html" for p in pages)
    for path in pages:
        content = path.read_bytes()
        for value in ("19800315200501100X", "33730155038000", "1980-13-45"):
            assert value.encode() not in content, (value, path)
