"""The fuzzer of issue 11: problems and club files as an adversarial user writes them, fed to
the real command line, and the one contract every answer must keep.

- ``seating plan``: exit 0 with a plan that holds every rule (:func:`helpers.assert_well_formed`),
  exit 1 with one ``error: no plan`` line giving the reason, or exit 2 with one ``error:`` line;
- the club commands reading CSV files: exit 0, 1 or 2 the same way, and after any refusal the
  database exactly as it was;
- never a traceback, never another exit code.

Shared by ``tests/test_fuzz.py`` (a few dozen examples in ``make test``) and
``benchmarks/fuzz.py`` (thousands, with a report).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from tests.club_helpers import dump, run

from helpers import assert_well_formed, problems
from seating.models import ProblemInput
from seating.result import Result

# --- JSON problems ---------------------------------------------------------------------------

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.sampled_from([0, -1, 2**63, 2**64, 10**300, float("nan"), 1e308, -0.0, 0.5]),
    st.text(max_size=6),
    st.sampled_from(["", " ", "m1", "\x1b[31m", "T1", "2026-02-30", "table", "9" * 30]),
    st.lists(st.sampled_from(["m1", "m2", "x"]), max_size=3),
    st.fixed_dictionaries({}),
)
"""Values a mutation puts where the contract expects something else."""


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in ``data`` a value sits: dict keys and list positions."""
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(data, list):
        for k, value in enumerate(data):
            found.extend(_paths(value, (*prefix, k)))
    return found


def _replace(data: Any, path: tuple, value: Any) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


@st.composite
def fuzzed_problems(draw: st.DrawFn) -> str:
    """A problem as JSON text: valid, or broken in one to three places (a value swapped for
    junk, a key dropped, an unknown key), or not a problem at all."""
    data = draw(problems(seasons=True, club_rules=True, max_attendees=6))
    for _ in range(draw(st.integers(0, 3))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["junk", "junk", "drop", "unknown"]))
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        if action == "junk":
            _replace(data, path, draw(JUNK))
        elif action == "drop" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "unknown" and isinstance(parent, dict):
            parent["surprise"] = 1
    text = json.dumps(data, allow_nan=True)
    if draw(st.integers(0, 9)) == 0:  # sometimes not even JSON
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(st.sampled_from(["", "}", "\x00", "\udcff", "[" * 50]))
    return text


# --- the contract ------------------------------------------------------------------------------


def assert_one_line(stderr: str, start: str = "error:") -> str:
    """One line starting with ``start`` (a club command may add ``note:`` lines to a "no
    plan", saying which earlier drafts it counted)."""
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.strip().splitlines() if not line.startswith("note:")]
    assert len(lines) == 1, stderr
    assert lines[0].startswith(start), lines[0]
    return lines[0]


def check_plan_command(text: str, folder: Path) -> int:
    """Run ``seating plan`` on the problem ``text``; assert the contract; return the exit code."""
    path = folder / "problem.json"
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    out = folder / "plan.json"
    out.unlink(missing_ok=True)
    args = ["plan", path, "--json", "--out", out, "--method", "local", "--workers", "1"]
    result = run(*args, "--time-limit", "20", "--seed", "0")
    code = result.exit_code
    assert code in (0, 1, 2), (code, result.stderr, result.exception)
    if code == 0:
        plan = Result.model_validate_json(result.stdout)
        assert out.read_text(encoding="utf-8") == result.stdout
        assert_well_formed(ProblemInput.from_json(text), plan)
        assert "Traceback" not in result.stderr
    elif code == 1:
        assert_one_line(result.stderr, "error: no plan")
    else:
        assert_one_line(result.stderr)
        assert not out.exists(), "a refused problem wrote a plan"
    return code


# --- club files ---------------------------------------------------------------------------------

HEADERS = st.sampled_from([
    "id", "name", "company", "industry", "host", "status", "languages", "date", "table",
    "member_id", "capacity", "naam", "lidnummer", "gastheer", "datum", "tafel", "", " ", "id ",
    '"id', "id\x1b", "Id", "extra",
])  # fmt: skip

CELLS = st.one_of(
    st.sampled_from([
        "", " ", "m001", "m002", "m999", "Person 1", "yes", "ja", "oui", "no", "left", "x",
        "2026-09-17", "17/09/2026", "2026-02-30", "31/02/2026", "99/99/99", "T1", "T2", "8",
        "0", "-1", "²", "٣", "9" * 40, '"', 'a"b', '"unterminated', "=cmd()", "a,b", "a;b",
        "\x1b[31m", "\x00", "m001;m002", "\u200b", "Émile",
    ]),
    st.text(max_size=8),
)  # fmt: skip


@st.composite
def club_files_text(draw: st.DrawFn) -> bytes:
    """A club file as its bytes: a header of known and odd columns, rows of odd cells, any
    separator, sometimes a byte-order mark or bytes that are not UTF-8."""
    separator = draw(st.sampled_from([",", ",", ";", "\t"]))
    header = draw(st.lists(HEADERS, min_size=0, max_size=5))
    rows = draw(st.lists(st.lists(CELLS, max_size=6), max_size=6))
    lines = [separator.join(header)] + [separator.join(row) for row in rows]
    text = "\n".join(lines) + draw(st.sampled_from(["\n", "", "\r\n"]))
    raw = text.encode("utf-8", errors="surrogateescape")
    if draw(st.booleans()):
        raw = b"\xef\xbb\xbf" + raw
    if draw(st.integers(0, 5)) == 0:
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.sampled_from([b"\xe9", b"\xff\xfe", b"\x00", b"\r"])) + raw[at:]
    return raw


COMMANDS: dict[str, list[str]] = {
    "import": ["club", "import", "FILE"],
    "import-history": ["club", "import-history", "FILE"],
    "attendees": ["club", "plan", "--date", "2030-01-10", "--attendees", "FILE",
                  "--table-sizes", "4", "--method", "local", "--replace"],
    "tables": ["club", "plan", "--date", "2030-01-10", "--attendees", "ATTENDEES",
               "--tables", "FILE", "--method", "local", "--replace"],
    "registrations": ["club", "plan-season", "--registrations", "FILE", "--table-sizes", "4",
                      "--method", "local", "--replace"],
}  # fmt: skip
"""Every club command that reads an organiser's CSV file; FILE is the fuzzed file."""


def check_club_command(
    command: str, raw: bytes, db: Path, folder: Path, attendees: Path | None = None
) -> int:
    """Run a club command on the file ``raw``; assert the contract; return the exit code."""
    path = folder / ("file.txt" if command == "attendees" else "file.csv")
    path.write_bytes(raw)
    files = {"FILE": path, "ATTENDEES": attendees}
    args = [files.get(a, a) for a in COMMANDS[command]]
    before = dump(db)
    result = run(*args, "--time-limit", "20", "--seed", "0", "--db", db)
    code = result.exit_code
    assert code in (0, 1, 2), (code, result.stderr, result.exception)
    assert "Traceback" not in result.stderr
    if code != 0:
        assert_one_line(result.stderr, "error:" if code == 2 else "error: no plan")
        assert dump(db) == before, "a refused command changed the database"
    return code
