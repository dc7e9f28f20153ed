"""Warehouse maintenance: compacting the rows that per-agency rebuilds delete.

Refreshes write with DuckDB's checkpoint vacuum off (`max_vacuum_tasks` 0: assets.resources.VACUUM_OFF
and dbt's profile). With it on, every checkpoint merged the row groups a per-agency rebuild had left
part-deleted, rewriting and compressing them again: 4-7 s of a one-agency refresh at scale 1.0, at whatever
model or connection close the checkpoint fell on. Without it the deleted rows stay in the file as tombstones
(6-42 MiB a refresh of one to four agencies at scale 1.0; row groups deleted whole are still dropped). This
asset, in a job of its own scheduled nightly before the refresh, lets one checkpoint vacuum them all.
"""

import datetime as dt
import time

import duckdb


def used_bytes(con: duckdb.DuckDBPyConnection) -> int:
    block_size, used_blocks = con.execute(
        "select block_size, used_blocks from pragma_database_size()"
    ).fetchone()
    return block_size * used_blocks


def compact_warehouse(con: duckdb.DuckDBPyConnection) -> dict:
    """Checkpoint with DuckDB's vacuum on, so the tombstones of every table are merged away; record the run
    in pemeliharaan.riwayat_pemadatan. Returns that record."""
    con.execute("reset max_vacuum_tasks")  # DuckDB's default: vacuum at checkpoint
    con.execute("create schema if not exists pemeliharaan")
    con.execute(
        "create table if not exists pemeliharaan.riwayat_pemadatan ("
        "mulai timestamp, detik double, bita_terpakai_sebelum bigint, bita_terpakai_sesudah bigint)"
    )
    start, before = dt.datetime.now(), used_bytes(con)
    clock = time.perf_counter()
    # DuckDB checkpoints only a database with changes: the record's row is that change.
    con.execute("insert into pemeliharaan.riwayat_pemadatan values (?, null, ?, null)", [start, before])
    con.execute("checkpoint")
    record = {
        "mulai": start,
        "detik": time.perf_counter() - clock,
        "bita_terpakai_sebelum": before,
        "bita_terpakai_sesudah": used_bytes(con),
    }
    con.execute(
        "update pemeliharaan.riwayat_pemadatan set detik = ?, bita_terpakai_sesudah = ? where mulai = ?",
        [record["detik"], record["bita_terpakai_sesudah"], start],
    )
    return record
