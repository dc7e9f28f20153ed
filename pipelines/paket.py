"""Writing agency feedback packs: CSV and XLSX files with formula-like cells escaped, owner-only, each pack
swapped into place whole. Kept apart from the Dagster asset (assets/exports.py) so that the worker
processes that write packs import only this (and DuckDB).

A pack's tables come either as rows in memory (`Table`: the indicators, small) or as Parquet files staged
by pipelines.exports (`Staged`: the people and the data-quality rows, up to hundreds of thousands of rows an
agency at national scale). A staged table is never held in Python: the worker's own in-memory DuckDB writes
its CSV (`COPY ... (FORMAT csv)`) and builds each XLSX row's XML text in SQL; Python only streams those
row texts into the workbook's ZIP, a batch at a time.

The XLSX is written here, not with a spreadsheet library: a sheet is one XML stream of rows, and writing it
cell by cell in Python was most of the packs' time. Cells are written as xlsxwriter wrote them
(`constant_memory` mode: inline strings): numbers as `%.16G`, booleans as t="b", everything else as text
escaped like the CSV (escape_cell), control characters as _xHHHH_, over-long text cut at Excel's 32,767
characters, the header row bold and frozen, a table too long for a sheet cut under a note.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import os
import re
import resource
import shutil
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import duckdb

from pipelines.cells import FORMULA_PREFIXES, escape_cell
from pipelines.limits import MAX_XLSX_ROWS, angka

PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600
FINGERPRINT_FILE = ".fingerprint"
# Rows one XLSX sheet holds, header included (Excel's limit; tests lower it). A larger table is cut in its
# sheet, under a note that says so; its CSV always holds every row.
SHEET_ROWS = MAX_XLSX_ROWS
CELL_CHARS = 32_767  # Excel's longest text in a cell
BOM = "\ufeff".encode()
FETCH_ROWS = 4096  # XLSX rows fetched from DuckDB at a time
# A worker's DuckDB: one thread (one worker per core) and a ceiling well under the 1 GiB per worker.
WORKER_DUCKDB = {"threads": 1, "memory_limit": "384MB", "preserve_insertion_order": True}


@dataclass
class Table:
    """A table held in memory (small: the indicators; tests)."""

    name: str  # file stem and sheet name
    columns: list[str]
    rows: list[tuple]


@dataclass(frozen=True)
class Staged:
    """A table of one agency staged in a Parquet file of rows_sql(), in the order of agency and row ("": the
    agency has no row in it)."""

    name: str
    columns: list[str]
    file: str
    kode_instansi: str
    rows: int


# --- values as text, the same in both kinds of table ----------------------------------------------------
def _plain(value):
    """A value as CSV text (escaped when it is text)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    if isinstance(value, int | float | decimal.Decimal):
        return str(value)
    return escape_cell(str(value))


_CONTROL_ESCAPED = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")


def _text_xml(text: str) -> str:
    """A text cell's <is> element body, as xlsxwriter wrote it: cut to Excel's limit, control characters as
    _xHHHH_ (a literal _xHHHH_ kept by escaping its underscore), whitespace at an end preserved."""
    if len(text) > CELL_CHARS:
        text = text[:CELL_CHARS]
    text = _CONTROL_ESCAPED.sub(r"_x005F\1", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", text)
    text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f"<t{space}>{xml_escape(text)}</t>"


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell_xml(ref: str, value, style: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | decimal.Decimal):
        return f'<c r="{ref}"{style}><v>{float(value):.16G}</v></c>'
    text = _plain(value)
    return f'<c r="{ref}"{style} t="inlineStr"><is>{_text_xml(text)}</is></c>' if text else ""


def _header_xml(row: int, values: Iterable[str]) -> str:
    cells = "".join(
        f'<c r="{_column_letters(c)}{row}" s="1" t="inlineStr"><is>{_text_xml(str(v))}</is></c>'
        for c, v in enumerate(values)
        if v != ""
    )
    return f'<row r="{row}">{cells}</row>'


# --- the same in SQL, for staged tables --------------------------------------------------------------------
_CONTROLS = [c for c in range(32) if c not in (9, 10)]
_WHITESPACE = "\\t\\n \\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}"
_CONTROL_CLASS = "".join(f"\\x{{{c:x}}}" for c in _CONTROLS) + "\\x{fffe}\\x{ffff}"
# escape_cell's prefixes as a regular expression's class (a regular expression: DuckDB binds IN lists slowly)
_PREFIXES = "".join({"\t": "\\t", "\r": "\\r"}.get(p, p) for p in FORMULA_PREFIXES if p != "-") + "-"
# The worker's DuckDB macros: escape_cell's formula escape; xlsxwriter's control-character escape, character
# by character only in the rare text that needs it.
MACROS = f"""
create or replace temp macro pk_escape(t) as
    case when regexp_matches(t, '^[{_PREFIXES}]') then concat(chr(39), t) else t end;
create or replace temp macro pk_control(t) as
    case when regexp_matches(t, '[{_CONTROL_CLASS}]|_x[0-9a-fA-F]{{4}}_') then array_to_string(list_transform(
        string_split(regexp_replace(t, '(_x[0-9a-fA-F]{{4}}_)', '_x005F\\1', 'g'), ''),
        lambda c: case when regexp_matches(c, '^[{_CONTROL_CLASS}]$') then printf('_x%04X_', unicode(c)) else c end), '')
    else t end;
"""


def _numeric(kind: str) -> bool:
    return kind in {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                    "UBIGINT", "FLOAT", "DOUBLE"} or kind.startswith("DECIMAL")  # fmt: skip


def _sql_text(column: str, kind: str) -> str:
    """SQL for a staged column's value as the CSV's text (as _plain makes it); NULL stays NULL."""
    q = f'"{column}"'
    if kind.endswith("[]"):
        return f"pk_escape(array_to_string({q}, ', '))"
    if kind.startswith("TIMESTAMP"):
        return f"replace(strftime({q}, '%Y-%m-%dT%H:%M:%S.%f'), '.000000', '')"
    if kind in ("DATE", "BOOLEAN") or _numeric(kind):
        return f"{q}::varchar"
    return f"pk_escape({q}::varchar)"


def _sql_cell(index: int, kind: str) -> str:
    """SQL for one cell's XML, as _cell_xml writes it ('' for an empty cell), from the column `_v<index>` (a
    number or a boolean) or `_e<index>` (the text, escaped); `_r` is the sheet row's number as text. concat(), not ||:
    a chain of hundreds of || is a deep expression that DuckDB binds slowly."""
    ref = f"""'<c r="{_column_letters(index)}', _r, '\""""
    if kind == "BOOLEAN":
        value = f"""concat({ref} t="b"><v>', _v{index}::int, '</v></c>')"""
        return f"case when _v{index} is null then '' else {value} end"
    if _numeric(kind):
        value = f"concat({ref}><v>', {_sql_number(f'_v{index}', kind)}, '</v></c>')"
        return f"case when _v{index} is null then '' else {value} end"
    e = f"_e{index}"
    preserve = f"""case when regexp_matches({e}, '^[{_WHITESPACE}]|[{_WHITESPACE}]$') then ' xml:space="preserve"' end"""
    text = f"replace(replace(replace({e}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
    return f"""case when {e} is null or {e} = '' then '' else concat({ref} t="inlineStr"><is><t', {preserve}, '>', {text}, '</t></is></c>') end"""


def _sql_number(v: str, kind: str) -> str:
    """A number as xlsxwriter wrote it (`%.16G` of the float): printf is slow, so whole numbers under 10^15 and
    decimals of at most 15 digits are written from their own text, which is the same."""
    if kind in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                "UBIGINT"):  # fmt: skip
        return f"case when abs({v}) < 1e15 then {v}::varchar else printf('%.16G', {v}::double) end"
    digits = re.fullmatch(r"DECIMAL\((\d+),(\d+)\)", kind)
    if digits and int(digits.group(1)) <= 15:
        if int(digits.group(2)) == 0:
            return f"{v}::varchar"
        # 85.50 -> 85.5, 85.00 -> 85, -0.50 -> -0.5; %.16G turns to an exponent only below 0.0001
        trimmed = f"rtrim(rtrim({v}::varchar, '0'), '.')"
        return f"case when {v} = 0 then '0' when abs({v}) >= 0.0001 then {trimmed} else printf('%.16G', {v}::double) end"
    return f"printf('%.16G', {v}::double)"


def _csv_cell(index: int, kind: str) -> str:
    """SQL for one CSV field (the csv module's minimal quoting) from `_v<index>` or `_a<index>`."""
    if kind == "BOOLEAN" or _numeric(kind):
        return f"coalesce(_v{index}::varchar, '')"
    a = f"_a{index}"
    return f"""case when regexp_matches({a}, '[,"\\r\\n]') then concat('"', replace({a}, '"', '""'), '"') else coalesce({a}, '') end"""


def rows_sql(sql: str, columns: list[tuple[str, str]], order: str) -> str:
    """The rows of `sql` (its columns and DuckDB types `columns`, kode_instansi among them) written out for the
    packs, one per row: kode_instansi, _n (its place in its agency's table, by `order`), _csv (the CSV line,
    without its end) and _xml (the sheet row; NULL beyond what a sheet holds). Computed for every agency in one
    query (pipelines.exports), in steps so that no column's expression is repeated inside another's (DuckDB
    binds that in a time growing with its size)."""
    values, texts, cells, fields = ["_k", "_n", "_r", "_shown"], ["_k", "_n", "_r", "_shown"], [], []
    for index, (column, kind) in enumerate(columns):
        if kind == "BOOLEAN" or _numeric(kind):
            values.append(f'"{column}" as _v{index}')
            texts.append(f"_v{index}")
        else:
            values.append(f"{_sql_text(column, kind)} as _a{index}")
            cut = f"case when strlen(_a{index}) > {CELL_CHARS} then left(_a{index}, {CELL_CHARS}) else _a{index} end"
            texts += [f"_a{index}", f"pk_control({cut}) as _e{index}"]
        cells.append(_sql_cell(index, kind))
        fields.append(_csv_cell(index, kind))
    # A table longer than a sheet: the note in row 1, the header in row 2, the first SHEET_ROWS - 2 rows.
    return f"""select _k as kode_instansi, _n, concat({", ',', ".join(fields)}) as _csv,
            case when _n <= _shown then concat('<row r="', _r, '">', {", ".join(cells)}, '</row>') end as _xml
        from (select {", ".join(texts)} from (select {", ".join(values)} from (
            select *, case when _rows + 1 > {SHEET_ROWS} then {SHEET_ROWS - 2} else _rows end as _shown,
                (_n + case when _rows + 1 > {SHEET_ROWS} then 2 else 1 end)::varchar as _r
            from (select *, kode_instansi as _k, row_number() over (partition by kode_instansi order by {order}) as _n,
                    count(*) over (partition by kode_instansi) as _rows
                from ({sql})) order by _k, _n)))"""


def worker_connection() -> duckdb.DuckDBPyConnection:
    """The DuckDB of a process writing packs (one a process, kept): it only reads the staged rows."""
    global _WORKER
    if _WORKER is None:
        _WORKER = duckdb.connect(":memory:", config=WORKER_DUCKDB)
    return _WORKER


_WORKER: duckdb.DuckDBPyConnection | None = None


# --- files ----------------------------------------------------------------------------------------------------
def write_csv(path: Path, table: Table) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(table.columns)
        writer.writerows([_plain(v) for v in row] for row in table.rows)
    os.chmod(path, PRIVATE_FILE)


def _cut_note(name: str, rows: int, shown: int) -> str:
    """The row above the header of a sheet too small for its table, so nobody takes the sheet for all of it."""
    return (
        f"PERHATIAN: tabel ini berisi {angka(rows)} baris data, tetapi satu lembar Excel hanya "
        f"memuat {angka(SHEET_ROWS)} baris, sehingga lembar ini hanya menampilkan {angka(shown)} baris "
        f"pertama. Data lengkap ada di berkas {name}.csv dalam paket ini."
    )


def _rows(table: Table | Staged) -> Iterator[tuple[str, str]]:
    """The table's data rows as (CSV lines, sheet rows' XML), a batch at a time."""
    if isinstance(table, Table):
        shown = SHEET_ROWS - 2 if 1 + len(table.rows) > SHEET_ROWS else len(table.rows)
        header = 2 if shown < len(table.rows) else 1
        out = io.StringIO()
        writer = csv.writer(out)
        xml = []
        for r, row in enumerate(table.rows, start=header + 1):
            writer.writerow([_plain(v) for v in row])
            if r - header <= shown:
                cells = "".join(_cell_xml(f"{_column_letters(c)}{r}", v) for c, v in enumerate(row))
                xml.append(f'<row r="{r}">{cells}</row>')
        yield out.getvalue(), "".join(xml)
        return
    if not table.file:
        return
    # The file is in the order of agency and row (rows_sql), and DuckDB keeps a file's order
    # (preserve_insertion_order): no sort here. Checked as the rows come, so no pack is ever out of order.
    cursor = worker_connection().execute(
        "select _n, _csv, _xml from read_parquet(?) where kode_instansi = ?",
        [table.file, table.kode_instansi],
    )
    expected = 1
    while batch := cursor.fetchmany(FETCH_ROWS):
        if [n for n, _, _ in batch] != list(range(expected, expected + len(batch))):
            raise RuntimeError(f"staged rows of {table.name} out of order for {table.kode_instansi}")
        expected += len(batch)
        yield "".join(f"{c}\r\n" for _, c, _ in batch), "".join(x for _, _, x in batch if x is not None)
    if expected != table.rows + 1:
        raise RuntimeError(f"staged rows of {table.name} incomplete for {table.kode_instansi}")


_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_STYLES = (
    f"{_XML}<styleSheet {_NS}>"
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
    '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def _sheet_head(index: int, header: int) -> str:
    selected = ' tabSelected="1"' if index == 1 else ""
    return (
        f'{_XML}<worksheet {_NS} xmlns:r="{_REL_NS}"><sheetViews><sheetView{selected} workbookViewId="0">'
        f'<pane ySplit="{header}" topLeftCell="A{header + 1}" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><sheetData>'
    )


_SHEET_TAIL = '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>' \
    "</worksheet>"  # fmt: skip


def _book_parts(names: list[str]) -> dict[str, str]:
    """The workbook's parts other than its sheets."""
    count = len(names)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, count + 1)
    )
    sheets = "".join(
        f'<sheet name="{xml_escape(n, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
        for i, n in enumerate(names, start=1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, count + 1)
    )
    rels += f'<Relationship Id="rId{count + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/>'
    return {
        "[Content_Types].xml": (
            f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            f'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>{overrides}</Types>'
        ),
        "_rels/.rels": (
            f'{_XML}<Relationships xmlns="{_PKG_REL_NS}"><Relationship Id="rId1" '
            f'Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'{_XML}<workbook {_NS} xmlns:r="{_REL_NS}"><bookViews><workbookView/></bookViews>'
            f"<sheets>{sheets}</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": f'{_XML}<Relationships xmlns="{_PKG_REL_NS}">{rels}</Relationships>',
        "xl/styles.xml": _STYLES,
    }


def write_files(folder: Path, workbook: str, tables: list[Table | Staged]) -> None:
    """Each table's CSV (UTF-8 with a BOM, for spreadsheets) and its sheet in the workbook, written together
    in one pass over its rows; every file owner-only. Text is written as text (never a formula or URL)."""
    path = folder / workbook
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        os.chmod(path, PRIVATE_FILE)
        for name, text in _book_parts([t.name[:31] for t in tables]).items():
            book.writestr(name, text)
        for index, table in enumerate(tables, start=1):
            total = len(table.rows) if isinstance(table, Table) else table.rows
            header = 2 if 1 + total > SHEET_ROWS else 1
            csv_path = folder / f"{table.name}.csv"
            with (
                csv_path.open("w", encoding="utf-8-sig", newline="") as csv_file,
                book.open(f"xl/worksheets/sheet{index}.xml", "w", force_zip64=True) as sheet,
            ):
                os.chmod(csv_path, PRIVATE_FILE)
                csv.writer(csv_file).writerow(table.columns)
                sheet.write(_sheet_head(index, header).encode())
                if header == 2:
                    sheet.write(_header_xml(1, [_cut_note(table.name, total, SHEET_ROWS - 2)]).encode())
                sheet.write(_header_xml(header, table.columns).encode())
                for lines, rows in _rows(table):
                    csv_file.write(lines)
                    sheet.write(rows.encode())
                sheet.write(_SHEET_TAIL.encode())


def _pack_folder(exports_dir: Path, kode_instansi: str) -> Path:
    return exports_dir / "".join(ch for ch in kode_instansi if ch.isalnum())


def written_fingerprint(exports_dir: Path, kode_instansi: str) -> str | None:
    try:
        return (_pack_folder(exports_dir, kode_instansi) / FINGERPRINT_FILE).read_text().strip()
    except OSError:
        return None


def peak_memory_bytes() -> int:
    """This process's peak resident memory. VmHWM, not ru_maxrss: a worker is started by fork and exec, and
    ru_maxrss keeps the parent's size from the moment between the two (VmHWM starts again at exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def write_pack_in_worker(
    exports_dir: Path, kode_instansi: str, tables: list[Table | Staged], fingerprint: str = ""
) -> int:
    """write_pack in a worker process; returns the worker's peak resident memory so far (bytes)."""
    write_pack(exports_dir, kode_instansi, tables, fingerprint)
    return peak_memory_bytes()


def write_pack(
    exports_dir: Path, kode_instansi: str, tables: list[Table | Staged], fingerprint: str = ""
) -> Path:
    """Write the pack into a private temporary folder, then rename it into exports/<kode_instansi>."""
    target = _pack_folder(exports_dir, kode_instansi)
    safe = target.name
    token = uuid.uuid4().hex
    staging = exports_dir / f".{safe}.{token}.tmp"
    staging.mkdir(mode=PRIVATE_DIR)
    os.chmod(staging, PRIVATE_DIR)  # mkdir's mode is filtered by the umask
    try:
        write_files(staging, f"paket_{safe}.xlsx", tables)
        if fingerprint:
            (staging / FINGERPRINT_FILE).write_text(fingerprint + "\n")
            os.chmod(staging / FINGERPRINT_FILE, PRIVATE_FILE)
        old = exports_dir / f".{safe}.{token}.old"
        if target.exists():
            os.rename(target, old)
        os.rename(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
