"""dbt on a hand-made warehouse: raw tables and ledger written directly (no ingest), then `dbt build`
(seeds, models, unit tests, data tests), then the staging, intermediate and mart rows checked by hand. The
scenario and the warehouse are in dbt_scenario.py.
"""

import datetime as dt
import shutil

import duckdb
import pytest

from pipelines.pseudonym import asn_key
from tests.dbt_scenario import P1, P2, P3, P4, P5, P7, build_raw_warehouse, run_dbt
from tests.helpers import TEST_PSEUDONYM_KEY

pytestmark = pytest.mark.slow  # dbt build, every test


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("dbt_warehouse") / "proasn.duckdb"
    build_raw_warehouse(path)
    result = run_dbt(path, "build")
    assert result.returncode == 0, result.stdout[-6000:]
    with duckdb.connect(str(path), read_only=True) as con:
        yield con


def rows(con, sql):
    return con.execute(sql).fetchall()


def test_current_file_per_agency_and_entity(warehouse):
    got = rows(
        warehouse,
        "select kode_instansi, entity, tanggal_ekstrak from staging.stg_berkas_terkini order by 1, 2",
    )
    d = dt.date.fromisoformat
    assert got == [
        ("3300", "hukuman_disiplin", d("2026-10-01")),
        ("3300", "pegawai", d("2026-10-01")),
        ("3373", "asesmen", d("2026-10-01")),
        ("3373", "pegawai", d("2026-10-01")),  # the rejected 2026-10-20 file leaves this one current
        ("3373", "riwayat_golongan", d("2026-10-01")),
        ("3373", "riwayat_jabatan", d("2026-10-01")),
        ("3373", "riwayat_pelatihan", d("2026-10-01")),
        ("3373", "skp", d("2026-06-01")),  # not in the newer submission: the older file stays current
        ("K016", "pegawai", d("2026-09-15")),
    ]


def test_transfers_resolved_and_every_conflict_kept(warehouse):
    assert rows(warehouse, "select nip, kode_instansi from staging.stg_pegawai order by nip") == sorted(
        [(P1, "3373"), (P2, "3373"), (P3, "3373"), (P4, "3300"), (P5, "K016"), (P7, "3300")]
    )
    assert rows(
        warehouse,
        "select nip, kode_instansi, dipakai from staging.stg_mutasi_konflik order by nip, kode_instansi",
    ) == sorted([(P2, "3373", True), (P2, "K016", False), (P4, "3300", True), (P4, "3373", False)])


def test_histories_only_for_current_asn_deduplicated(warehouse):
    assert {r[0] for r in rows(warehouse, "select nip from staging.stg_skp")} == {P1, P2}
    assert rows(warehouse, "select count(*) from staging.stg_riwayat_jabatan") == [(3,)]


def test_career_spells_do_not_overlap_and_end_in_the_current_post(warehouse):
    d = dt.date.fromisoformat
    assert rows(
        warehouse,
        f"select urutan_riwayat, kode_jabatan, berlaku_mulai, berlaku_sampai, is_terkini "
        f"from intermediate.int_riwayat_jabatan where nip = '{P1}' order by 1",
    ) == [
        (1, "PELAKSANA", d("2010-01-01"), d("2015-05-31"), False),
        (2, "FUNGSIONAL_AHLI_PERTAMA", d("2015-06-01"), d("2019-12-31"), False),
        (3, "FUNGSIONAL_AHLI_MUDA", d("2020-01-01"), None, True),
    ]


def test_person_level_rules(warehouse):
    got = {
        r[0]: r[1:]
        for r in rows(
            warehouse,
            "select nip, kotak_talenta, kelompok_suksesi, k1_kinerja, k2_kompetensi, k3_pengembangan, "
            "k4_kepemimpinan, k5_disiplin, k6_masa_kerja, kategori_kesiapan, ip_asn_skor, ip_asn_kategori, "
            "tmt_pensiun from intermediate.int_talenta_asn",
        )
    }
    d = dt.date.fromisoformat
    # P1: SKP 2025 by the matrix (SANGAT_BAIK over a given BAIK), potensi 85: box 9, every criterion holds.
    # IP ASN: S2 20 + kompetensi 15 (TEKNIS) + 15 (26 JP) + 10 (seminar) + kinerja 30 + disiplin 5 = 95.
    assert got[P1] == (
        9,
        True,
        True,
        True,
        True,
        True,
        True,
        True,
        "SIAP",
        95,
        "SANGAT_TINGGI",
        d("2038-04-01"),
    )
    # P2: SKP 2025 nilai 95 -> SANGAT_BAIK (DI_ATAS); the assessment exactly 3 years before is valid and the
    # latest (potensi 60 MENENGAH, jpm 68): box 7. PKN_I meets the PKN_II requirement. TMT pensiun 2028-04-01 is
    # less than 2 years away: K6 fails -> BELUM_SIAP. IP: 25 + 15 + 0 + 0 + 30 + 5 = 75.
    assert got[P2] == (
        7,
        True,
        True,
        False,
        False,
        True,
        True,
        False,
        "BELUM_SIAP",
        75,
        "SEDANG",
        d("2028-04-01"),
    )
    # P3 (PPPK): no SKP, no assessment: not profiled, TIDAK_DAPAT_DINILAI. IP: 15 + 0 + 0 + 5 = 20.
    assert got[P3] == (None, False, False, False, False, True, True, True, "TIDAK_DAPAT_DINILAI", 20,
                       "SANGAT_RENDAH", d("2048-02-01"))  # fmt: skip
    # P4: ADMINISTRATOR without PKA; BERAT sanction exactly 3 years ago: K5 fails, disiplin 0.
    # IP: S1 15 + kompetensi 0 + kinerja 0 + disiplin 0 = 15.
    assert got[P4] == (None, False, False, False, False, False, False, True, "TIDAK_DAPAT_DINILAI", 15,
                       "SANGAT_RENDAH", d("2034-01-01"))  # fmt: skip
    # P7: born 1968-12-20, BUP 58 -> 2027-01-01 (year rollover).
    assert got[P7][-1] == d("2027-01-01")


def test_published_marts_hold_no_identifier(warehouse):
    keys = {r[0] for r in rows(warehouse, "select asn_key from marts.mart_talenta_asn")}
    assert keys == {asn_key(n, TEST_PSEUDONYM_KEY) for n in (P1, P2, P3, P4, P5, P7)}


def test_grouped_tests_name_the_failing_column_and_value(warehouse, tmp_path):
    """accepted_values_<model> and relationships_<model> check several columns each: a failing row names the
    column and the value, with how many rows hold it; NULL passes."""
    built = "select path from duckdb_databases() where database_name = current_database()"
    path = tmp_path / "proasn.duckdb"
    shutil.copy(rows(warehouse, built)[0][0], path)
    with duckdb.connect(str(path)) as con:
        con.execute(
            "update staging.stg_pegawai set jenis_kelamin = 'X', golongan = 'V/z' where nip = ?", [P1]
        )
        con.execute(
            "update staging.stg_pegawai set jenis_kelamin = 'X', jenis_jabatan = null where nip = ?", [P2]
        )
        con.execute("update staging.stg_pegawai set status_kepegawaian = 'ASN' where nip = ?", [P3])
    tests = ["accepted_values_stg_pegawai", "relationships_stg_pegawai"]
    failed = run_dbt(path, "test", "--select", *tests, "--store-failures")
    assert failed.returncode == 1, failed.stdout[-6000:]
    with duckdb.connect(str(path), read_only=True) as con:
        got = {t: set(rows(con, f"select * from dbt_test__audit.{t}")) for t in tests}
    assert got == {
        "accepted_values_stg_pegawai": {("jenis_kelamin", "X", 2), ("status_kepegawaian", "ASN", 1)},
        "relationships_stg_pegawai": {("golongan", "V/z", 1)},
    }


def test_promotion_status_published_and_restricted_agree(warehouse, tmp_path):
    """R9 revision 2: P1 (III/d since 2021-04-01, K1, no sanction) LAYAK; P2 (tmt_golongan unknown, nothing else
    fails) NULL; P3 (PPPK) NULL with TIDAK_BERLAKU; P4, P5, P7 (no SKP in the window) TERHAMBAT_SKP. The data
    test kenaikan_pangkat_terbit_sama_dengan_terbatas passes, and fails once the published flag disagrees."""
    got = {
        r[0]: r[1:]
        for r in rows(
            warehouse,
            "select asn_key, layak_kenaikan_pangkat_reguler, status_kenaikan_pangkat from marts.mart_talenta_asn",
        )
    }
    key = {asn_key(n, TEST_PSEUDONYM_KEY): n for n in (P1, P2, P3, P4, P5, P7)}
    assert {key[k]: v for k, v in got.items()} == {
        P1: (True, "LAYAK"),
        P2: (None, "TMT_GOLONGAN_TIDAK_DIKETAHUI"),
        P3: (None, "TIDAK_BERLAKU"),
        P4: (False, "TERHAMBAT_SKP"),
        P5: (False, "TERHAMBAT_SKP"),
        P7: (False, "TERHAMBAT_SKP"),
    }
    built = "select path from duckdb_databases() where database_name = current_database()"
    path = tmp_path / "proasn.duckdb"
    shutil.copy(rows(warehouse, built)[0][0], path)
    test = "kenaikan_pangkat_terbit_sama_dengan_terbatas"
    assert run_dbt(path, "test", "--select", test).returncode == 0
    with duckdb.connect(str(path)) as con:
        con.execute(
            "update marts.mart_talenta_asn set layak_kenaikan_pangkat_reguler = true where asn_key = ?",
            [asn_key(P3, TEST_PSEUDONYM_KEY)],
        )
    failed = run_dbt(path, "test", "--select", test)
    assert failed.returncode == 1 and test in failed.stdout
