"""Great Expectations suite outcomes (pipelines.expectations.run_suites) as Dagster asset check results: the
contract's suites on raw.* (assets/ingest.py) and the mart suites (assets/mart_checks.py)."""

from pathlib import Path

import dagster as dg

from pipelines.expectations import SuiteOutcome


def suite_check_result(
    outcome: SuiteOutcome, *, check_name: str, asset_key: dg.AssetKey, docs_dir: Path, by_reason: bool
) -> dg.AssetCheckResult:
    """The result of a blocking suite check (severity ERROR): the rows validated, the expectations, one line
    per failed expectation and the suite's Data Docs under `docs_dir`. `by_reason`: the contract's suites
    name each failure by its reason code and column (the quarantine's terms) and count the failed
    expectations; the mart suites, which carry no reason code, by its column."""
    metadata: dict = {"rows_validated": outcome.rows, "expectations": len(outcome.expectations)}
    if by_reason:
        metadata["expectations_failed"] = len(outcome.failed)
    metadata["failures"] = [
        (
            f"{e.type} {e.kode_alasan}:{e.kolom} ({e.unexpected_count} rows)"
            if by_reason
            else f"{e.type} {e.kolom}: {e.unexpected_count} rows"
        )
        + (f" {e.error}" if e.error else "")
        for e in outcome.failed
    ]
    metadata["data_docs"] = dg.MetadataValue.path(str(docs_dir / "index.html"))
    return dg.AssetCheckResult(
        check_name=check_name,
        asset_key=asset_key,
        passed=outcome.success,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata=metadata,
    )
