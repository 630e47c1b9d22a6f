"""Every check is a rule in the registry, with its ids and topic, and every id is documented."""

from __future__ import annotations

import re

from conftest import MINIMAL, ROOT

from reportgen.checks import registry
from reportgen.checks.validate import check
from reportgen.diagnostics import FORMAT

OWN_IDS = {FORMAT, "模板"}  # the reader's and the template's problems, outside the rules


def _documented_ids() -> set[str]:
    """The rule names in the first column of docs/checks.md's tables."""
    found: set[str] = set()
    for line in (ROOT / "docs" / "checks.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and not line.startswith("|---") and cells[0] not in ("规则", "情况", "项目"):
            found.update(part.strip() for part in re.split(r"[、，]", cells[0]))
    return found


def test_every_rule_id_is_in_docs_checks_md():
    ids = registry.ids()
    assert len(registry.RULES) >= 30 and len(ids) >= 40
    assert (ids | OWN_IDS) - _documented_ids() == set()


def test_every_rule_has_a_topic_a_phase_and_ids():
    for entry in registry.RULES:
        assert entry.topic in registry.TOPICS and entry.phase in registry.PHASES and entry.ids, entry.fn.__name__
        assert entry.fn.__doc__, f"{entry.fn.__name__} says why it exists"
    assert {"自评得分", "评分表覆盖", "指标评分", "项目得分", "评分依据"} <= registry.ids("评分")
    assert "资金来源合计" not in registry.ids("评分")


def test_every_problem_carries_a_registered_id(write_yaml):
    """A problem of each phase: the reader's, the file's, the report's, the text's."""
    text = (
        MINIMAL.replace("执行数: 95.00", "执行数: 95.00\n    资金来源: {一般公共预算财政拨款: 90}")
        .replace("部门职能: 负责测试工作。", "部门职能: 负责测试,工作。")
        .replace("年度: 2023", "年度: 2023\n未知部分: 1\n落款: {日期: 2023-01-05}")
    )
    checked = check(write_yaml(text))
    rules = {d.rule for d in checked.diagnostics}
    assert {"资金来源合计", "半角标点", "未知的键"} <= rules or FORMAT in rules
    assert all(d.rule in registry.ids() | OWN_IDS for d in checked.diagnostics), rules
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        for d in check(example, kinds=("报告", "自评表")).diagnostics:
            assert d.rule in registry.ids() | OWN_IDS, (example.name, d.format())


def test_a_rule_giving_an_id_it_did_not_register_is_a_bug(monkeypatch, write_yaml):
    import pytest

    def stray(ctx):
        yield ctx.warn(("部门名称",), "x", "没有登记的规则")

    monkeypatch.setattr(registry, "RULES", [registry.Rule(stray, "文字", ("别的",), "file")])
    with pytest.raises(AssertionError, match="没有登记 id「没有登记的规则」"):
        check(write_yaml(MINIMAL))
