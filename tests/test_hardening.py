"""Inputs that once reached an internal error, a template that tried to run code, and resources
without a bound: each now ends in one located message, quickly, with nothing written."""

from __future__ import annotations

import io
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import MINIMAL, ROOT
from textutil import docx_with_body, pdf_pages

from reportgen.build import build
from reportgen.checks.validate import check
from reportgen.errors import InvalidReport, ReportgenError


def run(*args: str, cwd: Path | None = None, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reportgen", *args], capture_output=True, text=True, cwd=cwd, **kw)


def _one_line(result: subprocess.CompletedProcess[str], code: int) -> str:
    assert result.returncode == code, result.stderr + result.stdout
    assert "内部错误" not in result.stderr and "Traceback" not in result.stderr
    return result.stderr + result.stdout


@pytest.mark.parametrize(
    ("content", "where", "fragment"),
    [
        (b"\xe9\x83\xa8\xe9\x97\xa8\xe5\x90\x8d\xe7\xa7\xb0: a\x0fb\n", ":1:8:", "U+000F"),
        (b'a: "\\U00110000"\n', ":1:", "转义写法无效"),
        (b"a:" + b" [" * 400 + b"\n", ":1:", "嵌套超过 40 层"),
    ],
)
def test_unreadable_input_is_located(tmp_path, content, where, fragment):
    path = tmp_path / "in.yaml"
    path.write_bytes(content)
    output = _one_line(run("validate", str(path)), 2)
    assert where in output and fragment in output


def test_escaped_characters_a_document_cannot_hold(write_yaml):
    path = write_yaml(
        '部门名称: "0\\uDFFF"\n' + MINIMAL.replace("部门名称: 测试局\n", "").replace("负责", '"负\\x01责')
    )
    text = path.read_text(encoding="utf-8").replace('"负\\x01责测试工作。', '"负\\x01责测试工作。"')
    path.write_text(text, encoding="utf-8")
    messages = [d.format() for d in check(path).errors]
    assert any("U+DFFF" in m and ":1:" in m for m in messages)
    assert any("U+0001" in m for m in messages)
    for message in messages:
        message.encode("utf-8")  # every message can be printed


@pytest.mark.parametrize(
    ("figure", "message"), [("1.0e+308", "数字过大"), ("1.0e+999999", "数字过大"), ("0.0000001", "小数位过多")]
)
def test_figures_beyond_any_budget(write_yaml, figure, message):
    (error,) = check(write_yaml(MINIMAL.replace("全年预算数: 100.00", f"全年预算数: {figure}"))).errors
    assert message in error.message and error.line == 6


def test_formats_out_of_range(write_yaml):
    (error,) = check(write_yaml("格式: {金额小数位: 30}\n" + MINIMAL)).errors
    assert error.message == "不能大于 4" and error.path == ("格式", "金额小数位")


def test_template_names_that_cannot_be_folders(write_yaml):
    for length in (250, 300, 5000):  # beyond what a file system accepts as one name
        (error,) = check(write_yaml(f"模板: ./{'x' * length}\n" + MINIMAL, f"t{length}.yaml")).errors
        assert error.path == ("模板",) and error.message.startswith("模板文件夹不存在")


@pytest.mark.parametrize("target", ["/", "/etc", "/proc/self", "../../../../../.."])
def test_a_yaml_cannot_name_a_folder_elsewhere(write_yaml, target):
    (error,) = check(write_yaml(f"模板: {target}\n" + MINIMAL)).errors
    assert error.path == ("模板",)
    assert "不在 YAML 文件所在的文件夹内或旁边" in error.message or "没有 settings.yaml" in error.message


def test_a_symlink_out_of_the_yaml_s_folder_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "settings.yaml").write_text("名称: 外面\n", encoding="utf-8")
    home = tmp_path / "a" / "b"
    home.mkdir(parents=True)
    (home / "tpl").symlink_to(outside)
    (home / "r.yaml").write_text("模板: ./tpl\n" + MINIMAL, encoding="utf-8")
    (error,) = check(home / "r.yaml").errors
    assert "不在 YAML 文件所在的文件夹内或旁边" in error.message


def _bureau(tmp_path: Path, report: str, **files: str | bytes) -> Path:
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "settings.yaml").write_text("名称: 某区\n", encoding="utf-8")
    for name, content in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    source = tmp_path / "r.yaml"
    source.write_text("模板: ./tpl\n" + MINIMAL, encoding="utf-8")
    return source


def test_a_template_cannot_run_code(tmp_path):
    marker = tmp_path / "ran"
    payload = (
        '{% extends "base/report.html.j2" %}{% block title %}<h1>'
        f'{{{{ cycler.__init__.__globals__.os.popen("touch {marker}").read() }}}}</h1>{{% endblock %}}'
    )
    source = _bureau(tmp_path, MINIMAL, **{"report.html.j2": payload})
    with pytest.raises(ReportgenError) as err:
        build(source, tmp_path / "out", ("docx",))
    assert "模板试图做不允许的事" in err.value.message or "未定义" in err.value.message
    time.sleep(0.2)
    assert not marker.exists()
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


@pytest.mark.parametrize(
    "expression",
    [
        # pydantic's inherited methods unpickle data and read files
        """r.parse_raw("cos\\nsystem\\n(S'touch {marker}'\\ntR.", """
        """content_type="application/pickle", allow_pickle=True)""",
        'r.parse_file("/etc/passwd")',
        'r.model_validate_json("{{}}")',
        "r.model_dump_json()",
        'r.copy(update={{"部门名称": "x"}})',
        "fig.__class__.__mro__",
        "r.部门名称.__class__",
    ],
)
def test_a_template_reaches_data_not_library_methods(tmp_path, expression):
    marker = tmp_path / "ran"
    body = expression.format(marker=marker)
    payload = f'{{% extends "base/report.html.j2" %}}{{% block title %}}<h1>{{{{ {body} }}}}</h1>{{% endblock %}}'
    source = _bureau(tmp_path, MINIMAL, **{"report.html.j2": payload})
    with pytest.raises(ReportgenError) as err:
        build(source, tmp_path / "out", ("docx",))
    assert "模板试图做不允许的事" in err.value.message
    assert not marker.exists()


def test_a_template_still_reads_fields_and_own_helpers(tmp_path):
    payload = (
        '{% extends "base/report.html.j2" %}{% block title %}<h1>{{ r.部门名称 }}'
        "{% for k, v in s.items() %}{% if loop.first %}·{{ r.部门名称|length }}{% endif %}{% endfor %}"
        "</h1>{% endblock %}"
    )
    source = _bureau(tmp_path, MINIMAL, **{"report.html.j2": payload})
    build(source, tmp_path / "out", ("docx",))
    assert list((tmp_path / "out").glob("*.docx"))


def test_a_template_file_cannot_point_outside_its_folder(tmp_path):
    source = _bureau(tmp_path, MINIMAL)
    (tmp_path / "tpl" / "funds.html.j2").symlink_to("/etc/passwd")
    with pytest.raises(ReportgenError) as err:
        build(source, tmp_path / "out", ("docx",))
    assert "指向模板文件夹之外" in err.value.message


def test_reference_docx_and_fonts_stay_inside_the_template(tmp_path):
    source = _bureau(tmp_path, MINIMAL)
    (tmp_path / "tpl" / "reference.docx").symlink_to("/etc/passwd")
    with pytest.raises(ReportgenError) as err:
        build(source, tmp_path / "out", ("docx",))
    assert "指向模板文件夹之外" in err.value.message
    (tmp_path / "tpl" / "reference.docx").unlink()
    (tmp_path / "tpl" / "settings.yaml").write_text(
        "名称: 某区\n版式:\n  字体:\n    正文: {文件: [../../../../etc/shadow]}\n", encoding="utf-8"
    )
    with pytest.raises(ReportgenError) as err:
        build(source, tmp_path / "out", ("pdf",))
    assert "找不到字体文件" in err.value.message or "指向模板文件夹之外" in err.value.message


def _bomb(size: int) -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<x/>")
        z.writestr("word/document.xml", b"\0" * size)
    return data.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    start = time.perf_counter()
    source = _bureau(tmp_path, MINIMAL, **{"reference.docx": _bomb(300_000_000)})
    with pytest.raises(ReportgenError) as err:
        build(source, tmp_path / "out", ("docx",))
    assert "解压后过大" in err.value.message or "压缩比异常" in err.value.message
    checked = tmp_path / "bomb.docx"
    checked.write_bytes(_bomb(80_000_000))
    output = _one_line(run("check-layout", str(checked)), 2)
    assert "解压后过大" in output or "压缩比异常" in output
    assert time.perf_counter() - start < 30


def test_a_password_protected_pdf_is_named_as_such(tmp_path, every_example):
    import pikepdf

    source = next(p for p in every_example if p.suffix == ".pdf")
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(source) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="o", user="u"))
    output = _one_line(run("check-layout", str(locked)), 2)
    assert "PDF 文件有密码保护" in output


def test_text_and_document_size_are_bounded(write_yaml):
    (error,) = check(write_yaml(MINIMAL.replace("负责测试工作。", "A" * 6000))).errors
    assert error.message == "文字过长：最多 5000 字，请分成几段"
    many = "\n".join(f"    第{i}段。" for i in range(800))
    text = MINIMAL.replace("  部门职能: 负责测试工作。", "  部门职能: |\n" + many + "\n  职责补充: |\n" + many)
    start = time.perf_counter()
    errors = check(write_yaml(text, "many.yaml")).errors
    assert [e.message for e in errors if e.rule == "篇幅"] == ["段落、列表项和表格行过多：共 1600 项，上限 1500"]
    assert time.perf_counter() - start < 5


def test_an_unbreakable_latin_run_wraps_inside_the_text_block(write_yaml, tmp_path):
    path = write_yaml(MINIMAL.replace("负责测试工作。", "A" * 3000))
    pdf = build(path, tmp_path, ("pdf",)).outputs[0]
    lines = [line for page in pdf_pages(pdf) for line in page.splitlines() if line.startswith("A")]
    assert len(lines) > 50 and max(len(line) for line in lines) < 45  # within the 156 mm text block
    assert sum(line.count("A") for line in lines) == 3000  # and every A printed


def test_a_title_longer_than_a_word_property_builds(write_yaml, tmp_path):
    title = "[" + ", ".join(["甲" * 90] * 4) + "]"
    built = build(write_yaml(f"标题: {title}\n" + MINIMAL), tmp_path, ("docx",))
    with zipfile.ZipFile(built.outputs[0]) as z:
        assert "甲" * 90 in z.read("docProps/core.xml").decode("utf-8")


def test_characters_no_font_has_are_found_by_validate(write_yaml):
    (error,) = check(write_yaml(MINIMAL.replace("负责测试工作。", "负责测试工作😀。"))).errors
    assert error.rule == "缺字" and "U+1F600" in error.message and (error.line, error.column) == (4, 9)


def test_anchors_in_template_settings_are_refused(tmp_path):
    settings = "名称: 某区\n自定义: &a [1, 2]\n别名: *a\n"
    source = _bureau(tmp_path, MINIMAL)
    (tmp_path / "tpl" / "settings.yaml").write_text(settings, encoding="utf-8")
    with pytest.raises(InvalidReport) as err:
        build(source, tmp_path / "out", ("docx",))
    assert "锚点" in err.value.diagnostics[0].message or "锚点" in str(err.value.message)


def test_a_template_that_loops_is_stopped(tmp_path, monkeypatch):
    from reportgen.compose import sandbox

    monkeypatch.setattr(sandbox, "RENDER_SECONDS", 1)
    loop = (
        '{% extends "base/report.html.j2" %}{% block title %}'
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}{% endblock %}"
    )
    source = _bureau(tmp_path, MINIMAL, **{"report.html.j2": loop})
    start = time.perf_counter()
    with pytest.raises(ReportgenError) as err:
        build(source, tmp_path / "out", ("docx",))
    assert "模板运行超过 1 秒" in err.value.message and time.perf_counter() - start < 10


def test_sigterm_removes_what_was_being_written(tmp_path):
    many = "\n".join(f"    第{i}段，写一些文字，让生成需要一点时间。" for i in range(900))
    source = tmp_path / "big.yaml"
    source.write_text(MINIMAL.replace("  部门职能: 负责测试工作。", "  部门职能: |\n" + many), encoding="utf-8")
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "reportgen", "build", str(source), "-o", str(out)])
    deadline = time.time() + 60
    while time.time() < deadline and not (out.exists() and any(p.name.endswith(".tmp") for p in out.iterdir())):
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 128 + signal.SIGTERM
    assert [p.name for p in out.iterdir()] == []


def test_a_killed_build_s_leftovers_are_removed_by_the_next(tmp_path, write_yaml):
    path = write_yaml(MINIMAL)
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    leftover = out / f".report.docx.{dead.stdout.strip()}.abcd1234.tmp"
    leftover.write_bytes(b"half")
    build(path, out, ("docx",))
    assert sorted(p.name for p in out.iterdir()) == ["report.docx"]
    assert os.environ.get("REPORTGEN_DEBUG") is None  # messages, not tracebacks, in these tests
    assert ROOT.is_dir()


def test_a_word_file_of_too_many_paragraphs_is_not_walked(tmp_path, every_example):
    source = next(p for p in every_example if p.suffix == ".docx")
    many = b"".join(b"<w:p><w:r><w:t>%d</w:t></w:r></w:p>" % (i * 7919) for i in range(60_000))
    huge = docx_with_body(source, tmp_path / "huge.docx", many)
    start = time.perf_counter()
    output = _one_line(run("check-layout", str(huge)), 2)
    assert "段落过多（600" in output and time.perf_counter() - start < 20


def test_a_word_part_of_millions_of_tiny_elements_is_not_parsed(tmp_path, every_example):
    """A few megabytes of zip that would parse into a tree of gigabytes."""
    source = next(p for p in every_example if p.suffix == ".docx")
    rng = random.Random(1)  # varied, so that the zip does not look like a bomb
    tiny = b"".join(b'<a b="%x"/>' % rng.getrandbits(20) for _ in range(600_000))
    huge = docx_with_body(source, tmp_path / "tiny-elements.docx", tiny)
    output = _one_line(run("check-layout", str(huge)), 2)
    assert "word/document.xml 过于庞大（约 60" in output and "上限 500000" in output


def test_a_document_past_the_length_limit_is_refused_with_its_size(write_yaml):
    from reportgen.checks.file_rules import MAX_DOCUMENT_CHARS
    from reportgen.checks.validate import check

    line = "本年度完成了各项工作任务，取得明显成效。" * 20  # 400 characters
    paragraphs = "\n".join(f"    {line}" for _ in range(MAX_DOCUMENT_CHARS // len(line) + 2))
    path = write_yaml(f"部门名称: 测试局\n年度: 2024\n前言: |\n{paragraphs}\n")
    found = [d.message for d in check(path).errors if "正文过长" in d.message]
    assert len(found) == 1 and f"上限 {MAX_DOCUMENT_CHARS} 字" in found[0]
