"""Reading one agency file's cells into DuckDB, as text, inside the limits of pipelines.limits (contract
section 2: encodings, delimiters, line ends, XLSX, header mapping). A file that cannot be read is rejected
whole with a reason code; a file never takes the process down.

`read_files()` gives the cells of many files of one entity as a DuckDB view `src_<column>`, `_extra`,
`_kurang`, `_line`, `_file_id`; pipelines.rules then checks the rows in SQL.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines import xlsx
from pipelines.contract import ENTITIES, WHITESPACE, Entity
from pipelines.landing import LandingFile
from pipelines.limits import LINE_TOO_LONG, MAX_COLUMNS, MAX_LINE_BYTES, too_many_columns

UNEXPECTED = "kesalahan tak terduga saat membaca berkas"
UNCLOSED_QUOTE = 'CSV tidak dapat diurai: tanda kutip ganda (") dibuka tetapi tidak pernah ditutup'
NO_NULL = "\x00"  # read_csv's null string: no text cell holds it (a NUL byte rejects the file as binary)


# --- reading a file into DuckDB ----------------------------------------------------------------
@dataclass
class ReadResult:
    table: str | None  # DuckDB view with src_<column>, _extra and _line; None when the file is rejected
    rows_read: int = 0
    problem: str | None = None  # FILE-level reason code
    detail: str = ""  # what exactly (which columns are missing...)
    extra_columns: list[str] = field(default_factory=list)
    other_sheets: int = 0  # XLSX: sheets after the first, not read (section 2: first sheet)
    unopened: bool = False  # the file vanished or could not be opened since it was hashed


def unopened_detail(error: OSError) -> str:
    """BERKAS_TIDAK_TERBACA's detail for a file that cannot be opened (nothing of it was read)."""
    if isinstance(error, PermissionError):
        return "berkas tidak dapat dibuka: izin baca ditolak"
    if isinstance(error, FileNotFoundError):
        return "berkas hilang saat dibaca"
    return "berkas tidak dapat dibuka"


class FileProblem(Exception):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(code, detail)
        self.code, self.detail = code, detail


def normalise_header(name) -> str:
    return re.sub(r"[\s\-]+", "_", str(name or "").strip(WHITESPACE + "\ufeff")).lower()


LONE_CR_RE = re.compile(rb"\r(?!\n)")
NOT_QUOTE_OR_LINE_END = bytes(b for b in range(256) if b not in b'"\r\n')  # deleted by bytes.translate


@dataclass(frozen=True)
class TextFile:
    encoding: str  # utf-8 (BOM or not) or cp1252
    lone_cr: bool  # a line ends with a lone \\r
    odd_quotes: bool  # an odd number of " characters: a quoted value may be open at the end
    quoted_break: bool  # a line holds an odd number of " characters: a quoted value may hold a line break


def _utf16_without_bom(head: bytes) -> bool:
    """Mostly ASCII text in UTF-16 has a NUL byte in every other position (odd ones for little endian)."""
    even, odd = head[0::2], head[1::2]
    if len(head) < 8:
        return False
    nul_even, nul_odd = even.count(0) / len(even), odd.count(0) / max(len(odd), 1)
    return max(nul_even, nul_odd) > 0.4 and min(nul_even, nul_odd) < 0.05


class _LineLengths:
    """Fails the file at the first physical line (ended by \\n or \\r) longer than MAX_LINE_BYTES, in O(1)
    Python work a block: a line held inside one block is at most a block long, so only the lines that
    cross block ends can be longer, and those are tracked by their running length."""

    def __init__(self):
        self.running = 0  # bytes since the last line end
        self.line = 1  # the line the running bytes belong to (counted by \\n)

    def _fail(self) -> FileProblem:
        return FileProblem("BATAS_BACA_TERLAMPAUI", f"{LINE_TOO_LONG} (baris {self.line})")

    def feed(self, block: bytes) -> None:
        first = min((i for i in (block.find(b"\n"), block.find(b"\r")) if i >= 0), default=-1)
        if first >= 0:
            if self.running + first > MAX_LINE_BYTES:
                raise self._fail()
            self.line += block.count(b"\n")
            self.running = len(block) - 1 - max(block.rfind(b"\n"), block.rfind(b"\r"))
        else:
            self.running += len(block)
        if self.running > MAX_LINE_BYTES:
            raise self._fail()


def _detect_encoding(path: Path) -> TextFile:
    """The encoding and line ends of a CSV, streaming; FileProblem when neither UTF-8 nor Windows-1252,
    when binary, or when a line is longer than MAX_LINE_BYTES (before anything splits it)."""
    with open(path, "rb") as f:
        head = f.read(4096)
    if not head:
        raise FileProblem("BERKAS_TIDAK_TERBACA", "berkas kosong")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem("ENKODING_TIDAK_TERBACA", "berkas ber-enkoding UTF-16")
    if head.startswith(b"PK\x03\x04"):
        raise FileProblem("BERKAS_TIDAK_TERBACA", "isinya berkas XLSX/ZIP, bukan CSV")
    if _utf16_without_bom(head[: len(head) // 2 * 2]):
        raise FileProblem("ENKODING_TIDAK_TERBACA", "berkas ber-enkoding UTF-16 (tanpa BOM)")
    for encoding in ("utf-8", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        lone_cr = pending_cr = False  # pending: the block before ended with \r
        quotes = 0
        # A line end inside a quoted value leaves an odd number of quotes on the line that opened it, and
        # only then (in a file that follows the quoting rules). Checked with bytes methods only (no loop
        # per line), and only in blocks that hold a quote: "" pairs are dropped from the quotes and line
        # ends of the block, so a quote left before a line end marks a line with an odd count.
        quoted_break, carry = False, b""  # carry: the block before ended in a line with an odd count
        lines = _LineLengths()
        try:
            with open(path, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    if b"\x00" in block:
                        raise FileProblem("BERKAS_TIDAK_TERBACA", "berkas biner, bukan teks CSV")
                    lines.feed(block)
                    decoder.decode(block)
                    lone_cr = lone_cr or (pending_cr and not block.startswith(b"\n"))
                    if not lone_cr and b"\r" in block:  # a \r at the block's end is judged with the next
                        lone_cr = bool(LONE_CR_RE.search(block, 0, len(block) - block.endswith(b"\r")))
                    pending_cr = block.endswith(b"\r")
                    in_block = block.count(b'"')
                    quotes += in_block
                    if not quoted_break and (in_block or carry):
                        kept = (carry + block.translate(None, NOT_QUOTE_OR_LINE_END)).replace(b'""', b"")
                        quoted_break = b'"\n' in kept or b'"\r' in kept
                        carry = b'"' if kept.endswith(b'"') else b""
                decoder.decode(b"", final=True)
            return TextFile(encoding, lone_cr or pending_cr, quotes % 2 == 1, quoted_break)
        except UnicodeDecodeError:
            continue
    raise FileProblem("ENKODING_TIDAK_TERBACA", "bukan UTF-8 maupun Windows-1252")


class _RecordLines:
    """The lines of a text file for csv.reader, failing the file when one record grows past MAX_LINE_BYTES
    characters: quoted line breaks can spread a record over many short lines, and the reader builds each
    record whole. The caller calls reset() after every record it takes."""

    def __init__(self, f):
        self.f, self.record = f, 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self.f)
        self.record += len(line)
        if self.record > MAX_LINE_BYTES:
            raise FileProblem("BATAS_BACA_TERLAMPAUI", LINE_TOO_LONG)
        return line

    def reset(self) -> None:
        self.record = 0


@dataclass(frozen=True)
class CsvLayout:
    source: Path  # what DuckDB reads: the file itself, or its UTF-8 copy in the work folder
    delimiter: str
    header: list[str]
    # The file as the agency wrote it and its text encoding when a quoted value may hold a line break
    # (its records then need _record_lines); None when every record is one line.
    multiline: tuple[Path, str] | None = None


def _csv_layout(path: Path, workdir: Path, name: str) -> CsvLayout:
    """Encoding, delimiter and header names of a CSV (FileProblem when it cannot be read).

    DuckDB reads UTF-8 only, and drops the character after a lone \\r in a file whose other lines end
    with \\n: such files are read from a UTF-8 copy in the private work folder, in which (for a lone \\r)
    Python's csv module, which ends a record at \\n, \\r\\n or \\r alike, rewrote every record end as \\n."""
    text = _detect_encoding(path)
    encoding, lone_cr = text.encoding, text.lone_cr
    text_encoding = "utf-8-sig" if encoding == "utf-8" else encoding
    with open(path, encoding=text_encoding, newline="") as f:  # every line is within MAX_LINE_BYTES
        first_line = f.readline()
        while first_line and not first_line.strip(WHITESPACE):
            first_line = f.readline()
    if not first_line:
        raise FileProblem("BERKAS_TIDAK_TERBACA", "tidak ada baris judul kolom")
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    if text.odd_quotes and (problem := _unclosed_quote(path, text_encoding, delimiter)):
        raise FileProblem("BERKAS_TIDAK_TERBACA", problem)
    source = path
    if encoding != "utf-8" or lone_cr:
        workdir.mkdir(parents=True, exist_ok=True)
        source = workdir / f"{name}.csv"
        with (
            open(path, encoding=text_encoding, newline="") as src,
            open(source, "w", encoding="utf-8", newline="") as dst,
        ):
            if lone_cr:
                lines = _RecordLines(src)
                writer = csv.writer(dst, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_ALL)
                try:
                    for record in csv.reader(lines, delimiter=delimiter, quotechar='"'):
                        writer.writerow(record)
                        lines.reset()
                except csv.Error as exc:  # a cell over the limit (MAX_LINE_BYTES)
                    raise FileProblem("BATAS_BACA_TERLAMPAUI", LINE_TOO_LONG) from exc
            else:
                for block in iter(lambda: src.read(1 << 20), ""):
                    dst.write(block)
    try:
        with open(source, encoding="utf-8-sig", newline="") as f:
            header = next(
                (row for row in csv.reader(_RecordLines(f), delimiter=delimiter, quotechar='"') if row), []
            )
    except csv.Error as exc:  # e.g. a quote opened in the header and never closed
        raise FileProblem("BERKAS_TIDAK_TERBACA", "baris judul kolom tidak dapat diurai") from exc
    if len(header) > MAX_COLUMNS:
        raise FileProblem("BATAS_BACA_TERLAMPAUI", too_many_columns(len(header)))
    return CsvLayout(source, delimiter, header, (path, text_encoding) if text.quoted_break else None)


def _record_lines(path: Path, encoding: str, delimiter: str) -> tuple[int, list[int], list[int]]:
    """The physical line (as an editor counts them: \\n, \\r\\n or a lone \\r ends a line) on which
    each record of a CSV starts, for records whose values hold line breaks: the number of records, and
    the records from which on the start line moves away from the record number (record r >= records[i]
    starts on line lines[i] + r - records[i]), usually a short list. Records are counted as DuckDB reads
    them (the header is record 1; empty lines are no record), so record r is the r-th row read_csv gives."""
    records, lines = [], []
    record, start, offset = 0, 1, 0  # start: the line where the next record starts; offset: line - record
    with open(path, encoding=encoding, newline="") as f:  # the same text as read by _csv_layout
        rows = _RecordLines(f)
        reader = csv.reader(rows, delimiter=delimiter, quotechar='"')
        for row in reader:
            rows.reset()
            if row:
                record += 1
                if start - record != offset:
                    offset = start - record
                    records.append(record)
                    lines.append(start)
            start = reader.line_num + 1
    return record, records, lines


def _unclosed_quote(path: Path, encoding: str, delimiter: str) -> str | None:
    """The detail when a quoted value is still open at the end of the file (a copy cut short, a quote never
    closed): DuckDB would read the rest of the file into that one cell, short of its last character. None
    when the file parses, or breaks the csv module's strict rules first (DuckDB reads those leniently)."""
    start = 1  # the line where the next record starts
    with open(path, encoding=encoding, newline="") as f:
        lines = _RecordLines(f)
        reader = csv.reader(lines, delimiter=delimiter, quotechar='"', strict=True)
        try:
            for _ in reader:
                lines.reset()
                start = reader.line_num + 1
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                return f"{UNCLOSED_QUOTE} (baris {start})"
            if "field larger than field limit" in str(exc):
                raise FileProblem("BATAS_BACA_TERLAMPAUI", f"{LINE_TOO_LONG} (baris {start})") from exc
    return None


def _read_csv_cells(
    con: duckdb.DuckDBPyConnection, sources: list[Path], width: int, delimiter: str, cells: str
) -> None:
    """The cells of CSVs with the same delimiter and header width into table `cells` (c0.., c_extra,
    file_index = position in `sources`), in one read: one statement for many files is what keeps the
    per-file cost low. Rows keep file order (parallel = false, insertion order preserved), so within a
    file rowid counts records, the header being the first.

    An empty value is read as '' and only a value missing from a short row (null_padding) as NULL, so
    `c<width-1> is null` tells a row with fewer values than the header (a truncated last line).

    The cells stay text here and are cast only once in the table: DuckDB 2.0 moves a (TRY_)CAST over
    read_csv into the reader, where a value that does not parse fails the whole read, or with
    ignore_errors drops its row unseen (duckdb#23818)."""
    # One column more than the header: a row that fills it holds more values than the header names.
    columns = {f"c{i}": "VARCHAR" for i in range(width)} | {"c_extra": "VARCHAR"}
    try:
        con.execute(
            f"""create or replace temp table {cells} as
                select *, file_index from read_csv(?, header = false, auto_detect = false, columns = ?,
                                       delim = ?, quote = '"', escape = '"', comment = '', skip = 0,
                                       strict_mode = false, null_padding = true, parallel = false,
                                       nullstr = ?, allow_quoted_nulls = false, max_line_size = ?)""",
            [[str(s) for s in sources], columns, delimiter, NO_NULL, MAX_LINE_BYTES],
        )
    except duckdb.Error as exc:
        detail = csv_error_detail(exc)
        code = "BATAS_BACA_TERLAMPAUI" if detail.startswith(LINE_TOO_LONG) else "BERKAS_TIDAK_TERBACA"
        raise FileProblem(code, detail) from exc


def csv_error_detail(error: duckdb.Error) -> str:
    """DuckDB's CSV error for the agency, in Bahasa Indonesia, with the line number: never DuckDB's text,
    which quotes the offending line (personal data, for the ledger, the logs and the published report)."""
    text = str(error)
    line = re.search(r"Line: (\d+)", text)
    where = f" (baris {line.group(1)})" if line else ""
    if "unterminated quote" in text.lower():
        return f"{UNCLOSED_QUOTE}{where}"
    if "maximum line size" in text.lower():
        return f"{LINE_TOO_LONG}{where}"
    return f"CSV tidak dapat diurai{where}"


def _read_xlsx(
    con: duckdb.DuckDBPyConnection, path: Path, cells: str, workdir: Path
) -> tuple[list[str], int]:
    """First sheet's cells into table `cells` (c0.., c_extra, _line); returns the header names and the
    number of other sheets (section 2: only the first sheet, in the workbook's order, is read). The header
    is the first row that is not empty (as blank lines before a CSV header are skipped); line numbers stay
    Excel's row numbers.

    pipelines.xlsx reads the workbook inside limits, in a child process, into a CSV read here. It reads
    python-calamine directly (the engine pandas.read_excel uses): pandas turns whole floats into ints,
    which would hide a NIP that Excel stored as 1.98001E+17.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        sheet = xlsx.to_csv(path, workdir / f"{cells}.csv")
    except xlsx.XlsxProblem as problem:
        raise FileProblem(problem.code, problem.detail) from problem
    width = len(sheet.header)
    columns = {"_line": "INTEGER"} | {f"c{i}": "VARCHAR" for i in range(width)} | {"c_extra": "VARCHAR"}
    con.execute(
        f"""create or replace temp table {cells} as
            select * from read_csv(?, header = false, auto_detect = false, columns = ?, delim = ',',
                                   quote = '"', escape = '"', nullstr = '', allow_quoted_nulls = true,
                                   parallel = false, max_line_size = ?)""",
        [str(sheet.csv_path), columns, 2 * MAX_LINE_BYTES],
    )
    return sheet.header, sheet.other_sheets


@dataclass(frozen=True)
class HeaderMap:
    select: str  # the `src_` columns over c0..
    missing: list[str]  # required columns not in the header
    repeated: list[str]  # contract columns named more than once: which one holds the values is unknown
    extra: list[str]  # columns the contract does not name (ignored, reported)


def _header_select(entity: Entity, raw_header: list[str]) -> HeaderMap:
    header = [normalise_header(h) for h in raw_header]
    missing = [c for c in entity.required_columns if c not in header]
    position = {}
    for i, name in enumerate(header):
        position.setdefault(name, i)
    repeated = [c for c in entity.column_names if header.count(c) > 1]
    select = ", ".join(
        f"c{position[c]} as src_{c}" if c in position else f"null::varchar as src_{c}"
        for c in entity.column_names
    )
    extra = [h for h in dict.fromkeys(header) if h and h not in entity.column_names]
    return HeaderMap(select, missing, repeated, extra)


def _empty_incoming(entity: Entity) -> str:
    """A select of no rows with the columns and types of the incoming view."""
    cols = ", ".join(f"null::varchar as src_{c}" for c in entity.column_names)
    return (
        f"select {cols}, null::varchar as _extra, null::boolean as _kurang, null::integer as _line, "
        "null::integer as _file_id where false"
    )


def _csv_group_select(
    con: duckdb.DuckDBPyConnection,
    members: list[tuple[int, CsvLayout]],
    width: int,
    delimiter: str,
    select: str,
    cells: str,
) -> str:
    """Read CSVs of one layout (file id, layout) together into table `cells`; returns the select of
    their data rows in the incoming view's columns."""
    _read_csv_cells(con, [layout.source for _, layout in members], width, delimiter, cells)
    ids = "[" + ", ".join(str(file_id) for file_id, _ in members) + "]"
    # A record's line is its record number (the header, each file's first rowid, being 1) unless a quoted
    # value holds a line break: then the start lines of the files that may hold one (_record_lines, a
    # Python pass over those files only) go into `<cells>_lines`, joined by record.
    line, lines_join = "_record", ""
    multiline = {i: layout.multiline for i, (_, layout) in enumerate(members) if layout.multiline}
    if multiline:
        con.execute(f"create temp table {cells}_lines (file_index bigint, record bigint, line bigint)")
        read = dict(con.execute(f"select file_index, count(*) from {cells} group by 1").fetchall())
        for index, (path, encoding) in multiline.items():
            try:
                records, starts, lines = _record_lines(path, encoding, delimiter)
            except (csv.Error, FileProblem, OSError, ValueError):  # the csv module rejects what DuckDB
                continue  # read, or the file changed since: its lines stay record numbers
            if records == read.get(index):  # else the two readers split records differently
                con.execute(f"insert into {cells}_lines select ?, unnest(?::bigint[]), unnest(?::bigint[])",
                            [index, starts, lines])  # fmt: skip
        line = "coalesce(_record - m.record + m.line, _record)"
        lines_join = f"asof left join {cells}_lines m on c.file_index = m.file_index and _record >= m.record"
    return f"""select {select}, nullif(trim(c_extra, '{WHITESPACE}'), ''), c{width - 1} is null,
                      {line}::integer, {ids}[c.file_index::bigint + 1]
               from (select *, _rowid - _first + 1 as _record from (select *, rowid as _rowid from {cells})
                     join (select file_index, min(rowid) as _first from {cells} group by 1) using (file_index)) c
               {lines_join}
               where _record > 1"""


def read_files(
    con: duckdb.DuckDBPyConnection, entity: Entity, files: dict[int, LandingFile], table: str, workdir: Path
) -> dict[int, ReadResult]:
    """The cells, as text, of files of one entity as the temporary view `table` (src_<column>, _extra,
    _kurang, _line, _file_id: the key of `files`); a file that cannot be read is rejected whole (its
    ReadResult's problem).

    CSVs whose delimiter and header match are read together by one read_csv: DuckDB's cost per statement
    (planning, a table per file) dominated when every file was read on its own. The view is a union over
    the tables read (`<table>_cells_<n>`, kept until the next call): the cells are written once, not
    copied into another table (the copy was 6% of the ingest).
    """
    for (name,) in con.execute(
        "select table_name from duckdb_tables() where temporary and starts_with(table_name, ?)",
        [f"{table}_cells_"],
    ).fetchall():
        con.execute(f"drop table {name}")
    tables = (f"{table}_cells_{n}" for n in itertools.count())
    parts = [_empty_incoming(entity)]
    results: dict[int, ReadResult] = {}
    extras: dict[int, list[str]] = {}
    other_sheets: dict[int, int] = {}
    groups: dict[tuple[str, int, str], list[tuple[int, CsvLayout]]] = defaultdict(list)
    for file_id, file in files.items():
        try:
            if file.extension == ".xlsx":
                cells = next(tables)
                raw_header, other_sheets[file_id] = _read_xlsx(con, file.path, cells, workdir)
            else:
                layout = _csv_layout(file.path, workdir, f"{table}_{file_id}")
                raw_header = layout.header
        except FileProblem as problem:
            results[file_id] = ReadResult(None, problem=problem.code, detail=problem.detail)
            continue
        except OSError as error:
            if file.path.is_file() and os.access(file.path, os.R_OK):
                raise  # the landing file is there and readable: the work folder or the disk failed
            # Removed or locked since the ingest hashed it.
            results[file_id] = ReadResult(None, problem="BERKAS_TIDAK_TERBACA", detail=unopened_detail(error),
                                          unopened=True)  # fmt: skip
            continue
        except (
            Exception
        ) as error:  # whatever a file makes its reader do (MemoryError too), it fails itself only
            results[file_id] = ReadResult(
                None, problem="BERKAS_TIDAK_TERBACA", detail=f"{UNEXPECTED} ({type(error).__name__})"
            )
            continue
        header = _header_select(entity, raw_header)
        extras[file_id] = header.extra
        if header.missing:
            results[file_id] = ReadResult(
                None, problem="KOLOM_WAJIB_HILANG", detail="kolom hilang: " + ", ".join(header.missing)
            )
        elif header.repeated:
            results[file_id] = ReadResult(
                None, problem="KOLOM_GANDA", detail="kolom ganda: " + ", ".join(header.repeated)
            )
        elif file.extension == ".xlsx":
            parts.append(
                f"select {header.select}, nullif(trim(c_extra, '{WHITESPACE}'), ''), false, _line, {file_id} "
                f"from {cells}"
            )
        else:
            groups[(layout.delimiter, len(raw_header), header.select)].append((file_id, layout))
    for (delimiter, width, select), members in groups.items():
        try:
            parts.append(_csv_group_select(con, members, width, delimiter, select, next(tables)))
        except FileProblem as problem:
            if len(members) == 1:
                results[members[0][0]] = ReadResult(None, problem=problem.code, detail=problem.detail)
                continue
            for member in members:  # one bad file fails the group's read: read each alone to find it
                try:
                    parts.append(_csv_group_select(con, [member], width, delimiter, select, next(tables)))
                except FileProblem as problem:
                    results[member[0]] = ReadResult(None, problem=problem.code, detail=problem.detail)
    con.execute(f"create or replace temp view {table} as " + " union all ".join(parts))
    counts = dict(con.execute(f"select _file_id, count(*) from {table} group by 1").fetchall())
    for file_id in files:
        if file_id not in results:
            results[file_id] = ReadResult(table, rows_read=counts.get(file_id, 0), extra_columns=extras[file_id],
                                          other_sheets=other_sheets.get(file_id, 0))  # fmt: skip
    return results


def read_file(con: duckdb.DuckDBPyConnection, file: LandingFile, table: str, workdir: Path) -> ReadResult:
    """One file's cells as the view `table` (as read_files, with _file_id 0)."""
    return read_files(con, ENTITIES[file.entity], {0: file}, table, workdir)[0]
