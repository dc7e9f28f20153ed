"""Shared fixtures: an isolated PROASN_HOME per test, with its own Dagster instance directory. The helpers
shared by the test modules are in helpers.py."""

import shutil
import warnings
from pathlib import Path

import pytest

from pipelines.settings import DevelopmentKeyWarning, export_environment, get_settings
from tests.helpers import FIXTURES, TEST_PSEUDONYM_KEY, use_home  # noqa: F401 (also importable from here)


@pytest.fixture
def proasn_home(tmp_path, monkeypatch) -> Path:
    """An empty PROASN_HOME under tmp_path; environment restored after the test."""
    home = tmp_path / "home"
    home.mkdir()
    use_home(monkeypatch, home)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DevelopmentKeyWarning)
        export_environment(get_settings())
    return home


@pytest.fixture
def fixture_landing(proasn_home) -> Path:
    """The hand-written tiny submissions of tests/fixtures/landing, copied into PROASN_HOME/landing."""
    landing = proasn_home / "landing"
    shutil.copytree(FIXTURES / "landing", landing)
    return landing


# The modules that take longest, longest first (their share of the suite, measured on 2026-12-07; test_spark's
# 275 s on 2026-12-08). xdist hands whole modules to the two workers (--dist loadfile, --no-loadscope-reorder) in
# the order collected: started first, the long ones end together instead of one worker waiting alone for the last
# of them. The others follow in their usual order.
LONGEST_MODULES = ("test_spark", "test_dbt_per_instansi", "test_orchestration", "test_aggregates", "test_crash",
                   "test_console", "test_publish", "test_tanggal_acuan", "test_benchmark", "test_pergerakan",
                   "test_refresh", "test_dbt_warehouse", "test_privacy", "test_mikro", "test_generate",
                   "test_ingest_generated", "test_rekomendasi_paket_profil")  # fmt: skip


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(LONGEST_MODULES)}
    items.sort(key=lambda item: rank.get(Path(item.nodeid.split("::")[0]).stem, len(rank)))


def pytest_configure(config):
    """The dbt manifest that the code location reads, parsed (when a project file is newer) before any test
    module imports assets: importing them parses nothing."""
    from pipelines.dbt_project import ensure_manifest

    ensure_manifest()


def pytest_terminal_summary(terminalreporter):
    """Say plainly at the end when the Spark engine's tests did not run (tests/test_spark.py: no Java or no
    Spark extra), which a count of skipped tests alone would hide."""
    for report in terminalreporter.stats.get("skipped", []):
        if report.nodeid.startswith("tests/test_spark.py"):
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            terminalreporter.write_line(f"NOTE: {reason.removeprefix('Skipped: ')}", yellow=True, bold=True)
            break
