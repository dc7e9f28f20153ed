"""Sensors: start a refresh when a submission lands; record and announce failed runs."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from pipelines.landing import KODE_INSTANSI_RE, display_name
from pipelines.settings import Settings, get_settings

SUBMISSION_TAG = "proasn/submissions"
INSTANSI_TAG = "proasn/instansi"
REFRESH_RUN_TAG = "proasn/refresh_run"
# `proasn refresh --no-packs` tags its run "job": the packs are this sensor's to start, not the CLI's.
PACKS_TAG = "proasn/paket"
TRIGGER_TAG = "proasn/trigger"


@dataclass(frozen=True)
class Submission:
    folder: str  # <kode_instansi>/<tanggal_ekstrak>, relative to the landing root
    signature: str  # changes when a file in the folder is added, removed or rewritten
    settled: bool  # no file changed for settle_seconds: the copy is complete


def _entries(folder: Path) -> list[Path]:
    """The regular files and symbolic links of a folder (links are not followed: the ingest rejects them,
    so they count as part of the submission); [] when it cannot be listed."""
    try:
        return sorted(p for p in folder.iterdir() if p.is_symlink() or p.is_file())
    except OSError:
        return []


def scan_submissions(landing: Path, settle_seconds: int, now: float | None = None) -> list[Submission]:
    """Every submission folder (two levels below the landing root) that holds files. Folders that are
    symbolic links are not followed; names are shown as the ledger shows them (display_name)."""
    now = time.time() if now is None else now
    found = []
    if not landing.is_dir():
        return found
    for agency in _folders(landing):
        for folder in _folders(agency):
            stats = []
            for entry in _entries(folder):
                try:
                    stats.append((entry.name, entry.lstat()))
                except OSError:
                    continue  # vanished since the listing
            if not stats:
                continue
            digest = hashlib.sha256()
            for name, st in stats:
                digest.update(f"{name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
            newest = max(st.st_mtime for _, st in stats)
            found.append(
                Submission(
                    folder=f"{display_name(agency.name)}/{display_name(folder.name)}",
                    signature=digest.hexdigest()[:16],
                    settled=now - newest >= settle_seconds,
                )
            )
    return found


def _folders(parent: Path) -> list[Path]:
    try:
        return sorted(p for p in parent.iterdir() if p.is_dir() and not p.is_symlink())
    except OSError:
        return []


def taken_submissions(settings: Settings) -> dict[str, str]:
    """folder -> signature of every submission a refresh has read (settings.taken_path); {} when none."""
    try:
        return json.loads(settings.taken_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def record_taken(settings: Settings, submissions: list[Submission]) -> None:
    """Add what a refresh read to settings.taken_path (written whole, then renamed into place). Runs that
    write the warehouse queue on its pool, so two never write this file at once."""
    taken = taken_submissions(settings) | {s.folder: s.signature for s in submissions}
    settings.taken_path.parent.mkdir(parents=True, exist_ok=True)
    partial = settings.taken_path.with_suffix(".tmp")
    partial.write_text(json.dumps(taken, sort_keys=True, ensure_ascii=False), encoding="utf-8")
    partial.replace(settings.taken_path)


def landing_run_request(settings: Settings, cursor: str | None, now: float | None = None):
    """(RunRequest or None, new cursor). New or changed submissions that have settled go into ONE run:
    submissions arriving together share a refresh instead of queueing one national dbt build each.
    The run ingests only their agencies' folders, unless a folder name is not an agency code (it cannot
    be named in the run config): then the whole landing tree, whose unchanged files are skipped anyway."""
    seen = json.loads(cursor) if cursor else {}
    taken = taken_submissions(settings)  # read by any refresh, also one the sensor did not start
    new = [
        s
        for s in scan_submissions(settings.landing, settings.sensor_settle_seconds, now)
        if s.settled and s.signature not in (seen.get(s.folder), taken.get(s.folder))
    ]
    if not new:
        return None, cursor
    for submission in new:
        seen[submission.folder] = submission.signature
    agencies = sorted({s.folder.split("/")[0] for s in new})
    instansi = ",".join(agencies) if all(KODE_INSTANSI_RE.match(a) for a in agencies) else ""
    run_key = hashlib.sha256("|".join(f"{s.folder}@{s.signature}" for s in new).encode()).hexdigest()[:20]
    request = dg.RunRequest(
        run_key=run_key,
        run_config={"resources": {"proasn": {"config": {"instansi": instansi}}}},
        tags={
            SUBMISSION_TAG: ",".join(s.folder for s in new)[:4000],
            INSTANSI_TAG: ",".join(agencies)[:4000],
        },
    )
    return request, json.dumps(seen, sort_keys=True)


def build_landing_sensor(job) -> dg.SensorDefinition:
    @dg.sensor(
        name="landing_sensor",
        job=job,
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Starts a refresh when a new or changed submission folder under PROASN_LANDING has "
        "settled (no file changed for PROASN_SENSOR_SETTLE_SECONDS). Each submission triggers once, and none "
        "that a refresh already read, however that refresh was started.",
    )
    def landing_sensor(context: dg.SensorEvaluationContext):
        request, cursor = landing_run_request(get_settings(), context.cursor)
        if request is None:
            return dg.SkipReason("No new settled submission under the landing folder.")
        context.update_cursor(cursor)
        return request

    return landing_sensor


def build_packs_sensor(refresh_job, packs_job) -> dg.SensorDefinition:
    @dg.run_status_sensor(
        name="paket_setelah_refresh",
        run_status=dg.DagsterRunStatus.SUCCESS,
        monitored_jobs=[refresh_job],
        request_job=packs_job,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Writes the agency packs after every successful refresh (only the packs that changed).",
    )
    def paket_setelah_refresh(context: dg.RunStatusSensorContext):
        run = context.dagster_run
        if run.tags.get(TRIGGER_TAG) == "cli" and run.tags.get(PACKS_TAG) != "job":
            return dg.SkipReason(
                f"Run {run.run_id} came from `proasn refresh`, which writes the packs itself."
            )
        # Same resource config (tanggal_acuan) as the refresh; one pack run per refresh run.
        resources = {"resources": run.run_config.get("resources", {})}
        return dg.RunRequest(run_key=run.run_id, run_config=resources, tags={REFRESH_RUN_TAG: run.run_id})

    return paket_setelah_refresh


def record_failure(settings: Settings, alert: dict) -> None:
    """Append the alert to PROASN_HOME/alerts/alerts.jsonl and POST it to the webhook, if one is set."""
    settings.alerts_path.parent.mkdir(parents=True, exist_ok=True)
    with open(settings.alerts_path, "a", encoding="utf-8") as f:
        f.write(json.dumps(alert, ensure_ascii=False, sort_keys=True) + "\n")
    if settings.alert_webhook:
        request = urllib.request.Request(
            settings.alert_webhook,
            data=json.dumps(alert, ensure_ascii=False).encode("utf-8"),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()


@dg.run_failure_sensor(
    name="run_failure_alert",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Writes an alert record for every failed run and calls PROASN_ALERT_WEBHOOK when set.",
)
def run_failure_alert(context: dg.RunFailureSensorContext):
    run = context.dagster_run
    failure = context.failure_event
    message = (failure.message or "").splitlines()[0] if failure and failure.message else ""
    alert = {
        "waktu": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "run_id": run.run_id,
        "job": run.job_name,
        "status": run.status.value,
        "pesan": message[:500],
        "langkah_gagal": sorted({e.step_key for e in context.get_step_failure_events() if e.step_key}),
        "tags": {k: v for k, v in run.tags.items() if k.startswith("proasn/")},
    }
    try:
        record_failure(get_settings(), alert)
    except OSError as exc:  # a dead webhook must not hide the alert record already written
        context.log.warning(f"Alert webhook failed: {exc}")
