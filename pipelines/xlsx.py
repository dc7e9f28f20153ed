"""Reading an XLSX's first sheet inside limits: no workbook can take the process down.

Two guards, so that a workbook fails itself and never the ingest, `proasn check` or the sensor's run:

1. `inspect()` streams the first sheet's XML out of the ZIP, one block at a time, before any grid is built,
   and fails the file when the used range would be too big (the declared `<dimension>` or any row or cell
   reference beyond Excel's 1,048,576 rows or MAX_COLUMNS columns, a grid of more than MAX_GRID_CELLS
   cells, more than MAX_SHEET_XML_BYTES of XML) or when a formula has no stored result. Its memory is a
   block and a short tail, whatever the file says.
2. `to_csv()` runs python-calamine in a child process (`python -m pipelines.xlsx`) under an address-space
   ceiling and a time limit. calamine is native code: a range it cannot allocate aborts its process, and
   here that process is the child, whose death rejects the file (BATAS_BACA_TERLAMPAUI).

The child writes the cells as a CSV the ingest reads with DuckDB (no Python object per cell in the ingest).
This module imports nothing heavy at the top: the child starts with the standard library and calamine only.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import posixpath
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pipelines.limits import (
    LINE_TOO_LONG,
    MAX_COLUMNS,
    MAX_GRID_CELLS,
    MAX_LINE_BYTES,
    MAX_SHEET_XML_BYTES,
    MAX_XLSX_ROWS,
    angka,
    read_memory_bytes,
    read_seconds,
    too_many_columns,
)

BLOCK = 1 << 20
TAIL = 1 << 14  # a tag or a formula cut by a block's end is matched again with the next block
MAX_PART_BYTES = 16 * 2**20  # workbook.xml and the relationships: small in every real workbook
MAIN_NS_PART = "xl/workbook.xml"

CELL_REF_RE = re.compile(rb"^([A-Z]{1,3})([0-9]{1,7})$")
DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension\s[^>]*?ref="([^"]*)"')
ROW_RE = re.compile(rb'<(?:\w+:)?row\s[^>]*?\br="([0-9]+)"')
# Only columns of three letters or more (AAA = 703) can be beyond MAX_COLUMNS: few cells to look at.
WIDE_CELL_RE = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{3,})[0-9]+"')
FORMULA_RE = re.compile(rb"<(?:\w+:)?f[\s>/]")
# A formula element closed and followed directly by the end of its cell: no <v>, no stored result.
FORMULA_NO_VALUE_RE = re.compile(rb"(?:<(?:\w+:)?f\b[^>]*/>|</(?:\w+:)?f>)\s*</(?:\w+:)?c>")
CELL_START_RE = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]+[0-9]+)"')
# xlsxwriter and other libraries store 0 as every formula's value and ask the reader to calculate on load.
FULL_CALC_RE = re.compile(rb'<(?:\w+:)?calcPr\s[^>]*?fullCalcOnLoad="(?:1|true)"')


class XlsxProblem(Exception):
    """The file breaks a limit or cannot be read: a reason code and its detail in Bahasa Indonesia."""

    def __init__(self, code: str, detail: str):
        super().__init__(code, detail)
        self.code, self.detail = code, detail


def column_number(letters: bytes | str) -> int:
    """A column's letters as its number, A = 1."""
    number = 0
    for ch in letters if isinstance(letters, str) else letters.decode("ascii"):
        number = number * 26 + ord(ch) - 64
    return number


def _too_big(what: str) -> XlsxProblem:
    return XlsxProblem("BATAS_BACA_TERLAMPAUI", f"lembar kerja XLSX terlalu besar: {what}")


def _range_size(ref: bytes) -> tuple[int, int] | None:
    """(rows, columns) that a dimension such as A1:XFD1048576 spans; None when it is not of that form."""
    corners = [CELL_REF_RE.match(part) for part in ref.split(b":")]
    if not corners or len(corners) > 2 or not all(corners):
        return None
    rows = [int(c.group(2)) for c in corners]
    cols = [column_number(c.group(1)) for c in corners]
    return max(rows) - min(rows) + 1, max(cols) - min(cols) + 1


def _read_part(zf: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        with zf.open(name) as f:
            data = f.read(MAX_PART_BYTES + 1)
    except KeyError:
        return None
    if len(data) > MAX_PART_BYTES:
        raise _too_big(f"bagian {name} melebihi {MAX_PART_BYTES // 2**20} MB")
    return data


def _first_sheet_part(zf: zipfile.ZipFile) -> tuple[str | None, bytes]:
    """The ZIP member of the workbook's first sheet (in the workbook's order, as calamine reads it) and
    workbook.xml; None when the workbook does not say (calamine then judges the file)."""
    workbook = _read_part(zf, MAIN_NS_PART) or b""
    first = re.search(rb'<(?:\w+:)?sheet\s[^>]*?\b(?:\w+:)?id="([^"]+)"', workbook)
    rels = _read_part(zf, "xl/_rels/workbook.xml.rels") or b""
    if not first:
        return None, workbook
    for rel in re.finditer(rb"<(?:\w+:)?Relationship\s[^>]*>", rels):
        tag = rel.group(0)
        rid, target = re.search(rb'\bId="([^"]+)"', tag), re.search(rb'\bTarget="([^"]+)"', tag)
        if rid and target and rid.group(1) == first.group(1):
            path = target.group(1).decode("utf-8", "replace")
            name = (
                path.lstrip("/") if path.startswith("/") else posixpath.normpath(posixpath.join("xl", path))
            )
            return name, workbook
    return None, workbook


def inspect(path: Path) -> None:
    """Stream the first sheet and raise XlsxProblem at the first limit it breaks (see the module's
    docstring). A workbook whose structure it cannot follow is left to the child's limits."""
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise XlsxProblem(
            "BERKAS_TIDAK_TERBACA", "XLSX tidak dapat dibuka: bukan berkas ZIP yang sah"
        ) from exc
    with zf:
        sheet, workbook = _first_sheet_part(zf)
        if sheet is None or sheet not in zf.namelist():
            return
        full_calc = bool(FULL_CALC_RE.search(workbook))
        max_row = max_col = declared_cols = formulas = read = 0
        first_unvalued = None
        tail = b""
        with zf.open(sheet) as stream:
            for block in iter(lambda: stream.read(BLOCK), b""):
                read += len(block)
                if read > MAX_SHEET_XML_BYTES:
                    raise _too_big(f"XML lembar kerja melebihi {MAX_SHEET_XML_BYTES // 2**30} GB")
                buffer, seen = tail + block, len(tail)  # matches ending inside the tail were counted before

                def new(matches, seen=seen):
                    return (m for m in matches if m.end() > seen)

                for m in new(DIMENSION_RE.finditer(buffer)):
                    size = _range_size(m.group(1))
                    if size and (size[0] > MAX_XLSX_ROWS or size[1] > MAX_COLUMNS
                                 or size[0] * size[1] > MAX_GRID_CELLS):  # fmt: skip
                        raise _too_big(
                            f"rentang terpakai yang dinyatakan {m.group(1).decode()} ({angka(size[0])} baris x "
                            f"{angka(size[1])} kolom; batas {angka(MAX_XLSX_ROWS)} baris, {angka(MAX_COLUMNS)} kolom dan "
                            f"{angka(MAX_GRID_CELLS)} sel)"
                        )
                    declared_cols = size[1] if size else declared_cols
                for m in new(ROW_RE.finditer(buffer)):
                    max_row = max(max_row, int(m.group(1)))
                for m in new(WIDE_CELL_RE.finditer(buffer)):
                    max_col = max(max_col, column_number(m.group(1)))
                if max_row > MAX_XLSX_ROWS:
                    raise _too_big(f"ada baris ke-{angka(max_row)}; batas Excel {angka(MAX_XLSX_ROWS)} baris")
                if max_col > MAX_COLUMNS:
                    raise _too_big(f"ada sel di kolom ke-{angka(max_col)}; batas {angka(MAX_COLUMNS)} kolom")
                if max_row * max(max_col, declared_cols) > MAX_GRID_CELLS:
                    raise _too_big(
                        f"{angka(max_row)} baris x {angka(max(max_col, declared_cols))} kolom; batas {angka(MAX_GRID_CELLS)} sel"
                    )
                formulas += sum(1 for _ in new(FORMULA_RE.finditer(buffer)))
                if first_unvalued is None:
                    for m in new(FORMULA_NO_VALUE_RE.finditer(buffer)):
                        cells = list(CELL_START_RE.finditer(buffer, 0, m.start()))
                        first_unvalued = cells[-1].group(1).decode() if cells else "?"
                        break
                tail = buffer[-TAIL:]
    if first_unvalued is not None or (formulas and full_calc):
        where = f" (mis. sel {first_unvalued})" if first_unvalued not in (None, "?") else ""
        raise XlsxProblem("RUMUS_TANPA_NILAI", f"{angka(formulas)} sel berisi rumus{where}")


# --- the child: python-calamine, rows written as CSV ---------------------------------------------
def _cell_text(value) -> str | None:
    """An XLSX cell as the text an agency would have typed (contract sections 2 and 3)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))  # whole numbers without ".0"
        if value.is_integer():
            # Beyond 2^53 a float cannot hold every digit (Excel keeps 15): show it the way Excel does,
            # in scientific notation, so an 18-digit NIP typed as a number is flagged, not silently wrong.
            return f"{value:.15G}"
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()  # native Excel date cells -> ISO date
    if isinstance(value, dt.time):
        return value.isoformat()
    return str(value)


def convert(path: Path, out: Path) -> dict:
    """The first sheet's rows into `out`: Excel's row number, then a cell per header column, then the
    values beyond the header joined by "; " (empty cells written as "", read back as NULL). The header is
    the first row that is not empty; empty rows are skipped (as blank lines in a CSV). Returns the header,
    the number of other sheets and the number of data rows, or a problem code and detail."""
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        other_sheets = len(workbook.sheet_names) - 1
    except Exception as exc:  # calamine raises its own error types for broken files
        return {
            "problem": "BERKAS_TIDAK_TERBACA",
            "detail": f"XLSX tidak dapat dibuka: {str(exc).splitlines()[0]}",
        }
    header, rows = None, 0
    with open(out, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\n")
        for index, row in enumerate(sheet.iter_rows()):  # index 0 is Excel's row 1
            texts = [_cell_text(v) for v in row]
            if all(v is None for v in texts):
                continue
            if header is None:
                header = texts
                while header and header[-1] is None:
                    header = header[:-1]
                if len(header) > MAX_COLUMNS:
                    return {"problem": "BATAS_BACA_TERLAMPAUI", "detail": too_many_columns(len(header))}
                continue
            width = len(header)
            cells = texts[:width] + [None] * (width - len(texts))
            extra = [v for v in texts[width:] if v is not None]
            record = [str(index + 1), *cells, "; ".join(extra) if extra else None]
            if sum(len(v) for v in record if v) > MAX_LINE_BYTES:
                return {"problem": "BATAS_BACA_TERLAMPAUI", "detail": f"{LINE_TOO_LONG} (baris {index + 1})"}
            writer.writerow(record)
            rows += 1
    if header is None:
        return {"problem": "BERKAS_TIDAK_TERBACA", "detail": "lembar kerja pertama kosong"}
    return {"header": [v or "" for v in header], "other_sheets": other_sheets, "rows": rows}


@dataclass(frozen=True)
class Sheet:
    header: list[str]
    other_sheets: int
    rows: int
    csv_path: Path  # _line, c0.., c_extra; every value quoted, empty = NULL


def to_csv(path: Path, out: Path) -> Sheet:
    """inspect(), then convert() in a child process with the memory ceiling and time limit of
    pipelines.limits. XlsxProblem when the file breaks a limit, cannot be read, or kills its reader."""
    inspect(path)
    memory, seconds = read_memory_bytes(), read_seconds()
    try:
        child = subprocess.run(
            [sys.executable, "-m", "pipelines.xlsx", str(path), str(out), str(memory)],
            capture_output=True, timeout=seconds,
        )  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        raise XlsxProblem(
            "BATAS_BACA_TERLAMPAUI", f"pembacaan XLSX melebihi batas waktu {seconds} detik"
        ) from exc
    result = None
    if child.returncode == 0:
        try:
            result = json.loads(child.stdout.decode().strip().splitlines()[-1])
        except (ValueError, IndexError):
            result = None
    if result is None:
        ran_out = child.returncode < 0 or b"MemoryError" in child.stderr
        detail = (f"pembacaan XLSX melebihi batas memori {angka(memory // 2**20)} MB" if ran_out
                  else f"pembaca XLSX berhenti dengan kode {child.returncode}")  # fmt: skip
        raise XlsxProblem("BATAS_BACA_TERLAMPAUI", detail)
    if "problem" in result:
        raise XlsxProblem(result["problem"], result["detail"])
    return Sheet(result["header"], result["other_sheets"], result["rows"], out)


def _child(argv: list[str]) -> int:
    import resource

    path, out, memory = argv
    resource.setrlimit(resource.RLIMIT_AS, (int(memory), int(memory)))
    print(json.dumps(convert(Path(path), Path(out))))
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
