"""The national 自评表 (财预〔2020〕10号's form) as the base, and a bureau's variant made from
settings alone: cells read back from both files, real merges, landscape where the columns need
it, the checks that belong to the form."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT
from lxml import etree
from textutil import pdf_pages, row_cells, squash

from reportgen.build import build
from reportgen.checks.validate import check
from reportgen.conformance import docx_rules, pdf_rules

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _tables(docx: Path) -> list[etree._Element]:
    with zipfile.ZipFile(docx) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return list(root.iter(f"{W}tbl"))


def _rows(docx: Path) -> list[list[tuple[str, int, str | None]]]:
    """The form's rows, its two tables one after the other: (text, grid columns spanned, vertical
    merge) for each cell."""
    return [row_cells(tr) for tbl in _tables(docx) for tr in tbl.findall(f"{W}tr")]


def _texts(row: list[tuple[str, int, str | None]]) -> list[str]:
    return [text for text, _, merge in row if merge != "continue"]


def _row(rows, first: str) -> list[str]:
    return next(_texts(r) for r in rows if _texts(r) and first in _texts(r))


def _page(docx: Path) -> tuple[int, int, str | None]:
    with zipfile.ZipFile(docx) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    size = root.find(f".//{W}sectPr/{W}pgSz")
    return int(size.get(f"{W}w")), int(size.get(f"{W}h")), size.get(f"{W}orient")


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    out = tmp_path_factory.mktemp("national")
    built = build(ROOT / "examples" / "yunxi-zhongxue-2024.yaml", out, kinds=("自评表",))
    return {p.suffix[1:]: p for p in built.outputs}


@pytest.fixture(scope="module")
def variant(tmp_path_factory):
    out = tmp_path_factory.mktemp("variant")
    built = build(ROOT / "examples" / "fenglin-caizheng-2024.yaml", out, kinds=("自评表",))
    return {p.suffix[1:]: p for p in built.outputs}


def test_national_form_cells_in_both_files(national):
    rows = _rows(national["docx"])
    assert _texts(rows[0]) == ["部门（单位）名称", "云溪市第二中学", "评价年度", "2024年"]
    assert _row(rows, "年度资金总额") == ["年度资金总额", "4200.00", "4560.00", "4468.80", "10", "98.00%", "9.80"]
    assert _row(rows, "其中：一般公共预算财政拨款") == [
        "其中：一般公共预算财政拨款", "3900.00", "4180.00", "4096.40", "—", "98.00%", "—",
    ]  # fmt: skip
    assert _row(rows, "其他资金")[1:4] == ["300.00", "380.00", "372.40"]
    assert not any("政府性基金" in "".join(_texts(r)) for r in rows)  # sources not written are not printed
    heading = _row(rows, "三级指标")
    assert heading == [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ]
    training = _row(rows, "教师培训人次")
    assert training[-4:-1] == ["276人次", "10", "9.20"] and training[-1].startswith("两期集中培训")
    assert _row(rows, "总分") == ["总分", "100", "97.50", "自评等级：优"]
    pdf = squash("".join(pdf_pages(national["pdf"])))
    for row in rows:
        for text, _, _ in row:
            assert squash(text) in pdf, text


def test_national_form_merges_and_header(national):
    rows = _rows(national["docx"])
    block, indicators = _tables(national["docx"])
    # the indicator table's headings are its first row, repeated on each page; the block above
    # repeats nothing, and leaves the rule where they meet to the table below
    assert block.find(f"{W}tr/{W}trPr/{W}tblHeader") is None
    assert [squash(t) for t, _, _ in row_cells(indicators.find(f"{W}tr"))][:3] == ["一级指标", "二级指标", "三级指标"]
    assert indicators.find(f"{W}tr/{W}trPr/{W}tblHeader") is not None
    assert block.find(f"{W}tblPr/{W}tblBorders/{W}bottom").get(f"{W}val") == "nil"
    joint = block.getnext()
    assert joint.tag == f"{W}p" and joint.getnext() is indicators
    assert joint.find(f"{W}pPr/{W}keepNext") is not None
    for tbl in (block, indicators):  # every row fills its table's grid
        grid = len(tbl.find(f"{W}tblGrid"))
        assert all(sum(span for _, span, _ in row_cells(tr)) == grid for tr in tbl.findall(f"{W}tr"))
    output = [r for r in rows if r and r[0][0] == "产出指标"]
    assert len(output) == 1 and output[0][0][2] == "restart"
    at = rows.index(output[0])
    assert [r[0][2] for r in rows[at + 1 : at + 4]] == ["continue"] * 3  # four 产出 rows, one merged cell
    budget = next(r for r in rows if r[0][0] == "年度预算执行情况（万元）")
    assert budget[0][2] == "restart"
    assert _page(national["docx"])[0] < _page(national["docx"])[1]  # eight columns fit upright


def test_national_form_passes_check_layout(national):
    for outcome in pdf_rules.check(national["pdf"]) + docx_rules.check(national["docx"]):
        assert outcome.ok, outcome


def test_variant_is_landscape_with_its_columns_and_score_first(variant):
    rows = _rows(variant["docx"])
    assert _texts(rows[1]) == ["自评得分", "93分", "自评等级", "优"]  # the score right under the header
    assert _row(rows, "三级指标") == [
        "一级指标", "二级指标", "三级指标", "指标性质", "核心指标", "年初指标值",
        "调整后指标值", "实际完成值", "分值", "得分系数", "得分", "偏差原因分析",
    ]  # fmt: skip
    evaluated = _row(rows, "重点项目绩效评价数")
    assert evaluated[1:9] == ["定量", "是", "≥25个", "≥20个", "18个", "10", "0.90", "9"]  # 得分小数位: 0
    managed = _row(rows, "预算绩效管理制度")
    assert managed[managed.index("预算绩效管理制度") + 1] == "定性"  # no number in its target
    # weights as data: budget execution is worth 20 in this bureau's sheet
    assert _row(rows, "年度资金总额") == ["年度资金总额", "1,800.00", "1,842.60", "1,796.02", "20", "97.47%", "19"]
    assert "年度绩效目标" in _texts(next(r for r in rows if "预期目标" in _texts(r)))
    width, height, orient = _page(variant["docx"])
    assert width > height and orient == "landscape"
    import pdfplumber

    with pdfplumber.open(variant["pdf"]) as pdf:
        assert all(page.width > page.height for page in pdf.pages)
    text = squash("".join(pdf_pages(variant["pdf"])))
    assert "自评得分93分自评等级优" in text and "偏差原因分析" in text


def test_variant_passes_check_layout(variant):
    for outcome in pdf_rules.check(variant["pdf"]) + docx_rules.check(variant["docx"]):
        assert outcome.ok, outcome


def _bureau(tmp_path: Path, form: str) -> Path:
    """A bureau's folder whose settings say only how its 自评表 differs, and a copy of the school."""
    folder = tmp_path / "某市模板"
    folder.mkdir()
    (folder / "settings.yaml").write_text(f"名称: 某市\n继承: base\n自评表:\n{form}", encoding="utf-8")
    text = (ROOT / "examples" / "yunxi-zhongxue-2024.yaml").read_text(encoding="utf-8")
    target = tmp_path / "school.yaml"
    target.write_text(text.replace("自称: 我校\n", "自称: 我校\n模板: ./某市模板\n"), encoding="utf-8")
    return target


def test_a_bureau_renames_drops_and_reorders_columns(tmp_path):
    source = _bureau(
        tmp_path,
        "  指标列: [一级指标, 三级指标, {列: 得分, 标题: 自评得分}, 分值, 完成率]\n"
        "  行标题: {总分: 合计}\n  纸张方向: 纵向\n",
    )
    built = build(source, tmp_path / "out", ("docx",), kinds=("自评表",))
    rows = _rows(built.outputs[0])
    assert _row(rows, "三级指标") == ["一级指标", "三级指标", "自评得分", "分值", "完成率"]
    assert _row(rows, "教师培训人次") == ["教师培训人次", "9.20", "10", "92.00%"]
    assert _row(rows, "合计") == ["合计", "97.50", "100", "自评等级：优"]


def test_an_unknown_column_is_named_with_its_line(tmp_path):
    source = _bureau(tmp_path, "  指标列: [一级指标, 二级指标, 三级指标, 目标值]\n")
    found = [d for d in check(source, kinds=("自评表",)).diagnostics if "目标值" in d.message]
    assert len(found) == 1
    assert Path(found[0].file).name == "settings.yaml" and found[0].line == 4 and found[0].column == 27
    assert "可用：一级指标、二级指标" in found[0].message


def _school(tmp_path: Path, old: str, new: str) -> Path:
    text = (ROOT / "examples" / "yunxi-zhongxue-2024.yaml").read_text(encoding="utf-8")
    assert old in text
    target = tmp_path / "school.yaml"
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def _messages(path: Path, kinds=("自评表",)) -> list[str]:
    return [d.message for d in check(path, kinds=kinds).diagnostics]


def test_full_marks_on_an_unmet_target_warns(tmp_path):
    source = _school(tmp_path, "    实际完成值: 276人次\n", "    实际完成值: 276人次\n    得分: 10\n")
    found = [m for m in _messages(source) if "满分" in m]
    assert found == [
        "指标「教师培训人次」未达到年度指标值（完成率 92.00%），手填的得分却是满分 10："
        "未完成的定量指标按完成比例计分（自评表印 9.20），并写明「偏差原因」"
    ]


def test_typed_grade_against_the_bands(tmp_path):
    source = _school(tmp_path, "自评等级: 优\n", "自评等级: 良\n")
    assert any("手填的自评等级“良”与得分 97.50 分按评分表分档的“优”不符" in m for m in _messages(source))


def test_typed_total_against_the_sum(tmp_path):
    source = _school(tmp_path, "自评得分: 97.50\n", "自评得分: 99\n")
    assert any("手填的自评得分 99 与按评分表计算的 97.50（优）不符" in m for m in _messages(source))


def test_source_rows_must_add_up(tmp_path):
    source = _school(tmp_path, "{年初预算数: 300.00, 全年预算数: 380.00}", "{年初预算数: 300.00, 全年预算数: 390.00}")
    assert "各资金来源的全年预算数合计 4570.00 万元，与全年预算数 4560.00 万元不符（相差 10.00 万元）" in _messages(
        source
    )


def test_the_form_names_what_it_needs(tmp_path):
    text = (ROOT / "examples" / "yunxi-zhongxue-2024.yaml").read_text(encoding="utf-8")
    target = tmp_path / "school.yaml"
    target.write_text(text[: text.index("绩效指标:\n")], encoding="utf-8")
    messages = _messages(target)
    assert "自评表需要「绩效指标」（各项指标的分值、年度指标值和实际完成值）" in messages
    assert "自评表需要「年度目标」（预期目标与完成情况）" in messages
    assert not [m for m in _messages(target, kinds=("报告",)) if "自评表需要" in m]


def test_tianhe_keeps_its_own_form(tmp_path):
    """Tianhe's form is a variant: its own table block and its own needs."""
    folder = ROOT / "templates" / "tianhe"
    assert (folder / "table.html.j2").is_file() and "主要任务" in (folder / "table.html.j2").read_text("utf-8")
    shutil.copy(ROOT / "examples" / "yunxi-zhongxue-2024.yaml", tmp_path / "a.yaml")
    text = (tmp_path / "a.yaml").read_text("utf-8").replace("自称: 我校\n", "自称: 我校\n模板: 天河\n")
    (tmp_path / "a.yaml").write_text(text, "utf-8")
    assert "自评表需要「主要任务」（各项任务及关键指标）" in _messages(tmp_path / "a.yaml")


def test_a_bundle_turns_only_the_wide_form(tmp_path):
    """The report upright, its wide 自评表 across the sheet, numbered on; check-layout measures
    each page by its own way up."""
    import pdfplumber

    built = build(ROOT / "examples" / "fenglin-caizheng-2024.yaml", tmp_path, ("pdf",), bundle=True)
    bundle = next(p for p in built.outputs if p.stem.endswith("合订"))
    with pdfplumber.open(bundle) as pdf:
        ways = [page.width > page.height for page in pdf.pages]
        texts = [squash(page.extract_text() or "") for page in pdf.pages]
    first_form = next(i for i, text in enumerate(texts) if "附件1" in text)
    assert ways[:first_form] == [False] * first_form and all(ways[first_form:])
    assert [t.rsplit("—", 2)[-2] for t in texts] == [str(n) for n in range(1, len(texts) + 1)]
    assert all(outcome.ok for outcome in pdf_rules.check(bundle)), pdf_rules.check(bundle)


def test_a_broken_template_is_the_only_complaint(tmp_path):
    """A bureau's settings with a mistake: its errors, and no warnings judged by another template."""
    source = _bureau(tmp_path, "  得分再前: true\n")
    found = check(source, kinds=("报告", "自评表")).diagnostics
    assert [Path(d.file).name for d in found] == ["settings.yaml"]
    assert "得分再前" in found[0].message


def test_core_indicator_as_yes_or_no_and_points_in_their_unit(tmp_path):
    source = _school(tmp_path, "三级指标: 在校学生数, 分值: 15,", "三级指标: 在校学生数, 核心指标: 是, 分值: 15分,")
    messages = _messages(source)
    assert "应填数字，不要加引号、千位分隔符或单位：写成 15" in messages
    assert not [m for m in messages if "核心指标" in m]
