"""The benchmark (tools/benchmark.py): its floor, DuckDB reading every value of every extract once, its load
bounds, reading and writing every cell (as text, or cast to its type) with no check, and its runs, each in a
process of its own."""

import datetime as dt
import os

import duckdb
import pytest

from tests.helpers import TANGGAL_ACUAN
from tools.benchmark import csv_layouts, floor_seconds, load_bound_seconds, run_refresh


def write_landing(root):
    """Two agencies' CSVs, five data rows: commas, then semicolons with a quoted line break and a short row; a
    second pegawai file of the same layout (read with the first in one statement)."""
    (root / "3373" / "2026-10-01").mkdir(parents=True)
    (root / "K016" / "2026-09-15").mkdir(parents=True)
    (root / "3373" / "2026-10-01" / "skp.csv").write_text(
        'nip,tahun,predikat\n199001012015031001,2024,BAIK\n199001012015031001,2025,"SANGAT_BAIK"\n'
    )
    (root / "K016" / "2026-09-15" / "pegawai.csv").write_text(
        'nip;nama;unit_kerja\n199001012015031001;"Ani\nSuryani";Biro Umum\n199202022016042002;Budi\n'
    )
    (root / "3373" / "2026-10-01" / "pegawai.csv").write_text(
        "nip;nama;unit_kerja\n198501012010011001;Citra;Biro\n"
    )


def test_floor_reads_every_data_row_of_every_csv(tmp_path):
    write_landing(tmp_path)  # read as the ingest reads them

    assert sorted(csv_layouts(tmp_path)) == [("pegawai", ";", 4), ("skp", ",", 4)]
    assert len(csv_layouts(tmp_path)[("pegawai", ";", 4)]) == 2  # both agencies' pegawai files in one read
    for per_file in (False, True):  # grouped by layout as the ingest reads, or one file per statement
        seconds, rows = floor_seconds(tmp_path, per_file=per_file)
        assert rows == 5
        assert seconds > 0


def test_load_bound_writes_every_cell_into_a_database_and_cleans_up(tmp_path):
    landing, scratch = tmp_path / "landing", tmp_path / "scratch"
    write_landing(landing)

    seconds, rows = load_bound_seconds(landing, scratch)

    assert rows == 5  # both pegawai files (one layout, one read) and the skp file
    assert seconds > 0
    assert not scratch.exists()  # the scratch database (text copies of the extracts) is gone


def test_typed_load_bound_keeps_a_row_whose_value_does_not_parse(tmp_path):
    """Every value cast to its contract type, per header: a year that is not a number is NULL, its row kept
    (DuckDB 2.0 would move the cast into the CSV reader and drop the row: duckdb#23818)."""
    landing, scratch = tmp_path / "landing", tmp_path / "scratch"
    write_landing(landing)
    (landing / "K016" / "2026-09-15" / "skp.csv").write_text(
        "NIP, Tahun ,predikat\n199001012015031001,20x4,BAIK\n199001012015031001,2025,BAIK\n"
    )

    assert sorted(csv_layouts(landing, by_header=True))[-1] == ("skp", ",", 4, ("nip", "tahun", "predikat"))
    seconds, rows = load_bound_seconds(landing, scratch, typed=True)

    assert rows == 7  # the five rows of the text bound and both new skp rows, the unreadable year's too
    assert seconds > 0
    assert not scratch.exists()


@pytest.mark.slow
def test_each_run_happens_in_a_process_of_its_own(proasn_home):
    """run_refresh starts a new process for the run (as `proasn refresh` and the daemon do) and brings back
    its figures; the run really wrote the warehouse of this PROASN_HOME."""
    result = run_refresh(dt.date(2026, 11, 1), job="compaction")

    assert result["success"], result
    assert 0 < result["wall_seconds"] < result["process_seconds"]
    assert result["peak_rss_self_bytes"] > 0
    assert result["stages"]  # from the run's step events
    with duckdb.connect(os.environ["PROASN_WAREHOUSE"], read_only=True) as con:
        assert con.execute("select count(*) from pemeliharaan.riwayat_pemadatan").fetchone() == (1,)


@pytest.mark.slow
def test_the_benchmark_measures_a_launched_run_beside_the_cli_run(fixture_landing, proasn_home):
    """The benchmark's launched refresh (the job's own executor, after the run worker loaded the code, as the UI
    and the daemon launch runs) goes through the same stages as `proasn refresh` and is timed. How the two
    compare is a figure the benchmark prints (docs/performance.md), not an assertion here: timings belong to
    benchmarks. That a launched run's steps run in the run's own process is tested in test_orchestration."""
    cli = run_refresh(TANGGAL_ACUAN)
    launched = run_refresh(TANGGAL_ACUAN, launch="in_process")
    assert cli["success"] and launched["success"], (cli, launched)
    assert launched["stages"].keys() == cli["stages"].keys()
    assert launched["wall_seconds"] > 0 and cli["wall_seconds"] > 0
