"""The Spark engine against DuckDB (docs/spark-engine.md), through the real refresh job: the same landing tree
refreshed with PROASN_ENGINE=duckdb and with PROASN_ENGINE=spark, then again after one agency resubmits, gives the
same microdata file, the same true counts (the working warehouses' aggregates) and the same published tables:
every row and column (floating values to 6 decimal places), except that R12 may withhold different secondary
cells on each engine (its pattern depends on the order the aggregates' rows are read in), so tables with withheld
cells must have the same rows and the same values wherever both engines show one. The dbt unit tests pass on
Spark too. The data: a few agencies of generated submissions (every entity, defects, several provinces).

Needs Java and the Spark extra (pyspark, dbt-spark), which `make test` installs where Java is (Makefile, SPARK);
without them the module is skipped and the run's summary says why."""

import datetime as dt
import importlib.util
import json
import os
import re
import shutil
import subprocess

import duckdb
import pytest

from pipelines.dbt_project import DBT_EXECUTABLE, MANIFEST_PATH
from pipelines.settings import DBT_PROJECT_DIR, export_environment, get_settings
from pipelines.spark import dbt_environment
from tests.helpers import PROASN, TANGGAL_ACUAN, TEST_PSEUDONYM_KEY, run_refresh, use_home

MISSING = [name for name in ("pyspark", "dbt.adapters.spark") if importlib.util.find_spec(name) is None]
if shutil.which("java") is None:
    MISSING.insert(0, "java")
SKIP_REASON = (
    f"Spark engine tests skipped: {', '.join(MISSING)} not found (install Debian's openjdk-17-jre-headless; "
    "`make test` then installs the Spark extra, requirements-spark.lock)"
)
pytestmark = [pytest.mark.slow, pytest.mark.skipif(bool(MISSING), reason=SKIP_REASON)]

AGENCIES = 5  # of the generated ones, the largest (central and regional, three provinces)
TOLERANCE_DIGITS = 6  # decimal places of floating values (DuckDB sums in DOUBLE where Spark keeps DECIMAL)
# Columns that say when a refresh ran, not what it computed: two refreshes never agree on them.
RUN_TIME_COLUMNS = {("mart_kualitas_data", "loaded_at")}
# Each published table's key (its unique test in the dbt project), to compare rows whose withheld cells differ.
ROW_KEYS = {
    node["attached_node"].rsplit(".", 1)[1]: node["test_metadata"]["kwargs"].get("columns")
    or [node["column_name"]]
    for node in json.loads(MANIFEST_PATH.read_text())["nodes"].values()
    if node["resource_type"] == "test"
    and (node.get("test_metadata") or {}).get("name") in ("unique", "unique_combination")
    and node.get("attached_node")
}


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


def _columns(con, db: str) -> dict[tuple[str, str], list[tuple[str, str]]]:
    return {
        (schema, table): list(zip(names, kinds, strict=True))
        for schema, table, names, kinds in con.execute(
            "select schema_name, table_name, list(column_name order by column_index), "
            "list(data_type order by column_index) from duckdb_columns() "
            f"where database_name = '{db}' group by all"
        ).fetchall()
    }


def _value(column: str, kind: str, side: str) -> str:
    if kind in ("DOUBLE", "FLOAT") or kind.startswith("DECIMAL"):
        return f'round({side}."{column}"::double, {TOLERANCE_DIGITS})'
    return f'{side}."{column}"'


def differences(
    a, b, schemas: tuple[str, ...] | None = None, leave_out: tuple[str, ...] = (), types: bool = True
) -> dict[str, str]:
    """Per table of the DuckDB files `a` (DuckDB's) and `b` (Spark's) that differs: how. Tables of `schemas` (all
    when None) but those in `leave_out` (schema.table). A table with cells R12 may withhold (a column `ditekan`
    or `<count>_ditekan`) is compared row by row on its key: both engines must publish the same rows, and where
    both show a value it must be the same. They may withhold different secondary cells, because R12's pattern
    depends on the order in which the aggregates' rows are read (docs/spark-engine.md). Any other table must hold
    the same rows (a multiset), every column. `types` false: the columns' names only (the working warehouse's
    aggregates, whose sums are HUGEINT on DuckDB and BIGINT on Spark)."""
    found = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{a}' as a (read_only)")
        con.execute(f"attach '{b}' as b (read_only)")
        tables_a, tables_b = _columns(con, "a"), _columns(con, "b")
        for key in sorted(tables_a.keys() | tables_b.keys()):
            name = ".".join(key)
            if (schemas is not None and key[0] not in schemas) or name in leave_out:
                continue
            shape_a, shape_b = tables_a.get(key, []), tables_b.get(key, [])
            if not types:
                shape_a, shape_b = [c for c, _ in shape_a], [c for c, _ in shape_b]
            if shape_a != shape_b:
                found[name] = f"columns {tables_a.get(key)} / {tables_b.get(key)}"
                continue
            columns = [(c, k) for c, k in tables_a[key] if (key[1], c) not in RUN_TIME_COLUMNS]
            relation = {side: f'{side}."{key[0]}"."{key[1]}"' for side in ("a", "b")}
            if any("ditekan" in c for c, _ in columns):
                on = " and ".join(f'a."{c}" is not distinct from b."{c}"' for c in ROW_KEYS[key[1]])
                differ = " or ".join(
                    f"({_value(c, k, 'a')} <> {_value(c, k, 'b')})"
                    for c, k in columns
                    if "ditekan" not in c and c not in ROW_KEYS[key[1]]
                )
                unmatched, unequal = con.execute(
                    f"select count(*) filter (a._ada is null or b._ada is null), count(*) filter ({differ}) "
                    f"from (select *, true as _ada from {relation['a']}) as a "
                    f"full join (select *, true as _ada from {relation['b']}) as b on {on}"
                ).fetchone()
                if unmatched or unequal:
                    found[name] = (
                        f"{unmatched} rows in one only, {unequal} rows with a value shown by both differing"
                    )
                continue
            selected = ", ".join(_value(c, k, "t") for c, k in columns)
            only = [
                con.execute(
                    f"select count(*) from (select {selected} from {relation[x]} as t "
                    f"except all select {selected} from {relation[y]} as t)"
                ).fetchone()[0]
                for x, y in (("a", "b"), ("b", "a"))
            ]
            if any(only):
                found[name] = f"{only[0]} rows only on DuckDB, {only[1]} only on Spark"
    return found


def engine_differences(homes) -> dict[str, str]:
    """The published files and the working warehouses' aggregates (the true counts R12 is applied to)."""
    found = {}
    for path, schemas, leave_out, types in (
        ("published/proasn.duckdb", None, (), True),
        ("published/mikro/proasn_mikro.duckdb", None, (), True),
        ("warehouse/proasn.duckdb", ("agregat",), ("agregat.pola_penekanan",), False),
    ):
        a, b = homes["duckdb"] / path, homes["spark"] / path
        for table, how in differences(a, b, schemas, leave_out, types).items():
            found[f"{path}: {table}"] = how
    return found


def spark_unit_tests(home, tmp_path) -> tuple[int, str]:
    """dbt's unit tests on the Spark target, against the tables of the Spark home `home` (dbt reads the columns
    of a unit test's inputs from them): how many passed, and dbt's output."""
    env = {**dbt_environment(home), "PROASN_WAREHOUSE": str(home / "warehouse" / "proasn.duckdb"),
           "PROASN_PSEUDONYM_KEY": TEST_PSEUDONYM_KEY}  # fmt: skip
    result = subprocess.run(
        [DBT_EXECUTABLE, "test", "--target", "spark", "--select", "test_type:unit", "--profiles-dir", ".",
         "--target-path", str(tmp_path / "target-unit"), "--log-path", str(tmp_path / "logs-unit"),
         "--vars", json.dumps({"tanggal_acuan": TANGGAL_ACUAN.isoformat(), "sidik_proyek": "uji"})],
        cwd=DBT_PROJECT_DIR, env={**os.environ, **env}, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:]
    passed = re.search(r"Done\. PASS=(\d+)", result.stdout)
    return int(passed.group(1)) if passed else 0, result.stdout


def test_both_engines_publish_the_same_also_after_one_agency_resubmits(submissions, tmp_path, monkeypatch):
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
    assert engine_differences(homes) == {}
    # dbt's unit tests on Spark too (on DuckDB they run in tests/test_dbt_warehouse.py); the one project hook with
    # them
    passed, output = spark_unit_tests(homes["spark"], tmp_path)
    assert passed == len(json.loads(MANIFEST_PATH.read_text())["unit_tests"]) + 1, output[-3000:]

    for engine, home in homes.items():
        shutil.copytree(later, home / "landing" / later.parent.name / later.name)
        refresh(monkeypatch, home, engine)
    with duckdb.connect(str(homes["spark"] / "warehouse" / "proasn.duckdb"), read_only=True) as con:
        taken = con.execute(
            "select count(*) from ingest.ledger where kode_instansi = ? and tanggal_ekstrak = ?",
            [later.parent.name, dt.date.fromisoformat(later.name)],
        ).fetchall()[0][0]
    assert taken > 0
    assert engine_differences(homes) == {}
