"""Dagster resources: where the warehouse is and which settings a run uses."""

from __future__ import annotations

import dataclasses

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.settings import Settings, get_settings, parse_date


class ProasnConfig(dg.ConfigurableResource):
    """Run settings; empty fields fall back to the environment (pipelines.settings)."""

    tanggal_acuan: str = ""  # YYYY-MM-DD
    home: str = ""
    landing: str = ""

    def settings(self) -> Settings:
        tanggal = parse_date(self.tanggal_acuan, "tanggal_acuan") if self.tanggal_acuan else None
        settings = get_settings(tanggal)
        overrides = {}
        if self.home:
            overrides["home"] = type(settings.home)(self.home)
        if self.landing:
            overrides["landing"] = type(settings.landing)(self.landing)
        return dataclasses.replace(settings, **overrides) if overrides else settings


def warehouse_resource(settings: Settings) -> DuckDBResource:
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    return DuckDBResource(database=str(settings.warehouse_path))


def build_resources(settings: Settings, dbt_resource, tanggal_acuan: str = "") -> dict:
    """The resources every run needs; an empty tanggal_acuan means "today" when the run starts."""
    return {
        "warehouse": warehouse_resource(settings),
        "proasn": ProasnConfig(
            tanggal_acuan=tanggal_acuan, home=str(settings.home), landing=str(settings.landing)
        ),
        "dbt": dbt_resource,
    }
