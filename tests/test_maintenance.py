"""The warehouse compaction (assets/maintenance.py): refreshes leave the rows they delete as tombstones,
the nightly job vacuums them. Real DuckDB, a real Dagster materialization."""

import dagster as dg
import duckdb
import pytest

from assets.maintenance import riwayat_pemadatan
from assets.resources import WarehouseResource
from pipelines.compaction import used_bytes

pytestmark = pytest.mark.slow  # a Dagster materialization


def rebuild_agencies(con, codes: list[str]) -> None:
    """What a per-agency rebuild does to a table: delete the agencies' rows, insert them again."""
    listed = ", ".join(f"'{code}'" for code in codes)
    con.execute(
        f"create or replace temp table baru as select * from staging.t where kode_instansi in ({listed})"
    )
    con.execute(f"begin; delete from staging.t where kode_instansi in ({listed}); "
                "insert into staging.t select * from baru; commit")  # fmt: skip


ROWS = 1_500_000


def build(con) -> tuple[int, int]:
    """A table of 37 agencies, then three per-agency refreshes; used bytes before and after them."""
    con.execute(
        "create schema staging; create table staging.t as select i, lpad((i % 37)::varchar, 4, '0') "
        f"as kode_instansi, md5(i::varchar) as isi from range({ROWS}) r(i) order by kode_instansi"
    )
    con.execute("checkpoint")
    fresh = used_bytes(con)
    for codes in (["0003", "0011"], ["0020"], ["0003", "0030", "0036"]):
        rebuild_agencies(con, codes)
        con.execute("checkpoint")
    return fresh, used_bytes(con)


def test_refreshes_leave_tombstones_and_the_compaction_vacuums_them(tmp_path):
    with duckdb.connect(str(tmp_path / "vacuum_on.duckdb")) as con:  # DuckDB's default, for comparison
        _, vacuumed_each_time = build(con)
    warehouse = WarehouseResource(database=str(tmp_path / "proasn.duckdb"))
    with warehouse.get_connection() as con:
        assert con.execute("select current_setting('max_vacuum_tasks')").fetchone()[0] == 0
        fresh, with_tombstones = build(con)
    assert with_tombstones > vacuumed_each_time, (fresh, with_tombstones, vacuumed_each_time)

    result = dg.materialize([riwayat_pemadatan], resources={"warehouse": warehouse})
    assert result.success
    (event,) = result.get_asset_materialization_events()
    with duckdb.connect(warehouse.database, read_only=True) as con:
        compacted = used_bytes(con)
        record = con.execute("select detik, bita_terpakai_sebelum, bita_terpakai_sesudah "
                             "from pemeliharaan.riwayat_pemadatan").fetchall()  # fmt: skip
        kept = con.execute("select count(*), count(distinct i) from staging.t").fetchone()
    assert kept == (ROWS, ROWS)
    # Most of what the tombstones took is back (not to the byte: the record table's own blocks, block reuse).
    tombstones = with_tombstones - vacuumed_each_time
    sizes = (fresh, with_tombstones, vacuumed_each_time, compacted)
    assert compacted - vacuumed_each_time < tombstones / 2, sizes
    ((detik, sebelum, sesudah),) = record
    assert detik >= 0 and sebelum == with_tombstones and sesudah < sebelum and sesudah <= compacted
    assert event.materialization.metadata["used_mib_after"].value == round(sesudah / 2**20, 1)
