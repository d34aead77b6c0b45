"""Writing the organiser's files: atomically (a crash leaves the old file or the new one), with
the permissions the umask gives (not the 0600 of a temporary file), as CSV with the separator
of the club's locale or as an Excel workbook.
"""

from __future__ import annotations

import csv
import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from seating.club.saving import saving
from seating.club.tabular import CsvError, neutralise
from seating.club.workbook import is_workbook, write_workbook

SEPARATORS = {"nl": ";", "fr": ";", "de": ";", "en": ","}
"""The CSV separator a spreadsheet of the language's locale expects (Belgian and most
continental Excel versions split on semicolons, since the comma is their decimal mark)."""


def separator_for(language: str | None) -> str:
    """The CSV separator for a club language (a comma when unknown)."""
    return SEPARATORS.get((language or "en").split("_")[0].lower(), ",")


def _umask() -> int:
    # Reading the umask means setting it; /proc says it without the race (a web server's
    # threads write files too).
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _target(path: Path) -> Path:
    """The file to replace: ``path``, or the file its symlink names when that is in the same
    folder. A link to a file elsewhere (``plan.json -> /etc/...``) is replaced itself, not
    followed: a command writes where it was told, never out of that folder."""
    folder = path.absolute().parent.resolve()
    target = path.resolve()
    return target if target.parent == folder else folder / path.name


def write_bytes_atomically(path: str | Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` on a temporary file next to ``path``, give it the mode a new file
    gets under the umask, then move it over ``path``.

    Raises
    ------
    OSError
        The folder cannot be written (nothing is left behind).
    """
    target = _target(Path(path))
    # One save: an interrupt waits for it (no temporary file left behind, no half-told story).
    with saving():
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        os.close(fd)
        try:
            write(Path(tmp))
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def write_text_atomically(path: str | Path, text: str, *, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically, with the umask's permissions."""
    write_bytes_atomically(path, lambda tmp: tmp.write_text(text, encoding, newline=""))


def csv_text(
    header: Sequence[str], rows: Iterable[Sequence[object]], *, separator: str = ","
) -> str:
    """CSV text with formula cells neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise("" if cell is None else str(cell)) for cell in row])
    return buffer.getvalue()


def write_csv(
    path: str | Path,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    separator: str = ",",
    write: Callable[[str], object] | None = None,
) -> None:
    """Write a CSV file atomically (UTF-8 with a byte-order mark, so spreadsheets read accents
    right); ``-`` writes to standard output instead."""
    text = csv_text(header, rows, separator=separator)
    if str(path) == "-":
        (write or sys.stdout.write)(text)
        return
    try:
        write_text_atomically(path, text, encoding="utf-8-sig")
    except OSError as exc:
        raise CsvError(f"{path}: cannot write the file ({exc.strerror})") from None


def write_rows(
    path: str | Path,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    separator: str = ",",
    title: str = "seating",
    write: Callable[[str], object] | None = None,
) -> None:
    """Write rows as an Excel workbook when ``path`` ends in .xlsx, else as CSV."""
    if str(path) == "-" or not is_workbook(path):
        write_csv(path, header, rows, separator=separator, write=write)
        return
    cells = [[neutralise("" if c is None else str(c)) for c in row] for row in rows]
    try:
        write_bytes_atomically(path, lambda tmp: write_workbook(tmp, header, cells, title=title))
    except OSError as exc:
        raise CsvError(f"{path}: cannot write the file ({exc.strerror})") from None
