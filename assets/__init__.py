"""The thin Dagster layer: assets and asset checks over pipelines/, resources, sensors, schedules, jobs and the code location (definitions.py)."""
