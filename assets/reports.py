"""The HTML reports as a Dagster asset, rebuilt after each publish (pipelines/reports.py builds them)."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.ingest import WAREHOUSE_POOL
from assets.publish import PUBLISHED_KEY
from assets.resources import ProasnConfig
from pipelines.dbt_project import k_anonimitas
from pipelines.reports import build_reports, nine_box_markdown
from pipelines.reports_merit import build_merit_pages

REPORTS_KEY = dg.AssetKey(["reports", "laporan_html"])
TALENT_MAP_KEY = dg.AssetKey(["marts", "mart_peta_talenta"])


@dg.asset(
    key=REPORTS_KEY,
    deps=[PUBLISHED_KEY],
    group_name="publish",
    kinds={"html"},
    pool=WAREHOUSE_POOL,  # reads the working warehouse's person-level mart for two national counts
    description="HTML reports under PROASN_HOME/reports: nine-box heatmap, coverage, readiness, retirement, "
    "and a data-quality page per agency.",
)
def laporan_html(context: dg.AssetExecutionContext, warehouse: DuckDBResource, proasn: ProasnConfig):
    settings = proasn.settings()
    k = k_anonimitas()
    with warehouse.get_connection() as con:
        figures = build_reports(settings.published_path, settings.reports_dir, k, con)
    merit = build_merit_pages(settings.published_path, settings.reports_dir, k)
    markdown = nine_box_markdown(figures["boxes"], k, figures["belum_terprofil"])
    # The data team reads the national nine-box at a glance on the talent-map asset itself.
    context.log_event(
        dg.AssetObservation(
            asset_key=TALENT_MAP_KEY, metadata={"kotak_talenta_nasional": dg.MetadataValue.md(markdown)}
        )
    )
    return dg.MaterializeResult(
        metadata={
            "index": dg.MetadataValue.path(str(settings.reports_dir / "index.html")),
            "agency_reports": figures["agencies"],
            "kesetaraan": dg.MetadataValue.path(str(merit["kesetaraan"])),
            "perencanaan": dg.MetadataValue.path(str(merit["perencanaan"])),
            "kotak_talenta_nasional": dg.MetadataValue.md(markdown),
        }
    )
