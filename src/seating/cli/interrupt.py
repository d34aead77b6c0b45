"""Ctrl-C: any command ends within a moment, exit code 130, one line, nothing half-saved.

Python turns SIGINT into ``KeyboardInterrupt`` only between two bytecodes of the main thread,
and a command spends most of its time where there are none: in the compiled search (numba),
in CP-SAT's C++ solver, in SQLite. A process started without a terminal (``cmd &`` from a
script) even inherits SIGINT as *ignored*, so Python installs no handler at all. So
:func:`install` does not rely on either:

- SIGINT gets a Python handler (installed even where it was ignored: the user asked to stop),
  and :func:`signal.set_wakeup_fd` makes the C-level part of that handler write a byte to a
  pipe the moment the signal arrives, whatever the main thread is doing;
- a watcher thread waits on that pipe. The compiled searches release the GIL (``nogil=True``
  on their entry points) and CP-SAT releases it while it solves, so the watcher runs at once;
- the watcher takes the save lock (:data:`seating.club.saving.LOCK`), so that a commit or an
  atomic file move under way finishes first, prints one line saying whether anything was
  saved, and ends the process with :func:`os._exit` (130, as shells report an interrupt).
  Nothing after the interrupt runs: no draft saved, no plan written.

CP-SAT would catch SIGINT itself and return its best plan so far as if its time were up (a
worse plan, saved, exit 0); every solver here sets ``catch_sigint_signal = False``.
"""

from __future__ import annotations

import os
import signal
import sys
import threading

from seating.club.database import remove_created_if_empty
from seating.club.saving import LOCK, saved_anything

EXIT_CODE = 130
"""128 + SIGINT, what a shell reports for a command ended by Ctrl-C."""

NOTHING_SAVED = "interrupted: nothing was saved"
SAVED_BEFORE = "interrupted: stopped after saving (what was saved before the interrupt stays)"

_installed = False


def _on_sigint(signum: int, frame: object) -> None:
    # The watcher thread does the work; this handler only has to exist, so that Python's
    # C-level handler (which writes the wakeup pipe) stays installed.
    return None


def _watch(fd: int) -> None:
    while True:
        try:
            data = os.read(fd, 64)
        except InterruptedError:
            continue
        if not data or signal.SIGINT in data:
            break
    with LOCK:
        message = SAVED_BEFORE if saved_anything() else NOTHING_SAVED
        if not saved_anything():
            remove_created_if_empty()  # "nothing was saved" holds for a new club file too
        restore = "\x1b[?25h" if sys.stderr.isatty() else ""  # a spinner may hide the cursor
        os.write(2, f"{restore}\n{message}\n".encode())
        os._exit(EXIT_CODE)


def install() -> None:
    """Make SIGINT end this process as described above (the ``seating`` program calls it).

    Only from the main thread, once; commands run in-process (tests, notebooks) keep Python's
    own ``KeyboardInterrupt``.
    """
    global _installed
    if _installed or threading.current_thread() is not threading.main_thread():
        return
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    signal.signal(signal.SIGINT, _on_sigint)
    signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
    threading.Thread(target=_watch, args=(read_end,), name="sigint", daemon=True).start()
    _installed = True
