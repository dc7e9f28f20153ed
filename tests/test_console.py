"""What `proasn refresh` prints (tools/console.py): the stages, what needs action and a summary; every Dagster
event and dbt line in the full log under PROASN_HOME/logs, and on the console with --verbose; exit codes as
before. The demo of `make run`: under 40 lines, its own freshness check passed, the nine-box on the talent map."""

import os
import re
import subprocess

import dagster as dg
import duckdb
import pytest

from pipelines.settings import get_settings
from tests.helpers import PROASN, TANGGAL_ACUAN, full_log, identifying_values, refresh_env
from tests.paket_lama import assert_same_packs

STAGE_LINES = ("ingest", "dbt", "checks", "publish", "reports", "packs")


def proasn(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PROASN, *args], env=env or {**os.environ}, capture_output=True, text=True, timeout=900
    )


def stage_line(output: str, stage: str) -> str:
    return next(line for line in output.splitlines() if line.split()[:2] == [stage, "done"])


@pytest.mark.slow
def test_make_run_on_demo_data_is_short_fresh_and_ends_with_the_summary(proasn_home):
    """`make run` on a fresh clone: demo data made today, one refresh; tanggal_acuan is today, as there."""
    landing = proasn_home / "landing"
    generated = proasn("generate", "--out", str(landing), "--scale", "0.0005", "--seed", "1")
    assert generated.returncode == 0, generated.stderr
    env = {k: v for k, v in os.environ.items() if k != "PROASN_PSEUDONYM_KEY"}  # as on a fresh clone
    refreshed = proasn("refresh", env=env)
    assert refreshed.returncode == 0, refreshed.stdout[-3000:] + refreshed.stderr[-3000:]
    output = generated.stdout + refreshed.stdout
    lines = [line for line in (output + refreshed.stderr).splitlines() if line.strip()]
    assert len(lines) < 40, output
    assert not [line for line in lines if " DEBUG " in line or "dagster - " in line or "\x1b" in line]
    assert "DUPLIKAT" not in output, "unchanged resubmissions need no action"
    for stage in STAGE_LINES:
        assert stage_line(refreshed.stdout, stage)
    assert "new files" in stage_line(refreshed.stdout, "ingest") and "quarantined" in stage_line(
        refreshed.stdout, "ingest"
    )
    assert "0 warnings, 0 failed" in stage_line(refreshed.stdout, "checks"), "the demo passes its own checks"
    # Needs action: the development key, and the demo's rejected files (the generator's whole-file defects).
    actions = refreshed.stdout[
        refreshed.stdout.index("Needs action:") : refreshed.stdout.index("Refresh succeeded")
    ]
    assert "PROASN_PSEUDONYM_KEY is not set" in actions and "DITOLAK" in actions
    assert "agency_freshness" not in actions
    summary = refreshed.stdout[refreshed.stdout.index("Refresh succeeded") :].splitlines()
    assert summary[-1].strip().startswith("Full log: ")
    # Published, and said so, before the packs start; their line and where they are come after.
    out = refreshed.stdout
    assert (
        out.index("Published aggregates:")
        < out.index("Writing the agency packs")
        < out.index("packs    done")
    )
    assert out.index("packs    done") < out.index("Agency packs (restricted")
    for start in ("Rows:", "Published aggregates:", "Microdata", "Agency packs", "Reports:"):
        assert any(line.strip().startswith(start) for line in summary), start
    assert "agencies rebuilt: every agency" in refreshed.stdout

    # The packs the run wrote hold, cell by cell, what the old writer wrote (tests/paket_lama.py), for the
    # agencies with the most people and with the most quality rows.
    settings = get_settings()
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        sample = [r[0] for r in con.execute(
            """(select kode_instansi from terbatas.rst_rekomendasi_asn group by 1 order by count(*) desc, 1 limit 4)
               union (select _kode_instansi from quarantine.pegawai group by 1 order by count(*) desc, 1 limit 4)
               union (select kode_instansi from ingest.ledger where status = 'DITOLAK' order by 1 limit 2)"""
        ).fetchall()]  # fmt: skip
        assert len(sample) >= 6
        assert_same_packs(con, settings.exports_dir, proasn_home / "paket_lama", sample)

    log = full_log(refreshed.stdout)  # what is not on the console is in the log
    assert "STEP_START" in log and " DEBUG " in log
    assert re.search(r"\d+ of \d+ (OK|PASS) ", log), "dbt's lines"
    assert "\x1b" not in log, "dbt's colours stripped"
    assert "Asset check 'agency_freshness' on 'ingest/ledger' passed" in log
    # The log and the console hold no NIP, NIK or name of the demo's people (R12: logs carry no identifier).
    secrets = identifying_values(landing, files="pegawai.csv", digits=False, shortest=6)
    assert len(secrets) > 1000
    found = {value for value in secrets if value in log or value in output}
    assert not found, sorted(found)[:10]

    # The talent map's materialization carries the national nine-box and the share not yet profiled.
    with dg.DagsterInstance.get() as instance:
        event = instance.get_latest_materialization_event(dg.AssetKey(["marts", "mart_peta_talenta"]))
    metadata = event.asset_materialization.metadata
    assert "kotak 9" in metadata["kotak_talenta_nasional"].value
    with duckdb.connect(str(get_settings().published_path), read_only=True) as con:
        (persen,) = con.execute(
            "select persen::double from mart_peta_talenta where level = 'NASIONAL' and jenis_jabatan = 'SEMUA' "
            "and kotak_talenta is null"
        ).fetchone()
    assert metadata["belum_diprofilkan_persen"].value == persen


@pytest.mark.slow
def test_verbose_shows_everything_quiet_only_the_outcome_and_a_failure_exits_1(fixture_landing, proasn_home):
    env = refresh_env()
    verbose = proasn("refresh", "--verbose", env=env)
    assert verbose.returncode == 0
    assert "STEP_START" in verbose.stdout and "DEBUG" in verbose.stdout
    assert re.search(r"\d+ of \d+ (OK|PASS) ", verbose.stdout), "dbt's lines"

    quiet = proasn("refresh", "--quiet", env=env)
    assert quiet.returncode == 0
    assert not any(stage_line_present(quiet.stdout, stage) for stage in STAGE_LINES)
    assert (
        quiet.stdout.splitlines()[-1].strip().startswith("Full log: ") and len(quiet.stdout.splitlines()) <= 3
    )

    # The warehouse damaged behind the ledger's back: the blocking row-conservation check fails the refresh.
    with duckdb.connect(str(get_settings(TANGGAL_ACUAN).warehouse_path)) as con:
        con.execute(
            "insert into raw.pegawai select * replace (99 as _line, '199901012020011001' as nip) "
            "from raw.pegawai limit 1"
        )
    failed = proasn("refresh", env=env)
    assert failed.returncode == 1
    assert "Refresh FAILED (run" in failed.stderr and "the published warehouse is unchanged" in failed.stderr
    assert "failed check row_conservation on ingest/ledger: For every loaded file" in failed.stderr
    assert "Full log: " in failed.stderr and " DEBUG " not in failed.stdout + failed.stderr


def stage_line_present(output: str, stage: str) -> bool:
    return any(line.split()[:2] == [stage, "done"] for line in output.splitlines())
