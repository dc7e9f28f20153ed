"""Every setting the project reads, in one place (README.md: Settings; docs/operations.md: Files under PROASN_HOME).

Read lazily through `get_settings()` so tests can point PROASN_HOME elsewhere per test.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
import warnings
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"

# The home (PROASN_HOME) is found in this order, the same from any folder (README.md: Settings):
# `proasn --home DIR`, the environment variable PROASN_HOME, the key `home` of a project config file
# `proasn.toml` (the first found in the current folder and its parents, else in the project root),
# then DEFAULT_HOME.
CONFIG_FILE = "proasn.toml"
DEFAULT_HOME = PROJECT_ROOT / "data"
_home_flag: Path | None = None

# Only for development and tests; production sets PROASN_PSEUDONYM_KEY.
DEVELOPMENT_PSEUDONYM_KEY = "proasn-development-key-not-for-production"


class DevelopmentKeyWarning(UserWarning):
    """The pseudonym key is the public development default: asn_key is not protected."""


@dataclass(frozen=True)
class Settings:
    home: Path
    landing: Path
    tanggal_acuan: dt.date
    pseudonym_key: str
    pseudonym_key_is_default: bool
    freshness_days: int = 90  # an agency whose newest submission is older is flagged (warning)
    alert_webhook: str = ""  # URL that receives a JSON POST when a run fails; empty = none
    sensor_settle_seconds: int = 60  # a submission folder untouched this long is complete
    analyst_group: str = ""  # the group that may read the microdata file; empty = its owner only
    home_source: str = ""  # how the home was found, for messages ("PROASN_HOME", "--home", a config file)
    engine: str = "duckdb"  # where dbt builds the models: duckdb, or spark (docs/spark-engine.md)

    @property
    def warehouse_path(self) -> Path:
        """The working warehouse: the pipeline only; holds personal data."""
        return self.home / "warehouse" / "proasn.duckdb"

    @property
    def published_dir(self) -> Path:
        return self.home / "published"

    @property
    def published_path(self) -> Path:
        """What analysts and BI tools read: no direct identifiers."""
        return self.published_dir / "proasn.duckdb"

    @property
    def parquet_dir(self) -> Path:
        return self.published_dir / "parquet"

    @property
    def mikro_path(self) -> Path:
        """The pseudonymous person-level file, coarsened: the owner and PROASN_ANALYST_GROUP only."""
        return self.published_dir / "mikro" / "proasn_mikro.duckdb"

    @property
    def reports_dir(self) -> Path:
        return self.home / "reports"

    @property
    def exports_dir(self) -> Path:
        """Agency feedback packs, one folder per agency: personal data (owner only)."""
        return self.home / "exports"

    @property
    def taken_path(self) -> Path:
        """Every submission folder a refresh has read, with its signature: the landing sensor starts no run
        for them, whether the refresh came from it, the schedule, the UI or `proasn refresh`."""
        return self.home / "ingest" / "submissions_taken.json"

    @property
    def alerts_path(self) -> Path:
        return self.home / "alerts" / "alerts.jsonl"

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"


def parse_date(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"{what} must be a date YYYY-MM-DD, got {text!r}") from exc


def _int_env(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, got {value!r}") from exc


def use_home_flag(path: Path) -> None:
    """`proasn --home DIR`: first in the order, and exported as PROASN_HOME for dbt, Dagster and children."""
    global _home_flag
    _home_flag = Path(path).expanduser().resolve()
    os.environ["PROASN_HOME"] = str(_home_flag)


def config_files(cwd: Path | None = None) -> list[Path]:
    """Where a project config file is looked for, in order: the current folder and its parents, then the
    project root."""
    start = (cwd or Path.cwd()).resolve()
    places = [folder / CONFIG_FILE for folder in (start, *start.parents)]
    root = PROJECT_ROOT / CONFIG_FILE
    return places if root in places else [*places, root]


def find_home(cwd: Path | None = None) -> tuple[Path, str]:
    """The home and how it was found, in the documented order (flag, environment, config file, default)."""
    env = os.environ.get("PROASN_HOME", "").strip()
    if _home_flag is not None and env == str(_home_flag):
        return _home_flag, "--home"
    if env:
        return Path(env).expanduser().resolve(), "PROASN_HOME"
    for config in config_files(cwd):
        if config.is_file():
            try:
                data = tomllib.loads(config.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise ValueError(f"{config}: not a readable TOML file ({exc})") from exc
            home = data.get("home")
            if not isinstance(home, str) or not home.strip():
                raise ValueError(f'{config}: needs a line home = "/path/to/proasn-home"')
            return (config.parent / Path(home).expanduser()).resolve(), str(config)
    return DEFAULT_HOME, "default"


def home_search_text(settings: Settings) -> str:
    """How the home was found, and where else it was looked for: for messages that say a file is missing."""
    if settings.home_source == "default":
        looked = ", ".join(str(p) for p in config_files())
        return f"the default home: no --home, no PROASN_HOME and no {CONFIG_FILE} (looked for {looked})"
    return f"home from {settings.home_source}"


def get_settings(tanggal_acuan: dt.date | None = None) -> Settings:
    home, home_source = find_home()
    landing = Path(os.environ.get("PROASN_LANDING") or home / "landing").resolve()
    if tanggal_acuan is None:
        env_date = os.environ.get("PROASN_TANGGAL_ACUAN")
        tanggal_acuan = parse_date(env_date, "PROASN_TANGGAL_ACUAN") if env_date else dt.date.today()
    key = os.environ.get("PROASN_PSEUDONYM_KEY") or ""
    return Settings(
        home=home,
        landing=landing,
        tanggal_acuan=tanggal_acuan,
        pseudonym_key=key or DEVELOPMENT_PSEUDONYM_KEY,
        pseudonym_key_is_default=not key,
        freshness_days=_int_env("PROASN_FRESHNESS_DAYS", 90),
        alert_webhook=os.environ.get("PROASN_ALERT_WEBHOOK", "").strip(),
        sensor_settle_seconds=_int_env("PROASN_SENSOR_SETTLE_SECONDS", 60),
        analyst_group=os.environ.get("PROASN_ANALYST_GROUP", "").strip(),
        home_source=home_source,
        engine=_engine_env(),
    )


ENGINES = ("duckdb", "spark")


def _engine_env() -> str:
    value = os.environ.get("PROASN_ENGINE", "").strip().lower() or "duckdb"
    if value not in ENGINES:
        raise ValueError(f"PROASN_ENGINE must be one of {', '.join(ENGINES)}, got {value!r}")
    return value


def warn_if_development_key(settings: Settings) -> None:
    if settings.pseudonym_key_is_default:
        warnings.warn(
            "PROASN_PSEUDONYM_KEY is not set: asn_key uses the public DEVELOPMENT key and can be "
            "reversed by anyone holding a NIP list. Set PROASN_PSEUDONYM_KEY before publishing real data.",
            DevelopmentKeyWarning,
            stacklevel=2,
        )


DAGSTER_YAML = """\
# Written by ProASN (pipelines/settings.py). Every asset that writes the warehouse is in the pool
# "warehouse"; a limit of 1 makes overlapping runs queue instead of failing on DuckDB's file lock.
concurrency:
  pools:
    default_limit: 1
telemetry:
  enabled: false
# Runs launched by the UI/daemon whose process died are marked failed (and free their pool slot).
run_monitoring:
  enabled: true
"""


def make_private_dir(path: Path) -> None:
    """A folder for personal data (the working warehouse): readable by its owner only."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)


def export_environment(settings: Settings) -> None:
    """Environment that dbt (profiles.yml) and Dagster (DAGSTER_HOME) read in this process and children."""
    os.environ["PROASN_WAREHOUSE"] = str(settings.warehouse_path)
    os.environ.setdefault("DAGSTER_HOME", str(settings.dagster_home))
    dagster_home = Path(os.environ["DAGSTER_HOME"])
    dagster_home.mkdir(parents=True, exist_ok=True)
    make_private_dir(settings.warehouse_path.parent)
    config = dagster_home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
