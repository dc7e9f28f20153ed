"""Everything as of tanggal_acuan (R0, with R4 at its edge), end to end: one landing tree, real Dagster refreshes
(ingest, dbt, checks, publish) at three reference dates and back to the first; after the third, the agency
packs and `proasn profil` of the person past BUP.

The landing tree, 3373 (Kota Salatiga), two submissions:
- 2026-03-01: pegawai N1, N2; skp; asesmen; riwayat_pelatihan (N1: 10 JP TEKNIS starting 2025-06-01).
- 2026-03-31: pegawai N1, N2, N3 (N3 new); riwayat_pelatihan adds 24 JP TEKNIS for N1 starting 2026-04-01.
The 2026-03-01 skp and asesmen files stay current after 2026-03-31 (the newer submission lacks them).

People (hand-computed from docs/domain-rules.md):
- N1 FUNGSIONAL AHLI_MUDA (BUP 58), born 1980-05-10: TMT pensiun 2038-06-01. SKP 2024 and 2025 SANGAT_BAIK
  (DI_ATAS), assessment 2025-06-01 skor 85 (TINGGI) jpm 82: box 9. K1 (2024, 2025), K2, K4, K5, K6 hold; K3
  counts the JP starting in the 12 months up to tanggal_acuan: 10 on 2026-03-20 and 2026-03-31 (the 24 JP
  course starts on 2026-04-01, after them), 34 on 2026-04-15. So SIAP_DENGAN_PENGEMBANGAN, then SIAP.
- N2 PELAKSANA (BUP 58), born 1968-03-15: TMT pensiun 2026-04-01. SKP 2025 BAIK, no assessment: no box,
  TIDAK_DAPAT_DINILAI. Active on 2026-03-20 and 2026-03-31 (TMT pensiun the day after); on 2026-04-15 no longer
  an active ASN: in no mart, listed in int_melewati_bup and the agency's pack.
- N3 "Guru Ahli Pertama" (AHLI_PERTAMA, default BUP 58 but teachers 60), born 1967-02-20: TMT pensiun
  2027-03-01 (with 58 it would be 2025-03-01, long past). In no submission before 2026-03-31. Not profiled.

Dates: 2026-03-20 (before the newest submission: the 2026-03-01 files are current, N1 and N2), 2026-03-31 (on
it: N1, N2, N3), 2026-04-15 (after it: N1, N3; N2 past BUP), and back to 2026-03-20: the same tables as the
first time.
"""

import csv
import datetime as dt
import shutil
import subprocess
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.pseudonym import asn_key
from pipelines.settings import get_settings
from tests.helpers import PROASN, TEST_PSEUDONYM_KEY, use_home

pytestmark = pytest.mark.slow  # real refreshes

N1, N2, N3 = "198005102005011001", "196803151990031001", "196702201995032001"
d = dt.date.fromisoformat
SEBELUM, PADA, SESUDAH = d("2026-03-20"), d("2026-03-31"), d("2026-04-15")
SCHEMAS = ("marts", "terbatas", "intermediate")

PEGAWAI_HEADER = ["nip", "nama", "jenis_kelamin", "tanggal_lahir", "status_kepegawaian", "golongan", "tmt_golongan",
                  "jenis_jabatan", "jenjang_fungsional", "nama_jabatan", "pendidikan_terakhir"]  # fmt: skip
PEGAWAI_N1 = [N1, "Nurul Hidayat", "L", "1980-05-10", "PNS", "III/c", "2022-04-01", "FUNGSIONAL", "AHLI_MUDA",
              "Analis Kebijakan Ahli Muda", "S2"]  # fmt: skip
PEGAWAI_N2 = [N2, "Bambang Sutrisno", "L", "1968-03-15", "PNS", "III/b", "2019-04-01", "PELAKSANA", "",
              "Pengadministrasi Umum", "SMA"]  # fmt: skip
PEGAWAI_N3 = [N3, "Sri Wahyuni", "P", "1967-02-20", "PNS", "III/c", "2021-04-01", "FUNGSIONAL", "AHLI_PERTAMA",
              "Guru Ahli Pertama", "S1"]  # fmt: skip
PELATIHAN_HEADER = ["nip", "jenis_pelatihan", "nama_pelatihan", "tanggal_mulai", "tanggal_selesai", "jp"]
PELATIHAN_LAMA = [N1, "TEKNIS", "Analisis Data", "2025-06-01", "2025-06-03", "10"]
PELATIHAN_BARU = [N1, "TEKNIS", "Kebijakan Publik", "2026-04-01", "2026-04-05", "24"]

SUBMISSIONS = {
    "3373/2026-03-01": {
        "pegawai": [PEGAWAI_HEADER, PEGAWAI_N1, PEGAWAI_N2],
        "skp": [["nip", "tahun", "predikat"], [N1, "2024", "SANGAT_BAIK"], [N1, "2025", "SANGAT_BAIK"],
                [N2, "2025", "BAIK"]],
        "asesmen": [["nip", "tanggal_asesmen", "metode", "skor_potensi", "jpm"],
                    [N1, "2025-06-01", "ASSESSMENT_CENTER", "85", "82"]],
        "riwayat_pelatihan": [PELATIHAN_HEADER, PELATIHAN_LAMA],
    },
    "3373/2026-03-31": {
        "pegawai": [PEGAWAI_HEADER, PEGAWAI_N1, PEGAWAI_N2, PEGAWAI_N3],
        "riwayat_pelatihan": [PELATIHAN_HEADER, PELATIHAN_LAMA, PELATIHAN_BARU],
    },
}  # fmt: skip


def write_landing(landing: Path) -> None:
    for folder, entities in SUBMISSIONS.items():
        (landing / folder).mkdir(parents=True)
        for entity, rows in entities.items():
            with (landing / folder / f"{entity}.csv").open("w", newline="", encoding="utf-8") as handle:
                csv.writer(handle).writerows(rows)


def refresh(instance, tanggal_acuan: dt.date):
    from assets.definitions import refresh_job_def, refresh_run_config

    result = refresh_job_def().execute_in_process(
        run_config=refresh_run_config(tanggal_acuan), instance=instance, raise_on_error=False
    )
    assert result.success, tanggal_acuan
    return result


def tables(path: Path) -> dict[str, list[dict]]:
    """Every table of the mart, restricted and intermediate schemas: its rows in order, as column -> value."""
    with duckdb.connect(str(path), read_only=True) as con:
        names = con.execute(
            "select schema_name || '.' || table_name from duckdb_tables() "
            f"where database_name = current_database() and schema_name in {SCHEMAS} order by 1"
        ).fetchall()
        found = {}
        for (name,) in names:
            cursor = con.execute(f"select * from {name} order by all")
            columns = [c[0] for c in cursor.description]
            found[name] = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        return found


def key(nip: str) -> str:
    return asn_key(nip, TEST_PSEUDONYM_KEY)


@pytest.fixture(scope="module")
def snapshots(tmp_path_factory):
    """The warehouse's tables after each refresh: 2026-03-20, 2026-03-31, 2026-04-15, 2026-03-20 again; and the
    agency packs written after the third."""
    mp = pytest.MonkeyPatch()
    home = tmp_path_factory.mktemp("tanggal_acuan")
    write_landing(home / "landing")
    use_home(mp, home)
    settings = get_settings(SEBELUM)
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    instance = dg.DagsterInstance.ephemeral()
    taken = []
    for tanggal in (SEBELUM, PADA, SESUDAH, SEBELUM):
        refresh(instance, tanggal)
        taken.append(tables(settings.warehouse_path))
        if tanggal == SESUDAH:
            from assets.definitions import packs_job_def, refresh_run_config

            packs = packs_job_def().execute_in_process(
                run_config=refresh_run_config(tanggal), instance=instance, raise_on_error=False
            )
            assert packs.success
            pack = settings.exports_dir / "3373"
            shutil.copytree(pack, home / "paket_sesudah")
            profil = subprocess.run([PROASN, "profil", N2], capture_output=True, text=True)
            (home / "profil_n2.txt").write_text(f"{profil.returncode}\n{profil.stderr}")
    yield taken, home
    mp.undo()


def people(snapshot) -> dict[str, tuple]:
    """asn_key -> (kotak_talenta, kategori_kesiapan, jp_12_bulan, tmt_pensiun, tanggal_acuan) of mart_talenta_asn."""
    columns = ("kotak_talenta", "kategori_kesiapan", "jp_12_bulan", "tmt_pensiun", "tanggal_acuan")
    return {r["asn_key"]: tuple(r[c] for c in columns) for r in snapshot["marts.mart_talenta_asn"]}


def test_before_the_newest_submission_its_files_do_not_count(snapshots):
    taken, _ = snapshots
    assert people(taken[0]) == {
        key(N1): (9, "SIAP_DENGAN_PENGEMBANGAN", 10, d("2038-06-01"), SEBELUM),
        key(N2): (None, "TIDAK_DAPAT_DINILAI", 0, d("2026-04-01"), SEBELUM),
    }
    assert taken[0]["intermediate.int_melewati_bup"] == []


def test_on_the_newest_submission_its_files_count_but_not_a_course_starting_the_day_after(snapshots):
    taken, _ = snapshots
    assert people(taken[1]) == {
        key(N1): (9, "SIAP_DENGAN_PENGEMBANGAN", 10, d("2038-06-01"), PADA),
        key(N2): (None, "TIDAK_DAPAT_DINILAI", 0, d("2026-04-01"), PADA),  # TMT pensiun the day after: active
        key(N3): (None, "TIDAK_DAPAT_DINILAI", 0, d("2027-03-01"), PADA),  # Guru: BUP 60, not 58
    }
    assert taken[1]["intermediate.int_melewati_bup"] == []


def test_after_it_the_course_counts_and_a_person_past_bup_is_no_longer_active(snapshots):
    taken, home = snapshots
    assert people(taken[2]) == {
        key(N1): (9, "SIAP", 34, d("2038-06-01"), SESUDAH),
        key(N3): (None, "TIDAK_DAPAT_DINILAI", 0, d("2027-03-01"), SESUDAH),
    }
    melewati = taken[2]["intermediate.int_melewati_bup"]
    assert [(r["nip"], r["nama"], r["kode_instansi"], r["tmt_pensiun"]) for r in melewati] == [
        (N2, "Bambang Sutrisno", "3373", d("2026-04-01"))
    ]
    assert {r["nip"] for r in taken[2]["terbatas.rst_rekomendasi_asn"]} == {N1, N3}
    with (home / "paket_sesudah" / "melewati_bup.csv").open(encoding="utf-8-sig", newline="") as handle:
        listed = list(csv.DictReader(handle))
    assert [(r["nip"], r["nama"], r["tmt_pensiun"]) for r in listed] == [
        (N2, "Bambang Sutrisno", "2026-04-01")
    ]
    assert "Perbarui berkas pegawai" in listed[0]["keterangan"]
    code, message = (home / "profil_n2.txt").read_text().split("\n", 1)
    assert code == "1" and "sudah mencapai batas usia pensiun (58 tahun, TMT pensiun 2026-04-01)" in message


def test_headcount_per_agency_follows_the_date(snapshots):
    taken, _ = snapshots
    assert [
        [(r["kode_instansi"], r["jumlah_asn"]) for r in t["marts.mart_indikator_instansi"] if r["jumlah_asn"]]
        for t in taken[:3]
    ] == [[("3373", 2)], [("3373", 3)], [("3373", 2)]]


def test_going_back_to_an_earlier_date_gives_exactly_its_tables_again(snapshots):
    taken, _ = snapshots
    first, again = taken[0], taken[3]
    assert first.keys() == again.keys()
    assert len(first) > 15
    assert {n for n in first if first[n] != again[n]} == set()
    assert len({repr(t["marts.mart_talenta_asn"]) for t in taken[:3]}) == 3, "three different sets of marts"
