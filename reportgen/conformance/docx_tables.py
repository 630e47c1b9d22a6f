"""What a reader would see wrong in a Word file's tables and titles, read from its XML: a table
of many rows whose column headings do not repeat, a table's lead-in that may stay behind at a
page foot, a cell line that splits a figure or leaves one character of a short label, a title
line of one character, a page number or heading set bold, a turned page whose number lies at
its foot.  The PDF's counterparts read the pages (pdf_tables.py); these read the settings Word
will lay out by.
"""

from __future__ import annotations

import re
from typing import Any

from reportgen.conformance.pdf_tables import SHORT, broken_lines

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LEAD_IN = re.compile(r"[：:]$|如下表|见下表|单位[：:]\s*(?:万元|元|%|人)")
MANY_ROWS = 6  # a table this long may run onto another page
_LABEL = re.compile(r"^[^\d%．.]{1,12}$")


def _text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def cell_lines(cell: Any) -> list[str]:
    """A cell's lines as Word breaks them by hand: its paragraphs, and each paragraph's <w:br>."""
    lines: list[str] = []
    for p in cell.findall(f"{W}p"):
        line = ""
        for node in p.iter(f"{W}t", f"{W}br"):
            if node.tag == f"{W}br":
                lines.append(line)
                line = ""
            else:
                line += node.text or ""
        lines.append(line)
    return [line.strip() for line in lines if line.strip()]


def headings_unrepeated(doc: Any) -> list[str]:
    """Tables of many rows whose first row is a row of column headings not marked to repeat."""
    missing = []
    for table in doc.iter(f"{W}tbl"):
        rows = table.findall(f"{W}tr")
        if len(rows) < MANY_ROWS:
            continue
        cells = [_text(tc).strip() for tc in rows[0].findall(f"{W}tc")]
        headings = len(cells) >= 3 and all(_LABEL.match(c) for c in cells if c)
        if headings and rows[0].find(f"{W}trPr/{W}tblHeader") is None:
            missing.append("|".join(cells)[:24])
    return missing


def lead_ins_loose(body: Any, keeps: Any) -> list[str]:
    """Paragraphs just before a table that introduce it and are not kept with it; `keeps` tells
    whether a paragraph keeps with the next (its own setting or its style's)."""
    loose = []
    for table in body.iter(f"{W}tbl"):
        before = table.getprevious()
        if before is None or before.tag != f"{W}p":
            continue
        if before.find(f"{W}pPr/{W}sectPr") is not None:
            continue  # the table opens a section of its own (turned across the sheet): a new page
        text = _text(before).strip()
        if text and LEAD_IN.search(text) and not keeps(before):
            loose.append(text[-16:])
    return loose


def broken_cells(doc: Any) -> list[str]:
    bad = []
    for cell in doc.iter(f"{W}tc"):
        lines = cell_lines(cell)
        if broken_lines(lines, SHORT):
            bad.append(" / ".join(lines))
    return bad
