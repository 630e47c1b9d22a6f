"""`reportgen collect`: the bureau's workbook, read back with a second library (openpyxl) and
compared with the departments' own YAML files."""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT
from textutil import pdf_pages

from reportgen.collect.workbook import display_width
from reportgen.input.loader import load


def _figures(name: str) -> dict[str, object]:
    data = load(ROOT / "examples" / f"{name}.yaml").data
    funds = next(
        (part["部门整体收支情况"] for part in data.values() if isinstance(part, dict) and "部门整体收支情况" in part),
        {},
    )
    return {"unit": data["部门名称"], "year": data["年度"], **funds}


@pytest.fixture(scope="module")
def collected(every_example, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    folder = tmp_path_factory.mktemp("submitted")
    inbox = folder / "收到的文件"
    inbox.mkdir()
    for pdf in (p for p in every_example if p.suffix == ".pdf"):
        shutil.copy(pdf, inbox / pdf.name)
    # 枫林's YAML names its bureau's template beside it, as the bureau keeps it
    shutil.copytree(ROOT / "examples" / "枫林县财政局模板", inbox / "枫林县财政局模板")
    (inbox / "损坏的.pdf").write_bytes((inbox / "hexi-zhengfawei-2024.pdf").read_bytes()[:3000])
    (inbox / "填错的.yaml").write_text("部门名称: 某单位\n年度: 2024\n基本情况:\n  部门职能: 略\n", encoding="utf-8")
    out = folder / "汇总.xlsx"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "reportgen",
            "collect",
            str(inbox),
            "-o",
            str(out),
            "--summary",
            str(folder / "汇总.pdf"),
        ],
        capture_output=True,
        text=True,
    )
    return out, result


def test_one_row_per_department_with_its_figures(collected):
    out, result = collected
    assert result.returncode == 0, result.stderr
    assert "共 13 份：可读 12 份（其中有错误 1 份），无法读取 1 份" in result.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["汇总", "问题", "指标"]
    sheet = book["汇总"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    rows = {
        r[header.index("文件")]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert len(rows) == 13  # eleven departments (a report and its 自评表 count once), two bad files
    names = {p.stem.removesuffix("-自评表") for p in (ROOT / "examples").glob("*.yaml")}
    for name in names:
        row = next(v for k, v in rows.items() if k.startswith(name))
        expected = _figures(name)
        assert row["单位"] == expected["unit"] and row["年度"] == expected["year"]
        budget, spent = expected.get("全年预算数"), expected.get("执行数")
        assert row["全年预算数（万元）"] == (float(budget) if budget is not None else None)
        assert row["执行数（万元）"] == (float(spent) if spent is not None else row["执行数（万元）"])
        if budget is not None and spent is not None:
            assert row["预算完成率"] == pytest.approx(float(Decimal(spent) / Decimal(budget)), abs=1e-12)
    assert rows["jiangcheng-fagai-2024.pdf"]["自评得分"] == 98.11 and rows["jiangcheng-fagai-2024.pdf"]["等级"] == "优"
    assert rows["sample-jiedao-2024-自评表.pdf"]["自评得分"] == 94.28
    fenglin = next(v for k, v in rows.items() if k.startswith("fenglin-caizheng-2024"))
    assert fenglin["错误"] == 0  # its template was found beside it
    assert rows["损坏的.pdf"]["状态"].startswith("无法读取") and rows["损坏的.pdf"]["错误"] is None
    assert rows["填错的.yaml"]["错误"] >= 3 and rows["填错的.yaml"]["单位"] == "某单位"


def test_numbers_are_numbers_and_columns_fit(collected):
    out, _ = collected
    sheet = openpyxl.load_workbook(out)["汇总"]
    header = [c.value for c in sheet[1]]
    money = header.index("执行数（万元）") + 1
    rate = header.index("预算完成率") + 1
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row, money)
        if cell.value is not None:
            assert isinstance(cell.value, float | int) and cell.number_format == "#,##0.00"
        cell = sheet.cell(row, rate)
        if cell.value is not None:
            assert isinstance(cell.value, float) and cell.number_format == "0.00%"
    longest = max(display_width(str(c.value)) for c in sheet["A"] if c.value)
    assert sheet.column_dimensions["A"].width >= longest


def test_every_problem_and_every_indicator_is_listed(collected):
    out, _ = collected
    book = openpyxl.load_workbook(out)
    problems = list(book["问题"].iter_rows(min_row=2, values_only=True))
    assert any(p[0] == "损坏的.pdf" and p[1] == "无法读取" and "损坏" in p[3] for p in problems)
    mine = [p for p in problems if p[0] == "某单位"]
    assert any("缺少第二部分" in p[3] for p in mine) and all(p[4].startswith("填错的.yaml:") for p in mine)
    indicators = list(book["指标"].iter_rows(min_row=2, values_only=True))
    jiangcheng = [r for r in indicators if r[0] == "江城市发展和改革委员会"]
    assert len(jiangcheng) == 7 and sum(r[9] for r in jiangcheng) == pytest.approx(98.11 - 9.76, abs=0.01)


def test_the_printable_summary(collected):
    out, _ = collected
    text = "".join(pdf_pages(out.parent / "汇总.pdf"))
    assert "部门整体支出绩效自评汇总" in text and "江城市发展和改革委员会" in text and "98.11" in text


def test_nothing_to_collect_is_one_message(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "collect", str(tmp_path), "-o", str(tmp_path / "x.xlsx")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "没有 PDF 或 YAML 文件" in result.stderr
    assert not (tmp_path / "x.xlsx").exists()


def _swap_attachment(pdf: Path, data: bytes) -> None:
    """The PDF's attached YAML replaced by other bytes, its pages left as they were."""
    import pikepdf

    with pikepdf.open(pdf, allow_overwriting_input=True) as document:
        (name,) = list(document.attachments)
        document.attachments[name] = pikepdf.AttachedFileSpec(document, data, filename=name)
        document.save(pdf)


def test_a_pdf_whose_pages_say_something_else_is_flagged(tmp_path):
    """Pages built from one department's file, the YAML of another attached: the row is the
    attached YAML's, flagged as an error; the PDF built from its own YAML is not."""
    from reportgen.build import build

    source = ROOT / "examples" / "qingxi-nongye-2024.yaml"
    other = tmp_path / "other.yaml"
    other.write_text(
        source.read_text(encoding="utf-8").replace("青溪县农业农村局", "白沙县水利局").replace("3301.62", "3399.62"),
        encoding="utf-8",
    )
    (honest,) = build(source, tmp_path / "honest", ("pdf",)).outputs
    (forged,) = build(source, tmp_path / "forged", ("pdf",)).outputs
    _swap_attachment(forged, other.read_bytes())
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "collect", str(honest), str(forged), "-o", str(tmp_path / "s.xlsx")],
        capture_output=True,
        text=True,
    )
    assert result.returncode in (0, 1), result.stderr
    book = openpyxl.load_workbook(tmp_path / "s.xlsx")
    problems = [[c.value for c in row] for row in book["问题"].iter_rows(min_row=2)]
    flagged = [p for p in problems if p[2] == "页面与附件"]
    assert len(flagged) == 1 and flagged[0][0] == "白沙县水利局"
    assert "页面上没有" in flagged[0][3] and "白沙县水利局" in flagged[0][3]


def test_extract_warns_of_pages_that_say_something_else(tmp_path):
    from reportgen.build import build

    source = ROOT / "examples" / "qingxi-nongye-2024.yaml"
    (forged,) = build(source, tmp_path / "forged", ("pdf",)).outputs
    _swap_attachment(forged, source.read_bytes().replace(b"3301.62", b"3399.62"))
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "extract", str(forged), "-o", str(tmp_path / "x.yaml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and "警告: PDF 页面上的文字与所附的 YAML 不符" in result.stderr
    (honest,) = build(source, tmp_path / "honest", ("pdf",)).outputs
    clean = subprocess.run(
        [sys.executable, "-m", "reportgen", "extract", str(honest), "-o", str(tmp_path / "y.yaml")],
        capture_output=True,
        text=True,
    )
    assert clean.returncode == 0 and "不符" not in clean.stderr
