"""The contract's row rules as DuckDB SQL over whole files (docs/extract-contract.md sections 3-5), without writing anything.

1. `normalised_sql()` / `checked_sql()`: section 3's accepted spellings become canonical values (a present
   value that cannot be read becomes NULL with its format reason), then every expectation of the entity's
   suite (expectations/<entity>.json, pipelines.expectations) is translated into a SQL check, then the
   orphan rule of section 5. `_reasons` lists `CODE:column` for every broken rule.
2. `warnings_sql()`: the data-quality warnings of section 5 and the SKP matrix of rule R5 (nothing
   quarantined).

No Python loop per row: the ingest runs these over every file of a batch at once.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from pipelines import contract
from pipelines.contract import WHITESPACE, Column, Entity
from pipelines.expectations import DERIVED_COLUMNS, load_suite

SCIENTIFIC_RE = "[0-9]+([.,][0-9]+)?[eE][+]?[0-9]+"


# --- section 3: canonical values -----------------------------------------------------------------
def _lit(value) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _sql_list(values) -> str:
    return "[" + ", ".join(_lit(v) for v in values) + "]"


def _sql_map(mapping: dict[str, str]) -> str:
    return f"map({_sql_list(mapping.keys())}, {_sql_list(mapping.values())})"


def _code_key(text: str) -> str:
    """How codes are compared: upper case, runs of spaces/hyphens/underscores as one `_`."""
    return re.sub(r"[\s\-_]+", "_", text.strip()).upper()


@functools.cache
def _golongan_variants() -> dict[str, str]:
    """Compact spelling (no spaces, slashes or hyphens, upper case) -> canonical golongan, both rumpun."""
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
    """The column's trimmed text, NULL when empty (section 2): computed once per row by checked_sql."""
    return f"_t_{col}"


def _clean_sql(col: str) -> str:
    """Trimmed text, NULL when empty. Trimming a character set is slow in DuckDB (hundreds of ns a cell)
    and nearly every cell has nothing to trim: trim only cells that start or end with whitespace. The last
    character is `s[-1]`, not `right(s, 1)` (40-43 ns a cell for the whole expression against 52-58 ns)."""
    s = f"src_{col}"
    codes = ", ".join(str(ord(ch)) for ch in WHITESPACE)
    return (
        f"case when ascii({s}) in ({codes}) or ascii({s}[-1]) in ({codes}) "
        f"then nullif(trim({s}, '{WHITESPACE}'), '') else nullif({s}, '') end"
    )


def _already(s: str, canonical, slow: str) -> str:
    """`slow`, the general normalisation, skipped for values already in canonical form (most of them),
    for which it is the identity. Regular-expression replacements cost more than a set lookup."""
    values = sorted(canonical)
    if not values:
        return slow
    return f"case when {s} in ({', '.join(_lit(v) for v in values)}) then {s} else {slow} end"


def _canonical_sql(column: Column) -> str:
    """SQL for the column's canonical value.

    NIP, NIK, dates and numbers: NULL when present but unreadable (the format reason says why). Codes:
    the accepted spellings mapped, anything else kept as written, so the suite's value list rejects it.
    Integers are BIGINT and decimals DOUBLE here; the raw tables get them as text (raw_text_sql).
    Each kind first tests for the canonical form, which most values already have, and returns it as is:
    the general forms below give the same result for it (for dates, checked over every dddd-dd-dd string).
    """
    s = _clean(column.name)
    if column.kind in ("nip", "nik"):
        digits = 18 if column.kind == "nip" else 16
        bare = f"ltrim({s}, '''')"
        stripped = f"regexp_replace({bare}, '[ .\\-]', '', 'g')"
        return (
            f"case when regexp_full_match({s}, '[0-9]{{{digits}}}') then {s} "
            f"when regexp_full_match({bare}, '[0-9]+([ .\\-]+[0-9]+)*') "
            f"and length({stripped}) = {digits} then {stripped} end"
        )
    if column.kind == "date":
        months = _sql_list(contract.BULAN)
        return f"""case
            when regexp_full_match({s}, '\\d{{4}}-\\d{{2}}-\\d{{2}}') then if(try_cast({s} as date) is null, null, {s})
            else strftime(case
            when regexp_full_match({s}, '\\d{{4}}-\\d{{1,2}}-\\d{{1,2}}') then try_strptime({s}, '%Y-%m-%d')
            when regexp_full_match({s}, '\\d{{1,2}}-\\d{{1,2}}-\\d{{4}}') then try_strptime({s}, '%d-%m-%Y')
            when regexp_full_match({s}, '\\d{{1,2}}/\\d{{1,2}}/\\d{{4}}') then try_strptime({s}, '%d/%m/%Y')
            when regexp_full_match({s}, '\\d{{1,2}}\\s+[A-Za-z]+\\s+\\d{{4}}') then try_strptime(
                regexp_extract({s}, '^(\\d+)', 1) || '-'
                || list_position({months}, lower(regexp_extract({s}, '([A-Za-z]+)', 1)))::varchar
                || '-' || regexp_extract({s}, '(\\d{{4}})$', 1), '%d-%m-%Y')
            end, '%Y-%m-%d') end"""
    code = f"upper(regexp_replace({s}, '[\\s\\-_]+', '_', 'g'))"
    if column.kind == "golongan":
        variants = _golongan_variants()
        slow = f"coalesce({_sql_map(variants)}[upper(regexp_replace({s}, '[\\s/\\-]', '', 'g'))], {s})"
        same = {v for v in variants.values() if variants.get(re.sub(r"[\s/\-]", "", v).upper()) == v}
        return _already(s, same, slow)
    if column.kind == "enum" and column.name == "kode_kepemimpinan":
        aliases = contract.kode_kepemimpinan_aliases()
        slow = f"coalesce({_sql_map(aliases)}[{code}], {code})"
        return _already(s, {k for k, v in aliases.items() if k == v and _code_key(k) == k}, slow)
    if column.kind == "enum" and column.name == "jenjang":  # riwayat_pendidikan (v1.1): SMK, DIII, Sarjana...
        aliases = contract.JENJANG_PENDIDIKAN_ALIASES
        slow = f"coalesce({_sql_map(aliases)}[{code}], {code})"
        return _already(s, {v for v in column.values if _code_key(v) == v}, slow)
    if column.kind == "enum":
        return _already(s, {v for v in column.values if _code_key(v) == v}, code)
    if column.kind == "jenis_kelamin":
        aliases = {_code_key(k): v for k, v in contract.JENIS_KELAMIN_ALIASES.items()}
        slow = f"coalesce({_sql_map(aliases)}[{code}], {s})"
        return _already(s, {v for v in aliases.values() if aliases.get(_code_key(v)) == v}, slow)
    if column.kind == "integer":  # "12", also "12.0" / "12,0"
        return (
            f"case when regexp_full_match({s}, '[+-]?[0-9]+') then try_cast({s} as bigint) "
            f"when regexp_full_match({s}, '[+-]?[0-9]+[.,]0+') "
            f"then try_cast(regexp_replace({s}, '[.,]0+$', '') as bigint) end"
        )
    if column.kind == "decimal":  # "85.5" or "85,5"
        return f"case when regexp_full_match({s}, '[+-]?[0-9]+([.,][0-9]+)?') then try_cast(replace({s}, ',', '.') as double) end"
    return s  # text, wilayah


def raw_text_sql(column: Column) -> str:
    """The canonical value as the text stored in raw.<entity> (numbers without a trailing .0)."""
    c = column.name
    if column.kind == "integer":
        return f"{c}::varchar"
    if column.kind == "decimal":
        return (
            f"case when {c} = trunc({c}) and abs({c}) < 1e15 then {c}::bigint::varchar else {c}::varchar end"
        )
    return c


_FORMAT_REASON = {"nik": "NIK_TIDAK_VALID", "date": "TANGGAL_TIDAK_VALID", "integer": "ANGKA_TIDAK_VALID",
                  "decimal": "ANGKA_TIDAK_VALID"}  # fmt: skip


def _format_check(column: Column) -> str | None:
    """`CODE:column` when a value is present but in none of the accepted forms of section 3."""
    c, present = column.name, _clean(column.name)
    if column.kind == "nip":
        return (
            f"case when {present} is not null and {c} is null then case "
            f"when regexp_full_match(ltrim({present}, ''''), '{SCIENTIFIC_RE}') then 'NIP_NOTASI_ILMIAH:{c}' "
            f"else 'NIP_TIDAK_VALID:{c}' end end"
        )
    if column.kind in _FORMAT_REASON:
        return f"case when {present} is not null and {c} is null then '{_FORMAT_REASON[column.kind]}:{c}' end"
    return None


# --- section 4: the suites as SQL ----------------------------------------------------------------
def _condition_sql(cond: dict) -> str:
    """A GX row condition as SQL (NULL compares as false in both engines; no negations are used)."""
    kind = cond["type"]
    if kind in ("and", "or"):
        return "(" + f" {kind} ".join(_condition_sql(c) for c in cond["conditions"]) + ")"
    column = cond["column"]["name"]
    if kind == "nullity":
        return f"({column} is {'' if cond['is_null'] else 'not '}null)"
    if kind == "comparison" and cond["operator"] == "==":
        return f"({column} = {_lit(cond['parameter'])})"
    if kind == "comparison" and cond["operator"] == "IN":
        return f"({column} in ({', '.join(_lit(v) for v in cond['parameter'])}))"
    raise ValueError(f"row condition not translated to SQL: {cond}")


def expectation_sql(expectation: dict, duplicate_flag: str | None = None) -> str:
    """SQL that is true when a row breaks the expectation (over the canonical columns).

    Uniqueness (within a file, `_file_id`) is a window count, or with `duplicate_flag` a boolean column
    that is true when the row's key occurs more than once in its file (checked_sql computes it with an
    aggregate and a join: DuckDB's window sort on strings cost more than all other rules together).
    """
    kind, k = expectation["type"], expectation["kwargs"]
    c = k.get("column")
    if kind == "expect_column_values_to_not_be_null":  # judged on the value as written: an unreadable
        broken = f"{_clean(c)} is null"  # value already has its format reason
    elif kind == "expect_column_values_to_be_null":
        broken = f"{_clean(c)} is not null"
    elif kind == "expect_column_values_to_match_regex":
        broken = f"{c} is not null and not regexp_matches({c}, {_lit(k['regex'])})"
    elif kind == "expect_column_values_to_be_in_set":
        broken = f"{c} is not null and {c} not in ({', '.join(_lit(v) for v in k['value_set'])})"
    elif kind == "expect_column_values_to_be_between":
        bounds = [f"{c} < {k['min_value']}"] if k.get("min_value") is not None else []
        bounds += [f"{c} > {k['max_value']}"] if k.get("max_value") is not None else []
        broken = f"{c} is not null and ({' or '.join(bounds)})"
    elif kind == "expect_column_pair_values_a_to_be_greater_than_b":
        a, b = k["column_A"], k["column_B"]
        assert k.get("ignore_row_if") == "either_value_is_missing", expectation
        broken = f"{a} is not null and {b} is not null and not ({a} {'>=' if k.get('or_equal') else '>'} {b})"
    elif kind == "expect_compound_columns_to_be_unique":
        cols = k["column_list"]
        repeated = duplicate_flag or f"count(*) over (partition by _file_id, {', '.join(cols)}) > 1"
        if k.get("ignore_row_if") == "never":  # a NULL is a value like any other (GX on pandas: duplicated())
            broken = repeated
        else:
            assert k.get("ignore_row_if") == "any_value_is_missing", expectation
            broken = " and ".join(f"{x} is not null" for x in cols) + f" and {repeated}"
    else:
        raise ValueError(f"expectation type not translated to SQL: {kind}")
    if k.get("row_condition"):
        broken = f"{_condition_sql(k['row_condition'])} and {broken}"
    meta = expectation["meta"]
    return f"case when {broken} then '{meta['kode_alasan']}:{meta['kolom']}' end"


def checked_sql(entity: Entity, source_table: str, files_table: str, orphans_table: str | None) -> str:
    """A query over `source_table` (src_<column>, _extra, _line, _file_id: the rows of one or many files)
    giving `_file_id`, `_line`, the canonical columns and `_reasons` (the values as written stay in the
    source table: only quarantined rows need them).

    `files_table`: one row per file: _file_id, _tanggal_ekstrak (DATE), _file_sha256, _cek_yatim (judge
    orphans). Rules that look at several rows (uniqueness) look within each file. `orphans_table`
    (_file_id, nip): the NIPs of each file's agency's current pegawai; a history row of a file with
    _cek_yatim whose NIP is not among them is an orphan. None: no orphan check (pegawai itself).
    """
    te = "f._tanggal_ekstrak"
    canon = ", ".join(f"{_canonical_sql(c)} as {c.name}" for c in entity.columns)
    # Per file, not per row: a small table joined to the rows.
    derived = ", ".join(f"{sql.format(te=te)} as {name}" for name, sql in DERIVED_COLUMNS.items())
    cleaned = ", ".join(f"{_clean_sql(c)} as {_clean(c)}" for c in entity.column_names)
    checks = [check for c in entity.columns if (check := _format_check(c))]
    flags, joins, duplicates = [], [], []
    for i, expectation in enumerate(load_suite(entity.name)["expectations"]):
        flag = None
        if expectation["type"] == "expect_compound_columns_to_be_unique":
            flag, key = f"_dup{i}", ["_file_id", *expectation["kwargs"]["column_list"]]
            if expectation["kwargs"].get("ignore_row_if") == "never":  # NULL equals NULL in the key
                where, equal = "true", "is not distinct from"
            else:
                where, equal = " and ".join(f"{c} is not null" for c in key), "="
            duplicates.append(
                f"""{flag} as (select {", ".join(key)}, true as {flag} from canon
                    where {where} group by all having count(*) > 1)"""
            )
            joins.append(f"left join {flag} on " + " and ".join(f"{flag}.{c} {equal} canon.{c}" for c in key))
            flags.append(flag)
        checks.append(expectation_sql(expectation, f"coalesce({flag}, false)" if flag else None))
    checks.append("case when _extra is not null then 'KOLOM_BERLEBIH:' end")
    checks.append("case when _kurang then 'KOLOM_KURANG:' end")
    if orphans_table is not None:
        checks.append(
            "case when _cek_yatim and nip is not null and not _nip_di_pegawai "
            "then 'NIP_TIDAK_ADA_DI_PEGAWAI:nip' end"
        )
        joins.append(f"left join {orphans_table} p on p._file_id = canon._file_id and p.nip = canon.nip")
        flags.append("p.nip is not null as _nip_di_pegawai")
    # Most rows break no rule: the list of reasons is built only for those that break one.
    found = (
        f"case when coalesce({', '.join(checks)}) is null then []::varchar[] "
        f"else list_filter([{', '.join(checks)}], lambda x: x is not null) end"
    )
    # Two rules with the same code and column (a golongan outside every list and outside its rumpun's)
    # give one reason.
    reasons = "case when len(_found) > 1 then list_filter(_found, lambda x, i: list_position(_found, x) = i) else _found end"
    return f"""
        with files as (select f.*, {derived} from {files_table} f),
        canon as (
            select s._file_id, s._line, s._extra, s._kurang, {cleaned}, {canon}, files.* exclude (_file_id)
            from {source_table} s join files on files._file_id = s._file_id
        ),
        {"".join(d + "," for d in duplicates)}
        judged as (select {", ".join(["canon.*", *flags])} from canon {" ".join(joins)}),
        checked as (select *, {found} as _found from judged)
        select _file_id, _line, {", ".join(entity.column_names)}, {reasons} as _reasons
        from checked"""


def normalised_sql(
    entity: Entity, source_table: str, tanggal_ekstrak: dt.date, sha256: str, pegawai_nips: str | None
) -> str:
    """checked_sql for the rows of one file (`source_table`: src_<column>, _extra, _line), with
    `_file_sha256`.

    `pegawai_nips` names a table (column `nip`, no NULLs) of the agency's current pegawai; history rows
    whose NIP is not in it are orphans. None: no orphan check.
    """
    source = f"(select *, 0 as _file_id from {source_table})"
    files = (
        f"(select 0 as _file_id, date '{tanggal_ekstrak.isoformat()}' as _tanggal_ekstrak, "
        f"{_lit(sha256)} as _file_sha256, true as _cek_yatim)"
    )
    orphans = None if pegawai_nips is None else f"(select 0 as _file_id, nip from {pegawai_nips})"
    checked = checked_sql(entity, source, files, orphans)
    return f"select *, {_lit(sha256)} as _file_sha256 from ({checked}) order by _line"


# --- warnings: reported, nothing quarantined -----------------------------------------------------
def warnings_sql(entity: Entity, checked_table: str, pegawai_table: str | None = None) -> str | None:
    """Rows (_file_id, _line, kode_alasan, kolom, keterangan) of warnings on the rows that are loaded.

    `pegawai_table` (_file_id, nip, pendidikan_terakhir): each file's agency's current pegawai, for the
    warnings that compare a history with it (riwayat_pendidikan)."""
    parts = []
    loaded = f"from {checked_table} where len(_reasons) = 0"
    if entity.name == "pegawai":  # section 5: NIP digits vs birth date and gender, PNS and CPNS only
        pns = "status_kepegawaian in ('PNS', 'CPNS')"
        parts.append(
            "select _file_id, _line, 'NIP_TANGGAL_LAHIR_TIDAK_COCOK' as kode_alasan, 'tanggal_lahir' as kolom, "
            "'digit 1-8 NIP ' || substr(nip, 1, 8) || ', tanggal_lahir ' || tanggal_lahir as keterangan "
            f"{loaded} and {pns} and substr(nip, 1, 8) <> replace(tanggal_lahir, '-', '')"
        )
        parts.append(
            "select _file_id, _line, 'NIP_JENIS_KELAMIN_TIDAK_COCOK' as kode_alasan, 'jenis_kelamin' as kolom, "
            "'digit ke-15 NIP ' || substr(nip, 15, 1) || ', jenis_kelamin ' || jenis_kelamin as keterangan "
            f"{loaded} and {pns} and substr(nip, 15, 1) <> case jenis_kelamin when 'L' then '1' when 'P' then '2' end"
        )
    if entity.name == "skp":  # docs/domain-rules.md R5: the predikat follows from the two ratings (seed)
        matrix = _sql_map({f"{h}|{p}": v for (h, p), v in contract.predikat_matriks().items()})
        expected = f"{matrix}[hasil_kerja || '|' || perilaku_kerja]"
        parts.append(
            "select _file_id, _line, 'PREDIKAT_TIDAK_SESUAI_MATRIKS' as kode_alasan, 'predikat' as kolom, "
            f"'predikat ' || predikat || ', menurut matriks ' || {expected} as keterangan "
            f"{loaded} and predikat is not null and hasil_kerja is not null and perilaku_kerja is not null "
            f"and predikat <> {expected}"
        )
    if entity.name == "riwayat_pendidikan" and pegawai_table is not None:
        # section 5 (v1.1): the highest jenjang of a person's history should be pendidikan_terakhir (D4 = S1);
        # one warning per person, on the line of (the first of) their highest jenjang
        rank = _sql_map({k: str(v) for k, v in contract.PENDIDIKAN_PERINGKAT.items()})
        parts.append(
            f"""select _file_id, _line, 'PENDIDIKAN_TERAKHIR_TIDAK_SESUAI' as kode_alasan, 'jenjang' as kolom,
                'jenjang tertinggi riwayat_pendidikan ' || jenjang || ', pendidikan_terakhir di pegawai '
                || pendidikan_terakhir as keterangan
            from (
                select r._file_id, r._line, r.jenjang, p.pendidikan_terakhir, {rank}[r.jenjang]::integer as peringkat,
                    {rank}[p.pendidikan_terakhir]::integer as peringkat_pegawai
                from {checked_table} r join {pegawai_table} p on p._file_id = r._file_id and p.nip = r.nip
                where len(r._reasons) = 0 and p.pendidikan_terakhir is not null
                qualify row_number() over (partition by r._file_id, r.nip order by peringkat desc, r._line) = 1
            ) where peringkat <> peringkat_pegawai"""
        )
    return " union all ".join(parts) if parts else None
