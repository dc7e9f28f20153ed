"""The benchmark's floor: DuckDB reading every value of every extract once (pipelines/benchmark.py)."""

from pipelines.benchmark import floor_seconds


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
