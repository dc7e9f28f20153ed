"""Crash safety: kill -9 during ingest, dbt and publish. The published warehouse stays a good one and opens;
the next refresh completes and every file ends up loaded exactly once."""

import os
import signal
import time
from pathlib import Path

import duckdb
import pytest

from pipelines.settings import get_settings
from tests.helpers import add_submission, proasn_refresh, start_refresh


def kill_refresh_at(step_key: str, delay: float = 0.0) -> None:
    """Start a refresh in its own process group and SIGKILL the whole group (dbt included) once the step
    has started: what a power cut or the OOM killer does."""
    process = start_refresh(start_new_session=True)
    deadline = time.time() + 240
    for raw in process.stdout:
        if f"- {step_key} - STEP_START" in raw.decode(errors="replace"):
            time.sleep(delay)
            break
        assert time.time() < deadline, f"{step_key} never started"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(30)


def published_people(path: Path) -> int:
    """The people of a published snapshot: the aggregates file's headcount, and as many rows in its microdata
    file (the same snapshot)."""
    with duckdb.connect(str(path), read_only=True) as con:
        people = con.execute("select sum(jumlah_asn) from mart_indikator_instansi").fetchall()[0][0]
        con.execute(f"attach '{path.parent / 'mikro' / 'proasn_mikro.duckdb'}' as mikro (read_only)")
        assert con.execute("select count(*) from mikro.mart_talenta_asn").fetchall()[0][0] == people
        return people


@pytest.mark.slow
def test_kill_9_leaves_a_good_snapshot_and_the_next_refresh_loads_everything_once(
    fixture_landing, proasn_home
):
    settings = get_settings()
    proasn_refresh()
    assert published_people(settings.published_path) == 5

    # One kill per stage, each with a new submission waiting; the next run must step over the dead ones.
    for day, (step_key, delay) in enumerate(
        [("ingest", 0.0), ("dbt_warehouse", 3.0), ("published__proasn_duckdb", 0.0)], start=5
    ):
        add_submission(fixture_landing, f"K016/2026-10-{day:02d}", distinct=True)
        kill_refresh_at(step_key, delay)
        assert published_people(settings.published_path) == 5, f"killed at {step_key}: a good snapshot opens"

    proasn_refresh()  # frees the killed runs' pool slots, then completes
    files = sorted(p.relative_to(fixture_landing).as_posix() for p in fixture_landing.rglob("*.csv"))
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        ledger = [r[0] for r in con.execute("select file_path from ingest.ledger order by 1").fetchall()]
        per_file = dict(con.execute("select _file_path, count(*) from raw.pegawai group by 1").fetchall())
        loaded = dict(con.execute("select file_path, baris_dimuat from ingest.ledger").fetchall())
    assert ledger == files, "every file exactly once"
    assert per_file == {path: n for path, n in loaded.items() if n}, "the raw rows match the ledger"
    assert published_people(settings.published_path) == 5
    snapshots = settings.home / ".published-snapshots"
    assert len(list(snapshots.iterdir())) <= 2, "a killed publish's snapshot goes at the next publish"
    assert not list(settings.home.glob(".published.*.link")), "and so does a link it never renamed"
