"""Reading and validating agency extract files under the contract, without writing anything.

Used by the ingest (which then writes raw, quarantine, the ledger and the warnings) and by `proasn check`.

1. `discover()` walks the landing tree and gives every file its folder-level verdict (section 1).
2. `read_file()` gives a file's cells, as text, as a DuckDB view `src_<column>`, `_extra`, `_line`
   (section 2: encodings, delimiters, XLSX, header mapping); a file that cannot be read is rejected whole.
3. `normalised_sql()` is the set-based row check: section 3's accepted spellings become canonical values
   (a present value that cannot be read becomes NULL with its format reason), then every expectation of
   the entity's suite (expectations/<entity>.json, pipelines.expectations) is translated into a SQL check,
   then the orphan rule of section 5. `_reasons` lists `CODE:column` for every broken rule.
4. `warnings_sql()`: the data-quality warnings of section 5 and DOMAIN_RULES R5 (nothing quarantined).

All row work is DuckDB SQL over whole files: no Python loop per row (except reading XLSX cells, which
python-calamine hands over as Python objects anyway, at most about a million rows per sheet).
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime as dt
import functools
import hashlib
import itertools
import os
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines import contract, xlsx
from pipelines.contract import ENTITIES, Column, Entity
from pipelines.expectations import DERIVED_COLUMNS, load_suite
from pipelines.limits import MAX_COLUMNS, MAX_LINE_BYTES, angka

TANGGAL_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
KODE_INSTANSI_RE = re.compile(r"^([0-9]{4}|[KL][0-9]{3})$")
# Whitespace trimmed from every cell (section 2): spaces, tabs, line breaks and Excel's no-break space.
WHITESPACE = " \t\r\n\u00a0"
csv.field_size_limit(max(csv.field_size_limit(), MAX_LINE_BYTES))  # Python's csv reads what DuckDB reads
LINE_TOO_LONG = f"ada baris lebih panjang dari {MAX_LINE_BYTES // 2**20} MB"
UNEXPECTED = "kesalahan tak terduga saat membaca berkas"
TOO_MANY_COLUMNS = "baris judul memuat {n} kolom; batas {limit}"
UNCLOSED_QUOTE = 'CSV tidak dapat diurai: tanda kutip ganda (") dibuka tetapi tidak pernah ditutup'
NO_NULL = "\x00"  # read_csv's null string: no text cell holds it (a NUL byte rejects the file as binary)
SCIENTIFIC_RE = "[0-9]+([.,][0-9]+)?[eE][+]?[0-9]+"
# DOMAIN_RULES R5: (hasil_kerja, perilaku_kerja) -> predikat (PermenPANRB 6/2022).
PREDIKAT_MATRIKS = {
    ("DI_ATAS", "DI_BAWAH"): "KURANG", ("DI_ATAS", "SESUAI"): "BAIK", ("DI_ATAS", "DI_ATAS"): "SANGAT_BAIK",
    ("SESUAI", "DI_BAWAH"): "KURANG", ("SESUAI", "SESUAI"): "BAIK", ("SESUAI", "DI_ATAS"): "BAIK",
    ("DI_BAWAH", "DI_BAWAH"): "SANGAT_KURANG", ("DI_BAWAH", "SESUAI"): "BUTUH_PERBAIKAN",
    ("DI_BAWAH", "DI_ATAS"): "BUTUH_PERBAIKAN",
}  # fmt: skip


# --- discovering submissions -------------------------------------------------------------------
@dataclass(frozen=True)
class LandingFile:
    """One file under <landing>/<kode_instansi>/<tanggal_ekstrak>/."""

    path: Path
    rel_path: str  # relative to the landing root, forward slashes, printable (display_name)
    kode_instansi: str  # the first folder when it has the form of an agency code, else ""
    tanggal_ekstrak: dt.date | None
    entity: str | None  # None when the name is not an entity of the contract
    file_problem: str | None = None  # a FILE-level reason code that rejects or ignores the file
    size: int = 0
    mtime_ns: int = 0
    is_symlink: bool = False  # a symbolic link: listed, never followed or opened

    @property
    def extension(self) -> str:
        return self.path.suffix.lower()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def symlink_sha256(path: Path) -> str:
    """A symbolic link's fingerprint for the ledger: the hash of where it points (it is never opened)."""
    return hashlib.sha256(b"symlink\0" + os.fsencode(os.readlink(path))).hexdigest()


def display_name(name: str) -> str:
    """A file or folder name as printable UTF-8 text: bytes that are not UTF-8 (Python keeps them as
    surrogate escapes) and control or format characters are written as \\xNN / \\uNNNN. Names that need
    it are rejected (NAMA_BERKAS_TIDAK_VALID); this form is what the ledger, logs and reports show."""
    text = os.fsencode(name).decode("utf-8", "backslashreplace")
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if unicodedata.category(ch) in ("Cc", "Cf") else ch
        for ch in text
    )


def _folder_problem(parts: tuple[str, ...], today: dt.date) -> tuple[str | None, dt.date | None]:
    if len(parts) != 3 or not KODE_INSTANSI_RE.match(parts[0]) or not TANGGAL_RE.match(parts[1]):
        return "FOLDER_TIDAK_VALID", None
    try:
        tanggal = dt.date.fromisoformat(parts[1])
    except ValueError:
        return "FOLDER_TIDAK_VALID", None
    if parts[0] not in contract.kode_instansi():
        return "INSTANSI_TIDAK_DIKENAL", tanggal
    if tanggal > today:
        return "TANGGAL_EKSTRAK_MASA_DEPAN", tanggal
    if tanggal < contract.TANGGAL_EKSTRAK_TERAWAL:
        return "TANGGAL_EKSTRAK_TIDAK_WAJAR", tanggal
    return None, tanggal


def walk_landing(landing: Path, below: Path | None = None):
    """(path, names relative to the landing root, lstat, is a symbolic link) of every regular file and
    every symbolic link below the landing root (or only below the folder `below`, or in the folder of the
    file `below`). Links are never followed: a link to a file or a folder (inside or outside the tree,
    dangling, or a loop) is listed as itself and never opened. Folders are walked into; FIFOs, sockets
    and devices are skipped (opening one could block), and so is whatever vanishes or cannot be listed
    during the walk."""
    start = landing
    if below is not None:
        start = below if below.is_dir() and not below.is_symlink() else below.parent
        if start != landing and landing not in start.parents:
            return
    stack = [(start, start.relative_to(landing).parts)]
    while stack:
        folder, parts = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            continue
        for entry in entries:
            names = (*parts, entry.name)
            try:
                if entry.is_symlink() or entry.is_file(follow_symlinks=False):
                    yield Path(entry.path), names, entry.stat(follow_symlinks=False), entry.is_symlink()
                elif entry.is_dir(follow_symlinks=False):
                    stack.append((Path(entry.path), names))
            except OSError:
                continue


def discover(landing: Path, today: dt.date | None = None, below: Path | None = None) -> list[LandingFile]:
    """Every file below the landing root (or walk_landing's `below`) with its folder-level verdict, in a
    stable order.

    Only lstat() per file: hashing is left to the caller, which can skip files it has seen. A symbolic
    link is rejected (TAUTAN_SIMBOLIK) and a name that is not printable UTF-8 (NAMA_BERKAS_TIDAK_VALID),
    before anything else is judged.
    """
    today = today or dt.date.today()
    found = []
    for path, names, stat, is_link in sorted(walk_landing(landing, below), key=lambda item: item[1]):
        shown = tuple(display_name(n) for n in names)
        problem, tanggal = _folder_problem(shown, today)
        stem = Path(shown[-1]).stem.strip().lower()
        entity = stem if stem in ENTITIES else None
        if is_link:
            problem = "TAUTAN_SIMBOLIK"
        elif shown != names:
            problem = "NAMA_BERKAS_TIDAK_VALID"
        elif problem is None and entity is None:
            problem = "ENTITAS_TIDAK_DIKENAL"
        elif problem is None and path.suffix.lower() not in contract.FILE_EXTENSIONS:
            problem = "FORMAT_BERKAS_TIDAK_DIDUKUNG"
        # Only a folder name of the form of an agency code names an agency ("3373 " or "..3373" do not).
        kode = shown[0] if len(shown) > 1 and KODE_INSTANSI_RE.match(shown[0]) else ""
        found.append(
            LandingFile(
                path, "/".join(shown), kode, tanggal, entity, problem, stat.st_size, stat.st_mtime_ns, is_link
            )  # fmt: skip
        )
    # One file per entity per submission: pegawai.csv next to pegawai.xlsx is ambiguous, both are rejected.
    per_entity = defaultdict(list)
    for i, f in enumerate(found):
        if f.file_problem is None:
            per_entity[(f.path.parent, f.entity)].append(i)
    for indexes in per_entity.values():
        if len(indexes) > 1:
            for i in indexes:
                found[i] = dataclasses.replace(found[i], file_problem="ENTITAS_GANDA")
    return found


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
        raise FileProblem(
            "BATAS_BACA_TERLAMPAUI", TOO_MANY_COLUMNS.format(n=angka(len(header)), limit=angka(MAX_COLUMNS))
        )
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
        assert k.get("ignore_row_if") == "any_value_is_missing", expectation
        repeated = duplicate_flag or f"count(*) over (partition by _file_id, {', '.join(cols)}) > 1"
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
            duplicates.append(
                f"""{flag} as (select {", ".join(key)}, true as {flag} from canon
                    where {" and ".join(f"{c} is not null" for c in key)} group by all having count(*) > 1)"""
            )
            joins.append(f"left join {flag} on " + " and ".join(f"{flag}.{c} = canon.{c}" for c in key))
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
def warnings_sql(entity: Entity, checked_table: str) -> str | None:
    """Rows (_file_id, _line, kode_alasan, kolom, keterangan) of warnings on the rows that are loaded."""
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
    if entity.name == "skp":  # DOMAIN_RULES R5: the predikat follows from the two ratings
        matrix = _sql_map({f"{h}|{p}": v for (h, p), v in PREDIKAT_MATRIKS.items()})
        expected = f"{matrix}[hasil_kerja || '|' || perilaku_kerja]"
        parts.append(
            "select _file_id, _line, 'PREDIKAT_TIDAK_SESUAI_MATRIKS' as kode_alasan, 'predikat' as kolom, "
            f"'predikat ' || predikat || ', menurut matriks ' || {expected} as keterangan "
            f"{loaded} and predikat is not null and hasil_kerja is not null and perilaku_kerja is not null "
            f"and predikat <> {expected}"
        )
    return " union all ".join(parts) if parts else None
