"""Do Word and PDF paginate alike?  Each example's DOCX printed by LibreOffice (with the official
font names mapped to the PDF's free fonts) against reportgen's own PDF.

    python benchmarks/pagination.py          (needs libreoffice-writer-nogui and poppler-utils)

Prints, per example: our pages, LibreOffice's pages, and how many pages open with the same text.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from libreoffice import compare, print_docx  # noqa: E402

from reportgen.build import build  # noqa: E402


def main() -> None:
    examples = sorted((HERE.parent / "examples").glob("*.yaml"))
    print(f"{'document':<40} {'PDF':>4} {'LO':>4} {'same opening':>13}")
    total_pages = total_same = 0
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for example in examples:
            outputs = build(example, out).outputs
            for docx in (p for p in outputs if p.suffix == ".docx"):
                printed = print_docx(docx, out / "lo")
                ours, theirs, same = compare(docx.with_suffix(".pdf"), printed)
                total_pages += ours
                total_same += same
                flag = "" if ours == theirs and same >= 0.9 * ours else "  ← below the bar"
                print(f"{docx.stem:<40} {ours:>4} {theirs:>4} {same:>6}/{ours:<6}{flag}")
    print(f"\nall documents: {total_same}/{total_pages} pages open with the same text")


if __name__ == "__main__":
    main()
