"""Shared fixtures: an isolated PROASN_HOME per test, with its own Dagster instance directory."""

import shutil
import warnings
from pathlib import Path

import pytest

from pipelines.settings import DevelopmentKeyWarning, export_environment, get_settings

FIXTURES = Path(__file__).parent / "fixtures"
TEST_PSEUDONYM_KEY = "kunci-uji-proasn"


def use_home(mp: pytest.MonkeyPatch, home: Path) -> None:
    """Point every ProASN and Dagster path at `home` (landing, warehouse, Dagster instance), with the test
    pseudonym key and no pinned tanggal_acuan; `mp` restores the environment."""
    mp.setenv("PROASN_HOME", str(home))
    mp.delenv("PROASN_LANDING", raising=False)
    mp.delenv("PROASN_TANGGAL_ACUAN", raising=False)
    mp.setenv("PROASN_PSEUDONYM_KEY", TEST_PSEUDONYM_KEY)
    mp.setenv("DAGSTER_HOME", str(home / "dagster"))
    mp.setenv("PROASN_WAREHOUSE", str(home / "warehouse" / "proasn.duckdb"))


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


def pytest_configure(config):
    """The dbt manifest that the code location reads, parsed (when a project file is newer) before any test
    module imports assets: importing them parses nothing."""
    from pipelines.dbt_project import ensure_manifest

    ensure_manifest()
