"""Inputs that once ended in an internal error, a gigabyte or a false word: a number beyond any
range, a build date that names no date, a full disk, a name too long for the file system, a
template that asks for too much, a 文书 list that repeats, a starter file that would not read
back, a settings.yaml that is a pipe.  Each now ends in one located message, or a clean result."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from conftest import MINIMAL, ROOT

from reportgen.build import build
from reportgen.checks.validate import check
from reportgen.errors import ReportgenError

SAMPLE = ROOT / "examples" / "sample-jiedao-2024.yaml"  # a report and its 自评表, with indicators


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reportgen", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=60
    )


def _said(result: subprocess.CompletedProcess[str], code: int) -> str:
    text = result.stderr + result.stdout
    assert result.returncode == code, text
    assert "内部错误" not in text and "Traceback" not in text
    return text


# ---------------------------------------------------------------- numbers beyond any range

FUNDS = ("基本情况", "部门整体收支情况", "全年预算数")


@pytest.mark.parametrize(
    ("figure", "fragment"),
    [
        ("1.0e+1000000", "数字过大，超出范围"),
        ("-1.0e+1000000", "数字过大，超出范围"),
        ("1.0e-1000000", "位数过多，超出范围"),
        ("0.0e-1000000", "位数过多，超出范围"),
        ("1.0e+999999999999999999", "数字过大，超出范围"),
        ("9" * 5000, "数字过大，超出范围"),
        ("0x" + "f" * 300, "数字过大，超出范围"),
        ("1e+1000000", "是科学记数法"),  # no dot: YAML reads it as text
        ("1e-1000000", "是科学记数法"),
        (".inf", "不是有效的数值"),
        ("-.inf", "不是有效的数值"),
        (".nan", "不是有效的数值"),
    ],
)
def test_a_number_beyond_any_range_is_named_where_it_stands(write_yaml, figure, fragment):
    start = time.perf_counter()
    (error,) = check(write_yaml(MINIMAL.replace("全年预算数: 100.00", f"全年预算数: {figure}"))).errors
    assert fragment in error.message and (error.line, error.path) == (6, FUNDS)
    assert len(error.format()) < 300  # a number of 5000 digits is quoted short
    assert time.perf_counter() - start < 5


def _sample_with(tmp_path: Path, old: str, new: str) -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "r.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("分值: 15", "分值: 1.0e+1000000"),  # a score's weight: summed, divided
        ("实际完成值: 24场", "实际完成值: 1.0e+1000000"),  # text where a number may stand
        ("执行数: ", "执行数: -1.0e+1000000 #"),
    ],
    ids=["weight", "text", "funds"],
)
def test_validate_build_and_score_name_the_number(tmp_path, old, new):
    path = _sample_with(tmp_path, old, new)
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "1000000" in text)
    for command in (["validate"], ["score"], ["build", "-o", str(tmp_path / "out"), "-f", "docx"]):
        output = _said(run(*command, str(path)), 1)
        assert f"r.yaml:{line}:" in output and "数字过大，超出范围" in output, output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def _figures_in(text: str) -> list[tuple[int, int]]:
    """Where each plain number of a YAML text stands: (start, end) offsets."""
    import yaml

    found: list[tuple[int, int]] = []
    pending = [yaml.compose(text)]
    while pending:
        node = pending.pop()
        if isinstance(node, yaml.MappingNode):
            pending.extend(value for _, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)
        elif node.style is None and node.tag.endswith((":int", ":float")):
            found.append((node.start_mark.index, node.end_mark.index))
    return found


@pytest.mark.parametrize("figure", ["1.0e+1000000", "-1.0e+999999999"])
def test_every_figure_of_every_example_can_be_out_of_range(tmp_path, figure):
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        if not (tmp_path / "枫林县财政局模板").exists():
            shutil.copytree(ROOT / "examples" / "枫林县财政局模板", tmp_path / "枫林县财政局模板")
        text = example.read_text(encoding="utf-8")
        for start, end in _figures_in(text):
            path = tmp_path / example.name
            path.write_text(text[:start] + figure + text[end:], encoding="utf-8")
            line = text.count("\n", 0, start) + 1
            errors = check(path).errors  # anything but the tool's own errors fails the test
            assert any(e.line == line and "超出范围" in e.message for e in errors), (example.name, line)


def test_ordinary_figures_are_untouched(write_yaml):
    path = write_yaml(MINIMAL.replace("全年预算数: 100.00", "全年预算数: 1.0e+2"))
    checked = check(path)
    assert checked.errors == [] and checked.report is not None
    assert checked.report.funds.全年预算数 == 100


# ---------------------------------------------------------------- the date of the files


@pytest.mark.parametrize("epoch", ["99999999999999", "-5", "abc", "1e9", "٣", "9" * 5000])
def test_a_build_date_that_names_no_date_is_refused(write_yaml, tmp_path, monkeypatch, epoch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    with pytest.raises(ReportgenError) as err:
        build(write_yaml(MINIMAL), tmp_path / "out", ("docx",))
    assert err.value.exit_code == 1
    assert err.value.message.startswith("环境变量 SOURCE_DATE_EPOCH 的值「") and "253402300799" in err.value.message
    assert len(err.value.message) < 200
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


@pytest.mark.parametrize(("epoch", "year"), [("0", 1970), ("253402300799", 9999), (" 1700000000 ", 2023)])
def test_a_build_date_at_the_ends_of_the_range_is_written(write_yaml, tmp_path, monkeypatch, epoch, year):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    (docx,) = build(write_yaml(MINIMAL), tmp_path, ("docx",)).outputs
    with zipfile.ZipFile(docx) as z:
        assert f'<dcterms:created xsi:type="dcterms:W3CDTF">{year}-' in z.read("docProps/core.xml").decode()


def test_the_command_says_so_in_one_line(write_yaml, tmp_path):
    env = {**os.environ, "SOURCE_DATE_EPOCH": "99999999999999"}
    output = _said(run("build", str(write_yaml(MINIMAL)), "-o", str(tmp_path / "out"), env=env), 1)
    assert "SOURCE_DATE_EPOCH" in output and "99999999999999" in output


# ---------------------------------------------------------------- where files are written


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_named(tmp_path):
    output = _said(run("schema", "-o", "/dev/full"), 1)
    assert output.startswith("/dev/full: 错误: 无法写入")
    assert Path("/dev/full").is_char_device()  # written into, never replaced
    assert not [p for p in Path("/dev").iterdir() if p.name.startswith(".full.")]


def test_schema_is_written_whole_to_a_file_and_into_a_pipe(tmp_path):
    _said(run("schema", "-o", str(tmp_path / "s.json")), 0)
    assert (tmp_path / "s.json").read_text(encoding="utf-8").startswith("{")
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]
    piped = _said(run("schema", "-o", "/dev/stdout"), 0)
    assert piped.startswith("{")


def _long_named(tmp_path: Path, source: Path) -> Path:
    path = tmp_path / ("x" + "甲" * 81 + ".yaml")  # 249 bytes: the name's own limit is 255
    assert len(os.fsencode(path.name)) == 249
    shutil.copy(source, path)
    return path


def test_a_name_near_the_file_system_s_limit_builds_what_fits(tmp_path):
    path = _long_named(tmp_path, SAMPLE)
    built = build(path, tmp_path / "out", ("docx",), kinds=("报告",))
    assert [p.name for p in built.outputs] == [path.stem + ".docx"]  # 254 bytes, staged under a shorter name
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [path.stem + ".docx"]


@pytest.mark.parametrize("args", [["--kind", "自评表", "-f", "docx"], ["--bundle"], ["-f", "html", "--kind", "自评表"]])
def test_an_output_name_past_the_limit_is_one_message(tmp_path, args):
    path = _long_named(tmp_path, SAMPLE)
    output = _said(run("build", str(path), "-o", str(tmp_path / "out"), *args), 1)
    assert "-自评表." in output and "过长" in output and "最多 255 字节" in output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_staged_name_is_cut_and_still_told_apart(tmp_path):
    from reportgen.output import NAME_MAX, staged

    target = tmp_path / ("甲" * 83 + "ab.txt")  # 255 bytes: it fits, a staged name with its own would not
    assert len(os.fsencode(target.name)) == NAME_MAX
    with staged(target) as temp:
        assert len(os.fsencode(temp.name)) <= NAME_MAX
        temp.write_bytes(b"whole")
    assert target.read_bytes() == b"whole" and [p.name for p in tmp_path.iterdir()] == [target.name]


# ---------------------------------------------------------------- templates


def _bureau(tmp_path: Path, body: str, report: str = MINIMAL) -> Path:
    folder = tmp_path / "tpl"
    folder.mkdir(exist_ok=True)
    (folder / "settings.yaml").write_text("名称: 某区\n", encoding="utf-8")
    (folder / "report.html.j2").write_text(
        '{% extends "base/report.html.j2" %}{% block title %}<h1>某部门</h1>\n' + body + "{% endblock %}",
        encoding="utf-8",
    )
    source = tmp_path / "r.yaml"
    source.write_text("模板: ./tpl\n" + report, encoding="utf-8")
    return source


@pytest.mark.parametrize("span", ['colspan="²"', 'rowspan="١"', "colspan='³'", f'colspan="{"1" * 5000}"'])
def test_a_span_that_is_no_number_is_named_at_its_line(tmp_path, span):
    source = _bureau(tmp_path, f"<table>\n<tr><td {span}>a</td></tr></table>")
    with pytest.raises(ReportgenError) as err:
        build(source, tmp_path / "out", ("docx",))
    message = err.value.message
    assert message.startswith(f"{tmp_path / 'tpl' / 'report.html.j2'}:3: 错误: ") and "无效（应为 1 到" in message
    assert len(message) < 300


def test_a_computed_span_is_named_by_its_template(tmp_path):
    source = _bureau(tmp_path, "<table><tr><td colspan=\"{{ '²' }}\">a</td></tr></table>")
    with pytest.raises(ReportgenError) as err:
        build(source, tmp_path / "out", ("docx",))
    assert err.value.message.startswith('模板「某区」: 错误: 模板输出的表格中 colspan="²" 无效')


SIZED = [
    "{{ 'x'.ljust(10**9) }}",
    "{{ 'x'.rjust(10**9) }}",
    "{{ 'x'.center(10**9) }}",
    "{{ 'x'.zfill(10**9) }}",
    "{{ 'a\tb'.expandtabs(10**9) }}",
    "{{ 'ab'.replace('', 'ab'*1000).replace('', 'ab'*1000).replace('', 'ab'*1000) }}",
    "{{ 'x' * 10**9 }}",
    "{{ '{:>1000000000}'.format(1) }}",
    "{{ '{:>{}}'.format(1, 10**9) }}",
    "{{ '{x:>1000000000}'.format_map({'x': 1}) }}",
    "{{ '%1000000000d' % 1 }}",
    "{{ '%*d' % (10**9, 1) }}",
    "{{ '%1000000000d'|format(1) }}",
    "{{ 'x'|center(10**9) }}",
    "{{ 'a\nb'|indent(10**9) }}",
    "{{ (10).to_bytes(10**9, 'big')|length }}",
    "{{ ('x' * 100000).join(['a'] * 100000)|length }}",
    "{{ range(10)|batch(10**9, 'x')|list|length }}",
    "{{ ('x'|attr('ljust'))(10**9) }}",
    "{% set ns = namespace(s='x' * 100000) %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "{% set big %}{% for i in range(100000) %}{{ 'x' * 100000 }}{% endfor %}{% endset %}{{ big|length }}",
    "{{ range(100000)|map('center', 3000000)|list|length }}",
    "{% macro m() %}{% for i in range(100000) %}{{ 'y' * 100000 }}{% endfor %}{% endmacro %}{{ m()|length }}",
]


@pytest.mark.parametrize("expression", SIZED)
def test_a_template_cannot_ask_for_gigabytes(tmp_path, expression):
    source = _bureau(tmp_path, f"<p>{expression}</p>")
    start = time.perf_counter()
    tracemalloc.start()
    try:
        with pytest.raises(ReportgenError) as err:
            build(source, tmp_path / "out", ("docx",))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = err.value.message
    assert message.startswith(f"{tmp_path / 'tpl' / 'report.html.j2'}:") and "模板构造的内容过大，已停止" in message
    assert peak < 150_000_000, peak  # refused before it was made, not after
    assert time.perf_counter() - start < 10


def test_ordinary_string_work_still_renders(tmp_path):
    body = (
        "<p>{{ 'x'.ljust(5) }}|{{ '{:>6}'.format(12) }}|{{ '%05d' % 42 }}|{{ '%s年' % r.年度 }}"
        "|{{ 'a,b'.replace(',', '、') }}|{{ '、'.join(['甲', '乙']) }}|{{ '7'.zfill(3) }}"
        "|{{ '{n}号'.format_map({'n': 3}) }}|{{ 'x'|center(5) }}|{{ '%.1f'|format(2.25) }}"
        "|{{ r.部门名称 ~ '（' ~ r.年度 ~ '）' }}|{{ 10 % 4 }}|{{ 'ab' * 2 }}</p>"
    )
    source = _bureau(tmp_path, body)
    (docx,) = build(source, tmp_path, ("docx",)).outputs
    with zipfile.ZipFile(docx) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    for expected in ("00042", "2023年", "a、b", "甲、乙", "007", "3号", "2.2", "测试局（2023）", "|2|", "abab"):
        assert expected in xml, expected


def test_a_template_that_runs_out_of_memory_says_so(tmp_path, monkeypatch):
    from reportgen.compose import limits

    def exhausted(operator, left, right):
        raise MemoryError

    monkeypatch.setattr(limits, "binop", exhausted)
    source = _bureau(tmp_path, "<p>{{ 'x' * 2 }}</p>")
    with pytest.raises(ReportgenError) as err:
        build(source, tmp_path / "out", ("docx",))
    assert err.value.message.endswith("错误: 模板用尽了内存（构造的文字或列表过大），已停止")


def test_an_error_without_words_is_named_by_its_kind(tmp_path, monkeypatch):
    from reportgen.compose import limits

    def wordless(operator, left, right):
        raise ArithmeticError

    monkeypatch.setattr(limits, "binop", wordless)
    source = _bureau(tmp_path, "<p>{{ 'x' * 2 }}</p>")
    with pytest.raises(ReportgenError) as err:
        build(source, tmp_path / "out", ("docx",))
    assert err.value.message.endswith("错误: 模板出错：ArithmeticError")


# ---------------------------------------------------------------- 文书


def test_a_kind_named_again_is_built_once(write_yaml, tmp_path):
    path = write_yaml("文书: [" + ", ".join(["报告"] * 100) + "]\n" + MINIMAL)
    checked = check(path)
    assert checked.kinds == ("报告",) and checked.errors == []
    (warning,) = [d for d in checked.warnings if d.rule == "文书重复"]
    assert (warning.line, warning.path) == (1, ("文书", 1)) and "「报告」写了 100 次" in warning.message
    start = time.perf_counter()
    built = build(path, tmp_path / "out", ("docx",))
    assert [p.name for p in built.outputs] == ["report.docx"]
    assert time.perf_counter() - start < 5


def test_both_kinds_repeated_are_each_built_once(tmp_path):
    path = _sample_with(tmp_path, "文书: [报告, 自评表]", "文书: [报告, 自评表, 报告, 自评表, 自评表]")
    checked = check(path)
    assert checked.kinds == ("报告", "自评表")
    repeated = [d.message for d in checked.warnings if d.rule == "文书重复"]
    assert repeated == [
        f"「文书」中「{kind}」写了 {n} 次：每种文书只生成一次，请删去重复的" for kind, n in (("报告", 2), ("自评表", 3))
    ]


# ---------------------------------------------------------------- YAML the tool writes


def _odd_template(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "settings.yaml").write_text(f'名称: "{name}"\n', encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", ["某\\u2028区", "某\\u2029区", "某\\x85区", "某\\r区"])
def test_init_writes_a_file_that_reads_back(tmp_path, name):
    _odd_template(tmp_path, name)
    _said(run("init", "--template", "./tpl", "new.yaml", cwd=tmp_path), 0)
    checked = check(tmp_path / "new.yaml")  # raises when it does not read
    assert {d.rule for d in checked.errors} == {"占位文字"}  # only 部门名称, left for the officer


def test_a_starter_that_would_not_read_back_is_not_written(tmp_path, monkeypatch):
    from reportgen.compose import starter
    from reportgen.template import folders

    monkeypatch.setattr(starter, "render", lambda *args, **kwargs: "部门名称: [unclosed\n")
    with pytest.raises(ReportgenError) as err:
        starter.write(tmp_path / "new.yaml", folders.resolve(None))
    assert err.value.exit_code == 3 and "读不回来" in err.value.message
    assert not (tmp_path / "new.yaml").exists()


def test_a_line_separator_in_a_paragraph_becomes_a_line(tmp_path):
    from reportgen.input.loader import load
    from reportgen.input.yaml_writer import Writer

    writer = Writer()
    writer.text_block("部门职能", ["甲\u2028乙", "丙\x85丁", "戊\u2029"])
    path = tmp_path / "w.yaml"
    path.write_text(writer.text(), encoding="utf-8")
    assert load(path).data["部门职能"].splitlines() == ["甲", "乙", "丙", "丁", "戊"]


def test_init_from_last_year_with_separators_in_its_values(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    last = tmp_path / "last.yaml"
    last.write_text(
        text.replace("三级指标: 开展平安宣传活动场次", '三级指标: "开展平安\\u2028宣传活动场次"', 1), encoding="utf-8"
    )
    _said(run("init", "--from", "last.yaml", "next.yaml", cwd=tmp_path), 0)
    from reportgen.input.loader import load

    indicators = load(tmp_path / "next.yaml").data["绩效指标"]
    assert indicators[0]["三级指标"] == "开展平安\u2028宣传活动场次"


# ---------------------------------------------------------------- settings.yaml that is no file


def _settings_as(tmp_path: Path, kind: str) -> Path:
    folder = tmp_path / "tpl"
    folder.mkdir()
    target = folder / "settings.yaml"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "zero":
        target.symlink_to("/dev/zero")
    elif kind == "loop":
        target.symlink_to("settings.yaml")
    else:
        target.mkdir()
    return folder


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX")
@pytest.mark.parametrize(
    ("kind", "fragment"),
    [
        ("fifo", "是命名管道，不是普通文件"),
        ("zero", "是设备文件（由符号链接指向 /dev/zero），不是普通文件"),
        ("loop", "是循环的符号链接"),
        ("dir", "是文件夹，不是普通文件"),
    ],
)
def test_a_settings_file_that_is_no_file_is_named_as_what_it_is(write_yaml, tmp_path, kind, fragment):
    folder = _settings_as(tmp_path, kind)
    path = write_yaml(MINIMAL)
    start = time.perf_counter()
    output = _said(run("validate", str(path), "--template", str(folder)), 1)
    assert f"settings.yaml {fragment}" in output and "没有 settings.yaml" not in output
    assert time.perf_counter() - start < 10


# ---------------------------------------------------------------- the words a stopped command ends with


def _stopped_after(staged_only: bool, tmp_path: Path) -> None:
    """A command stopped by SIGTERM once its file is written (or while it is being written)."""
    from reportgen.commands.common import Stopped, handled
    from reportgen.output import Transaction

    @handled
    def command() -> None:
        with Transaction() as outputs:
            outputs.stage(tmp_path / "a.docx").write_bytes(b"x")
            if not staged_only:
                outputs.commit()
            raise Stopped(15)

    with pytest.raises(SystemExit) as exit_:
        command()
    assert exit_.value.code == 143


@pytest.mark.parametrize(("staged_only", "said"), [(False, "，已写完的文件完好"), (True, "，未完成的文件已删除")])
def test_a_stop_says_only_what_happened(tmp_path, monkeypatch, capsys, staged_only, said):
    from reportgen.output import Tally

    monkeypatch.setattr(Tally, "committed", 0)
    monkeypatch.setattr(Tally, "removed", 0)
    _stopped_after(staged_only, tmp_path)
    assert capsys.readouterr().err.strip() == f"已中断（收到信号 15）{said}"
    assert [p.name for p in tmp_path.iterdir()] == ([] if staged_only else ["a.docx"])
