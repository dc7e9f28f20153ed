"""Publish: the analysts' read-only warehouse, written beside the old one and swapped in atomically.

Readers (analysts, BI tools) open published/proasn.duckdb and published/parquet/ read-only and never the
working warehouse, so a refresh never blocks them. `published` is a symbolic link to one snapshot folder
(`.published-snapshots/<id>/`, holding the DuckDB file and the Parquet folder): a publish writes a new
snapshot whole, checkpointed, then points the link at it with one rename. The file and the Parquet files
change together or not at all, whatever fails or is killed when; a reader that has the old file open keeps
it, and the previous snapshot stays on disk until the next publish.

The new file starts as a copy of the old one when it can: the small tables are written again, and the person-level
ones (mart_talenta_asn, 5.4M rows at national scale) only for the agencies whose rows differ. Which agencies
those are comes from a fingerprint of each agency's rows, kept in the published file itself (FINGERPRINTS), so
the record and the rows it describes are swapped in together and can never disagree.
"""

import datetime as dt
import os
import shutil
import uuid
from pathlib import Path

import duckdb

PERSON_KEY = "asn_key"
AGENCY_KEY = "kode_instansi"
# Direct identifiers (R12) that must never reach a published table, by column name.
IDENTIFYING_COLUMNS = frozenset({"nip", "nik", "nama", "tanggal_lahir", "tempat_lahir", "gelar_depan",
                                 "gelar_belakang"})  # fmt: skip
# In the published file, beside the analysts' tables (schema main): for each person-level table and agency, the
# number of rows and the sum of their row hashes when they were published. No person's data.
FINGERPRINTS = "publikasi.sidik_instansi"
FINGERPRINT_COLUMNS = f"tabel varchar, {AGENCY_KEY} varchar, jumlah_baris bigint, sidik hugeint"
# Replacing agencies leaves the deleted rows' blocks free in the file (DuckDB reuses them later). The file is
# written anew when more than this share of its blocks is free (and at least REWRITE_FREE_BYTES: a few free
# blocks of a small file waste nothing), or when more than this share of a table's rows would be replaced.
REWRITE_SHARE = 0.25
REWRITE_FREE_BYTES = 16 * 2**20


class PrivacyError(RuntimeError):
    """A table about to be published carries a direct identifier."""


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def is_aggregate(columns: list[str]) -> bool:
    """A published table without the person key holds aggregates or reference data, never persons."""
    return PERSON_KEY not in columns


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in con.execute(f"describe {relation}").fetchall()]


def _by_agency(columns: list[str]) -> bool:
    """A person-level table with the agency of each row: published agency by agency."""
    return not is_aggregate(columns) and AGENCY_KEY in columns


def _fingerprint(con: duckdb.DuckDBPyConnection, sources: dict[str, str]) -> None:
    """publish_sidik: for each table published agency by agency (name: warehouse relation) and each agency,
    its rows and the sum of their hashes (a sum, so that two equal rows do not cancel out)."""
    con.execute(f"create or replace temp table publish_sidik ({FINGERPRINT_COLUMNS})")
    for name, source in sources.items():
        con.execute(
            f"insert into publish_sidik select {_quote(name)}, {AGENCY_KEY}, count(*), sum(hash(t)::hugeint) "
            f"from {source} as t group by {AGENCY_KEY}"
        )


def _from_previous(
    con: duckdb.DuckDBPyConnection, published_path: Path, columns: dict[str, list[tuple[str, str]]]
) -> bool:
    """Whether the new file can start as a copy of the published one: that holds exactly the tables to publish,
    with the same columns, is not too sparse, and few of its rows differ from the warehouse's. If so,
    publish_berubah lists the agencies to replace in each table published agency by agency. `columns`: each
    table to publish, with its columns and types in the warehouse."""
    if not published_path.exists():
        return False
    try:
        con.execute(f"attach {_quote(str(published_path))} as publish_previous (read_only)")
    except duckdb.Error:  # unreadable, or locked by a writer: not a start to trust
        return False
    try:
        tables = {r[0] for r in con.execute(
            "select schema_name || '.' || table_name from duckdb_tables() where database_name = 'publish_previous'"
        ).fetchall()}  # fmt: skip
        if tables != {f"main.{name}" for name in columns} | {FINGERPRINTS}:
            return False
        if any(_columns(con, f"publish_previous.main.{name}") != typed for name, typed in columns.items()):
            return False
        if _columns(con, f"publish_previous.{FINGERPRINTS}") != _columns(con, "publish_sidik"):
            return False
        total, free, block_size = con.execute(
            "select total_blocks, free_blocks, block_size from pragma_database_size()"
            " where database_name = 'publish_previous'"
        ).fetchone()
        if free > REWRITE_SHARE * total and free * block_size >= REWRITE_FREE_BYTES:
            return False
        con.execute(
            f"""create or replace temp table publish_berubah as
            select coalesce(baru.tabel, lama.tabel) as tabel, coalesce(baru.{AGENCY_KEY}, lama.{AGENCY_KEY}) as {AGENCY_KEY},
                   coalesce(baru.jumlah_baris, 0) + coalesce(lama.jumlah_baris, 0) as baris
            from publish_sidik as baru
            full join publish_previous.{FINGERPRINTS} as lama
                on baru.tabel = lama.tabel and baru.{AGENCY_KEY} is not distinct from lama.{AGENCY_KEY}
            where baru.jumlah_baris is distinct from lama.jumlah_baris or baru.sidik is distinct from lama.sidik"""
        )  # fmt: skip
        # Old and new rows of each agency are counted: against twice the table's rows.
        too_many = con.execute(
            f"""select count(*) from (select tabel, sum(baris) as baris from publish_berubah group by tabel) as b
            join (select tabel, sum(jumlah_baris) as semua from publish_sidik group by tabel) as s using (tabel)
            where b.baris > {REWRITE_SHARE} * 2 * s.semua"""
        ).fetchone()[0]
        return too_many == 0
    finally:
        con.execute("detach database publish_previous")


def _replace_changed_agencies(con: duckdb.DuckDBPyConnection, source: str, name: str) -> list[str]:
    """In the copy of the published table, replace the rows of the agencies listed in publish_berubah."""
    target = f"publish_target.main.{name}"
    changed = f"publish_berubah.tabel = {_quote(name)} and {{table}}.{AGENCY_KEY} is not distinct from publish_berubah.{AGENCY_KEY}"
    con.execute(f"delete from {target} using publish_berubah where {changed.format(table=target)}")
    con.execute(
        f"insert into {target} select t.* from {source} as t "
        f"where exists (select 1 from publish_berubah where {changed.format(table='t')})"
    )
    return [r[0] for r in con.execute(
        f"select {AGENCY_KEY} from publish_berubah where tabel = {_quote(name)} order by 1"
    ).fetchall()]  # fmt: skip


DATABASE_FILE = "proasn.duckdb"
PARQUET_FOLDER = "parquet"


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
    con: duckdb.DuckDBPyConnection, published_dir: Path, models: list[dict]
) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Write the published models into a new snapshot (the DuckDB file, and the aggregates as Parquet
    files), then point `published_dir` at it; until then readers keep seeing the previous snapshot, and if
    anything fails they go on seeing it. Returns the rows of each table and, when the new file started as a
    copy of the previous one, the agencies replaced in each table published agency by agency (empty when
    the file was written whole)."""
    typed_columns, by_agency = {}, {}  # each table's columns and types in the warehouse, read once
    for model in models:
        name, source = model["name"], f"{model['schema']}.{model['name']}"
        typed_columns[name] = _columns(con, source)
        columns = [c for c, _ in typed_columns[name]]
        leaked = IDENTIFYING_COLUMNS.intersection(columns)
        if leaked:
            raise PrivacyError(f"{source} has identifying columns {sorted(leaked)}: not published")
        if _by_agency(columns):
            by_agency[name] = source
    for name in ("publish_previous", "publish_target"):  # still attached if a publish failed detaching it
        con.execute(f"detach database if exists {name}")
    store = snapshots_of(published_dir)
    store.mkdir(parents=True, exist_ok=True)
    current = _current_snapshot(published_dir)
    older = sorted(p for p in store.iterdir() if current and p.name < current.name and p.is_dir())
    _remove_old_snapshots(published_dir, {p.resolve() for p in [current, *older[-1:]] if p})
    snapshot = store / _snapshot_name(uuid.uuid4().hex[:8])
    snapshot.mkdir()
    try:
        counts, replaced = _write_snapshot(con, snapshot, current, models, typed_columns, by_agency)
        os.chmod(snapshot, 0o755)
        _point(published_dir, snapshot)
    except BaseException:
        shutil.rmtree(snapshot, ignore_errors=True)
        raise
    try:  # published already: what is left over now goes at the next publish
        _remove_old_snapshots(published_dir, {snapshot.resolve(), *([current.resolve()] if current else [])})
    except OSError:
        pass
    return counts, replaced


def _write_snapshot(
    con: duckdb.DuckDBPyConnection,
    snapshot: Path,
    current: Path | None,
    models: list[dict],
    typed_columns: dict[str, list[tuple[str, str]]],
    by_agency: dict[str, str],
) -> tuple[dict[str, int], dict[str, list[str]]]:
    """The new snapshot's DuckDB file (a copy of the current one when it can start from it) and Parquet."""
    database, parquet_dir = snapshot / DATABASE_FILE, snapshot / PARQUET_FOLDER
    parquet_dir.mkdir()
    _fingerprint(con, by_agency)
    from_previous = current is not None and _from_previous(con, current / DATABASE_FILE, typed_columns)
    if from_previous:
        shutil.copyfile(current / DATABASE_FILE, database)
    counts, replaced = {}, {}
    con.execute(f"attach {_quote(str(database))} as publish_target")
    try:
        for model in models:
            name, source = model["name"], f"{model['schema']}.{model['name']}"
            target = f"publish_target.main.{name}"
            if from_previous and name in by_agency:
                replaced[name] = _replace_changed_agencies(con, source, name)
            else:
                con.execute(f"create or replace table {target} as select * from {source}")
            if model.get("description"):
                con.execute(f"comment on table {target} is {_quote(model['description'])}")
            columns = [c for c, _ in typed_columns[name]]
            for column, spec in model.get("columns", {}).items():
                if column in columns and spec.get("description"):
                    con.execute(f"comment on column {target}.{column} is {_quote(spec['description'])}")
            if is_aggregate(columns):
                parquet = parquet_dir / f"{name}.parquet"
                con.execute(f"copy {target} to {_quote(str(parquet))} (format parquet, compression zstd)")
            counts[name] = con.execute(f"select count(*) from {target}").fetchall()[0][0]
        con.execute("create schema if not exists publish_target.publikasi")
        con.execute(f"create or replace table publish_target.{FINGERPRINTS} as select * from publish_sidik")
        con.execute("checkpoint publish_target")
    finally:
        con.execute("detach database if exists publish_target")
    # Analysts' copy: readable by the readers' group and others.
    for path in [database, parquet_dir, *parquet_dir.iterdir()]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    return counts, replaced
