"""Build .xlsx files in memory for the import tests."""

import io

from openpyxl import Workbook

from organisations.importing import HEADERS


def make_xlsx(rows: list[list], *, headers: list[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "单位"
    sheet.append(headers if headers is not None else HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
