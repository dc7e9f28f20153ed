"""Closing the loop (issue 11), on one real refresh of tests/fixtures/loop/landing (tanggal_acuan 2026-11-01):
the restricted models (terbatas.*), the agency feedback packs under PROASN_HOME/exports and `proasn profil`.

Hand-computed people of 3373 (Kota Salatiga):
A JPT_PRATAMA: SKP 2025 KURANG, potensi 50: box 1; jpm 60 (placement review); holds PKA only (needs PKN_II for
  the post, PKN_I for JPT_MADYA); 0 JP; every competency 3 of standard 4; K1 fails: promotion TERHAMBAT_SKP.
B ADMINISTRATOR: SANGAT_BAIK x2, potensi 85: box 9, SIAP (jpm 85, 24 JP, PKA); needs PKN_II for JPT_PRATAMA;
  Komunikasi 2 of 3; IV/a since 2023-04-01: eligible 2027-04-01. nama_jabatan starts with '-'.
C ADMINISTRATOR: BAIK x2, potensi 82: box 8, 10 JP: SIAP_DENGAN_PENGEMBANGAN, jpm 95; rotation; 10 JP short;
  III/d since 2022-10-01: LAYAK since 2026-10-01.
D ADMINISTRATOR: box 8, SIAP, jpm 81. Name '=1+2'.      E ADMINISTRATOR: box 7, SIAP, jpm 99; rotation.
F PENGAWAS: box 7, no PKP, 0 JP, jpm 75: SIAP_DENGAN_PENGEMBANGAN; PKP + PKA; Perekat bangsa 1 of 2. Name '@...'.
G PELAKSANA: box 4 (rotation), 0 JP; RINGAN sanction to 2027-01-31: eligible 2027-02-01.
H FUNGSIONAL: no SKP, no assessment: not profiled.      I PPPK: no promotion.
J PELAKSANA: box 2, TMT pensiun 2027-03-01 (K6 fails): BELUM_SIAP; LAYAK since 2019-04-01.
F's education history (contract v1.1): SMA 2008, S1 2012, as pegawai says.
3300 has 2 ASN (not profiled), K016 1. One 3373 pegawai row (NIP '=1+2') is quarantined; its riwayat_golongan
file is rejected (a required column missing).
"""

import csv
import datetime as dt
import io
import shutil
import stat
import subprocess
import sys
import zipfile

import dagster as dg
import duckdb
import pytest
from python_calamine import CalamineWorkbook

from assets.exports import EXPORTS_KEY as PACKS_KEY
from pipelines import paket
from pipelines.cells import escape_cell
from pipelines.exports import build_exports
from pipelines.paket import Table, write_pack
from pipelines.settings import get_settings
from tests.helpers import FIXTURES, TANGGAL_ACUAN, run_packs, run_refresh, use_home
from tests.paket_lama import assert_same_packs, read_pack
from tools.cli import main

A, B, C, D, E = ("197005101995031001", "198002202005011002", "198207072006042001", "198303032008011003",
                 "198404042009011004")  # fmt: skip
F, G, H, I_, J = ("199006062015031001", "199208082018011001", "198809092012011001", "199101012021011001",
                 "196902101990031001")  # fmt: skip
d = dt.date.fromisoformat


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    """One real refresh (ingest, dbt, checks, publish, reports) and the pack run that follows it, shared by
    this module."""
    mp = pytest.MonkeyPatch()
    home = tmp_path_factory.mktemp("loop")
    shutil.copytree(FIXTURES / "loop" / "landing", home / "landing")
    use_home(mp, home)
    settings = get_settings(TANGGAL_ACUAN)
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    instance = dg.DagsterInstance.ephemeral()
    result = run_refresh(instance)
    packs = run_packs(instance)
    yield settings, result, packs
    mp.undo()


@pytest.fixture(scope="module")
def wh(refreshed):
    settings, result, _ = refreshed
    assert result.success
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        yield con


@pytest.mark.slow
def test_refresh_succeeds_with_every_check_and_the_pack_run_follows(refreshed):
    _, result, packs = refreshed
    assert result.success
    failed = [c.check_name for c in result.get_asset_check_evaluations() if not c.passed]
    assert not failed
    assert PACKS_KEY not in {e.asset_key for e in result.get_asset_materialization_events()}
    assert packs.success
    [event] = packs.get_asset_materialization_events()
    assert event.asset_key == PACKS_KEY
    assert event.materialization.metadata["packs_rewritten"].value == 3
    # a worker's own peak (VmHWM of a spawned process): a Python with DuckDB, not this test process's size
    worker_peak = event.materialization.metadata["largest_worker_peak_bytes"].value
    assert 20 * 2**20 < worker_peak < 1024 * 2**20


@pytest.mark.slow
def test_a_pack_is_rewritten_only_when_its_content_changed(refreshed):
    settings, _, _ = refreshed
    exports = settings.exports_dir
    before = {p.name: (p / f"paket_{p.name}.xlsx").stat().st_mtime_ns for p in exports.iterdir()}
    with duckdb.connect(str(settings.warehouse_path)) as con:
        assert set(build_exports(con, exports).values()) == {None}, "nothing changed: nothing rewritten"
        # One person of 3300 gets another name: only the 3300 pack is rewritten.
        con.execute("begin transaction")
        con.execute(
            "update terbatas.rst_rekomendasi_asn set nama = nama || ' X' where kode_instansi = '3300'"
        )
        written = build_exports(con, exports)
        con.execute("rollback")
        restored = build_exports(con, exports)
    assert written == restored == {"3300": 2, "3373": None, "K016": None}
    after = {p.name: (p / f"paket_{p.name}.xlsx").stat().st_mtime_ns for p in exports.iterdir()}
    assert (
        after["3373"] == before["3373"]
        and after["K016"] == before["K016"]
        and after["3300"] != before["3300"]
    )
    assert not any(r["nama"].endswith(" X") for r in _csv(exports / "3300" / "rekomendasi_asn.csv"))


@pytest.mark.slow
def test_restricted_models_never_reach_the_published_file(refreshed):
    settings, *_ = refreshed
    with duckdb.connect(str(settings.published_path), read_only=True) as con:
        tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    assert tables and not {t for t in tables if t.startswith("rst_")}


@pytest.mark.slow
def test_recommendations_of_hand_computed_people(wh):
    cols = ("kotak_talenta, tindak_lanjut_kotak, kategori_kesiapan, perlu_kepemimpinan_jabatan, "
            "perlu_kepemimpinan_jabatan_atas, kepemimpinan_jabatan_atas, kekurangan_jp, jumlah_kompetensi_di_bawah_standar, "
            "kompetensi_di_bawah_standar, perlu_rotasi, perlu_tinjauan_penempatan, status_kenaikan_pangkat, "
            "tanggal_layak_kenaikan_pangkat, tmt_pensiun")  # fmt: skip
    got = {
        r[0]: r[1:] for r in wh.execute(f"select nip, {cols} from terbatas.rst_rekomendasi_asn").fetchall()
    }
    assert len(got) == 13  # 10 in 3373, 2 in 3300, 1 in K016
    box = {
        r[0]: r[1]
        for r in wh.execute("select kotak_talenta, tindak_lanjut from referensi.kotak_talenta").fetchall()
    }
    unprofiled = "Belum terprofil: lengkapi SKP 2 tahun terakhir dan asesmen 3 tahun terakhir"
    gaps_a = "; ".join(f"{name} 3 dari standar 4" for name in (
        "Integritas", "Kerja sama", "Komunikasi", "Orientasi pada hasil", "Pelayanan publik",
        "Pengembangan diri dan orang lain", "Mengelola perubahan", "Pengambilan keputusan", "Perekat bangsa"))  # fmt: skip
    assert got[A] == (1, box[1], "BELUM_SIAP", True, True, "PKN_I", 20, 9, gaps_a, False, True, "TERHAMBAT_SKP",
                      None, d("2030-06-01"))  # fmt: skip
    assert got[B] == (9, box[9], "SIAP", False, True, "PKN_II", 0, 1, "Komunikasi 2 dari standar 3", False, False,
                      "MENUNGGU_MASA_GOLONGAN", d("2027-04-01"), d("2038-03-01"))  # fmt: skip
    assert got[C] == (8, box[8], "SIAP_DENGAN_PENGEMBANGAN", False, True, "PKN_II", 10, 0, None, True, False,
                      "LAYAK", d("2026-10-01"), d("2040-08-01"))  # fmt: skip
    assert got[E][:3] == (7, box[7], "SIAP") and got[E][9] is True
    assert got[F] == (7, box[7], "SIAP_DENGAN_PENGEMBANGAN", True, True, "PKA", 20, 1,
                      "Perekat bangsa 1 dari standar 2", True, False, "MENUNGGU_MASA_GOLONGAN", d("2027-04-01"),
                      d("2048-07-01"))  # fmt: skip
    assert got[G] == (4, box[4], "BELUM_SIAP", False, False, None, 20, 0, None, True, False,
                      "MENUNGGU_HUKUMAN_SELESAI", d("2027-02-01"), d("2050-09-01"))  # fmt: skip
    assert got[H][:3] == (None, unprofiled, "TIDAK_DAPAT_DINILAI") and got[H][11] == "TERHAMBAT_SKP"
    assert got[I_][0] is None and got[I_][11:13] == ("TIDAK_BERLAKU", None)
    assert got[J][:3] == (2, box[2], "BELUM_SIAP") and got[J][11:] == (
        "LAYAK",
        d("2019-04-01"),
        d("2027-03-01"),
    )


@pytest.mark.slow
def test_succession_candidates_ranked(wh):
    got = wh.execute(
        """select kode_instansi, jabatan_sasaran, jumlah_pemangku, tmt_pensiun_pemangku_terdekat, peringkat, nip,
                  kotak_talenta, kategori_kesiapan, jpm
           from terbatas.rst_kandidat_suksesi order by 1, 2, peringkat"""
    ).fetchall()
    assert [
        tuple(float(v) if isinstance(v, int | float) and i == 8 else v for i, v in enumerate(r)) for r in got
    ] == [
        ("3373", "ADMINISTRATOR", 4, d("2038-03-01"), 1, F, 7, "SIAP_DENGAN_PENGEMBANGAN", 75.0),
        # box first, then readiness (D SIAP before C with the higher jpm), then jpm
        ("3373", "JPT_PRATAMA", 1, d("2030-06-01"), 1, B, 9, "SIAP", 85.0),
        ("3373", "JPT_PRATAMA", 1, d("2030-06-01"), 2, D, 8, "SIAP", 81.0),
        ("3373", "JPT_PRATAMA", 1, d("2030-06-01"), 3, C, 8, "SIAP_DENGAN_PENGEMBANGAN", 95.0),
        ("3373", "JPT_PRATAMA", 1, d("2030-06-01"), 4, E, 7, "SIAP", 99.0),
    ]


def _csv(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.slow
def test_pack_files_and_permissions(refreshed):
    settings, *_ = refreshed
    exports = settings.exports_dir
    assert sorted(p.name for p in exports.iterdir()) == ["3300", "3373", "K016"], "no temporary folder left"
    assert stat.S_IMODE(exports.stat().st_mode) == 0o700
    pack = exports / "3373"
    assert sorted(p.name for p in pack.iterdir()) == [
        ".fingerprint", "indikator_instansi.csv", "kandidat_suksesi.csv", "kualitas_data.csv", "melewati_bup.csv",
        "paket_3373.xlsx", "rekomendasi_asn.csv",
    ]  # fmt: skip
    assert stat.S_IMODE(pack.stat().st_mode) == 0o700
    for path in pack.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    people = {r["nip"]: r for r in _csv(pack / "rekomendasi_asn.csv")}
    assert set(people) == {A, B, C, D, E, F, G, H, I_, J}
    assert people[B]["tanggal_layak_kenaikan_pangkat"] == "2027-04-01"
    assert [(r["peringkat"], r["nip"]) for r in _csv(pack / "kandidat_suksesi.csv") if r["jabatan_sasaran"] ==
            "JPT_PRATAMA"] == [("1", B), ("2", D), ("3", C), ("4", E)]  # fmt: skip
    assert {r["nip"] for r in _csv(exports / "3300" / "rekomendasi_asn.csv")} == {
        "198501012010011001", "198602022011012001"}  # fmt: skip


@pytest.mark.slow
def test_pack_escapes_formulas_in_csv_and_xlsx(refreshed):
    settings, *_ = refreshed
    pack = settings.exports_dir / "3373"
    people = {r["nip"]: r for r in _csv(pack / "rekomendasi_asn.csv")}
    assert people[D]["nama"] == "'=1+2"
    assert people[F]["nama"] == "'@Fajar Nugroho"
    assert people[B]["nama_jabatan"] == "'-Kepala Bagian Umum"
    quality = _csv(pack / "kualitas_data.csv")
    assert any(r["nip"] == "'=1+2" and r["nilai"] == "'=1+2" for r in quality)
    workbook = CalamineWorkbook.from_path(str(pack / "paket_3373.xlsx"))
    assert workbook.sheet_names == [
        "rekomendasi_asn",
        "kandidat_suksesi",
        "melewati_bup",
        "indikator_instansi",
        "kualitas_data",
    ]
    rows = workbook.get_sheet_by_name("rekomendasi_asn").to_python()
    cells = {str(v) for row in rows for v in row}
    assert {"'=1+2", "'@Fajar Nugroho", "'-Kepala Bagian Umum"} <= cells
    assert not {"=1+2", "@Fajar Nugroho", "-Kepala Bagian Umum"} & cells
    with zipfile.ZipFile(pack / "paket_3373.xlsx") as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in archive.read(n) for n in sheets), "no formula in the workbook"
    assert escape_cell(-1) == -1 and escape_cell("+62") == "'+62" and escape_cell("Budi") == "Budi"


@pytest.mark.slow
def test_pack_indicators_beside_medians(refreshed):
    settings, *_ = refreshed
    rows = {r["indikator"]: r for r in _csv(settings.exports_dir / "3373" / "indikator_instansi.csv")}
    # jumlah_asn: 3373 10, 3300 2 (province 33), K016 1 (province 31): medians 6 and 2.
    assert (rows["jumlah_asn"]["nilai_instansi"], rows["jumlah_asn"]["median_provinsi"],
            rows["jumlah_asn"]["median_nasional"]) == ("10", "6.0", "2.0")  # fmt: skip
    # profiling coverage: 3373 8 of 10, 3300 0 of 2, K016 0 of 1. Each agency's belum terprofil (2, 2, 1) is a
    # small cell, and its public headcount minus the profiled would give it back: every coverage is withheld
    # (R12 secondary suppression), so the pack leaves it empty and no median is computed from it.
    cakupan = rows["cakupan_profil_persen"]
    assert (cakupan["nilai_instansi"], cakupan["median_provinsi"], cakupan["median_nasional"]) == ("", "", "")
    k016 = {r["indikator"]: r for r in _csv(settings.exports_dir / "K016" / "indikator_instansi.csv")}
    assert k016["jumlah_asn"]["median_provinsi"] == "1.0"


@pytest.mark.slow
def test_pack_data_quality_report(refreshed):
    settings, *_ = refreshed
    quality = _csv(settings.exports_dir / "3373" / "kualitas_data.csv")
    row = next(r for r in quality if r["jenis"] == "BARIS_DIKARANTINA")
    assert (row["berkas"], row["baris"], row["kode_alasan"], row["kolom"]) == (
        "3373/2026-10-01/pegawai.csv", "12", "NIP_TIDAK_VALID", "nip")  # fmt: skip
    assert row["pesan"] == "NIP tidak terdiri dari 18 digit." and row["perbaikan"].startswith(
        "Isi NIP 18 digit"
    )
    rejected = next(r for r in quality if r["jenis"] == "BERKAS_DITOLAK")
    assert (rejected["berkas"], rejected["kode_alasan"]) == ("3373/2026-10-01/riwayat_golongan.csv",
                                                              "KOLOM_WAJIB_HILANG")  # fmt: skip
    assert rejected["perbaikan"]
    assert _csv(settings.exports_dir / "K016" / "kualitas_data.csv") == []


@pytest.mark.slow
def test_packs_hold_cell_by_cell_what_the_old_writer_wrote(refreshed, tmp_path):
    """The packs written from staged Parquet by DuckDB against the old writer (queries per agency, xlsxwriter;
    kept in tests/paket_lama.py): every CSV row and every sheet's cells, on every agency of the fixture."""
    settings, *_ = refreshed
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        assert_same_packs(con, settings.exports_dir, tmp_path, ["3300", "3373", "K016"])


def test_write_pack_replaces_a_pack_whole(tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    first = write_pack(exports, "3373", [Table("a", ["x"], [("1",)]), Table("b", ["y"], [])])
    (first / "stale.csv").write_text("old")
    second = write_pack(exports, "3373", [Table("a", ["x"], [("2",)])])
    assert sorted(p.name for p in second.iterdir()) == ["a.csv", "paket_3373.xlsx"]
    assert sorted(p.name for p in exports.iterdir()) == ["3373"]
    assert _csv(second / "a.csv") == [{"x": "2"}]


def test_write_pack_notes_a_table_cut_to_fit_its_sheet(tmp_path, monkeypatch):
    """A table beyond one sheet's rows is cut in the XLSX under a note naming its CSV; a table that fits is
    written as before. 10 rows a sheet stand in for Excel's 1,048,576."""
    monkeypatch.setattr(paket, "SHEET_ROWS", 10)
    exports = tmp_path / "exports"
    exports.mkdir()
    big = [(f"=nip{i}", i) for i in range(11)]  # 12 rows with the header: 2 too many
    fits = [(f"nip{i}", i) for i in range(9)]  # 10 rows with the header: exactly full
    pack = write_pack(exports, "3373", [Table("rekomendasi_asn", ["nip", "urutan"], big),
                                        Table("kualitas_data", ["nip", "urutan"], fits)])  # fmt: skip
    workbook = CalamineWorkbook.from_path(str(pack / "paket_3373.xlsx"))
    note, header, *shown = workbook.get_sheet_by_name("rekomendasi_asn").to_python()
    assert note[0] == (
        "PERHATIAN: tabel ini berisi 11 baris data, tetapi satu lembar Excel hanya memuat 10 baris, sehingga "
        "lembar ini hanya menampilkan 8 baris pertama. Data lengkap ada di berkas rekomendasi_asn.csv dalam "
        "paket ini."
    )
    assert not any(note[1:])
    assert header == ["nip", "urutan"]
    assert shown == [[f"'=nip{i}", float(i)] for i in range(8)], "the first rows, escaped as before"
    assert len(workbook.get_sheet_by_name("rekomendasi_asn").to_python()) == 10
    assert [r["nip"] for r in _csv(pack / "rekomendasi_asn.csv")] == [f"'=nip{i}" for i in range(11)]
    assert workbook.get_sheet_by_name("kualitas_data").to_python() == [
        ["nip", "urutan"], *([f"nip{i}", float(i)] for i in range(9))]  # fmt: skip
    assert len(_csv(pack / "kualitas_data.csv")) == 9
    for path in pack.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


@pytest.mark.parametrize("sheet_rows", [10, paket.SHEET_ROWS])
def test_staged_rows_are_written_as_rows_in_memory_are(tmp_path, monkeypatch, sheet_rows):
    """The same rows, staged by DuckDB (paket.rows_sql, Parquet partitioned by agency) and held in memory (written
    cell by cell in Python, as xlsxwriter wrote them: tests/paket_lama.py checks that on the packs), give the
    same files cell by cell: formula-like text escaped, control characters, an escaped escape, whitespace at an
    end, text beyond Excel's 32,767 characters, lists, dates, decimals, booleans, NULL; and, with 10 rows a
    sheet, the same cut under the same note."""
    monkeypatch.setattr(paket, "SHEET_ROWS", sheet_rows)
    texts = ["=1+2", "+62", "-x", "@a", "\tb", "\rc", "a\x01b", "_x0041_", " lead", "trail ", "a&<b>\"c,d\ne",
             "x" * 40_000, "", "Budi"]  # fmt: skip
    con = duckdb.connect()
    con.execute(
        """create table t as select 'K1' as kode_instansi, i as urutan, ? [i % 14 + 1] as teks, i * 0.5 as angka,
           (i * 1.25)::decimal(9, 2) as desimal, i % 2 = 0 as benar, date '2026-11-01' + i::int as tanggal,
           ['a', ? [i % 14 + 1]] as daftar, case when i % 3 = 0 then null else i end as kosong
           from range(12) r(i)""",
        [texts, texts],
    )
    columns = [(r[0], r[1]) for r in con.execute("describe t").fetchall()]
    con.execute(paket.MACROS)
    staged_file = str(tmp_path / "stage.parquet")
    con.execute(f"copy ({paket.rows_sql('select * from t', columns, 'urutan')}) to '{staged_file}' "
                "(format parquet, row_group_size 5)")  # fmt: skip
    names = [c for c, _ in columns]
    staged = paket.Staged("rekomendasi_asn", names, staged_file, "K1", 12)
    empty = paket.Staged("kualitas_data", ["jenis"], "", "K1", 0)
    in_memory = Table("rekomendasi_asn", names, con.execute("select * from t order by urutan").fetchall())
    for folder, tables in (("a", [staged, empty]), ("b", [in_memory, Table("kualitas_data", ["jenis"], [])])):
        (tmp_path / folder).mkdir()
        write_pack(tmp_path / folder, "K1", tables)
    staged_cells, memory_cells = read_pack(tmp_path / "a" / "K1"), read_pack(tmp_path / "b" / "K1")
    assert staged_cells == memory_cells
    sheet = staged_cells["paket_K1.xlsx"]["rekomendasi_asn"]
    assert len(sheet) == (10 if sheet_rows == 10 else 13)
    assert sheet_rows == 10 or {"'=1+2", "'+62", "'-x", "'@a", "'\tb", "'\rc", "a\x01b", "_x0041_", " lead", "x" * 32_767} <= {
        r[2] for r in sheet}  # fmt: skip
    assert {r[2] for r in staged_cells["rekomendasi_asn.csv"]} >= {"'=1+2", "x" * 40_000, 'a&<b>"c,d\ne'}


def _profil(capsys, nip):
    code = main(["profil", nip])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.slow
def test_profil_shows_box_reasons_criteria_and_dates(refreshed, capsys):
    code, out, _ = _profil(capsys, "19900606 201503 1 001")  # F, with the NIP's usual spaces
    assert code == 0
    for text in (
        "NIP            : 199006062015031001",
        "Kotak talenta  : 7 (kinerja DI_ATAS, potensial MENENGAH)",
        "SKP 2025 predikat SANGAT_BAIK",
        "asesmen 2025-03-01: skor potensi 65",
        "Kesiapan merit : siap dengan pengembangan",
        "[x] K1 kinerja: terpenuhi",
        "[ ] K2 kompetensi: belum terpenuhi (JPM 75",
        "[ ] K3 pengembangan: belum terpenuhi",
        "Ikuti pengembangan kompetensi 20 JP lagi",
        "[ ] K4 kepemimpinan: belum terpenuhi",
        "Ikuti PKP",
        "PKA: untuk jabatan satu tingkat di atas (ADMINISTRATOR)",
        "Perekat bangsa 1 dari standar 2",
        "rotasi (tindak lanjut kotak 7)",
        "Kandidat suksesi: ADMINISTRATOR, peringkat 1 dari 1 di instansi ini",
        # contract v1.1: F's education history (riwayat_pendidikan.csv), S1 meets the PENGAWAS minimum D3 (R13)
        "Pendidikan     : tertinggi S1; memenuhi minimum jabatan D3",
        "  - SMA lulus 2008: IPS, SMA Negeri 1 Salatiga",
        "  - S1 lulus 2012: Administrasi Negara, Universitas Kristen Satya Wacana",
        "Kenaikan pangkat reguler: layak mulai 2027-04-01",
        "TMT pensiun    : 2048-07-01",
    ):
        assert text in out, text
    code, out, _ = _profil(capsys, G)
    assert "layak mulai 2027-02-01 (setelah hukuman disiplin selesai)" in out
    assert "[ ] K5 disiplin: belum terpenuhi (hukuman disiplin RINGAN masih aktif sampai 2027-01-31)" in out
    code, out, _ = _profil(capsys, H)
    assert "Kotak talenta  : belum terprofil" in out and "tidak ada SKP dalam 2 tahun terakhir" in out
    assert "(riwayat pendidikan belum dikirim instansi)" in out


@pytest.mark.slow
def test_profil_refuses_a_nip_not_current_or_invalid(refreshed, capsys):
    code, out, err = _profil(capsys, "198501012010011099")
    assert code == 1 and not out and "bukan ASN aktif per tanggal acuan 2026-11-01" in err
    code, _, err = _profil(capsys, "12345")
    assert code == 1 and "NIP tidak valid" in err


@pytest.mark.slow
def test_profil_says_when_a_refresh_holds_the_warehouse(refreshed, capsys, tmp_path, monkeypatch):
    settings, *_ = refreshed
    # A copy of the warehouse, so that this module's own read-only connection does not get in the way.
    home = tmp_path / "home"
    (home / "warehouse").mkdir(parents=True)
    shutil.copy(settings.warehouse_path, home / "warehouse" / "proasn.duckdb")
    monkeypatch.setenv("PROASN_HOME", str(home))
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ok', flush=True); "
         "time.sleep(30)", str(home / "warehouse" / "proasn.duckdb")],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "ok"
        code, _, err = _profil(capsys, B)
    finally:
        holder.kill()
        holder.wait()
    assert code == 1 and "sedang dipakai oleh proses refresh" in err


def test_cli_help_lists_profil():
    out = io.StringIO()
    with pytest.raises(SystemExit), __import__("contextlib").redirect_stdout(out):
        main(["--help"])
    assert "profil" in out.getvalue()
