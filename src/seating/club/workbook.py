"""Excel workbooks (.xlsx) read and written with openpyxl: cells as the text a CSV would hold.

Reading opens the workbook read-only and takes the values Excel last calculated, never the
formulas. A workbook with several sheets that hold data needs the sheet named; a
password-protected (encrypted), old-format (.xls) or corrupt file is refused in one line.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from seating.errors import InputError

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
"""File name endings read and written as workbooks."""

_OLE = b"\xd0\xcf\x11\xe0"
"""The first bytes of an OLE container: an old .xls, or an encrypted (password) workbook."""


class WorkbookError(InputError):
    """A workbook cannot be read; the message names the file (and sheet)."""


def is_workbook(path: str | Path) -> bool:
    """Whether ``path`` is read and written as an Excel workbook (by its name)."""
    return Path(path).suffix.lower() in EXCEL_SUFFIXES


def cell_text(value: object) -> str:
    """A cell's value as the text a CSV export would hold (dates as YYYY-MM-DD)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_sheet(
    path: str | Path, sheet: str | None = None, *, data: bytes | None = None
) -> tuple[str, list[list[str]]]:
    """The rows of one sheet as text cells (row k of the list is spreadsheet row k + 1).

    Parameters
    ----------
    path
        The workbook (with ``data``: only its name, for messages).
    sheet
        The sheet to read; needed when more than one sheet holds data.
    data
        The workbook's bytes (an upload), read in memory instead of the file.

    Returns
    -------
    The sheet's name and its rows.

    Raises
    ------
    WorkbookError
        Unreadable, encrypted, old-format or corrupt; no such sheet; several sheets with data
        and no ``sheet``.
    """
    from openpyxl import load_workbook  # a workbook is rare: keep CSV commands fast
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        if data is None:
            with open(path, "rb") as handle:
                start = handle.read(4)
        else:
            start = data[:4]
    except OSError as exc:
        raise WorkbookError(f"{path}: cannot read the file ({exc.strerror})") from None
    if start == _OLE:
        raise WorkbookError(
            f"{path}: a password-protected or old-format (.xls) workbook; "
            "save it as .xlsx without a password"
        )
    try:
        book = load_workbook(
            path if data is None else io.BytesIO(data), read_only=True, data_only=True
        )
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise WorkbookError(f"{path}: not a readable .xlsx workbook ({exc})") from None
    try:
        sheets = {ws.title: [[cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
                  for ws in book.worksheets}  # fmt: skip
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise WorkbookError(f"{path}: a corrupt .xlsx workbook ({exc})") from None
    finally:
        book.close()
    if sheet is not None:
        if sheet not in sheets:
            raise WorkbookError(
                f"{path}: no sheet {sheet!r} (the sheets are {', '.join(map(repr, sheets))})"
            )
        return sheet, sheets[sheet]
    with_data = [name for name, rows in sheets.items() if any(any(c for c in r) for r in rows)]
    if len(with_data) > 1:
        raise WorkbookError(
            f"{path}: the workbook has several sheets ({', '.join(map(repr, with_data))}); "
            "name one with --sheet"
        )
    name = with_data[0] if with_data else next(iter(sheets), "")
    return name, sheets.get(name, [])


def write_workbook(
    path: str | Path, header: Sequence[str], rows: Iterable[Sequence[str]], *, title: str
) -> None:
    """Write one sheet of text cells to ``path`` (cells are written as text, never formulas:
    the caller neutralises them as for CSV)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # Excel's limit on sheet names
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.data_type = "s"  # text: an id like 007 or a date stays as typed
    book.save(path)
