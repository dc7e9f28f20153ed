"""dbt on a hand-made warehouse: raw tables and ledger written directly (no ingest), then `dbt build`
(seeds, models, unit tests, data tests), then the staging, intermediate and mart rows checked by hand.

The scenario (tanggal_acuan 2026-11-01):
- 3373 submitted pegawai on 2026-06-01 (P1, P9) and 2026-10-01 (P1..P4); a pegawai file of 2026-10-20 was
  rejected, so 2026-10-01 stays current. Its skp file came with the 2026-06-01 submission only: still current.
- K016 lists P2 (older extract: 3373 keeps P2); 3300 lists P4 with the same extract date as 3373 and a later
  tmt_jabatan (3300 keeps P4). Both conflicts land in stg_mutasi_konflik.
"""

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest import ensure_tables
from pipelines.pseudonym import asn_key
from pipelines.settings import DBT_PROJECT_DIR
from tests.conftest import TEST_PSEUDONYM_KEY

DBT = str(Path(sys.executable).parent / "dbt")
TANGGAL_ACUAN = "2026-11-01"

P1, P2, P3, P4 = "198003152005011001", "196803151993032002", "199001012020121003", "197512312000031004"
P5, P7, P9 = "196612011990031001", "196812202000031005", "198501012010011006"

# fmt: off
PEGAWAI = dict(nama="X", jenis_kelamin="L", status_kepegawaian="PNS", nama_jabatan="Jabatan", kode_wilayah_kerja=None)

# (kode_instansi, tanggal_ekstrak, entity, status, loaded_at, rows)
FILES = [
    ("3373", "2026-06-01", "pegawai", "DIMUAT", "2026-06-02 08:00:00", [
        dict(nip=P1, tanggal_lahir="1980-03-15", golongan="III/d", jenis_jabatan="FUNGSIONAL",
             jenjang_fungsional="AHLI_MUDA", pendidikan_terakhir="S2", tmt_golongan="2021-04-01"),
        dict(nip=P9, tanggal_lahir="1985-01-01", golongan="III/a", jenis_jabatan="PELAKSANA",
             pendidikan_terakhir="S1"),
    ]),
    ("3373", "2026-06-01", "skp", "DIMUAT", "2026-06-02 08:00:01", [
        dict(nip=P1, tahun="2024", hasil_kerja="DI_ATAS", perilaku_kerja="DI_ATAS"),
        dict(nip=P1, tahun="2025", hasil_kerja="DI_ATAS", perilaku_kerja="DI_ATAS", predikat="BAIK"),
        dict(nip=P2, tahun="2024", predikat="BAIK"),
        dict(nip=P2, tahun="2025", nilai="95"),  # PP 46/2011 band as written: SANGAT_BAIK
        dict(nip=P9, tahun="2025", predikat="SANGAT_BAIK"),  # P9 is no longer current: dropped
    ]),
    ("3373", "2026-10-01", "pegawai", "DIMUAT", "2026-10-02 08:00:00", [
        dict(nip=P1, tanggal_lahir="1980-03-15", golongan="III/d", jenis_jabatan="FUNGSIONAL",
             jenjang_fungsional="AHLI_MUDA", pendidikan_terakhir="S2", tmt_golongan="2021-04-01",
             tmt_jabatan="2020-01-01", kode_wilayah_kerja="33.73"),
        dict(nip=P2, tanggal_lahir="1968-03-15", golongan="IV/a", jenis_jabatan="JPT_PRATAMA",
             pendidikan_terakhir="S3", jenis_kelamin="P", tmt_jabatan="2022-02-01"),
        dict(nip=P3, tanggal_lahir="1990-01-01", golongan="IX", jenis_jabatan="PELAKSANA",
             pendidikan_terakhir="S1", status_kepegawaian="PPPK"),
        dict(nip=P4, tanggal_lahir="1975-12-31", golongan="IV/a", jenis_jabatan="PELAKSANA",
             pendidikan_terakhir="S1", tmt_jabatan="2015-01-01"),
    ]),
    ("3373", "2026-10-01", "riwayat_jabatan", "DIMUAT", "2026-10-02 08:00:01", [
        dict(nip=P1, jenis_jabatan="PELAKSANA", nama_jabatan="Staf", tmt_mulai="2010-01-01"),
        dict(nip=P1, jenis_jabatan="FUNGSIONAL", jenjang_fungsional="AHLI_PERTAMA", nama_jabatan="AP",
             tmt_mulai="2015-06-01", tmt_selesai="2019-12-31"),
        dict(nip=P1, jenis_jabatan="FUNGSIONAL", jenjang_fungsional="AHLI_MUDA", nama_jabatan="AM",
             tmt_mulai="2020-01-01"),
        dict(nip=P1, jenis_jabatan="FUNGSIONAL", jenjang_fungsional="AHLI_MUDA", nama_jabatan="AM",
             tmt_mulai="2020-01-01"),  # exact duplicate
    ]),
    ("3373", "2026-10-01", "riwayat_golongan", "DIMUAT", "2026-10-02 08:00:02", [
        dict(nip=P1, golongan="III/a", tmt_golongan="2005-01-01"),
        dict(nip=P1, golongan="III/b", tmt_golongan="2009-04-01"),
        dict(nip=P1, golongan="III/c", tmt_golongan="2013-04-01"),
        dict(nip=P1, golongan="III/d", tmt_golongan="2021-04-01"),
    ]),
    ("3373", "2026-10-01", "riwayat_pelatihan", "DIMUAT", "2026-10-02 08:00:03", [
        dict(nip=P1, jenis_pelatihan="TEKNIS", nama_pelatihan="Data", tanggal_mulai="2026-03-01", jp="24"),
        dict(nip=P1, jenis_pelatihan="SEMINAR", nama_pelatihan="Seminar", tanggal_mulai="2026-09-01", jp="2"),
        dict(nip=P2, jenis_pelatihan="KEPEMIMPINAN", kode_kepemimpinan="PKN_I", nama_pelatihan="PKN I",
             tanggal_mulai="2015-03-01", tanggal_selesai="2015-07-01", jp="400"),
    ]),
    ("3373", "2026-10-01", "asesmen", "DIMUAT", "2026-10-02 08:00:04", [
        dict(nip=P1, tanggal_asesmen="2025-05-01", metode="ASSESSMENT_CENTER", skor_potensi="85", jpm="82",
             km_integritas="3", km_kerja_sama="2"),
        dict(nip=P2, tanggal_asesmen="2023-11-01", metode="CACT", skor_potensi="60", jpm="68"),
        dict(nip=P2, tanggal_asesmen="2023-10-31", metode="ASSESSMENT_CENTER", skor_potensi="90", jpm="90"),
    ]),
    ("3373", "2026-10-20", "pegawai", "DITOLAK", "2026-10-21 08:00:00", []),
    ("K016", "2026-09-15", "pegawai", "DIMUAT", "2026-09-16 08:00:00", [
        dict(nip=P5, tanggal_lahir="1966-12-01", golongan="IV/c", jenis_jabatan="JPT_MADYA",
             pendidikan_terakhir="S2"),
        dict(nip=P2, tanggal_lahir="1968-03-15", golongan="IV/a", jenis_jabatan="JPT_PRATAMA",
             pendidikan_terakhir="S3", tmt_jabatan="2026-09-01"),
    ]),
    ("3300", "2026-10-01", "pegawai", "DIMUAT", "2026-10-03 08:00:00", [
        dict(nip=P4, tanggal_lahir="1975-12-31", golongan="IV/a", jenis_jabatan="ADMINISTRATOR",
             pendidikan_terakhir="S1", tmt_jabatan="2026-01-01"),
        dict(nip=P7, tanggal_lahir="1968-12-20", golongan="III/d", jenis_jabatan="PENGAWAS",
             pendidikan_terakhir="D3"),
    ]),
    ("3300", "2026-10-01", "hukuman_disiplin", "DIMUAT", "2026-10-03 08:00:01", [
        dict(nip=P4, tingkat="BERAT", tmt_mulai="2023-11-01", tmt_selesai="2024-11-01"),
    ]),
]
# fmt: on


def build_raw_warehouse(path: Path) -> None:
    """raw.* and ingest.ledger as ingest writes them, from FILES."""
    with duckdb.connect(str(path)) as con:
        ensure_tables(con)
        insert_files(con, FILES)


def insert_files(con, files: list, first: int = 0) -> None:
    """Files (as in FILES) into ingest.ledger and raw.*; their SHA-256 is their number, counted from `first`."""
    from pipelines.contract import ENTITIES

    for n, (kode, tanggal, entity, status, loaded_at, rows) in enumerate(files, start=first):
        sha = f"{n:064d}"
        file_path = f"{kode}/{tanggal}/{entity}.csv"
        con.execute(
            "insert into ingest.ledger (file_sha256, file_path, kode_instansi, tanggal_ekstrak, entity, status, "
            "baris_dibaca, baris_dimuat, baris_karantina, alasan, pesan, loaded_at) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [sha, file_path, kode, tanggal, entity, status, len(rows) + (status == "DITOLAK"), len(rows), 0,
             json.dumps({"KOLOM_WAJIB_HILANG": 1} if status == "DITOLAK" else {}), "pesan", loaded_at],
        )  # fmt: skip
        columns = ENTITIES[entity].column_names
        for line, row in enumerate(rows, start=2):
            values = {**(PEGAWAI if entity == "pegawai" else {}), **row}
            con.execute(
                f"insert into raw.{entity} (_kode_instansi, _tanggal_ekstrak, _file_sha256, _file_path, _line, "
                f"_loaded_at, {', '.join(columns)}) values ({', '.join('?' * (6 + len(columns)))})",
                [kode, tanggal, sha, file_path, line, loaded_at, *(values.get(c) for c in columns)],
            )


def run_dbt(
    path: Path, command: str, *args: str, tanggal_acuan: str = TANGGAL_ACUAN, more_vars: dict | None = None
) -> subprocess.CompletedProcess:
    """A dbt command on the warehouse at `path`, its target and logs beside it; vars as the pipeline passes them."""
    home = path.parent
    env = {**os.environ, "PROASN_WAREHOUSE": str(path), "PROASN_PSEUDONYM_KEY": TEST_PSEUDONYM_KEY,
           "PROASN_HOME": str(home)}  # fmt: skip
    dbt_vars = {"tanggal_acuan": tanggal_acuan, "sidik_proyek": "uji", **(more_vars or {})}
    return subprocess.run(
        [DBT, command, "--profiles-dir", ".", "--target-path", str(home / "target"), "--log-path", str(home / "logs"),
         "--vars", json.dumps(dbt_vars), *args],
        cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True,
    )  # fmt: skip


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
