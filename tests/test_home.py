"""`proasn` finds its home the same way from any folder: --home, PROASN_HOME, a proasn.toml found from the
current folder up (or in the project root), then the project's data/ folder; and says what it looked for."""

import os
import subprocess

import duckdb
import pytest

from pipelines import settings as settings_module
from pipelines.publish import publish_warehouse
from pipelines.settings import DEFAULT_HOME, PROJECT_ROOT, find_home, get_settings
from tests.helpers import PROASN

MODELS = [{"name": "mart_jumlah", "schema": "marts", "description": "jumlah", "columns": {}}]


@pytest.fixture
def no_home(monkeypatch):
    """No PROASN_HOME and no --home: the config file or the default decides."""
    monkeypatch.delenv("PROASN_HOME", raising=False)
    monkeypatch.setattr(settings_module, "_home_flag", None)


def published_home(home):
    """A home with a small published snapshot (one aggregate table, no microdata)."""
    home.mkdir(parents=True)
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute("create schema marts")
        con.execute("create table marts.mart_jumlah as select 'A' as kode_instansi, 7 as n")
        publish_warehouse(con, home / "published", MODELS, [], k=5)


def env_without_home() -> dict:
    return {k: v for k, v in os.environ.items() if k != "PROASN_HOME"}


def test_the_config_file_is_found_from_any_folder_below_it(tmp_path, no_home):
    project = tmp_path / "project"
    deeper = project / "laporan" / "2026"
    deeper.mkdir(parents=True)
    (project / "proasn.toml").write_text('home = "state"\n')
    assert find_home(deeper) == (project / "state", str(project / "proasn.toml"))
    assert find_home(project) == find_home(deeper), "relative to the file, not to the current folder"


def test_the_order_is_flag_environment_config_file_default(tmp_path, no_home, monkeypatch):
    (tmp_path / "proasn.toml").write_text(f'home = "{tmp_path / "from-config"}"\n')
    assert find_home(tmp_path) == (tmp_path / "from-config", str(tmp_path / "proasn.toml"))
    monkeypatch.setenv("PROASN_HOME", str(tmp_path / "from-env"))
    assert find_home(tmp_path) == (tmp_path / "from-env", "PROASN_HOME")
    settings_module.use_home_flag(tmp_path / "from-flag")
    assert find_home(tmp_path) == (tmp_path / "from-flag", "--home")
    assert os.environ["PROASN_HOME"] == str(tmp_path / "from-flag"), "dbt and Dagster children see it"
    monkeypatch.delenv("PROASN_HOME")
    monkeypatch.setattr(settings_module, "_home_flag", None)
    (tmp_path / "proasn.toml").unlink()
    if not (PROJECT_ROOT / "proasn.toml").exists():
        assert find_home(tmp_path) == (DEFAULT_HOME, "default")
        assert get_settings().home == PROJECT_ROOT / "data", "not ./data of whatever folder this runs in"


def test_a_config_file_without_a_home_is_an_error_naming_the_file(tmp_path, no_home):
    (tmp_path / "proasn.toml").write_text("rumah = 'x'\n")
    with pytest.raises(ValueError, match=f"{tmp_path / 'proasn.toml'}: needs a line home ="):
        find_home(tmp_path)


def test_proasn_sql_reads_the_same_home_from_any_folder(tmp_path):
    home = tmp_path / "rumah"
    published_home(home)
    elsewhere = tmp_path / "di" / "mana" / "saja"
    elsewhere.mkdir(parents=True)
    query = ["sql", "--csv", "select kode_instansi, n from mart_jumlah"]
    by_flag = subprocess.run(
        [PROASN, "--home", str(home), *query], cwd=elsewhere, env=env_without_home(), capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    assert by_flag.stdout.splitlines() == ["kode_instansi,n", "A,7"]
    (tmp_path / "proasn.toml").write_text('home = "rumah"\n')
    by_config = subprocess.run(
        [PROASN, *query], cwd=elsewhere, env=env_without_home(), capture_output=True, text=True, check=True
    )
    assert by_config.stdout == by_flag.stdout


def test_a_wrong_home_is_not_answered_with_run_refresh(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    wrong = subprocess.run(
        [PROASN, "sql", "select 1"], cwd=elsewhere, capture_output=True, text=True,
        env={**os.environ, "PROASN_HOME": str(tmp_path / "tidak-ada")},
    )  # fmt: skip
    assert wrong.returncode == 1
    assert f"No ProASN home at {tmp_path / 'tidak-ada'} (home from PROASN_HOME)" in wrong.stderr
    assert "--home" in wrong.stderr and "refresh" not in wrong.stderr
    (tmp_path / "proasn.toml").write_text('home = "kosong"\n')
    (tmp_path / "kosong").mkdir()
    empty = subprocess.run([PROASN, "sql", "select 1"], cwd=elsewhere, env=env_without_home(),
                           capture_output=True, text=True)  # fmt: skip
    assert empty.returncode == 1
    assert f"{tmp_path / 'kosong'} (home from {tmp_path / 'proasn.toml'}) holds no warehouse" in empty.stderr
