"""Blocking asset checks on the marts, so that a mart that fails one is not published (write-audit-publish):
the Great Expectations suites on the key marts (expectations/mart_*.json), and the disclosure audit of the
published aggregates (pipelines/disclosure.py: no small cell shown, no withheld cell recoverable).

Person-level marts are validated on a fixed sample of at most MART_SAMPLE_ROWS rows (pandas cannot hold
the nation; the dbt tests check keys and ranges on every row in SQL); aggregate marts whole.
"""

import dagster as dg
import pandas as pd
from dagster_duckdb import DuckDBResource

from assets.checks import suite_check_result
from assets.ingest import WAREHOUSE_POOL
from assets.resources import ProasnConfig
from pipelines.dbt_project import k_anonimitas
from pipelines.disclosure import MARTS, audit_warehouse
from pipelines.expectations import run_suites, suite_columns
from pipelines.publish import PERSON_KEY

MART_SUITES = ("mart_talenta_asn", "mart_peta_talenta", "mart_indikator_instansi")
MART_SAMPLE_ROWS = 200_000
CHECK_NAME = "suite_mart"


def mart_key(name: str) -> dg.AssetKey:
    return dg.AssetKey(["marts", name])


def mart_sample(con, name: str) -> pd.DataFrame:
    """The rows a mart's suite validates: the whole mart up to MART_SAMPLE_ROWS rows; above that, for a
    person-level mart, the persons whose asn_key hashes into a fixed 1/k of the keys (the same persons every
    run, so a failing row stays in the sample; one pass that reads the other columns of the chosen rows
    only: 0.65 s at scale 1.0, where a reservoir sample of every column took 2.3-2.8 s). Only the columns
    the suite reads, as for the raw tables (pipelines.expectations.frame_select_sql)."""
    rows = con.execute(f"select count(*) from marts.{name}").fetchall()[0][0]
    columns = [r[0] for r in con.execute(f"describe marts.{name}").fetchall()]
    read = ", ".join(c for c in columns if c in suite_columns(name))  # a column it lacks fails in GX
    query = f"select {read} from marts.{name}"
    if rows > MART_SAMPLE_ROWS and PERSON_KEY in columns:
        share = -(-rows // MART_SAMPLE_ROWS)  # about MART_SAMPLE_ROWS keys expected, at most that many taken
        query += f" where hash({PERSON_KEY}) % {share} = 0 limit {MART_SAMPLE_ROWS}"
    elif rows > MART_SAMPLE_ROWS:
        query += f" using sample reservoir({MART_SAMPLE_ROWS} rows) repeatable (42)"
    return con.execute(query).df()


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            CHECK_NAME,
            asset=mart_key(name),
            blocking=True,
            description=f"Great Expectations suite expectations/{name}.json (up to {MART_SAMPLE_ROWS:,} rows).",
        )
        for name in MART_SUITES
    ],
    pool=WAREHOUSE_POOL,
)
def mart_suites(warehouse: DuckDBResource, proasn: ProasnConfig):
    with warehouse.get_connection() as con:
        frames = {name: mart_sample(con, name) for name in MART_SUITES}
    docs_dir = proasn.settings().reports_dir / "gx-marts"
    results = run_suites(frames, docs_dir=docs_dir)
    for name in MART_SUITES:
        yield suite_check_result(
            results[name], check_name=CHECK_NAME, asset_key=mart_key(name), docs_dir=docs_dir, by_reason=False
        )


AUDIT_CHECK = "audit_penekanan"
AUDITED_MARTS = sorted(set(MARTS.values()))


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            AUDIT_CHECK,
            asset=mart_key(name),
            blocking=True,
            description="R12 audit: no count of 1..k-1 people shown, and no withheld cell recoverable by adding and "
            "subtracting published numbers (row totals, SEMUA rows, parent levels, other tables; interval bounds "
            "and exact elimination).",
        )
        for name in AUDITED_MARTS
    ],
    pool=WAREHOUSE_POOL,
)
def disclosure_audit(warehouse: DuckDBResource):
    with warehouse.get_connection() as con:
        result = audit_warehouse(con, k_anonimitas())
    leaks, small = result["bocor"], result["sel_kecil_tampil"]
    summary = {key: value for key, value in result.items() if key not in ("bocor", "sel_kecil_tampil")}
    for name in AUDITED_MARTS:
        tables = [t for t, mart in MARTS.items() if mart == name]
        mine = leaks[leaks["tabel"].isin(tables)]
        shown = small[small["tabel"].isin(tables)]
        yield dg.AssetCheckResult(
            check_name=AUDIT_CHECK,
            asset_key=mart_key(name),
            passed=mine.empty and shown.empty,
            metadata={
                **summary,
                "bocor": len(mine),
                "sel_kecil_tampil": len(shown),
                "contoh": [
                    f"{r.tabel}.{r.kolom} [{r.kunci}] = {r.turunan:g} ({r.cara})"
                    for r in mine.head(10).itertuples()
                ]
                + [f"{r.tabel}.{r.kolom} [{r.kunci}] = {r.nilai} shown" for r in shown.head(10).itertuples()],
            },
        )
