"""How soon the edit page answers, measured in one process as `reportgen edit` runs it.

    python3 benchmarks/edit.py [--runs 7] [FILE.yaml]

For each run a figure of the file is changed through the page's own path (session.change, then
session.state): the time until the messages and computed figures are back, against the same
file checked warm by validate's code alone (the peer); and the time until the pages show the
change, against a warm in-process PDF build of the same text (the peer).  Ratios are taken run
by run; medians are printed with the load of the machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "yuexiu-gongan-2023.yaml"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("file", nargs="?", type=Path, default=SEED)
    args = parser.parse_args()
    from reportgen.build import build
    from reportgen.checks.validate import check
    from reportgen.editing.session import RENDER_DELAY, Session
    from reportgen.editing.yaml_edit import Change
    from reportgen.input.loader import load

    folder = Path(tempfile.mkdtemp(prefix="reportgen-edit-bench-"))
    path = folder / args.file.name
    shutil.copy(args.file, path)
    data = load(path).data
    funds = next((k, "部门整体收支情况") for k, v in data.items() if isinstance(v, dict) and "部门整体收支情况" in v)
    figure = (*funds, "执行数")
    session = Session(path)
    session.start()
    session.wait_pages(0, timeout=120)
    messages, pages, checks, builds = [], [], [], []
    base = data[funds[0]][funds[1]]["执行数"]
    for run in range(args.runs):
        started = time.perf_counter()
        session.change([Change("set", figure, Decimal(base) + run + 1)])
        session.state()
        messages.append(time.perf_counter() - started)
        session.wait_pages(session.version, timeout=120)
        pages.append(time.perf_counter() - started)
        raw = session.raw()
        started = time.perf_counter()
        check(path, raw=raw)
        checks.append(time.perf_counter() - started)
        started = time.perf_counter()
        build(path, folder / "peer", ("pdf",), raw=raw, embed_source=False, draft=True)
        builds.append(time.perf_counter() - started)
    session.close()
    shutil.rmtree(folder, ignore_errors=True)
    load_avg = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{args.file.name}, {args.runs} edits, load average {load_avg} (medians)")
    print(
        f"edit → messages and computed figures: {statistics.median(messages):.3f} s; "
        f"validate's check alone {statistics.median(checks):.3f} s; "
        f"ratio {statistics.median(m / c for m, c in zip(messages, checks, strict=True)):.2f}"
    )
    print(
        f"edit → pages updated: {statistics.median(pages):.3f} s "
        f"(of which {RENDER_DELAY:.2f} s waiting for the officer to pause); "
        f"a warm PDF build alone {statistics.median(builds):.3f} s; "
        f"ratio {statistics.median(p / b for p, b in zip(pages, builds, strict=True)):.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
