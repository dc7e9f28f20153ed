"""Contract v1.1's riwayat_pendidikan (docs/extract-contract.md sections 3-5): a hand-written v1.1 submission
through the ingest and `proasn check`, and a v1 tree that keeps loading. Real DuckDB, in memory."""

import json
import shutil

import duckdb
import pytest

from pipelines import contract
from pipelines.exports import quality_table
from pipelines.ingest import ingest_landing
from tests.helpers import FIXTURES, TODAY, assert_rows_conserved, ledger, write_xlsx
from tools.cli import main

SUB = "K016/2026-09-01"
HENDRA, DEWI = "196612011990031001", "197002022000032001"  # pegawai.csv of the fixture: S2, S3
# line: what the row is (the header is line 1)
PENDIDIKAN_CSV = f"""\
NIP;Jenjang;Program Studi;Nama Institusi;Tahun Lulus;Nomor Ijazah
{HENDRA};SLTA;IPA;SMA Negeri 1 Jakarta;1984;
{HENDRA};Sarjana;Ekonomi;Universitas Indonesia;1989;UI-1989-001
{HENDRA};s3;Kebijakan Publik;Universitas Gadjah Mada;2015;
{DEWI};D-IV;Akuntansi;STAN;1992;
{DEWI};S2;Akuntansi;Universitas Indonesia;1999;
{DEWI};S2;Akuntansi;Universitas Indonesia;1999;
{DEWI};SMK;;SMK Negeri 2;1987;
{DEWI};SMK;;SMK Negeri 3;1988;
199001012015011001;S1;Hukum;Universitas Diponegoro;2012;
{DEWI};S4;Filsafat;Universitas Indonesia;2010;
{DEWI};S3;Akuntansi;Universitas Indonesia;2030;
{HENDRA};D3;;Politeknik;1949;
{HENDRA};;Manajemen;Universitas Terbuka;2000;
{DEWI};S3;Manajemen;Universitas Indonesia;;
"""
EXPECTED_QUARANTINE = {
    6: ["DUPLIKAT:program_studi"],
    7: ["DUPLIKAT:program_studi"],
    8: ["DUPLIKAT:program_studi"],  # SMK = SMA, no programme: the same key
    9: ["DUPLIKAT:program_studi"],
    10: ["NIP_TIDAK_ADA_DI_PEGAWAI:nip"],
    11: ["KODE_TIDAK_VALID:jenjang"],
    12: ["NILAI_DI_LUAR_RENTANG:tahun_lulus"],  # after the year of tanggal_ekstrak
    13: ["NILAI_DI_LUAR_RENTANG:tahun_lulus"],  # before 1950
    14: ["NILAI_WAJIB_KOSONG:jenjang"],
    15: ["NILAI_WAJIB_KOSONG:tahun_lulus"],
}


@pytest.fixture
def landing(tmp_path):
    target = tmp_path / "landing"
    (target / SUB).mkdir(parents=True)
    shutil.copy(FIXTURES / "ingest" / "landing" / SUB / "pegawai.csv", target / SUB / "pegawai.csv")
    return target


def _quarantined(con) -> dict:
    rows = con.execute("select _line, _reasons from quarantine.riwayat_pendidikan order by _line").fetchall()
    return dict(rows)


def test_a_v11_submission_loads_its_education_history_with_every_defect_quarantined(landing):
    (landing / SUB / "riwayat_pendidikan.csv").write_text(PENDIDIKAN_CSV, encoding="utf-8")
    con = duckdb.connect()
    outcomes = ingest_landing(con, landing, TODAY)
    assert {o.file.entity: o.status for o in outcomes} == {
        "pegawai": "DIMUAT",
        "riwayat_pendidikan": "DIMUAT",
    }
    assert _quarantined(con) == EXPECTED_QUARANTINE
    # the accepted spellings become the canonical codes
    assert con.execute(
        "select _line, nip, jenjang, program_studi, tahun_lulus from raw.riwayat_pendidikan order by _line"
    ).fetchall() == [
        (2, HENDRA, "SMA", "IPA", "1984"),
        (3, HENDRA, "S1", "Ekonomi", "1989"),
        (4, HENDRA, "S3", "Kebijakan Publik", "2015"),
        (5, DEWI, "D4", "Akuntansi", "1992"),
    ]
    status, reasons, message = ledger(con)[f"{SUB}/riwayat_pendidikan.csv"]
    assert status == "DIMUAT"
    assert reasons == {"DUPLIKAT": 4, "KODE_TIDAK_VALID": 1, "NILAI_DI_LUAR_RENTANG": 2, "NILAI_WAJIB_KOSONG": 2,
                       "NIP_TIDAK_ADA_DI_PEGAWAI": 1}  # fmt: skip
    assert message.startswith("4 baris dimuat, 10 baris dikarantina.")
    assert_rows_conserved(con, landing)


def test_the_highest_level_against_pendidikan_terakhir_is_a_warning_per_person(landing):
    (landing / SUB / "riwayat_pendidikan.csv").write_text(PENDIDIKAN_CSV, encoding="utf-8")
    con = duckdb.connect()
    ingest_landing(con, landing, TODAY)
    # Hendra: S3 in the history, S2 in pegawai; Dewi: D4 loaded (her S2 and S3 rows are quarantined), S3 in
    # pegawai. One warning each, on the line of the highest loaded jenjang.
    assert con.execute(
        "select _line, kode_alasan, kolom, keterangan from ingest.peringatan order by _line"
    ).fetchall() == [
        (4, "PENDIDIKAN_TERAKHIR_TIDAK_SESUAI", "jenjang",
         "jenjang tertinggi riwayat_pendidikan S3, pendidikan_terakhir di pegawai S2"),
        (5, "PENDIDIKAN_TERAKHIR_TIDAK_SESUAI", "jenjang",
         "jenjang tertinggi riwayat_pendidikan D4, pendidikan_terakhir di pegawai S3"),
    ]  # fmt: skip
    assert con.execute(
        "select peringatan from ingest.ledger where entity = 'riwayat_pendidikan'"
    ).fetchall() == [('{"PENDIDIKAN_TERAKHIR_TIDAK_SESUAI": 2}',)]


def test_d4_and_s1_are_one_level_and_a_match_gives_no_warning(landing):
    rows = f"nip,jenjang,tahun_lulus\n{HENDRA},S2,1995\n{HENDRA},S1,1989\n{DEWI},S3,2005\n{DEWI},D4,1992\n"
    (landing / SUB / "riwayat_pendidikan.csv").write_text(rows, encoding="utf-8")
    con = duckdb.connect()
    ingest_landing(con, landing, TODAY)
    assert con.execute("select count(*) from raw.riwayat_pendidikan").fetchall() == [(4,)]
    assert con.execute("select count(*) from ingest.peringatan").fetchall() == [(0,)]


def test_an_xlsx_education_history_loads_like_the_csv(landing):
    header = ["nip", "jenjang", "program_studi", "tahun_lulus"]
    rows = [header, [HENDRA, "Magister", "Ekonomi", 1995], [DEWI, "doktor", "Akuntansi", 2005]]
    write_xlsx(landing / SUB / "riwayat_pendidikan.xlsx", {"Sheet1": rows})
    con = duckdb.connect()
    ingest_landing(con, landing, TODAY)
    assert con.execute(
        "select nip, jenjang, tahun_lulus from raw.riwayat_pendidikan order by 1"
    ).fetchall() == [
        (HENDRA, "S2", "1995"),
        (DEWI, "S3", "2005"),
    ]


def test_a_v1_tree_loads_as_before_and_a_later_education_file_adds_to_it(tmp_path):
    landing = tmp_path / "landing"
    shutil.copytree(FIXTURES / "ingest" / "landing", landing)
    con = duckdb.connect()
    first = ingest_landing(con, landing, TODAY)
    assert not any(o.file.entity == "riwayat_pendidikan" for o in first)
    assert con.execute("select count(*) from raw.riwayat_pendidikan").fetchall() == [(0,)]
    before = {p: v for p, v in ledger(con).items()}
    # a later submission holding only the new entity: loaded against the agency's current pegawai (of an
    # earlier submission), nothing else reloaded
    later = landing / "K016" / "2026-10-15"
    later.mkdir()
    (later / "riwayat_pendidikan.csv").write_text(
        f"nip,jenjang,tahun_lulus\n{HENDRA},S2,1995\n", encoding="utf-8"
    )
    second = ingest_landing(con, landing, TODAY)
    assert [(o.file.rel_path, o.status, o.rows_loaded) for o in second] == [
        ("K016/2026-10-15/riwayat_pendidikan.csv", "DIMUAT", 1)
    ]
    after = ledger(con)
    assert {p: v for p, v in after.items() if p in before} == before


def test_check_explains_each_education_defect_in_bahasa_indonesia(landing, capsys):
    (landing / SUB / "riwayat_pendidikan.csv").write_text(PENDIDIKAN_CSV, encoding="utf-8")
    assert main(["check", str(landing / SUB), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    (pendidikan,) = [f for f in report["files"] if f["file_path"].endswith("riwayat_pendidikan.csv")]
    found = {r["kode"]: r for r in pendidikan["alasan"]}
    assert set(found) == {"DUPLIKAT", "NIP_TIDAK_ADA_DI_PEGAWAI", "KODE_TIDAK_VALID", "NILAI_DI_LUAR_RENTANG",
                          "NILAI_WAJIB_KOSONG"}  # fmt: skip
    for kode, reason in found.items():
        assert (
            reason["pesan"] == contract.REASONS[kode].pesan
            and reason["perbaikan"] == contract.REASONS[kode].perbaikan
        )
    assert [(c["baris"], c["kolom"], c["nilai"]) for c in found["KODE_TIDAK_VALID"]["contoh"]] == [
        (11, "jenjang", "S4")
    ]
    assert "riwayat_pendidikan: per NIP, jenjang dan program studi" in found["DUPLIKAT"]["perbaikan"]
    assert main(["check", str(landing / SUB)]) == 1
    out = capsys.readouterr().out
    assert "Peringatan [PENDIDIKAN_TERAKHIR_TIDAK_SESUAI]: 2 baris." in out
    assert "Jenjang tertinggi pada riwayat pendidikan tidak sama dengan pendidikan terakhir" in out


def test_the_contract_names_version_11_and_its_eight_entities():
    assert contract.CONTRACT_VERSION == "1.1"
    assert contract.ENTITY_NAMES == (*contract.ENTITY_NAMES_V1, "riwayat_pendidikan")
    assert contract.ENTITIES["riwayat_pendidikan"].unique_key == ("nip", "jenjang", "program_studi")


def test_the_packs_quality_sheet_lists_education_defects_and_the_warning(landing):
    (landing / SUB / "riwayat_pendidikan.csv").write_text(PENDIDIKAN_CSV, encoding="utf-8")
    con = duckdb.connect()
    ingest_landing(con, landing, TODAY)
    table = quality_table(con, "K016")
    rows = [dict(zip(table.columns, row, strict=True)) for row in table.rows]
    pendidikan = [r for r in rows if r["berkas"] == f"{SUB}/riwayat_pendidikan.csv"]
    assert sorted((r["jenis"], r["baris"], r["kode_alasan"]) for r in pendidikan) == sorted(
        [
            ("BARIS_DIKARANTINA", line, reasons[0].split(":")[0])
            for line, reasons in EXPECTED_QUARANTINE.items()
        ]
        + [
            ("PERINGATAN", 4, "PENDIDIKAN_TERAKHIR_TIDAK_SESUAI"),
            ("PERINGATAN", 5, "PENDIDIKAN_TERAKHIR_TIDAK_SESUAI"),
        ]
    )
    jenjang = next(r for r in pendidikan if r["kode_alasan"] == "KODE_TIDAK_VALID")
    assert (jenjang["kolom"], jenjang["nilai"]) == ("jenjang", "S4")
    warning = next(r for r in pendidikan if r["jenis"] == "PERINGATAN")
    assert warning["pesan"] == contract.REASONS["PENDIDIKAN_TERAKHIR_TIDAK_SESUAI"].pesan
