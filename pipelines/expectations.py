"""The contract's row rules (docs/extract-contract.md sections 3 and 4) as Great Expectations suites.

One home for what a valid row is. `suite(entity)` builds the suite from pipelines.contract; the files
expectations/<entity>.json are written from it (`python -m pipelines.expectations --write`) and a test
checks that the committed files equal what contract.py generates, so no rule is written twice by hand.

The suites judge rows in canonical form (NIP 18 digits, ISO dates, `III/a`, UPPER_SNAKE codes, numbers),
that is after pipelines.rules has normalised the accepted spellings of section 3. They run two ways:
- in DuckDB SQL, at national scale: pipelines.rules translates every expectation of these files into
  a SQL check (the reason code and column come from each expectation's `meta`);
- in GX 1.x on pandas, as Dagster asset checks on the raw tables (bounded samples), with Data Docs HTML.

Rules a single row cannot show are not here: orphans (against the agency's pegawai) and the warnings live
in pipelines.rules. A few rules compare with the extract date; they read the columns of
DERIVED_COLUMNS, computed from `_tanggal_ekstrak` by the same SQL for both engines.

This module imports Great Expectations only inside the functions that run it (the import takes seconds;
`proasn check` and the ingest do not need it).
"""

from __future__ import annotations

import argparse
import copy
import functools
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pipelines import contract
from pipelines.contract import ENTITIES, ENTITY_NAMES
from pipelines.settings import EXPECTATIONS_DIR

# Columns derived from the extract date (SQL over a DATE expression `{te}`), so that suites can compare a
# row's values with it. Text dates are ISO strings: they compare correctly as strings.
DERIVED_COLUMNS = {
    "_batas_tanggal": "strftime({te}, '%Y-%m-%d')",  # the extract date itself
    "_batas_tahun": "year({te})::bigint",
    "_batas_lahir_akhir": "strftime({te} - interval 18 year, '%Y-%m-%d')",  # born on or before: >= 18
    "_batas_lahir_awal": "strftime({te} - interval 71 year, '%Y-%m-%d')",  # born after: <= 70
}

# Dates the contract says are "not after tanggal_ekstrak". Only these: other dates may lawfully lie
# ahead (a sanction or a course that ends later, an SK whose TMT is next month).
NOT_AFTER_EXTRACT = {"pegawai": ("tmt_golongan", "tmt_jabatan")}
# (start, end) pairs: end >= start when both are given.
DATE_PAIRS = (("tmt_mulai", "tmt_selesai"), ("tanggal_mulai", "tanggal_selesai"))
# A date in canonical form: an ISO calendar date (YYYY-MM-DD, years 0001-9999, 29 February in leap years
# only), the same strings as strftime's '%Y-%m-%d' accepts (tests/test_expectations.py checks every day and
# every impossible one). A regular expression, not GX's strftime expectation: that one runs Python's strptime
# on every value (3.9 us a value against 0.34 us; it was most of the validation of a pegawai sample, with
# four date columns), while both engines match a regular expression natively.
_YEAR = "(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})"
_LEAP_YEAR = "([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)"
ISO_DATE_REGEX = (
    f"^({_YEAR}-(0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])"
    f"|{_YEAR}-(0[469]|11)-(0[1-9]|[12][0-9]|30)"
    f"|{_YEAR}-02-(0[1-9]|1[0-9]|2[0-8])"
    f"|{_LEAP_YEAR}-02-29)$"
)
NUMERIC_KINDS = ("integer", "decimal")


# --- building the suites --------------------------------------------------------------------------
def _exp(type_: str, kode: str, kolom: str, **kwargs) -> dict:
    return {"type": type_, "kwargs": kwargs, "meta": {"kode_alasan": kode, "kolom": kolom}}


def _eq(column: str, value: str) -> dict:
    return {"type": "comparison", "column": {"name": column}, "operator": "==", "parameter": value}


def _in(column: str, values) -> dict:
    return {"type": "comparison", "column": {"name": column}, "operator": "IN", "parameter": list(values)}


def _null(column: str) -> dict:
    return {"type": "nullity", "column": {"name": column}, "is_null": True}


def _and(*conditions: dict) -> dict:
    return {"type": "and", "conditions": list(conditions)}


def _or(*conditions: dict) -> dict:
    return {"type": "or", "conditions": list(conditions)}


def _column_rules(col: contract.Column) -> list[dict]:
    c = col.name
    rules = []
    if col.required:
        rules.append(_exp("expect_column_values_to_not_be_null", "NILAI_WAJIB_KOSONG", c, column=c))
    if col.kind == "nip":
        rules.append(
            _exp("expect_column_values_to_match_regex", "NIP_TIDAK_VALID", c, column=c, regex="^[0-9]{18}$")
        )
    elif col.kind == "nik":
        rules.append(
            _exp("expect_column_values_to_match_regex", "NIK_TIDAK_VALID", c, column=c, regex="^[0-9]{16}$")
        )
    elif col.kind == "date":
        rules.append(_exp("expect_column_values_to_match_regex", "TANGGAL_TIDAK_VALID", c, column=c,
                          regex=ISO_DATE_REGEX))  # fmt: skip
    elif col.kind == "golongan":
        rules.append(_exp("expect_column_values_to_be_in_set", "GOLONGAN_TIDAK_VALID", c, column=c,
                          value_set=[*contract.golongan_pns(), *contract.golongan_pppk()]))  # fmt: skip
    elif col.kind == "enum":
        rules.append(
            _exp(
                "expect_column_values_to_be_in_set",
                "KODE_TIDAK_VALID",
                c,
                column=c,
                value_set=list(col.values),
            )
        )
    elif col.kind == "jenis_kelamin":
        rules.append(
            _exp(
                "expect_column_values_to_be_in_set",
                "JENIS_KELAMIN_TIDAK_VALID",
                c,
                column=c,
                value_set=["L", "P"],
            )
        )
    elif col.kind == "wilayah":
        rules.append(_exp("expect_column_values_to_be_in_set", "WILAYAH_TIDAK_DIKENAL", c, column=c,
                          value_set=sorted(contract.kode_wilayah())))  # fmt: skip
    elif col.kind in NUMERIC_KINDS and (col.minimum is not None or col.maximum is not None):
        rules.append(_exp("expect_column_values_to_be_between", "NILAI_DI_LUAR_RENTANG", c, column=c,
                          min_value=col.minimum, max_value=col.maximum))  # fmt: skip
    return rules


def _entity_rules(entity: contract.Entity) -> list[dict]:
    """Rules across columns of one row, and uniqueness within the file."""
    names = set(entity.column_names)
    rules = []
    if {"status_kepegawaian", "golongan"} <= names:
        rules += [
            _exp("expect_column_values_to_be_in_set", "GOLONGAN_TIDAK_VALID", "golongan", column="golongan",
                 value_set=list(contract.golongan_pns()), row_condition=_in("status_kepegawaian", ("PNS", "CPNS"))),
            _exp("expect_column_values_to_be_in_set", "GOLONGAN_TIDAK_VALID", "golongan", column="golongan",
                 value_set=list(contract.golongan_pppk()), row_condition=_eq("status_kepegawaian", "PPPK")),
        ]  # fmt: skip
    if {"jenis_jabatan", "jenjang_fungsional"} <= names:
        others = [j for j in contract.JENIS_JABATAN if j != "FUNGSIONAL"]
        rules += [
            _exp("expect_column_values_to_not_be_null", "JENJANG_FUNGSIONAL_TIDAK_SESUAI", "jenjang_fungsional",
                 column="jenjang_fungsional", row_condition=_eq("jenis_jabatan", "FUNGSIONAL")),
            _exp("expect_column_values_to_be_null", "JENJANG_FUNGSIONAL_TIDAK_SESUAI", "jenjang_fungsional",
                 column="jenjang_fungsional", row_condition=_in("jenis_jabatan", others)),
        ]  # fmt: skip
    if {"jenis_pelatihan", "kode_kepemimpinan"} <= names:
        rules.append(_exp("expect_column_values_to_not_be_null", "KODE_KEPEMIMPINAN_WAJIB", "kode_kepemimpinan",
                          column="kode_kepemimpinan", row_condition=_eq("jenis_pelatihan", "KEPEMIMPINAN")))  # fmt: skip
    for start, end in DATE_PAIRS:
        if {start, end} <= names:
            rules.append(_exp("expect_column_pair_values_a_to_be_greater_than_b", "TANGGAL_SELESAI_SEBELUM_MULAI", end,
                              column_A=end, column_B=start, or_equal=True, ignore_row_if="either_value_is_missing"))  # fmt: skip
    for c in NOT_AFTER_EXTRACT.get(entity.name, ()):
        rules.append(_exp("expect_column_pair_values_a_to_be_greater_than_b", "TANGGAL_MASA_DEPAN", c,
                          column_A="_batas_tanggal", column_B=c, or_equal=True, ignore_row_if="either_value_is_missing"))  # fmt: skip
    if "tanggal_lahir" in names:  # aged 18..70 on tanggal_ekstrak
        rules += [
            _exp("expect_column_pair_values_a_to_be_greater_than_b", "USIA_DI_LUAR_RENTANG", "tanggal_lahir",
                 column_A="_batas_lahir_akhir", column_B="tanggal_lahir", or_equal=True,
                 ignore_row_if="either_value_is_missing"),
            _exp("expect_column_pair_values_a_to_be_greater_than_b", "USIA_DI_LUAR_RENTANG", "tanggal_lahir",
                 column_A="tanggal_lahir", column_B="_batas_lahir_awal", or_equal=False,
                 ignore_row_if="either_value_is_missing"),
        ]  # fmt: skip
    if entity.name == "skp":
        rules += [
            # tahun 2015..year of tanggal_ekstrak (the minimum is the column's own range)
            _exp("expect_column_pair_values_a_to_be_greater_than_b", "NILAI_DI_LUAR_RENTANG", "tahun",
                 column_A="_batas_tahun", column_B="tahun", or_equal=True, ignore_row_if="either_value_is_missing"),
            # at least one of predikat, (hasil_kerja and perilaku_kerja), nilai: without predikat and without
            # both ratings, nilai is required
            _exp("expect_column_values_to_not_be_null", "SKP_TANPA_PENILAIAN", "predikat", column="nilai",
                 row_condition=_or(_and(_null("predikat"), _null("hasil_kerja")),
                                   _and(_null("predikat"), _null("perilaku_kerja")))),
        ]  # fmt: skip
    if entity.name == "riwayat_pendidikan":  # tahun_lulus 1950..year of tanggal_ekstrak (v1.1)
        rules.append(_exp("expect_column_pair_values_a_to_be_greater_than_b", "NILAI_DI_LUAR_RENTANG", "tahun_lulus",
                          column_A="_batas_tahun", column_B="tahun_lulus", or_equal=True,
                          ignore_row_if="either_value_is_missing"))  # fmt: skip
    if entity.unique_key:  # unique within the file: every copy of a repeated key breaks it
        # A key with an optional column (riwayat_pendidikan's program_studi) counts a missing value as a value
        # of its own: two rows of the same nip and jenjang without program_studi are a repeat.
        optional = any(not entity.column(c).required for c in entity.unique_key)
        rules.append(_exp("expect_compound_columns_to_be_unique", "DUPLIKAT", entity.unique_key[-1],
                          column_list=["_file_sha256", *entity.unique_key],
                          ignore_row_if="never" if optional else "any_value_is_missing"))  # fmt: skip
    return rules


def suite(entity_name: str) -> dict:
    """The expectation suite of one entity, as GX's suite JSON (without generated ids)."""
    entity = ENTITIES[entity_name]
    expectations = [r for col in entity.columns for r in _column_rules(col)] + _entity_rules(entity)
    return {
        "name": f"proasn_{entity_name}",
        "meta": {
            "entity": entity_name,
            "contract_version": contract.CONTRACT_VERSION,
            "generated_by": "python -m pipelines.expectations --write (from pipelines/contract.py); do not edit",
            "notes": "Rows in canonical form. meta.kode_alasan is the reason code (pipelines.contract.REASONS) "
            "and meta.kolom the column a failing row is quarantined for.",
        },
        "expectations": expectations,
    }


def suite_path(entity_name: str) -> Path:
    return EXPECTATIONS_DIR / f"{entity_name}.json"


def suite_text(entity_name: str) -> str:
    return json.dumps(suite(entity_name), indent=2, ensure_ascii=False) + "\n"


@functools.cache
def load_suite(entity_name: str) -> dict:
    """The committed suite (expectations/<entity>.json): what the SQL checks and the GX checks run."""
    return json.loads(suite_path(entity_name).read_text(encoding="utf-8"))


def write_suites() -> list[Path]:
    EXPECTATIONS_DIR.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in ENTITY_NAMES:
        path = suite_path(name)
        path.write_text(suite_text(name), encoding="utf-8")
        paths.append(path)
    return paths


def stale_suites() -> list[str]:
    """Entities whose committed suite differs from what contract.py generates."""
    return [
        n
        for n in ENTITY_NAMES
        if not suite_path(n).exists() or suite_path(n).read_text(encoding="utf-8") != suite_text(n)
    ]


# --- the frame GX validates ---------------------------------------------------------------------------
def _condition_columns(condition: dict) -> set[str]:
    if condition["type"] in ("and", "or"):
        return set().union(*(_condition_columns(c) for c in condition["conditions"]))
    return {condition["column"]["name"]}


@functools.cache
def suite_columns(entity_name: str) -> frozenset[str]:
    """The columns the committed suite reads: its expectations' columns and row conditions."""
    columns = set()
    for expectation in load_suite(entity_name)["expectations"]:
        kwargs = expectation["kwargs"]
        columns.update(kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs)
        columns.update(kwargs.get("column_list", ()))
        if kwargs.get("row_condition"):
            columns |= _condition_columns(kwargs["row_condition"])
    return frozenset(columns)


def frame_select_sql(entity_name: str, te: str = "_tanggal_ekstrak") -> str:
    """Select list over a raw-shaped table: the columns the suite reads (numbers as DOUBLE, DERIVED_COLUMNS
    from the DATE expression `te`), `_file_sha256` and `_line`. Only those: GX copies the whole frame for
    many of its metrics, and columns it never reads (names, places) only make every copy longer."""
    read = suite_columns(entity_name)
    cols = []
    for col in ENTITIES[entity_name].columns:
        if col.name not in read:
            continue
        if col.kind in NUMERIC_KINDS:
            cols.append(f"try_cast({col.name} as double) as {col.name}")
        else:
            cols.append(col.name)
    derived = [f"{sql.format(te=te)} as {name}" for name, sql in DERIVED_COLUMNS.items() if name in read]
    return ", ".join([*cols, "_file_sha256", "_line", *derived])


# --- running the suites with Great Expectations ------------------------------------------------------
@dataclass
class ExpectationOutcome:
    type: str
    kode_alasan: str
    kolom: str
    success: bool
    unexpected_count: int
    unexpected_index_list: list[int] = field(default_factory=list)
    error: str = ""


@dataclass
class SuiteOutcome:
    entity: str
    rows: int
    success: bool
    expectations: list[ExpectationOutcome]

    @property
    def failed(self) -> list[ExpectationOutcome]:
        return [e for e in self.expectations if not e.success]


def _quiet_gx_environment() -> None:
    # No network on these machines and no place for telemetry in a government warehouse.
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def run_suites(frames: dict, docs_dir: Path | None = None, complete: bool = False) -> dict[str, SuiteOutcome]:
    """Validate each entity's pandas frame with its committed suite (GX 1.x, ephemeral context).

    `complete` asks GX for every failing row index (for tests); otherwise counts only. When `docs_dir` is
    given, GX Data Docs (suites and these validation results) are written there as static HTML; results
    hold counts and row indexes, never the unexpected values (personal data), so reports/ may be shared.
    """
    _quiet_gx_environment()
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    if docs_dir is not None:
        docs_dir.mkdir(parents=True, exist_ok=True)
        context.add_data_docs_site(
            "proasn",
            {
                "class_name": "SiteBuilder",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs_dir),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
    source = context.data_sources.add_pandas("raw")
    outcomes = {}
    for entity_name, frame in frames.items():
        spec = copy.deepcopy(load_suite(entity_name))  # GX adds to what it is given
        suite_obj = gx.ExpectationSuite(
            name=spec["name"],
            meta=spec["meta"],
            expectations=[ExpectationConfiguration(**e).to_domain_obj() for e in spec["expectations"]],
        )
        suite_obj = context.suites.add(suite_obj)
        batch = source.add_dataframe_asset(entity_name).add_batch_definition_whole_dataframe(entity_name)
        validation = context.validation_definitions.add(
            gx.ValidationDefinition(name=entity_name, data=batch, suite=suite_obj)
        )
        # Counts (and, for tests, row indexes) only, never the unexpected values themselves: they are personal
        # data (NIP, names, birth dates) and would land in the Data Docs under reports/. BASIC, not SUMMARY:
        # SUMMARY adds partial lists of failing rows and value counts this project does not use (a quarter of
        # the validation time of a 200,000-row pegawai sample).
        result = validation.run(
            batch_parameters={"dataframe": frame},
            result_format={
                "result_format": "COMPLETE" if complete else "BASIC",
                "exclude_unexpected_values": True,
            },
        )
        items = []
        for r in result.results:
            meta = r.expectation_config.meta or {}
            error = ""
            if r.exception_info and r.exception_info.get("raised_exception"):
                error = str(r.exception_info.get("exception_message"))
            items.append(
                ExpectationOutcome(
                    type=r.expectation_config.type,
                    kode_alasan=meta.get("kode_alasan", ""),
                    kolom=meta.get("kolom", ""),
                    success=bool(r.success),
                    unexpected_count=int(r.result.get("unexpected_count") or 0),
                    unexpected_index_list=list(r.result.get("unexpected_index_list") or []),
                    error=error,
                )
            )
        outcomes[entity_name] = SuiteOutcome(entity_name, len(frame), bool(result.success), items)
    if docs_dir is not None:
        context.build_data_docs(site_names=["proasn"])
    return outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.expectations", description=__doc__.split("\n")[0]
    )
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument(
        "--write", action="store_true", help="write expectations/<entity>.json from contract.py"
    )
    group.add_argument("--check", action="store_true", help="exit 1 when a committed suite is out of date")
    args = parser.parse_args(argv)
    if args.write:
        for path in write_suites():
            print(f"wrote {path}")
        return 0
    stale = stale_suites()
    for name in stale:
        print(
            f"{suite_path(name)} is out of date: run python -m pipelines.expectations --write",
            file=sys.stderr,
        )
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
