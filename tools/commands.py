"""What the `proasn` commands do (tools/cli.py parses the arguments)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import socket
import sys
import time
import warnings
from pathlib import Path

import duckdb

from pipelines.cells import escape_cell
from pipelines.dbt_project import ensure_manifest
from pipelines.publish import published_link
from pipelines.settings import (
    PROJECT_ROOT,
    DevelopmentKeyWarning,
    export_environment,
    get_settings,
    home_search_text,
    warn_if_development_key,
)
from tools.console import CONSOLE_LOGGER_CONFIG, NORMAL, RunConsole, log_path, seconds_text


def prepare(settings) -> None:
    """What Dagster and dbt need before the code location is loaded: the environment and DAGSTER_HOME
    (pipelines.settings), and a dbt manifest as new as the project's files."""
    export_environment(settings)
    ensure_manifest()


def refresh(tanggal_acuan: dt.date | None, verbosity: int = NORMAL, packs: bool = True) -> int:
    """One full run through Dagster in this process, then (unless `packs` is false) the agency packs; the
    published file changes only on success. Prints the stages and a summary (tools/console.py), the summary
    before the packs start; the full log goes to PROASN_HOME/logs."""
    settings = get_settings(tanggal_acuan)
    prepare(settings)
    out = RunConsole(log_path(settings.home, "refresh"), verbosity)
    try:
        return _refresh(settings, out, packs)
    finally:
        out.close()


def _refresh(settings, out: RunConsole, packs: bool) -> int:
    from assets.definitions import packs_job_def, refresh_job_def, refresh_run_config
    from assets.resources import dagster_instance
    from assets.sensors import PACKS_TAG, REFRESH_RUN_TAG, TRIGGER_TAG

    out.say(f"ProASN refresh: landing {settings.landing}, tanggal_acuan {settings.tanggal_acuan}")
    notes = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DevelopmentKeyWarning)
        warn_if_development_key(settings)
    if caught:  # the full text in the log; one line here
        out.log(str(caught[0].message))
        notes.append("PROASN_PSEUDONYM_KEY is not set: asn_key uses the public development key (fine for demo "
                     "data; set the variable before loading real data).")  # fmt: skip
    published_before = published_link(settings.published_dir)
    started = time.monotonic()
    tags = {TRIGGER_TAG: "cli", PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}
    if not packs:
        tags[PACKS_TAG] = "job"  # the paket_setelah_refresh sensor starts the packs' job
    console_logger = {"console": out.logger_def()}
    try:
        instance = dagster_instance()
        for run_id in recover_abandoned_runs(instance):
            out.say(f"Run {run_id} was killed before it ended: marked failed, its warehouse pool slot freed.")
        with out.capture():
            result = refresh_job_def().with_logger_defs(console_logger).execute_in_process(
                run_config={**refresh_run_config(settings.tanggal_acuan), **CONSOLE_LOGGER_CONFIG},
                instance=instance, raise_on_error=False, tags=tags,
            )  # fmt: skip
        out.end_checks()
    except Exception as error:  # outside any step: Dagster's own storage (a full disk), the instance
        cause = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
        out.always(f"Refresh FAILED outside its steps ({cause[:300]}); {_published_outcome(settings, published_before)}"
                   f" Full log: {out.log_file}", error=True)  # fmt: skip
        return 1
    if not result.success:
        _print_actions(out, settings, notes)
        _print_failures(out)
        failed = [e.step_key for e in result.all_events if e.is_step_failure]
        out.always(f"Refresh FAILED (run {result.run_id}) at {', '.join(failed) or 'an unknown step'}; "
                   f"{_published_outcome(settings, published_before)} Full log: {out.log_file}", error=True)  # fmt: skip
        return 1
    # Published: say so before the agency packs, which follow as the paket_setelah_refresh sensor starts them
    # in the UI; whatever happens to them, the published warehouse is in place.
    _print_actions(out, settings, notes)
    _print_summary(out, settings, result.run_id, time.monotonic() - started)
    if not packs:
        out.say("  Agency packs: not written (--no-packs); the Dagster job paket_instansi writes them "
                "(proasn ui, or the next refresh without --no-packs).")  # fmt: skip
        out.always(f"  Full log: {out.log_file}")
        return 0
    out.say(f"Writing the agency packs under {settings.exports_dir} (only those whose content changed); "
            "analysts can already query the published warehouse.")  # fmt: skip
    with out.capture():
        run = packs_job_def().with_logger_defs(console_logger).execute_in_process(
            run_config={**refresh_run_config(settings.tanggal_acuan), **CONSOLE_LOGGER_CONFIG},
            instance=instance, raise_on_error=False, tags={**tags, REFRESH_RUN_TAG: result.run_id},
        )  # fmt: skip
    if not run.success:
        _print_failures(out)
        out.always(f"Agency packs FAILED (run {run.run_id}); the published warehouse is up to date. "
                   f"Full log: {out.log_file}", error=True)  # fmt: skip
        return 1
    written = out.facts.materializations.get("exports/paket_instansi", {})
    out.say(f"  Agency packs (restricted, owner-only): {settings.exports_dir} "
            f"({written.get('packs_rewritten', 0):,} written)")  # fmt: skip
    out.always(f"  Full log: {out.log_file}")
    return 0


def _print_actions(out: RunConsole, settings, notes: list[str]) -> None:
    """The warnings that need someone to act, even with --quiet: files an agency must send again, agencies
    whose data is stale, and whatever a step logged as a warning."""
    facts = out.facts
    lines = list(notes)
    ingest_lines = [text for step, text in facts.warnings if step == "ingest"]
    not_loaded = [text for text in ingest_lines if not text.startswith("... and ")]
    count = len(not_loaded) + sum(
        int(m.group(1)) for t in ingest_lines if (m := re.match(r"\.\.\. and (\d+)", t))
    )
    if not_loaded:
        shown = 5
        lines.append(f"{count} files were not loaded; the agencies must correct and resend them "
                     "(reasons and fixes: `proasn check <folder>`, ingest.ledger, the agency packs):")  # fmt: skip
        lines += [f"  {text}" for text in not_loaded[:shown]]
        if count > shown:
            lines.append(f"  ... and {count - shown} more (the full log, ingest.ledger)")
    for check in facts.checks:
        if not check.passed and check.severity.value != "ERROR":
            lines.append(f"Check {check.check_name} on {check.asset_key.to_user_string()} warns: "
                         f"{_check_description(check) or 'see its metadata in the UI'}")  # fmt: skip
    access = facts.materializations.get("published/proasn_duckdb", {}).get("mikro_access")
    for step, text in facts.warnings:
        if step != "ingest" and text != access:
            lines.append(f"Warning ({step or 'run'}): {text}")
    if lines:
        out.always("Needs action:")
        for line in lines:
            out.always(f"  {line}")


def _check_description(check) -> str:
    """What a check found (its result's description) or else what it checks (its definition's)."""
    if check.description:
        return check.description
    from assets.definitions import defs

    for assets_def in defs.resolve_asset_graph().assets_defs:
        for spec in assets_def.check_specs:
            if spec.key.name == check.check_name and spec.key.asset_key == check.asset_key:
                return spec.description or ""
    return ""


def _print_failures(out: RunConsole) -> None:
    """What failed and why: each failed step's error, and each blocking check that failed."""
    for step, cause in out.facts.failures:
        out.always(f"  failed step {step}: {cause[:400]}", error=True)
    for check in out.facts.checks:
        if not check.passed and check.severity.value == "ERROR":
            described = _check_description(check)
            out.always(f"  failed check {check.check_name} on {check.asset_key.to_user_string()}"
                       f"{': ' + described if described else ''}", error=True)  # fmt: skip


def _print_summary(out: RunConsole, settings, run_id: str, seconds: float) -> None:
    """Rows loaded and quarantined, agencies rebuilt, what was published and where to look."""
    facts = out.facts
    ledger = facts.materializations.get("ingest/ledger", {})
    published = facts.materializations.get("published/proasn_duckdb", {})
    out.always(f"Refresh succeeded in {seconds_text(seconds)} (run {run_id}).")
    if ledger:
        out.say(f"  Rows: {ledger['rows_loaded_this_run']:,} loaded, {ledger['rows_quarantined_this_run']:,} "
                f"quarantined, from {ledger['files_this_run']:,} new files; agencies rebuilt: "
                f"{facts.rebuilt or 'none'}.")  # fmt: skip
    out.say(f"  Published aggregates: {settings.published_path} (and {settings.parquet_dir}/)")
    out.say(
        '    query them: proasn sql "select * from mart_indikator_wilayah" (BI tools and pandas: '
        "docs/analysts-guide.md)"
    )
    if published:
        out.say(
            f"  Microdata (person level, coarsened): {settings.mikro_path}; {published.get('mikro_access', '')}"
        )
        out.say('    query it (owner and PROASN_ANALYST_GROUP only): proasn sql --mikro "select ..."')
        for table, summary in (published.get("mikro_pengaburan") or {}).items():
            out.say(f"    {table}: k = {summary['k']}, {summary['baris']} records, {summary['baris_semua_kosong']} "
                    "with every quasi-identifier blank")  # fmt: skip
            rows = [(name, c["digeneralisasi"], c["dikosongkan"]) for name, c in summary["atribut"].items()]
            for line in _table_lines(["attribute", "generalised", "blanked"], rows, indent="      "):
                out.log(line)
    out.say(
        f"  Reports: {settings.reports_dir / 'index.html'}; runs and ledger: proasn status; the UI: proasn ui"
    )


def _published_outcome(settings, before: str | None) -> str:
    if published_link(settings.published_dir) == before:
        return "the published warehouse is unchanged (the previous snapshot, DuckDB file and Parquet alike)."
    return "the publish step had already succeeded: the published warehouse holds this run's snapshot."


PID_TAG = "proasn/pid"
HOST_TAG = "proasn/host"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover_abandoned_runs(instance) -> list[str]:
    """Runs of `proasn refresh` on this machine still marked STARTED although their process is gone (killed,
    machine crash): mark them failed and free the warehouse pool slot they hold, or every later run would
    wait for it forever. The warehouse itself needs nothing: each step writes in transactions."""
    import dagster as dg

    records = instance.get_run_records(
        filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED], tags={HOST_TAG: socket.gethostname()})
    )
    recovered = []
    for record in records:
        run = record.dagster_run
        pid = int(run.tags.get(PID_TAG, "0") or 0)
        if pid and not _alive(pid):
            instance.report_run_failed(run, message=f"process {pid} ended without finishing the run")
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
            recovered.append(run.run_id)
    return recovered


def _table_lines(columns: list[str], rows: list[tuple], indent: str = "") -> list[str]:
    cells = [[("NULL" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = [indent + "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines.append(indent + "  ".join("-" * w for w in widths))
    lines += [indent + "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    lines.append(f"{indent}({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return lines


def _print_table(columns: list[str], rows: list[tuple], indent: str = "") -> None:
    for line in _table_lines(columns, rows, indent):
        print(line)


def _run_query(con: duckdb.DuckDBPyConnection, query: str, as_csv: bool) -> None:
    cursor = con.execute(query)
    if cursor.description is None:
        cursor.fetchall()
        return
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    if as_csv:  # text a spreadsheet would run as a formula is written with a leading '
        writer = csv.writer(sys.stdout)
        writer.writerow([escape_cell(c) for c in columns])
        writer.writerows([escape_cell(v) for v in row] for row in rows)
    else:
        _print_table(columns, rows)


def _nothing_published(settings, path: Path, what: str) -> str:
    """Why there is nothing to read, with where the home came from: a wrong home is not fixed by a refresh."""
    where = home_search_text(settings)
    if not settings.home.is_dir():
        return (f"No ProASN home at {settings.home} ({where}). Name the home that holds published/ with "
                "`proasn --home DIR`, PROASN_HOME or a proasn.toml (README: Settings).")  # fmt: skip
    if not settings.warehouse_path.exists() and not settings.published_dir.exists():
        return (f"{settings.home} ({where}) holds no warehouse and nothing published: if the data is "
                "elsewhere, name that home (`proasn --home DIR` or PROASN_HOME); if this is the home, "
                "`proasn refresh` builds and publishes it.")  # fmt: skip
    return f"No {what} at {path} ({where}): no refresh has published in this home yet (`proasn refresh`)."


def sql(query: str | None, as_csv: bool = False, mikro: bool = False) -> int:
    """Read-only queries on the published aggregates, or with `mikro` on the microdata file."""
    settings = get_settings()
    path = settings.mikro_path if mikro else settings.published_path
    what = "microdata file" if mikro else "published warehouse"
    try:
        exists = path.exists()
    except PermissionError:  # the microdata folder, not ours to enter
        exists = True
    if not exists:
        print(_nothing_published(settings, path, what), file=sys.stderr)
        return 1
    if not os.access(path, os.R_OK):
        print(f"The {what} {path} is not readable by this user: it is for its owner and the group named by "
              "PROASN_ANALYST_GROUP (ask the data team).", file=sys.stderr)  # fmt: skip
        return 1
    con = duckdb.connect(str(path), read_only=True)
    try:
        if query:
            _run_query(con, query, as_csv)
            return 0
        print(f"ProASN {what} {path} (read-only). End a query with ';'. "
              "`.tables` lists tables; Ctrl-D quits.")  # fmt: skip
        buffer = []
        while True:
            try:
                line = input("proasn> " if not buffer else "   ...> ")
            except EOFError:
                print()
                return 0
            if not buffer and line.strip() == ".tables":
                line = "show tables;"
            buffer.append(line)
            if line.rstrip().endswith(";"):
                try:
                    _run_query(con, "\n".join(buffer), as_csv)
                except duckdb.Error as exc:
                    print(f"Error: {exc}", file=sys.stderr)
                buffer = []
    except duckdb.Error as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    finally:
        con.close()


def ui() -> int:
    """The Dagster webserver and daemon on 127.0.0.1:3000, so schedules and sensors run."""
    settings = get_settings()
    prepare(settings)
    dagster = Path(sys.executable).parent / "dagster"
    command = [
        str(dagster),
        "dev",
        "-w",
        str(PROJECT_ROOT / "workspace.yaml"),
        "-h",
        "127.0.0.1",
        "-p",
        "3000",
    ]
    print(
        f"Dagster UI on http://127.0.0.1:3000 (DAGSTER_HOME={os.environ['DAGSTER_HOME']}); Ctrl-C stops it."
    )
    sys.stdout.flush()
    os.chdir(PROJECT_ROOT)
    os.execv(command[0], command)  # `dagster dev` takes this process over: signals reach it directly


def status() -> int:
    """Last runs, each agency's current submissions, ledger totals, the published snapshot's time."""
    settings = get_settings()
    export_environment(settings)
    from assets.resources import dagster_instance

    instance = dagster_instance()
    print(f"Home: {settings.home} ({home_search_text(settings)})")
    print("Last runs:")
    records = instance.get_run_records(limit=5)
    for record in records:
        run = record.dagster_run
        ended = (
            dt.datetime.fromtimestamp(record.end_time).isoformat(timespec="seconds")
            if record.end_time
            else "-"
        )
        print(f"  {run.run_id[:8]}  {run.status.value:<10} {run.job_name:<24} ended {ended}")
    if not records:
        print("  (none)")
    if settings.warehouse_path.exists():
        try:
            con = duckdb.connect(str(settings.warehouse_path), read_only=True)
        except duckdb.Error:
            print("Working warehouse: busy (a refresh is writing it); try again when it ends.")
        else:
            with con:
                _print_ledger_status(con)
    else:
        print("Working warehouse: not created yet (run `proasn refresh`).")
    if settings.published_path.exists():
        stamp = dt.datetime.fromtimestamp(settings.published_path.stat().st_mtime).isoformat(
            timespec="seconds"
        )
        print(f"Published snapshot: {settings.published_path} (written {stamp})")
        print(f"Microdata file: {settings.mikro_path} ({_microdata_readers(settings.mikro_path)})")
    else:
        print("Published snapshot: none yet.")
    return 0


def _microdata_readers(path: Path) -> str:
    """Who may read the microdata file, from its mode and group."""
    import grp
    import stat

    try:
        info = path.stat()
    except PermissionError:
        return "not readable by this user"
    except FileNotFoundError:
        return "missing"
    if stat.S_IMODE(info.st_mode) & stat.S_IRGRP:
        try:
            group = grp.getgrgid(info.st_gid).gr_name
        except KeyError:
            group = str(info.st_gid)
        return f"readable by its owner and the group {group}"
    return "readable by its owner only"


def _print_ledger_status(con: duckdb.DuckDBPyConnection) -> None:
    has_ledger = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'ingest' and table_name = 'ledger'"
    ).fetchall()[0][0]
    if not has_ledger:
        print("Ingest ledger: empty.")
        return
    files, read, loaded, quarantined, rejected = con.execute(
        """select count(*), coalesce(sum(baris_dibaca), 0), coalesce(sum(baris_dimuat), 0),
                  coalesce(sum(baris_karantina), 0), count(*) filter (status = 'DITOLAK')
           from ingest.ledger"""
    ).fetchall()[0]
    print(f"Ingest ledger: {files} files ({rejected} rejected); rows read {read}, loaded {loaded}, "
          f"quarantined {quarantined}.")  # fmt: skip
    rows = con.execute(
        """select kode_instansi, max(tanggal_ekstrak), count(distinct entity), sum(baris_dimuat),
                  sum(baris_karantina)
           from ingest.ledger where status = 'DIMUAT' group by 1 order by 1"""
    ).fetchall()
    print(f"Agencies with loaded submissions: {len(rows)}")
    shown = rows[:20]
    if shown:
        _print_table(
            ["kode_instansi", "newest_extract", "entities", "rows_loaded", "rows_quarantined"], shown
        )
    if len(rows) > len(shown):
        print(f"  ... and {len(rows) - len(shown)} more (proasn sql on mart_kualitas_data for all)")


def _shown_value(value: str, limit: int = 80) -> str:
    """A value as written, quoted, escaped (control characters never reach the terminal) and shortened."""
    if len(value) <= limit:
        return repr(value)
    length = f"{len(value):_}".replace("_", ".")  # Indonesian thousands separator
    return f"{value[:limit]!r}... ({length} karakter)"


def check(path: Path, as_json: bool = False, first_n: int = 10) -> int:
    """Validate submissions against the contract in a scratch in-memory database; loads nothing.

    Exit 0 when every file and row is acceptable, 1 otherwise, 2 on usage errors. The human report is
    grouped per file: per reason code its message, the fix, how many rows and the first `first_n` lines.
    """
    from pipelines.ingest import check_submissions

    def print_reason(reason: dict, rows: bool, label: str = "Masalah") -> None:
        count = f": {reason['jumlah']} baris" if rows else ""
        print(f"  {label} [{reason['kode']}]{count}. {reason['pesan']}")
        print(f"    Perbaikan: {reason['perbaikan']}")
        for example in reason["contoh"]:
            if example["baris"] is None:
                if example["nilai"]:
                    print(f"    Rincian: {example['nilai']}")
                continue
            if not example["kolom"]:  # a reason about the whole row
                print(f"    - baris {example['baris']}")
                continue
            value = "(kosong)" if example["nilai"] is None else _shown_value(example["nilai"])
            print(f"    - baris {example['baris']}, kolom {example['kolom']}: {value}")
        if rows and reason["jumlah"] > len(reason["contoh"]):
            print(
                f"    ... dan {reason['jumlah'] - len(reason['contoh'])} baris lainnya (--json untuk semuanya)"
            )

    if not path.exists():
        print(f"Berkas atau folder tidak ditemukan: {path}", file=sys.stderr)
        return 2
    report = check_submissions(path, first_n=first_n)
    if as_json:
        print(json.dumps(report, indent=2, ensure_ascii=False, default=str))
        return 0 if report["acceptable"] else 1
    print(f"Pemeriksaan kontrak ekstrak: {report['path']}")
    for item in report["files"]:
        print()
        if item["status"] == "DIMUAT":
            verdict = "SIAP DIKIRIM" if item["dapat_diterima"] else "ADA BARIS BERMASALAH"
            print(f"{item['file_path']}: {verdict} ({item['baris_dibaca']} baris dibaca, "
                  f"{item['baris_dimuat']} dapat dimuat, {item['baris_karantina']} akan dikarantina)")  # fmt: skip
        else:
            print(f"{item['file_path']}: {item['status']}")
        for reason in item["alasan"]:
            print_reason(reason, rows=item["status"] == "DIMUAT")
        for reason in item["peringatan"]:
            print_reason(reason, rows=True, label="Peringatan")
        if item["kolom_tambahan"]:
            print(f"  Catatan: kolom tambahan diabaikan: {', '.join(item['kolom_tambahan'])}.")
        for note in item["catatan"]:
            print(f"  Catatan: {note}")
    total, ok = len(report["files"]), report["ok"]
    print()
    print(
        f"{total} berkas diperiksa: {ok} siap dikirim, {total - ok} perlu diperbaiki. Tidak ada data yang dimuat."
    )
    return 0 if report["acceptable"] else 1
