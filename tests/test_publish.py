"""Publishing for analysts and BI tools: two tiers (aggregates for everyone, coarsened microdata for a group),
atomic swap, readers never blocked, Parquet, BI reflection."""

import datetime as dt
import grp
import html
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.publish import IDENTIFYING_COLUMNS, NOT_IN_AGGREGATES, PrivacyError
from pipelines.settings import PROJECT_ROOT, get_settings
from tests.helpers import (
    FIXTURES,
    PROASN,
    finish_refresh,
    full_log,
    identifying_values,
    proasn_refresh,
    start_refresh,
    use_home,
)

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
        assert "mart_indikator_instansi" in tables and "mart_talenta_asn" not in tables, tables
        for table in tables:
            assert inspector.get_columns(table), table
    count += 1
    time.sleep(0.2)
print(count)
"""


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def add_person(landing: Path) -> None:
    """A newer K016 submission with one more person than the fixture's."""
    folder = landing / "K016" / "2026-10-20"
    folder.mkdir(parents=True)
    rows = (FIXTURES / "landing" / "K016" / "2026-09-15" / "pegawai.csv").read_text()
    rows += "198505052010011001;Eko Prasetyo;L;05-05-1985;PNS;III/c;PELAKSANA;;Analis Kebijakan;S1;31\n"
    (folder / "pegawai.csv").write_text(rows)


@pytest.mark.slow
def test_readers_and_bi_reflection_are_never_blocked_by_a_refresh(fixture_landing, proasn_home):
    proasn_refresh()
    settings = get_settings()
    reader = duckdb.connect(str(settings.published_path), read_only=True)
    mikro_reader = duckdb.connect(str(settings.mikro_path), read_only=True)
    assert reader.execute("select sum(jumlah_asn) from mart_indikator_instansi").fetchall() == [(5,)]
    assert mikro_reader.execute("select count(*) from mart_talenta_asn").fetchall() == [(5,)]

    add_person(fixture_landing)
    refresh = start_refresh()
    # While the refresh runs, a BI tool (its own process) reflects every table through SQLAlchemy.
    stop = proasn_home / "stop-bi"
    bi = subprocess.Popen(
        [sys.executable, "-c", BI_TOOL, str(settings.published_path), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    finish_refresh(refresh)
    stop.touch()
    bi_output = bi.communicate(timeout=60)[0].decode()
    assert bi.returncode == 0, bi_output
    assert int(bi_output.split()[-1]) > 0, "reflected at least once while the refresh ran"

    # The open readers still see the snapshot they opened; a new connection sees the new one.
    assert reader.execute("select sum(jumlah_asn) from mart_indikator_instansi").fetchall() == [(5,)]
    assert mikro_reader.execute("select count(*) from mart_talenta_asn").fetchall() == [(5,)]
    reader.close()
    mikro_reader.close()
    with duckdb.connect(str(settings.published_path), read_only=True) as fresh:
        assert fresh.execute("select sum(jumlah_asn) from mart_indikator_instansi").fetchall() == [(6,)]
    with duckdb.connect(str(settings.mikro_path), read_only=True) as fresh:
        assert fresh.execute("select count(*) from mart_talenta_asn").fetchall() == [(6,)]


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """One `proasn refresh` on the fixture submissions, shared by the read-only tests below."""
    home = tmp_path_factory.mktemp("published")
    shutil.copytree(FIXTURES / "landing", home / "landing")
    mp = pytest.MonkeyPatch()
    use_home(mp, home)
    (home / "refresh-output.txt").write_text(proasn_refresh())
    yield get_settings()
    mp.undo()


@pytest.mark.slow
def test_the_aggregates_file_and_parquet_hold_no_person_and_the_microdata_file_does(published):
    settings = published
    exported = {p.stem for p in settings.parquet_dir.glob("*.parquet")}
    with duckdb.connect(str(settings.published_path), read_only=True) as con:
        tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
        columns = {r[0] for r in con.execute("select column_name from duckdb_columns()").fetchall()}
        for name in exported:
            parquet = settings.parquet_dir / f"{name}.parquet"
            assert (
                con.execute(f"select count(*) from '{parquet}'").fetchall()
                == con.execute(f"select count(*) from {name}").fetchall()
            ), name
            parquet_columns = {r[0] for r in con.execute(f"describe select * from '{parquet}'").fetchall()}
            assert not parquet_columns & NOT_IN_AGGREGATES, name
    assert exported == tables and len(tables) >= 10, "every table of the aggregates file, as Parquet"
    assert not columns & NOT_IN_AGGREGATES, "no person key and no identifier in the aggregates file"
    assert "mart_talenta_asn" not in tables
    assert not list(settings.published_dir.glob(".*.tmp*")), "no staging leftovers"
    with duckdb.connect(str(settings.mikro_path), read_only=True) as con:
        mikro = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
        assert mikro == {"mart_talenta_asn", "laporan_pengaburan"}
        assert con.execute("select count(*), count(distinct asn_key) from mart_talenta_asn").fetchall() == [
            (5, 5)
        ]
        mikro_columns = {r[0] for r in con.execute("describe mart_talenta_asn").fetchall()}
    assert {"tahun_pensiun", "kelompok_golongan", "kategori_fungsional"} <= mikro_columns
    assert not mikro_columns & ({"tmt_pensiun", "golongan", "jenjang_fungsional"} | IDENTIFYING_COLUMNS)
    # PROASN_ANALYST_GROUP is not set in the tests: the owner only.
    assert mode(settings.mikro_path.parent) == 0o700 and mode(settings.mikro_path) == 0o600


@pytest.mark.slow
def test_the_refresh_summary_says_where_the_microdata_is_who_reads_it_and_what_was_coarsened(published):
    output = (published.home / "refresh-output.txt").read_text()
    assert f"Microdata (person level, coarsened): {published.mikro_path}; microdata file readable by its owner only: " \
        "PROASN_ANALYST_GROUP is not set" in output  # fmt: skip
    assert "mart_talenta_asn: k = 5, 5 records, 5 with every quasi-identifier blank" in output
    lines = full_log(output).splitlines()  # the table per attribute: in the full log (and with --verbose)
    table = lines[
        lines.index(next(line for line in lines if line.split() == ["attribute", "generalised", "blanked"])) :
    ]
    assert table[2].split() == ["tahun_pensiun", "5", "5"] and table[10].split() == [
        "kode_instansi",
        "0",
        "5",
    ]
    # mart_talenta_asn's highest education (R11, contract v1.1) is a quasi-identifier of its own
    assert table[3].split() == ["pendidikan_tertinggi", "0", "5"]


@pytest.mark.slow
def test_sql_command_reads_the_aggregates_and_with_mikro_the_microdata(published):
    out = subprocess.run(
        [PROASN, "sql", "--csv", "select kode_instansi, jumlah_asn from mart_indikator_instansi "
         "where jumlah_asn > 0 order by 1"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout  # fmt: skip
    assert out.splitlines() == ["kode_instansi,jumlah_asn", "3373,3", "K016,2"]
    no_persons = subprocess.run([PROASN, "sql", "select count(*) from mart_talenta_asn"], capture_output=True,
                                text=True)  # fmt: skip
    assert no_persons.returncode == 1 and "mart_talenta_asn" in no_persons.stderr
    mikro = subprocess.run(
        [
            PROASN,
            "sql",
            "--mikro",
            "--csv",
            "select count(*) as n, count(distinct asn_key) as k from mart_talenta_asn",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert mikro.splitlines() == ["n,k", "5,5"]
    for args in (
        ["sql", "drop table mart_indikator_instansi"],
        ["sql", "--mikro", "drop table mart_talenta_asn"],
    ):
        refused = subprocess.run([PROASN, *args], capture_output=True, text=True)
        assert refused.returncode == 1 and "read-only" in refused.stderr.lower()
    for args in (["sql", "select 1"], ["sql", "--mikro", "select 1"]):
        missing = subprocess.run(
            [PROASN, *args], capture_output=True, text=True, env={**os.environ, "PROASN_HOME": "/nonexistent"}
        )
        assert (
            missing.returncode == 1
            and "No ProASN home at /nonexistent (home from PROASN_HOME)" in missing.stderr
        )


def guide_recipe(label: str) -> str:
    """A line of the BI recipes in docs/analysts-guide.md, as analysts copy it ("label: value")."""
    guide = (PROJECT_ROOT / "docs" / "analysts-guide.md").read_text()
    return re.search(rf"^\s*{re.escape(label)}: (.+)$", guide, re.MULTILINE).group(1).strip()


@pytest.mark.slow
def test_the_superset_recipe_reads_tables_and_comments_read_only(published):
    """Superset's engine as the guide configures it: the SQLAlchemy URI through duckdb-engine, and the
    engine parameters Superset passes to create_engine."""
    import sqlalchemy as sa

    uri = guide_recipe("SQLAlchemy URI").replace("/srv/proasn", str(published.home))
    engine_params = json.loads(guide_recipe("Engine parameters"))
    assert json.loads(guide_recipe("Extra")) == {"engine_params": engine_params}
    with pytest.raises(TypeError, match="read_only"):  # the pitfall the guide warns about
        sa.create_engine(uri, read_only=True)
    engine = sa.create_engine(uri, **engine_params)
    with duckdb.connect(str(published.published_path), read_only=True) as con:
        comments = {
            (table, column): comment
            for table, column, comment in con.execute(
                "select table_name, column_name, comment from duckdb_columns() where not internal"
            ).fetchall()
        }
        table_comments = dict(con.execute("select table_name, comment from duckdb_tables()").fetchall())
    with engine.connect() as connection:
        inspector = sa.inspect(connection)
        # The file's own schema list is `main` only; DuckDB adds its built-in system and temp catalogs.
        assert [s for s in inspector.get_schema_names() if not s.startswith(("system.", "temp."))] == [
            "proasn.main"
        ]
        tables = inspector.get_table_names()
        assert set(tables) == set(table_comments) and "mart_peta_talenta" in tables
        for table in tables:
            assert inspector.get_table_comment(table)["text"] == table_comments[table] != ""
            for column in inspector.get_columns(table):
                assert column["comment"] == comments[(table, column["name"])] != "", (table, column["name"])
        rows = connection.execute(sa.text(
            "select count(*) from mart_peta_talenta where level = 'NASIONAL' and jenis_jabatan = 'SEMUA'"
        )).scalar()  # fmt: skip
        assert rows == 10, "nine boxes and belum terprofil"
        with pytest.raises(sa.exc.DBAPIError, match="read-only"):
            connection.execute(sa.text("drop table mart_peta_talenta"))
    engine.dispose()  # duckdb-engine's connection settings differ: close it before others open the file


@pytest.mark.slow
def test_the_pandas_recipes_read_parquet_with_descriptions_and_the_file(published):
    import pandas as pd
    import pyarrow.parquet as pq
    import sqlalchemy as sa

    parquet = published.parquet_dir / "mart_indikator_instansi.parquet"
    from_parquet = pd.read_parquet(parquet).sort_values("kode_instansi", ignore_index=True)
    query = "select * from mart_indikator_instansi order by kode_instansi"
    with duckdb.connect(str(published.published_path), read_only=True) as con:
        from_duckdb = con.sql(query).df()
        as_arrow = con.sql(query).to_arrow_table().to_pandas()  # the conversions pandas applies to Parquet
        comments = dict(con.execute(
            "select column_name, comment from duckdb_columns() where table_name = 'mart_indikator_instansi'"
        ).fetchall())  # fmt: skip
    pd.testing.assert_frame_equal(from_parquet, as_arrow)
    assert from_duckdb.shape == from_parquet.shape and from_duckdb["kode_instansi"].tolist() == sorted(
        from_parquet["kode_instansi"]
    )
    engine = sa.create_engine(f"duckdb:///{published.published_path}", connect_args={"read_only": True})
    try:
        assert pd.read_sql(query, engine)["jumlah_asn"].tolist() == from_duckdb["jumlah_asn"].tolist()
    finally:
        engine.dispose()  # duckdb-engine's connection settings differ: close it before others open the file
    schema = pq.read_schema(parquet)
    assert {f.name: f.metadata[b"description"].decode() for f in schema} == comments


@pytest.mark.slow
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


@pytest.mark.slow
def test_reports_are_rebuilt_with_the_nine_box_and_agency_pages(published):
    settings = published
    index = (settings.reports_dir / "index.html").read_text()
    for heading in ("Kotak manajemen talenta", "Cakupan profil", "Kesiapan merit", "Proyeksi pensiun"):
        assert heading in index
    assert index.count('class="box"') == 9, "the nine boxes"
    assert (
        "Belum terprofil" in index and "Di bawah ekspektasi" in index and "Siap dengan pengembangan" in index
    )
    for code in ("DI_BAWAH", "DI_ATAS", "SIAP_DENGAN_PENGEMBANGAN", "TIDAK_DAPAT_DINILAI", "JPT_PRATAMA"):
        assert code not in index, f"{code}: a raw code where readers want a label"
    cells = re.findall(r"<b>([^<]*)</b>", index)  # the nine boxes and belum terprofil: every ASN
    assert len(cells) == 10 and all(c == "ditekan" or re.fullmatch(r"\d+,\d%", c) for c in cells), cells
    if "ditekan" not in cells:
        assert abs(sum(float(c[:-1].replace(",", ".")) for c in cells) - 100) < 0.6
    pages = sorted(p.stem for p in (settings.reports_dir / "kualitas").glob("*.html"))
    assert pages == ["3373", "K016"]
    page = (settings.reports_dir / "kualitas" / "3373.html").read_text()
    assert "pegawai" in page and "Ringkasan." in page and "&#10003; terkini" in page
    assert "href='../index.html'" in page and "href='K016.html'" in page, "back to the index, on to the next"
    assert "href='kualitas/3373.html'" in index
    secrets = identifying_values(settings.landing)
    for page in settings.reports_dir.rglob("*.html"):
        if "gx" in page.parts[-3:-1] or page.parent.name.startswith("gx"):
            continue
        text = page.read_text()
        assert not [s for s in secrets if s in text], page


def test_an_agency_quality_page_counts_the_warnings_of_its_current_files():
    """Warnings (loaded rows the agency should check, such as PENDIDIKAN_TERAKHIR_TIDAK_SESUAI) are counted per
    file and, for the current files, in the summary; an older file's warnings are listed but not summed."""
    from pipelines.reports import _quality_page

    # the row shape of build_reports' query on mart_kualitas_data
    rows = [
        ("K016", dt.date(2026, 9, 1), "riwayat_pendidikan", "DIMUAT", 10, 10, 0, None, False, 7),
        ("K016", dt.date(2026, 10, 1), "riwayat_pendidikan", "DIMUAT", 12, 11, 1, None, True, 3),
        ("K016", dt.date(2026, 10, 1), "pegawai", "DIMUAT", 5, 5, 0, None, True, 2),
    ]
    page = _quality_page("K016", "Kementerian X", rows, (None, None), {}, dt.date(2026, 11, 1))
    assert "1 dikarantina (5,9% dari baris yang dibaca), 5 peringatan" in page
    assert [
        html.unescape(re.sub("<[^>]+>", "", c)) for c in re.findall(r"<tr class='[^']*'>(.*?)</tr>", page)
    ] == [
        "2026-09-01riwayat pendidikanDimuat101007",
        "2026-10-01riwayat pendidikanDimuat✓ terkini121113",
        "2026-10-01pegawaiDimuat✓ terkini5502",
    ]


@pytest.mark.slow
def test_every_report_page_renders_in_headless_chromium(published):
    from tools.screenshots import find_chromium, take_screenshots

    chromium = find_chromium()
    if chromium is None:
        pytest.skip("no Chromium on this machine (Debian's package `chromium`): the pages are not rendered")
    written = take_screenshots(published.reports_dir, chromium, quality=0)
    assert [p.name for p in written] == ["index.png", "kualitas-3373.png", "kualitas-K016.png"]
    for png in written:
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000, png


# publish_warehouse called directly on real DuckDB files: the guard, the microdata file's access, the snapshot's
# swap and its clean-up, and a failure at every write.
MODELS = [
    {
        "name": "mart_jumlah",
        "schema": "marts",
        "description": "jumlah",
        "columns": {"n": {"description": "n"}},
    }
]
MIKRO_MODELS = [
    {
        "name": "mart_orang",
        "schema": "marts",
        "description": "orang",
        "columns": {"asn_key": {"description": "kunci"}, "kode_instansi": {"description": "instansi"}},
    }
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


def publish(con, tmp_path, models=MODELS, mikro_models=MIKRO_MODELS, group=""):
    from pipelines.publish import publish_warehouse

    return publish_warehouse(con, tmp_path / "published", models, mikro_models, k=5, analyst_group=group)


def assert_published_equals_warehouse(con, tmp_path):
    """Every row of the aggregate table, and every person (each agency has 25: no coarsening needed)."""
    published = tmp_path / "published"
    with duckdb.connect(str(published / "proasn.duckdb"), read_only=True) as files:
        rows = con.execute("select * from marts.mart_jumlah order by all").fetchall()
        assert files.execute("select * from main.mart_jumlah order by all").fetchall() == rows
        files.execute(f"attach '{published / 'mikro' / 'proasn_mikro.duckdb'}' as mikro (read_only)")
        rows = con.execute("select * from marts.mart_orang order by all").fetchall()
        assert files.execute("select * from mikro.main.mart_orang order by all").fetchall() == rows


def test_a_publish_writes_both_files_and_documents_them(warehouse, tmp_path):
    publication = publish(warehouse, tmp_path)
    assert publication.counts == {"mart_jumlah": 40} and publication.mikro_counts == {"mart_orang": 1000}
    assert_published_equals_warehouse(warehouse, tmp_path)
    (done,) = publication.coarsening
    assert done.blanked == {"kode_instansi": 0} and done.smallest_class == 25
    mikro = tmp_path / "published" / "mikro" / "proasn_mikro.duckdb"
    with duckdb.connect(str(mikro), read_only=True) as con:
        comments = dict(con.execute(
            "select column_name, comment from duckdb_columns() where table_name = 'mart_orang'"
        ).fetchall())  # fmt: skip
        assert comments["asn_key"] == "kunci" and comments["kode_instansi"].startswith("instansi")
        assert con.execute("select atribut, jumlah_dikosongkan, k from laporan_pengaburan").fetchall() == [
            ("kode_instansi", 0, 5)
        ]


def test_parquet_files_carry_the_descriptions_and_pandas_reads_them(warehouse, tmp_path):
    import pandas as pd
    import pyarrow.parquet as pq

    publish(warehouse, tmp_path)
    parquet = tmp_path / "published" / "parquet" / "mart_jumlah.parquet"
    schema = pq.read_schema(parquet)
    assert schema.metadata[b"description"] == b"jumlah"
    assert schema.field("n").metadata == {b"description": b"n"}
    assert schema.field("kode_instansi").metadata is None, "no description in the model: none in the file"
    frame = pd.read_parquet(parquet).sort_values("kode_instansi", ignore_index=True)
    expected = warehouse.sql("select * from marts.mart_jumlah order by kode_instansi").df()
    pd.testing.assert_frame_equal(frame, expected)
    with duckdb.connect() as con:
        assert con.execute(f"select value from parquet_kv_metadata('{parquet}') where key = 'description'")\
            .fetchall() == [(b"jumlah",)]  # fmt: skip


def test_the_guard_refuses_persons_and_identifiers_in_the_aggregates_file(warehouse, tmp_path):
    publish(warehouse, tmp_path)
    before = published_state(tmp_path / "published")
    person_level = [{"name": "mart_orang", "schema": "marts", "description": "", "columns": {}}]
    with pytest.raises(PrivacyError, match="asn_key"):
        publish(warehouse, tmp_path, models=MODELS + person_level, mikro_models=[])
    warehouse.execute("create table marts.mart_nama as select 'Budi' as nama, 3 as n")
    named = [{"name": "mart_nama", "schema": "marts", "description": "", "columns": {}}]
    with pytest.raises(PrivacyError, match="nama"):
        publish(warehouse, tmp_path, models=MODELS + named)
    with pytest.raises(PrivacyError, match="nama"):
        publish(warehouse, tmp_path, mikro_models=MIKRO_MODELS + named)
    assert published_state(tmp_path / "published") == before, "refused: analysts keep the previous snapshot"


def test_the_microdata_file_is_for_the_owner_and_the_analysts_group(warehouse, tmp_path):
    mikro = tmp_path / "published" / "mikro" / "proasn_mikro.duckdb"
    own_group = grp.getgrgid(os.getgid()).gr_name  # a group this user may give files to
    access = publish(warehouse, tmp_path, group=own_group).access
    assert access.group == own_group and own_group in access.message
    assert (mode(mikro.parent), mode(mikro)) == (0o750, 0o640)
    assert mikro.stat().st_gid == mikro.parent.stat().st_gid == os.getgid()
    assert mode(tmp_path / "published" / "proasn.duckdb") == 0o644, "the aggregates are for everyone"

    for group, reason in (
        ("", "PROASN_ANALYST_GROUP is not set"),
        ("proasn-no-such-group", "does not exist"),
    ):
        access = publish(warehouse, tmp_path, group=group).access
        assert access.group is None and "owner only" in access.message and reason in access.message
        assert (mode(mikro.parent), mode(mikro)) == (0o700, 0o600)


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
        "mikro",
        "parquet",
        "proasn.duckdb",
    ]
    assert [p.name for p in (published / "mikro").iterdir()] == ["proasn_mikro.duckdb"]
    # The older layout's snapshot (its everyone-readable file may hold rows per person) goes at once.
    assert [p.resolve() for p in store.iterdir()] == [published.resolve()]
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

    def executemany(self, *args, **kwargs):
        self.faults.tick()
        return self.con.executemany(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.con, name)


def published_state(published: Path) -> dict:
    """What analysts read: every table of both DuckDB files and every Parquet file, row by row."""
    with duckdb.connect(str(published / "proasn.duckdb"), read_only=True) as con:
        state = {"mart_jumlah": con.execute("select * from main.mart_jumlah order by all").fetchall()}
        con.execute(f"attach '{published / 'mikro' / 'proasn_mikro.duckdb'}' as mikro (read_only)")
        for name in ("mart_orang", "laporan_pengaburan"):
            state[name] = con.execute(f"select * from mikro.main.{name} order by all").fetchall()
        for parquet in sorted((published / "parquet").glob("*.parquet")):
            state[parquet.name] = con.execute(f"select * from '{parquet}' order by all").fetchall()
    return state


def test_a_publish_failing_at_any_write_leaves_analysts_the_whole_previous_snapshot(
    warehouse, tmp_path, monkeypatch
):
    """Each write of the publish fails in turn (a full disk, a read-only Parquet folder...): the DuckDB
    files and the Parquet files analysts read stay the previous snapshot, all of them, and the next publish
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
                                 (os, "mkdir"), (os, "chown"), (shutil, "copyfile")):  # fmt: skip
                m.setattr(module, name, faults.wrap(getattr(module, name)))
            try:
                publish_warehouse(FaultyConnection(con, faults), published, MODELS, MIKRO_MODELS, k=5)
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
