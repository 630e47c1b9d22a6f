"""Figures a report quotes in its running text (no section of their own): imported as a funds
section kept for its figures alone, which prints nothing, while the text stays as written; the
lines under a title kept; placeholders refused until filled in."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

from conftest import ROOT
from textutil import docx_paragraphs, squash

from reportgen.build import build
from reportgen.checks.validate import check
from reportgen.input.loader import load

CORPUS = ROOT / "tests" / "importing" / "corpus" / "reports"


def _import(name: str, tmp_path) -> tuple[subprocess.CompletedProcess[str], object]:
    target = tmp_path / "r.yaml"
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "import", str(CORPUS / name), "-o", str(target)],
        capture_output=True,
        text=True,
    )
    return result, target


def test_figures_in_running_text_are_kept_and_the_text_prints_as_written(tmp_path):
    result, target = _import("10-卫健委.txt", tmp_path)
    assert result.returncode == 0, result.stderr
    data = load(target).data
    funds = data["基本情况"]["部门整体收支情况"]
    assert funds["句子"] == "不印"
    assert funds["全年预算数"] == Decimal("6543.21") and funds["执行数"] == Decimal("6398.76")
    assert funds["上年"]["执行数"] == Decimal("6012.45")
    assert "1250.00" not in target.read_text(encoding="utf-8").split("部门整体收支情况")[1].split("\n\n")[0]
    checked = check(target)
    assert checked.errors == [], [d.format() for d in checked.errors]
    (docx,) = build(target, tmp_path / "out", ("docx",)).outputs
    text = squash("".join(docx_paragraphs(docx)))
    assert "部门整体收支情况" not in text  # a section kept for its figures prints no heading
    assert "全年预算数为6,543.21万元，实际支出6,398.76万元" in text  # the author's sentence, once
    assert text.count("6,543.21") == 1


def test_the_lines_under_a_title_are_kept_and_name_the_unit(tmp_path):
    result, target = _import("02-市检察院.txt", tmp_path)
    written = target.read_text(encoding="utf-8")
    assert load(target).data["部门名称"] == "南屏市人民检察院"  # 部门(单位)名称, not 填报单位's office
    for line in ("填报单位：南屏市人民检察院计划财务装备处（公章）", "报告日期：2024年3月"):
        assert line in written and line in result.stderr  # in the file as a 请核对 comment, and said


def test_placeholders_are_errors_until_filled_in(tmp_path):
    example = (ROOT / "examples" / "qingxi-nongye-2024.yaml").read_text(encoding="utf-8")
    target = tmp_path / "p.yaml"
    target.write_text(
        example.replace("部门名称: 青溪县农业农村局", "部门名称: （请填写部门全称）").replace(
            "下一步改进措施: |\n", "下一步改进措施: |\n  （请补写）\n"
        ),
        encoding="utf-8",
    )
    errors = [d for d in check(target).errors if d.rule == "占位文字"]
    assert [d.path[0] for d in errors] == ["部门名称", "下一步改进措施"]
    assert "「（请填写部门全称）」是待填写的占位文字" in errors[0].message
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "build", str(target), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and not (tmp_path / "out" / "p.pdf").exists()


def test_a_new_file_names_a_schema_that_travels_with_it(tmp_path):
    """init and import write the schema beside the YAML and name it by a relative path: the
    reference holds when the folder moves to another PC."""
    import json

    from reportgen.input.model import json_schema

    folder = tmp_path / "单位 材料"
    folder.mkdir()
    made = subprocess.run(
        [sys.executable, "-m", "reportgen", "init", str(folder / "新.yaml"), "--name", "某局"],
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    first = (folder / "新.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=report.schema.json"
    assert json.loads((folder / "report.schema.json").read_text(encoding="utf-8")) == json_schema()
    moved = tmp_path / "另一台电脑"
    (folder).rename(moved)
    assert json.loads((moved / "report.schema.json").read_text(encoding="utf-8"))["title"]


def _numbered_docx(path) -> None:
    """A report whose 一、 and （一） Word draws from its list numbering: not in the text."""
    from docx import Document
    from docx.oxml import parse_xml

    doc = Document()
    numbering = doc.part.numbering_part.element
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, text in enumerate(("%1、", "（%2）"))
    )
    numbering.append(parse_xml(f'<w:abstractNum {ns} w:abstractNumId="90">{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {ns} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for text, level in [
        ("2023年度青川县财政局部门整体支出绩效自评报告", None),
        ("部门基本情况", 0),
        ("部门职能", 1),
        ("负责全县财政收支管理。", None),
        ("部门整体收支情况", 1),
        ("全年预算数为1,200.00万元，实际支出1,180.00万元。", None),
        ("综合评价分析", 0),
        ("全年完成各项目标。", None),
        ("存在的主要问题", 0),
        ("预算执行进度不均衡。", None),
        ("下一步改进措施", 0),
        ("加强预算执行监控。", None),
    ]:
        paragraph = doc.add_paragraph(text)
        if level is not None:
            number = f'<w:numPr {ns}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'
            paragraph._p.get_or_add_pPr().append(parse_xml(number))
    doc.save(str(path))


def test_headings_numbered_by_word_keep_the_outline(tmp_path):
    source = tmp_path / "编号.docx"
    _numbered_docx(source)
    target = tmp_path / "r.yaml"
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "import", str(source), "-o", str(target)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    data = load(target).data
    assert list(data)[:2] == ["部门名称", "年度"] and data["部门名称"] == "青川县财政局"
    assert [k for k in data if k not in ("部门名称", "年度", "格式")] == [
        "基本情况",
        "综合评价分析",
        "存在的主要问题",
        "下一步改进措施",
    ]
    assert data["基本情况"]["部门整体收支情况"]["全年预算数"] == Decimal("1200.00")
    assert "预算执行进度不均衡" in data["存在的主要问题"]


SHAPES = """2023年度部门整体支出绩效自评报告
填报单位（盖章）：江北市生态环境局
填报日期：2024年3月18日

一、部门概况
江北市生态环境局负责全市生态环境监督管理。
2023年部门决算支出总额4,526.18万元，较上年（4,255.93万元）增长6.35%，主要原因是大气污染防治专项资金增加。
其中基本支出1,826.18万元，项目支出2,700.00万元；年末结余365.16万元。
二、部门整体支出绩效情况
大气污染防治项目预算500.00万元，实际支出480.00万元，项目自评得分95分。
三、绩效自评结论
我局部门整体支出自评得分92.8分，等级为优。
四、存在问题及原因
部分项目支出进度偏慢，比例提高到
- 1 -
78%以上仍有差距。
五、改进意见
加快项目实施进度。

江北市生态环境局
2024年3月18日
"""


def test_shapes_other_provinces_publish(tmp_path):
    source = tmp_path / "江北.txt"
    source.write_text(SHAPES, encoding="utf-8")
    target = tmp_path / "r.yaml"
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "import", str(source), "-o", str(target)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    data = load(target).data
    assert data["部门名称"] == "江北市生态环境局"  # 填报单位（盖章）：
    funds = data["基本情况"]["部门整体收支情况"]
    assert funds["执行数"] == Decimal("4526.18") and funds["上年"]["执行数"] == Decimal("4255.93")
    assert funds["年末结转和结余"] == Decimal("365.16") and funds["支出性质"]["基本支出"] == Decimal("1826.18")
    assert data["自评得分"] == Decimal("92.8")  # the department's, not the project's 95
    assert "480.00" not in str(funds) and "项目或专项资金的数字" in result.stderr
    assert "存在的主要问题" in data and "下一步改进措施" in data  # 存在问题及原因, 改进意见
    assert "比例提高到78%以上" in squash(str(data["存在的主要问题"]))  # the page line taken out whole
    assert data["落款"] == {"单位": "江北市生态环境局", "日期": "2024年3月18日"}
    assert check(target).errors == []


def test_into_refuses_another_unit_s_workbook(tmp_path):
    from workbooks import write

    book = write(tmp_path / "决算.xlsx")  # 编制单位：青溪县农业农村局
    example = (ROOT / "examples" / "qingxi-nongye-2024.yaml").read_text(encoding="utf-8")
    target = tmp_path / "other.yaml"
    target.write_text(example.replace("部门名称: 青溪县农业农村局", "部门名称: 滏北县水务局"), encoding="utf-8")
    before = target.read_bytes()
    command = [sys.executable, "-m", "reportgen", "import", str(book), "--into", str(target)]
    refused = subprocess.run(command, capture_output=True, text=True)
    assert refused.returncode == 2 and "编制单位是「青溪县农业农村局」" in refused.stderr
    assert target.read_bytes() == before
    assert subprocess.run([*command, "--force"], capture_output=True, text=True).returncode == 0
    assert target.read_bytes() != before
