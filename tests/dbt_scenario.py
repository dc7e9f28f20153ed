"""The hand-made warehouse of the dbt tests (test_dbt_warehouse.py, test_dbt_per_instansi.py): the rows of raw.*
and ingest.ledger as the ingest writes them, and dbt run on it as the pipeline runs it.

The scenario (tanggal_acuan 2026-11-01):
- 3373 submitted pegawai on 2026-06-01 (P1, P9) and 2026-10-01 (P1..P4); a pegawai file of 2026-10-20 was
  rejected, so 2026-10-01 stays current. Its skp file came with the 2026-06-01 submission only: still current.
- K016 lists P2 (older extract: 3373 keeps P2); 3300 lists P4 with the same extract date as 3373 and a later
  tmt_jabatan (3300 keeps P4). Both conflicts land in stg_mutasi_konflik.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from pipelines.ingest import ensure_tables
from pipelines.settings import DBT_PROJECT_DIR
from tests.helpers import TANGGAL_ACUAN, TEST_PSEUDONYM_KEY

DBT = str(Path(sys.executable).parent / "dbt")

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
    path: Path,
    command: str,
    *args: str,
    tanggal_acuan: str = TANGGAL_ACUAN.isoformat(),
    more_vars: dict | None = None,
) -> subprocess.CompletedProcess:
    """A dbt command on the warehouse at `path`, its target and logs beside it; vars as the pipeline passes them.
    A target folder per warehouse file: dbt parses the project again (seconds) when the warehouse path in the
    profile differs from the last parse in that folder, as it would alternating with a copy beside it."""
    home = path.parent
    env = {**os.environ, "PROASN_WAREHOUSE": str(path), "PROASN_PSEUDONYM_KEY": TEST_PSEUDONYM_KEY,
           "PROASN_HOME": str(home)}  # fmt: skip
    dbt_vars = {"tanggal_acuan": tanggal_acuan, "sidik_proyek": "uji", **(more_vars or {})}
    return subprocess.run(
        [DBT, command, "--profiles-dir", ".", "--target-path", str(home / f"target-{path.stem}"), "--log-path", str(home / "logs"),
         "--vars", json.dumps(dbt_vars), *args],
        cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True,
    )  # fmt: skip
