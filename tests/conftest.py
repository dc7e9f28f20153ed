"""Shared fixtures: an isolated PROASN_HOME per test, with its own Dagster instance directory."""

import shutil
import warnings
from pathlib import Path

import pytest

from pipelines.settings import DevelopmentKeyWarning, export_environment, get_settings

FIXTURES = Path(__file__).parent / "fixtures"
TEST_PSEUDONYM_KEY = "kunci-uji-proasn"


@pytest.fixture
def proasn_home(tmp_path, monkeypatch) -> Path:
    """An empty PROASN_HOME under tmp_path; environment restored after the test."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("PROASN_HOME", str(home))
    monkeypatch.delenv("PROASN_LANDING", raising=False)
    monkeypatch.delenv("PROASN_TANGGAL_ACUAN", raising=False)
    monkeypatch.setenv("PROASN_PSEUDONYM_KEY", TEST_PSEUDONYM_KEY)
    monkeypatch.setenv("DAGSTER_HOME", str(home / "dagster"))
    monkeypatch.setenv("PROASN_WAREHOUSE", str(home / "warehouse" / "proasn.duckdb"))
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
