"""Helpers shared by the test modules (the fixtures are in conftest.py): the test environment, refreshes in
process and as `proasn refresh`, submissions and workbooks written for a test, and what the ingest recorded.

Nothing here imports the Dagster code location at module level: conftest.py imports this module before
pytest_configure has parsed the dbt manifest that the code location reads."""

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import xlsxwriter

from pipelines.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"
TEST_PSEUDONYM_KEY = "kunci-uji-proasn"
TANGGAL_ACUAN = dt.date(2026, 11, 1)  # the reference date of every refresh in the tests
TODAY = TANGGAL_ACUAN  # the ingest's today: a tanggal_ekstrak after it is in the future
PROASN = str(Path(sys.executable).parent / "proasn")
OLD = time.time() - 3600  # an hour ago: long settled

PEGAWAI_HEADER = ["nip", "nama", "jenis_kelamin", "tanggal_lahir", "status_kepegawaian", "golongan",
                  "jenis_jabatan", "jenjang_fungsional", "nama_jabatan", "pendidikan_terakhir"]  # fmt: skip


# --- the environment -----------------------------------------------------------------------------------
def use_home(mp, home: Path) -> None:
    """Point every ProASN and Dagster path at `home` (landing, warehouse, Dagster instance), with the test
    pseudonym key and no pinned tanggal_acuan; `mp` (a pytest.MonkeyPatch) restores the environment."""
    mp.setenv("PROASN_HOME", str(home))
    mp.delenv("PROASN_LANDING", raising=False)
    mp.delenv("PROASN_TANGGAL_ACUAN", raising=False)
    mp.setenv("PROASN_PSEUDONYM_KEY", TEST_PSEUDONYM_KEY)
    mp.setenv("DAGSTER_HOME", str(home / "dagster"))
    mp.setenv("PROASN_WAREHOUSE", str(home / "warehouse" / "proasn.duckdb"))


def settings_for(landing: Path, home: Path) -> Settings:
    """Settings for the sensor on `landing`, nothing waited for."""
    return Settings(home=home, landing=landing, tanggal_acuan=TODAY, pseudonym_key="kunci",
                    pseudonym_key_is_default=False, sensor_settle_seconds=0)  # fmt: skip


# --- refreshes -----------------------------------------------------------------------------------------
def run_refresh(instance=None, tanggal_acuan=None, **config):
    """The real `refresh` job (assets and checks), in process, on the environment's PROASN_HOME, at
    `tanggal_acuan` (default TANGGAL_ACUAN); `config` as refresh_run_config takes it (instansi, muat_ulang). On
    `instance`, or on an ephemeral Dagster instance."""
    import dagster as dg

    from assets.definitions import refresh_job_def, refresh_run_config

    return refresh_job_def().execute_in_process(
        run_config=refresh_run_config(tanggal_acuan or TANGGAL_ACUAN, **config),
        instance=instance if instance is not None else dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )


def run_packs(instance):
    """The agency packs job, in process, as the sensor starts it after a refresh."""
    from assets.definitions import packs_job_def, refresh_run_config

    return packs_job_def().execute_in_process(
        run_config=refresh_run_config(TANGGAL_ACUAN), instance=instance, raise_on_error=False
    )


def refresh_env() -> dict:
    """The environment of a `proasn refresh` at TANGGAL_ACUAN."""
    return {**os.environ, "PROASN_TANGGAL_ACUAN": TANGGAL_ACUAN.isoformat()}


def start_refresh(**popen) -> subprocess.Popen:
    """`proasn refresh` in a process of its own, its output (stdout and stderr) in a pipe."""
    return subprocess.Popen(
        [PROASN, "refresh"], env=refresh_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **popen
    )


def finish_refresh(process: subprocess.Popen) -> str:
    """Wait for a started refresh, which must succeed; its output."""
    output = process.communicate(timeout=900)[0].decode()
    assert process.returncode == 0, output[-3000:]
    return output


def proasn_refresh() -> str:
    """One `proasn refresh`, which must succeed; its output."""
    return finish_refresh(start_refresh())


def full_log(output: str) -> str:
    """The full log of a `proasn refresh` (every Dagster event and dbt line), from the path its output names."""
    line = next(line for line in output.splitlines() if line.strip().startswith("Full log: "))
    return Path(line.strip().removeprefix("Full log: ")).read_text(encoding="utf-8")


# --- inputs --------------------------------------------------------------------------------------------
def add_submission(landing: Path, folder: str, mtime: float = OLD, distinct: bool = False) -> Path:
    """The fixture's K016 pegawai file as `folder`/pegawai.csv under `landing` (a folder like
    "3373/2026-11-01"), modified at `mtime`. The same bytes every time (a duplicate once one is loaded),
    unless `distinct`: then one name carries the folder's date."""
    target = landing / folder
    target.mkdir(parents=True, exist_ok=True)
    pegawai = target / "pegawai.csv"
    shutil.copy(FIXTURES / "landing" / "K016" / "2026-09-15" / "pegawai.csv", pegawai)
    if distinct:
        rows = pegawai.read_text()
        pegawai.write_text(rows.replace("Hendra Gunawan", f"Hendra Gunawan {target.name}"))
    os.utime(pegawai, (mtime, mtime))
    return pegawai


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> None:
    """A workbook, sheets in order. Text is written as text (xlsxwriter would turn "=..." into a formula),
    numbers as numbers, dates as Excel dates (shown dd/mm/yyyy); None leaves the cell empty."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path))
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
                elif isinstance(value, int | float):
                    sheet.write_number(r, c, value)
                elif value is not None:
                    sheet.write_string(r, c, value)
    workbook.close()


def identifying_values(
    landing: Path,
    columns: tuple[str, ...] = ("nip", "nik", "nama"),
    *,
    files: str = "*.csv",
    digits: bool = True,
    shortest: int = 4,
) -> set[str]:
    """Every value of `columns` in the CSV files named `files` under `landing` (symbolic links left out), as
    written (spaces and a leading quote stripped) and, with `digits`, its digits alone (a NIP written with
    separators); values shorter than `shortest` or of 1000 characters and more (an oversized cell) left out."""
    values = set()
    csv.field_size_limit(16 * 2**20)  # a 5 MB cell
    for path in landing.rglob(files):
        if path.is_symlink():
            continue
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:  # a generated Windows-1252 file
            text = raw.decode("cp1252", errors="replace")
        header = text.splitlines()[0]
        delimiter = ";" if header.count(";") > header.count(",") else ","
        for row in csv.DictReader(io.StringIO(text), delimiter=delimiter):
            for column, value in row.items():
                if (column or "").strip().lower() in columns and isinstance(value, str) and value.strip():
                    values.add(value.strip().lstrip("'"))
                    if digits:
                        values.add("".join(ch for ch in value if ch.isdigit()) or value.strip())
    return {v for v in values if shortest <= len(v) < 1000}


# --- what the ingest recorded --------------------------------------------------------------------------
def ledger(con) -> dict:
    """file path -> (status, reasons, message) of ingest.ledger."""
    rows = con.execute("select file_path, status, alasan, pesan from ingest.ledger").fetchall()
    return {p: (status, json.loads(alasan), pesan) for p, status, alasan, pesan in rows}


def assert_rows_conserved(con, landing):
    """For every file: read = loaded + quarantined, the tables hold exactly those rows, and `read` is the
    number of data records an independent reader finds in the file."""
    from python_calamine import CalamineWorkbook

    for path, sha, entity, status, read, loaded, quar in con.execute(
        "select file_path, file_sha256, entity, status, baris_dibaca, baris_dimuat, baris_karantina from ingest.ledger"
    ).fetchall():
        assert read == loaded + quar, path
        if status != "DIMUAT":
            assert (read, loaded, quar) == (0, 0, 0), path
            continue
        in_raw = con.execute(
            f"select count(*) from raw.{entity} where _file_path = ? and _file_sha256 = ?", [path, sha]
        ).fetchall()[0][0]
        in_q = con.execute(
            f"select count(*) from quarantine.{entity} where _file_path = ? and _file_sha256 = ?", [path, sha]
        ).fetchall()[0][0]
        assert (in_raw, in_q) == (loaded, quar), path
        file = landing / path
        if file.suffix == ".xlsx":
            rows = CalamineWorkbook.from_path(str(file)).get_sheet_by_index(0).to_python()
            records = sum(1 for r in rows if any(v != "" for v in r)) - 1
        else:
            raw = file.read_bytes()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = raw.decode("cp1252")
            delim = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
            records = sum(1 for r in csv.reader(text.splitlines(keepends=True), delimiter=delim) if r) - 1
        assert read == records, path


def dbt_build_folder(run_id: str) -> Path:
    """The folder of a refresh run's one dbt build (its compiled SQL, run_results.json, dbt.log)."""
    from assets.dbt import dbt_warehouse
    from pipelines.dbt_project import build_folders_of_run

    (folder,) = build_folders_of_run(dbt_warehouse.op.name, run_id)
    return folder
