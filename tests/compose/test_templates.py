"""Templates: search path, strictness, escaping of the author's text, district features."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINIMAL
from textutil import docx_paragraphs, pdf_body_text, squash

from reportgen.build import build
from reportgen.checks.validate import check
from reportgen.compose.composer import compose, rowspans
from reportgen.compose.filters import number_title as numbered
from reportgen.errors import TemplateError


def _document(path: Path, template_dir: Path | None = None):
    checked = check(path, template_dir=template_dir)
    assert checked.errors == [], checked.errors
    return compose(checked.report, checked.template, checked.fmt)


def test_author_text_is_printed_literally_in_both_outputs(write_yaml, tmp_path):
    tricky = "比较 a<b & c>d，模板语法 {{ r.部门名称 }} 与 {% if %} 原样印出。"
    path = write_yaml(MINIMAL.replace("继续努力。", tricky))
    built = build(path, tmp_path / "out", ("docx", "pdf"))
    docx_text = "".join(docx_paragraphs(built.outputs[0]))
    assert tricky in docx_text
    assert squash(tricky) in squash(pdf_body_text(built.outputs[1]))


def test_numbering_follows_position_unless_typed():
    assert numbered("部门职能", "（一）") == "（一）部门职能"
    assert numbered("(一) 部门职能", "（二）") == "(一) 部门职能"
    assert numbered("1.预算编制", "（三）") == "1.预算编制"


def test_rowspans_merge_equal_neighbours():
    assert rowspans(["产出", "产出", "产出", "效益", "效益", "满意"]) == [3, 0, 0, 2, 0, 1]
    assert rowspans([]) == []


def test_sections_numbered_in_written_order(write_yaml):
    text = MINIMAL.replace("  部门职能: 负责测试工作。\n", "  部门概况: 概况。\n  部门职能: 负责测试工作。\n")
    headings = [n.text for n in _document(write_yaml(text)).nodes if getattr(n, "level", 0) == 2]
    assert headings[:3] == ["（一）部门概况", "（二）部门职能", "（三）部门整体收支情况"]


def _bureau(tmp_path: Path, settings: str, report: str | None = None) -> Path:
    folder = tmp_path / "bureau"
    folder.mkdir()
    (folder / "settings.yaml").write_text(settings, encoding="utf-8")
    if report is not None:
        (folder / "report.html.j2").write_text(report, encoding="utf-8")
    return folder


def test_bureau_folder_takes_precedence(write_yaml, tmp_path):
    folder = _bureau(
        tmp_path,
        "名称: 某区\n格式:\n  比率小数位: 1\n附件标签: 附件3\n",
        '{% extends "base/report.html.j2" %}{% block title %}<h1><span>某区专用标题</span></h1>{% endblock %}',
    )
    doc = _document(write_yaml(MINIMAL), template_dir=folder)
    texts = [getattr(n, "text", None) or "".join(getattr(n, "lines", [])) for n in doc.nodes]
    assert texts[0] == "附件3" and texts[1] == "某区专用标题"
    assert any("完成预算的95.0%。" in t for t in texts)


def test_a_template_edited_between_builds_in_one_process_is_read_again(write_yaml, tmp_path):
    """Templates are compiled once a process (watch, a batch worker) and again when a file
    changes: a bureau editing its template while `watch` runs sees the edit."""
    import os

    block = '{% extends "base/report.html.j2" %}{% block title %}<h1><span>TITLE</span></h1>{% endblock %}'
    folder = _bureau(tmp_path, "名称: 某区\n", block.replace("TITLE", "第一版标题"))
    source = write_yaml(MINIMAL)
    assert _document(source, template_dir=folder).nodes[0].lines == ["第一版标题"]
    assert _document(source, template_dir=folder).nodes[0].lines == ["第一版标题"]
    page = folder / "report.html.j2"
    page.write_text(block.replace("TITLE", "第二版标题"), encoding="utf-8")
    stat = page.stat()
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # saved a second later
    assert _document(source, template_dir=folder).nodes[0].lines == ["第二版标题"]


def test_template_named_in_yaml_by_relative_path(write_yaml, tmp_path):
    _bureau(tmp_path, "名称: 某区\n附件标签: 附件9\n")
    doc = _document(write_yaml("模板: ./bureau\n" + MINIMAL))
    assert doc.nodes[0].text == "附件9"


def test_undefined_variable_is_an_error_with_template_line(write_yaml, tmp_path):
    folder = _bureau(
        tmp_path,
        "名称: 某区\n",
        '{% extends "base/report.html.j2" %}\n{% block title %}\n<h1><span>{{ r.不存在的字段 }}</span></h1>\n'
        "{% endblock %}\n",
    )
    with pytest.raises(TemplateError) as err:
        _document(write_yaml(MINIMAL), template_dir=folder)
    assert str(folder / "report.html.j2") + ":3:" in err.value.message
    assert "不存在的字段" in err.value.message


def test_template_syntax_error_names_file_and_line(write_yaml, tmp_path):
    folder = _bureau(tmp_path, "名称: 某区\n", '{% extends "base/report.html.j2" %}\n\n{% block title %}{% if %}\n')
    with pytest.raises(TemplateError) as err:
        _document(write_yaml(MINIMAL), template_dir=folder)
    assert "report.html.j2:3" in err.value.message and "语法错误" in err.value.message


def test_unsupported_markup_is_a_template_error(write_yaml, tmp_path):
    folder = _bureau(
        tmp_path, "名称: 某区\n", '{% extends "base/report.html.j2" %}{% block title %}<img/>{% endblock %}'
    )
    with pytest.raises(TemplateError) as err:
        _document(write_yaml(MINIMAL), template_dir=folder)
    assert "<img>" in err.value.message


def test_districts_differ_in_templates_not_code(write_yaml):
    yuexiu = _document(write_yaml("模板: 越秀\n部门简称: 测试\n" + MINIMAL.replace("综合评价分析", "绩效自评情况")))
    texts = [getattr(n, "text", "") for n in yuexiu.nodes]
    assert texts[0] == "附件2"
    assert "测试2023年度全年预算数100.00万元，执行数95.00万元，完成预算的95.0%。" in texts
    liwan = _document(write_yaml("模板: 荔湾\n" + MINIMAL, name="b.yaml"))
    assert "全年预算数100.00万元，执行数95.00万元，完成预算的95.00%。" in [getattr(n, "text", "") for n in liwan.nodes]
