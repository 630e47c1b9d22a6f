"""Inputs an adversary would send, each once a crash, a hang, gigabytes of memory or a file read
from elsewhere: now one located message, fast, with nothing written and nothing left behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pikepdf
import pytest
from conftest import MINIMAL, ROOT
from textutil import docx_with_body

EXAMPLE = ROOT / "examples" / "qingxi-nongye-2024.yaml"


def run(*args: str, cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reportgen", *args], capture_output=True, text=True, cwd=cwd, timeout=timeout
    )


def _clean(result: subprocess.CompletedProcess[str], code: int, fragment: str) -> None:
    assert result.returncode == code, result.stderr + result.stdout
    text = result.stderr + result.stdout
    assert fragment in text, text
    assert "Traceback" not in text and "内部错误" not in text


def _template(folder: Path, body: str, settings: str = "名称: 测试\n继承: base\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "settings.yaml").write_text(settings, encoding="utf-8")
    (folder / "report.html.j2").write_text(
        '{% extends "base/report.html.j2" %}{% block label %}' + body + "{% endblock %}", encoding="utf-8"
    )
    return folder


@pytest.mark.slow
@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("<p>{{ 9**(9**10) > 1 }}</p>", "乘方的结果过大"),  # folded at compile time, once
        ("<p>{{ 'x' * 3000000000 }}</p>", "重复得到的内容过长"),
        ("{% set n = r.年度 * 1000000 %}<p>{{ ('x' * n) | length }}</p>", "重复得到的内容过长"),
        ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "模板运行超过 5 秒"),
        ('<table><tr><td rowspan="abc">x</td></tr></table>', 'rowspan="abc" 无效'),
        ('<table data-widths="a b"><tr><td>x</td><td>y</td></tr></table>', "data-widths"),
        ('<table data-widths="0 0"><tr><td>x</td><td>y</td></tr></table>', "data-widths"),
        ('<table><tr><td colspan="100000000">x</td></tr></table>', 'colspan="100000000" 无效'),
        ("{% for i in range(20000) %}<p>第{{ i }}段</p>{% endfor %}", "模板输出的段落和表格过多"),
    ],
)
def test_a_template_cannot_exhaust_the_machine(tmp_path, body, fragment):
    tpl = _template(tmp_path / "t", body)
    shutil.copy(EXAMPLE, tmp_path / "q.yaml")
    start = time.perf_counter()
    _clean(run("build", str(tmp_path / "q.yaml"), "-o", str(tmp_path / "out"), "--template", str(tpl)), 1, fragment)
    assert time.perf_counter() - start < 12
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_template_s_settings_cannot_be_a_link_out_of_its_folder(tmp_path):
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.yaml").write_text("SECRET_TOKEN: 1\n", encoding="utf-8")
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    (tpl / "settings.yaml").symlink_to(tmp_path / "outside" / "secret.yaml")
    shutil.copy(EXAMPLE, tmp_path / "q.yaml")
    result = run("validate", str(tmp_path / "q.yaml"), "--template", str(tpl))
    _clean(result, 1, "指向模板文件夹之外")
    assert "SECRET_TOKEN" not in result.stdout + result.stderr


def test_a_yaml_names_only_a_template_inside_or_beside_its_folder(tmp_path):
    far = tmp_path / "far" / "a" / "b"
    _template(far / "tpl", "")
    home = tmp_path / "yamldir"
    home.mkdir()
    (home / "deep.yaml").write_text(MINIMAL + "模板: ../far/a/b/tpl\n", encoding="utf-8")
    _clean(run("validate", str(home / "deep.yaml")), 1, "不在 YAML 文件所在的文件夹内或旁边")
    _template(tmp_path / "beside", "")
    (home / "ok.yaml").write_text(MINIMAL + "模板: ../beside\n", encoding="utf-8")
    assert run("validate", str(home / "ok.yaml")).returncode == 0


@pytest.mark.parametrize(
    ("settings", "fragment"),
    [
        ("格式:\n  比率小数位: null\n", None),  # null: as the parent template has it
        ("评分:\n  类别: null\n  等级: null\n  预算执行率: null\n", None),
        ("版式:\n  字体:\n    正文:\n      官方: []\n", "至少要有 1 项"),
        ("版式:\n  上白边: 80\n", "页码印不下"),
        ("版式:\n  左白边: 60\n", "超出纸宽"),
        ("版式:\n  版心高: 280\n", "页码印不下"),
        ("版式:\n  页码字号: 36\n  页码距版心: 30\n", "页码印不下"),
    ],
)
def test_settings_within_their_ranges_still_make_a_page(tmp_path, settings, fragment):
    tpl = tmp_path / "t"
    tpl.mkdir()
    (tpl / "settings.yaml").write_text("名称: 测试\n继承: base\n" + settings, encoding="utf-8")
    shutil.copy(EXAMPLE, tmp_path / "q.yaml")
    result = run("build", str(tmp_path / "q.yaml"), "-o", str(tmp_path / "out"), "--template", str(tpl), "-f", "docx")
    if fragment is None:
        assert result.returncode == 0, result.stderr
    else:
        _clean(result, 1, fragment)
        _clean(run("validate", str(tmp_path / "q.yaml"), "--template", str(tpl)), 1, fragment)


def test_a_template_font_must_be_a_plain_font_file(tmp_path):
    tpl = tmp_path / "t"
    (tpl / "字体").mkdir(parents=True)
    (tpl / "字体" / "bomb.woff").write_bytes(b"wOFF" + b"\0" * 1000)
    (tpl / "settings.yaml").write_text(
        "名称: 测试\n继承: base\n版式:\n  字体:\n    正文:\n      文件: [字体/bomb.woff]\n", encoding="utf-8"
    )
    shutil.copy(EXAMPLE, tmp_path / "q.yaml")
    result = run("validate", str(tmp_path / "q.yaml"), "--template", str(tpl))
    _clean(result, 1, "不是 TrueType 或 OpenType 字体文件")


def test_a_reference_docx_that_unpacks_to_hundreds_of_megabytes(tmp_path):
    tpl = tmp_path / "t"
    tpl.mkdir()
    (tpl / "settings.yaml").write_text("名称: 测试\n继承: base\n", encoding="utf-8")
    with zipfile.ZipFile(tpl / "reference.docx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w:document>" + "<w:p/>" * 6_000_000 + "</w:document>")
    shutil.copy(EXAMPLE, tmp_path / "q.yaml")
    _clean(run("build", str(tmp_path / "q.yaml"), "--template", str(tpl), "-f", "docx"), 1, "解压后过大")


def test_blank_name_or_year_is_an_error_everywhere(write_yaml):
    for key in ("部门名称", "年度"):
        text = "\n".join(f"{key}:" if line.startswith(f"{key}:") else line for line in MINIMAL.splitlines())
        path = write_yaml(text + "\n", f"blank-{key}.yaml")
        for command in ("validate", "score", "build"):
            _clean(run(command, str(path)), 1, f"「{key}」必须填写")


def test_a_pipe_or_a_device_is_not_read(tmp_path):
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    for target in (fifo, Path("/dev/zero")):
        _clean(run("validate", str(target), timeout=20), 2, "不是普通文件")


def test_a_table_too_narrow_for_the_autospace_still_builds(write_yaml, tmp_path):
    columns = 20
    header = "[" + ", ".join(f"列{c}" for c in range(columns)) + "]"
    row = "[" + ", ".join("1" for _ in range(columns)) + "]"
    table = f"  部门职能:\n    - 表格:\n        表头: {header}\n        行:\n          - {row}"
    text = MINIMAL.replace("  部门职能: 负责测试工作。", table)
    result = run("build", str(write_yaml(text)), "-o", str(tmp_path / "out"), "-f", "pdf")
    assert result.returncode == 0, result.stderr


def test_a_yaml_of_a_hundred_thousand_keys_is_refused_at_once(tmp_path):
    path = tmp_path / "many.yaml"
    path.write_text(MINIMAL + "".join(f"k{i}: v\n" for i in range(100_000)), encoding="utf-8")
    start = time.perf_counter()
    _clean(run("validate", str(path)), 2, "内容项过多")
    assert time.perf_counter() - start < 5


def test_messages_are_one_line_each_and_a_flood_is_cut(write_yaml):
    for line in run("validate", str(ROOT / "examples" / "huangpu-zhengfawei-2022.yaml")).stdout.splitlines():
        assert line.startswith(str(ROOT / "examples" / "huangpu-zhengfawei-2022.yaml")), line
    unknown = "".join(f"未知{i}: 1\n" for i in range(300))
    out = run("validate", str(write_yaml(MINIMAL + unknown))).stdout.splitlines()
    assert len(out) == 202 and out[-2].startswith("……另有 100 条")


def _pdf_with(tmp_path: Path, content: bytes, *, pages: int = 1, box: tuple[int, int] = (595, 842)) -> Path:
    pdf = pikepdf.new()
    helvetica = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    font = pdf.make_indirect(helvetica)
    stream = pdf.make_stream(zlib.compress(content, 9))
    stream.Filter = pikepdf.Name.FlateDecode
    for _ in range(pages):
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, *box],
            Contents=stream,
            Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
        )
        pdf.pages.append(pikepdf.Page(page))
    path = tmp_path / f"p{len(list(tmp_path.iterdir()))}.pdf"
    pdf.save(path)
    return path


@pytest.mark.parametrize(
    ("content", "pages", "box", "fragment"),
    [
        (b"BT /F1 1 Tf 10 800 Td " + b"(x) Tj 0 -0.02 Td " * 40_000 + b"ET", 1, (595, 842), "文字过多"),
        (b"% " + b"0" * 200_000_000, 1, (595, 842), "解压后过大"),
        (b"BT /F1 2500 Tf 20 100 Td (\x97 1 \x97) Tj ET", 1, (14400, 3000), "尺寸异常"),
        (b"BT /F1 1 Tf 10 400 Td (" + b"x" * 1999 + b") Tj ET", 1000, (595, 842), "页数过多"),
    ],
    ids=["40k-lines", "inflates-to-200MB", "giant-page", "1000-pages"],
)
def test_check_layout_looks_a_pdf_over_before_reading_it(tmp_path, content, pages, box, fragment):
    path = _pdf_with(tmp_path, content, pages=pages, box=box)
    start = time.perf_counter()
    _clean(run("check-layout", str(path)), 2, fragment)
    assert time.perf_counter() - start < 10


def test_check_layout_refuses_a_word_part_of_attributes_by_the_million(tmp_path, every_example):
    source = next(p for p in every_example if p.suffix == ".docx")
    attributes = b" ".join(b'a%d="%d"' % (i, i) for i in range(2_500_000))
    bomb = docx_with_body(source, tmp_path / "attrs.docx", attributes, into_paragraph=True)
    _clean(run("check-layout", str(bomb)), 2, "解压后过大")


def test_an_attachment_compressed_twice_is_not_unpacked(every_example, tmp_path):
    pdf = next(p for p in every_example if p.suffix == ".pdf")
    twice = zlib.compress(zlib.compress(b"a: " + b"x" * 300_000_000, 9), 9)
    with pikepdf.open(pdf) as document:
        stream = document.Root.AF[0].EF.F
        stream.write(twice, filter=[pikepdf.Name.FlateDecode, pikepdf.Name.FlateDecode])
        document.save(tmp_path / "bomb.pdf")
    start = time.perf_counter()
    _clean(run("extract", str(tmp_path / "bomb.pdf")), 2, "附带的 YAML 过大")
    (tmp_path / "inbox").mkdir()
    shutil.copy(tmp_path / "bomb.pdf", tmp_path / "inbox" / "bomb.pdf")
    result = run("collect", str(tmp_path / "inbox"), "-o", str(tmp_path / "s.xlsx"))
    assert result.returncode == 0 and "无法读取 1 份" in result.stderr
    assert time.perf_counter() - start < 20


@pytest.mark.slow
def test_two_signals_leave_nothing_behind(tmp_path):
    many = "\n".join(f"    第{i}段，写一些文字，让生成需要一点时间。" for i in range(900))
    source = tmp_path / "big.yaml"
    source.write_text(MINIMAL.replace("  部门职能: 负责测试工作。", "  部门职能: |\n" + many), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "big.docx").write_text("old", encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "reportgen", "build", str(source), "-o", str(out)])
    deadline = time.time() + 60
    while time.time() < deadline and not any(p.name.endswith(".tmp") for p in out.iterdir()):
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    time.sleep(0.2)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 128 + signal.SIGTERM
    time.sleep(3)  # time for a helper left running to write, were there one
    assert sorted(p.name for p in out.iterdir()) == ["big.docx"]
    assert (out / "big.docx").read_text(encoding="utf-8") == "old"
