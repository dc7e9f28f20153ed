"""Asset checks on the ingest ledger: row conservation (blocks publishing) and freshness per agency."""

import datetime as dt

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.ingest import LEDGER_KEY, WAREHOUSE_POOL
from assets.resources import ProasnConfig
from pipelines.contract import ENTITY_NAMES


def _counts_sql(schema: str) -> str:
    return " union all ".join(
        f"select _file_sha256, _file_path, count(*) as n from {schema}.{e} group by all" for e in ENTITY_NAMES
    )


ROW_CONSERVATION_SQL = f"""
with
raw_rows as ({_counts_sql("raw")}),
quarantined_rows as ({_counts_sql("quarantine")}),
ledger as (
    select *, file_sha256 as _file_sha256, file_path as _file_path
    from ingest.ledger
    where status = 'DIMUAT'
)
select
    ledger.file_path,
    ledger.baris_dibaca,
    ledger.baris_dimuat,
    ledger.baris_karantina,
    coalesce(raw_rows.n, 0) as raw_rows,
    coalesce(quarantined_rows.n, 0) as quarantined_rows
from ledger
left join raw_rows using (_file_sha256, _file_path)
left join quarantined_rows using (_file_sha256, _file_path)
where ledger.baris_dibaca <> ledger.baris_dimuat + ledger.baris_karantina
   or ledger.baris_dimuat <> coalesce(raw_rows.n, 0)
   or ledger.baris_karantina <> coalesce(quarantined_rows.n, 0)
order by ledger.file_path
"""


@dg.asset_check(
    asset=LEDGER_KEY,
    blocking=True,
    pool=WAREHOUSE_POOL,
    description="For every loaded file: rows read = rows loaded + rows quarantined, and the ledger's counts "
    "equal the rows really in raw.* and quarantine.*. Blocks publishing when it fails.",
)
def row_conservation(warehouse: DuckDBResource) -> dg.AssetCheckResult:
    with warehouse.get_connection() as con:
        broken = con.execute(ROW_CONSERVATION_SQL).fetchall()
        files = con.execute("select count(*) from ingest.ledger where status = 'DIMUAT'").fetchall()[0][0]
    return dg.AssetCheckResult(
        passed=not broken,
        metadata={
            "files_checked": files,
            "files_broken": len(broken),
            "broken": dg.MetadataValue.md(
                "\n".join(
                    f"- {r[0]}: read {r[1]}, ledger {r[2]}+{r[3]}, tables {r[4]}+{r[5]}" for r in broken[:50]
                )
                or "none"
            ),
        },
    )


@dg.asset_check(
    asset=LEDGER_KEY,
    pool=WAREHOUSE_POOL,
    description="Warns when an agency's newest submission is more than PROASN_FRESHNESS_DAYS before the run's "
    "tanggal_acuan. A submission counts when a file of it was loaded or was identical to one already loaded "
    "(an unchanged resubmission, DUPLIKAT): the agency did send its data.",
)
def agency_freshness(warehouse: DuckDBResource, proasn: ProasnConfig) -> dg.AssetCheckResult:
    settings = proasn.settings()
    # Against the date the marts describe, not the wall clock: a rebuild as of an earlier tanggal_acuan
    # judges the submissions as they stood then.
    cutoff = settings.tanggal_acuan - dt.timedelta(days=settings.freshness_days)
    with warehouse.get_connection() as con:
        newest = con.execute(
            "select kode_instansi, max(tanggal_ekstrak) from ingest.ledger "
            "where status in ('DIMUAT', 'DUPLIKAT') and tanggal_ekstrak <= $acuan group by 1 order by 2, 1",
            {"acuan": settings.tanggal_acuan},
        ).fetchall()
    stale = [(kode, tanggal) for kode, tanggal in newest if tanggal < cutoff]
    return dg.AssetCheckResult(
        passed=not stale,
        severity=dg.AssetCheckSeverity.WARN,
        description=f"{len(stale)} of {len(newest)} agencies with no submission since {cutoff}"
        if stale
        else f"every agency with data has a submission since {cutoff}",
        metadata={
            "freshness_days": settings.freshness_days,
            "tanggal_acuan": str(settings.tanggal_acuan),
            "cutoff": str(cutoff),
            "agencies_with_data": len(newest),
            "agencies_stale": len(stale),
            "stale": dg.MetadataValue.md(
                "\n".join(f"- {kode}: newest extract {tanggal}" for kode, tanggal in stale[:100]) or "none"
            ),
        },
    )
