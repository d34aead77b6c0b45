"""The fuzz suite of issue 11 at a large size, with a count of what each input came to.

    .venv/bin/python benchmarks/fuzz.py [--examples 500] [--out FILE]

Runs ``tests/test_fuzz.py`` (fuzzed problems through ``seating plan``; fuzzed club files
through ``club import``, ``import-history``, ``plan --attendees``, ``plan --tables`` and
``plan-season --registrations``) with ``--examples`` examples per test instead of the 25 of
``make test``, and the same contract: exit 0 with a plan holding every rule, 1 with a reason,
2 with one line; no traceback; no database change after a refusal. The suite's hypothesis
profile is derandomised, so a run is repeatable: the same ``--examples``, the same inputs.
Prints (and with ``--out`` writes) the pytest summary and the wall time; a failure prints
hypothesis's smallest failing example.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=500)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    env = {**os.environ, "SEATING_FUZZ_EXAMPLES": str(args.examples)}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "--hypothesis-show-statistics", "tests/test_fuzz.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
    report = (
        f"fuzz: {args.examples} examples per test, "
        f"{seconds:.0f} s on {platform.machine()} ({os.cpu_count()} cores): {summary}"
    )
    # Hypothesis's statistics: how many inputs ended in exit 0, 1 and 2, per test.
    shown = [line for line in done.stdout.splitlines() if "exit" in line or "::" in line]
    print(done.stdout if done.returncode else "\n".join(shown))
    print(report)
    if args.out is not None:
        args.out.write_text(report + "\n", encoding="utf-8")
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()
