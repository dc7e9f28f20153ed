"""Benchmark: generate scale S, run the full refresh, print the figures the performance targets need.

    python -m tools.benchmark --scale 0.1        (make benchmark; BENCH_SCALE=1.0 for the nation)

Prints rows per entity, wall time per stage (ingest, dbt, checks, publish), peak memory, file sizes, the
floor (DuckDB reading every value of every extract file once, on every core as the ingest reads them, measured
in the same run after a warm-up read; also one file per statement on one core, the earlier series' floor), the
load bound (reading every file and writing its cells into a DuckDB file, no check; once as text, once cast
to the contract's types), one-agency
resubmission refreshes (the biggest agency twice, then the median one), and the analyst queries of
docs/analysts-guide.md on the published files. Ratios are what to compare across machines: these machines are noisy.
Each run (refresh, packs, compaction) runs in a new process, as `proasn refresh` and the Dagster daemon run
it; the figures are the run's, without the process's start.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from pipelines.contract import ENTITIES
from pipelines.reading import normalise_header
from tools.console import STAGES, log_path, seconds_text, stage_of

# The analyst questions of docs/analysts-guide.md, timed on the published files (target: each under 1 s at scale
# 1.0): the aggregates file, then the microdata file.
ANALYST_QUERIES = {
    "talent map of a province": """
        select jenis_jabatan, kotak_talenta, jumlah, persen, ditekan from mart_peta_talenta
        where level = 'PROVINSI' and kode_provinsi = '33' order by jenis_jabatan, kotak_talenta""",
    "agencies with low profiling coverage": """
        select kode_instansi, nama_instansi, jumlah_asn, cakupan_profil_persen from mart_indikator_instansi
        order by cakupan_profil_persen nulls first limit 20""",
    "retirement wave by year": """
        select tahun, sum(jumlah_pensiun) as jumlah_pensiun from mart_proyeksi_pensiun
        group by tahun order by tahun""",
}
MIKRO_QUERIES = {
    "readiness by jenis_jabatan (microdata)": """
        select jenis_jabatan, kategori_kesiapan, count(*) from mart_talenta_asn group by all order by all""",
}


class Progress:
    """The benchmark's console: a line per phase with its time (a spinner meanwhile, on a terminal)."""

    def __init__(self, home: Path, verbose: bool, quiet: bool):
        from rich.console import Console

        self.console = Console(file=sys.stdout, highlight=False, soft_wrap=True)
        self.quiet = quiet
        self.log_file = None if verbose or not home.exists() else log_path(home, "benchmark")

    def say(self, text: str) -> None:
        if not self.quiet:
            self.console.print(text, markup=False)

    def done(self, label: str, seconds: float, ok: bool = True) -> None:
        self.say(f"  {label:<40} {'done' if ok else 'FAILED':<6} {seconds_text(seconds):>10}")

    @contextmanager
    def phase(self, label: str) -> Iterator[None]:
        start = time.perf_counter()
        if self.quiet or not self.console.is_terminal:
            yield
        else:
            with self.console.status(f"{label} ..."):
                yield
        self.done(label, time.perf_counter() - start)

    def run(self, label: str, function, *args, **kwargs) -> dict:
        with self.phase(label):
            result = function(*args, **kwargs)
        if not result["success"]:
            self.say(f"    {label} FAILED: {result.get('error', 'see the full log')}")
        return result


def _mib(n_bytes: float) -> str:
    return f"{n_bytes / 2**20:,.1f} MiB"


def peak_rss_bytes() -> tuple[int, int]:
    """Peak resident memory of this process and of its largest finished child (dbt), in bytes. A child's figure is
    at least this process's size when it was started (ru_maxrss keeps it across fork and exec): the pack workers'
    own peak comes from the pack asset instead."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return own, children


# The dialect is given, not sniffed, as in the ingest; `columns` and `delim` are the statement's parameters.
READ_OPTIONS = """header = true, auto_detect = false, columns = ?, delim = ?, quote = '"', escape = '"',
                  strict_mode = false, null_padding = true, ignore_errors = true, parallel = false"""


def _csv_dialect(header_line: bytes) -> tuple[str, int]:
    """The delimiter of a CSV, from its header line as the ingest finds it, and the number of its columns:
    one more than the header names, for rows with more values."""
    delimiter = ";" if header_line.count(b";") > header_line.count(b",") else ","
    return delimiter, header_line.count(delimiter.encode()) + 2


def _text_columns(width: int) -> dict[str, str]:
    return {f"c{i}": "VARCHAR" for i in range(width)}


def csv_layouts(landing: Path, by_header: bool = False) -> dict[tuple, list[str]]:
    """Every CSV extract, grouped as the ingest reads them: by entity (the file name), delimiter and width.
    `by_header` groups by the header's names too (normalised as the ingest matches them), so that each
    column of a group holds one contract column."""
    layouts: dict[tuple, list[str]] = {}
    for path in sorted(landing.rglob("*.csv")):
        with open(path, "rb") as f:
            header_line = f.readline()
        delimiter, width = _csv_dialect(header_line)
        key = (path.stem, delimiter, width)
        if by_header:
            names = header_line.decode("utf-8", errors="replace").rstrip("\r\n").split(delimiter)
            key += (tuple(normalise_header(name) for name in names),)
        layouts.setdefault(key, []).append(str(path))
    return layouts


# How the typed load bound stores a value of each contract kind: dates and integers as the staging models
# type them, decimals wide enough for every decimal column; text for the rest. A plain cast of the canonical
# spelling: the least a typed loader does, no rule checked.
STORED_TYPES = {"date": "date", "integer": "integer", "decimal": "decimal(9, 2)"}


def _typed_select(entity: str, names: tuple[str, ...]) -> str:
    kinds = {column.name: column.kind for column in ENTITIES[entity].columns} if entity in ENTITIES else {}
    casts = [
        f"try_cast(c{i} as {STORED_TYPES[kinds[name]]})" if kinds.get(name) in STORED_TYPES else f"c{i}"
        for i, name in enumerate(names)
    ]
    return ", ".join([*casts, f"c{len(names)}"])  # and the column for values beyond the header


def floor_seconds(landing: Path, per_file: bool = False) -> tuple[float, int]:
    """The time DuckDB takes to read every CSV extract once (every value, as text), and the rows read.

    One read_csv per entity and header layout over all its files, as the ingest reads them: DuckDB reads
    different files on different cores (parallel = false only keeps one file on one thread: its parallel
    reader refuses quoted line breaks with null_padding). `per_file` reads one file per statement, on one core,
    as the series up to 2026-12-04 measured the floor: 2.6-3.5x slower at scale 1.0, and mostly statement
    overhead at 0.1. Every value is parsed and touched (the sum of their byte lengths): a bare count(*) lets
    DuckDB skip building the values, which no loader can do. The dialect is given, not sniffed (DuckDB's sniffer
    gives up on some valid extracts): the delimiter from the header line, as the ingest does, `"` quoting.
    """
    reads = [(delimiter, width, files) for (_, delimiter, width), files in csv_layouts(landing).items()]
    if per_file:
        reads = [(delimiter, width, [path]) for delimiter, width, files in reads for path in files]
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    start = time.perf_counter()
    rows = 0
    for delimiter, width, files in reads:
        columns = _text_columns(width)
        touched = " + ".join(f"coalesce(sum(strlen({c})), 0)" for c in columns)
        rows += con.execute(
            f"select count(*), {touched} from read_csv(?, {READ_OPTIONS})", [files, columns, delimiter]
        ).fetchall()[0][0]
    return time.perf_counter() - start, rows


def load_bound_seconds(landing: Path, scratch: Path, typed: bool = False) -> tuple[float, int]:
    """The least any loader of these extracts does, and the rows it wrote: read every CSV and write its cells,
    as text, into a DuckDB file, with no check at all. One read_csv per entity and header layout, as the floor
    and the ingest read them. A full refresh does this and then checks every cell and builds the marts; the
    ratio to this bound says what those cost. The scratch database is removed afterwards.

    `typed` casts every value of a date, integer or decimal column to its type before writing it (a value
    that does not parse becomes NULL): what a loader that keeps typed values rather than text does at least."""
    layouts = csv_layouts(landing, by_header=typed)
    scratch.mkdir(parents=True, exist_ok=True)
    database = scratch / "load-bound.duckdb"
    config = {"memory_limit": "8GB", "temp_directory": str(scratch / "duckdb_tmp")}
    try:
        with duckdb.connect(str(database), config=config) as con:
            con.execute("set enable_progress_bar = false")
            # DuckDB 2.0 moves a TRY_CAST over read_csv into the reader, whose ignore_errors then drops the
            # row instead of giving NULL (duckdb#23818): the casts stay in the projection, as in a correct loader.
            con.execute("set disabled_optimizers = 'type_pushdown'")
            start = time.perf_counter()
            for i, ((entity, delimiter, width, *names), files) in enumerate(layouts.items()):
                select = _typed_select(entity, names[0]) if typed else "*"
                con.execute(
                    f"create table layout_{i} as select {select} from read_csv(?, {READ_OPTIONS})",
                    [files, _text_columns(width), delimiter],
                )
            con.execute("checkpoint")
            seconds = time.perf_counter() - start
            rows = sum(
                con.execute(f"select count(*) from layout_{i}").fetchone()[0] for i in range(len(layouts))
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return seconds, rows


def refresh_job_multiprocess():
    """The refresh job with Dagster's multiprocess executor (a process per step), as every job ran until
    2026-12-07: for the launched-run figure only (`--launch multiprocess`)."""
    import dagster as dg

    from assets.definitions import refresh_job_def

    return refresh_job_def().with_executor_def(dg.multiprocess_executor)


def run_job_here(tanggal_acuan: dt.date, job: str = "refresh", launch: str = "") -> dict:
    """One run of the refresh job (or of the pack or the compaction job) in this process; wall time per
    stage from the run's step events, and this process's peak memory and its largest child's (dbt).

    `launch`: run it as a run the UI or the daemon launches does once its run worker has loaded the code
    (dagster.execute_job, the job's own executor: "in_process", the jobs' executor now) or with a process per
    step ("multiprocess", the executor before); otherwise as `proasn refresh` does (execute_in_process)."""
    import dagster as dg

    from assets.definitions import compaction_job_def, packs_job_def, refresh_job_def, refresh_run_config
    from assets.exports import EXPORTS_KEY

    job_def = {"packs": packs_job_def, "compaction": compaction_job_def}.get(job, refresh_job_def)()
    start = time.perf_counter()
    with dg.DagsterInstance.get() as instance:
        if launch:
            target = refresh_job_multiprocess if launch == "multiprocess" else refresh_job_def
            result = dg.execute_job(
                dg.reconstructable(target), instance=instance, run_config=refresh_run_config(tanggal_acuan)
            )
        else:
            result = job_def.execute_in_process(
                run_config=refresh_run_config(tanggal_acuan), instance=instance, raise_on_error=False
            )
        wall = time.perf_counter() - start
        stages: dict[str, float] = {}
        started: dict[str, float] = {}
        for record in instance.all_logs(result.run_id):
            event = record.dagster_event
            if event is None or not event.step_key:
                continue
            if event.is_step_start:
                started[event.step_key] = record.timestamp
            elif (event.is_step_success or event.is_step_failure) and event.step_key in started:
                stage = stage_of(event.step_key)
                stages[stage] = stages.get(stage, 0.0) + record.timestamp - started[event.step_key]
        worker = 0
        if (
            job == "packs"
        ):  # the pack workers' own peak, as the pack asset measured it (see peak_memory_bytes)
            event = instance.get_latest_materialization_event(EXPORTS_KEY)
            if event is not None and event.run_id == result.run_id:
                worker = int(event.asset_materialization.metadata["largest_worker_peak_bytes"].value)
    own, child = peak_rss_bytes()
    return {"success": result.success, "wall_seconds": wall, "stages": stages, "peak_rss_self_bytes": own,
            "peak_rss_child_bytes": child, "peak_rss_worker_bytes": worker}  # fmt: skip


LOG: Path | None = None  # the benchmark's full log: every run's Dagster events and dbt lines (main sets it)


def run_refresh(tanggal_acuan: dt.date, job: str = "refresh", launch: str = "") -> dict:
    """One run in a process of its own, as `proasn refresh` and the Dagster daemon run it: a run never
    shares a process with earlier runs, and in one long process the one-agency refresh after the full one
    paid for what the full one left behind. `wall_seconds` is the run itself, as before (the process's
    imports and start are `process_seconds` minus it)."""
    with tempfile.TemporaryDirectory(prefix="proasn-bench-run-") as folder:
        result_path = Path(folder) / "run.json"
        start = time.perf_counter()
        command = [sys.executable, "-m", "tools.benchmark", "--run-job", job,
                   "--tanggal-acuan", tanggal_acuan.isoformat(), "--result-file", str(result_path)]  # fmt: skip
        if launch:
            command += ["--launch", launch]
        with open(LOG or os.devnull, "a", encoding="utf-8") as log:
            completed = subprocess.run(command, check=False, stdout=log, stderr=subprocess.STDOUT)
        process = time.perf_counter() - start
        if not result_path.exists():  # the process died before the run ended
            return {"success": False, "wall_seconds": process, "stages": {}, "process_seconds": process,
                    "peak_rss_self_bytes": 0, "peak_rss_child_bytes": 0,
                    "error": f"exit code {completed.returncode}"}  # fmt: skip
        return json.loads(result_path.read_text()) | {"process_seconds": process}


def spark_refresh(home: Path, landing: Path, tanggal_acuan: dt.date) -> dict:
    """The full refresh of the same landing tree on the Spark engine (PROASN_ENGINE=spark), in a home of its own
    under `home`, its run in a process of its own as run_refresh's."""
    from pipelines.settings import get_settings
    from tools.commands import prepare

    spark_home = home / "spark-engine"
    shutil.rmtree(spark_home, ignore_errors=True)
    saved = dict(os.environ)
    os.environ.update({"PROASN_HOME": str(spark_home), "PROASN_LANDING": str(landing), "PROASN_ENGINE": "spark",
                       "DAGSTER_HOME": str(spark_home / "dagster")})  # fmt: skip
    try:
        prepare(get_settings(tanggal_acuan))
        return run_refresh(tanggal_acuan)
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextmanager
def resubmitted_agency(landing: Path, median: bool = False, header=str.upper) -> Iterator[Path]:
    """A new submission folder (new bytes, same content) for the agency with the most people (the largest
    pegawai file), or for the agency in the middle by that size; removed afterwards, so that the generated
    landing stays as generated for the next benchmark. `header` respells the header line: header names are
    matched case-insensitively, so another spelling gives new bytes and the same rows."""
    files = sorted(landing.glob("*/*/pegawai.csv"), key=lambda p: p.stat().st_size)
    pegawai = files[len(files) // 2] if median else files[-1]
    newest = max(p.name for p in pegawai.parent.parent.iterdir())
    date = min(dt.date.fromisoformat(newest) + dt.timedelta(days=1), dt.date.today())
    target = pegawai.parent.parent / date.isoformat()
    target.mkdir(exist_ok=True)
    lines = pegawai.read_text(encoding="utf-8-sig", errors="replace").splitlines(keepends=True)
    (target / "pegawai.csv").write_text(header(lines[0]) + "".join(lines[1:]), encoding="utf-8")
    try:
        yield target
    finally:
        shutil.rmtree(target, ignore_errors=True)  # a nested resubmission of the same day removed it already


def rebuilt_agencies(warehouse: Path) -> list[str]:
    """What the last refresh rebuilt in the per-agency models (stg_instansi_terdampak)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select coalesce(kode_instansi, 'all') || ' ' || alasan from staging.stg_instansi_terdampak order by 1"
        ).fetchall()
    return [row[0] for row in rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.benchmark", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--home", type=Path, help="PROASN_HOME for the run (default /tmp/proasn-bench-<scale>)"
    )
    parser.add_argument("--tanggal-acuan", default="2026-11-01")
    parser.add_argument(
        "--no-packs",
        action="store_true",
        help="skip the agency pack runs (slow at scale 1.0, not part of the refresh)",
    )
    parser.add_argument(
        "--spark",
        action="store_true",
        help="also refresh the same data on the Spark engine (docs/spark-engine.md; needs Java and the Spark extra)",
    )
    # Internal: one run in this process (run_refresh starts it), its figures written as JSON.
    parser.add_argument("--run-job", choices=("refresh", "packs", "compaction"), help=argparse.SUPPRESS)
    parser.add_argument("--result-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--launch", choices=("in_process", "multiprocess"), help=argparse.SUPPRESS)
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("-v", "--verbose", action="store_true", help="every run's log on the console too")
    verbosity.add_argument("-q", "--quiet", action="store_true", help="the report only")
    args = parser.parse_args(argv)
    if args.run_job:
        figures = run_job_here(dt.date.fromisoformat(args.tanggal_acuan), args.run_job, args.launch or "")
        args.result_file.write_text(json.dumps(figures))
        return 0 if figures["success"] else 1

    home = (args.home or Path(f"/tmp/proasn-bench-{args.scale:g}")).resolve()
    landing = home / "landing"
    stamp = home / "generated.json"
    params = {"scale": args.scale, "seed": args.seed, "format": "csv"}
    os.environ.update(
        {
            "PROASN_HOME": str(home),
            "DAGSTER_HOME": str(home / "dagster"),
            "PROASN_PSEUDONYM_KEY": os.environ.get("PROASN_PSEUDONYM_KEY", "benchmark-key"),
        }
    )
    os.environ.pop("PROASN_LANDING", None)
    figures: dict = {"scale": args.scale, "seed": args.seed}
    global LOG
    progress = Progress(home, verbose=args.verbose, quiet=args.quiet)
    LOG = None if args.verbose else progress.log_file

    if not (stamp.exists() and json.loads(stamp.read_text()) == params):
        shutil.rmtree(home, ignore_errors=True)
        from tools.generate import generate

        start = time.perf_counter()
        home.mkdir(parents=True, exist_ok=True)
        progress.log_file = LOG = None if args.verbose else log_path(home, "benchmark")
        generate(landing, scale=args.scale, seed=args.seed, file_format="csv", defect_rate=0.01,
                 quiet=not args.verbose, progress=not args.quiet)  # fmt: skip
        figures["generate_seconds"] = time.perf_counter() - start
        progress.done("generate", figures["generate_seconds"])
        stamp.write_text(json.dumps(params))
    else:
        progress.say(f"Reusing generated data in {landing}")
    for state in ("warehouse", "published", "dagster", "reports", "exports"):
        shutil.rmtree(home / state, ignore_errors=True)  # every run starts from an empty warehouse

    from pipelines.settings import get_settings
    from tools.commands import prepare

    settings = get_settings(dt.date.fromisoformat(args.tanggal_acuan))
    prepare(settings)

    with progress.phase("floors and load bounds"):
        floor_seconds(landing)  # warm-up: the refresh that follows reads the files from the page cache too
        figures["floor_per_file_seconds"], _ = floor_seconds(landing, per_file=True)
        figures["floor_seconds"], figures["floor_rows"] = floor_seconds(landing)
        figures["load_bound_seconds"], figures["load_bound_rows"] = load_bound_seconds(
            landing, home / "load-bound"
        )
        figures["typed_load_bound_seconds"], figures["typed_load_bound_rows"] = load_bound_seconds(
            landing, home / "load-bound", typed=True
        )
    full = progress.run("full refresh", run_refresh, settings.tanggal_acuan)
    figures["full_refresh"] = full
    if args.spark:
        figures["spark_full_refresh"] = progress.run(
            "full refresh on Spark", spark_refresh, home, landing, settings.tanggal_acuan
        )
    skipped = {"success": True, "wall_seconds": 0.0, "stages": {}, "skipped": True}
    figures["packs"] = (
        skipped
        if args.no_packs
        else progress.run("agency packs", run_refresh, settings.tanggal_acuan, job="packs")
    )
    if (
        not args.no_packs
    ):  # again, every pack rewritten (as each night: a new tanggal_acuan changes every pack)
        for fingerprint in settings.exports_dir.glob("*/.fingerprint"):
            fingerprint.unlink()
    figures["packs_again"] = (
        skipped
        if args.no_packs
        else progress.run("agency packs again", run_refresh, settings.tanggal_acuan, job="packs")
    )
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        figures["rows_per_entity"] = dict(
            con.execute(
                "select entity, sum(baris_dibaca) from ingest.ledger where entity is not null group by 1 order by 1"
            ).fetchall()
        )
    figures["warehouse_bytes"] = settings.warehouse_path.stat().st_size
    figures["published_bytes"] = (
        settings.published_path.stat().st_size if settings.published_path.exists() else 0
    )
    figures["mikro_bytes"] = settings.mikro_path.stat().st_size if settings.mikro_path.exists() else 0

    with resubmitted_agency(landing) as resubmission:
        figures["resubmitted"] = resubmission.relative_to(landing).as_posix()
        figures["one_agency_refresh"] = progress.run(
            "one-agency refresh", run_refresh, settings.tanggal_acuan
        )
        figures["warehouse_bytes_after_one_agency"] = settings.warehouse_path.stat().st_size
        figures["one_agency_rebuilt"] = rebuilt_agencies(settings.warehouse_path)
        figures["one_agency_packs"] = (
            skipped
            if args.no_packs
            else progress.run("one-agency packs", run_refresh, settings.tanggal_acuan, job="packs")
        )
        # The first one ran right after the full refresh, whose reads (the landing, every table) pushed much of
        # the warehouse out of the page cache: it reads from disk what a later refresh finds in memory.
        with resubmitted_agency(landing, header=str.title):
            figures["one_agency_refresh_again"] = progress.run(
                "the same agency again", run_refresh, settings.tanggal_acuan
            )
            figures["one_agency_again_rebuilt"] = rebuilt_agencies(settings.warehouse_path)
    # The biggest agency is the worst case; most agencies are far smaller (the median, for comparison).
    with resubmitted_agency(landing, median=True) as resubmission:
        figures["resubmitted_median"] = resubmission.relative_to(landing).as_posix()
        figures["median_agency_refresh"] = progress.run(
            "median agency refresh", run_refresh, settings.tanggal_acuan
        )
    figures["median_agency_rebuilt"] = rebuilt_agencies(settings.warehouse_path)
    # A refresh with nothing new, as `proasn refresh` runs it and as a run launched from the UI or by the
    # daemon runs once its run worker has loaded the code: with the jobs' executor, and with the process per
    # step of the multiprocess executor they had until 2026-12-07. The same work each time.
    for key, launch in (("noop_refresh_cli", ""), ("noop_refresh_launched", "in_process"),
                        ("noop_refresh_launched_multiprocess", "multiprocess")):  # fmt: skip
        figures[key] = progress.run(f"nothing new, {launch or 'cli'}", run_refresh, settings.tanggal_acuan,
                                    launch=launch)  # fmt: skip
    # The nightly compaction vacuums what the per-agency rebuilds deleted (refreshes skip it: assets/maintenance.py).
    figures["compaction"] = progress.run(
        "nightly compaction", run_refresh, settings.tanggal_acuan, job="compaction"
    )
    # The nightly refresh: the next day is a new tanggal_acuan, so every mart is rebuilt and the movement and
    # transfer marts (R15, R16) compare it with the day before (the only phase where they hold people).
    figures["next_day_refresh"] = progress.run(
        "the next day", run_refresh, settings.tanggal_acuan + dt.timedelta(days=1)
    )
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        figures["warehouse_used_bytes_compaction"] = con.execute(
            "select bita_terpakai_sebelum, bita_terpakai_sesudah from pemeliharaan.riwayat_pemadatan "
            "order by mulai desc limit 1"
        ).fetchone()

    query_seconds = {}
    for path, queries in ((settings.published_path, ANALYST_QUERIES), (settings.mikro_path, MIKRO_QUERIES)):
        if not path.exists():
            continue
        with duckdb.connect(str(path), read_only=True) as con:
            for name, query in queries.items():
                start = time.perf_counter()
                try:
                    con.execute(query).fetchall()
                    query_seconds[name] = time.perf_counter() - start
                except duckdb.Error as exc:  # a mart renamed or not built: report it, keep the figures
                    query_seconds[name] = f"failed: {str(exc).splitlines()[0]}"
    figures["analyst_query_seconds"] = query_seconds
    # Each run's own process and its largest child (dbt); the generation and the floor ran here.
    ran = [r for r in figures.values() if isinstance(r, dict) and "peak_rss_self_bytes" in r]
    figures["peak_rss_self_bytes"] = max([peak_rss_bytes()[0], *(r["peak_rss_self_bytes"] for r in ran)])
    figures["peak_rss_child_bytes"] = max([0, *(r["peak_rss_child_bytes"] for r in ran)])
    (home / "benchmark.json").write_text(json.dumps(figures, indent=2, default=str))
    print_report(figures)
    if LOG is not None:
        print(f"  full log (every run's events and dbt's lines): {LOG}")
    runs = (
        "full_refresh",
        "packs",
        "packs_again",
        "one_agency_refresh",
        "one_agency_packs",
        "one_agency_refresh_again",
        "median_agency_refresh",
        "noop_refresh_cli",
        "noop_refresh_launched",
        "noop_refresh_launched_multiprocess",
        "compaction",
        "next_day_refresh",
        *(["spark_full_refresh"] if "spark_full_refresh" in figures else []),
    )
    return 0 if all(figures[run]["success"] for run in runs) else 1


def _start_seconds(run: dict) -> float:
    """What the run's process took besides the run (Python, Dagster and the definitions starting)."""
    return run["process_seconds"] - run["wall_seconds"]


def _print_one_agency(
    label: str, run: dict, full: dict, rebuilt: list[str], note: str, process_start: bool = False
) -> None:
    """A one-agency refresh: its time and share of the full refresh, its stages, what dbt rebuilt."""
    share = run["wall_seconds"] / full["wall_seconds"]
    print(f"  {label:<28} {run['wall_seconds']:5.1f} s  = {share:.1%} of full {note}")
    for stage, seconds in run["stages"].items():
        print(f"    {stage:<22} {seconds:9.1f} s")
    if process_start:
        print(f"    {'(process start)':<22} {_start_seconds(run):9.1f} s  not counted")
    print(f"    per-agency dbt models rebuilt: {', '.join(rebuilt) or 'none'}")


def _print_launched(f: dict) -> None:
    """A refresh with nothing new from the CLI and launched as the UI and the daemon launch runs."""
    cli = f["noop_refresh_cli"]
    print(
        f"  nothing new, proasn refresh  {cli['wall_seconds']:5.1f} s  (process {cli['process_seconds']:.1f} s)"
    )
    for key, label in (("noop_refresh_launched", "launched (in-process executor)"),
                       ("noop_refresh_launched_multiprocess", "launched (multiprocess, before)")):  # fmt: skip
        run = f[key]
        print(f"  nothing new, {label:<32} {run['wall_seconds']:5.1f} s  (process {run['process_seconds']:.1f} s; "
              f"{run['wall_seconds'] - cli['wall_seconds']:+.1f} s against proasn refresh)")  # fmt: skip


def print_report(f: dict) -> None:
    full, one = f["full_refresh"], f["one_agency_refresh"]
    total_rows = sum(f["rows_per_entity"].values())
    print(f"\nProASN benchmark, scale {f['scale']:g} (seed {f['seed']}), {os.cpu_count()} cores")
    if "generate_seconds" in f:
        print(f"  generate                 {f['generate_seconds']:9.1f} s")
    print("  rows per entity (read):")
    for entity, rows in f["rows_per_entity"].items():
        print(f"    {entity:<22} {rows:>12,}")
    print(f"    {'total':<22} {total_rows:>12,}")
    floor, per_file = f["floor_seconds"], f["floor_per_file_seconds"]
    print(f"  floor (DuckDB reads every file once) {floor:9.1f} s  ({f['floor_rows']:,} rows)")
    print(f"  the earlier series' floor (one file per statement, one core) {per_file:9.1f} s "
          f"= {per_file / floor:.2f} x the floor")  # fmt: skip
    bound = f["load_bound_seconds"]
    print(f"  load bound (read and write every cell, no check) {bound:9.1f} s = "
          f"{bound / floor:.2f} x the floor  ({f['load_bound_rows']:,} rows)")  # fmt: skip
    typed = f["typed_load_bound_seconds"]
    print(f"  typed load bound (the same, every value cast to its type) {typed:9.1f} s = "
          f"{typed / floor:.2f} x the floor  ({f['typed_load_bound_rows']:,} rows)")  # fmt: skip
    print(f"  full refresh             {full['wall_seconds']:9.1f} s  success={full['success']}")
    for stage in dict.fromkeys(STAGES.values()) | {"checks": None}:
        if stage in full["stages"]:
            print(f"    {stage:<22} {full['stages'][stage]:9.1f} s")
    print(f"    {'(process start)':<22} {_start_seconds(full):9.1f} s  not counted: imports, definitions")
    if "spark_full_refresh" in f:
        spark = f["spark_full_refresh"]
        print(f"  full refresh on Spark    {spark['wall_seconds']:9.1f} s = {spark['wall_seconds'] / full['wall_seconds']:.2f} x "
              f"DuckDB's  success={spark['success']}")  # fmt: skip
        for stage in dict.fromkeys(STAGES.values()) | {"checks": None}:
            if stage in spark["stages"]:
                print(
                    f"    {stage:<22} {spark['stages'][stage]:9.1f} s  (DuckDB {full['stages'].get(stage, 0):.1f} s)"
                )
    print(f"  full refresh / floor     {full['wall_seconds'] / floor:9.2f} x   (target <= 4)")
    print(f"  full refresh / the earlier series' floor {full['wall_seconds'] / per_file:6.2f} x")
    print(f"  full refresh / load bound {full['wall_seconds'] / bound:8.2f} x")
    if f["packs"].get("skipped"):
        print("  agency packs (own run)   skipped (--no-packs)")
    for label, key in (("agency packs (own run)", "packs"), ("again, every pack", "packs_again")):
        run = f.get(key, {})
        if run and not run.get("skipped"):
            print(f"  {label:<24} {run['wall_seconds']:9.1f} s = {run['wall_seconds'] / full['wall_seconds']:.0%} of "
                  f"the full refresh (target <= 33%)  success={run['success']}; peak memory: run "
                  f"{_mib(run['peak_rss_self_bytes'])}, largest worker {_mib(run['peak_rss_worker_bytes'])} "
                  "(target < 1 GiB)")  # fmt: skip
    _print_one_agency("one-agency refresh (biggest)", one, full, f["one_agency_rebuilt"],
                      f"(target < 10%)  [{f['resubmitted']}]", process_start=True)  # fmt: skip
    _print_one_agency("the same agency again", f["one_agency_refresh_again"], full,
                      f["one_agency_again_rebuilt"], "(after the first: more of the warehouse in memory)")  # fmt: skip
    if not f["one_agency_packs"].get("skipped"):
        print(f"  one-agency packs         {f['one_agency_packs']['wall_seconds']:9.1f} s")
    _print_one_agency("median agency refresh", f["median_agency_refresh"], full, f["median_agency_rebuilt"],
                      f"[{f['resubmitted_median']}]")  # fmt: skip
    _print_launched(f)
    night = f["next_day_refresh"]
    print(
        f"  the next day (new tanggal_acuan, movement against the day before) {night['wall_seconds']:6.1f} s = "
        f"{night['wall_seconds'] / full['wall_seconds']:.0%} of full  success={night['success']}"
    )
    for stage, seconds in night["stages"].items():
        print(f"    {stage:<22} {seconds:9.1f} s")
    print(f"  peak memory              {_mib(f['peak_rss_self_bytes'])} (largest run process), "
          f"{_mib(f['peak_rss_child_bytes'])} (largest child of a run: dbt)   (target < 12 GiB)")  # fmt: skip
    print(f"  warehouse file           {_mib(f['warehouse_bytes'])}, "
          f"{_mib(f['warehouse_bytes_after_one_agency'])} after the one-agency refresh")  # fmt: skip
    before, after = f["warehouse_used_bytes_compaction"]
    print(f"  nightly compaction       {f['compaction']['wall_seconds']:9.1f} s  (warehouse in use {_mib(before)} "
          f"-> {_mib(after)})")  # fmt: skip
    print(
        f"  published file           {_mib(f['published_bytes'])}, microdata file {_mib(f.get('mikro_bytes', 0))}"
    )
    for name, seconds in f["analyst_query_seconds"].items():
        shown = f"{seconds * 1000:8.1f} ms" if isinstance(seconds, float) else seconds
        print(f"  query: {name:<34} {shown}  (target < 1 s)")


if __name__ == "__main__":
    sys.exit(main())
