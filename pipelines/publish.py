"""Publish: what analysts read, written beside the old snapshot and swapped in atomically (R12, two tiers).

Two files, both read-only for their readers and never the working warehouse, so a refresh never blocks them:
- published/proasn.duckdb and published/parquet/: aggregate and reference tables only (dbt models tagged
  `published`), for every analyst and BI tool. A table with the person key or a direct identifier is refused
  (PrivacyError): suppressing small cells means nothing while rows per person sit beside them.
- published/mikro/proasn_mikro.duckdb: the pseudonymous person-level tables (dbt models tagged `mikro`), their
  quasi-identifiers coarsened to k-anonymity (pipelines/mikro.py), for a named analysts' group only: the
  folder 0750 and the file 0640 with the group PROASN_ANALYST_GROUP, or the owner alone (0700, 0600) when that
  group is not set or cannot be given the file.

`published` is a symbolic link to one snapshot folder (`.published-snapshots/<id>/`, holding both files and the
Parquet folder): a publish writes a new snapshot whole, checkpointed, then points the link at it with one
rename. Everything changes together or not at all, whatever fails or is killed when; a reader that has an old
file open keeps it, and the previous snapshot stays on disk until the next publish. Each publish writes every
file anew: the coarsening of one agency's people depends on everyone's, so no part of an old microdata file
can be kept.
"""

import datetime as dt
import grp
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines.mikro import (
    REPORT_COLUMN_DESCRIPTIONS,
    REPORT_COLUMNS,
    REPORT_DESCRIPTION,
    REPORT_TABLE,
    Coarsening,
    coarsen,
    descriptions,
)

PERSON_KEY = "asn_key"
# Direct identifiers (R12) that must never reach a published table, by column name.
IDENTIFYING_COLUMNS = frozenset({"nip", "nik", "nama", "tanggal_lahir", "tempat_lahir", "gelar_depan",
                                 "gelar_belakang"})  # fmt: skip
# What the aggregates file and the Parquet files must never hold: a person key, or a direct identifier.
NOT_IN_AGGREGATES = IDENTIFYING_COLUMNS | {PERSON_KEY}


class PrivacyError(RuntimeError):
    """A table about to be published would put persons where they must not be."""


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in con.execute(f"describe {relation}").fetchall()]


def check_aggregate(name: str, columns: list[str]) -> None:
    """The guard of the aggregates file and the Parquet files: no person key, no direct identifier."""
    leaked = NOT_IN_AGGREGATES.intersection(c.lower() for c in columns)
    if leaked:
        raise PrivacyError(
            f"{name} has {sorted(leaked)}: a table with persons or identifiers is not published for every analyst "
            "(tag a pseudonymous person-level model `mikro`, never `published`)"
        )


def check_microdata(name: str, columns: list[str]) -> None:
    """The guard of the microdata file: pseudonymous, so no direct identifier."""
    leaked = IDENTIFYING_COLUMNS.intersection(c.lower() for c in columns)
    if leaked:
        raise PrivacyError(f"{name} has identifying columns {sorted(leaked)}: not published")


@dataclass(frozen=True)
class MikroAccess:
    """Who can read the microdata file: the owner and `group`, or the owner alone (group None), and why."""

    group: str | None
    message: str


@dataclass
class Publication:
    """What a publish wrote: the rows of each table of each file, the coarsening of each microdata table, and
    who can read the microdata file."""

    counts: dict[str, int] = field(default_factory=dict)
    mikro_counts: dict[str, int] = field(default_factory=dict)
    coarsening: list[Coarsening] = field(default_factory=list)
    access: MikroAccess | None = None


DATABASE_FILE = "proasn.duckdb"
PARQUET_FOLDER = "parquet"
MIKRO_FOLDER = "mikro"
MIKRO_FILE = "proasn_mikro.duckdb"
PARQUET_BATCH_ROWS = 1_000_000


def snapshots_of(published_dir: Path) -> Path:
    """Where the snapshots that `published_dir` (a symbolic link) points into are kept."""
    return published_dir.with_name(f".{published_dir.name}-snapshots")


def _snapshot_name(suffix: str) -> str:
    """A new snapshot folder's name: UTC time first, so that names sort as the snapshots were made."""
    return f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%f}-{suffix}"


def published_link(published_dir: Path) -> str | None:
    """Where the `published` link points now (None before the first publish): a run compares it before and
    after to say truthfully whether analysts see a new snapshot."""
    try:
        return os.readlink(published_dir)
    except OSError:
        return None


def _current_snapshot(published_dir: Path) -> Path | None:
    """The snapshot folder analysts read now. A `published` folder of an older version (a real folder)
    is first moved into the snapshots as it is: from then on one rename swaps everything."""
    store = snapshots_of(published_dir)
    if published_dir.is_symlink():
        target = published_dir.resolve()
        return target if target.is_dir() else None
    if not published_dir.exists():
        return None
    legacy = store / _snapshot_name("lama")
    os.rename(published_dir, legacy)  # the one moment with no `published`: once, when upgrading
    _point(published_dir, legacy)
    return legacy


def _point(published_dir: Path, snapshot: Path) -> None:
    """Point the link at `snapshot` with one rename (atomic: readers see the old target or the new)."""
    link = published_dir.with_name(f".{published_dir.name}.{uuid.uuid4().hex}.link")
    os.symlink(os.path.relpath(snapshot, published_dir.parent), link)
    os.replace(link, published_dir)


def _remove_old_snapshots(published_dir: Path, keep: set[Path]) -> None:
    """Every snapshot but `keep` (the current one and the one before, which a reader may just have
    resolved), with what killed publishes left: unfinished snapshots and links."""
    store = snapshots_of(published_dir)
    for path in store.iterdir() if store.exists() else ():
        if path.resolve() not in keep:
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    for link in published_dir.parent.glob(f".{published_dir.name}.*.link"):
        link.unlink(missing_ok=True)


def publish_warehouse(
    con: duckdb.DuckDBPyConnection,
    published_dir: Path,
    models: list[dict],
    mikro_models: list[dict] = (),
    *,
    k: int,
    analyst_group: str = "",
) -> Publication:
    """Write a new snapshot (the aggregates' DuckDB file and Parquet files from `models`, the microdata file
    from `mikro_models`, coarsened to k-anonymity), then point `published_dir` at it; until then readers keep
    seeing the previous snapshot, and if anything fails they go on seeing it. `models` and `mikro_models`:
    dbt nodes (name, schema, description, columns)."""
    for model, check in [(m, check_aggregate) for m in models] + [(m, check_microdata) for m in mikro_models]:
        source = f"{model['schema']}.{model['name']}"
        check(source, [c for c, _ in _columns(con, source)])
    con.execute("detach database if exists publish_target")  # still attached if a publish failed detaching it
    store = snapshots_of(published_dir)
    store.mkdir(parents=True, exist_ok=True)
    current = _current_snapshot(published_dir)
    older = sorted(p for p in store.iterdir() if current and p.name < current.name and p.is_dir())
    _remove_old_snapshots(published_dir, {p.resolve() for p in [current, *older[-1:]] if p})
    snapshot = store / _snapshot_name(uuid.uuid4().hex[:8])
    snapshot.mkdir()
    try:
        publication = _write_aggregates(con, snapshot, models)
        _write_microdata(con, snapshot, mikro_models, k, publication)
        publication.access = restrict_microdata(snapshot / MIKRO_FOLDER, analyst_group)
        os.chmod(snapshot, 0o755)
        _point(published_dir, snapshot)
    except BaseException:
        shutil.rmtree(snapshot, ignore_errors=True)
        raise
    # Published already: what is left over now goes at the next publish. The snapshot analysts read until now
    # stays for a reader that just resolved the link, unless it is of the layout before the two tiers (no
    # microdata folder): its everyone-readable file may hold rows per person, so it goes now.
    two_tiers = current is not None and (current / MIKRO_FOLDER).is_dir()
    try:
        _remove_old_snapshots(
            published_dir, {snapshot.resolve(), *([current.resolve()] if two_tiers else [])}
        )
    except OSError:
        pass
    return publication


def _comment(
    con: duckdb.DuckDBPyConnection, target: str, description: str | None, columns: dict[str, str]
) -> None:
    """The table's and its columns' documentation as comments (`columns`: column -> description)."""
    if description:
        con.execute(f"comment on table {target} is {_quote(description)}")
    present = {c for c, _ in _columns(con, target)}
    for column, text in columns.items():
        if column in present and text:
            con.execute(f"comment on column {target}.{column} is {_quote(text)}")


def _column_descriptions(model: dict) -> dict[str, str]:
    return {column: spec.get("description") or "" for column, spec in model.get("columns", {}).items()}


def _write_aggregates(con: duckdb.DuckDBPyConnection, snapshot: Path, models: list[dict]) -> Publication:
    """The new snapshot's aggregates file and its Parquet files, readable by everyone who reads the snapshot."""
    database, parquet_dir = snapshot / DATABASE_FILE, snapshot / PARQUET_FOLDER
    parquet_dir.mkdir()
    publication = Publication()
    con.execute(f"attach {_quote(str(database))} as publish_target")
    try:
        for model in models:
            name, source = model["name"], f"{model['schema']}.{model['name']}"
            target = f"publish_target.main.{name}"
            con.execute(f"create or replace table {target} as select * from {source}")
            _comment(con, target, model.get("description"), _column_descriptions(model))
            publication.counts[name] = con.execute(f"select count(*) from {target}").fetchone()[0]
        # The guard once more on what was written, whatever wrote it: the file, then each Parquet file.
        for table, column in con.execute(
            "select table_name, column_name from duckdb_columns() where database_name = 'publish_target'"
        ).fetchall():
            check_aggregate(f"{DATABASE_FILE}: {table}", [column])
        for model in models:
            parquet = parquet_dir / f"{model['name']}.parquet"
            _write_parquet(con, f"publish_target.main.{model['name']}", parquet, model)
            check_aggregate(
                parquet.name,
                [c for c, _ in _columns(con, f"select * from read_parquet({_quote(str(parquet))})")],
            )
        con.execute("checkpoint publish_target")
    finally:
        con.execute("detach database if exists publish_target")
    # Analysts' copy: readable by the readers' group and others.
    for path in [database, parquet_dir, *parquet_dir.iterdir()]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    return publication


def _write_parquet(con: duckdb.DuckDBPyConnection, table: str, path: Path, model: dict) -> None:
    """One table as Parquet (zstd), streamed in batches, with its documentation inside: the table's
    description as the file's key `description`, each column's as the field metadata `description` of the
    Arrow schema stored in the file (pyarrow and pandas' pyarrow engine read both; DuckDB reads the first
    with parquet_kv_metadata())."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = _column_descriptions(model)
    reader = con.sql(f"select * from {table}").to_arrow_reader(PARQUET_BATCH_ROWS)
    fields = [
        f.with_metadata({"description": columns[f.name]}) if columns.get(f.name) else f for f in reader.schema
    ]
    schema = pa.schema(fields, metadata={"description": model.get("description") or ""})
    with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
        for batch in reader:
            writer.write_batch(pa.RecordBatch.from_arrays(batch.columns, schema=schema))


def _write_microdata(
    con: duckdb.DuckDBPyConnection, snapshot: Path, mikro_models: list[dict], k: int, publication: Publication
) -> None:
    """The new snapshot's microdata file, in a folder only its owner can enter until restrict_microdata opens
    it to the analysts' group: each table coarsened, and the report of the coarsening."""
    folder = snapshot / MIKRO_FOLDER
    folder.mkdir(mode=0o700)
    os.chmod(folder, 0o700)  # whatever the umask
    database = folder / MIKRO_FILE
    con.execute(f"attach {_quote(str(database))} as publish_target")
    try:
        for model in mikro_models:
            name, source = model["name"], f"{model['schema']}.{model['name']}"
            target = f"publish_target.main.{name}"
            done = coarsen(con, source, target, k, table=name)
            _comment(
                con, target, model.get("description"), descriptions(_column_descriptions(model), done.columns)
            )
            publication.coarsening.append(done)
            publication.mikro_counts[name] = done.rows
        report = f"publish_target.main.{REPORT_TABLE}"
        con.execute(f"create or replace table {report} ({REPORT_COLUMNS})")
        rows = [row for done in publication.coarsening for row in done.report_rows()]
        if rows:
            con.executemany(f"insert into {report} values ({', '.join('?' * len(rows[0]))})", rows)
        _comment(con, report, REPORT_DESCRIPTION, REPORT_COLUMN_DESCRIPTIONS)
        con.execute("checkpoint publish_target")
    finally:
        con.execute("detach database if exists publish_target")
    os.chmod(database, 0o600)


def restrict_microdata(folder: Path, analyst_group: str) -> MikroAccess:
    """Open the microdata folder and file to the owner and `analyst_group` (0750, 0640), or leave them to the
    owner alone (0700, 0600) when no group is named, it does not exist, or this user may not give files to it
    (not a member): the publish goes on either way, and the message says which it is."""
    files = [p for p in folder.iterdir() if p.is_file()]
    group = analyst_group.strip()
    if not group:
        reason = "PROASN_ANALYST_GROUP is not set"
    else:
        try:
            gid = grp.getgrnam(group).gr_gid
        except KeyError:
            reason = f"the group {group!r} of PROASN_ANALYST_GROUP does not exist"
        else:
            try:
                for path in [folder, *files]:
                    os.chown(path, -1, gid)
            except PermissionError:
                reason = f"this user may not give files to the group {group!r} (not a member)"
            else:
                for path in files:
                    os.chmod(path, 0o640)
                os.chmod(folder, 0o750)
                return MikroAccess(group, f"microdata file readable by its owner and the group {group!r}")
    for path in files:
        os.chmod(path, 0o600)
    os.chmod(folder, 0o700)
    return MikroAccess(None, f"microdata file readable by its owner only: {reason}")
