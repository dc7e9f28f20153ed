"""Dagster resources: the working warehouse and the run's settings."""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster._utils.backoff import backoff
from dagster_duckdb import DuckDBResource
from pydantic import Field

from pipelines.settings import Settings, get_settings, make_private_dir, parse_date

VACUUM_OFF = {"max_vacuum_tasks": 0}  # DuckDB: no vacuum at checkpoints (assets/maintenance.py says why)


class ProasnConfig(dg.ConfigurableResource):
    """The run's settings (everything else comes from the environment: README, Settings)."""

    # What the Launchpad shows: the docstring above and these descriptions (docs/operations.md: Launchpad).
    tanggal_acuan: str = Field(
        default="",
        description="Reference date YYYY-MM-DD the marts describe (ages, retirement, freshness); empty = today.",
    )
    instansi: str = Field(
        default="",
        description="Agency codes, comma-separated (e.g. 3373,K016): ingest only their folders; empty = every agency.",
    )
    muat_ulang: bool = Field(
        default=False,
        description="With instansi: forget what was loaded from those agencies and load their files again.",
    )

    def instansi_list(self) -> list[str]:
        """The agencies named, each a code of the reference table: a run setting is input like any other,
        and a folder name outside it (`../secret`) must never become a path."""
        from pipelines.contract import kode_instansi

        codes = sorted({code.strip() for code in self.instansi.split(",") if code.strip()})
        unknown = [code for code in codes if code not in kode_instansi()]
        if unknown:
            shown = ", ".join(repr(code[:40]) for code in unknown[:5])
            raise dg.Failure(f"instansi: {shown} is not an agency code of the reference table (dim_instansi)")
        return codes

    def settings(self) -> Settings:
        return get_settings(parse_date(self.tanggal_acuan, "tanggal_acuan") if self.tanggal_acuan else None)


class WarehouseResource(DuckDBResource):
    """The working warehouse. An empty `database` means PROASN_HOME/warehouse/proasn.duckdb, resolved when
    a connection opens, so one code location serves whatever PROASN_HOME the process has."""

    database: str = ""

    @contextmanager
    def get_connection(self):
        path = self.database or str(get_settings().warehouse_path)
        make_private_dir(Path(path).parent)
        config = {
            "memory_limit": os.environ.get("PROASN_DUCKDB_MEMORY_LIMIT", "8GB"),
            "temp_directory": os.path.join(os.path.dirname(path), "duckdb_tmp"),
            **VACUUM_OFF,  # the nightly compaction vacuums (assets/maintenance.py)
            **self.connection_config,
        }
        # Another process may hold the single-writer lock for a moment (e.g. `proasn status` reading).
        con = backoff(
            duckdb.connect,
            retry_on=(duckdb.IOException,),
            kwargs={"database": path, "read_only": False, "config": config},
            max_retries=10,
        )
        os.chmod(path, 0o600)  # personal data: the owner only
        try:
            yield con
        finally:
            con.close()


def build_resources(dbt_resource, tanggal_acuan: str = "") -> dict:
    """The resources every run needs. Only `proasn` takes run config: the warehouse and dbt are set by the
    environment (PROASN_HOME, the installed dbt), so the Launchpad offers nothing internal to change."""
    return {
        "warehouse": dg.ResourceDefinition.hardcoded_resource(
            WarehouseResource(),
            "The working warehouse, PROASN_HOME/warehouse/proasn.duckdb (set by PROASN_HOME).",
        ),
        "proasn": ProasnConfig(tanggal_acuan=tanggal_acuan),
        "dbt": dg.ResourceDefinition.hardcoded_resource(
            dbt_resource, "dbt, on the project in dbt_project/ and the working warehouse."
        ),
    }


def dagster_instance() -> dg.DagsterInstance:
    """The Dagster instance of DAGSTER_HOME. Its SQLite storage is created when an instance is first made there, and
    two processes that meet an empty DAGSTER_HOME (two refreshes started together) would both create its tables:
    one fails with "table alembic_version already exists". A file lock lets one create them while the other waits."""
    with open(Path(os.environ["DAGSTER_HOME"]) / ".instance.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return dg.DagsterInstance.get()
