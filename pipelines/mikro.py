"""The microdata tier (docs/domain-rules.md R12): person-level rows, pseudonymous, with their quasi-identifiers
coarsened so that no combination of them singles out fewer than k people (k-anonymity, k = dbt var
k_anonimitas).

Quasi-identifiers are the columns someone who knows a civil servant could know too: agency, province, status,
post type, functional level, golongan, education, gender and age band when a table has them, and anything that
encodes a birth date (an exact TMT pensiun is the birth month plus the BUP). Everything else (talent box,
readiness, IP ASN...) is copied as it is.

Two steps, both in DuckDB SQL on a temporary table:
1. generalise every record: a date becomes its year (tmt_pensiun -> tahun_pensiun), golongan its group
   (III/b -> III; PPPK golongan in bands of the same four levels), jenjang_fungsional its category
   (KEAHLIAN or KETERAMPILAN);
2. for the records whose combination is still shared by fewer than k records, blank (NULL) one attribute at a
   time, in BLANKING_ORDER (the least useful to analysts first), re-counting after each, until every
   combination has at least k records or a record has every quasi-identifier blank.
A blank is counted as a value of its own (records blank in the same attributes match each other), which is the
strict reading: it never assumes that a blank could be anything.

The report (REPORT_TABLE, in the microdata file, and the publish asset's metadata) says per attribute how many
records were generalised and how many blanked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

# Columns never coarsened, whatever their type: the reference date is the same for every record.
KEEP_AS_IS = frozenset({"tanggal_acuan"})

# PPPK golongan I..XVII in four bands, the levels of the PNS groups I..IV they are appointed beside.
_PPPK_BANDS = (("I-IV", ("I", "II", "III", "IV")), ("V-VIII", ("V", "VI", "VII", "VIII")),
               ("IX-XII", ("IX", "X", "XI", "XII")), ("XIII-XVII", ("XIII", "XIV", "XV", "XVI", "XVII")))  # fmt: skip


def _in_list(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _golongan_sql(column: str) -> str:
    pppk = " ".join(f"when {column} in ({_in_list(roman)}) then '{band}'" for band, roman in _PPPK_BANDS)
    return f"case when {column} like '%/%' then split_part({column}, '/', 1) {pppk} else {column} end"


_JENJANG_SQL = (
    "case when {c} like 'AHLI\\_%' escape '\\' then 'KEAHLIAN' "
    "when {c} in ('PENYELIA', 'MAHIR', 'TERAMPIL', 'PEMULA') then 'KETERAMPILAN' else {c} end"
)


@dataclass(frozen=True)
class QuasiIdentifier:
    source: str  # the column in the warehouse's table
    name: str  # the column in the microdata file
    generalise: str | None  # SQL over `{c}` (the source column); None: published as it is until blanked
    description: str  # the published column's comment when it differs from the source's

    def expression(self) -> str:
        return self.generalise.format(c=self.source) if self.generalise else self.source


# Every quasi-identifier a person-level table may have, in the order they are blanked: the least useful to an
# analyst first (the year of retirement is published in aggregate anyway; the agency and post type last, since
# they are what most questions are about). A table's columns not named here and not dates are copied as they
# are.
QUASI_IDENTIFIERS = (
    QuasiIdentifier("tmt_pensiun", "tahun_pensiun", "year({c})::integer",
                    "Year of TMT pensiun (R4): the exact date would give away the birth month. NULL when blanked "
                    "for k-anonymity."),
    QuasiIdentifier("pendidikan_tertinggi", "pendidikan_tertinggi", None, ""),
    QuasiIdentifier("pendidikan_terakhir", "pendidikan_terakhir", None, ""),
    QuasiIdentifier("golongan", "kelompok_golongan", _golongan_sql("{c}"),
                    "Golongan group: PNS/CPNS I, II, III or IV (III/b -> III); PPPK golongan in bands I-IV, "
                    "V-VIII, IX-XII, XIII-XVII. NULL when unknown or blanked for k-anonymity."),
    QuasiIdentifier("jenjang_fungsional", "kategori_fungsional", _JENJANG_SQL,
                    "For FUNGSIONAL posts, the category of the jenjang: KEAHLIAN (AHLI_*) or KETERAMPILAN "
                    "(PENYELIA, MAHIR, TERAMPIL, PEMULA). NULL for other posts, or when blanked for "
                    "k-anonymity."),
    QuasiIdentifier("kelompok_usia", "kelompok_usia", None, ""),
    QuasiIdentifier("jenis_kelamin", "jenis_kelamin", None, ""),
    QuasiIdentifier("kode_provinsi", "kode_provinsi", None, ""),
    QuasiIdentifier("status_kepegawaian", "status_kepegawaian", None, ""),
    QuasiIdentifier("jenis_jabatan", "jenis_jabatan", None, ""),
    QuasiIdentifier("kode_instansi", "kode_instansi", None, ""),
)  # fmt: skip
BLANKING_ORDER = tuple(q.name for q in QUASI_IDENTIFIERS)
BLANKED_NOTE = " NULL also when blanked for k-anonymity (R12): see laporan_pengaburan."
REPORT_TABLE = "laporan_pengaburan"
REPORT_COLUMNS = (
    "tabel varchar, atribut varchar, kolom_asal varchar, urutan_pengosongan integer, "
    "jumlah_digeneralisasi bigint, jumlah_dikosongkan bigint, jumlah_baris bigint, k integer"
)
REPORT_COLUMN_DESCRIPTIONS = {
    "tabel": "The microdata table.",
    "atribut": "The quasi-identifier as published.",
    "kolom_asal": "The warehouse column it comes from.",
    "urutan_pengosongan": "The order in which attributes were blanked (1 first: the least useful).",
    "jumlah_digeneralisasi": "Records whose value was generalised (published coarser than the warehouse's).",
    "jumlah_dikosongkan": "Records whose value was blanked (NULL) for k-anonymity.",
    "jumlah_baris": "Records in the table.",
    "k": "k in force (dbt var k_anonimitas): every combination of quasi-identifiers has at least k records.",
}
REPORT_DESCRIPTION = (
    "How the quasi-identifiers of each microdata table were coarsened to k-anonymity (R12): per attribute, the "
    "records whose value was generalised (a date to its year, golongan to its group, jenjang to its category) "
    "and the records whose value was blanked (NULL) because their combination of quasi-identifiers was still "
    "shared by fewer than k records. urutan_pengosongan: the order attributes were blanked in (1 first)."
)


@dataclass
class Coarsening:
    """What coarsen() did to one table."""

    table: str
    k: int
    rows: int
    columns: list[tuple[str, str]]  # the coarsened table's (column, source column)
    generalised: dict[str, int] = field(default_factory=dict)  # attribute -> records generalised
    blanked: dict[str, int] = field(default_factory=dict)  # attribute -> records blanked
    all_blank: int = 0  # records whose every quasi-identifier is blank
    smallest_class: int | None = None  # the smallest class after, leaving out the all-blank records

    def report_rows(self) -> list[tuple]:
        """The rows of REPORT_TABLE: one per quasi-identifier, in the order they were blanked."""
        sources = dict(self.columns)
        return [
            (
                self.table,
                name,
                sources[name],
                i + 1,
                self.generalised.get(name, 0),
                blanked,
                self.rows,
                self.k,
            )
            for i, (name, blanked) in enumerate(self.blanked.items())
        ]

    def summary(self) -> dict:
        """For the publish asset's metadata and the refresh summary."""
        return {
            "k": self.k,
            "baris": self.rows,
            "baris_semua_kosong": self.all_blank,
            "kelas_terkecil": self.smallest_class,
            "atribut": {name: {"digeneralisasi": self.generalised.get(name, 0), "dikosongkan": blanked}
                        for name, blanked in self.blanked.items()},
        }  # fmt: skip


def _is_date(data_type: str) -> bool:
    return data_type.upper() in ("DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_NS", "TIMESTAMP_MS",
                                 "TIMESTAMP_S")  # fmt: skip


def _date_qi(column: str) -> QuasiIdentifier:
    """A date not otherwise known (a new column of the mart): published as its year, and a quasi-identifier."""
    stem = column.removeprefix("tmt_").removeprefix("tanggal_")
    return QuasiIdentifier(column, f"tahun_{stem}", "year({c})::integer",
                           f"Year of {column}: the exact date is not published (R12).")  # fmt: skip


def plan(columns: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[QuasiIdentifier]]:
    """For a table's (column, type): the select list of the coarsened table (name, SQL expression) in the
    table's order, and its quasi-identifiers in blanking order."""
    known = {q.source: q for q in QUASI_IDENTIFIERS}
    select, qis = [], []
    for column, data_type in columns:
        qi = known.get(column)
        if qi is None and column not in KEEP_AS_IS and _is_date(data_type):
            qi = _date_qi(column)
        if qi is None:
            select.append((column, column))
        else:
            select.append((qi.name, qi.expression()))
            qis.append(qi)
    rank = {name: i for i, name in enumerate(BLANKING_ORDER)}
    qis.sort(key=lambda q: rank.get(q.name, -1))  # unknown dates first: the least useful
    return select, qis


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def coarsen(con: duckdb.DuckDBPyConnection, source: str, target: str, k: int, table: str = "") -> Coarsening:
    """Write `target` (a table name, any attached database) from `source` with its quasi-identifiers coarsened
    so that every combination of them is shared by at least k records (or is entirely blank); return what was
    done.

    Every record of one generalised combination is treated alike, so the blanking works on the table of
    combinations (with their number of records), far smaller than the records; the records take their
    combination's final values in one join at the end."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    select, qis = plan([(r[0], r[1]) for r in con.execute(f"describe {source}").fetchall()])
    sources = {q.name: q.source for q in qis}
    origin = [f"_mikro_asal_{i}" for i in range(len(qis))]  # the generalised combination
    current = [f"_mikro_kini_{i}" for i in range(len(qis))]  # the same, as blanked so far
    classes = "mikro_kelas"
    # One pass over the source: the combinations, their records, and the records each generalisation changed.
    changed = [
        f"count(*) filter ({q.source} is not null and ({q.expression()})::varchar is distinct from "
        f"{q.source}::varchar) as _mikro_umum_{i}"
        for i, q in enumerate(qis)
    ]
    con.execute(
        f"""create or replace temp table {classes} as
        select row_number() over () as _mikro_kelas, *, {", ".join(f"{o} as {c}" for o, c in zip(origin, current, strict=True)) or "1 as _x"}
        from (select {", ".join(f"{q.expression()} as {o}" for q, o in zip(qis, origin, strict=True))}{", " if qis else ""}
                     count(*) as _mikro_n{"".join(", " + c for c in changed)}
              from {source} group by all)"""
    )  # fmt: skip
    rows = con.execute(f"select coalesce(sum(_mikro_n), 0) from {classes}").fetchone()[0]
    result = Coarsening(table or source, k, rows, [(name, sources.get(name, name)) for name, _ in select])
    for i, qi in enumerate(qis):
        if qi.generalise:
            result.generalised[qi.name] = con.execute(
                f"select coalesce(sum(_mikro_umum_{i}), 0) from {classes}"
            ).fetchone()[0]
    partition = ", ".join(current)
    for qi, column in zip(qis, current, strict=True):
        small = (
            f"select _mikro_kelas from (select _mikro_kelas, sum(_mikro_n) over (partition by {partition}) as n "
            f"from {classes}) where n < {k}"
        )
        con.execute(f"create or replace temp table mikro_kecil as {small}")
        result.blanked[qi.name] = con.execute(
            f"select coalesce(sum(_mikro_n), 0) from {classes} semi join mikro_kecil using (_mikro_kelas) "
            f"where {column} is not null"
        ).fetchone()[0]
        con.execute(
            f"update {classes} set {column} = null where {column} is not null "
            "and _mikro_kelas in (select _mikro_kelas from mikro_kecil)"
        )
    con.execute("drop table if exists mikro_kecil")
    if qis:
        all_blank = " and ".join(f"{c} is null" for c in current)
        result.all_blank = con.execute(
            f"select coalesce(sum(_mikro_n), 0) from {classes} where {all_blank}"
        ).fetchone()[0]
        result.smallest_class = con.execute(
            f"select min(n) from (select sum(_mikro_n) as n from {classes} where not ({all_blank}) "
            f"group by {partition})"
        ).fetchone()[0]
    published = {q.name: c for q, c in zip(qis, current, strict=True)}
    columns = ", ".join(
        f"k.{published[name]} as {_ident(name)}" if name in published else f"s.{_ident(name)}"
        for name, _ in select
    )
    origins = "".join(f", {q.expression()} as {o}" for q, o in zip(qis, origin, strict=True))
    join = " and ".join(f"s.{o} is not distinct from k.{o}" for o in origin) or "true"
    con.execute(
        f"create or replace table {target} as select {columns} "
        f"from (select *{origins} from {source}) as s join {classes} as k on {join}"
    )
    con.execute(f"drop table {classes}")
    return result


def descriptions(table_columns: dict[str, str], columns: list[tuple[str, str]]) -> dict[str, str]:
    """The comment of each coarsened column: its own description when generalised, else the source's with a
    note that it may be blank. `table_columns`: the source columns' descriptions (dbt)."""
    own = {q.name: q.description for q in QUASI_IDENTIFIERS if q.description}
    out = {}
    for name, source in columns:
        if name in own:
            out[name] = own[name]
        elif name != source:  # a date not otherwise known
            out[name] = f"Year of {source}: the exact date is not published (R12).{BLANKED_NOTE}"
        elif name in BLANKING_ORDER and table_columns.get(source):
            out[name] = table_columns[source] + BLANKED_NOTE
        elif table_columns.get(source):
            out[name] = table_columns[source]
    return out
