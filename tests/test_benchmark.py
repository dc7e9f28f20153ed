"""The benchmark (pipelines/benchmark.py): its floor, DuckDB reading every value of every extract once, and its
runs, each in a process of its own."""

import datetime as dt
import os

import duckdb

from pipelines.benchmark import floor_seconds, run_refresh


def test_floor_reads_every_data_row_of_every_csv(tmp_path):
    (tmp_path / "3373" / "2026-10-01").mkdir(parents=True)
    (tmp_path / "K016" / "2026-09-15").mkdir(parents=True)
    (tmp_path / "3373" / "2026-10-01" / "skp.csv").write_text(
        'nip,tahun,predikat\n199001012015031001,2024,BAIK\n199001012015031001,2025,"SANGAT_BAIK"\n'
    )
    # Semicolons, a quoted line break and a short row: read as the ingest reads them.
    (tmp_path / "K016" / "2026-09-15" / "pegawai.csv").write_text(
        'nip;nama;unit_kerja\n199001012015031001;"Ani\nSuryani";Biro Umum\n199202022016042002;Budi\n'
    )
    seconds, rows = floor_seconds(tmp_path)
    assert rows == 4
    assert seconds > 0


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
