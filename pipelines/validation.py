"""Reading and validating agency extract files under the contract, without writing anything.

Used by the ingest assets (which then write raw, quarantine and the ledger) and by `proasn check`.
Row rules run as DuckDB SQL generated from pipelines.contract, so they scale to national volumes and
each rule is written once.

A file is read into a DuckDB table of text columns named after the contract (`src_<column>`), plus
`_line`; `normalised_relation()` turns it into canonical columns plus `_reasons`, the list of
`CODE:column` strings that quarantine the row (empty = the row is loaded).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines import contract
from pipelines.contract import ENTITIES, Column, Entity

TANGGAL_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --- discovering submissions -------------------------------------------------------------------
@dataclass(frozen=True)
class LandingFile:
    """One file under <landing>/<kode_instansi>/<tanggal_ekstrak>/."""

    path: Path
    rel_path: str  # relative to the landing root, forward slashes
    kode_instansi: str
    tanggal_ekstrak: dt.date | None
    entity: str | None  # None when the name is not an entity of the contract
    file_problem: str | None = None  # a FILE-level reason code that rejects or ignores the file

    @property
    def extension(self) -> str:
        return self.path.suffix.lower()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def discover(landing: Path, today: dt.date | None = None) -> list[LandingFile]:
    """Every file below the landing root with its folder-level verdict, in a stable order."""
    today = today or dt.date.today()
    found = []
    for path in sorted(p for p in landing.rglob("*") if p.is_file()):
        rel = path.relative_to(landing)
        parts = rel.parts
        kode = parts[0] if len(parts) > 1 else ""
        problem = None
        tanggal = None
        if len(parts) != 3 or not TANGGAL_RE.match(parts[1]):
            problem = "FOLDER_TIDAK_VALID"
        else:
            try:
                tanggal = dt.date.fromisoformat(parts[1])
            except ValueError:
                problem = "FOLDER_TIDAK_VALID"
        entity = path.stem.strip().lower() if path.stem.strip().lower() in ENTITIES else None
        if problem is None and kode not in contract.kode_instansi():
            problem = "INSTANSI_TIDAK_DIKENAL"
        elif problem is None and tanggal > today:
            problem = "TANGGAL_EKSTRAK_MASA_DEPAN"
        elif problem is None and path.suffix.lower() not in contract.FILE_EXTENSIONS:
            problem = "FORMAT_BERKAS_TIDAK_DIDUKUNG"
        elif problem is None and entity is None:
            problem = "ENTITAS_TIDAK_DIKENAL"
        found.append(LandingFile(path, rel.as_posix(), kode, tanggal, entity, problem))
    return found


# --- reading a file into DuckDB ----------------------------------------------------------------
@dataclass
class ReadResult:
    table: str | None  # DuckDB table with src_<column> and _line; None when the file is rejected
    rows_read: int = 0
    problem: str | None = None  # FILE-level reason code
    detail: str = ""  # what exactly (which columns are missing...)
    extra_columns: list[str] = field(default_factory=list)


def normalise_header(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", str(name).strip()).lower()


def _detect_encoding(path: Path) -> str | None:
    """'utf-8' (BOM or not), 'cp1252', or None when neither decodes."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return None


def read_file(con: duckdb.DuckDBPyConnection, file: LandingFile, table: str, workdir: Path) -> ReadResult:
    """Load the file's cells as text into `table`; reject the whole file when it cannot be read."""
    entity = ENTITIES[file.entity]
    if file.extension != ".csv":
        return ReadResult(None, problem="FORMAT_BERKAS_TIDAK_DIDUKUNG", detail=file.extension)
    encoding = _detect_encoding(file.path)
    if encoding is None:
        return ReadResult(None, problem="ENKODING_TIDAK_TERBACA")
    source = file.path
    if encoding == "cp1252":  # DuckDB reads UTF-8 only without extensions: transcode once.
        workdir.mkdir(parents=True, exist_ok=True)
        source = workdir / f"{table}.csv"
        source.write_text(file.path.read_text(encoding="cp1252"), encoding="utf-8")
    with open(source, encoding="utf-8-sig") as f:
        header_line = f.readline()
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    try:
        con.execute(
            f"""create or replace temp table {table}_cells as
                select * from read_csv(?, header = false, all_varchar = true, delim = ?, quote = '"',
                                       escape = '"', strict_mode = false, null_padding = true)""",
            [str(source), delimiter],
        )
    except duckdb.Error as exc:
        return ReadResult(None, problem="BERKAS_TIDAK_TERBACA", detail=str(exc).splitlines()[0])
    cells = con.execute(f"select * from {table}_cells limit 1").fetchall()
    if not cells:
        return ReadResult(None, problem="BERKAS_TIDAK_TERBACA", detail="berkas kosong")
    raw_names = [c[0] for c in con.execute(f"describe {table}_cells").fetchall()]
    header = [normalise_header((v or "").lstrip("\ufeff")) for v in cells[0]]
    missing = [c for c in entity.required_columns if c not in header]
    if missing:
        return ReadResult(None, problem="KOLOM_WAJIB_HILANG", detail=", ".join(missing))
    position = {name: raw_names[i] for i, name in reversed(list(enumerate(header)))}
    select = ", ".join(
        f'"{position[c]}" as src_{c}' if c in position else f"null::varchar as src_{c}"
        for c in entity.column_names
    )
    # Rows keep file order; the header is line 1, so the first data row is line 2.
    con.execute(
        f"""create or replace temp table {table} as
            select {select}, (row_number() over () + 1)::integer as _line
            from (select * from {table}_cells offset 1)"""
    )
    con.execute(f"drop table {table}_cells")
    rows = con.execute(f"select count(*) from {table}").fetchall()[0][0]
    extra = [h for h in header if h and h not in entity.column_names]
    return ReadResult(table, rows_read=rows, extra_columns=extra)


# --- normalising and checking rows -------------------------------------------------------------
def _sql_list(values) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _sql_map(mapping: dict[str, str]) -> str:
    keys = _sql_list(mapping.keys())
    vals = _sql_list(mapping.values())
    return f"map({keys}, {vals})"


def _golongan_variants() -> dict[str, str]:
    """Compact spelling (no spaces, slashes or hyphens, upper case) -> canonical golongan."""
    roman_to_int = {"I": "1", "II": "2", "III": "3", "IV": "4"}
    variants = {}
    for kode in contract.golongan_pns():
        roman, ruang = kode.split("/")
        variants[f"{roman}{ruang}".upper()] = kode
        variants[f"{roman_to_int[roman]}{ruang}".upper()] = kode
    for pangkat, kode in contract.pangkat_to_golongan().items():
        variants[re.sub(r"[\s/\-]", "", pangkat)] = kode
    for number, kode in enumerate(contract.golongan_pppk(), start=1):
        variants[kode] = kode
        variants[str(number)] = kode
    return variants


def _clean(col: str) -> str:
    """Trimmed text, NULL when empty (contract section 2)."""
    return f"nullif(trim(src_{col}), '')"


def _canonical_sql(column: Column) -> str:
    """SQL for the column's canonical text value; NULL when absent or unreadable."""
    s = _clean(column.name)
    if column.kind in ("nip", "nik"):
        digits = 18 if column.kind == "nip" else 16
        stripped = f"regexp_replace(ltrim({s}, ''''), '[ .\\-]', '', 'g')"
        return (
            f"case when regexp_full_match(ltrim({s}, ''''), '[0-9]+([ .\\-][0-9]+)*') "
            f"and length({stripped}) = {digits} then {stripped} end"
        )
    if column.kind == "date":
        months = _sql_list(contract.BULAN)
        return f"""strftime(case
            when regexp_full_match({s}, '\\d{{4}}-\\d{{1,2}}-\\d{{1,2}}') then try_strptime({s}, '%Y-%m-%d')
            when regexp_full_match({s}, '\\d{{1,2}}-\\d{{1,2}}-\\d{{4}}') then try_strptime({s}, '%d-%m-%Y')
            when regexp_full_match({s}, '\\d{{1,2}}/\\d{{1,2}}/\\d{{4}}') then try_strptime({s}, '%d/%m/%Y')
            when regexp_full_match({s}, '\\d{{1,2}}\\s+[A-Za-z]+\\s+\\d{{4}}') then try_strptime(
                regexp_extract({s}, '^(\\d+)', 1) || '-'
                || list_position({months}, lower(regexp_extract({s}, '([A-Za-z]+)', 1)))::varchar
                || '-' || regexp_extract({s}, '(\\d{{4}})$', 1), '%d-%m-%Y')
            end, '%Y-%m-%d')"""
    if column.kind == "golongan":
        return f"{_sql_map(_golongan_variants())}[upper(regexp_replace({s}, '[\\s/\\-]', '', 'g'))]"
    if column.kind == "enum":
        code = f"upper(regexp_replace({s}, '[\\s\\-]+', '_', 'g'))"
        if column.name == "kode_kepemimpinan":
            return f"{_sql_map(contract.kode_kepemimpinan_aliases())}[{code}]"
        return f"case when {code} in {_sql_list(column.values)[1:-1].join('()')} then {code} end"
    if column.kind == "jenis_kelamin":
        return f"{_sql_map(contract.JENIS_KELAMIN_ALIASES)}[upper({s})]"
    if column.kind in ("integer", "decimal"):
        number = f"try_cast(replace({s}, ',', '.') as double)"
        if column.kind == "integer":
            number = f"case when {number} = round({number}) then {number}::bigint end"
        return f"({number})::varchar"
    if column.kind == "wilayah":
        return f"case when {s} in (select kode_wilayah from ref_wilayah) then {s} end"
    return s  # text


def _invalid_reason(column: Column) -> str:
    return {
        "nip": "NIP_TIDAK_VALID",
        "nik": "NIK_TIDAK_VALID",
        "date": "TANGGAL_TIDAK_VALID",
        "golongan": "GOLONGAN_TIDAK_VALID",
        "enum": "KODE_TIDAK_VALID",
        "jenis_kelamin": "JENIS_KELAMIN_TIDAK_VALID",
        "integer": "ANGKA_TIDAK_VALID",
        "decimal": "ANGKA_TIDAK_VALID",
        "wilayah": "WILAYAH_TIDAK_DIKENAL",
    }[column.kind]


def _row_checks(entity: Entity, tanggal_ekstrak: dt.date) -> list[str]:
    """SQL expressions, each `'CODE:column'` when the rule is broken, else NULL (over the `canon` CTE)."""
    te = f"date '{tanggal_ekstrak.isoformat()}'"
    checks = []
    for col in entity.columns:
        c, src = col.name, _clean(col.name)
        if col.required:
            checks.append(f"case when {src} is null then 'NILAI_WAJIB_KOSONG:{c}' end")
        if col.kind == "text":
            continue
        if col.kind == "nip":
            checks.append(
                f"case when {src} is not null and regexp_full_match(ltrim({src}, ''''), "
                f"'[0-9]+([.,][0-9]+)?[eE][+]?[0-9]+') then 'NIP_NOTASI_ILMIAH:{c}' "
                f"when {src} is not null and {c} is null then 'NIP_TIDAK_VALID:{c}' end"
            )
            continue
        checks.append(f"case when {src} is not null and {c} is null then '{_invalid_reason(col)}:{c}' end")
        if col.kind in ("integer", "decimal"):
            low, high = col.minimum, col.maximum
            if c == "tahun":
                high = tanggal_ekstrak.year
            bounds = [f"{c}::double < {low}"] if low is not None else []
            bounds += [f"{c}::double > {high}"] if high is not None else []
            if bounds:
                checks.append(f"case when {' or '.join(bounds)} then 'NILAI_DI_LUAR_RENTANG:{c}' end")
        if col.kind == "date" and c != "tanggal_lahir":
            checks.append(f"case when {c}::date > {te} then 'TANGGAL_MASA_DEPAN:{c}' end")
    names = set(entity.column_names)
    if "tanggal_lahir" in names:
        checks.append(
            f"case when tanggal_lahir::date > {te} - interval 18 year "
            f"or tanggal_lahir::date <= {te} - interval 71 year then 'USIA_DI_LUAR_RENTANG:tanggal_lahir' end"
        )
    if "status_kepegawaian" in names:
        checks.append(
            f"case when golongan is not null and status_kepegawaian is not null and "
            f"((status_kepegawaian = 'PPPK') <> (golongan in {_sql_list(contract.golongan_pppk())[1:-1].join('()')}))"
            f" then 'GOLONGAN_TIDAK_VALID:golongan' end"
        )
    if "jenjang_fungsional" in names:
        checks.append(
            "case when jenis_jabatan is not null and ((jenis_jabatan = 'FUNGSIONAL') <> "
            "(jenjang_fungsional is not null)) then 'JENJANG_FUNGSIONAL_TIDAK_SESUAI:jenjang_fungsional' end"
        )
    if "kode_kepemimpinan" in names:
        checks.append(
            "case when jenis_pelatihan = 'KEPEMIMPINAN' and kode_kepemimpinan is null "
            f"and {_clean('kode_kepemimpinan')} is null then 'KODE_KEPEMIMPINAN_WAJIB:kode_kepemimpinan' end"
        )
    for start, end in (("tmt_mulai", "tmt_selesai"), ("tanggal_mulai", "tanggal_selesai")):
        if end in names:
            checks.append(
                f"case when {end}::date < {start}::date then 'TANGGAL_SELESAI_SEBELUM_MULAI:{end}' end"
            )
    if entity.name == "skp":
        checks.append(
            "case when predikat is null and (hasil_kerja is null or perilaku_kerja is null) and nilai is null "
            "then 'SKP_TANPA_PENILAIAN:predikat' end"
        )
    if entity.unique_key:
        key = ", ".join(entity.unique_key)
        checks.append(
            f"case when nip is not null and count(*) over (partition by {key}) > 1 "
            f"then 'DUPLIKAT:{entity.unique_key[-1]}' end"
        )
    return checks


def normalised_sql(
    entity: Entity, source_table: str, tanggal_ekstrak: dt.date, pegawai_nips: str | None
) -> str:
    """A query over `source_table` giving canonical columns, `_line`, and `_reasons`.

    `pegawai_nips` names a table (column `nip`) of the agency's current pegawai; history rows whose NIP is
    not in it are orphans. None for pegawai itself.
    """
    canon = ", ".join(f"{_canonical_sql(c)} as {c.name}" for c in entity.columns)
    srcs = ", ".join(f"src_{c}" for c in entity.column_names)
    checks = _row_checks(entity, tanggal_ekstrak)
    if pegawai_nips is not None:
        checks.append(
            f"case when nip is not null and nip not in (select nip from {pegawai_nips}) "
            "then 'NIP_TIDAK_ADA_DI_PEGAWAI:nip' end"
        )
    reasons = f"list_filter([{', '.join(checks)}], lambda x: x is not null)"
    return f"""
        with canon as (select {srcs}, {canon}, _line from {source_table})
        select * exclude ({srcs}), {reasons} as _reasons, {srcs}
        from canon
        order by _line"""


def register_reference(con: duckdb.DuckDBPyConnection) -> None:
    """Reference tables the row rules read (temp: they live as long as the connection)."""
    codes = sorted(contract.kode_wilayah())
    con.execute("create or replace temp table ref_wilayah (kode_wilayah varchar primary key)")
    con.executemany("insert into ref_wilayah values (?)", [[c] for c in codes])
