"""`import 决算.xlsx --into 文件.yaml`: the officer's file either fully updated and readable, or
left byte for byte as it was — whatever its style (flow mappings, CRLF, a BOM, anchors, GBK)
and however the run ends (an error, a kill)."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from workbooks import QINGXI, write

from reportgen.input.loader import load

EXAMPLE = (ROOT / "examples" / "qingxi-nongye-2024.yaml").read_text(encoding="utf-8")
SOURCES_BLOCK = """    收入来源:
      财政拨款收入: 3012.30
      一般公共预算财政拨款收入: 2812.30
      政府性基金预算财政拨款收入: 200.00
      其他收入: 256.15
"""
NATURE_BLOCK = """    支出性质:
      人员经费: 1046.88
      公用经费: 213.47
      项目支出: 2041.27
"""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reportgen", *args], capture_output=True, text=True)


def _funds(path: Path) -> dict:
    data = load(path).data
    return next(p["部门整体收支情况"] for p in data.values() if isinstance(p, dict) and "部门整体收支情况" in p)


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    return write(tmp_path_factory.mktemp("book") / "决算.xlsx")


STYLES = {
    # the README's own flow mapping for 格式
    "格式": EXAMPLE.replace("自称: 我局\n", "自称: 我局\n格式: {千位分隔符: true}\n"),
    # a flow mapping over two lines, a part the tables add to
    "收入来源": EXAMPLE.replace(
        SOURCES_BLOCK,
        "    收入来源: {财政拨款收入: 3012.30, 一般公共预算财政拨款收入: 2812.30,\n"
        "      政府性基金预算财政拨款收入: 200.00, 其他收入: 256.15}\n",
    ),
    # a flow mapping whose closing brace stands on its own line, after a trailing comma
    "支出性质": EXAMPLE.replace(NATURE_BLOCK, "    支出性质: {人员经费: 1046.88,\n      公用经费: 213.47,\n    }\n"),
    # the whole section on one line
    "整节": EXAMPLE.replace(
        SOURCES_BLOCK + "    年初结转和结余: 185.20\n    本年支出: 3301.62\n" + NATURE_BLOCK,
        "    收入来源: {}\n    年初结转和结余: 185.20\n    本年支出: 3301.62\n    支出性质: {}\n",
    ),
}


@pytest.mark.parametrize("style", list(STYLES))
def test_flow_mappings_take_the_figures_inside_their_braces(book, tmp_path, style):
    target = tmp_path / "q.yaml"
    target.write_text(STYLES[style], encoding="utf-8")
    result = run("import", str(book), "--into", str(target))
    assert result.returncode == 0, result.stderr
    funds = _funds(target)  # it reads back, with the tables' figures where they belong
    assert funds["支出性质"]["基本支出"] == QINGXI["基本支出"]
    assert funds["支出性质"]["人员经费"] == QINGXI["人员经费"]
    assert funds["收入来源"]["其他收入"] == QINGXI["其他收入"]
    assert "国有资本经营预算财政拨款收入" not in funds["收入来源"]  # a part the tables show as 0 is not added
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["格式"]["金额小数位"] == 2
    if style == "格式":
        assert data["格式"]["千位分隔符"] is True
        assert "格式: {千位分隔符: true, 金额小数位: 2}\n" in target.read_text(encoding="utf-8")
    before = STYLES[style].splitlines()
    after = target.read_text(encoding="utf-8").splitlines()
    untouched = [line for line in before if line.startswith("#") or line.startswith("  部门职能")]
    assert all(line in after for line in untouched)


def test_crlf_and_a_bom_come_back_as_they_were(book, tmp_path):
    target = tmp_path / "q.yaml"
    target.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.replace("\n", "\r\n").encode("utf-8"))
    result = run("import", str(book), "--into", str(target))
    assert result.returncode == 0, result.stderr
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\n") == raw.count(b"\r\n") > EXAMPLE.count("\n")  # every line, the new ones too
    assert _funds(target)["支出性质"]["基本支出"] == QINGXI["基本支出"]


def test_a_gbk_file_is_named_and_left_alone(book, tmp_path):
    target = tmp_path / "q.yaml"
    original = EXAMPLE.encode("gb18030")
    target.write_bytes(original)
    result = run("import", str(book), "--into", str(target))
    assert result.returncode == 2
    assert "GBK" in result.stderr and "UTF-8" in result.stderr and "Traceback" not in result.stderr
    assert target.read_bytes() == original


def test_a_file_reportgen_cannot_read_is_named_and_left_alone(book, tmp_path):
    """Anchors (which reportgen refuses) and a syntax error: the officer's to mend first."""
    shared = EXAMPLE.replace(NATURE_BLOCK, "    支出性质: &nature\n      人员经费: 1046.88\n") + "附注: *nature\n"
    broken = EXAMPLE.replace("年度: 2024", "年度: [2024")
    for name, text in (("anchor", shared), ("broken", broken)):
        target = tmp_path / f"{name}.yaml"
        target.write_text(text, encoding="utf-8")
        result = run("import", str(book), "--into", str(target))
        assert result.returncode == 2 and str(target) in result.stderr, result.stderr
        assert "Traceback" not in result.stderr and "内部错误" not in result.stderr
        assert target.read_text(encoding="utf-8") == text
    assert "锚点" in run("import", str(book), "--into", str(tmp_path / "anchor.yaml")).stderr


def test_a_kill_at_any_moment_leaves_the_file_whole(book, tmp_path):
    """Killed at random moments, the file is either the officer's or the finished result."""
    original = STYLES["收入来源"].encode("utf-8")
    finished = tmp_path / "finished.yaml"
    finished.write_bytes(original)
    assert run("import", str(book), "--into", str(finished)).returncode == 0
    outcomes = {original: 0, finished.read_bytes(): 0}
    rng = random.Random(7)
    for trial in range(8):
        target = tmp_path / f"q{trial}.yaml"
        target.write_bytes(original)
        process = subprocess.Popen(
            [sys.executable, "-m", "reportgen", "import", str(book), "--into", str(target)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.2, 1.6))
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = target.read_bytes()
        assert now in outcomes, trial
        outcomes[now] += 1
    assert sum(outcomes.values()) == 8


def test_what_the_tables_lack_is_not_invented(book, tmp_path):
    """The example's figures are the tables': nothing changes, nothing is added but the 基本支出
    the tables give and the two places of 元 amounts."""
    target = tmp_path / "q.yaml"
    target.write_text(EXAMPLE, encoding="utf-8")
    result = run("import", str(book), "--into", str(target))
    assert result.returncode == 0, result.stderr
    added = sorted(set(target.read_text(encoding="utf-8").splitlines()) - set(EXAMPLE.splitlines()))
    assert sorted(line.split("#")[0].strip() for line in added) == ["基本支出: 1260.35", "格式:", "金额小数位: 2"]
    assert _funds(target)["本年支出"] == Decimal("3301.62")


@pytest.mark.parametrize(("three_first", "as_text"), [(True, False), (False, True), (True, True)])
def test_each_table_in_its_own_unit_and_amounts_stored_as_text(tmp_path, three_first, as_text):
    """A 三公 table in 万元 before tables in 元 does not scale the others; "32,684,500.00" typed
    as text is an amount."""
    workbook = write(tmp_path / "决算.xlsx", three_first=three_first, as_text=as_text)
    result = run("import", str(workbook), "-o", str(tmp_path / "new.yaml"))
    assert result.returncode == 0, result.stderr
    funds = _funds(tmp_path / "new.yaml")
    assert funds["本年收入"] == QINGXI["本年收入合计"] and funds["本年支出"] == QINGXI["本年支出合计"]
    assert funds["支出性质"]["基本支出"] == QINGXI["基本支出"] and funds["支出性质"]["公用经费"] == QINGXI["公用经费"]
    assert "金额小数位: 2" in (tmp_path / "new.yaml").read_text(encoding="utf-8")


def test_staff_costs_of_the_budget_alone_are_not_taken_for_all_funds(tmp_path):
    """人员经费 and 公用经费 from the 一般公共预算 table that do not add up to the whole 基本支出
    are named, not written under 支出性质."""
    import openpyxl

    workbook = write(tmp_path / "决算.xlsx")
    book = openpyxl.load_workbook(workbook)
    book["基本支出"]["B3"] = 9_000_000  # 900 万元 of 人员经费 from the budget alone
    book.save(workbook)
    result = run("import", str(workbook), "-o", str(tmp_path / "new.yaml"))
    assert result.returncode == 0, result.stderr
    nature = _funds(tmp_path / "new.yaml")["支出性质"]
    assert "人员经费" not in nature and "公用经费" not in nature
    assert nature["基本支出"] == QINGXI["基本支出"]
    assert "只是一般公共预算财政拨款的部分" in result.stderr and "人员经费 900" in result.stderr
    assert "未找到：人员经费" in result.stderr


def test_a_changed_figure_still_quoted_in_the_text_is_named(book, tmp_path):
    text = EXAMPLE.replace("本年支出: 3301.62", "本年支出: 3300.00").replace(
        "    句子: 在前\n", "    句子: 在前\n    说明: 全年本年支出3300.00万元为预估数\n"
    )
    target = tmp_path / "q.yaml"
    target.write_text(text, encoding="utf-8")
    result = run("import", str(book), "--into", str(target))
    assert result.returncode == 0, result.stderr
    assert "「本年支出」的原数 3300.00 还写在文中" in result.stderr


def test_a_workbook_reaching_far_is_named_before_it_is_read(tmp_path):
    """A stray cell at XFD1048576 would make the reader lay out every cell between: refused at
    once, by the sheet's name, in little time and memory."""
    import xlsxwriter

    vast = tmp_path / "vast.xlsx"
    book = xlsxwriter.Workbook(str(vast))
    sheet = book.add_worksheet("公开01表")
    sheet.write(0, 0, "收入支出决算总表")
    sheet.write(1_048_575, 16_383, "误填")
    book.close()
    from test_hardening_pdfs import measured

    command = [sys.executable, "-m", "reportgen", "import", str(vast), "-o", str(tmp_path / "v.yaml")]
    code, stderr, seconds, peak = measured(command)
    assert code == 2 and "工作表「公开01表」的范围过大（1048576 行 × 16384 列" in stderr
    assert seconds < 10 and peak < 500_000  # KB
    assert not (tmp_path / "v.yaml").exists()


def test_text_amounts_that_are_no_amounts_are_not_taken(tmp_path):
    import openpyxl

    workbook = write(tmp_path / "决算.xlsx")
    book = openpyxl.load_workbook(workbook)
    sheet = book["01收入支出决算总表"]
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == "本年收入合计":
                sheet.cell(cell.row, cell.column + 2).value = "1e999999999"
            if cell.value == "本年支出合计":
                sheet.cell(cell.row, cell.column + 2).value = "sNaN"
    book.save(workbook)
    result = run("import", str(workbook), "-o", str(tmp_path / "n.yaml"))
    assert result.returncode in (0, 1) and "内部错误" not in result.stderr
    funds = _funds(tmp_path / "n.yaml")
    assert "本年收入" not in funds and "本年支出" not in funds
    assert "未找到：本年支出" in result.stderr


def test_into_refuses_another_year_s_workbook(book, tmp_path):
    target = tmp_path / "q.yaml"
    target.write_text(EXAMPLE.replace("年度: 2024", "年度: 2025"), encoding="utf-8")
    before = target.read_bytes()
    refused = run("import", str(book), "--into", str(target))
    assert refused.returncode == 2 and "2024 年度的决算表" in refused.stderr and "2025 年度" in refused.stderr
    assert target.read_bytes() == before
