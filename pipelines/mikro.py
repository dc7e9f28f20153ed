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
    done."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    columns = [(r[0], r[1]) for r in con.execute(f"describe {source}").fetchall()]
    select, qis = plan(columns)
    work = "mikro_kerja"
    con.execute(
        f"create or replace temp table {work} as select "
        + ", ".join(f"{sql} as {_ident(name)}" for name, sql in select)
        + f", row_number() over () as _mikro_baris from {source}"
    )
    sources = {q.name: q.source for q in qis}
    rows = con.execute(f"select count(*) from {work}").fetchone()[0]
    result = Coarsening(table or source, k, rows, [(name, sources.get(name, name)) for name, _ in select])
    # Generalised: the source value was there and the published one differs from it.
    for qi in qis:
        if qi.generalise:
            result.generalised[qi.name] = con.execute(
                f"select count(*) from {source} where {qi.source} is not null "
                f"and ({qi.expression()})::varchar is distinct from {qi.source}::varchar"
            ).fetchone()[0]
    names = [_ident(q.name) for q in qis]
    small = (
        f"select _mikro_baris from (select _mikro_baris, count(*) over (partition by {', '.join(names)}) as n "
        f"from {work}) where n < {k}"
    ) if names else "select null where false"  # fmt: skip
    for qi in qis:
        column = _ident(qi.name)
        result.blanked[qi.name] = con.execute(
            f"update {work} set {column} = null where {column} is not null and _mikro_baris in ({small})"
        ).fetchone()[0]
    if names:
        all_blank = " and ".join(f"{n} is null" for n in names)
        result.all_blank = con.execute(f"select count(*) from {work} where {all_blank}").fetchone()[0]
        result.smallest_class = con.execute(
            f"select min(n) from (select count(*) as n from {work} where not ({all_blank}) group by {', '.join(names)})"
        ).fetchone()[0]
    con.execute(
        f"create or replace table {target} as select "
        + ", ".join(_ident(name) for name, _ in select)
        + f" from {work} order by _mikro_baris"
    )
    con.execute(f"drop table {work}")
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
