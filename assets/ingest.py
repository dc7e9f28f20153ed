"""The ingest asset: new landing files into raw.*, quarantine.*, the warnings and the ledger
(pipelines/ingest.py), with the contract's expectation suites (expectations/) as asset checks on raw.*."""

import datetime as dt
from collections import Counter

import dagster as dg
import pandas as pd
from dagster_duckdb import DuckDBResource

from assets.checks import suite_check_result
from assets.resources import ProasnConfig
from assets.sensors import record_taken, scan_submissions
from pipelines.contract import ENTITIES, ENTITY_NAMES
from pipelines.expectations import SuiteOutcome, frame_select_sql, run_suites
from pipelines.ingest import forget_agency, ingest_landing

WAREHOUSE_POOL = "warehouse"  # every asset that writes the warehouse; limit 1 (DAGSTER_HOME/dagster.yaml)
LEDGER_KEY = dg.AssetKey(["ingest", "ledger"])
PERINGATAN_KEY = dg.AssetKey(["ingest", "peringatan"])
SUITE_CHECK = "suite_kontrak"
LOGGED_FILES = 50  # files not loaded, logged one by one
GX_SAMPLE_ROWS = 200_000  # per entity: what pandas and GX can afford; row work at scale stays in DuckDB


def raw_key(entity: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", entity])


def gx_sample(con, entity: str, file_sha256: list[str], limit: int = GX_SAMPLE_ROWS) -> pd.DataFrame:
    """Rows of the given loaded files of the entity (the run's), whole files (uniqueness is per file),
    newest first, up to `limit` rows. What earlier runs loaded was validated then: a run that loads one
    agency's files validates those, not a national sample again."""
    return con.execute(
        f"""
        with files as (
            select file_sha256, baris_dimuat,
                   sum(baris_dimuat) over (order by loaded_at desc, file_path rows unbounded preceding) as upto
            from ingest.ledger where entity = '{entity}' and status = 'DIMUAT' and baris_dimuat > 0
              and file_sha256 in (select unnest($sha::varchar[]))
        )
        select {frame_select_sql(entity)} from raw.{entity}
        where _file_sha256 in (select file_sha256 from files where upto - baris_dimuat < {limit})
        order by _file_sha256, _line
        limit {limit}""",
        {"sha": file_sha256},
    ).df()


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            raw_key(e),
            description=f"Accepted rows of {e}: {ENTITIES[e].description}.",
            group_name="ingest",
            kinds={"duckdb"},
        )  # fmt: skip
        for e in ENTITY_NAMES
    ]
    + [
        dg.AssetSpec(
            LEDGER_KEY,
            description="One row per landing file: hash, counts, status, message.",
            group_name="ingest",
            kinds={"duckdb"},
        ),
        dg.AssetSpec(
            PERINGATAN_KEY,
            description="Data-quality warnings on loaded rows (NIP vs birth date/gender, SKP predikat vs "
            "the R5 matrix): reported to the agency, nothing quarantined.",
            group_name="ingest",
            kinds={"duckdb"},
        ),
    ],
    check_specs=[
        dg.AssetCheckSpec(
            SUITE_CHECK,
            asset=raw_key(e),
            description=f"The contract's expectation suite expectations/{e}.json (Great Expectations) on "
            f"the {e} files loaded by the run, up to {GX_SAMPLE_ROWS:,} rows.",
            blocking=True,
        )
        for e in ENTITY_NAMES
    ],
    pool=WAREHOUSE_POOL,
    can_subset=False,
)
def ingest(context: dg.AssetExecutionContext, warehouse: DuckDBResource, proasn: ProasnConfig):
    """Read every new file under PROASN_LANDING; load accepted rows, quarantine the rest with reasons."""
    settings = proasn.settings()
    agencies = proasn.instansi_list()
    if proasn.muat_ulang and not agencies:
        raise dg.Failure("muat_ulang needs instansi: the agencies to load again (never the whole nation).")
    # What this run reads, before it reads it: a file changed after this is seen again by the sensor.
    submissions = [
        s for s in scan_submissions(settings.landing, settle_seconds=0)
        if not agencies or s.folder.split("/")[0] in agencies
    ]  # fmt: skip
    with warehouse.get_connection() as con:
        if agencies:
            outcomes = []
            for kode in agencies:
                if proasn.muat_ulang:
                    removed = forget_agency(con, kode)
                    context.log.info(f"{kode}: {removed} ledger rows forgotten; its files load again.")
                outcomes += ingest_landing(
                    con, settings.landing, dt.date.today(), only=settings.landing / kode
                )
        else:
            outcomes = ingest_landing(con, settings.landing, dt.date.today())
        totals = con.execute(
            "select entity, sum(baris_dimuat), sum(baris_karantina) from ingest.ledger group by 1"
        ).fetchall()
        warnings_total = con.execute("select count(*) from ingest.peringatan").fetchall()[0][0]
        loaded_files = [o.sha256 for o in outcomes if o.status == "DIMUAT"]
        frames = {e: gx_sample(con, e, loaded_files) for e in ENTITY_NAMES}
    record_taken(settings, submissions)
    per_entity = {e: (int(loaded), int(quarantined)) for e, loaded, quarantined in totals if e}
    # One line per run, and one per file the agency must act on (bounded): every file's outcome is in
    # ingest.ledger and mart_kualitas_data; thousands of log events would cost more than the ingest.
    statuses = Counter(o.status for o in outcomes)
    context.log.info(
        f"{len(outcomes)} new files: " + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
    )
    # An unchanged resubmission (DUPLIKAT: the same bytes as a file already loaded) needs nothing from anyone:
    # counted, not warned about one by one (each is in ingest.ledger).
    unchanged = statuses.get("DUPLIKAT", 0)
    if unchanged:
        context.log.info(f"{unchanged} files are unchanged resubmissions (DUPLIKAT): nothing new to load.")
    # Files that could not be opened first: they are in no ledger row, only in this log.
    not_loaded = sorted(
        (o for o in outcomes if o.status not in ("DIMUAT", "DUPLIKAT")), key=lambda o: o.recorded
    )
    for outcome in not_loaded[:LOGGED_FILES]:
        # Paths, counts and reason codes only: the messages' details may quote a file's contents.
        o = outcome
        retried = "" if o.recorded else f" ({o.detail}; not in ingest.ledger, tried again by the next run)"
        context.log.warning(f"{o.file.rel_path}: {o.status}, {o.rows_read} rows read, {o.rows_loaded} loaded, "
                            f"{o.rows_quarantined} quarantined; reasons: {', '.join(sorted(o.reasons)) or 'none'}"
                            f"{retried}")  # fmt: skip
    if len(not_loaded) > LOGGED_FILES:
        context.log.warning(
            f"... and {len(not_loaded) - LOGGED_FILES} more files not loaded: see ingest.ledger."
        )
    new = Counter(o.file.entity for o in outcomes if o.status == "DIMUAT")
    for entity in ENTITY_NAMES:
        loaded, quarantined = per_entity.get(entity, (0, 0))
        yield dg.MaterializeResult(
            asset_key=raw_key(entity),
            metadata={
                "files_loaded_this_run": new.get(entity, 0),
                "rows_loaded_total": loaded,
                "rows_quarantined_total": quarantined,
            },  # fmt: skip
        )
    per_agency: dict[str, list[int]] = {}
    for o in outcomes:
        row = per_agency.setdefault(o.file.kode_instansi or "(folder tidak valid)", [0, 0, 0, 0])
        row[0] += 1
        row[1] += o.status == "DITOLAK"
        row[2] += o.rows_loaded
        row[3] += o.rows_quarantined
    agency_table = "\n".join(
        ["| kode_instansi | files | rejected | rows loaded | rows quarantined |", "|---|---|---|---|---|"]
        + [f"| {kode} | {f} | {r} | {lo} | {q} |" for kode, (f, r, lo, q) in sorted(per_agency.items())]
    )
    yield dg.MaterializeResult(
        asset_key=LEDGER_KEY,
        metadata={
            "per_agency_this_run": dg.MetadataValue.md(agency_table if per_agency else "no new files"),
            "files_this_run": len(outcomes),
            "rejected_this_run": sum(o.status == "DITOLAK" for o in outcomes),
            "duplicates_this_run": sum(o.status == "DUPLIKAT" for o in outcomes),
            "rows_read_this_run": sum(o.rows_read for o in outcomes),
            "rows_loaded_this_run": sum(o.rows_loaded for o in outcomes),
            "rows_quarantined_this_run": sum(o.rows_quarantined for o in outcomes),
        },
    )
    yield dg.MaterializeResult(
        asset_key=PERINGATAN_KEY,
        metadata={
            "warnings_this_run": sum(sum(o.warnings.values()) for o in outcomes),
            "warnings_total": int(warnings_total),
        },
    )
    docs_dir = settings.reports_dir / "gx"
    # An entity the run loaded no row of has nothing to validate: GX is not run for it (an empty validation
    # each, and the Data Docs rebuilt for them, ~1 s of a refresh with nothing new), and the Data Docs keep
    # the last validation.
    loaded_frames = {entity: frame for entity, frame in frames.items() if not frame.empty}
    results = run_suites(loaded_frames, docs_dir=docs_dir) if loaded_frames else {}
    for entity in ENTITY_NAMES:
        result = results.get(entity, SuiteOutcome(entity, rows=0, success=True, expectations=[]))
        yield suite_check_result(
            result, check_name=SUITE_CHECK, asset_key=raw_key(entity), docs_dir=docs_dir, by_reason=True
        )
