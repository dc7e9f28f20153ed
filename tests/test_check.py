"""`proasn check PATH [--json]`: the ingest's validation, nothing loaded, a report an agency can act on."""

import json
import shutil

import pytest

from tests.helpers import FIXTURES
from tools.cli import main


@pytest.fixture
def landing(proasn_home):
    target = proasn_home / "landing"
    shutil.copytree(FIXTURES / "ingest" / "landing", target)
    return target


def test_a_clean_submission_passes_with_exit_0(landing, proasn_home, capsys):
    assert main(["check", str(landing / "K016" / "2026-09-01")]) == 0
    out = capsys.readouterr().out
    assert "K016/2026-09-01/pegawai.csv: SIAP DIKIRIM (2 baris dibaca" in out
    assert "1 berkas diperiksa: 1 siap dikirim, 0 perlu diperbaiki" in out
    assert not (proasn_home / "warehouse" / "proasn.duckdb").exists(), "check loads nothing"


def test_problems_are_reported_per_file_with_line_message_and_fix(landing, capsys):
    assert main(["check", str(landing / "3373" / "2026-10-01")]) == 1
    out = capsys.readouterr().out
    assert (
        "3373/2026-10-01/pegawai.csv: ADA BARIS BERMASALAH (12 baris dibaca, 3 dapat dimuat, 9 akan dikarantina)"
        in out
    )
    assert (
        "Masalah [GOLONGAN_TIDAK_VALID]: 2 baris. Golongan tidak dikenal atau tidak sesuai status kepegawaian."
        in out
    )
    assert "Perbaikan: PNS/CPNS: I/a sampai IV/e; PPPK: I sampai XVII." in out
    assert "- baris 4, kolom golongan: 'III/a'" in out
    assert "Peringatan [PREDIKAT_TIDAK_SESUAI_MATRIKS]: 1 baris." in out
    assert "Catatan: kolom tambahan diabaikan: catatan." in out
    assert "3373/2026-10-01/catatan.txt: DIABAIKAN" in out


def test_json_report_holds_every_reason_with_message_fix_and_lines(landing, capsys):
    assert main(["check", str(landing), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    files = {f["file_path"]: f for f in report["files"]}
    rejected = files["K016/2026-09-15/riwayat_jabatan.csv"]
    assert rejected["status"] == "DITOLAK"
    (reason,) = rejected["alasan"]
    assert reason["kode"] == "KOLOM_WAJIB_HILANG" and reason["perbaikan"]
    assert reason["contoh"] == [{"baris": None, "kolom": None, "nilai": "kolom hilang: jenis_jabatan"}]
    pegawai = files["3373/2026-10-01/pegawai.csv"]
    duplikat = next(r for r in pegawai["alasan"] if r["kode"] == "DUPLIKAT")
    assert duplikat["jumlah"] == 2
    assert [(c["baris"], c["kolom"]) for c in duplikat["contoh"]] == [(6, "nip"), (7, "nip")]
    assert files["K016/2026-09-01/pegawai.csv"]["dapat_diterima"] is True
    assert report["acceptable"] is False


def test_history_without_its_pegawai_says_the_orphan_check_was_skipped(landing, capsys):
    assert main(["check", str(landing / "K016" / "2026-09-15" / "riwayat_golongan.csv")]) == 0
    out = capsys.readouterr().out
    assert "SIAP DIKIRIM" in out and "data yatim) dilewati" in out


def test_only_the_first_lines_of_each_reason_are_listed(tmp_path, capsys):
    folder = tmp_path / "landing" / "3373" / "2026-10-01"
    folder.mkdir(parents=True)
    rows = "\n".join(f"1980031520050110{i:02d},KEPEMIMPINAN,,PKA,2022-01-01,,40," for i in range(15))
    (folder / "pegawai.csv").write_text("nip,nama,jenis_kelamin,tanggal_lahir,status_kepegawaian,golongan,"
                                        "jenis_jabatan,nama_jabatan,pendidikan_terakhir\n")  # fmt: skip
    (folder / "riwayat_pelatihan.csv").write_text(
        "nip,jenis_pelatihan,kode_kepemimpinan,nama_pelatihan,tanggal_mulai,tanggal_selesai,jp,penyelenggara\n"
        + rows
    )
    assert main(["check", str(folder)]) == 1
    out = capsys.readouterr().out
    assert out.count("kolom kode_kepemimpinan") == 10
    assert "... dan 5 baris lainnya (--json untuk semuanya)" in out


def test_usage_errors_exit_2(tmp_path, capsys):
    assert main(["check", str(tmp_path / "tidak-ada")]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["check"])
    assert exc.value.code == 2
