"""The narrative seeds, reproduced from their YAML: every sentence in both outputs, same text."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES, ROOT, seed_path
from textutil import docx_paragraphs, missing_sentences, pdf_body_text, seed_sentences, squash

from reportgen.checks.validate import check


@pytest.mark.parametrize("number", sorted(EXAMPLES))
def test_every_seed_sentence_in_docx_and_pdf(built, number):
    seed = seed_path(number)
    sentences = seed_sentences(seed)
    assert len(sentences) > 20
    docx_text = "\n".join(docx_paragraphs(built[number]["docx"]))
    pdf_text = pdf_body_text(built[number]["pdf"])
    assert missing_sentences(seed, docx_text) == []
    assert missing_sentences(seed, pdf_text) == []


@pytest.mark.parametrize("number", sorted(EXAMPLES))
def test_docx_text_equals_pdf_text(built, number):
    docx_text = squash("".join(docx_paragraphs(built[number]["docx"])))
    pdf_text = squash(pdf_body_text(built[number]["pdf"]))
    assert docx_text == pdf_text


def _line_of(name: str, needle: str) -> int:
    lines = (ROOT / "examples" / f"{name}.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.strip().startswith(needle))


# The seeds' own inconsistencies, each of which validate must report as a warning.
EXPECTED_WARNINGS = {
    "000": {("资金来源合计", "资金来源:"), ("结转结余", "年末结转和结余:"), ("引号", "部门年度重点工作任务:")},
    "001": {("文号", "- 项目概述：")},  # 穗府办规[2020]8号, with square brackets as published
    "002": {("结转结余", "年末结转和结余:")},
    "004": {("资金来源合计", "资金来源:"), ("结转结余", "年末结转和结余:")},
}
# Half-width punctuation in the seeds' Chinese text (as published, "(一)" and "赋能,提升"), one
# warning for each text that has it.
HALF_WIDTH = {"000": 0, "001": 6, "002": 3, "004": 27}


@pytest.mark.parametrize("number", sorted(EXAMPLES))
def test_seed_inconsistencies_are_warnings_with_lines(number):
    name = EXAMPLES[number]
    checked = check(ROOT / "examples" / f"{name}.yaml")
    assert checked.errors == []
    found = {(d.rule, d.line) for d in checked.warnings if d.rule != "半角标点"}
    expected = {(rule, _line_of(name, key)) for rule, key in EXPECTED_WARNINGS[number]}
    assert found == expected
    half = [d for d in checked.warnings if d.rule == "半角标点"]
    assert len(half) == HALF_WIDTH[number]
    assert all("应为全角" in d.message for d in half)


def test_seed_000_figures_are_quoted_from_the_yaml(built):
    text = squash("".join(docx_paragraphs(built["000"]["docx"])))
    assert "全年预算数150,490.53万元，执行数150,147.52万元，完成预算的99.77%。" in text


def test_seed_001_prints_one_decimal_and_label(built):
    paragraphs = docx_paragraphs(built["001"]["docx"])
    assert paragraphs[0] == "附件2"
    assert "完成预算的99.3%。" in "".join(paragraphs)


def test_examples_start_with_the_schema_line():
    for name in EXAMPLES.values():
        first = (ROOT / "examples" / f"{name}.yaml").read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/report.schema.json"


# Digests of the published texts as received; a seed edited by hand would no longer reproduce them.
SEED_DIGESTS = {
    "000_4ef4cf740139d017.txt": "dfebf6224880968b4d801fccba6e7980eaadaf3c819d5cb07a39fe4cd61b08c7",
    "001_491bfd5196980171.txt": "c599958c865c92b0f8d206b99e4a4f06081cad491c501b6f5c00ae28a532c0c0",
    "002_2f7106ff18cc8ceb.txt": "57c73fa8ade6c9ca6627db510913845570c94ad3023fdd81bbf2ada2028f448f",
    "003_5d8deeef18680608.txt": "b3648691490c015f5e2f21b696d4e1ee5d7defaadf6af32dfdef66f1658333ce",
    "004_f7ff4fecbd02e17f.txt": "91d1d0cfa603566eee2455d6a5ce981c606e57bac892580fc3ef860f9122ee4d",
}


def test_seeds_are_verbatim_copies():
    import hashlib

    present = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (ROOT / "seeds").iterdir()}
    assert present == SEED_DIGESTS
    shared = ROOT.parent / "shared" / "seeds"
    for original in shared.glob("*.txt"):
        assert (ROOT / "seeds" / original.name).read_bytes() == original.read_bytes()
