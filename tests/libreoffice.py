"""Printing a Word file with LibreOffice, with the official font names mapped to the free fonts
the PDF uses, and comparing its pages with reportgen's own PDF.

LibreOffice stands in for Word, which sets closing marks hanging past the edge.  The Word file
says so (w:overflowPunct on), and LibreOffice reads that property the other way round: as
shipped, LibreOffice does not hang (so that its print drops no mark).  To print the lines Word
sets, `as_word` prints a copy without the property, which LibreOffice then hangs as Word does.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

from textutil import pdf_pages, squash

ROOT = Path(__file__).resolve().parent.parent
FONTCONFIG = ROOT / "scripts" / "fontconfig" / "reportgen-official-names.conf"
_NUMBER = re.compile(r"—\s*\d+\s*—\s*$")


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise RuntimeError("LibreOffice is not installed: run scripts/setup.sh --dev")
    return found


def print_docx(docx: Path, out_dir: Path, *, as_word: bool = True) -> Path:
    """LibreOffice's PDF of the Word file: setting lines as Word does (`as_word`), or the file
    exactly as shipped."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if as_word:
        docx = _hanging(docx, out_dir / "as-word")
    profile = out_dir / "lo-profile"
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTCONFIG), "HOME": str(out_dir)}
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(docx),
        ],
        check=True,
        capture_output=True,
        env=env,
        timeout=300,
    )
    return out_dir / f"{docx.stem}.pdf"


def _hanging(docx: Path, folder: Path) -> Path:
    """A copy of the Word file without w:overflowPunct: LibreOffice then hangs closing marks."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / docx.name
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/styles.xml":
                data = re.sub(rb"<w:overflowPunct[^>]*/>", b"", data)
            copy.writestr(info, data)
    return target


def page_openings(pdf: Path, length: int = 12) -> list[str]:
    """The first characters of each page's text, page numbers and whitespace removed."""
    return [_NUMBER.sub("", squash(page))[:length] for page in pdf_pages(pdf)]


def compare(ours: Path, printed: Path) -> tuple[int, int, int]:
    """(our pages, LibreOffice's pages, pages that open with the same text)."""
    a, b = page_openings(ours), page_openings(printed)
    same = sum(1 for x, y in zip(a, b, strict=False) if x == y)
    return len(a), len(b), same
