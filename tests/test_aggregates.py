"""The published aggregates on generated submissions at the demo scale (a real refresh): every level adds up
from published rows, the analysts' example queries of the README and the guide are right, the disclosure audit
passes, and it fails when one protection is turned off."""

import csv
import datetime as dt
import re
import shutil
import warnings
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from pipelines.dbt_project import k_anonimitas
from pipelines.disclosure import audit_warehouse
from pipelines.settings import DevelopmentKeyWarning, export_environment, get_settings
from tests.helpers import TANGGAL_ACUAN, run_refresh, use_home

ROOT = Path(__file__).resolve().parents[1]
# The demo's refreshes: three dates in a row, the generated agencies' submissions falling between them.
FIRST, EARLIER = TANGGAL_ACUAN - dt.timedelta(days=123), TANGGAL_ACUAN - dt.timedelta(days=61)
DATES = (FIRST, EARLIER, TANGGAL_ACUAN)
# After each refresh: the true national talent map and the movement and transfer counts (schema agregat).
SNAPSHOTS: dict[dt.date, dict[str, list[tuple]]] = {}
SNAPSHOT_SQL = {
    "peta": "select coalesce(cast(kotak_talenta as varchar), 'BELUM_TERPROFIL'), jumlah from agregat.agr_peta_talenta "
    "where level = 'NASIONAL' and jenis_jabatan = 'SEMUA'",
    "pergerakan": "select level, kode_provinsi, kode_instansi, kotak_asal, kotak_tujuan, jumlah, tanggal_acuan_awal "
    "from agregat.agr_pergerakan_talenta",
    "mutasi": "select jenis, asal, tujuan, jumlah, tanggal_acuan_awal from agregat.agr_mutasi",
}
EXAMPLE = re.compile(r'proasn sql (--mikro )?"(.*?)"', re.S)


def examples() -> list[tuple[bool, str]]:
    """Every `proasn sql "..."` of the README and the analysts' guide: (on the microdata file, the query)."""
    text = (ROOT / "README.md").read_text() + (ROOT / "docs" / "analysts-guide.md").read_text()
    found = [(bool(m.group(1)), " ".join(m.group(2).split())) for m in EXAMPLE.finditer(text)]
    return [(mikro, q) for mikro, q in found if q.lower().startswith(("select", "with")) and "..." not in q]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """Generated submissions at the demo scale of `make run`, refreshed at the three DATES in a row (the earlier
    ones before many agencies' newest submission: their older files are current, R0), so that the talent history
    holds three dates and the movement and transfer marts (R15, R16) compare the last two (SNAPSHOTS keeps what
    each refresh computed)."""
    from tools.generate import generate

    home = tmp_path_factory.mktemp("agregat") / "home"
    mp = pytest.MonkeyPatch()
    use_home(mp, home)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DevelopmentKeyWarning)
        settings = get_settings()
        export_environment(settings)
    generate(settings.landing, scale=0.0005, seed=1, quiet=True)
    for tanggal in DATES:
        assert run_refresh(tanggal_acuan=tanggal).success
        with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
            SNAPSHOTS[tanggal] = {name: con.execute(sql).fetchall() for name, sql in SNAPSHOT_SQL.items()}
    yield settings
    mp.undo()


def planted(landing: Path) -> list[dict]:
    """The generator's record of what moved (tools/generate/run.py, `_write_movements`)."""
    with open(landing.parent / f"{landing.name}-pergerakan.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.slow
def test_three_refreshes_move_each_talent_map_into_the_next_and_find_the_planted_transfers(demo):
    """R15 and R16 on generated data at three tanggal_acuan in a row: each pair's national matrix turns the
    earlier date's talent map (its row totals) into the later one's (its column totals), and the agency-to-agency
    moves are exactly the generator's planted transfers of that window whose person is an ASN at both dates."""
    record = planted(demo.landing)
    with duckdb.connect(str(demo.warehouse_path), read_only=True) as con:
        kept = con.execute(
            "select distinct tanggal_acuan from riwayat.riwayat_talenta_asn order by 1"
        ).fetchall()
        assert [d for (d,) in kept] == list(DATES)
        present = {d: dict(con.execute(
            "select nip, kode_instansi from riwayat.riwayat_talenta_asn where tanggal_acuan = ?", [d]).fetchall())
            for d in DATES}  # fmt: skip
    assert SNAPSHOTS[FIRST]["pergerakan"] == [] and SNAPSHOTS[FIRST]["mutasi"] == []  # nothing kept before
    found = 0
    for awal, akhir in zip(DATES, DATES[1:], strict=False):
        snap = SNAPSHOTS[akhir]
        assert {row[-1] for row in snap["pergerakan"]} == {awal}
        national = [r for r in snap["pergerakan"] if r[0] == "NASIONAL"]
        rows = {a: n for _, _, _, a, t, n, _ in national if t == "SEMUA" and a not in ("SEMUA", "MASUK")}
        columns = {t: n for _, _, _, a, t, n, _ in national if a == "SEMUA" and t not in ("SEMUA", "KELUAR")}
        assert rows == dict(SNAPSHOTS[awal]["peta"]) and columns == dict(SNAPSHOTS[akhir]["peta"])
        moves = Counter()
        for jenis, asal, tujuan, jumlah, _ in snap["mutasi"]:
            if jenis == "INSTANSI" and "SEMUA" not in (asal, tujuan) and asal != tujuan and "MASUK" != asal \
                    and tujuan != "KELUAR":  # fmt: skip
                moves[(asal, tujuan)] = jumlah
        expected = Counter(
            (r["instansi_asal"], r["instansi_tujuan"]) for r in record
            if r["jenis"] == "MUTASI" and awal < dt.date.fromisoformat(r["tanggal"]) <= akhir
            and r["nip"] in present[awal] and r["nip"] in present[akhir]
        )  # fmt: skip
        assert moves == expected, (awal, akhir)
        found += sum(expected.values())
        # a planted leaver of the window who was an ASN at the start is among its agency's KELUAR
        keluar = {
            i: n
            for lv, _, i, a, t, n, _ in snap["pergerakan"]
            if lv == "INSTANSI" and a == "SEMUA" and t == "KELUAR"
        }
        leavers = Counter(r["instansi_asal"] for r in record if r["jenis"] == "KELUAR"
                          and awal < dt.date.fromisoformat(r["tanggal"]) <= akhir and r["nip"] in present[awal])  # fmt: skip
        for kode, n in leavers.items():
            assert keluar.get(kode, 0) >= n, kode
    assert found >= 1, "no planted transfer between two of the dates"


@pytest.mark.slow
def test_the_audit_passes_and_every_shown_count_is_true(demo):
    with duckdb.connect(str(demo.warehouse_path), read_only=True) as con:
        result = audit_warehouse(con, k_anonimitas())
        assert result["bocor"].empty and result["sel_kecil_tampil"].empty
        assert result["persamaan"] > 0 and result["persamaan_tidak_berlaku"] == 0
        # what the marts show equals the people behind it, at every level
        wrong = con.execute(
            """select count(*) from marts.mart_peta_talenta as m join agregat.agr_peta_talenta as a
               on m.level = a.level and m.kode_provinsi is not distinct from a.kode_provinsi
               and m.kode_instansi is not distinct from a.kode_instansi and m.jenis_jabatan = a.jenis_jabatan
               and m.kotak_talenta is not distinct from a.kotak_talenta
               where m.jumlah is not null and m.jumlah <> a.jumlah"""
        ).fetchall()[0][0]
        assert wrong == 0
        national = con.execute("select count(*) from marts.mart_talenta_asn").fetchall()[0][0]
        shown = con.execute(
            """select max(jumlah_area) from marts.mart_peta_talenta where level = 'NASIONAL'"""
        ).fetchall()[0][0]
        assert shown == national


@pytest.mark.slow
def test_the_share_meeting_the_posts_minimum_education_is_published_at_every_level(demo):
    """R13 per agency and area under R12: the shown counts and shares are the people's own, the nation's count
    is shown, and an agency's share is withheld exactly when its count is."""
    with duckdb.connect(str(demo.warehouse_path), read_only=True) as con:
        people = dict(con.execute(
            "select kode_instansi, count(*) filter (where sesuai_kualifikasi) from marts.mart_talenta_asn group by 1"
        ).fetchall())  # fmt: skip
        assert (
            0
            < sum(people.values())
            < con.execute("select count(*) from marts.mart_talenta_asn").fetchall()[0][0]
        )
        national = con.execute(
            "select jumlah_sesuai_kualifikasi, persen_sesuai_kualifikasi, jumlah_asn from marts.mart_indikator_wilayah "
            "where level = 'NASIONAL'"
        ).fetchall()
        assert national[0][0] == sum(people.values())
        assert float(national[0][1]) == pytest.approx(100 * national[0][0] / national[0][2], abs=0.01)
        agencies = con.execute(
            """select m.kode_instansi, m.persen_sesuai_kualifikasi, m.jumlah_asn, a.jumlah_sesuai_kualifikasi
               from marts.mart_indikator_instansi m join agregat.agr_indikator_instansi a using (kode_instansi)
               where m.jumlah_asn > 0"""
        ).fetchall()
        shown = [(kode, persen, asn, n) for kode, persen, asn, n in agencies if persen is not None]
        assert shown and len(shown) < len(agencies)  # some agencies' shares are withheld (R12)
        for kode, persen, asn, n in shown:
            assert n == people.get(kode, 0)
            assert float(persen) == pytest.approx(100 * n / asn, abs=0.01), kode


@pytest.mark.slow
def test_the_example_queries_of_the_readme_and_the_guide_are_right(demo):
    queries = examples()
    assert len(queries) >= 5
    truth = duckdb.connect(str(demo.warehouse_path), read_only=True)
    for mikro, query in queries:
        path = demo.published_path.parent / "mikro" / "proasn_mikro.duckdb" if mikro else demo.published_path
        with duckdb.connect(str(path), read_only=True) as con:
            rows = con.execute(query).fetchall()
        assert rows, query
        if "mart_peta_talenta" in query and "'NASIONAL'" in query:
            expected = dict(truth.execute(
                "select kotak_talenta, count(*) from marts.mart_talenta_asn group by 1"
            ).fetchall())  # fmt: skip
            for kotak, jumlah, *_ in rows:
                assert jumlah is None or jumlah == expected.get(kotak, 0), query
        if "mart_proyeksi_pensiun" in query:
            expected = dict(truth.execute(
                "select year(tmt_pensiun), count(*) from marts.mart_talenta_asn group by 1"
            ).fetchall())  # fmt: skip
            for tahun, jumlah, ditekan in rows:
                assert ditekan or jumlah == expected.get(tahun, 0), query
        if "mart_indikator_wilayah" in query:
            expected = truth.execute(
                "select count(*), count(*) filter (where kategori_kesiapan = 'SIAP') from marts.mart_talenta_asn"
            ).fetchall()[0]
            (national,) = [row for row in rows if row[0] == "NASIONAL"]
            assert national[2] == expected[0], query
            assert national[3] is None or float(national[3]) == round(100 * expected[1] / expected[0], 2), (
                query
            )
        if "mart_pergerakan_talenta" in query:  # box 5 at the earlier date -> each box now, from the history
            expected = dict(truth.execute(
                """select coalesce(cast(akhir.kotak_talenta as varchar), 'BELUM_TERPROFIL'), count(*)
                   from riwayat.riwayat_talenta_asn as awal left join riwayat.riwayat_talenta_asn as akhir
                   on awal.nip = akhir.nip and akhir.tanggal_acuan = ?
                   where awal.tanggal_acuan = ? and awal.kotak_talenta = 5 and akhir.nip is not null group by 1""",
                [TANGGAL_ACUAN, EARLIER]).fetchall())  # fmt: skip
            for awal, akhir, *_rest in rows:
                assert (awal, akhir) == (EARLIER, TANGGAL_ACUAN), query
            for row in rows:
                tujuan = "8" if "kotak_tujuan" not in query.split("from")[0] else row[2]
                jumlah = row[2] if "kotak_tujuan" not in query.split("from")[0] else row[3]
                if tujuan not in ("KELUAR", "SEMUA"):
                    assert jumlah is None or jumlah == expected.get(tujuan, 0), query
        if "mart_mutasi" in query:  # every shown transfer count is the people's own
            movers = dict(truth.execute(
                """select awal.kode_instansi || '>' || akhir.kode_instansi, count(*)
                   from riwayat.riwayat_talenta_asn as awal join riwayat.riwayat_talenta_asn as akhir
                   on awal.nip = akhir.nip and awal.tanggal_acuan = ? and akhir.tanggal_acuan = ?
                   where awal.kode_instansi <> akhir.kode_instansi group by 1""", [EARLIER, TANGGAL_ACUAN]).fetchall())  # fmt: skip
            if "jenis = 'INSTANSI'" in query:
                for asal, _, tujuan, _, jumlah, ditekan in rows:
                    assert ditekan or jumlah == movers[f"{asal}>{tujuan}"], query
                assert len(rows) == len(movers), query
        if "cakupan_profil_persen" in query:
            assert all(jumlah_asn > 0 for _, _, jumlah_asn, _ in rows), query


PETA_CELL = """update marts.mart_peta_talenta set jumlah = ? where level = ?
    and kode_provinsi is not distinct from ? and kode_instansi is not distinct from ?
    and jenis_jabatan = ? and kotak_talenta is not distinct from ?"""


def withheld_cells(con, penekanan: str, limit: int) -> list[tuple]:
    return con.execute(
        """select a.jumlah, a.level, a.kode_provinsi, a.kode_instansi, a.jenis_jabatan, a.kotak_talenta
           from agregat.pola_penekanan as p join agregat.agr_peta_talenta as a on p.kunci = a.kunci
           where p.tabel = 'peta_talenta' and p.penekanan = ? and a.jumlah > 0 order by a.kunci limit ?""",
        [penekanan, limit],
    ).fetchall()


@pytest.mark.slow
def test_turning_one_protection_off_fails_the_audit(demo, tmp_path):
    copy = tmp_path / "gudang.duckdb"
    shutil.copy(demo.warehouse_path, copy)
    k = k_anonimitas()
    with duckdb.connect(str(copy)) as con:
        # a small cell shown
        small = withheld_cells(con, "PRIMER", 1)[0]
        con.execute("begin")
        con.execute(PETA_CELL, list(small))
        assert not audit_warehouse(con, k)["sel_kecil_tampil"].empty
        con.execute("rollback")
        # a secondary cell shown: its equation gives a small cell back (tried on a few: greedy suppression may
        # have hidden one that later cells made unnecessary)
        leaked = []
        for cell in withheld_cells(con, "SEKUNDER", 5):
            con.execute("begin")
            con.execute(PETA_CELL, list(cell))
            leaked.append(not audit_warehouse(con, k)["bocor"].empty)
            con.execute("rollback")
            if leaked[-1]:
                break
    assert leaked and leaked[-1], leaked
