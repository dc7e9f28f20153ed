"""ProASN warehouse: the Dagster code location, settings and command line."""
