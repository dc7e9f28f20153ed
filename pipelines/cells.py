"""Text cells of the CSV and spreadsheet files the project writes (agency packs, `proasn sql --csv`).

A cell starting with =, +, -, @, tab or carriage return is a formula to Excel, LibreOffice and Google Sheets
(OWASP "CSV injection"): such text is prefixed with ' so a spreadsheet shows it and never runs it. Values are
stored as given in the warehouse; only what is written for spreadsheets is escaped.
"""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value):
    """A text cell a spreadsheet would evaluate, prefixed with ' (shown as text, never run); other values
    (numbers, dates, None) as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
