"""The microdata file (R12, two tiers): no combination of quasi-identifiers shared by fewer than k records, the
non-quasi-identifiers as the warehouse has them, and a report that counts what changed. Checked at three
scales: a synthetic mart of 60,000 people built in SQL (coarsen() alone), the hand-written fixture (a real
refresh), and generated submissions at the demo scale of `make run` (on the warehouse of tests/test_aggregates.py,
which refreshes them)."""

import grp
import os
import shutil
import stat

import duckdb
import pytest

from pipelines.dbt_project import k_anonimitas
from pipelines.settings import get_settings
from tests.helpers import FIXTURES, run_refresh, use_home

# The quasi-identifiers as published, and what each is in the warehouse's mart (written here independently of
# pipelines/mikro.py): the published value of a record before any blanking.
GENERALISED = {
    "tahun_pensiun": "year(w.tmt_pensiun)",
    "kelompok_golongan": """case when w.golongan like '%/%' then split_part(w.golongan, '/', 1)
        when w.golongan in ('I', 'II', 'III', 'IV') then 'I-IV' when w.golongan in ('V', 'VI', 'VII', 'VIII')
        then 'V-VIII' when w.golongan in ('IX', 'X', 'XI', 'XII') then 'IX-XII' when w.golongan is not null
        then 'XIII-XVII' end""",
    "kategori_fungsional": """case when w.jenjang_fungsional like 'AHLI%' then 'KEAHLIAN'
        when w.jenjang_fungsional is not null then 'KETERAMPILAN' end""",
    "pendidikan_terakhir": "w.pendidikan_terakhir",
    "kode_provinsi": "w.kode_provinsi",
    "status_kepegawaian": "w.status_kepegawaian",
    "jenis_jabatan": "w.jenis_jabatan",
    "kode_instansi": "w.kode_instansi",
}
OPTIONAL = ("jenis_kelamin", "kelompok_usia", "pendidikan_tertinggi")


def quasi_identifiers(con, table: str) -> list[str]:
    columns = {r[0] for r in con.execute(f"describe {table}").fetchall()}
    assert set(GENERALISED) <= columns, "every quasi-identifier is published, coarsened"
    return [*GENERALISED, *(c for c in OPTIONAL if c in columns)]


def assert_k_anonymous(con, table: str, k: int) -> dict:
    """Every combination of the quasi-identifiers (a blank matching only a blank) is shared by at least k
    records, except the records blank in all of them; no date but tanggal_acuan. Returns figures."""
    qis = quasi_identifiers(con, table)
    dates = [r[0] for r in con.execute(f"describe {table}").fetchall() if r[1] in ("DATE", "TIMESTAMP")]
    assert dates == ["tanggal_acuan"], "no date that could encode a birth date"
    all_blank = " and ".join(f"{c} is null" for c in qis)
    smallest, classes = con.execute(
        f"select min(n), count(*) from (select count(*) as n from {table} where not ({all_blank}) "
        f"group by {', '.join(qis)})"
    ).fetchone()
    assert smallest is None or smallest >= k, f"a combination shared by only {smallest} records"
    return {"smallest": smallest, "classes": classes}


def assert_report_counts_what_changed(
    con, warehouse_table: str, mikro_table: str, report: str, k: int
) -> None:
    """Compare each record in the warehouse with its published row (by asn_key): the report's counts are the
    records generalised and blanked, and every other column is as it was."""
    rows = dict(con.execute(f"select count(*), 1 from {mikro_table}").fetchall())
    reported = {
        atribut: (generalised, blanked)
        for atribut, generalised, blanked, n, kk in con.execute(
            f"select atribut, jumlah_digeneralisasi, jumlah_dikosongkan, jumlah_baris, k from {report}"
        ).fetchall()
        if n in rows and kk == k
    }
    assert set(reported) == set(quasi_identifiers(con, mikro_table)), reported
    assert con.execute(f"select count(*) from {warehouse_table}").fetchone()[0] in rows
    for name, expression in GENERALISED.items():
        source = {"tahun_pensiun": "tmt_pensiun", "kelompok_golongan": "golongan",
                  "kategori_fungsional": "jenjang_fungsional"}.get(name, name)  # fmt: skip
        generalised, blanked = con.execute(
            f"""select count(*) filter (w.{source} is not null and ({expression})::varchar <> w.{source}::varchar),
                       count(*) filter (({expression}) is not null and m.{name} is null),
                       count(*) filter (m.{name} is not null and m.{name}::varchar <> ({expression})::varchar)
                from {warehouse_table} as w join {mikro_table} as m using (asn_key)"""
        ).fetchone()[:2]
        assert reported[name] == (generalised, blanked), name
    assert con.execute(
        f"""select count(*) from {mikro_table} as m join {warehouse_table} as w using (asn_key)
            where ({" or ".join(f"m.{c} is not null and m.{c}::varchar <> ({e})::varchar"
                                for c, e in GENERALISED.items())})"""
    ).fetchone() == (0,), "a published value is the generalised value or blank, never another"  # fmt: skip
    mikro_columns = [r[0] for r in con.execute(f"describe {mikro_table}").fetchall()]
    kept = [c for c in mikro_columns if c not in GENERALISED and c not in OPTIONAL]
    assert "asn_key" in kept and "kotak_talenta" in kept and "ip_asn_skor" in kept
    assert con.execute(
        f"select count(*) from (select {', '.join(kept)} from {mikro_table} "
        f"except all select {', '.join(kept)} from {warehouse_table})"
    ).fetchone() == (0,), "the other columns are as the warehouse has them"


def synthetic_mart(con, people: int) -> None:
    """A mart_talenta_asn-shaped table with skewed distributions: big and tiny agencies, rare posts."""
    con.execute(
        f"""create table mart_talenta_asn as
        with r as (select i, (hash(i) % 1000003)::bigint as h, (hash(i * 7 + 1) % 1000003)::bigint as g from range({people}) as t(i))
        select 'k' || i as asn_key,
               'A' || (floor(pow((h % 1000) / 1000.0, 3) * 300))::int as kode_instansi,
               (31 + (g % 5))::varchar as kode_provinsi,
               case when g % 10 = 0 then 'PPPK' when g % 10 = 1 then 'CPNS' else 'PNS' end as status_kepegawaian,
               case when h % 97 = 0 then 'JPT_PRATAMA' when h % 13 = 0 then 'ADMINISTRATOR'
                    when h % 3 = 0 then 'FUNGSIONAL' else 'PELAKSANA' end as jenis_jabatan,
               case when h % 3 = 0 and h % 13 <> 0 and h % 97 <> 0 then
                   ['AHLI_PERTAMA', 'AHLI_MUDA', 'AHLI_MADYA', 'AHLI_UTAMA', 'TERAMPIL', 'MAHIR'][1 + (g % 6)]
               end as jenjang_fungsional,
               case when g % 10 = 0 then ['V', 'VII', 'IX', 'X', 'XIII'][1 + (h % 5)]
                    else ['II/a', 'II/c', 'III/a', 'III/b', 'III/c', 'III/d', 'IV/a', 'IV/b'][1 + (h % 8)] end
                   as golongan,
               ['SMA', 'D3', 'S1', 'S1', 'S1', 'S2', 'S3'][1 + (g % 7)] as pendidikan_terakhir,
               (1 + g % 9)::integer as kotak_talenta,
               (40 + h % 60)::integer as ip_asn_skor,
               date '2027-01-01' + interval (h % 400) month as tmt_pensiun,
               date '2026-11-01' as tanggal_acuan
        from r"""
    )


def test_coarsening_a_synthetic_mart_of_60000_people(tmp_path):
    from pipelines.mikro import coarsen

    k = k_anonimitas()
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    synthetic_mart(con, 60_000)
    con.execute("create schema mikro")
    done = coarsen(con, "mart_talenta_asn", "mikro.mart_talenta_asn", k, table="mart_talenta_asn")
    con.execute(f"create table mikro.laporan as select * from (values {', '.join(map(str, done.report_rows()))}) "
                "as t(tabel, atribut, kolom_asal, urutan, jumlah_digeneralisasi, jumlah_dikosongkan, jumlah_baris, k)")  # fmt: skip
    figures = assert_k_anonymous(con, "mikro.mart_talenta_asn", k)
    assert_report_counts_what_changed(con, "mart_talenta_asn", "mikro.mart_talenta_asn", "mikro.laporan", k)
    assert done.smallest_class == figures["smallest"] >= k
    # At this scale most records keep their agency and post: blanking is for the rare ones.
    assert done.blanked["kode_instansi"] < 0.2 * done.rows and done.blanked["jenis_jabatan"] < 0.2 * done.rows
    assert done.blanked["tahun_pensiun"] > done.blanked["kode_instansi"], "the least useful goes first"
    assert (
        done.generalised["tahun_pensiun"] == done.rows and done.generalised["kelompok_golongan"] == done.rows
    )
    con.close()


def test_a_larger_k_coarsens_more_and_k_1_changes_nothing_but_generalises(tmp_path):
    from pipelines.mikro import coarsen

    con = duckdb.connect()
    synthetic_mart(con, 5_000)
    blanked = {k: sum(coarsen(con, "mart_talenta_asn", f"m{k}", k).blanked.values()) for k in (1, 5, 10)}
    assert blanked[1] == 0 < blanked[5] < blanked[10]
    assert assert_k_anonymous(con, "m10", 10)["smallest"] >= 10
    with pytest.raises(ValueError):
        coarsen(con, "mart_talenta_asn", "m0", 0)


def check_refreshed_microdata(settings) -> dict:
    k = k_anonimitas()
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        con.execute(f"attach '{settings.mikro_path}' as mikro (read_only)")
        figures = assert_k_anonymous(con, "mikro.main.mart_talenta_asn", k)
        assert_report_counts_what_changed(
            con, "marts.mart_talenta_asn", "mikro.main.mart_talenta_asn", "mikro.main.laporan_pengaburan", k
        )
        figures["rows"] = con.execute("select count(*) from mikro.main.mart_talenta_asn").fetchone()[0]
    return figures


@pytest.mark.slow
def test_the_fixture_refresh_publishes_k_anonymous_microdata_and_reports_it(tmp_path):
    import dagster as dg

    from assets.publish import PUBLISHED_KEY

    home = tmp_path / "home"
    shutil.copytree(FIXTURES / "landing", home / "landing")
    group = grp.getgrgid(os.getgid()).gr_name  # a group this user may give files to
    with pytest.MonkeyPatch.context() as mp:
        use_home(mp, home)
        mp.setenv("PROASN_ANALYST_GROUP", group)
        with dg.DagsterInstance.ephemeral() as instance:
            result = run_refresh(instance)
        assert result.success
        settings = get_settings()
        figures = check_refreshed_microdata(settings)
    assert figures["rows"] == 5
    mikro = settings.mikro_path
    assert (stat.S_IMODE(mikro.parent.stat().st_mode), stat.S_IMODE(mikro.stat().st_mode)) == (0o750, 0o640)
    assert mikro.stat().st_gid == os.getgid()
    (event,) = [e for e in result.get_asset_materialization_events() if e.asset_key == PUBLISHED_KEY]
    metadata = {key: value.value for key, value in event.materialization.metadata.items()}
    summary = metadata["mikro_pengaburan"]["mart_talenta_asn"]
    assert summary["k"] == metadata["k_anonimitas"] == k_anonimitas() and summary["baris"] == 5
    # Five people in two agencies: nobody shares a combination with four others, so everything is blanked.
    assert summary["baris_semua_kosong"] == 5
    assert summary["atribut"]["kode_instansi"] == {"digeneralisasi": 0, "dikosongkan": 5}
    assert metadata["mikro_access"] == f"microdata file readable by its owner and the group {group!r}"
