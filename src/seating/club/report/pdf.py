"""Print to PDF: an HTML print-out rendered by headless Chromium (``--print-to-pdf``).

The print-outs are HTML pages with CSS for A4 (:mod:`seating.club.report.html`); Chromium
lays them out as a browser prints them, so the PDF matches what the organiser would print
from the browser. Chromium is a program, not a Python package: Debian's ``chromium``
(``apt-get install chromium``) or any Chrome/Chromium on the ``PATH``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from seating.errors import InputError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
"""The programs tried, in this order, after ``$SEATING_CHROMIUM``."""

GUARD_SECONDS = 180.0
"""A browser that has not finished by then is hung: stopped, and the PDF refused."""


class PdfError(InputError):
    """No PDF: no browser found, or the browser failed (the message says which)."""


def find_chromium() -> str | None:
    """The Chromium program to print with: ``$SEATING_CHROMIUM``, else the first of
    :data:`BROWSERS` on the ``PATH`` (or ``/usr/bin/chromium``), else None."""
    chosen = os.environ.get("SEATING_CHROMIUM")
    if chosen:
        return chosen
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def to_pdf(html: str, *, browser: str | None = None) -> bytes:
    """The PDF of an HTML page, as headless Chromium prints it (no header or footer lines;
    the page size and margins are the page's own ``@page`` CSS).

    Parameters
    ----------
    html
        The page (self-contained: the print-outs load nothing from elsewhere).
    browser
        The Chromium program; default :func:`find_chromium`.

    Raises
    ------
    PdfError
        No Chromium, or it failed or hung; one line saying which.
    """
    program = browser or find_chromium()
    if program is None:
        raise PdfError(
            "print to PDF needs Chromium (apt-get install chromium, or set SEATING_CHROMIUM)"
        )
    with tempfile.TemporaryDirectory(prefix="seating-pdf-") as folder:
        page = Path(folder) / "page.html"
        page.write_text(html, encoding="utf-8")
        pdf = Path(folder) / "page.pdf"
        command = [
            program,
            "--headless",
            "--no-sandbox",  # root in containers: Chromium's sandbox refuses to start there
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            f"--user-data-dir={Path(folder) / 'profile'}",
            "--no-pdf-header-footer",
            "--print-to-pdf-no-header",  # the same, as Chromium before version 120 spells it
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=GUARD_SECONDS, check=False
            )
        except OSError as exc:
            raise PdfError(f"print to PDF: cannot run {program}: {exc.strerror}") from None
        except subprocess.TimeoutExpired:
            raise PdfError(
                f"print to PDF: {program} did not finish in {GUARD_SECONDS:g} s"
            ) from None
        if not pdf.exists() or pdf.stat().st_size == 0:
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise PdfError(f"print to PDF: {program} wrote no PDF (exit {done.returncode}: {last})")
        return pdf.read_bytes()
