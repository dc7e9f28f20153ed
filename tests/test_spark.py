"""The Spark engine against DuckDB (docs/spark-engine.md), through the real refresh job: the same landing tree
refreshed with PROASN_ENGINE=duckdb and with PROASN_ENGINE=spark publishes the same tables, every row and every
column (floating values to 1e-9), in the published file and in the microdata file; and again after one agency
resubmits. The data: a few agencies of generated submissions (every entity, defects, several provinces).

Needs Java and the Spark extra (pyspark, dbt-spark), which `make test` installs where Java is (Makefile, SPARK);
without them the module is skipped and the run's summary says why."""

import datetime as dt
import importlib.util
import shutil
import subprocess

import duckdb
import pytest

from pipelines.settings import export_environment, get_settings
from tests.helpers import PROASN, TANGGAL_ACUAN, run_refresh, use_home

MISSING = [name for name in ("pyspark", "dbt.adapters.spark") if importlib.util.find_spec(name) is None]
if shutil.which("java") is None:
    MISSING.insert(0, "java")
SKIP_REASON = (
    f"Spark engine tests skipped: {', '.join(MISSING)} not found (install Debian's openjdk-17-jre-headless; "
    "`make test` then installs the Spark extra, requirements-spark.lock)"
)
pytestmark = [pytest.mark.slow, pytest.mark.skipif(bool(MISSING), reason=SKIP_REASON)]

AGENCIES = 5  # of the generated ones, the largest (central and regional, three provinces)
TOLERANCE_DIGITS = 9
# Columns that say when a refresh ran, not what it computed: two refreshes never agree on them.
RUN_TIME_COLUMNS = {("mart_kualitas_data", "loaded_at")}


@pytest.fixture(scope="module")
def submissions(tmp_path_factory):
    """(the first landing tree, the folder one agency submits afterwards): generated submissions of a few
    agencies, the newest submission of the first agency with more than one held back."""
    generated = tmp_path_factory.mktemp("spark_generated") / "landing"
    subprocess.run(
        [PROASN, "generate", "--out", str(generated), "--scale", "0.0002", "--seed", "1",
         "--anchor", TANGGAL_ACUAN.isoformat(), "-q"], check=True, capture_output=True,
    )  # fmt: skip
    landing = generated.parent / "awal"
    size = {p.name: sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) for p in generated.iterdir()}
    agencies = sorted(size, key=lambda name: (-size[name], name))[:AGENCIES]
    for agency in agencies:
        shutil.copytree(generated / agency, landing / agency)
    later = next(
        sorted(folder.iterdir())[-1]
        for agency in agencies
        if len(list((folder := landing / agency).iterdir())) > 1
    )
    held_back = generated.parent / "kemudian" / later.parent.name / later.name
    shutil.move(later, held_back)
    return landing, held_back


def refresh(monkeypatch, home, engine: str) -> None:
    use_home(monkeypatch, home)
    monkeypatch.setenv("PROASN_ENGINE", engine)
    export_environment(get_settings())
    result = run_refresh()
    assert result.success, [e.message for e in result.all_events if e.is_failure][:3]


def differences(a, b) -> dict[str, str]:
    """Per table of the DuckDB file `a` or `b` that differs: how (columns, or rows only in one of them)."""
    found = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{a}' as a (read_only)")
        con.execute(f"attach '{b}' as b (read_only)")

        def columns(db):
            return {
                (schema, table): [(c, t) for c, t in zip(names, kinds, strict=True)]
                for schema, table, names, kinds in con.execute(
                    "select schema_name, table_name, list(column_name order by column_index), "
                    "list(data_type order by column_index) from duckdb_columns() "
                    f"where database_name = '{db}' group by all"
                ).fetchall()
            }

        tables_a, tables_b = columns("a"), columns("b")
        for key in sorted(tables_a.keys() | tables_b.keys()):
            name = ".".join(key)
            if tables_a.get(key) != tables_b.get(key):
                found[name] = f"columns {tables_a.get(key)} / {tables_b.get(key)}"
                continue
            compared = ", ".join(
                f'round("{c}", {TOLERANCE_DIGITS})' if t in ("DOUBLE", "FLOAT") else f'"{c}"'
                for c, t in tables_a[key]
                if (key[1], c) not in RUN_TIME_COLUMNS
            )
            only = [
                con.execute(
                    f'select count(*) from (select {compared} from {x}."{key[0]}"."{key[1]}" '
                    f'except all select {compared} from {y}."{key[0]}"."{key[1]}")'
                ).fetchall()[0][0]
                for x, y in (("a", "b"), ("b", "a"))
            ]
            if any(only):
                found[name] = f"{only[0]} rows only on DuckDB, {only[1]} only on Spark"
    return found


def published_differences(homes) -> dict[str, str]:
    found = {}
    for path in ("published/proasn.duckdb", "published/mikro/proasn_mikro.duckdb"):
        for table, how in differences(homes["duckdb"] / path, homes["spark"] / path).items():
            found[f"{path}: {table}"] = how
    return found


def test_both_engines_publish_the_same_tables_also_after_one_agency_resubmits(
    submissions, tmp_path, monkeypatch
):
    landing, later = submissions
    homes = {engine: tmp_path / engine for engine in ("duckdb", "spark")}
    for engine, home in homes.items():
        shutil.copytree(landing, home / "landing")
        refresh(monkeypatch, home, engine)
    with duckdb.connect(str(homes["spark"] / "published" / "proasn.duckdb"), read_only=True) as con:
        (people,) = con.execute(
            "select jumlah_asn from mart_indikator_wilayah where level = 'NASIONAL'"
        ).fetchone()
    assert people > 50  # a real comparison, not two empty files
    assert published_differences(homes) == {}

    for engine, home in homes.items():
        shutil.copytree(later, home / "landing" / later.parent.name / later.name)
        refresh(monkeypatch, home, engine)
    with duckdb.connect(str(homes["spark"] / "warehouse" / "proasn.duckdb"), read_only=True) as con:
        taken = con.execute(
            "select count(*) from ingest.ledger where kode_instansi = ? and tanggal_ekstrak = ?",
            [later.parent.name, dt.date.fromisoformat(later.name)],
        ).fetchall()[0][0]
    assert taken > 0
    assert published_differences(homes) == {}
