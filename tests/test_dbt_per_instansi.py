"""Per-agency rebuilds (dbt_project/macros/per_instansi.sql) against rebuilding everything, with real dbt on
the hand-made warehouse of dbt_scenario.py.

After a first complete build, each step changes the inputs, runs a plain `dbt build` (the per-agency models
update only the affected agencies) and compares every table with `dbt build --full-refresh` on a copy of the
same warehouse: they must hold the same rows. The steps: a new submission of 3300 that takes P2 over from 3373
(a transfer: both agencies are affected, K016 is not), a run with nothing new, the same file of 3373 loaded
again, a new file of 3300 leaving out two people, a build of some models only, a new tanggal_acuan, an earlier
tanggal_acuan before some files (R0: the files of that date are current again), a var with another value, a
build that fails half-way. And the data tests of a per-agency model read the rebuilt agencies' rows only.
"""

import json
import shutil

import duckdb
import pytest

from pipelines.ingest import ensure_tables
from tests.dbt_scenario import FILES, P1, P2, P4, P7, insert_files, run_dbt
from tests.helpers import TANGGAL_ACUAN

pytestmark = pytest.mark.slow  # dbt build, every test

# fmt: off
# 3300 submits again on 2026-10-25: P2 (current in 3373 by its 2026-10-01 extract) is now 3300's, with SKP rows.
SUBMISSION_3300 = [
    ("3300", "2026-10-25", "pegawai", "DIMUAT", "2026-10-26 08:00:00", [
        dict(nip=P2, tanggal_lahir="1968-03-15", golongan="IV/b", jenis_jabatan="JPT_PRATAMA",
             pendidikan_terakhir="S3", jenis_kelamin="P", tmt_jabatan="2026-10-01"),
        dict(nip=P4, tanggal_lahir="1975-12-31", golongan="IV/a", jenis_jabatan="ADMINISTRATOR",
             pendidikan_terakhir="S1", tmt_jabatan="2026-01-01"),
        dict(nip=P7, tanggal_lahir="1968-12-20", golongan="III/d", jenis_jabatan="PENGAWAS",
             pendidikan_terakhir="D3"),
    ]),
    ("3300", "2026-10-25", "skp", "DIMUAT", "2026-10-26 08:00:01", [
        dict(nip=P2, tahun="2025", predikat="SANGAT_BAIK"),
        dict(nip=P4, tahun="2025", predikat="BAIK"),
    ]),
    # contract v1.1: P4's history holds S2 above the S1 of pegawai
    ("3300", "2026-10-25", "riwayat_pendidikan", "DIMUAT", "2026-10-26 08:00:02", [
        dict(nip=P2, jenjang="S3", program_studi="Administrasi Publik", tahun_lulus="2010"),
        dict(nip=P4, jenjang="S1", program_studi="Hukum", tahun_lulus="1998"),
        dict(nip=P4, jenjang="S2", program_studi="Hukum", tahun_lulus="2008"),
        dict(nip=P7, jenjang="D3", tahun_lulus="1990"),
    ]),
]
# fmt: on

SCHEMAS = ("staging", "intermediate", "marts", "terbatas", "status", "riwayat")
# What a refresh for another date changes for good (R15): the history keeps that date, and the movement between
# the two latest kept dates compares with it.
KEPT_DATES = ("riwayat.riwayat_talenta_asn", "marts.mart_pergerakan_talenta", "marts.mart_mutasi")


def dbt_build(
    path, *args: str, tanggal_acuan: str = TANGGAL_ACUAN.isoformat(), more_vars: dict | None = None
) -> None:
    """Models and seeds only: the tables are compared here, the data tests run in test_dbt_warehouse.py."""
    result = run_dbt(path, "build", "--exclude-resource-type", "unit_test", "test", *args,
                 tanggal_acuan=tanggal_acuan, more_vars=more_vars)  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:]


def affected(path) -> set:
    with duckdb.connect(str(path), read_only=True) as con:
        return set(con.execute("select kode_instansi, alasan from staging.stg_instansi_terdampak").fetchall())


def differences(path, full_path, ignore: tuple[str, ...] = ()) -> dict[str, tuple[int, int]]:
    """Per table: rows only in the per-agency build, rows only in the full rebuild (multisets); not the tables in
    `ignore`."""
    found = {}
    with duckdb.connect(str(path), read_only=True) as con:
        con.execute(f"attach '{full_path}' as penuh (read_only)")
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = current_database() "
            f"and schema_name in {SCHEMAS} and table_name not in ('stg_instansi_terdampak', 'stg_berkas_berubah')"
        ).fetchall()
        assert len(tables) > 25
        for schema, table in tables:
            if f"{schema}.{table}" in ignore:
                continue
            ours, theirs = f"{schema}.{table}", f"penuh.{schema}.{table}"
            only_ours = con.execute(
                f"select count(*) from (from {ours} except all from {theirs})"
            ).fetchall()[0][0]
            only_theirs = con.execute(
                f"select count(*) from (from {theirs} except all from {ours})"
            ).fetchall()[0][0]
            if only_ours or only_theirs:
                found[f"{schema}.{table}"] = (only_ours, only_theirs)
    return found


def assert_same_as_full_rebuild(
    path, tanggal_acuan: str = TANGGAL_ACUAN.isoformat(), more_vars: dict | None = None
) -> None:
    full_path = path.parent / "penuh.duckdb"
    shutil.copy(path, full_path)
    dbt_build(full_path, "--full-refresh", tanggal_acuan=tanggal_acuan, more_vars=more_vars)
    assert differences(path, full_path) == {}
    full_path.unlink()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("per_instansi") / "proasn.duckdb"
    with duckdb.connect(str(path)) as con:
        ensure_tables(con)
        insert_files(con, FILES)
    dbt_build(path)
    return path


def test_first_build_rebuilds_everything(warehouse):
    assert affected(warehouse) == {(None, "BANGUN_PENUH")}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select distinct sidik_proyek, tanggal_acuan::varchar from status.status_bangun_berkas")\
            .fetchall() == [("uji", TANGGAL_ACUAN.isoformat())]  # fmt: skip


def test_transfer_rebuilds_both_agencies_only(warehouse):
    with duckdb.connect(str(warehouse)) as con:
        insert_files(con, SUBMISSION_3300, first=len(FILES))
        # A row of an agency nobody touched: a per-agency build leaves it, rebuilding the table would not.
        con.execute(
            "insert into staging.stg_skp (nip, tahun, kode_instansi) values ('penanda', 2020, 'ZZZZ')"
        )
    dbt_build(warehouse)
    assert affected(warehouse) == {
        ("3300", "BERKAS_BERUBAH"),
        ("3300", "PEGAWAI_PINDAH"),
        ("3373", "PEGAWAI_PINDAH"),
    }
    with duckdb.connect(str(warehouse)) as con:
        skp = con.execute(
            "select kode_instansi, tahun, predikat from staging.stg_skp where nip = ?", [P2]
        ).fetchall()
        assert skp == [("3300", 2025, "SANGAT_BAIK")]  # 3373's rows of P2 left with P2
        assert con.execute("delete from staging.stg_skp where kode_instansi = 'ZZZZ'").fetchall() == [(1,)]
    assert_same_as_full_rebuild(warehouse)


# A bad row in an agency nobody touched is not reported, one in a rebuilt agency is: (table, columns, values with
# the agency as `{}`, the tests to run).
BAD_ROWS = {
    "generic test of a per-agency model": (
        "staging.stg_skp",
        "nip, tahun, kode_instansi",
        "('penanda', 2020, '{}'), ('penanda', 2020, '{}')",
        "stg_skp,test_name:unique_combination",
        "unique_combination_stg_skp_nip__tahun",
    ),
    "not-null test of a per-agency model": (
        "staging.stg_skp",
        "nip, tahun, kode_instansi",
        "('penanda', null, '{}')",
        "not_null_stg_skp",
        "not_null_stg_skp",
    ),
    "generic test of a view over one": (
        "staging.stg_skp",
        "nip, tahun, predikat, kode_instansi",
        "('penanda', 2020, 'BAGUS', '{}')",
        "accepted_values_int_skp_tahunan",
        "accepted_values_int_skp_tahunan",
    ),
    "singular test": (
        "intermediate.int_riwayat_jabatan",
        "nip, urutan_riwayat, berlaku_mulai, berlaku_sampai, kode_instansi",
        "('penanda', 1, '2020-01-01', '2020-12-31', '{}'), ('penanda', 2, '2020-06-01', null, '{}')",
        "riwayat_jabatan_tanpa_tumpang_tindih",
        "riwayat_jabatan_tanpa_tumpang_tindih",
    ),
}


@pytest.mark.parametrize("case", BAD_ROWS)
def test_data_tests_check_the_rebuilt_agencies(warehouse, case):
    """After the transfer (3300 and 3373 rebuilt), the data tests read their rows only."""
    table, columns, values, selector, reported = BAD_ROWS[case]
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"insert into {table} ({columns}) values {values.format(*['ZZZZ'] * 2)}")
    assert run_dbt(warehouse, "test", "--select", selector).returncode == 0
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"insert into {table} ({columns}) values {values.format(*['3300'] * 2)}")
    failed = run_dbt(warehouse, "test", "--select", selector)
    assert failed.returncode == 1 and reported in failed.stdout
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"delete from {table} where nip = 'penanda'")


def test_nothing_new_rebuilds_nothing(warehouse):
    dbt_build(warehouse)
    assert affected(warehouse) == set()
    assert_same_as_full_rebuild(warehouse)


def test_education_history_sent_later_rebuilds_its_agency_and_keeps_its_other_files(warehouse):
    """3373, a v1 submitter so far, sends riwayat_pendidikan alone (contract v1.1): only 3373 is rebuilt, its
    other entities keep their current files, and P1's S3 in the history lifts the IP ASN kualifikasi (R11)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        files_before = con.execute(
            "select entity, file_sha256 from staging.stg_berkas_terkini where kode_instansi = '3373' order by 1"
        ).fetchall()
    with duckdb.connect(str(warehouse)) as con:
        insert_files(con, [("3373", "2026-10-15", "riwayat_pendidikan", "DIMUAT", "2026-10-16 08:00:00", [
            dict(nip=P1, jenjang="S2", program_studi="Ilmu Komputer", tahun_lulus="2008"),
            dict(nip=P1, jenjang="S3", program_studi="Ilmu Komputer", tahun_lulus="2018"),
        ])], first=len(FILES) + 3)  # fmt: skip
    dbt_build(warehouse)
    assert affected(warehouse) == {("3373", "BERKAS_BERUBAH")}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        files_after = con.execute(
            "select entity, file_sha256 from staging.stg_berkas_terkini where kode_instansi = '3373' order by 1"
        ).fetchall()
        assert [f for f in files_after if f[0] != "riwayat_pendidikan"] == files_before
        assert con.execute(
            "select pendidikan_terakhir, pendidikan_tertinggi, sumber_pendidikan_tertinggi "
            "from intermediate.int_pendidikan_acuan where nip = ?", [P1]
        ).fetchall() == [("S2", "S3", "RIWAYAT_PENDIDIKAN")]  # fmt: skip
        assert con.execute(
            "select ip_asn_kualifikasi, sesuai_kualifikasi from intermediate.int_talenta_asn where nip = ?",
            [P1],
        ).fetchall() == [(25, True)]
        # 3300's history (sent with its second submission): P4's S2 above pegawai's S1
        assert con.execute(
            "select pendidikan_tertinggi, kode_instansi from intermediate.int_pendidikan_acuan where nip = ?",
            [P4],
        ).fetchall() == [("S2", "3300")]
    assert_same_as_full_rebuild(warehouse)


def test_same_file_loaded_again_rebuilds_its_agency(warehouse):
    # `proasn refresh --instansi 3373 --muat-ulang` loads the same bytes again: same SHA-256, new loaded_at.
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "update ingest.ledger set loaded_at = loaded_at + interval 1 day where kode_instansi = '3373'"
        )
    dbt_build(warehouse)
    assert affected(warehouse) == {("3373", "BERKAS_BERUBAH")}
    assert_same_as_full_rebuild(warehouse)


def test_people_left_out_of_a_new_file_go_back_or_leave(warehouse):
    """3300 submits again with P2 only: P4 goes back to 3373, which still lists P4 (stg_pegawai replaces the
    row kept in 3300 by the one of an agency whose file did not change); P7, listed nowhere else, leaves."""
    with duckdb.connect(str(warehouse)) as con:
        insert_files(con, [("3300", "2026-10-30", "pegawai", "DIMUAT", "2026-10-31 08:00:00", [
            SUBMISSION_3300[0][5][0]])], first=len(FILES) + 5)  # fmt: skip
    dbt_build(warehouse)
    assert affected(warehouse) == {
        ("3300", "BERKAS_BERUBAH"),
        ("3300", "PEGAWAI_PINDAH"),
        ("3373", "PEGAWAI_PINDAH"),
    }
    with duckdb.connect(str(warehouse), read_only=True) as con:
        kept = con.execute(
            "select nip, kode_instansi from staging.stg_pegawai where nip in (?, ?, ?) order by 1",
            [P2, P4, P7],
        ).fetchall()
    assert kept == sorted([(P2, "3300"), (P4, "3373")])
    assert_same_as_full_rebuild(warehouse)


def status_record(path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {t: con.execute(f"select * from status.{t} order by all").fetchall()
                for t in ("status_bangun_berkas", "status_bangun_pegawai")}  # fmt: skip


def test_build_of_some_models_keeps_the_last_complete_record(warehouse):
    """A build that leaves out a per-agency model (`--select stg_pegawai+`, as a selection in the Dagster UI
    might: stg_pegawai_per_instansi is upstream) is not a complete build: status_bangun_* stay as they were,
    and the next complete build rebuilds what changed since the last complete one (P4 moves to 3300 again)."""
    with duckdb.connect(str(warehouse)) as con:
        insert_files(con, [("3300", "2026-10-31", "pegawai", "DIMUAT", "2026-11-01 08:00:00",
                            SUBMISSION_3300[0][5][:2])], first=len(FILES) + 6)  # fmt: skip
    record = status_record(warehouse)
    dbt_build(warehouse, "--select", "stg_pegawai+")
    assert status_record(warehouse) == record
    dbt_build(warehouse)
    assert ("3300", "BERKAS_BERUBAH") in affected(warehouse)
    assert status_record(warehouse) != record
    assert_same_as_full_rebuild(warehouse)


def test_new_tanggal_acuan_rebuilds_what_depends_on_it(warehouse):
    dbt_build(warehouse, tanggal_acuan="2027-02-01")
    assert affected(warehouse) == {(None, "TANGGAL_ACUAN_BERUBAH")}
    assert_same_as_full_rebuild(warehouse, tanggal_acuan="2027-02-01")


def test_earlier_tanggal_acuan_finds_that_dates_files_again(warehouse, tmp_path):
    """R0: on 2026-10-26 the 3300 pegawai files of 2026-10-30 and 2026-10-31 do not exist yet, so its
    2026-10-25 file is current again: 3300 is rebuilt from it (BERKAS_BERUBAH) besides everything that reads
    tanggal_acuan, P7 (whom the later files leave out) is 3300's again, and the result equals a full rebuild;
    back on 2027-02-01 every table is as it was."""
    before = tmp_path / "sebelum.duckdb"
    shutil.copy(warehouse, before)
    dbt_build(warehouse, tanggal_acuan="2026-10-26")
    assert {(None, "TANGGAL_ACUAN_BERUBAH"), ("3300", "BERKAS_BERUBAH")} <= affected(warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute(
            "select tanggal_ekstrak::varchar from staging.stg_berkas_terkini "
            "where kode_instansi = '3300' and entity = 'pegawai'"
        ).fetchall() == [("2026-10-25",)]
        assert con.execute(
            "select kode_instansi from staging.stg_pegawai where nip = ?", [P7]
        ).fetchall() == [("3300",)]
    assert_same_as_full_rebuild(warehouse, tanggal_acuan="2026-10-26")
    dbt_build(warehouse, tanggal_acuan="2027-02-01")
    assert differences(warehouse, before, ignore=KEPT_DATES) == {}
    with duckdb.connect(str(warehouse), read_only=True) as con:  # the history kept the earlier date too
        assert con.execute(
            "select distinct tanggal_acuan::varchar from riwayat.riwayat_talenta_asn order by 1"
        ).fetchall() == [("2026-10-26",), (TANGGAL_ACUAN.isoformat(),), ("2027-02-01",)]


def test_new_var_value_rebuilds_what_depends_on_it(warehouse):
    # By hand: `dbt build --vars '{k3_jp_minimum: 30}'` (the pipeline passes no such var: a change in
    # dbt_project.yml changes the project fingerprint and the pipeline rebuilds everything).
    minimum = {"k3_jp_minimum": 30}
    dbt_build(warehouse, tanggal_acuan="2027-02-01", more_vars=minimum)
    assert affected(warehouse) == {(None, "VAR_BERUBAH")}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        (sidik,) = con.execute("select distinct sidik_var from status.status_bangun_berkas").fetchall()
        assert json.loads(sidik[0])["k3_jp_minimum"] == 30
        assert "k_anonimitas" in json.loads(sidik[0])  # read in a macro (suppression), recorded too
    assert_same_as_full_rebuild(warehouse, tanggal_acuan="2027-02-01", more_vars=minimum)


def test_failed_build_keeps_the_last_complete_record(warehouse):
    """A build whose per-agency model fails leaves status_bangun_* as they were: the next run still sees the
    change. (Here: a column rename makes the raw rows unreadable for stg_skp, then it is undone.)"""
    with duckdb.connect(str(warehouse)) as con:
        insert_files(con, [("3373", "2026-11-01", "skp", "DIMUAT", "2026-11-01 09:00:00", [
            dict(nip="198003152005011001", tahun="2026", predikat="BAIK")])], first=len(FILES) + 10)  # fmt: skip
        con.execute("alter table raw.skp rename column predikat to predikat_lama")
    failed = run_dbt(
        warehouse, "build", "--exclude-resource-type", "unit_test", "test", tanggal_acuan="2027-02-01"
    )
    assert failed.returncode != 0
    with duckdb.connect(str(warehouse)) as con:
        assert con.execute("select count(*) from status.status_bangun_berkas where file_sha256 = ?",
                           [f"{len(FILES) + 10:064d}"]).fetchall() == [(0,)]  # fmt: skip
        con.execute("alter table raw.skp rename column predikat_lama to predikat")
    dbt_build(warehouse, tanggal_acuan="2027-02-01")
    assert ("3373", "BERKAS_BERUBAH") in affected(warehouse)
    assert_same_as_full_rebuild(warehouse, tanggal_acuan="2027-02-01")
