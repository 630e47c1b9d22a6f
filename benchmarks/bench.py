"""Time reportgen on the examples: whole process (what an officer waits for) and in-process.

    python benchmarks/bench.py [--runs N]

Prints medians in seconds and the peak memory of a whole-process build of each example.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def _process(args: list[str], runs: int) -> tuple[float, float]:
    """Median wall time of `python -m reportgen ARGS`, and the largest peak RSS in MB."""
    times: list[float] = []
    peak = 0.0
    for _ in range(runs):
        start = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            os.execv(sys.executable, [sys.executable, "-m", "reportgen", *args])
        _, status, usage = os.wait4(pid, 0)
        times.append(time.perf_counter() - start)
        if os.waitstatus_to_exitcode(status) not in (0,):
            raise SystemExit(f"failed: reportgen {' '.join(args)}")
        peak = max(peak, usage.ru_maxrss / 1024)
    return statistics.median(times), peak


def _in_process(example: Path, out: Path, runs: int) -> float:
    from reportgen.build import build

    build(example, out, ("docx", "pdf"))  # warm: imports, font lookup
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        build(example, out, ("docx", "pdf"))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        help_time, _ = _process(["--help"], runs)
        print(f"reportgen --help                      {help_time:6.3f} s")
        validate_time, validate_peak = _process(["validate", str(EXAMPLES[0])], runs)
        print(f"reportgen validate {EXAMPLES[0].name:<24} {validate_time:6.3f} s  peak {validate_peak:5.0f} MB")
        print()
        print(f"{'example':<30} {'pages':>5} {'process':>9} {'in-process':>11} {'peak MB':>8}")
        for example in EXAMPLES:
            whole, peak = _process(["build", str(example), "-o", tmp], runs)
            inner = _in_process(example, out, runs)
            counts = []
            for pdf in sorted(out.glob(f"{example.stem}*.pdf")):  # the report, and its table if any
                info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
                counts.append(next((ln.split()[-1] for ln in info.splitlines() if ln.startswith("Pages:")), "?"))
            count = "+".join(counts) or "?"
            print(f"{example.stem:<30} {count:>5} {whole:8.3f}s {inner:10.3f}s {peak:8.0f}")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nin-process peak memory after all builds: {own:.0f} MB  ({runs} runs each, medians)")


if __name__ == "__main__":
    main()
