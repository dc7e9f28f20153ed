"""Hostile extract files, made byte by byte: workbooks and CSVs that once took the whole pipeline down, and
the ones around them. Each maker returns the file's bytes; `CORPUS` names every case with the file-level
reason code it must get (None: it loads, row by row)."""

from __future__ import annotations

import io
import zipfile

from tests.helpers import PEGAWAI_HEADER

PERSON = [
    "198003152005011001",
    "Budi Santoso",
    "L",
    "1980-03-15",
    "PNS",
    "III/d",
    "PELAKSANA",
    "",
    "Staf",
    "S1",
]

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def workbook(sheet_data: str | bytes, dimension: str | None = None, calc: str = "") -> bytes:
    """A minimal workbook of one sheet whose <sheetData> holds `sheet_data` (rows of inline strings)."""
    book = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>{calc}</workbook>'
    )
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dim}<sheetData>'
    ).encode()
    body = sheet_data.encode() if isinstance(sheet_data, str) else sheet_data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", book)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", head + body + b"</sheetData></worksheet>")
    return out.getvalue()


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def row(number: int, values: list[str], first_column: int = 1) -> str:
    cells = "".join(cell(f"{column_letters(first_column + i)}{number}", v) for i, v in enumerate(values) if v)
    return f'<row r="{number}">{cells}</row>'


def people_rows(start: int = 2) -> str:
    return row(1, PEGAWAI_HEADER) + row(start, PERSON)


def xlsx_used_range_bomb() -> bytes:
    """Two cells at the corners of Excel's whole grid: 17 billion cells to a reader that builds the grid."""
    return workbook(row(1, ["nip"]) + row(1_048_576, ["x"], first_column=16_384), dimension="A1:XFD1048576")


def xlsx_empty_area() -> bytes:
    """A header and one cell two million rows down: 26 x 2,000,000 empty cells."""
    return workbook(row(1, PEGAWAI_HEADER) + row(2_000_000, ["x"], first_column=26))


def xlsx_grid_beyond_memory() -> bytes:
    """Within every limit the stream can see cheaply (two-letter columns, no dimension), yet a grid of 700
    million cells: only the reader's memory ceiling stops it, and its child process dies instead."""
    return workbook(row(1, PEGAWAI_HEADER) + row(1_000_000, ["x"], first_column=702))


def xlsx_beyond_excel_rows(rows: int = 1_100_000) -> bytes:
    """More rows than Excel can hold (a workbook no Excel wrote), one short cell each."""
    body = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, rows + 1))
    return workbook(row(1, PEGAWAI_HEADER) + body)


def xlsx_formula_without_value() -> bytes:
    """A formula with no stored result (as openpyxl writes it): its value cannot be read."""
    formula = '<row r="2"><c r="A2"><f>CONCATENATE("1980","0315")</f></c></row>'
    return workbook(row(1, PEGAWAI_HEADER) + formula)


def xlsx_formula_to_be_calculated() -> bytes:
    """A formula whose stored value is a placeholder the writer asks Excel to recalculate (xlsxwriter)."""
    formula = '<row r="2"><c r="A2"><f>1+1</f><v>0</v></c></row>'
    return workbook(row(1, PEGAWAI_HEADER) + formula, calc='<calcPr calcId="124519" fullCalcOnLoad="1"/>')


def xlsx_wide_header() -> bytes:
    return workbook(row(1, PEGAWAI_HEADER + [f"x{i}" for i in range(2_000)]) + row(2, PERSON))


def xlsx_good() -> bytes:
    return workbook(people_rows(), dimension="A1:J2")


def csv_text(lines: list[list[str]]) -> bytes:
    return ("\r\n".join(",".join(v) for v in lines) + "\r\n").encode()


def csv_long_header_line(fields: int = 5_000_000) -> bytes:
    """One header line of millions of short fields: split whole, it ran out of memory."""
    return (",".join(PEGAWAI_HEADER) + ",x" * fields + "\r\n").encode()


def csv_many_columns(columns: int = 94_000) -> bytes:
    """A header under the line limit with 94,000 columns (103 s in the header mapping)."""
    return csv_text([PEGAWAI_HEADER + [f"k{i}" for i in range(columns - len(PEGAWAI_HEADER))], PERSON])


def csv_record_of_quoted_lines(fields: int = 1_200_000) -> bytes:
    """One record of a million fields, each a quoted line break: every physical line is short."""
    return (",".join(PEGAWAI_HEADER) + "\r\n" + '"\n",' * fields + '"x"\r\n').encode()


def csv_utf16_without_bom() -> bytes:
    return csv_text([PEGAWAI_HEADER, PERSON]).decode().encode("utf-16-le")


def csv_repeated_column() -> bytes:
    return csv_text([PEGAWAI_HEADER + ["nama"], PERSON + ["Ani"]])


def csv_repeated_nip_first_empty() -> bytes:
    return csv_text([["nip"] + PEGAWAI_HEADER, [""] + PERSON])


# path under a submission folder -> (bytes maker, the file-level reason code; None = loads)
CORPUS = {
    "xlsx_used_range_bomb": ("pegawai.xlsx", xlsx_used_range_bomb, "BATAS_BACA_TERLAMPAUI"),
    "xlsx_empty_area": ("pegawai.xlsx", xlsx_empty_area, "BATAS_BACA_TERLAMPAUI"),
    "xlsx_grid_beyond_memory": ("pegawai.xlsx", xlsx_grid_beyond_memory, "BATAS_BACA_TERLAMPAUI"),
    "xlsx_beyond_excel_rows": ("pegawai.xlsx", xlsx_beyond_excel_rows, "BATAS_BACA_TERLAMPAUI"),
    "xlsx_formula_without_value": ("pegawai.xlsx", xlsx_formula_without_value, "RUMUS_TANPA_NILAI"),
    "xlsx_formula_to_be_calculated": ("pegawai.xlsx", xlsx_formula_to_be_calculated, "RUMUS_TANPA_NILAI"),
    "xlsx_wide_header": ("pegawai.xlsx", xlsx_wide_header, "BATAS_BACA_TERLAMPAUI"),
    "xlsx_good": ("pegawai.xlsx", xlsx_good, None),
    "csv_long_header_line": ("pegawai.csv", csv_long_header_line, "BATAS_BACA_TERLAMPAUI"),
    "csv_many_columns": ("pegawai.csv", csv_many_columns, "BATAS_BACA_TERLAMPAUI"),
    "csv_record_of_quoted_lines": ("pegawai.csv", csv_record_of_quoted_lines, "BATAS_BACA_TERLAMPAUI"),
    "csv_utf16_without_bom": ("pegawai.csv", csv_utf16_without_bom, "ENKODING_TIDAK_TERBACA"),
    "csv_repeated_column": ("pegawai.csv", csv_repeated_column, "KOLOM_GANDA"),
    "csv_repeated_nip_first_empty": ("pegawai.csv", csv_repeated_nip_first_empty, "KOLOM_GANDA"),
    "csv_good": ("pegawai.csv", lambda: csv_text([PEGAWAI_HEADER, PERSON]), None),
}
