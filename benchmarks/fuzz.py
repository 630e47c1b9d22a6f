"""The large fuzz run: N mutants of the examples validated, every 20th that validates also built
to Word and PDF.  Prints the counts by outcome, any internal error with its seed (rerun one with
`python3 benchmarks/fuzz.py --seed N`), the slowest case and the memory seen.

    python3 benchmarks/fuzz.py [--cases 10000] [--seed N]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import traceback
import tracemalloc
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fuzz"))

from mutate import build_case, validate_case

BUILD_EVERY = 20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=None, help="run one case and show what it raises")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="reportgen-fuzz-"))
    if args.seed is not None:
        print(validate_case(args.seed, folder), build_case(args.seed, folder))
        return 0
    outcomes: Counter[str] = Counter()
    builds: Counter[str] = Counter()
    bugs: list[tuple[int, str]] = []
    slowest = (0.0, -1, "")
    peak_python = 0
    buildable = 0
    started = time.perf_counter()
    for seed in range(args.cases):
        tracemalloc.start()
        try:
            outcome, seconds = validate_case(seed, folder)
        except Exception:
            bugs.append((seed, traceback.format_exc(limit=3)))
            outcomes["internal error"] += 1
            tracemalloc.stop()
            continue
        peak_python = max(peak_python, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        outcomes[outcome] += 1
        slowest = max(slowest, (seconds, seed, "validate"))
        if outcome in ("clean", "warnings"):
            buildable += 1
            if buildable % BUILD_EVERY == 1:
                try:
                    result, seconds = build_case(seed, folder)
                except Exception:
                    bugs.append((seed, traceback.format_exc(limit=3)))
                    builds["internal error"] += 1
                    continue
                builds[result] += 1
                slowest = max(slowest, (seconds, seed, "build"))
    elapsed = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"cases: {args.cases} in {elapsed:.0f} s")
    print("validate:", ", ".join(f"{k} {v}" for k, v in outcomes.most_common()))
    print("build (every 20th that validates):", ", ".join(f"{k} {v}" for k, v in builds.most_common()))
    print(f"slowest: {slowest[0]:.2f} s ({slowest[2]}, seed {slowest[1]})")
    print(f"memory: Python peak per validation {peak_python / 1e6:.1f} MB; process maximum RSS {rss_mb:.0f} MB")
    for seed, trace in bugs[:20]:
        print(f"\n--- internal error, seed {seed}\n{trace}")
    return 1 if bugs else 0


if __name__ == "__main__":
    raise SystemExit(main())
