"""Dagster assets and asset checks: ingest, dbt, quality, publish."""
