"""The command as a user runs it: exit codes, messages, outputs written whole or not at all."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL, ROOT
from textutil import docx_paragraphs, pdf_body_text, squash


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([sys.executable, "-m", "reportgen", *args], capture_output=True, text=True, cwd=cwd, env=env)


def test_help_lists_commands():
    result = run("--help")
    assert result.returncode == 0
    for command in ("build", "validate", "schema"):
        assert command in result.stdout


def test_help_lists_every_command_without_loading_one():
    """Each listed name runs its command; `--help` imports none of their modules."""
    import click

    from reportgen.cli import COMMANDS, main

    ctx = click.Context(main)
    for name, (_, _, line) in COMMANDS.items():
        command = main.get_command(ctx, name)
        assert isinstance(command, click.Command) and command.name == name, name
        assert line in run("--help").stdout
    probe = (
        "import sys; from reportgen.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('reportgen.commands.')))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True).stdout.splitlines()[-1]
    assert loaded == "[]"


def test_validate_examples_warn_with_lines_and_exit_zero():
    result = run("validate", str(ROOT / "examples" / "liwan-gongan-2022.yaml"))
    assert result.returncode == 0
    lines = [ln for ln in result.stdout.splitlines() if ": 警告: " in ln]
    assert len(lines) == 3  # two sums that do not add up, one unpaired quotation mark
    assert all(ln.startswith(str(ROOT / "examples" / "liwan-gongan-2022.yaml") + ":") for ln in lines)
    assert "通过（0 个错误，3 个警告）" in result.stdout


def test_validate_strict_turns_warnings_into_failure():
    result = run("validate", "--strict", str(ROOT / "examples" / "liwan-gongan-2022.yaml"))
    assert result.returncode == 1
    assert "未通过" in result.stdout


def test_validate_errors_exit_one(write_yaml):
    path = write_yaml(MINIMAL.replace("执行数: 95.00", "执行数: -1"))
    result = run("validate", str(path))
    assert result.returncode == 1
    assert f"{path}:7:10: 错误: ［基本情况 › 部门整体收支情况 › 执行数］金额不能为负数" in result.stdout


@pytest.mark.parametrize(
    ("content", "encoding", "fragment"),
    [
        (None, None, "文件不存在"),
        ("", "utf-8", "文件为空"),
        ("部门名称: 测试\n", "gbk", "GBK"),
        ("a: [1, 2\n", "utf-8", "错误"),
        ("a: b: c\n", "utf-8", "冒号"),
    ],
)
def test_unreadable_input_exits_two_with_one_line(tmp_path, content, encoding, fragment):
    path = tmp_path / "in.yaml"
    if content is not None:
        path.write_bytes(content.encode(encoding))
    for command in ("validate", "build"):
        result = run(command, str(path), "-o", str(tmp_path)) if command == "build" else run(command, str(path))
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        lines = [ln for ln in result.stderr.splitlines() if ln.strip() and "harfbuzz" not in ln]
        assert len(lines) == 1 and fragment in lines[0]


def test_directory_as_input(tmp_path):
    result = run("validate", str(tmp_path))
    assert result.returncode == 2 and "文件夹" in result.stderr


def test_build_writes_named_outputs_and_never_touches_input(tmp_path):
    source = tmp_path / "测试局-2023.yaml"
    source.write_text(MINIMAL, encoding="utf-8")
    before = source.read_bytes()
    result = run("build", str(source), "-o", str(tmp_path / "out"), "--format", "docx,pdf,html")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["测试局-2023.docx", "测试局-2023.html", "测试局-2023.pdf"]
    assert source.read_bytes() == before
    text = squash("".join(docx_paragraphs(tmp_path / "out" / "测试局-2023.docx")))
    assert "全年预算数100.00万元，执行数95.00万元，完成预算的95.00%。" in text
    assert squash(pdf_body_text(tmp_path / "out" / "测试局-2023.pdf")) == text
    mode = (tmp_path / "out" / "测试局-2023.pdf").stat().st_mode & 0o777
    assert mode & 0o044  # readable by others, like any file the user makes


def test_failed_build_keeps_previous_outputs_and_leaves_no_partial_file(tmp_path):
    source = tmp_path / "r.yaml"
    source.write_text(MINIMAL, encoding="utf-8")
    assert run("build", str(source)).returncode == 0
    old = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    # an error in the data: nothing is written
    source.write_text(MINIMAL.replace("执行数: 95.00", "执行数: 很多"), encoding="utf-8")
    result = run("build", str(source))
    assert result.returncode == 1 and "应填数字" in result.stderr and "未生成" in result.stderr
    # a failure while rendering the PDF (a character no font has): the DOCX is not replaced either
    source.write_text(MINIMAL.replace("继续努力。", "继续努力😀。"), encoding="utf-8")
    result = run("build", str(source))
    assert result.returncode == 1
    assert "😀" in result.stderr and "U+1F600" in result.stderr
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name != "r.yaml"} == {
        k: v for k, v in old.items() if k != "r.yaml"
    }


def test_build_strict_refuses_warnings(tmp_path):
    source = tmp_path / "r.yaml"
    source.write_text(MINIMAL.replace("执行数: 95.00", "执行数: 80.00"), encoding="utf-8")
    result = run("build", "--strict", str(source))
    assert result.returncode == 1 and "低于 90%" in result.stderr
    assert not list(tmp_path.glob("r.docx"))


def test_build_is_reproducible(tmp_path):
    source = tmp_path / "r.yaml"
    source.write_text(MINIMAL, encoding="utf-8")
    run("build", str(source), "-o", str(tmp_path / "a"))
    run("build", str(source), "-o", str(tmp_path / "b"))
    for ext in ("docx", "pdf"):
        assert (tmp_path / "a" / f"r.{ext}").read_bytes() == (tmp_path / "b" / f"r.{ext}").read_bytes()


def test_bad_format_option(tmp_path):
    result = run("build", str(ROOT / "examples" / "liwan-gongan-2022.yaml"), "--format", "odt")
    assert result.returncode == 2 and "docx,pdf,html" in result.stderr


def test_schema_is_chinese_json_and_matches_the_committed_file():
    result = run("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "部门整体支出绩效自评报告"
    assert set(schema["required"]) == {"部门名称", "年度"}  # the parts come from the template's outline
    assert schema["additionalProperties"] == {"$ref": "#/$defs/Part"}
    funds = schema["$defs"]["Funds"]
    assert funds["title"] == "部门整体收支情况"
    assert "预算完成率的分母" in funds["properties"]["全年预算数"]["description"]
    committed = (ROOT / "schema" / "report.schema.json").read_text(encoding="utf-8")
    assert json.loads(committed) == schema, "run: reportgen schema -o schema/report.schema.json"


def test_python_dash_m_and_internal_errors_are_not_tracebacks(tmp_path):
    result = run("--version")
    assert result.returncode == 0 and "reportgen" in result.stdout


def test_unwritable_output_is_one_message_and_leaves_nothing(tmp_path):
    source = tmp_path / "r.yaml"
    source.write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "out" / "r.pdf").mkdir(parents=True)  # a folder where the PDF should go
    result = run("build", str(source), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "无法写入" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["r.pdf"]  # no DOCX, no temp file


def test_init_names_the_next_command_so_it_can_be_pasted(tmp_path):
    target = tmp_path / "我的 文件" / "2024 报告.yaml"
    target.parent.mkdir()
    result = run("init", str(target))
    assert result.returncode == 0, result.stderr
    assert f'后运行：reportgen validate "{target}"' in result.stdout
