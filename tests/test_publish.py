"""Publishing for analysts and BI tools: atomic swap, readers never blocked, Parquet, BI reflection."""

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.settings import get_settings
from tests.conftest import FIXTURES, use_home
from tests.test_pipeline import TANGGAL_ACUAN

PROASN = str(Path(sys.executable).parent / "proasn")

# What Superset & co do: a SQLAlchemy engine on duckdb-engine, reflecting every table's columns.
BI_TOOL = """
import pathlib, sys, time
import sqlalchemy as sa
path, stop = sys.argv[1], pathlib.Path(sys.argv[2])
engine = sa.create_engine(f"duckdb:///{path}", connect_args={"read_only": True})
count = 0
while not stop.exists():
    with engine.connect() as connection:
        inspector = sa.inspect(connection)
        tables = inspector.get_table_names()
        assert "mart_talenta_asn" in tables, tables
        for table in tables:
            assert inspector.get_columns(table), table
    count += 1
    time.sleep(0.2)
print(count)
"""


def start_refresh() -> subprocess.Popen:
    env = {**os.environ, "PROASN_TANGGAL_ACUAN": TANGGAL_ACUAN.isoformat()}
    return subprocess.Popen([PROASN, "refresh"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def finish(process: subprocess.Popen) -> str:
    output = process.communicate(timeout=900)[0].decode()
    assert process.returncode == 0, output[-3000:]
    return output


def add_person(landing: Path) -> None:
    """A newer K016 submission with one more person than the fixture's."""
    folder = landing / "K016" / "2026-10-20"
    folder.mkdir(parents=True)
    rows = (FIXTURES / "landing" / "K016" / "2026-09-15" / "pegawai.csv").read_text()
    rows += "198505052010011001;Eko Prasetyo;L;05-05-1985;PNS;III/c;PELAKSANA;;Analis Kebijakan;S1;31\n"
    (folder / "pegawai.csv").write_text(rows)


def test_readers_and_bi_reflection_are_never_blocked_by_a_refresh(fixture_landing, proasn_home):
    finish(start_refresh())
    settings = get_settings()
    reader = duckdb.connect(str(settings.published_path), read_only=True)
    assert reader.execute("select count(*) from mart_talenta_asn").fetchall() == [(5,)]

    add_person(fixture_landing)
    refresh = start_refresh()
    # While the refresh runs, a BI tool (its own process) reflects every table through SQLAlchemy.
    stop = proasn_home / "stop-bi"
    bi = subprocess.Popen(
        [sys.executable, "-c", BI_TOOL, str(settings.published_path), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    finish(refresh)
    stop.touch()
    bi_output = bi.communicate(timeout=60)[0].decode()
    assert bi.returncode == 0, bi_output
    assert int(bi_output.split()[-1]) > 0, "reflected at least once while the refresh ran"

    # The open reader still sees the snapshot it opened; a new connection sees the new one.
    assert reader.execute("select count(*) from mart_talenta_asn").fetchall() == [(5,)]
    reader.close()
    with duckdb.connect(str(settings.published_path), read_only=True) as fresh:
        assert fresh.execute("select count(*) from mart_talenta_asn").fetchall() == [(6,)]


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """One `proasn refresh` on the fixture submissions, shared by the read-only tests below."""
    home = tmp_path_factory.mktemp("published")
    shutil.copytree(FIXTURES / "landing", home / "landing")
    mp = pytest.MonkeyPatch()
    use_home(mp, home)
    finish(start_refresh())
    yield get_settings()
    mp.undo()


def test_parquet_holds_aggregates_only(published):
    settings = published
    exported = {p.stem for p in settings.parquet_dir.glob("*.parquet")}
    with duckdb.connect(str(settings.published_path), read_only=True) as con:
        tables = {
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'main'"
            ).fetchall()
        }
        person_tables = {
            r[0]
            for r in con.execute(
                "select table_name from duckdb_columns() where column_name = 'asn_key'"
            ).fetchall()
        }
        for name in exported:
            rows = con.execute(
                f"select count(*) from '{settings.parquet_dir / (name + '.parquet')}'"
            ).fetchall()
            assert rows == con.execute(f"select count(*) from {name}").fetchall(), name
    assert exported == tables - person_tables
    assert "mart_talenta_asn" not in exported
    assert not list(settings.published_dir.glob(".*.tmp*")), "no staging leftovers"


def test_sql_command_reads_the_published_file(published):
    out = subprocess.run(
        [
            PROASN,
            "sql",
            "--csv",
            "select kode_instansi, count(*) as n from mart_talenta_asn group by 1 order by 1",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.splitlines() == ["kode_instansi,n", "3373,3", "K016,2"]
    refused = subprocess.run([PROASN, "sql", "drop table mart_talenta_asn"], capture_output=True, text=True)
    assert refused.returncode == 1 and "read-only" in refused.stderr.lower()
    missing = subprocess.run(
        [PROASN, "sql", "select 1"],
        capture_output=True,
        text=True,
        env={**os.environ, "PROASN_HOME": "/nonexistent"},
    )
    assert missing.returncode == 1 and "proasn refresh" in missing.stderr


def identifying_values(landing: Path) -> set[str]:
    """Every NIP (as written and as digits), NIK and name in the input submissions."""
    values = set()
    for path in landing.rglob("*.csv"):
        text = path.read_text(encoding="utf-8-sig")
        delimiter = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
        rows = list(csv.DictReader(text.splitlines(), delimiter=delimiter))
        for row in rows:
            for column, value in row.items():
                if column.strip().lower() in ("nip", "nik", "nama") and value and value.strip():
                    values.add(value.strip().lstrip("'"))
                    values.add("".join(ch for ch in value if ch.isdigit()) or value.strip())
    return {v for v in values if len(v) >= 4}


def test_no_published_table_or_parquet_file_holds_an_identifier_from_the_input(published):
    settings = published
    secrets = identifying_values(settings.landing)
    assert len(secrets) > 10
    with duckdb.connect(str(settings.published_path), read_only=True) as con:
        columns = con.execute(
            "select table_name, column_name from duckdb_columns() where schema_name = 'main' and not internal"
        ).fetchall()
        assert not {c for _, c in columns} & {"nip", "nik", "nama", "tanggal_lahir", "tempat_lahir"}
        for table, column in columns:
            values = {str(v) for (v,) in con.execute(f'select distinct "{column}" from {table}').fetchall()}
            leaked = {s for s in secrets for v in values if s in v}
            assert not leaked, f"{table}.{column} holds {leaked}"
    for parquet in settings.parquet_dir.glob("*.parquet"):
        assert not any(s.encode() in parquet.read_bytes() for s in secrets if not s.isdigit() or len(s) >= 16)


def test_reports_are_rebuilt_with_the_nine_box_and_agency_pages(published):
    settings = published
    index = (settings.reports_dir / "index.html").read_text()
    for heading in ("Kotak manajemen talenta", "Cakupan profil", "Kesiapan merit", "Proyeksi pensiun"):
        assert heading in index
    assert index.count('class="box"') == 9, "the nine boxes"
    pages = sorted(p.stem for p in (settings.reports_dir / "kualitas").glob("*.html"))
    assert pages == ["3373", "K016"]
    assert "pegawai" in (settings.reports_dir / "kualitas" / "3373.html").read_text()
    secrets = identifying_values(settings.landing)
    for page in settings.reports_dir.rglob("*.html"):
        if "gx" in page.parts[-3:-1] or page.parent.name.startswith("gx"):
            continue
        text = page.read_text()
        assert not [s for s in secrets if s in text], page


# Publishing agency by agency: the new file starts as a copy of the previous one, and only the agencies whose
# rows differ are replaced in the person-level tables. Real DuckDB files, publish_warehouse called directly (in the
# refreshes above every change is over a quarter of the fixture's rows, so they write the file whole); the last
# test goes through Dagster on generated submissions of many agencies.
MODELS = [
    {
        "name": "mart_orang",
        "schema": "marts",
        "description": "orang",
        "columns": {"asn_key": {"description": "kunci"}},
    },
    {"name": "mart_jumlah", "schema": "marts", "description": "jumlah", "columns": {}},
]


@pytest.fixture
def warehouse(tmp_path):
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("create schema marts")
    con.execute(
        "create table marts.mart_orang as select 'k' || i as asn_key, 'A' || (i % 40) as kode_instansi, i * 1.5 as nilai"
        " from range(1000) as r(i)"
    )
    con.execute(
        "create table marts.mart_jumlah as select kode_instansi, count(*) as n from marts.mart_orang group by 1"
    )
    yield con
    con.close()


def publish_warehouse_models(con, tmp_path, models):
    from pipelines.publish import publish_warehouse

    return publish_warehouse(con, tmp_path / "published", models)


def publish(con, tmp_path):
    return publish_warehouse_models(con, tmp_path, MODELS)


def assert_published_equals_warehouse(con, tmp_path):
    """Every row of every table, repeats included."""
    with duckdb.connect(str(tmp_path / "published" / "proasn.duckdb"), read_only=True) as published:
        for name in ("mart_orang", "mart_jumlah"):
            rows = con.execute(f"select * from marts.{name} order by all").fetchall()
            assert published.execute(f"select * from main.{name} order by all").fetchall() == rows, name


def test_a_publish_replaces_only_the_agencies_whose_rows_differ(warehouse, tmp_path):
    con = warehouse
    counts, replaced = publish(con, tmp_path)
    assert counts == {"mart_orang": 1000, "mart_jumlah": 40} and replaced == {}, (
        "the first file is written whole"
    )
    assert publish(con, tmp_path)[1] == {"mart_orang": []}, "nothing changed: a copy, no agency replaced"

    con.execute("update marts.mart_orang set nilai = nilai + 1 where asn_key = 'k13'")  # A13: one value
    con.execute("delete from marts.mart_orang where kode_instansi = 'A5'")  # A5: gone
    con.execute("insert into marts.mart_orang values ('k1000', 'B1', 1.0)")  # B1: new
    con.execute(
        "insert into marts.mart_orang select * from marts.mart_orang where asn_key = 'k17'"
    )  # A17: a repeat
    con.execute(
        "create or replace table marts.mart_jumlah as select kode_instansi, count(*) as n from marts.mart_orang group by 1"
    )
    counts, replaced = publish(con, tmp_path)
    assert replaced == {"mart_orang": ["A13", "A17", "A5", "B1"]}
    assert counts == {"mart_orang": 1000 - 25 + 2, "mart_jumlah": 40}
    assert_published_equals_warehouse(con, tmp_path)
    with duckdb.connect(str(tmp_path / "published" / "proasn.duckdb"), read_only=True) as published:
        comment = published.execute(
            "select comment from duckdb_columns() where table_name = 'mart_orang' and column_name = 'asn_key'"
        ).fetchone()
        assert comment == ("kunci",), "the copy keeps the documentation"


def test_a_publish_writes_the_file_whole_when_a_copy_would_mislead_or_bloat(warehouse, tmp_path):
    con = warehouse
    publish(con, tmp_path)
    con.execute("update marts.mart_orang set nilai = nilai + 1 where kode_instansi < 'A20'")
    assert publish(con, tmp_path)[1] == {}, "a third of the rows changed: written whole"
    con.execute("alter table marts.mart_orang add column baru integer")
    assert publish(con, tmp_path)[1] == {}, "new columns: written whole"
    assert_published_equals_warehouse(con, tmp_path)

    # A published file from before the fingerprints were kept is written whole, then copied again.
    path = tmp_path / "published" / "proasn.duckdb"
    with duckdb.connect(str(path)) as published:
        published.execute("drop schema publikasi cascade")
    assert publish(con, tmp_path)[1] == {}
    assert publish(con, tmp_path)[1] == {"mart_orang": []}

    # A model no longer published: the file is written whole, without it.
    counts, replaced = publish_warehouse_models(con, tmp_path, MODELS[:1])
    assert replaced == {} and counts == {"mart_orang": 1000}
    with duckdb.connect(str(path), read_only=True) as published:
        assert published.execute(
            "select table_name from duckdb_tables() where schema_name = 'main'"
        ).fetchall() == [("mart_orang",)]


def test_a_sparse_published_file_is_written_whole(warehouse, tmp_path, monkeypatch):
    import pipelines.publish

    con = warehouse
    publish(con, tmp_path)
    assert publish(con, tmp_path)[1] == {"mart_orang": []}  # the rewritten small tables leave free blocks
    monkeypatch.setattr(pipelines.publish, "REWRITE_FREE_BYTES", 0)  # as if those blocks were many megabytes
    assert publish(con, tmp_path)[1] == {}
    with duckdb.connect(str(tmp_path / "published" / "proasn.duckdb"), read_only=True) as published:
        assert published.execute("select free_blocks from pragma_database_size()").fetchone() == (0,)


def test_a_published_file_held_open_for_writing_is_not_copied_but_replaced(warehouse, tmp_path):
    con = warehouse
    publish(con, tmp_path)
    path = tmp_path / "published" / "proasn.duckdb"
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, sys; c = duckdb.connect({str(path)!r}); print('open', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "open"
        con.execute("update marts.mart_orang set nilai = 0 where asn_key = 'k1'")
        assert publish(con, tmp_path)[1] == {}, "the locked file is not read: written whole"
    finally:
        writer.communicate("", timeout=60)
    assert_published_equals_warehouse(con, tmp_path)


def test_a_killed_publish_leaves_nothing_behind_for_long(warehouse, tmp_path):
    """What a publish killed half-way leaves (an unfinished snapshot with DuckDB's WAL, a link never renamed)
    goes at the next; an older layout's real `published` folder becomes a snapshot on the way."""
    from pipelines.publish import snapshots_of

    published = tmp_path / "published"
    published.mkdir()
    (published / "proasn.duckdb").write_bytes(b"an older layout's file")
    store = snapshots_of(published)
    (store / "99991231T000000000000-dead").mkdir(parents=True)
    (store / "99991231T000000000000-dead" / "proasn.duckdb.wal").write_bytes(b"half-written")
    (tmp_path / ".published.dead.link").symlink_to("nowhere")
    publish(warehouse, tmp_path)
    assert published.is_symlink() and sorted(p.name for p in published.iterdir()) == [
        "parquet",
        "proasn.duckdb",
    ]
    kept = sorted(p.name for p in store.iterdir())
    assert len(kept) == 2 and kept[0].endswith("-lama"), "the new snapshot and the one analysts read before"
    assert not list(tmp_path.glob(".published.*.link"))
    publish(warehouse, tmp_path)
    assert len(list(store.iterdir())) == 2, "each publish keeps the current snapshot and the one before"


class Faults:
    """Fails the n-th write of a publish (every statement on the connection, every file operation)."""

    def __init__(self, n: int):
        self.n, self.count = n, 0

    def tick(self):
        self.count += 1
        if self.count == self.n:
            raise OSError(28, f"injected failure at write {self.n}")  # ENOSPC: what a full disk says

    def wrap(self, function):
        def failing(*args, **kwargs):
            self.tick()
            return function(*args, **kwargs)

        return failing


class FaultyConnection:
    def __init__(self, con, faults: Faults):
        self.con, self.faults = con, faults

    def execute(self, *args, **kwargs):
        self.faults.tick()
        return self.con.execute(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.con, name)


def published_state(published: Path) -> dict:
    """What analysts read: every table of the DuckDB file and every Parquet file, row by row."""
    with duckdb.connect(str(published / "proasn.duckdb"), read_only=True) as con:
        state = {name: con.execute(f"select * from main.{name} order by all").fetchall() for name in
                 ("mart_orang", "mart_jumlah")}  # fmt: skip
        for parquet in sorted((published / "parquet").glob("*.parquet")):
            state[parquet.name] = con.execute(f"select * from '{parquet}' order by all").fetchall()
    return state


def test_a_publish_failing_at_any_write_leaves_analysts_the_whole_previous_snapshot(
    warehouse, tmp_path, monkeypatch
):
    """Each write of the publish fails in turn (a full disk, a read-only Parquet folder...): the DuckDB
    file and the Parquet files analysts read stay the previous snapshot, both of them, and the next publish
    succeeds. The failure counts every write until a publish no longer reaches it."""
    from pipelines.publish import publish_warehouse, snapshots_of

    con, published = warehouse, tmp_path / "published"
    publish(con, tmp_path)
    n = 0
    while True:
        n += 1
        con.execute("update marts.mart_orang set nilai = nilai + 1 where kode_instansi in ('A1', 'A2')")
        con.execute("insert into marts.mart_jumlah values ('Z', 1)")
        before = published_state(published)
        faults = Faults(n)
        with monkeypatch.context() as m:
            for module, name in ((os, "replace"), (os, "rename"), (os, "symlink"), (os, "chmod"),
                                 (os, "mkdir"), (shutil, "copyfile")):  # fmt: skip
                m.setattr(module, name, faults.wrap(getattr(module, name)))
            try:
                publish_warehouse(FaultyConnection(con, faults), published, MODELS)
                failed = False
            except (OSError, duckdb.Error):
                failed = True
        assert len(list(snapshots_of(published).iterdir())) <= 2
        if failed:
            assert published_state(published) == before, f"failure at write {n}: analysts read the old one"
        else:  # the failure was handled (mkdir of a folder that exists), or n is past the last write
            assert_published_equals_warehouse(con, tmp_path)
            if faults.count < n:
                break
    assert n > 20, "every statement and file operation was failed once"
    publish(con, tmp_path)
    assert_published_equals_warehouse(con, tmp_path)


@pytest.mark.slow
def test_a_resubmission_is_published_by_agency_through_dagster(proasn_home):
    """On generated submissions of ~90 agencies, real refreshes: after one agency resubmits with a person fewer,
    the publish replaces that agency's rows in a copy, and every published table equals the warehouse's."""
    import dagster as dg

    from assets.definitions import refresh_job_def, refresh_run_config
    from assets.publish import PUBLISHED_KEY
    from tools.generate import generate

    settings = get_settings()
    generate(settings.landing, scale=0.0002, seed=3, quiet=True)
    biggest = max(settings.landing.glob("*/*/pegawai.csv"), key=lambda p: p.stat().st_size)
    agency = biggest.parent.parent.name

    def published_metadata(instance) -> dict:
        result = refresh_job_def().execute_in_process(
            run_config=refresh_run_config(TANGGAL_ACUAN), instance=instance, raise_on_error=False
        )
        assert result.success
        (event,) = [e for e in result.get_asset_materialization_events() if e.asset_key == PUBLISHED_KEY]
        return {k: v.value for k, v in event.materialization.metadata.items()}

    with dg.DagsterInstance.ephemeral() as instance:
        assert "agencies_replaced_mart_talenta_asn" not in published_metadata(instance), "the first: whole"
        lines = biggest.read_text(encoding="utf-8-sig").splitlines(keepends=True)
        resubmitted = biggest.parent.parent / "2026-10-31" / biggest.name
        resubmitted.parent.mkdir()
        resubmitted.write_text("".join(lines[:-1]), encoding="utf-8")  # the last person left
        metadata = published_metadata(instance)

    assert metadata["agencies_replaced_mart_talenta_asn"] >= 1
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        replaced_share = con.execute(
            f"select count(*) filter (kode_instansi = '{agency}') / count(*) from marts.mart_talenta_asn"
        ).fetchone()[0]
        assert 0 < replaced_share < 0.25
        con.execute(f"attach '{settings.published_path}' as published (read_only)")
        tables = con.execute(
            "select table_name from duckdb_tables() where database_name = 'published' and schema_name = 'main'"
        ).fetchall()
        assert len(tables) >= 10
        for (table,) in tables:
            (schema,) = con.execute(
                f"select schema_name from duckdb_tables() where database_name = current_database() "
                f"and table_name = '{table}'"
            ).fetchone()
            for a, b in (
                (f"{schema}.{table}", f"published.main.{table}"),
                (f"published.main.{table}", f"{schema}.{table}"),
            ):
                assert con.execute(f"select count(*) from (from {a} except all from {b})").fetchone() == (
                    0,
                ), table
