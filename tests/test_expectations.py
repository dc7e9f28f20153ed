"""The expectation suites (expectations/*.json): generated from contract.py, run by GX as asset checks, and
translated into the DuckDB SQL the ingest runs; both engines find the same invalid rows."""

import datetime as dt
import random
import re
import shutil

import dagster as dg
import duckdb
import pytest

from assets.ingest import SUITE_CHECK, gx_sample, ingest
from assets.resources import build_resources
from pipelines import contract, expectations
from pipelines.contract import ENTITIES, ENTITY_NAMES, REASONS
from pipelines.expectations import frame_select_sql, load_suite, run_suites
from pipelines.ingest import ingest_landing
from pipelines.rules import expectation_sql, normalised_sql
from pipelines.settings import get_settings
from tests.helpers import FIXTURES

TE = dt.date(2026, 10, 1)


@pytest.fixture(autouse=True)
def quiet_gx(monkeypatch):
    monkeypatch.setenv("GX_ANALYTICS_ENABLED", "false")


def test_committed_suites_are_what_contract_py_generates():
    assert expectations.stale_suites() == [], "run: python -m pipelines.expectations --write"


def test_every_expectation_has_a_row_reason_and_a_sql_translation():
    for name in ENTITY_NAMES:
        for e in load_suite(name)["expectations"]:
            assert REASONS[e["meta"]["kode_alasan"]].level == "ROW", e
            assert e["meta"]["kolom"] in ENTITIES[name].column_names, e
            assert expectation_sql(e).startswith("case when "), e


def incoming_table(con, entity: contract.Entity, rows: list[dict]) -> None:
    """Table `incoming` as normalised_sql reads it: each row's values as written (a column left out is NULL),
    lines numbered from 2, after the header."""
    cols = ", ".join(f"src_{c} varchar" for c in entity.column_names)
    con.execute(f"create table incoming ({cols}, _extra varchar, _kurang boolean, _line integer)")
    con.executemany(
        f"insert into incoming values ({', '.join('?' * (len(entity.column_names) + 3))})",
        [[r.get(c) for c in entity.column_names] + [None, False, i + 2] for i, r in enumerate(rows)],
    )


def test_the_date_rule_accepts_exactly_the_dates_strptime_accepts():
    """ISO_DATE_REGEX stands for strftime's '%Y-%m-%d' in both engines: every day of years 0001-9999
    matches, and of every YYYY-MM-DD string with month 00-13 and day 00-32 only the real days match."""
    pattern = re.compile(expectations.ISO_DATE_REGEX)
    day, days = dt.date.min, 0
    while True:
        assert pattern.match(day.isoformat()), day
        days += 1
        if day == dt.date.max:
            break
        day += dt.timedelta(days=1)
    assert days == 3_652_059
    years = [0, *range(1, 2401), 2800, 4000, 9996, 9999]  # every leap-year rule within 400 years, both ends
    strings = [f"{y:04d}-{m:02d}-{d:02d}" for y in years for m in range(14) for d in range(33)]
    for text in strings:
        try:
            dt.datetime.strptime(text, "%Y-%m-%d")
            valid = True
        except ValueError:
            valid = False
        assert bool(pattern.match(text)) == valid, text
    # DuckDB (RE2) reads the pattern as Python does: the SQL translation judges the same strings.
    with duckdb.connect() as con:
        rejected = con.execute(
            "select count(*) filter (where not regexp_matches(s, $p)), count(*) filter (where s = '2024-02-29' "
            "and regexp_matches(s, $p)) from (select unnest($s) as s)",
            {"p": expectations.ISO_DATE_REGEX, "s": strings},
        ).fetchall()[0]
    assert rejected == (sum(not pattern.match(s) for s in strings), 1)


def test_a_date_in_year_zero_is_quarantined_not_left_for_the_gx_check_to_fail_the_refresh():
    """DuckDB reads year 0000 as 1 BC, Python's strptime refuses it: with the strftime rule such a row was
    loaded, then failed the blocking GX check and with it the whole refresh. Both engines now refuse it."""
    entity = ENTITIES["riwayat_golongan"]
    con = duckdb.connect()
    values = {"nip": "198003152005011001", "golongan": "III/a", "jenis_kenaikan": "REGULER"}
    incoming_table(
        con, entity, [values | {"tmt_golongan": t} for t in ["0000-01-01", "01/01/0000", "2024-02-29"]]
    )
    checked = normalised_sql(entity, "incoming", TE, "sha", None)
    reasons = con.execute(f"select _line, _reasons from ({checked}) order by 1").fetchall()
    assert reasons == [
        (2, ["TANGGAL_TIDAK_VALID:tmt_golongan"]),
        (3, ["TANGGAL_TIDAK_VALID:tmt_golongan"]),
        (4, []),
    ]


# --- SQL and GX agree ---------------------------------------------------------------------------
def _values(col: contract.Column, rng: random.Random, nips: list[str]):
    """Canonical values, NULLs and canonical-looking values that break a rule (normalising them is the
    identity, so both engines judge the same value). Format errors are the SQL normaliser's own job."""
    if col.kind == "nip":
        return rng.choice(nips)
    if rng.random() < 0.08:
        return None
    if col.kind == "nik":
        return "".join(rng.choice("0123456789") for _ in range(16))
    if col.kind == "date":
        return (dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 28500))).isoformat()
    if col.kind == "golongan":
        return rng.choice([*contract.golongan_pns(), *contract.golongan_pppk(), "V/a"])
    if col.kind == "enum":
        return rng.choice([*col.values, "TIDAK_ADA"])
    if col.kind == "jenis_kelamin":
        return rng.choice(["L", "P", "X"])
    if col.kind == "wilayah":
        return rng.choice(["33.73", "31", "99.99"])
    if col.kind == "integer":
        low = col.minimum if col.minimum is not None else 0
        high = col.maximum if col.maximum is not None else TE.year
        return str(rng.randint(int(low) - 2, int(high) + 2))
    if col.kind == "decimal":
        return f"{rng.uniform(col.minimum - 10, col.maximum + 10):.1f}"
    return rng.choice(["teks", "Teks Lain"])


def _generated_rows(entity: contract.Entity, n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    nips = [
        f"19{rng.randint(50, 99)}0101200{rng.randint(0, 9)}01{rng.randint(1, 2)}{i:03d}"
        for i in range(n // 3)
    ]
    return [{c.name: _values(c, rng, nips) for c in entity.columns} for _ in range(n)]


@pytest.mark.parametrize("entity_name", ENTITY_NAMES)
def test_sql_rules_and_gx_suites_find_the_same_invalid_rows(entity_name):
    entity = ENTITIES[entity_name]
    rows = _generated_rows(entity, 300, seed=ENTITY_NAMES.index(entity_name))
    con = duckdb.connect()
    incoming_table(con, entity, rows)
    con.execute(f"create table checked as {normalised_sql(entity, 'incoming', TE, 'sha', None)}")
    sql_found = {}
    for line, reasons in con.execute("select _line, _reasons from checked").fetchall():
        for reason in reasons:
            sql_found.setdefault(reason, set()).add(line)
    select = frame_select_sql(entity_name, te=f"date '{TE}'")
    frame = con.execute(f"select {select} from checked order by _line").df()
    outcome = run_suites({entity_name: frame}, complete=True)[entity_name]
    gx_found = {}
    for e in outcome.expectations:
        assert not e.error, e
        lines = {int(frame["_line"][i]) for i in e.unexpected_index_list}
        if lines:
            gx_found.setdefault(f"{e.kode_alasan}:{e.kolom}", set()).update(lines)
    assert gx_found == sql_found
    assert len(sql_found) >= 3, "the generated rows break several rules"


def test_gx_check_fails_when_raw_holds_a_row_that_breaks_the_contract(tmp_path):
    con = duckdb.connect()
    landing = tmp_path / "landing"
    shutil.copytree(FIXTURES / "ingest" / "landing", landing)
    loaded = [o.sha256 for o in ingest_landing(con, landing, dt.date(2026, 11, 1)) if o.status == "DIMUAT"]
    frames = {e: gx_sample(con, e, loaded) for e in ENTITY_NAMES}
    assert all(r.success for r in run_suites(frames).values())
    assert gx_sample(con, "skp", []).empty, "only the given files are validated"
    con.execute("update raw.skp set predikat = 'LUAR_BIASA' where _line = 2")  # a bug let it through
    frames = {"skp": gx_sample(con, "skp", loaded)}
    (failed,) = run_suites(frames)["skp"].failed
    assert (failed.kode_alasan, failed.kolom, failed.unexpected_count) == ("KODE_TIDAK_VALID", "predikat", 1)


@pytest.mark.slow
def test_ingest_asset_runs_the_suites_as_asset_checks_with_data_docs(proasn_home):
    shutil.copytree(FIXTURES / "ingest" / "landing", proasn_home / "landing")
    settings = get_settings(dt.date(2026, 11, 1))
    resources = {k: v for k, v in build_resources(dbt_resource=None).items() if k != "dbt"}
    result = dg.materialize([ingest], resources=resources, instance=dg.DagsterInstance.ephemeral())
    assert result.success
    checks = result.get_asset_check_evaluations()
    assert {(c.asset_key.path[-1], c.check_name) for c in checks} == {(e, SUITE_CHECK) for e in ENTITY_NAMES}
    assert all(c.passed for c in checks)
    skp = next(c for c in checks if c.asset_key.path[-1] == "skp")
    assert skp.metadata["rows_validated"].value == 4  # the loaded skp rows of the fixture
    docs = settings.reports_dir / "gx" / "index.html"
    assert docs.exists()
    # Nothing new: nothing to validate, every check passes with no row, the Data Docs stay as they were.
    written = docs.stat().st_mtime_ns
    again = dg.materialize([ingest], resources=resources, instance=dg.DagsterInstance.ephemeral())
    assert again.success
    assert {
        (c.asset_key.path[-1], c.passed, c.metadata["rows_validated"].value)
        for c in again.get_asset_check_evaluations()
    } == {(e, True, 0) for e in ENTITY_NAMES}
    assert docs.stat().st_mtime_ns == written
