"""What `proasn refresh`, `proasn generate` and the benchmark print: the stages with counts and elapsed time,
the warnings that need action, and a short summary; everything else (Dagster's events, dbt's lines, Python
warnings) goes to the full log file, and to the console with --verbose (docs/operations.md: The console).

Dagster's events reach this module through a logger of its own (RunConsole.logger_def) that replaces Dagster's
coloured console logger for runs started here; dbt's lines, which dagster-dbt writes to sys.stdout, through
RunConsole.capture().
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import sys
import time
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from pipelines.exports import PACKS_PROGRESS

QUIET, NORMAL, VERBOSE = 0, 1, 2
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# A node's line (not a project hook's, which dbt numbers apart: "1 of 1 START hook: ...")
DBT_NODE = re.compile(r"^\s*(\d+) of (\d+) (START|OK|PASS|WARN|ERROR|FAIL|SKIP|NO-OP)\b(?! hook:)")

# Dagster step -> stage shown; every other step of the refresh job is an asset check.
STAGES = {"ingest": "ingest", "dbt_warehouse": "dbt", "published__proasn_duckdb": "publish",
          "reports__laporan_html": "reports", "exports__paket_instansi": "packs"}  # fmt: skip
STAGE_ORDER = ("ingest", "dbt", "checks", "publish", "reports", "packs")
REBUILT_PREFIX = "Per-agency models: rebuilt "  # assets/dbt.py log_affected_agencies
POOL_BLOCKED = "blocked by limit for pool"
# Dagster instantiates a job's loggers only when the run config names them.
CONSOLE_LOGGER_CONFIG = {"loggers": {"console": {}}}

T = TypeVar("T")


def stage_of(step_key: str) -> str:
    return STAGES.get(step_key, "checks")


def plain(text: str) -> str:
    """Text without terminal colour codes."""
    return ANSI.sub("", text)


def log_path(home: Path, command: str) -> Path:
    """A new full-log file for one command under PROASN_HOME/logs (folder readable by its owner only)."""
    folder = home / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return folder / f"{command}-{stamp}.log"


def seconds_text(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(int(round(seconds)), 60)
    return f"{minutes} min {rest:02d} s"


@dataclass
class Stage:
    name: str
    started: float
    ended: float | None = None
    busy: float = 0.0  # the time its steps ran (the checks' steps are spread over the run)
    failed: bool = False
    shown: bool = False


@dataclass
class RunFacts:
    """What the runs reported, for the stage lines and the summary."""

    materializations: dict[str, dict] = field(default_factory=dict)  # asset key -> metadata values
    checks: list = field(default_factory=list)  # AssetCheckEvaluation
    failures: list[tuple[str, str]] = field(default_factory=list)  # (step, first line of the error)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (step, message) at WARNING and above
    rebuilt: str = ""
    dbt_done: int = 0
    dbt_total: int = 0
    dbt_earlier: int = 0  # the nodes of the earlier dbt invocations of the run (two on the Spark engine)
    dbt_failed: int = 0


class _Handler(logging.Handler):
    def __init__(self, console: RunConsole):
        super().__init__(logging.DEBUG)
        self.console = console

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.console.on_record(record)
        except Exception:  # the display must never fail a run
            self.handleError(record)


class _LineWriter(io.TextIOBase):
    """sys.stdout while a run executes: dbt's lines (dagster-dbt prints them) line by line to the console."""

    def __init__(self, console: RunConsole):
        self.console = console
        self.buffer_text = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.buffer_text += text
        *lines, self.buffer_text = self.buffer_text.split("\n")
        for line in lines:
            self.console.on_output_line(line)
        return len(text)

    def flush(self) -> None:
        pass


class RunConsole:
    """The console of one command that runs Dagster jobs: stage lines, progress, the full log."""

    def __init__(self, log_file: Path, verbosity: int = NORMAL, out=None):
        self.log_file = log_file
        self.verbosity = verbosity
        self.out = out if out is not None else sys.stdout
        self._log = open(log_file, "a", encoding="utf-8")  # noqa: SIM115 (closed by close())
        self.console = Console(file=self.out, highlight=False, soft_wrap=True, emoji=False)
        self.facts = RunFacts()
        self.stages: dict[str, Stage] = {}
        self._pool_noted = False
        self._step_started: dict[str, float] = {}
        live = verbosity == NORMAL and self.console.is_terminal
        self.progress = (
            Progress(
                SpinnerColumn(),
                TextColumn("{task.description:<8}"),
                BarColumn(bar_width=30),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            if live
            else None
        )
        self._tasks: dict[str, TaskID] = {}

    # --- output -------------------------------------------------------------------------------------
    def log(self, text: str) -> None:
        """The full log (and the console with --verbose)."""
        self._log.write(plain(text) + "\n")
        self._log.flush()
        if self.verbosity >= VERBOSE:
            self._print(text if self.console.is_terminal else plain(text))

    def say(self, text: str) -> None:
        """A line for the console unless --quiet; always in the full log."""
        self._log.write(plain(text) + "\n")
        self._log.flush()
        if self.verbosity >= NORMAL:
            self._print(text)

    def always(self, text: str, error: bool = False) -> None:
        """A line even with --quiet (what needs action, failures, the outcome); stderr for failures."""
        self._log.write(plain(text) + "\n")
        self._log.flush()
        if error:
            if self.progress is not None:
                self.progress.stop()
            print(text, file=sys.stderr, flush=True)
        else:
            self._print(text)

    def _print(self, text: str) -> None:
        (self.progress.console if self.progress is not None else self.console).print(
            text, markup=False, soft_wrap=True
        )
        self.out.flush()

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
        self._log.close()

    # --- runs ---------------------------------------------------------------------------------------
    def logger_def(self):
        """A Dagster logger for runs started here: every event to on_record, none to the console directly."""
        import dagster as dg

        handler = _Handler(self)

        @dg.logger(description="ProASN's console: stages and summary; the full log in PROASN_HOME/logs.")
        def proasn_console(_init_context):
            logger = logging.Logger("proasn", logging.DEBUG)
            logger.addHandler(handler)
            return logger

        return proasn_console

    @contextmanager
    def capture(self) -> Iterator[None]:
        """While a run executes: stdout (dbt's lines) and Python warnings through this console."""
        saved_stdout, saved_showwarning = sys.stdout, warnings.showwarning

        def show(message, category, filename, lineno, file=None, line=None):
            self.log(f"{category.__name__}: {message} ({filename}:{lineno})")

        if self.progress is not None:
            self.progress.start()
        sys.stdout = _LineWriter(self)
        warnings.showwarning = show
        try:
            yield
        finally:
            sys.stdout, warnings.showwarning = saved_stdout, saved_showwarning
            if self.progress is not None:
                self.progress.stop()

    def on_output_line(self, line: str) -> None:
        self.log(line)
        match = DBT_NODE.match(plain(line))
        if match:
            done, total, status = int(match.group(1)), int(match.group(2)), match.group(3)
            if status == "START" and done == 1 and self.facts.dbt_total:  # the run's next dbt invocation
                self.facts.dbt_earlier = self.facts.dbt_total
            self.facts.dbt_total = self.facts.dbt_earlier + total
            if status != "START":
                self.facts.dbt_done = max(self.facts.dbt_done, self.facts.dbt_earlier + done)
                self.facts.dbt_failed += status in ("ERROR", "FAIL")
                self._advance("dbt", self.facts.dbt_done, self.facts.dbt_total)

    def on_record(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        message = record.getMessage()
        self.log(
            f"{dt.datetime.fromtimestamp(record.created).isoformat(sep=' ', timespec='seconds')} "
            f"{record.levelname} {message}"
        )
        event = meta.get("dagster_event")
        step = meta.get("step_key") or ""
        if event is None:
            text = meta.get("orig_message") or message
            if record.levelno >= logging.WARNING:
                self.facts.warnings.append((step, text))
            if text.startswith(REBUILT_PREFIX):
                self.facts.rebuilt = text[len(REBUILT_PREFIX) :]
            if text.startswith(PACKS_PROGRESS):  # "120 of 651": the packs' bar
                done, _, total = text[len(PACKS_PROGRESS) :].partition(" of ")
                self._advance("packs", int(done), int(total))
            return
        kind = event.event_type_value
        if kind == "STEP_START":
            self._step_started[step] = time.monotonic()
            self._stage_started(stage_of(step))
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE"):
            if kind == "STEP_FAILURE":
                error = event.event_specific_data.error
                cause = (error.message or error.cls_name or "").strip().splitlines()
                self.facts.failures.append((step, cause[0] if cause else "unknown error"))
            self._stage_step_ended(stage_of(step), step, failed=kind == "STEP_FAILURE")
        elif kind == "ASSET_MATERIALIZATION":
            materialization = event.step_materialization_data.materialization
            values = {k: v.value for k, v in materialization.metadata.items()}
            self.facts.materializations[materialization.asset_key.to_user_string()] = values
        elif kind == "ASSET_CHECK_EVALUATION":
            self.facts.checks.append(event.asset_check_evaluation_data)
        elif POOL_BLOCKED in message and not self._pool_noted:
            self._pool_noted = True
            self.say(
                f"Waiting: another run holds the warehouse ({POOL_BLOCKED} warehouse); this run starts after it."
            )

    # --- stages -------------------------------------------------------------------------------------
    def _stage_started(self, name: str) -> None:
        if name in ("publish", "reports", "packs"):
            self.end_checks()
        if name not in self.stages:
            self.stages[name] = Stage(name, time.monotonic())
            if self.progress is not None:
                self._tasks[name] = self.progress.add_task(name, total=None)

    def _advance(self, name: str, completed: int, total: int) -> None:
        if self.progress is not None and name in self._tasks:
            self.progress.update(self._tasks[name], completed=completed, total=total)

    def _stage_step_ended(self, name: str, step: str, failed: bool) -> None:
        stage = self.stages.get(name)
        if stage is None:
            return
        stage.ended = time.monotonic()
        stage.busy += stage.ended - self._step_started.pop(step, stage.ended)
        stage.failed = stage.failed or failed
        if name != "checks":
            self._show_stage(stage)

    def end_checks(self) -> None:
        """The checks' line, once every check step before publishing has run (or the run has ended)."""
        stage = self.stages.get("checks")
        if stage is not None and not stage.shown and stage.ended is not None:
            self._show_stage(stage)

    def _show_stage(self, stage: Stage) -> None:
        if stage.shown:
            return
        stage.shown = True
        if self.progress is not None and stage.name in self._tasks:
            self.progress.remove_task(self._tasks.pop(stage.name))
        state = "FAILED" if stage.failed else "done"
        elapsed = seconds_text(stage.busy)
        self.say(f"  {stage.name:<8} {state:<6} {elapsed:>9}  {self.stage_details(stage.name)}")

    def stage_details(self, name: str) -> str:
        facts, m = self.facts, self.facts.materializations
        if name == "ingest":
            ledger = m.get("ingest/ledger")
            if not ledger:
                return ""
            return (
                f"{ledger['files_this_run']:,} new files ({ledger['rejected_this_run']:,} rejected, "
                f"{ledger['duplicates_this_run']:,} unchanged resubmissions); rows {ledger['rows_read_this_run']:,} "
                f"read, {ledger['rows_loaded_this_run']:,} loaded, {ledger['rows_quarantined_this_run']:,} quarantined"
            )
        if name == "dbt":
            failed = f", {facts.dbt_failed} failed" if facts.dbt_failed else ""
            rebuilt = f"; rebuilt {facts.rebuilt}" if facts.rebuilt else ""
            return f"{facts.dbt_done:,} of {facts.dbt_total:,} dbt nodes{failed}{rebuilt}"
        if name == "checks":
            failed = [c for c in facts.checks if not c.passed and c.severity.value == "ERROR"]
            warned = [c for c in facts.checks if not c.passed and c.severity.value != "ERROR"]
            return (
                f"{len(facts.checks):,} checks: {len(facts.checks) - len(failed) - len(warned):,} passed, "
                f"{len(warned)} warnings, {len(failed)} failed"
            )
        if name == "publish":
            published = m.get("published/proasn_duckdb", {})
            tables = sum(1 for key in published if key.startswith("rows_"))
            return f"{tables} aggregate tables and the microdata file" if published else ""
        if name == "reports":
            reports = m.get("reports/laporan_html", {})
            return f"national report and {reports.get('agency_reports', 0):,} agency pages" if reports else ""
        if name == "packs":
            packs = m.get("exports/paket_instansi", {})
            if not packs:
                return ""
            return f"{packs['packs_rewritten']:,} of {packs['agencies']:,} agency packs written (the others unchanged)"
        return ""


def tracked(items: Iterable[T], description: str, total: int, enabled: bool) -> Iterator[T]:
    """`items`, with a transient progress bar while they are consumed when stdout is a terminal."""
    console = Console(file=sys.stdout)
    if not (enabled and console.is_terminal):
        yield from items
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(bar_width=30),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        yield from progress.track(items, total=total, description=description)
