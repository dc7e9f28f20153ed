"""Sensors, schedule, blocking checks, alerts, concurrent runs and the UI: the data team's view."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer

import dagster as dg
import duckdb
import pytest

from assets.definitions import defs
from assets.sensors import SUBMISSION_TAG, landing_run_request, record_failure, run_failure_alert
from pipelines.settings import PROJECT_ROOT, get_settings
from tests.helpers import (
    PROASN,
    TANGGAL_ACUAN,
    add_submission,
    dbt_build_folder,
    proasn_refresh,
    run_refresh,
    start_refresh,
)


def test_landing_sensor_requests_one_run_per_new_submission_and_none_for_old(proasn_home):
    settings = get_settings()
    add_submission(settings.landing, "3373/2026-10-01")
    request, cursor = landing_run_request(settings, None)
    assert request is not None and request.tags[SUBMISSION_TAG] == "3373/2026-10-01"

    assert landing_run_request(settings, cursor) == (None, cursor), "an old submission starts nothing"

    add_submission(settings.landing, "K016/2026-11-01")
    request, cursor = landing_run_request(settings, cursor)
    assert request.tags[SUBMISSION_TAG] == "K016/2026-11-01", "only the new one"
    assert landing_run_request(settings, cursor)[0] is None


def test_landing_sensor_waits_for_a_submission_still_being_copied(proasn_home):
    settings = get_settings()
    add_submission(settings.landing, "3373/2026-10-01", mtime=time.time())  # just written
    assert landing_run_request(settings, None)[0] is None
    later = time.time() + settings.sensor_settle_seconds + 1
    request, _ = landing_run_request(settings, None, now=later)
    assert request is not None


def test_landing_sensor_definition_evaluates_with_a_cursor(proasn_home):
    settings = get_settings()
    add_submission(settings.landing, "3373/2026-10-01")
    sensor = defs.resolve_sensor_def("landing_sensor")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    with dg.DagsterInstance.ephemeral() as instance:
        first = sensor.evaluate_tick(dg.build_sensor_context(instance=instance))
        assert len(first.run_requests) == 1
        second = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=first.cursor))
        assert second.run_requests == [] and second.skip_message


@pytest.mark.slow
def test_a_launched_run_executes_its_steps_in_the_run_process(fixture_landing, proasn_home):
    """A run the UI or the daemon launches goes through the job's own executor (execute_in_process, which
    `proasn refresh` uses, does not): its steps must not each start a process that imports the code location
    again (8-15 s a step, docs/performance.md)."""
    from assets.definitions import refresh_job_def, refresh_run_config

    with dg.DagsterInstance.get() as instance:
        result = dg.execute_job(
            dg.reconstructable(refresh_job_def),
            instance=instance,
            run_config=refresh_run_config(TANGGAL_ACUAN),
        )
        assert result.success
        starts = [e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_START]
    assert len(starts) > 5
    assert {e.pid for e in starts} == {os.getpid()}, "every step in the run's own process"


@pytest.mark.slow
def test_landing_sensor_starts_nothing_for_what_a_cli_refresh_read(fixture_landing, proasn_home):
    """`make run`, then `make ui`: the sensor's first tick must not start a refresh of everything the CLI
    refresh already read (a national dbt build for nothing, then a pack run)."""
    proasn_refresh()
    sensor = defs.resolve_sensor_def("landing_sensor")
    with dg.DagsterInstance.get() as instance:
        tick = sensor.evaluate_tick(dg.build_sensor_context(instance=instance))
        assert tick.run_requests == [] and tick.skip_message

        add_submission(get_settings().landing, "3373/2026-11-01")
        tick = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=tick.cursor))
    assert [r.tags[SUBMISSION_TAG] for r in tick.run_requests] == ["3373/2026-11-01"], "only the new one"


def test_nightly_schedule_runs_at_two_in_jakarta():
    schedule = defs.resolve_schedule_def("refresh_nightly")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "Asia/Jakarta"
    assert schedule.job_name == "refresh"


def assert_pack_run_follows(instance, run_id: str) -> None:
    """The paket_setelah_refresh sensor asks for one pack run per successful refresh, with its config."""
    success = next(
        e for e in instance.all_logs(run_id) if e.dagster_event_type == dg.DagsterEventType.RUN_SUCCESS
    )
    sensor = defs.resolve_sensor_def("paket_setelah_refresh")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    context = dg.build_run_status_sensor_context(
        sensor_name="paket_setelah_refresh",
        dagster_instance=instance,
        dagster_run=instance.get_run_by_id(run_id),
        dagster_event=success.dagster_event,
    )
    request = sensor(context)
    assert isinstance(request, dg.RunRequest) and request.run_key == run_id
    assert request.run_config["resources"]["proasn"]["config"]["tanggal_acuan"] == TANGGAL_ACUAN.isoformat()
    assert defs.resolve_job_def("paket_instansi").graph.node_names() == ["exports__paket_instansi"]
    assert "exports__paket_instansi" not in defs.resolve_job_def("refresh").graph.node_names()


@pytest.mark.slow
def test_failing_blocking_check_keeps_the_previous_snapshot_and_alerts(fixture_landing, proasn_home):
    settings = get_settings()
    with dg.DagsterInstance.ephemeral() as instance:
        first = run_refresh(instance)
        assert first.success
        assert_pack_run_follows(instance, first.run_id)
        before = settings.published_path.read_bytes()
        # A new submission arrives, then the warehouse is damaged behind the ledger's back.
        add_submission(settings.landing, "3373/2026-11-01")
        with duckdb.connect(str(settings.warehouse_path)) as con:
            # A valid-looking row the ledger does not count: only row conservation can tell.
            con.execute(
                "insert into raw.pegawai select * replace (99 as _line, '199901012020011001' as nip, "
                "'1999-01-01' as tanggal_lahir) from raw.pegawai where nip = '198003152005011001'"
            )
        result = run_refresh(instance)
        assert not result.success
        checks = {c.check_name: c.passed for c in result.get_asset_check_evaluations()}
        assert checks["row_conservation"] is False
        assert not any(
            e.step_key == "published__proasn_duckdb" for e in result.all_events if e.is_step_success
        )
        assert settings.published_path.read_bytes() == before, "the old snapshot stays published"

        failure = next(
            e for e in instance.all_logs(result.run_id) if e.dagster_event and e.dagster_event.is_run_failure
        )
        context = dg.build_run_status_sensor_context(
            sensor_name="run_failure_alert",
            dagster_instance=instance,
            dagster_run=instance.get_run_by_id(result.run_id),
            dagster_event=failure.dagster_event,
        ).for_run_failure()
        run_failure_alert(context)
    alert = json.loads(settings.alerts_path.read_text().splitlines()[-1])
    assert alert["run_id"] == result.run_id and alert["job"] == "refresh"
    assert "ingest__ledger_row_conservation" in alert["langkah_gagal"] or alert["pesan"]


def test_alert_is_posted_to_the_webhook(proasn_home, monkeypatch):
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    monkeypatch.setenv("PROASN_ALERT_WEBHOOK", f"http://127.0.0.1:{server.server_port}/alert")
    record_failure(get_settings(), {"run_id": "abc", "pesan": "gagal"})
    thread.join(10)
    server.server_close()
    assert received == [{"run_id": "abc", "pesan": "gagal"}]
    assert json.loads(get_settings().alerts_path.read_text()) == {"pesan": "gagal", "run_id": "abc"}


def test_processes_meeting_an_empty_dagster_home_together_all_get_its_instance(tmp_path):
    # Without the lock, about 2 of 4 processes fail here with "table alembic_version already exists" (as the second
    # of two refreshes started together on a fresh home did).
    code = "from assets.resources import dagster_instance; print(dagster_instance().get_runs_count())"
    for trial in range(2):
        env = {**os.environ, "DAGSTER_HOME": str(tmp_path / f"dagster{trial}")}
        os.makedirs(env["DAGSTER_HOME"])
        processes = [
            subprocess.Popen([sys.executable, "-c", code], env=env, cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
            for _ in range(4)
        ]  # fmt: skip
        outputs = [p.communicate(timeout=120)[0].decode() for p in processes]
        assert [p.returncode for p in processes] == [0] * 4, outputs
        assert all(out.strip().endswith("0") for out in outputs), outputs


@pytest.mark.slow
def test_two_overlapping_refreshes_queue_on_the_pool_and_leave_a_consistent_warehouse(
    fixture_landing, proasn_home
):
    runs = [start_refresh()]
    time.sleep(1)
    runs.append(start_refresh())
    outputs = [p.communicate(timeout=900)[0].decode() for p in runs]
    failed = [out for p, out in zip(runs, outputs, strict=True) if p.returncode != 0]
    assert not failed, failed[0][-6000:]
    assert any("blocked by limit for pool warehouse" in out for out in outputs), "the pool serialised them"
    settings = get_settings()
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        assert con.execute("select count(*), count(distinct file_sha256) from ingest.ledger").fetchall() == [
            (2, 2)
        ]
        assert con.execute("select count(*) from raw.pegawai").fetchall() == [(5,)]
    with duckdb.connect(str(settings.mikro_path), read_only=True) as con:
        assert con.execute("select count(*) from mart_talenta_asn").fetchall() == [(5,)]


def graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.mark.slow
def test_ui_starts_and_lists_the_assets(proasn_home):
    # A process group of its own: `dagster dev` starts the webserver and the daemon as children.
    process = subprocess.Popen(
        [PROASN, "ui"],
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.time() + 120
        answer = None
        while time.time() < deadline and answer is None:
            try:
                answer = graphql(3000, "{ assetNodes { assetKey { path } } }")
            except OSError:
                time.sleep(2)
        assert answer is not None, "the UI did not answer within 120 s"
        keys = {"/".join(node["assetKey"]["path"]) for node in answer["data"]["assetNodes"]}
        assert {"raw/pegawai", "ingest/ledger", "marts/mart_talenta_asn", "published/proasn_duckdb"} <= keys
    finally:
        stop_process_group(process)


def stop_process_group(process: subprocess.Popen, grace_seconds: float = 60) -> None:
    """SIGTERM the whole group (webserver, daemon, code servers), wait until every member is gone."""
    os.killpg(process.pid, signal.SIGTERM)
    deadline = time.time() + grace_seconds
    while time.time() < deadline:
        process.poll()
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.5)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(10)


@pytest.mark.slow
def test_per_agency_run_and_reload_leave_the_other_agencies_alone(fixture_landing, proasn_home):
    settings = get_settings()

    def run(**config):
        return run_refresh(instance, **config)

    def ledger():
        with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
            return con.execute("select file_path, loaded_at from ingest.ledger order by 1").fetchall()

    with dg.DagsterInstance.ephemeral() as instance:
        assert run().success
        first = dict(ledger())
        add_submission(settings.landing, "3373/2026-11-01")
        add_submission(settings.landing, "K016/2026-11-01")

        per_agency = run(instansi="3373")
        assert per_agency.success
        # The same vars and warehouse as the first build: dbt starts from that build's parse state, kept beside
        # the warehouse (whatever the other test worker built meanwhile).
        assert "Partial parsing enabled" in (dbt_build_folder(per_agency.run_id) / "dbt.log").read_text()
        after = dict(ledger())
        assert set(after) - set(first) == {"3373/2026-11-01/pegawai.csv"}, "only the named agency's new file"

        assert run(instansi="K016", muat_ulang=True).success
        reloaded = dict(ledger())
        assert set(reloaded) == set(after) | {"K016/2026-11-01/pegawai.csv"}
        assert reloaded["K016/2026-09-15/pegawai.csv"] > after["K016/2026-09-15/pegawai.csv"], "loaded again"
        assert reloaded["3373/2026-10-01/pegawai.csv"] == after["3373/2026-10-01/pegawai.csv"], "untouched"
        with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
            per_file = con.execute(
                "select count(*), count(distinct (_file_path, _line)) from raw.pegawai"
            ).fetchall()
        assert per_file[0][0] == per_file[0][1], "no row loaded twice"

        refused = run(muat_ulang=True)
        assert not refused.success, "reloading the whole nation by accident is refused"
