"""`reportgen collect` on N submitted PDFs, against reading the same PDFs' text with pdftotext
(what a bureau's clerk starts from today), measured pair by pair in one run.

    python3 benchmarks/collect.py [--reports 100] [--runs 3]

The N PDFs are the examples' PDFs, each copied with its embedded YAML renamed to another unit
(so that none is a duplicate of another), as N departments would send them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pikepdf

ROOT = Path(__file__).resolve().parent.parent


def _examples(out: Path) -> list[Path]:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "reportgen",
            "build",
            *map(str, sorted((ROOT / "examples").glob("*.yaml"))),
            "-o",
            str(out),
            "-f",
            "pdf",
        ],
        check=True,
        capture_output=True,
    )
    return sorted(out.glob("*.pdf"))


def submissions(count: int, folder: Path) -> list[Path]:
    """`count` PDFs, each carrying a YAML of its own."""
    examples = _examples(folder / "examples")
    inbox = folder / "inbox"
    inbox.mkdir()
    made = []
    for i in range(count):
        source = examples[i % len(examples)]
        with pikepdf.open(source) as pdf:
            stream = pdf.Root.AF[0].EF.F
            data = stream.read_bytes().replace("部门名称: ".encode(), f"部门名称: 第{i + 1}单位".encode(), 1)
            stream.write(data)
            target = inbox / f"{i + 1:03d}-{source.name}"
            pdf.save(target)
        made.append(target)
    return made


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pdfs = submissions(args.reports, folder)
        collect = [sys.executable, "-m", "reportgen", "collect", str(folder / "inbox"), "-o", str(folder / "汇总.xlsx")]
        peer = ["sh", "-c", f'for f in "{folder / "inbox"}"/*.pdf; do pdftotext "$f" /dev/null; done']
        ours, theirs, ratios = [], [], []
        for _ in range(args.runs):
            a, b = timed(collect), timed(peer)
            ours.append(a)
            theirs.append(b)
            ratios.append(a / b)
        load = os.getloadavg()[0]
        print(f"machine load (1 min): {load:.2f}; {os.cpu_count()} cores")
        each = statistics.median(ours) / len(pdfs) * 1000
        print(f"collect {len(pdfs)} PDFs: median {statistics.median(ours):.2f} s ({each:.0f} ms a report)")
        print(f"pdftotext on the same {len(pdfs)} PDFs: median {statistics.median(theirs):.2f} s")
        print(f"ratio collect / pdftotext, paired: median {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
