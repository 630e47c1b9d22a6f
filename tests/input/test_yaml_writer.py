"""The one YAML writer: every scalar it writes reads back as the same value, whatever it holds."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from reportgen.input.loader import load
from reportgen.input.yaml_writer import Writer, entry, flow, scalar

TRICKY = [
    "某某县农业农村局",
    "部门: 名称",
    "# 不是注释",
    "yes",
    "No",
    "null",
    "~",
    ".5",
    ".inf",
    "./我区模板",
    "../枫林县模板",
    "010",
    "2023-01-05",
    " 前后有空格 ",
    "引号\"和'单引号",
    "行\u2028分隔",
    "段\u2029分隔",
    "下一行\u0085",
    "制表\t符",
    "换\n行",
    "- 列表",
    "[方括号]",
    "{花括号}",
    "@at",
    "`反引号`",
    "百分比%",
    "&锚点",
    "*别名",
    "!标签",
    "|竖线",
    ">大于",
    "\ufeffBOM",
]


def _read_back(tmp_path, text: str):
    path = tmp_path / "w.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load(path)
    return loaded.data, loaded.problems


@pytest.mark.parametrize("value", TRICKY)
def test_a_tricky_string_reads_back_unchanged(tmp_path, value):
    data, problems = _read_back(tmp_path, entry(0, "键", scalar(value), "注释\n第二行") + "\n")
    assert data == {"键": value} and not problems


def test_random_strings_and_flow_mappings_read_back(tmp_path):
    rng = random.Random(20261207)
    alphabet = "甲乙丙：:,，#- '\"\\[]{}|>&*!%@`\t\u2028\u2029\u0085年度.5yesno~"
    for _ in range(300):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        mapping = {"名称": value, "数": Decimal("12.50"), "是": True}
        writer = Writer()
        writer.key("值", value, comment=value)
        writer.raw(entry(0, "映射", flow(mapping)))
        data, problems = _read_back(tmp_path, writer.text())
        assert not problems, (value, writer.text())
        assert data == {"值": value, "映射": mapping}, (value, writer.text())


def test_init_from_writes_a_file_that_reads_back(tmp_path):
    """Last year's file with a line separator in a flow mapping (once written raw, unreadable)."""
    from click.testing import CliRunner

    from reportgen.cli import main

    last = tmp_path / "2023.yaml"
    last.write_text(
        '部门名称: 测试局\n年度: 2023\n落款: {单位: "测试局\\u2028办公室", 日期: "2024年3月1日"}\n'
        "基本情况:\n  部门职能: 负责测试。\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["init", "--from", str(last), str(tmp_path / "2024.yaml")])
    assert result.exit_code == 0, result.output
    data, problems = _read_back(tmp_path, (tmp_path / "2024.yaml").read_text(encoding="utf-8"))
    assert data["落款"]["单位"] == "测试局\u2028办公室" and data["年度"] == 2024 and not problems
