"""The PDF's Chinese line setting patches WeasyPrint's internals: the version is pinned to the range
it is tested on, and these tests fail when the patch did not take (an upgrade that moved the
internals would otherwise change line breaking in every PDF without a word)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

from conftest import ROOT

# A justified paragraph whose lines cannot be filled exactly: a comma may not start a line, so the
# character before it moves down with it and the line above ends short unless justification
# spreads its characters.
MEASURE = r"""
import io, json, sys
import weasyprint, pdfplumber
from reportgen.render.pdf import justify
if sys.argv[1] == "patched":
    justify.install()
text = "部门整体支出绩效自评，" * 3 + "项目按照年度计划推进，各项指标完成良好，群众满意度较高。" * 6
html = (
    "<style>@page{size:120mm 200mm;margin:10mm}"
    "body{margin:0}p{font-family:FandolFang;font-size:16pt;text-align:justify;width:83mm;margin:0;line-height:24pt}</style>"
    f"<p>{text}</p>"
)
pdf = weasyprint.HTML(string=html).write_pdf()
with pdfplumber.open(io.BytesIO(pdf)) as document:
    chars = [c for c in document.pages[0].chars if c["text"].strip()]
lines = {}
for c in chars:
    lines.setdefault(round(c["top"]), []).append(c)
rows = [sorted(v, key=lambda c: c["x0"]) for _, v in sorted(lines.items())]
ends = []
for row in rows[:-1]:  # the last line of a paragraph is not justified
    last = row[-1] if row[-1]["text"] not in "，。、；：" else row[-2]
    ends.append(last["x1"])
print(json.dumps({"ends": ends, "edge": (10 + 83) * 72 / 25.4}))
"""


def _line_ends(mode: str) -> tuple[list[float], float]:
    import json

    result = subprocess.run(
        [sys.executable, "-c", MEASURE, mode], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    measured = json.loads(result.stdout)
    return measured["ends"], measured["edge"]


def test_the_patch_takes_and_fills_every_line_to_the_right_edge():
    patched, edge = _line_ends("patched")
    plain, _ = _line_ends("plain")
    assert len(patched) >= 5
    # with the patch every full line reaches the edge (a hanging comma may stand past it) ...
    assert all(abs(end - edge) < 0.6 for end in patched), (patched, edge)
    # ... and without it some end short: the measurement sees the difference
    assert any(edge - end > 4 for end in plain), (plain, edge)


def test_the_engine_is_a_version_the_patch_is_tested_on():
    from reportgen.render.pdf import justify

    assert justify.status() is None
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    requirement = next(d for d in dependencies if d.startswith("weasyprint"))
    assert re.search(r">=\s*70\s*,\s*<\s*71", requirement), requirement
    assert justify.TESTED == (70,)


def test_doctor_says_when_the_patch_cannot_take():
    script = (
        "from weasyprint.layout import inline\n"
        "del inline.text_align\n"
        "from reportgen.render.pdf import justify\n"
        "print(justify.status())\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert "WeasyPrint 的内部接口已变（缺少 text_align）" in result.stdout, result.stderr
    assert "PDF 的中文断行和两端对齐与 Word 不同" in result.stdout
    doctor = subprocess.run(
        [sys.executable, "-m", "reportgen", "doctor"], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert re.search(r"\[有  \] PDF 中文排版\s+与 Word 相同的断行", doctor.stdout), doctor.stdout
