"""Text that a spreadsheet would run as a formula is written inert: the one rule for every workbook and CSV.

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken by Excel, WPS and
LibreOffice for a formula (``=HYPERLINK("http://…","点我")``, ``=cmd|'/c calc'!A1``, ``@SUM(…)``) when it is
typed, pasted, opened from a CSV or written by openpyxl, which stores such a string as a live formula. Every
export of the platform (openpyxl workbooks, ``core.xlsx_stream``, ``csv``) writes its text cells through
``inert``: such a text gets a leading apostrophe (OWASP's advice), so it shows as text everywhere and stays text
when the file is opened, edited or converted. Numbers, dates and other non-text values are left alone (a
negative number is a number, not a text).

    from core.spreadsheets import inert_row, csv_writer, sheet_append
    sheet_append(sheet, [volunteer.name, hours])          # openpyxl (normal or write-only)
    csv_writer(text_file).writerows(rows)                  # csv
    # core.xlsx_stream applies ``inert`` to every text cell by itself.
"""

import csv
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value) -> bool:
    """True if ``value`` is a text a spreadsheet would take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def inert(value):
    """``value``, with a leading apostrophe if it is a text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def inert_row(row: Iterable) -> list:
    """The cells of ``row`` through ``inert``."""
    return [inert(value) for value in row]


def sheet_append(sheet, row: Iterable) -> None:
    """``sheet.append(row)`` for an openpyxl worksheet, every text made inert (openpyxl would store "=…" as a
    live formula)."""
    sheet.append(inert_row(row))


class _InertWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow(inert_row(row))

    def writerows(self, rows):
        for row in rows:
            self._writer.writerow(inert_row(row))


def csv_writer(handle, *args, **kwargs) -> _InertWriter:
    """``csv.writer(handle, ...)`` whose rows are written through ``inert``."""
    return _InertWriter(csv.writer(handle, *args, **kwargs))
