"""Where numba keeps the compiled code: a place this user can write, or a temporary folder.

Numba caches compiled functions next to their source (``__pycache__``) or, when that folder is
not writable (a package installed by root), in the user's cache folder under HOME. When neither
can be written (a service account without a home, a read-only install), numba refuses to
decorate the functions at all, and every ``seating`` command, even ``--help``, ended in its
traceback. :func:`choose` runs when this module is imported, first thing in
``seating/__init__.py`` (before numba is imported); in that case it points numba at a private
temporary folder: the first command of such a user compiles, later ones load the cache, as
long as the temporary folder lasts.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _writable(folder: Path) -> bool:
    """Whether ``folder`` (or the nearest existing folder above it) can be written."""
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            return os.access(candidate, os.W_OK | os.X_OK)
    return False


def cache_folder(package: Path, home: Path | None) -> Path | None:
    """A cache folder for numba, or ``None`` when numba's own choice works.

    Parameters
    ----------
    package
        The folder of the compiled modules (numba writes ``__pycache__`` below it).
    home
        The user's home folder (numba's fallback is ``~/.cache``); ``None`` if unknown.
    """
    if _writable(package) or (home is not None and _writable(home / ".cache")):
        return None
    return Path(tempfile.gettempdir()) / f"seating-numba-{os.getuid()}"


def choose() -> None:
    """Set ``NUMBA_CACHE_DIR`` when numba would find nowhere to write (see the module)."""
    if os.environ.get("NUMBA_CACHE_DIR"):
        return
    home = os.environ.get("HOME")
    folder = cache_folder(_PACKAGE, Path(home) if home else None)
    if folder is not None:
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
        except OSError:
            return  # nowhere at all: numba says so itself
        os.environ["NUMBA_CACHE_DIR"] = str(folder)


choose()
