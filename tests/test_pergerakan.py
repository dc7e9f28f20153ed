"""Talent movement (R15) and transfers (R16 mutasi) on hand-computed rows, with real dbt on the hand-made warehouse
of dbt_scenario.py: the history riwayat_talenta_asn survives `dbt build --full-refresh`, and two kept dates named
by vars give the movement matrix and the transfer table computed here by hand.

The history rows of two earlier dates (written into riwayat_talenta_asn as earlier refreshes would have):
- 2026-05-01: X1 and X2 in 3373 (Kota Salatiga, duty station 33) in box 5; X3 in 3373, belum terprofil; X4 in 3300
  (Jawa Tengah) in box 7; X5 in K016 (a ministry, duty station 31) in box 3.
- 2026-08-01: X1 in 3373 now in box 8; X2 still in box 5; X3 moved to 3300, box 2; X4 gone (no longer an ASN);
  X5 moved to K001 (duty station 31 still), box 3; X6 new in 3373, belum terprofil.
- X7 and X8 in 3300 in box 4 at both dates.
"""

import shutil

import duckdb
import pytest

from pipelines.disclosure import audit_warehouse
from tests.dbt_scenario import build_raw_warehouse, run_dbt
from tests.helpers import TANGGAL_ACUAN

pytestmark = pytest.mark.slow  # dbt build

AWAL, AKHIR = "2026-05-01", "2026-08-01"
# (tanggal_acuan, nip, kode_instansi, kode_provinsi, kotak_talenta)
HISTORY = [
    (AWAL, "X1", "3373", "33", 5), (AWAL, "X2", "3373", "33", 5), (AWAL, "X3", "3373", "33", None),
    (AWAL, "X4", "3300", "33", 7), (AWAL, "X5", "K016", "31", 3),
    (AKHIR, "X1", "3373", "33", 8), (AKHIR, "X2", "3373", "33", 5), (AKHIR, "X3", "3300", "33", 2),
    (AKHIR, "X5", "K001", "31", 3), (AKHIR, "X6", "3373", "33", None),
    (AWAL, "X7", "3300", "33", 4), (AWAL, "X8", "3300", "33", 4), (AKHIR, "X7", "3300", "33", 4),
    (AKHIR, "X8", "3300", "33", 4),
]  # fmt: skip
PAIR = {"pergerakan_awal": AWAL, "pergerakan_akhir": AKHIR}
MOVEMENT_MODELS = "agr_pergerakan_talenta agr_mutasi pola_penekanan mart_pergerakan_talenta mart_mutasi"


def build(path, *args: str, more_vars: dict | None = None) -> None:
    result = run_dbt(path, "build", "--exclude-resource-type", "unit_test", *args, more_vars=more_vars)
    assert result.returncode == 0, result.stdout[-6000:]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    """The scenario built once at TANGGAL_ACUAN, the two earlier dates added to its history, then a full rebuild
    (--full-refresh, as the pipeline runs after a project change) and the movement models for the named pair."""
    path = tmp_path_factory.mktemp("pergerakan") / "proasn.duckdb"
    build_raw_warehouse(path)
    build(path)
    with duckdb.connect(str(path)) as con:
        con.executemany(
            "insert into riwayat.riwayat_talenta_asn (tanggal_acuan, nip, kode_instansi, kode_provinsi, kotak_talenta, "
            "kategori_kesiapan) values (?, ?, ?, ?, ?, 'BELUM_SIAP')",
            [list(row) for row in HISTORY],
        )
    build(path, "--full-refresh")
    build(path, "--select", MOVEMENT_MODELS, more_vars=PAIR)
    return path


def rows(path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_the_history_survives_a_full_rebuild(warehouse):
    kept = dict(
        rows(warehouse, "select tanggal_acuan::varchar, count(*) from riwayat.riwayat_talenta_asn group by 1")
    )
    current = rows(warehouse, "select count(*) from intermediate.int_talenta_asn")[0][0]
    assert kept == {AWAL: 7, AKHIR: 7, TANGGAL_ACUAN.isoformat(): current}


def test_a_refresh_for_a_kept_date_replaces_that_date_only(warehouse, tmp_path):
    copy = tmp_path / "proasn.duckdb"
    shutil.copy(warehouse, copy)
    build(copy, "--select", "riwayat_talenta_asn", "--full-refresh")  # full_refresh false: still incremental
    build(copy, "--select", "riwayat_talenta_asn")
    assert rows(copy, "select * from riwayat.riwayat_talenta_asn order by all") == rows(
        warehouse, "select * from riwayat.riwayat_talenta_asn order by all"
    )


def movement(path) -> dict[tuple, int]:
    """The true counts of agr_pergerakan_talenta that are not 0 and not a SEMUA total."""
    return {
        tuple(r[:-1]): r[-1]
        for r in rows(
            path,
            "select level, coalesce(kode_instansi, kode_provinsi, ''), kotak_asal, kotak_tujuan, jumlah "
            "from agregat.agr_pergerakan_talenta where jumlah > 0 and 'SEMUA' not in (kotak_asal, kotak_tujuan)",
        )
    }


def test_a_person_moving_from_box_5_to_8_is_counted_once_in_the_right_cell(warehouse):
    assert rows(warehouse, "select distinct tanggal_acuan_awal::varchar, tanggal_acuan_akhir::varchar "
                           "from marts.mart_pergerakan_talenta") == [(AWAL, AKHIR)]  # fmt: skip
    assert movement(warehouse) == {
        ("NASIONAL", "", "5", "8"): 1, ("NASIONAL", "", "5", "5"): 1, ("NASIONAL", "", "BELUM_TERPROFIL", "2"): 1,
        ("NASIONAL", "", "7", "KELUAR"): 1, ("NASIONAL", "", "3", "3"): 1, ("NASIONAL", "", "MASUK", "BELUM_TERPROFIL"): 1,
        ("NASIONAL", "", "4", "4"): 2, ("PROVINSI", "33", "4", "4"): 2, ("INSTANSI", "3300", "4", "4"): 2,
        # the duty-station provinces: X1, X2, X3, X4, X6 in 33 (X4 by the start date), X5 in 31
        ("PROVINSI", "33", "5", "8"): 1, ("PROVINSI", "33", "5", "5"): 1, ("PROVINSI", "33", "BELUM_TERPROFIL", "2"): 1,
        ("PROVINSI", "33", "7", "KELUAR"): 1, ("PROVINSI", "33", "MASUK", "BELUM_TERPROFIL"): 1,
        ("PROVINSI", "31", "3", "3"): 1,
        # an agency: the people at the end date by their agency then (X3 in 3300, X5 in K001), a leaver by the start's
        ("INSTANSI", "3373", "5", "8"): 1, ("INSTANSI", "3373", "5", "5"): 1,
        ("INSTANSI", "3373", "MASUK", "BELUM_TERPROFIL"): 1, ("INSTANSI", "3300", "BELUM_TERPROFIL", "2"): 1,
        ("INSTANSI", "3300", "7", "KELUAR"): 1, ("INSTANSI", "K001", "3", "3"): 1,
    }  # fmt: skip
    # the totals: 8 people, 7 of them then, 7 now; 2 in box 5 at the start
    totals = dict(((a, t), n) for a, t, n in rows(
        warehouse, "select kotak_asal, kotak_tujuan, jumlah from agregat.agr_pergerakan_talenta "
                   "where level = 'NASIONAL' and 'SEMUA' in (kotak_asal, kotak_tujuan)"))  # fmt: skip
    assert (
        totals[("SEMUA", "SEMUA")] == 8 and totals[("5", "SEMUA")] == 2 and totals[("SEMUA", "KELUAR")] == 1
    )
    assert totals[("MASUK", "SEMUA")] == 1 and totals[("SEMUA", "8")] == 1


def test_a_transfer_is_counted_from_the_right_agency_to_the_right_one(warehouse):
    counts = {(j, a, t): n for j, a, t, n in rows(
        warehouse, "select jenis, asal, tujuan, jumlah from agregat.agr_mutasi")}  # fmt: skip
    assert {k: n for k, n in counts.items() if "SEMUA" not in k} == {
        ("INSTANSI", "3373", "3373"): 2, ("INSTANSI", "3300", "3300"): 2, ("INSTANSI", "3373", "3300"): 1, ("INSTANSI", "3300", "KELUAR"): 1,
        ("INSTANSI", "K016", "K001"): 1, ("INSTANSI", "MASUK", "3373"): 1,
        ("PROVINSI", "33", "33"): 5, ("PROVINSI", "33", "KELUAR"): 1, ("PROVINSI", "31", "31"): 1,
        ("PROVINSI", "MASUK", "33"): 1,
    }  # fmt: skip
    # leaving an agency for any other (and for outside the civil service), arriving from any
    assert counts[("INSTANSI", "3373", "SEMUA")] == 3 and counts[("INSTANSI", "SEMUA", "3300")] == 3
    assert counts[("INSTANSI", "SEMUA", "SEMUA")] == counts[("PROVINSI", "SEMUA", "SEMUA")] == 8
    # published: the single transfers are withheld (1 < k), the agencies' headcounts at both dates are not
    published = {(a, t): (n, d, p) for a, t, n, d, p in rows(
        warehouse, "select asal, tujuan, jumlah, ditekan, pindah from marts.mart_mutasi where jenis = 'INSTANSI'")}  # fmt: skip
    assert published[("3373", "3300")] == (None, True, True)
    assert published[("SEMUA", "3300")] == (3, False, False)
    assert published[("3373", "SEMUA")] == (3, False, False)


def test_the_published_movement_passes_the_audit(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        result = audit_warehouse(con, 5)
    assert result["bocor"].empty and result["sel_kecil_tampil"].empty
    shown = rows(warehouse, "select count(*) from marts.mart_pergerakan_talenta where jumlah between 1 and 4")
    assert shown == [(0,)]


def test_a_pair_that_is_not_kept_fails_the_build(warehouse):
    result = run_dbt(warehouse, "build", "--select", "agr_pergerakan_talenta",
                     more_vars={"pergerakan_awal": "2026-06-01", "pergerakan_akhir": AKHIR})  # fmt: skip
    assert result.returncode != 0
    assert "bukan tanggal_acuan yang tersimpan" in result.stdout
