"""The dbt project as the pipeline uses it, without Dagster: where it is, its manifest (parsed when a
project file is newer), the models it publishes (aggregates and microdata), the small-cell threshold k, and
the fingerprint that decides between a per-agency and a
full rebuild. The Dagster assets over it are in assets/dbt.py."""

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from importlib.metadata import version
from pathlib import Path
from typing import Any

import duckdb
import yaml

from pipelines.pseudonym import asn_key
from pipelines.settings import DBT_PROJECT_DIR

DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")  # the venv's dbt, activated or not
MANIFEST_PATH = DBT_PROJECT_DIR / "target" / "manifest.json"
PUBLISHED_TAG = "published"  # aggregate and reference tables: published/proasn.duckdb and Parquet
MIKRO_TAG = "mikro"  # pseudonymous person-level tables: published/mikro/proasn_mikro.duckdb, coarsened
# A full build runs one node at a time: DuckDB already spreads each national model over every core, and two
# at once slowed each other down (at scale 1.0, stg_skp with stg_riwayat_pelatihan: 69 s together, 45 s one
# after the other; the whole build 375 s with 2 threads, 343 s with 1). Per-agency builds, hundreds of small
# nodes where dbt's own time per node counts, keep the profile's 2 threads.
FULL_BUILD_THREADS = 1
KEPT_BUILD_FOLDERS = 20  # dbt_project/target/dbt_warehouse-*: the newest builds' artifacts, for debugging


def _project_sources() -> list[Path]:
    names = ("models", "seeds", "macros", "tests")
    files = [p for name in names for p in (DBT_PROJECT_DIR / name).rglob("*") if p.is_file()]
    return files + [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]


def project_fingerprint(pseudonym_key: str, engine: str = "duckdb") -> str:
    """The dbt project's sources, the dbt versions, the engine and the pseudonym key, hashed: when this changes, a
    model's code, a seed or every asn_key may have changed, so the per-agency models cannot be updated agency by
    agency (macros/per_instansi.sql). The key enters as the pseudonym of a fixed NIP, never as itself."""
    digest = hashlib.sha256(f"{version('dbt-core')} {version('dbt-duckdb')}".encode())
    if engine != "duckdb":  # (DuckDB's fingerprint as before: no rebuild for its homes)
        digest.update(f" {engine} {version('dbt-spark')}".encode())
    digest.update(asn_key("0" * 18, pseudonym_key).encode())
    for path in sorted(_project_sources()):
        digest.update(path.relative_to(DBT_PROJECT_DIR).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def built_fingerprint(con) -> str | None:
    """The project fingerprint of the last complete build (dbt model status_bangun_berkas), if any."""
    try:
        return con.execute("select any_value(sidik_proyek) from status.status_bangun_berkas").fetchall()[0][0]
    except duckdb.CatalogException:  # no complete build yet
        return None


def ensure_manifest() -> Path:
    """Parse the dbt project when its manifest is missing or older than any project file.

    Several processes may load the code location at once (test workers, the UI, a CLI refresh): a file
    lock lets one parse while the others wait, so nobody reads a half-written manifest."""
    manifest = MANIFEST_PATH
    manifest.parent.mkdir(parents=True, exist_ok=True)
    with open(manifest.parent / ".parse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        newest = max(p.stat().st_mtime for p in _project_sources())
        if not manifest.exists() or manifest.stat().st_mtime < newest:
            subprocess.run(
                [DBT_EXECUTABLE, "parse", "--quiet", "--project-dir", str(DBT_PROJECT_DIR),
                 "--profiles-dir", str(DBT_PROJECT_DIR)],
                check=True, cwd=DBT_PROJECT_DIR,
            )  # fmt: skip
    return manifest


def published_models(manifest_path: Path, tag: str = PUBLISHED_TAG) -> list[dict[str, Any]]:
    """The dbt models tagged `tag` (name, description, columns): `published` for what every analyst and BI tool
    gets, `mikro` for the microdata file."""
    manifest = json.loads(manifest_path.read_text())
    return sorted(
        (node for node in manifest["nodes"].values()
         if node["resource_type"] == "model" and tag in node.get("tags", [])),
        key=lambda node: node["name"],
    )  # fmt: skip


def k_anonimitas() -> int:
    """The small-cell threshold in force (dbt var k_anonimitas, docs/domain-rules.md R12): the suppression of
    the aggregates (macros/suppression.sql), the reports and the k-anonymity of the microdata file."""
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    return int(project.get("vars", {}).get("k_anonimitas", 5))


def prune_build_folders(target: Path, prefix: str, keep: int) -> None:
    """dagster-dbt gives every build its own folder under target/ (compiled SQL, run_results.json, dbt.log:
    about 16 MB at any scale): keep the newest `keep`, so that a daily refresh does not fill the disk."""
    folders = sorted(target.glob(f"{prefix}-*/"), key=lambda p: p.stat().st_mtime, reverse=True)
    for folder in folders[keep:]:
        shutil.rmtree(folder, ignore_errors=True)


def build_folder(op_name: str, run_id: str) -> Path:
    """A new folder under target/ for one dbt build, named as dagster-dbt names them (op, run, a unique part)."""
    return DBT_PROJECT_DIR / "target" / f"{op_name}-{run_id[:7]}-{uuid.uuid4().hex[:7]}"


def build_folders_of_run(op_name: str, run_id: str) -> list[Path]:
    """The folders build_folder() made for a run's dbt builds (compiled SQL, run_results.json, dbt.log)."""
    return sorted((DBT_PROJECT_DIR / "target").glob(f"{op_name}-{run_id[:7]}-*/"))


def parse_state_path(warehouse_path: Path) -> Path:
    """dbt's parse state after the last build of this warehouse, kept beside it. Per warehouse, not one for the
    project: dbt parses everything again when the warehouse path in its profile differs from the last parse,
    which one shared state would make happen at every switch between two homes (the tests' workers, a
    benchmark beside the data team's home)."""
    return warehouse_path.with_name("dbt_partial_parse.msgpack")


def restore_parse_state(warehouse_path: Path, folder: Path) -> None:
    """Put the warehouse's parse state in the build's folder before dbt starts (dagster-dbt then leaves it),
    so that a build with the same vars (the same tanggal_acuan and project) parses only what changed: about
    3 s instead of 6-10. dbt itself checks that the vars, profile, files and its version still match, and
    parses in full if not."""
    state = parse_state_path(warehouse_path)
    if state.exists():
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(state, folder / "partial_parse.msgpack")


def keep_parse_state(folder: Path, warehouse_path: Path) -> None:
    """Keep the parse state of the build in `folder` for the warehouse's next build."""
    state = folder / "partial_parse.msgpack"
    if state.exists():
        kept = parse_state_path(warehouse_path)
        staged = kept.with_name(f".{kept.name}.{os.getpid()}.tmp")
        shutil.copyfile(state, staged)
        os.replace(staged, kept)  # a parse that reads it meanwhile sees the old file or the new one, whole
