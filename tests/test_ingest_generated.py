"""Ingest against the generator's ground truth (tools/generate.py and its manifest): every injected
defect is caught with its reason at its line, variants load normalised, warnings are recorded, clean data
quarantines nothing, and the CSV and XLSX forms of the same submissions give the same raw rows."""

import re

import duckdb
import pytest

from pipelines import contract
from pipelines.contract import ENTITIES, ENTITY_NAMES, REASONS
from pipelines.ingest import ingest_landing
from tests.helpers import TODAY, assert_rows_conserved
from tools.generate import default_manifest_path, generate

pytestmark = pytest.mark.slow
# Transfers between agencies (mutasi) are judged in dbt staging (stg_mutasi_konflik), not per file.
NOT_INGEST_WARNING = "mutasi"


def _quarantine_reasons_sql() -> str:
    parts = [f"select _file_path, _line, unnest(_reasons) as r from quarantine.{e}" for e in ENTITY_NAMES]
    return (
        "select _file_path as file, _line as line, split_part(r, ':', 1) as code, split_part(r, ':', 2) as col "
        f"from ({' union all '.join(parts)})"
    )


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    landing = tmp_path_factory.mktemp("generated") / "landing"
    generate(landing, scale=0.00005, seed=5, file_format="mixed", defect_rate=0.05, quiet=True)
    con = duckdb.connect()
    ingest_landing(con, landing, TODAY)
    con.execute("create table manifest as select * from read_csv(?, all_varchar = true, header = true)",
                [str(default_manifest_path(landing))])  # fmt: skip
    con.execute(f"create table reasons as {_quarantine_reasons_sql()}")
    yield landing, con
    con.close()


def test_the_manifest_covers_row_and_file_defects(generated):
    _, con = generated
    kinds = dict(con.execute("select kind, count(*) from manifest group by 1").fetchall())
    for kind in ("nip_scientific", "duplicate_nip", "orphan_nip", "missing_required_column", "unknown_instansi",
                 "encoding_cp1252", "xlsx_native_dates", "predikat_mismatch",
                 # contract v1.1: riwayat_pendidikan's own defect, variant and warning
                 "duplicate_pendidikan", "jenjang_alias", "pendidikan_mismatch"):  # fmt: skip
        assert kinds.get(kind), kind
    codes = {
        c
        for (c,) in con.execute(
            "select distinct expected_reason from manifest where expected_reason <> ''"
        ).fetchall()
    }
    assert codes <= set(REASONS)


def test_every_defect_row_is_quarantined_with_its_expected_reason_at_its_line(generated):
    _, con = generated
    missed = con.execute(
        """select kind, file, line, "column", expected_reason from manifest m
           where category = 'DEFECT' and line is not null
             and not exists (select 1 from reasons r where r.file = m.file and r.line = m.line::integer
                             and r.code = m.expected_reason)"""
    ).fetchall()
    assert missed == []


def test_nothing_is_quarantined_without_an_injected_defect(generated):
    _, con = generated
    unexplained = con.execute(
        """select file, line, code, col from reasons r
           where not exists (select 1 from manifest m where m.category = 'DEFECT' and m.file = r.file
                             and m.line::integer = r.line)"""
    ).fetchall()
    assert unexplained == []


def _canonical(kind_of_column: contract.Column):
    if kind_of_column.kind == "nip":
        return lambda v: re.fullmatch(r"\d{18}", v)
    if kind_of_column.kind == "nik":
        return lambda v: re.fullmatch(r"\d{16}", v)
    if kind_of_column.kind == "date":
        return lambda v: re.fullmatch(r"\d{4}-\d{2}-\d{2}", v)
    if kind_of_column.kind == "golongan":
        return lambda v: v in contract.golongan_pns() + contract.golongan_pppk()
    if kind_of_column.kind == "enum":
        return lambda v: v in kind_of_column.values
    if kind_of_column.kind == "jenis_kelamin":
        return lambda v: v in ("L", "P")
    if kind_of_column.kind in ("integer", "decimal"):
        return lambda v: re.fullmatch(r"-?\d+(\.\d+)?", v)
    return lambda v: v == v.strip() and v != ""


def test_variant_rows_are_loaded_in_canonical_form(generated):
    _, con = generated
    variants = con.execute(
        """select file, line::integer, "column", kind from manifest
           where category = 'VARIANT' and line is not null order by 1, 2"""
    ).fetchall()
    assert len(variants) > 20
    for file, line, column, kind in variants:
        entity = ENTITIES[file.rsplit("/", 1)[1].split(".")[0]]
        found = con.execute(
            f"select {column} from raw.{entity.name} where _file_path = ? and _line = ?", [file, line]
        ).fetchall()
        assert len(found) == 1, (file, line, kind)
        value = found[0][0]
        assert value is not None and _canonical(entity.column(column))(value), (file, line, kind, value)
        if kind == "nama_non_ascii":
            assert value == "André Sétiawan"


def test_warning_rows_are_recorded_in_ingest_peringatan(generated):
    _, con = generated
    expected = set(con.execute(
        "select file, line::integer, expected_reason from manifest where category = 'WARNING' and kind <> ?",
        [NOT_INGEST_WARNING],
    ).fetchall())  # fmt: skip
    recorded = set(con.execute("select file_path, _line, kode_alasan from ingest.peringatan").fetchall())
    assert expected and expected == recorded


def test_whole_file_problems_reject_or_ignore_the_file_with_its_message(generated):
    _, con = generated
    files = con.execute(
        """select m.kind, m."column", l.status, l.alasan, l.pesan
           from manifest m join ingest.ledger l on l.file_path = m.file where m.line is null"""
    ).fetchall()
    assert {f[0] for f in files} >= {
        "missing_required_column",
        "unknown_instansi",
        "unknown_entity",
        "header_variant",
    }
    for kind, column, status, alasan, pesan in files:
        if kind == "missing_required_column":
            assert (status, alasan) == ("DITOLAK", '{"KOLOM_WAJIB_HILANG": 1}')
            assert f"kolom hilang: {column}" in pesan
        elif kind == "unknown_instansi":
            assert (status, alasan) == ("DITOLAK", '{"INSTANSI_TIDAK_DIKENAL": 1}')
        elif kind == "unknown_entity":
            assert (status, alasan) == ("DIABAIKAN", '{"ENTITAS_TIDAK_DIKENAL": 1}')
        else:  # whole-file variants: encodings, delimiter, BOM, header spelling, native Excel dates
            assert status in ("DIMUAT", "DUPLIKAT"), (kind, pesan)


def test_rows_are_conserved_in_every_file_and_reingesting_loads_nothing(generated):
    landing, con = generated
    assert_rows_conserved(con, landing)
    assert ingest_landing(con, landing, TODAY) == []


# --- clean data, CSV and XLSX ---------------------------------------------------------------------
def _raw_rows(con) -> dict[str, list]:
    rows = {}
    for e in ENTITY_NAMES:
        cols = ", ".join(ENTITIES[e].column_names)
        rows[e] = con.execute(
            f"select _kode_instansi, _tanggal_ekstrak, _line, {cols} from raw.{e} order by all"
        ).fetchall()
    return rows


def test_clean_data_quarantines_nothing_and_csv_and_xlsx_give_the_same_raw_rows(tmp_path):
    loaded = {}
    for file_format in ("csv", "xlsx"):
        landing = tmp_path / file_format / "landing"
        generate(landing, scale=0.00003, seed=7, file_format=file_format, defect_rate=0, quiet=True)
        con = duckdb.connect()
        ingest_landing(con, landing, TODAY)
        statuses = dict(con.execute("select status, count(*) from ingest.ledger group by 1").fetchall())
        assert set(statuses) <= {"DIMUAT", "DUPLIKAT"}, statuses
        assert con.execute(
            "select sum(baris_karantina), sum(baris_dimuat) > 0 from ingest.ledger"
        ).fetchall() == [(0, True)]
        assert con.execute("select count(*) from ingest.peringatan").fetchall() == [(0,)]
        assert_rows_conserved(con, landing)
        loaded[file_format] = _raw_rows(con)
    assert loaded["csv"] == loaded["xlsx"]
