"""`reportgen import` and `init --from`: the seeds' text, the tool's own Word and PDF files and
部门决算 workbooks become YAML that validates, builds and says again what the source said."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, seed_path
from textutil import docx_paragraphs, missing_sentences, seed_sentences, squash
from workbooks import QINGXI, write

from reportgen.build import build
from reportgen.checks.validate import check
from reportgen.input.loader import load


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reportgen", *args], capture_output=True, text=True, cwd=cwd)


def _funds(path: Path) -> dict:
    data = load(path).data
    return next(p["部门整体收支情况"] for p in data.values() if isinstance(p, dict) and "部门整体收支情况" in p)


def _recall(yaml_path: Path, seed: Path, out: Path) -> tuple[int, int]:
    checked = check(yaml_path)
    assert checked.errors == [], [d.format() for d in checked.errors]
    (docx,) = build(yaml_path, out, ("docx",)).outputs
    missing = missing_sentences(seed, "\n".join(docx_paragraphs(docx)))
    total = len(seed_sentences(seed))
    return total - len(missing), total


@pytest.mark.parametrize("number", sorted(EXAMPLES))
def test_each_seed_comes_back_sentence_for_sentence(number, tmp_path):
    """With no template given, as a new user would run it: every sentence of the seed is in the
    document built from the imported YAML."""
    seed = seed_path(number)
    result = run("import", str(seed), "-o", str(tmp_path / "x.yaml"))
    assert result.returncode == 0, result.stderr
    assert "校验：0 个错误" in result.stderr
    found, total = _recall(tmp_path / "x.yaml", seed, tmp_path / "out")
    assert found == total, f"{number}: {found}/{total}"


def test_seed_000_figures_are_in_their_keys_and_its_sentences_come_from_the_template(tmp_path):
    assert run("import", str(seed_path("000")), "-o", str(tmp_path / "x.yaml"), "--template", "荔湾").returncode == 0
    data = load(tmp_path / "x.yaml").data
    assert data["部门名称"] == "广州市公安局荔湾区分局" and data["年度"] == 2022 and data["模板"] == "荔湾"
    funds = _funds(tmp_path / "x.yaml")
    assert funds["全年预算数"] == Decimal("150490.53") and funds["执行数"] == Decimal("150147.52")
    assert funds["资金来源"]["政府性基金预算财政拨款"] == Decimal("4465.47")
    assert funds["支出性质"] == {"基本支出": Decimal("116217.91"), "项目支出": Decimal("33929.61")}
    assert funds["年末结转和结余"] == Decimal("1427.25") and data["格式"] == {"千位分隔符": True}
    assert "内容" not in funds and "句子" not in funds  # the template writes the same sentences
    assert data["自评得分"] == Decimal("97.91")


def test_a_funds_paragraph_the_template_would_write_otherwise_is_kept_as_written(tmp_path):
    """Seed 001 prints 99.3% under 越秀's one-place rates but prefixes the unit's name: its own
    sentences stay and the template's are turned off, the figures still in their keys."""
    assert run("import", str(seed_path("001")), "-o", str(tmp_path / "x.yaml")).returncode == 0
    funds = _funds(tmp_path / "x.yaml")
    assert funds["句子"] == "不印" and funds["全年预算数"] == Decimal("200963.70")
    assert "越秀区公安分局2023年度全年预算数200963.70万元" in squash(str(funds["内容"]))


@pytest.mark.slow
def test_the_tool_s_own_word_and_pdf_files_come_back(every_example, tmp_path):
    recalls = {}
    for path in (p for p in every_example if p.suffix in (".docx", ".pdf") and "自评表" not in p.name):
        target = tmp_path / f"{path.name}.yaml"
        args = ["import", str(path), "-o", str(target)]
        if path.suffix == ".pdf":
            args.append("--from-text")
        result = run(*args)
        assert result.returncode == 0, (path.name, result.stderr)
        checked = check(target)
        assert checked.errors == [], (path.name, [d.format() for d in checked.errors])
        original = [
            s for s in re.split(r"(?<=[。；！？])", squash("".join(docx_paragraphs(path.with_suffix(".docx"))))) if s
        ]
        (docx,) = build(target, tmp_path / "out", ("docx",)).outputs
        again = squash("".join(docx_paragraphs(docx)))
        recalls[path.name] = sum(s in again for s in original) / len(original)
    assert len(recalls) == 20  # ten reports, each as Word and PDF
    narrative = {k: v for k, v in recalls.items() if k.split(".")[0] in EXAMPLES.values()}
    assert all(v == 1.0 for v in narrative.values()), narrative
    assert all(v >= 0.85 for v in recalls.values()), recalls


def test_a_pdf_that_carries_its_yaml_gives_it_back(every_example, tmp_path):
    pdf = next(p for p in every_example if p.name == "hexi-zhengfawei-2024.pdf")
    result = run("import", str(pdf), "-o", str(tmp_path / "x.yaml"))
    assert result.returncode == 0 and "附有生成它的 YAML" in result.stderr
    assert (tmp_path / "x.yaml").read_bytes() == (ROOT / "examples" / "hexi-zhengfawei-2024.yaml").read_bytes()


def test_unplaced_figures_and_table_text_are_flagged_with_their_line(tmp_path):
    source = tmp_path / "report.txt"
    source.write_text(
        "2024年度某县文化馆部门整体支出绩效自评报告\n一、基本情况\n（一）部门职能\n负责全县群众文化工作。\n"
        "（二）部门整体收支情况\n全年预算数500.00万元，执行数480.00万元，完成预算的96.00%。另有捐赠12.50万元。\n"
        "二、综合评价分析\n（一）自评结论综述\n一级指标二级指标三级指标年度指标值产出指标数量指标演出场次≥50场\n"
        "三、存在的主要问题\n无。\n四、下一步改进措施\n继续努力。\n",
        encoding="utf-8",
    )
    result = run("import", str(source), "-o", str(tmp_path / "x.yaml"))
    assert result.returncode == 0, result.stderr
    lines = (tmp_path / "x.yaml").read_text(encoding="utf-8").splitlines()
    notes = [line for line in result.stderr.splitlines() if "请核对" in line]
    assert len(notes) == 2
    for note in notes:
        number = int(note.split(":")[1])
        assert "请核对" in lines[number - 2] or "请核对" in lines[number - 1]
    assert any("12.50万元" in n for n in notes) and any("表格" in n for n in notes)


# ---------------------------------------------------------------- 决算 workbooks


@pytest.mark.parametrize(("yuan", "spelling"), [(True, 0), (False, 1)])
def test_a_final_accounts_workbook_fills_an_example_and_validate_agrees(tmp_path, yuan, spelling):
    """The example's own funds block emptied, then filled from its 决算 tables: the figures are
    the example's, in 万元, and every sum validate checks holds."""
    book = write(tmp_path / "决算.xlsx", yuan=yuan, spelling=spelling)
    example = (ROOT / "examples" / "qingxi-nongye-2024.yaml").read_text(encoding="utf-8")
    start = example.index("    本年收入:")
    end = example.index("    上年:")
    emptied = example[:start] + example[end:]
    target = tmp_path / "qingxi.yaml"
    target.write_text(emptied, encoding="utf-8")
    result = run("import", str(book), "--into", str(target))
    assert result.returncode == 0, result.stderr
    funds = _funds(target)
    assert funds["本年收入"] == QINGXI["本年收入合计"] and funds["本年支出"] == QINGXI["本年支出合计"]
    assert funds["支出性质"]["基本支出"] == QINGXI["基本支出"] and funds["支出性质"]["人员经费"] == QINGXI["人员经费"]
    assert (
        funds["收入来源"]["财政拨款收入"] == Decimal("3012.30") and funds["年初结转和结余"] == QINGXI["年初结转和结余"]
    )
    checked = check(target)
    funds_rules = {"收支平衡", "结转结余", "年初结转推算", "收入来源合计", "资金来源合计", "支出性质合计", "基本支出"}
    assert not [d for d in checked.diagnostics if d.rule in funds_rules], [d.format() for d in checked.diagnostics]
    assert checked.errors == []
    written = target.read_text(encoding="utf-8")
    assert ("金额小数位: 2" in written) == yuan


def test_into_keeps_everything_else_byte_for_byte(tmp_path):
    book = write(tmp_path / "决算.xlsx")
    original = (ROOT / "examples" / "qingxi-nongye-2024.yaml").read_text(encoding="utf-8")
    changed = original.replace("本年支出: 3301.62", "本年支出: 3300.00  # 估计数，待决算")
    target = tmp_path / "q.yaml"
    target.write_text(changed, encoding="utf-8")
    result = run("import", str(book), "--into", str(target))
    assert result.returncode == 0, result.stderr
    after = target.read_text(encoding="utf-8")
    assert "本年支出: 3301.62  # 估计数，待决算" in after  # the value replaced, the comment kept
    assert "「本年支出」原为 3300.00" in result.stderr
    before_lines = changed.splitlines()
    after_lines = after.splitlines()
    kept = [line for line in before_lines if "本年支出: 3300.00" not in line]
    for line in kept:
        assert line in after_lines, line
    assert [line for line in after_lines if line.lstrip().startswith("#")] == [
        line for line in before_lines if line.lstrip().startswith("#")
    ]


def test_an_xls_workbook_and_a_missing_table(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (scripts/setup.sh --dev) converts the test workbook to .xls"
    xlsx = write(tmp_path / "决算表.xlsx", tables=("总表",))
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
            "--headless",
            "--convert-to",
            "xls",
            "--outdir",
            str(tmp_path),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    xls = tmp_path / "决算表.xls"
    assert xls.exists()
    result = run("import", str(xls), "-o", str(tmp_path / "new.yaml"))
    assert result.returncode == 0, result.stderr
    funds = _funds(tmp_path / "new.yaml")
    assert funds["本年收入"] == QINGXI["本年收入合计"] and funds["年末结转和结余"] == QINGXI["年末结转和结余"]
    assert "未找到：支出决算表（基本支出、项目支出）" in result.stderr
    assert check(tmp_path / "new.yaml").errors == []


def test_unreadable_inputs_are_one_message(tmp_path):
    cases = {
        "报告.doc": b"\xd0\xcf\x11\xe0 old word",
        "坏的.docx": b"PK\x03\x04 not really",
        "坏的.pdf": b"%PDF-1.7 broken",
        "坏的.xlsx": b"PK\x03\x04 broken",
        "空的.xlsx": None,
    }
    for name, content in cases.items():
        path = tmp_path / name
        if content is None:
            import xlsxwriter

            xlsxwriter.Workbook(str(path)).close()
        else:
            path.write_bytes(content)
        result = run("import", str(path), "-o", str(tmp_path / f"{name}.yaml"))
        assert result.returncode == 2, (name, result.stderr)
        assert "Traceback" not in result.stderr and "内部错误" not in result.stderr
        assert not (tmp_path / f"{name}.yaml").exists()


# ---------------------------------------------------------------- next year


@pytest.mark.parametrize(
    "name", ["qingxi-nongye-2024", "liwan-gongan-2022", "jiangcheng-fagai-2024", "tianhe-zhengfawei-2022"]
)
def test_next_year_from_this_year(name, tmp_path):
    last = ROOT / "examples" / f"{name}.yaml"
    shutil.copy(last, tmp_path / last.name)
    for folder in (ROOT / "examples").iterdir():
        if folder.is_dir():
            shutil.copytree(folder, tmp_path / folder.name)
    result = run("init", "--from", last.name, "next.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    checked = check(tmp_path / "next.yaml")
    assert checked.errors == [], [d.format() for d in checked.errors]
    before, after = load(last).data, load(tmp_path / "next.yaml").data
    assert after["部门名称"] == before["部门名称"] and after["年度"] == before["年度"] + 1
    if "部门整体收支情况" in before.get("基本情况", {}):
        old, new = _funds(last), _funds(tmp_path / "next.yaml")
        spent = old.get("执行数", old.get("本年支出"))
        assert spent in new["上年"].values()
        if "年末结转和结余" in old:
            assert new["年初结转和结余"] == old["年末结转和结余"] and new["年末结转和结余"] is None
    assert any("尚未填写" in d.message for d in checked.warnings)
