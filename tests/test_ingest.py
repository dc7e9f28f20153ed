"""Ingest under the full contract, on the hand-written submissions of tests/fixtures/ingest/landing and on
files written here byte by byte (encodings, XLSX). Real DuckDB, in memory."""

import datetime as dt
import shutil

import duckdb
import pytest

from pipelines import contract, rules
from pipelines import ingest as ingest_module
from pipelines.contract import ENTITY_NAMES
from pipelines.ingest import ingest_landing
from tests.helpers import FIXTURES, PEGAWAI_HEADER, TODAY, assert_rows_conserved, ledger, write_xlsx

SUB = "3373/2026-10-01"


def ingest(landing, con=None):
    con = con or duckdb.connect()
    outcomes = ingest_landing(con, landing, TODAY)
    return con, outcomes


def quarantined(con) -> dict:
    """(file, line) -> reasons, over every quarantine table."""
    rows = {}
    for e in ENTITY_NAMES:
        for path, line, reasons in con.execute(
            f"select _file_path, _line, _reasons from quarantine.{e}"
        ).fetchall():
            rows[(path, line)] = reasons
    return rows


@pytest.fixture
def landing(tmp_path):
    target = tmp_path / "landing"
    shutil.copytree(FIXTURES / "ingest" / "landing", target)
    return target


@pytest.fixture
def loaded(landing):
    con, outcomes = ingest(landing)
    yield landing, con, outcomes
    con.close()


def test_every_broken_rule_quarantines_the_row_with_every_reason(loaded):
    _, con, _ = loaded
    expected = {
        # pegawai: golongan by rumpun, duplicates (all copies), age, future TMT, several reasons at once,
        # whitespace-only required value, unknown duty station
        (f"{SUB}/pegawai.csv", 4): ["GOLONGAN_TIDAK_VALID:golongan"],  # PPPK with III/a
        (f"{SUB}/pegawai.csv", 5): ["GOLONGAN_TIDAK_VALID:golongan"],  # PNS with IX
        (f"{SUB}/pegawai.csv", 6): ["DUPLIKAT:nip"],
        (f"{SUB}/pegawai.csv", 7): ["DUPLIKAT:nip"],
        (f"{SUB}/pegawai.csv", 8): ["USIA_DI_LUAR_RENTANG:tanggal_lahir"],
        (f"{SUB}/pegawai.csv", 9): ["TANGGAL_MASA_DEPAN:tmt_jabatan"],
        (f"{SUB}/pegawai.csv", 10): [
            "NIK_TIDAK_VALID:nik",
            "TANGGAL_TIDAK_VALID:tanggal_lahir",
            "JENIS_KELAMIN_TIDAK_VALID:jenis_kelamin",
        ],  # fmt: skip
        (f"{SUB}/pegawai.csv", 12): ["NILAI_WAJIB_KOSONG:nama"],
        (f"{SUB}/pegawai.csv", 13): ["WILAYAH_TIDAK_DIKENAL:kode_wilayah_kerja"],
        # riwayat_golongan: either rumpun accepted; orphans (unknown NIP, and a person whose pegawai row
        # was quarantined)
        (f"{SUB}/riwayat_golongan.csv", 5): ["GOLONGAN_TIDAK_VALID:golongan"],
        (f"{SUB}/riwayat_golongan.csv", 6): ["NIP_TIDAK_ADA_DI_PEGAWAI:nip"],
        (f"{SUB}/riwayat_golongan.csv", 7): ["NIP_TIDAK_ADA_DI_PEGAWAI:nip"],
        (f"{SUB}/riwayat_pelatihan.csv", 3): ["KODE_KEPEMIMPINAN_WAJIB:kode_kepemimpinan"],
        (f"{SUB}/riwayat_pelatihan.csv", 4): ["TANGGAL_SELESAI_SEBELUM_MULAI:tanggal_selesai"],
        (f"{SUB}/riwayat_pelatihan.csv", 5): ["ANGKA_TIDAK_VALID:jp"],  # 12,5 is not an integer
        (f"{SUB}/riwayat_pelatihan.csv", 6): ["NILAI_DI_LUAR_RENTANG:jp"],
        (f"{SUB}/riwayat_pelatihan.csv", 7): ["NILAI_DI_LUAR_RENTANG:jp"],
        (f"{SUB}/riwayat_pelatihan.csv", 8): ["KOLOM_BERLEBIH:"],
        (f"{SUB}/riwayat_pelatihan.csv", 9): ["KODE_TIDAK_VALID:jenis_pelatihan"],
        (f"{SUB}/asesmen.csv", 3): ["ANGKA_TIDAK_VALID:km_integritas"],  # 3.5: levels are integers
        (f"{SUB}/asesmen.csv", 4): [
            "NILAI_DI_LUAR_RENTANG:skor_potensi",
            "NILAI_DI_LUAR_RENTANG:km_komunikasi",
            "NILAI_DI_LUAR_RENTANG:jpm",
        ],  # fmt: skip
        (f"{SUB}/skp.csv", 4): ["NILAI_DI_LUAR_RENTANG:tahun"],  # after the year of tanggal_ekstrak
        (f"{SUB}/skp.csv", 5): ["NILAI_DI_LUAR_RENTANG:tahun"],  # before 2015
        (f"{SUB}/skp.csv", 6): ["DUPLIKAT:tahun"],
        (f"{SUB}/skp.csv", 7): ["DUPLIKAT:tahun"],
        (f"{SUB}/skp.csv", 8): ["SKP_TANPA_PENILAIAN:predikat"],
        # K016's newest pegawai before this submission (2026-09-01) does not hold 3373's person
        ("K016/2026-09-15/riwayat_golongan.csv", 3): ["NIP_TIDAK_ADA_DI_PEGAWAI:nip"],
    }
    assert quarantined(con) == expected


def test_accepted_spellings_are_loaded_in_canonical_form(loaded):
    _, con, _ = loaded
    pegawai = con.execute(
        "select nip, nik, jenis_kelamin, tanggal_lahir, status_kepegawaian, golongan, jenis_jabatan, "
        "jenjang_fungsional, tmt_cpns from raw.pegawai where _file_path = ? order by _line",
        [f"{SUB}/pegawai.csv"],
    ).fetchall()
    assert pegawai == [
        (
            "198003152005011001",
            "3373011503800001",
            "L",
            "1980-03-15",
            "PNS",
            "III/d",
            "FUNGSIONAL",
            "AHLI_MUDA",
            "2005-01-01",
        ),
        ("199205102021012003", None, "P", "1992-05-10", "PPPK", "IX", "PELAKSANA", None, None),
        ("198101012006041005", None, "P", "1981-01-02", "PNS", "III/c", "PELAKSANA", None, "2006-04-01"),
    ]
    assert con.execute("select golongan, tmt_golongan, jenis_kenaikan from raw.riwayat_golongan "
                       "where _file_path = ? order by _line", [f"{SUB}/riwayat_golongan.csv"]).fetchall() == [
        ("III/b", "2010-04-01", "REGULER"), ("IX", "2021-01-01", None), ("III/a", "2015-01-01", "PENYESUAIAN"),
        ("IV/a", "2026-12-01", "PILIHAN"),  # the contract sets no "not after tanggal_ekstrak" here
    ]  # fmt: skip
    assert con.execute("select jenis_pelatihan, kode_kepemimpinan, nama_pelatihan, tanggal_mulai, jp "
                       "from raw.riwayat_pelatihan").fetchall() == [
        ("KEPEMIMPINAN", "PKP", "Pelatihan Kepemimpinan Pengawas; Angkatan I", "2021-03-01", "12"),
    ]  # fmt: skip
    assert con.execute("select metode, skor_potensi, km_integritas, jpm from raw.asesmen").fetchall() == [
        ("ASSESSMENT_CENTER", "85.5", "3", "80.25")
    ]
    assert con.execute("select tahun, hasil_kerja, perilaku_kerja, predikat, nilai from raw.skp "
                       "where _file_path = ? order by _line", [f"{SUB}/skp.csv"]).fetchall() == [
        ("2024", "DI_ATAS", "DI_ATAS", "SANGAT_BAIK", None), ("2025", "DI_ATAS", "SESUAI", "SANGAT_BAIK", None),
        ("2016", None, None, None, "95.5"), ("2017", "SESUAI", "DI_BAWAH", None, None),
    ]  # fmt: skip


def test_quarantined_rows_keep_their_original_text_file_and_line(loaded):
    _, con, _ = loaded
    row = con.execute(
        "select _kode_instansi, _tanggal_ekstrak, _file_path, _line, nik, tanggal_lahir, jenis_kelamin, nama "
        "from quarantine.pegawai where _line = 10"
    ).fetchall()
    assert row == [("3373", dt.date(2026, 10, 1), f"{SUB}/pegawai.csv", 10, "33730108087800", "31-02-1978", "X",
                    "Banyak Masalah")]  # fmt: skip
    assert con.execute("select nama from quarantine.pegawai where _line = 12").fetchall() == [("   ",)]


def test_file_level_problems_reject_the_file_with_one_clear_message(loaded):
    _, con, _ = loaded
    rows = ledger(con)
    expected = {
        "3373/20261001/pegawai.csv": ("DITOLAK", "FOLDER_TIDAK_VALID"),
        "3373/2027-01-01/pegawai.csv": ("DITOLAK", "TANGGAL_EKSTRAK_MASA_DEPAN"),
        "9998/2026-10-01/pegawai.csv": ("DITOLAK", "INSTANSI_TIDAK_DIKENAL"),
        "K016/2026-09-15/riwayat_jabatan.csv": ("DITOLAK", "KOLOM_WAJIB_HILANG"),
        f"{SUB}/catatan.txt": ("DIABAIKAN", "ENTITAS_TIDAK_DIKENAL"),
    }
    for path, (status, code) in expected.items():
        assert rows[path][0] == status, path
        assert rows[path][1] == {code: 1}
        assert rows[path][2].startswith(f"[{code}]")
    assert "kolom hilang: jenis_jabatan" in rows["K016/2026-09-15/riwayat_jabatan.csv"][2]
    for e in ENTITY_NAMES:  # nothing of a rejected file is loaded
        for path in expected:
            assert con.execute(f"select count(*) from raw.{e} where _file_path = ?", [path]).fetchall() == [
                (0,)
            ]
    assert "Kolom tambahan diabaikan: catatan." in rows[f"{SUB}/pegawai.csv"][2]
    assert rows[f"{SUB}/hukuman_disiplin.csv"][:2] == ("DIMUAT", {})  # a header-only file: nothing to report


def test_rows_read_equal_rows_loaded_plus_quarantined_for_every_file(loaded):
    landing, con, _ = loaded
    assert_rows_conserved(con, landing)


def test_warnings_are_recorded_not_quarantined_and_counted_in_the_ledger(loaded):
    _, con, _ = loaded
    warnings = con.execute(
        "select file_path, _line, kode_alasan, kolom from ingest.peringatan order by 1, 2, 3"
    ).fetchall()
    assert warnings == [
        (f"{SUB}/pegawai.csv", 11, "NIP_JENIS_KELAMIN_TIDAK_COCOK", "jenis_kelamin"),
        (f"{SUB}/pegawai.csv", 11, "NIP_TANGGAL_LAHIR_TIDAK_COCOK", "tanggal_lahir"),
        (f"{SUB}/skp.csv", 3, "PREDIKAT_TIDAK_SESUAI_MATRIKS", "predikat"),
    ]
    assert "2 peringatan" in ledger(con)[f"{SUB}/pegawai.csv"][2]
    assert con.execute(
        "select peringatan from ingest.ledger where file_path = ?", [f"{SUB}/skp.csv"]
    ).fetchall() == [('{"PREDIKAT_TIDAK_SESUAI_MATRIKS": 1}',)]


def test_reingesting_loads_nothing_and_does_not_hash_unchanged_files(loaded, monkeypatch):
    landing, con, _ = loaded
    before = con.execute("select count(*) from ingest.ledger").fetchall()
    monkeypatch.setattr(ingest_module, "sha256_of", lambda path: pytest.fail(f"hashed {path} again"))
    assert ingest_landing(con, landing, TODAY) == []
    assert con.execute("select count(*) from ingest.ledger").fetchall() == before


def test_same_bytes_under_another_path_are_a_duplicate_and_not_loaded(loaded):
    landing, con, _ = loaded
    target = landing / "3373" / "2026-10-15" / "pegawai.csv"
    target.parent.mkdir()
    shutil.copyfile(landing / SUB / "pegawai.csv", target)
    (outcome,) = ingest_landing(con, landing, TODAY)
    assert (outcome.status, outcome.rows_read, outcome.reasons) == ("DUPLIKAT", 0, {"BERKAS_DUPLIKAT": 1})
    assert con.execute(
        "select duplikat_dari from ingest.ledger where file_path = '3373/2026-10-15/pegawai.csv'"
    ).fetchall() == [(f"{SUB}/pegawai.csv",)]
    assert con.execute(
        "select count(*) from raw.pegawai where _file_path like '3373/2026-10-15/%'"
    ).fetchall() == [(0,)]


def test_a_failing_file_leaves_nothing_behind(landing, monkeypatch):
    con = duckdb.connect()

    def boom(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ingest_module, "warnings_sql", boom)
    with pytest.raises(RuntimeError):
        ingest_landing(con, landing, TODAY, only=landing / "K016")
    assert con.execute("select count(*) from raw.pegawai").fetchall() == [(0,)]
    assert con.execute("select count(*) from ingest.ledger").fetchall() == [(0,)]


# --- encodings, delimiters, XLSX ----------------------------------------------------------------
ANDRE = [
    "198003152005011001",
    "André Sétiawan",
    "L",
    "1980-03-15",
    "PNS",
    "III/d",
    "PELAKSANA",
    "",
    "Staf “Umum”",
    "S1",
]


def write_text(path, rows, delimiter=",", encoding="utf-8", bom=b""):
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "\r\n".join(delimiter.join(r) for r in rows) + "\r\n"
    path.write_bytes(bom + text.encode(encoding))


def test_csv_encodings_delimiters_and_quoting(tmp_path):
    landing = tmp_path / "landing"
    write_text(landing / "3301/2026-10-01/pegawai.csv", [PEGAWAI_HEADER, ANDRE], ";", "cp1252")
    write_text(
        landing / "3302/2026-10-01/pegawai.csv", [PEGAWAI_HEADER, ANDRE], ",", "utf-8", b"\xef\xbb\xbf"
    )
    write_text(landing / "3303/2026-10-01/pegawai.csv", [PEGAWAI_HEADER, ANDRE], ",", "utf-16")
    (landing / "3304/2026-10-01").mkdir(parents=True)
    (landing / "3304/2026-10-01/pegawai.csv").write_bytes(b"nip,nama\r\n1\x81\x8d\x90,x\r\n")
    (landing / "3305/2026-10-01").mkdir(parents=True)
    (landing / "3305/2026-10-01/pegawai.csv").write_bytes(b"")
    (landing / "3306/2026-10-01").mkdir(parents=True)
    (landing / "3306/2026-10-01/pegawai.csv").write_bytes(b"\x00\x01\x02binary\x00")
    quoted = ",".join(PEGAWAI_HEADER) + '\n"198003152005011001","Budi, S.Kom.","L","1980-03-15","PNS","III/d",' \
        '"PELAKSANA","","Staf\nbaris kedua","S1"\n\n198003152005011001,Budi,L,1980-03-15,PNS,III/d,PELAKSANA,,Staf,S1\n'  # fmt: skip
    (landing / "3307/2026-10-01").mkdir(parents=True)
    (landing / "3307/2026-10-01/pegawai.csv").write_text(quoted, encoding="utf-8")
    con, _ = ingest(landing)
    rows = ledger(con)
    assert rows["3301/2026-10-01/pegawai.csv"][:2] == ("DIMUAT", {})
    assert rows["3302/2026-10-01/pegawai.csv"][:2] == ("DIMUAT", {})
    assert con.execute(
        "select distinct nama, nama_jabatan from raw.pegawai where _kode_instansi in ('3301', '3302')"
    ).fetchall() == [("André Sétiawan", "Staf “Umum”")]
    assert rows["3303/2026-10-01/pegawai.csv"][1] == {"ENKODING_TIDAK_TERBACA": 1}
    assert "UTF-16" in rows["3303/2026-10-01/pegawai.csv"][2]
    assert rows["3304/2026-10-01/pegawai.csv"][1] == {"ENKODING_TIDAK_TERBACA": 1}
    assert rows["3305/2026-10-01/pegawai.csv"][1] == {"BERKAS_TIDAK_TERBACA": 1}
    assert "kosong" in rows["3305/2026-10-01/pegawai.csv"][2]
    assert rows["3306/2026-10-01/pegawai.csv"][1] == {"BERKAS_TIDAK_TERBACA": 1}
    # a quoted comma and a quoted line break stay inside their cells; the second record is a duplicate
    assert con.execute(
        "select _line, nama, nama_jabatan, _reasons from quarantine.pegawai where _kode_instansi = '3307' order by 1"
    ).fetchall() == [
        (2, "Budi, S.Kom.", "Staf\nbaris kedua", ["DUPLIKAT:nip"]),
        (5, "Budi", "Staf", ["DUPLIKAT:nip"]),
    ]
    assert_rows_conserved(con, landing)


def test_xlsx_first_sheet_native_dates_numbers_and_header_variants(tmp_path):
    landing = tmp_path / "landing"
    header = ["NIP", "Nama", "Jenis-Kelamin", " Tanggal Lahir ", "STATUS KEPEGAWAIAN", "golongan", "Jenis Jabatan",
              "jenjang fungsional", "Nama Jabatan", "Pendidikan Terakhir", "Kode Wilayah Kerja"]  # fmt: skip
    write_xlsx(landing / "3373/2026-10-01/pegawai.xlsx", {"Sheet1": [
        header,
        ["198003152005011001", "Budi", "L", dt.date(1980, 3, 15), "PNS", "III/d", "PELAKSANA", None, "Staf", "S1", 31],
        [198506062010012001, "Sri", "P", dt.date(1985, 6, 6), "PNS", "III/b", "PELAKSANA", None, "Staf", "S1", None],
        [],  # an empty sheet row is not a data row; line numbers stay Excel's
        ["199205102021012003", "Rina", "P", "10-05-1992", "PPPK", 9, "PELAKSANA", None, "Staf", "D3", None],
    ]})  # fmt: skip
    (landing / "3374/2026-10-01").mkdir(parents=True)
    (landing / "3374/2026-10-01/pegawai.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    con, _ = ingest(landing)
    assert con.execute(
        "select _line, nip, tanggal_lahir, golongan, kode_wilayah_kerja from raw.pegawai order by 1"
    ).fetchall() == [
        (2, "198003152005011001", "1980-03-15", "III/d", "31"),
        (5, "199205102021012003", "1992-05-10", "IX", None),
    ]
    # an 18-digit NIP stored as an Excel number has lost its last digits
    assert con.execute("select _line, nip, _reasons from quarantine.pegawai").fetchall() == [
        (3, "1.98506062010012E+17", ["NIP_NOTASI_ILMIAH:nip"])
    ]
    assert ledger(con)["3374/2026-10-01/pegawai.xlsx"][1] == {"BERKAS_TIDAK_TERBACA": 1}
    assert_rows_conserved(con, landing)


def test_two_files_for_one_entity_in_a_submission_are_both_rejected(tmp_path):
    landing = tmp_path / "landing"
    write_text(landing / "3373/2026-10-01/pegawai.csv", [PEGAWAI_HEADER, ANDRE])
    write_xlsx(landing / "3373/2026-10-01/pegawai.xlsx", {"Sheet1": [PEGAWAI_HEADER, ANDRE]})
    con, _ = ingest(landing)
    assert {p: v[1] for p, v in ledger(con).items()} == {
        "3373/2026-10-01/pegawai.csv": {"ENTITAS_GANDA": 1},
        "3373/2026-10-01/pegawai.xlsx": {"ENTITAS_GANDA": 1},
    }


# --- batches -------------------------------------------------------------------------------------
def _everything(con) -> dict:
    """Every table the ingest writes, in a comparable form (load times left out)."""
    queries = {f"{schema}.{e}": f"select * exclude (_loaded_at) from {schema}.{e}"
               for schema in ("raw", "quarantine") for e in ENTITY_NAMES}  # fmt: skip
    queries["ingest.peringatan"] = "select * from ingest.peringatan"
    queries["ingest.ledger"] = "select * exclude (loaded_at) from ingest.ledger"
    return {table: sorted(map(repr, con.execute(sql).fetchall())) for table, sql in queries.items()}


def test_batches_judge_every_file_as_if_it_were_alone(landing, monkeypatch):
    """Many files are validated by one query: uniqueness and orphans stay per file, a history file is
    judged against the pegawai loaded before it, the same bytes are a duplicate of the first copy that
    loads rows, and a header-only file shared by several agencies is never a duplicate."""
    shutil.copytree(landing / SUB, landing / "3374" / "2026-10-01")  # the same bytes: duplicates
    header_only = (landing / SUB / "hukuman_disiplin.csv").read_text().splitlines()[0] + "\n"
    for kode in ("3301", "3302", "3303"):
        target = landing / kode / "2026-10-02" / "hukuman_disiplin.csv"
        target.parent.mkdir(parents=True)
        target.write_text(header_only)
    shutil.copytree(landing / SUB, landing / "3373" / "2026-10-20")  # K016-style: a later resubmission
    (landing / "3373" / "2026-10-20" / "pegawai.csv").write_text(
        (landing / SUB / "pegawai.csv").read_text().replace("Banyak Masalah", "Banyak Masalah Lagi")
    )

    def run(batch_files: int):
        monkeypatch.setattr(ingest_module, "BATCH_FILES", batch_files)
        con, outcomes = ingest(landing)
        summary = [(o.file.rel_path, o.status, o.rows_read, o.rows_loaded, o.rows_quarantined, o.reasons,
                    o.warnings, o.message, o.duplicate_of, o.orphans_checked) for o in outcomes]  # fmt: skip
        return summary, _everything(con)

    one_by_one, together = run(1), run(1000)
    assert one_by_one == together
    statuses = {path: status for path, status, *_ in together[0]}
    assert statuses["3374/2026-10-01/skp.csv"] == "DUPLIKAT"
    assert statuses["3373/2026-10-20/skp.csv"] == "DUPLIKAT"
    assert statuses["3373/2026-10-20/pegawai.csv"] == "DIMUAT"
    for kode in ("3301", "3302", "3303"):
        assert statuses[f"{kode}/2026-10-02/hukuman_disiplin.csv"] == "DIMUAT"


def test_the_trimming_shortcut_gives_what_trimming_every_cell_gives():
    """The cell cleaning tests the first and last character before trimming (most cells have nothing to
    trim): over every mix of the contract's whitespace with text, accents, combining marks, CJK and emoji it
    gives exactly trim(WHITESPACE) and NULL for empty, as trimming every cell would."""
    pieces = [
        "",
        " ",
        "\t",
        "\r\n",
        "\u00a0",
        "\u00a0 ",
        "a",
        "é",
        "e\u0301",
        "名前",
        "👩‍💻",
        "x y",
        "\u2003",
        "'",
    ]
    cells = [a + b + c for a in pieces for b in pieces for c in pieces] + [None]
    with duckdb.connect() as con:
        got = con.execute(
            f"select src_c, {rules._clean_sql('c')} from (select unnest($cells) as src_c)",
            {"cells": cells},
        ).fetchall()
    assert [cleaned for _, cleaned in got] == [
        (c.strip(contract.WHITESPACE) or None) if c is not None else None for c in cells
    ]
