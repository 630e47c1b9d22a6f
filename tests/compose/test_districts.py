"""District templates as a bureau uses them: its own folder, the docs' worked example, init."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import MINIMAL, ROOT
from lxml import etree
from textutil import docx_paragraphs, squash

from reportgen.build import build
from reportgen.checks.validate import check
from reportgen.errors import InvalidReport

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _text(path: Path) -> str:
    return squash("".join(docx_paragraphs(path)))


def test_worked_example_of_the_docs(tmp_path):
    """docs/templates.md, step by step: a folder outside the project changes a heading, a
    sentence and the rate precision."""
    bureau = tmp_path / "haizhu"
    bureau.mkdir()
    (bureau / "settings.yaml").write_text(
        "名称: 海珠\n说明: 海珠区财政局大纲\n继承: 荔湾\n格式:\n  比率小数位: 1\n"
        "标题改写:\n  综合评价分析: 绩效评价分析\n",
        encoding="utf-8",
    )
    (bureau / "funds.html.j2").write_text(
        "<p>经统计，全年预算数{{ funds.全年预算数 | money }}万元，执行数{{ funds.执行数 | money }}万元，"
        "完成预算的{{ fig.预算完成率 | rate }}。</p>\n",
        encoding="utf-8",
    )
    department = tmp_path / "dept"
    department.mkdir()
    source = department / "某局-2024.yaml"
    source.write_text("模板: ../haizhu\n" + MINIMAL.replace("执行数: 95.00", "执行数: 99.77"), encoding="utf-8")
    built = build(source, tmp_path / "out", ("docx",))
    paragraphs = docx_paragraphs(built.outputs[0])
    assert "二、绩效评价分析" in paragraphs
    assert "经统计，全年预算数100.00万元，执行数99.77万元，完成预算的99.8%。" in paragraphs


def test_command_line_folder_wins_over_the_yaml(write_yaml, tmp_path):
    bureau = tmp_path / "bureau"
    bureau.mkdir()
    (bureau / "settings.yaml").write_text("名称: 某区\n附件标签: 附件7\n", encoding="utf-8")
    path = write_yaml("模板: 越秀\n" + MINIMAL)
    assert docx_paragraphs(build(path, tmp_path / "o", ("docx",), template_dir=bureau).outputs[0])[0] == "附件7"


def test_district_defaults(write_yaml, tmp_path):
    yuexiu = build(write_yaml("模板: 越秀\n" + MINIMAL.replace("综合评价分析", "绩效自评情况"), "y.yaml"), tmp_path)
    paragraphs = docx_paragraphs(yuexiu.outputs[0])
    assert paragraphs[0] == "附件2" and "二、绩效自评情况" in paragraphs and any("95.0%。" in p for p in paragraphs)
    tianhe_source = ROOT / "examples" / "tianhe-zhengfawei-2022.yaml"
    assert check(tianhe_source).kinds == ("自评表",)
    liwan = build(write_yaml("模板: 荔湾\n" + MINIMAL, "l.yaml"), tmp_path)
    assert "一、基本情况" in docx_paragraphs(liwan.outputs[0]) and liwan.outputs[0].name == "l.docx"


def test_reference_docx_styles_are_used(write_yaml, tmp_path):
    bureau = tmp_path / "bureau"
    bureau.mkdir()
    (bureau / "settings.yaml").write_text("名称: 某区\n", encoding="utf-8")
    reference = docx.Document()
    normal = reference.styles["Normal"]
    normal.font.name = "某参考字体"
    normal.font.size = docx.shared.Pt(15)
    reference.save(bureau / "reference.docx")
    out = build(write_yaml(MINIMAL), tmp_path / "o", ("docx",), template_dir=bureau).outputs[0]
    with zipfile.ZipFile(out) as z:
        styles = etree.fromstring(z.read("word/styles.xml"))
    normal_xml = styles.find(f"{W}style[@{W}styleId='Normal']")
    assert normal_xml.find(f"{W}rPr/{W}rFonts").get(f"{W}ascii") == "某参考字体"
    assert normal_xml.find(f"{W}rPr/{W}sz").get(f"{W}val") == "30"
    # what the reference lacks is still added: headings, the title, the page numbers
    assert styles.find(f"{W}style[@{W}styleId='Heading1']") is not None
    assert "全年预算数100.00万元" in _text(out)


def test_layout_settings_in_chinese(write_yaml, tmp_path):
    bureau = tmp_path / "bureau"
    bureau.mkdir()
    (bureau / "settings.yaml").write_text("名称: 某区\n版式:\n  正文字号: 15\n  表格字号: 12\n", encoding="utf-8")
    out = build(write_yaml(MINIMAL), tmp_path / "o", ("docx",), template_dir=bureau).outputs[0]
    with zipfile.ZipFile(out) as z:
        styles = etree.fromstring(z.read("word/styles.xml"))
    assert styles.find(f"{W}style[@{W}styleId='Normal']/{W}rPr/{W}sz").get(f"{W}val") == "30"
    (bureau / "settings.yaml").write_text("名称: 某区\n版式:\n  字号: 15\n", encoding="utf-8")
    with pytest.raises(InvalidReport) as err:
        build(write_yaml(MINIMAL, "b.yaml"), tmp_path / "o", ("docx",), template_dir=bureau)
    (problem,) = err.value.diagnostics
    expected = "错误: ［版式 › 字号］未知的键「字号」；是否想写「页码字号」？"
    assert problem.format() == f"{bureau / 'settings.yaml'}:3:3: {expected}"


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reportgen", *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize("template", ["荔湾", "越秀", "黄埔", "天河", None])
def test_init_validates_with_warnings_and_builds(tmp_path, template):
    args = ["init", "new.yaml", "--name", "测试局", "--year", "2024"] + (["--template", template] if template else [])
    result = _cli(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "new.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=report.schema.json\n")
    assert (tmp_path / "report.schema.json").is_file()  # beside the file, so the reference travels
    assert all(
        "  # " in line for line in text.splitlines() if line.strip() and ":" in line and not line.startswith("#")
    )
    checked = check(tmp_path / "new.yaml")
    assert checked.errors == []
    assert {d.rule for d in checked.warnings} == {"未填写"}
    blank = {line.split(":")[0].strip() for line in text.splitlines() if re.match(r"^ *[^#\s-][^:]*:( \|)?  #", line)}
    figures = {"全年预算数", "执行数", "年初预算数", "一般公共预算财政拨款", "基本支出", "项目支出", "年末结转和结余"}
    assert figures <= blank
    if template == "天河":  # the table's own parts are left for the author too
        figures |= {"预期目标", "完成情况", "指标", "涉及资金"}
    assert figures <= {d.path[-1] for d in checked.warnings}
    assert {d.path[-1] for d in checked.warnings} <= blank | {"预期目标", "完成情况", "指标"}
    result = _cli("build", "new.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    if template == "天河":
        assert (tmp_path / "new-自评表.pdf").is_file()
    else:
        assert (tmp_path / "new.pdf").is_file()


def test_init_never_overwrites(tmp_path):
    (tmp_path / "a.yaml").write_text("部门名称: 原有内容\n", encoding="utf-8")
    result = _cli("init", "a.yaml", cwd=tmp_path)
    assert result.returncode == 1 and "不会覆盖" in result.stderr
    assert (tmp_path / "a.yaml").read_text(encoding="utf-8") == "部门名称: 原有内容\n"


def test_templates_lists_where_each_comes_from(tmp_path):
    result = _cli("templates", cwd=tmp_path)
    assert result.returncode == 0
    for name in ("通用", "荔湾", "越秀", "黄埔", "天河"):
        assert name in result.stdout
    assert "继承：广州 → 通用" in result.stdout and "继承：无（其他模板都以它为基础）" in result.stdout


def test_init_from_a_bureau_folder_follows_its_outline(tmp_path):
    bureau = tmp_path / "枫林县模板"
    bureau.mkdir()
    source = ROOT / "examples" / "枫林县财政局模板" / "settings.yaml"
    (bureau / "settings.yaml").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    department = tmp_path / "dept"
    department.mkdir()
    result = _cli("init", "dept/new.yaml", "--template", "./枫林县模板", "--name", "某局", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = (department / "new.yaml").read_text(encoding="utf-8")
    assert "模板: ../枫林县模板" in text  # relative to the new file, so it resolves from there
    keys = [line.split(":")[0] for line in text.splitlines() if re.match(r"^[^#\s]", line)]
    assert keys[keys.index("前言") :] == [
        "前言",
        "自评得分情况",
        "部门基本情况",
        "绩效目标完成情况",
        "存在的问题",
        "改进措施及建议",
    ]
    assert "  机构和人员:" in text and "  部门整体收支情况:" in text
    checked = check(department / "new.yaml")
    assert checked.errors == [] and {d.rule for d in checked.warnings} == {"未填写"}
    assert _cli("build", "new.yaml", cwd=department).returncode == 0
