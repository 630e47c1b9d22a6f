"""Citations and dates in the officer's text: a 文号 as GB/T 9704 writes it (机关代字〔年份〕序号号),
a basis document that has been superseded, a date range written with 至, a signature dated near
the year evaluated, numbered items without a gap.  Each warning gives the corrected text; a
`说明` in the part or section (or at the top of the file) silences them there."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

from reportgen.checks.glyphs import strings
from reportgen.checks.registry import CheckContext, rule
from reportgen.diagnostics import Diagnostic, Path_

_NOT_TEXT = ("模板", "$schema", "年度指标值", "实际完成值", "方向", "说明")

# 机关代字 + 〔年份〕 + 序号 + 号, with the brackets written otherwise or not at all.
_CODE = r"[\u4e00-\u9fff]{1,10}"
_FILE_NUMBER = re.compile(
    rf"(?P<code>{_CODE}?)(?P<open>[〔［\[（(【〖]?)\s*(?P<year>(?:19|20)\d{{2}})\s*(?P<close>[〕］\]）)】〗]?)\s*(?P<no>\d{{1,4}})\s*号"
)
_NOT_AGENCY = tuple("年月日第共约至和及与")

# Basis documents that have been repealed: (what replaced it, its title).  A bureau adds its own
# province's under 废止文件 in its settings.
SUPERSEDED = {
    "财预〔2011〕285号": ("财预〔2020〕10号", "《项目支出绩效评价管理办法》"),
    "财预〔2009〕76号": ("财预〔2020〕10号", "《项目支出绩效评价管理办法》"),
}

_DATE = r"(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日)?"
_RANGE = re.compile(rf"(?P<from>{_DATE})\s*(?P<dash>[-－—–~～]{{1,2}})\s*(?P<to>{_DATE})")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _texts(ctx: CheckContext) -> Iterator[tuple[Path_, str]]:
    """The file's texts (not its keys, nor fields whose marks are part of a figure), outside a
    part or section whose `说明` silences these rules."""
    for path, text in strings(ctx.loaded.data):
        if not path or path[-1] in _NOT_TEXT or (isinstance(path[-1], str) and text == path[-1]):
            continue
        if not _silenced(ctx.loaded.data, path):
            yield path, text


def _silenced(data: Any, path: Path_) -> bool:
    """Whether the file, or a mapping on the way to `path`, has a `说明`."""
    here = data
    for key in path:
        if isinstance(here, dict) and "说明" in here:
            return True
        try:
            here = here[key]
        except (KeyError, IndexError, TypeError):
            return False
    return False


_BEFORE_CODE = re.compile("^.*[的和及与有按据照依于是为在对从由将把等或、]")  # words before an agency's code


def agency(match: re.Match[str]) -> str:
    """The 机关代字 of a matched 文号, without the words that run into it (还有财办 → 财办)."""
    return _BEFORE_CODE.sub("", match["code"])


def proper_number(match: re.Match[str]) -> str:
    return f"{agency(match)}〔{match['year']}〕{match['no']}号"


@rule("文字", "文号")
def file_numbers(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A 文号 with its year in 〔〕 (GB/T 9704 §7.2.4): not [] or （）, not half a pair, not bare."""
    for path, text in _texts(ctx):
        for match in _FILE_NUMBER.finditer(text):
            code, opening, closing = agency(match), match["open"], match["close"]
            if not code or code.endswith(_NOT_AGENCY) or (opening == "〔" and closing == "〕"):
                continue
            if not opening and not closing and not re.search(r"\s", match.group()):
                continue  # 2020年10号 and the like: not a 文号
            written = match.group()[len(match["code"]) - len(code) :]
            problem = "只有半边括号" if bool(opening) != bool(closing) else "年份应括在六角括号〔〕中"
            yield ctx.warn(
                path,
                f"文号「{written}」{problem}：应写作「{proper_number(match)}」",
                "文号",
                at_value=True,
            )


@rule("文字", "废止文件")
def superseded_documents(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A basis document that has been repealed is cited as the one that replaced it."""
    table = {**SUPERSEDED, **{old: (new, "") for old, new in ctx.settings.废止文件.items()}}
    for path, text in _texts(ctx):
        for match in _FILE_NUMBER.finditer(text):
            number = proper_number(match)
            if number in table:
                new, title = table[number]
                yield ctx.warn(
                    path,
                    f"「{match.group()}」已废止，现行的是{title}（{new}）：请引用现行文件，"
                    "或在本节写「说明」注明引用旧文件的原因",
                    "废止文件",
                    at_value=True,
                )


@rule("文字", "日期范围")
def date_ranges(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A span of dates is written with 至 (2024年1月1日至12月31日), not a dash or a tilde."""
    for path, text in _texts(ctx):
        for match in _RANGE.finditer(text):
            if not (re.search("[年月]", match["from"]) and re.search("[月日]", match["to"])):
                continue
            corrected = f"{match['from']}至{match['to']}"
            yield ctx.warn(path, f"日期范围「{match.group()}」应写作「{corrected}」", "日期范围", at_value=True)


@rule("文字", "落款日期")
def signature_date(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A self-evaluation is written in the year after the one it evaluates: a signature dated
    before that year, or years after, is likely a slip."""
    signoff = ctx.report.落款
    if signoff is None or not signoff.日期 or _silenced(ctx.loaded.data, ("落款", "日期")):
        return
    found = re.search(r"(\d{4})\s*年", str(signoff.日期))
    if found is None:
        return
    year, evaluated = int(found[1]), ctx.report.年度
    if year < evaluated or year > evaluated + 2:
        yield ctx.warn(
            ("落款", "日期"),
            f"落款日期「{signoff.日期}」与被评价年度 {evaluated} 年不相称（自评通常在 {evaluated + 1} 年写成）：请核对",
            "落款日期",
            at_value=True,
        )


_PARENTHESISED = re.compile(r"[（(](\d{1,2})[）)]")


@rule("文字", "序号")
def numbering_gaps(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Numbered items in a text count on without a gap: ①②③ or （1）（2）（3）, not ①③."""
    for path, text in _texts(ctx):
        circled = [(_CIRCLED.index(c) + 1, c) for c in text if c in _CIRCLED]
        bracketed = [(int(m[1]), m.group()) for m in _PARENTHESISED.finditer(text)]
        for marks in (circled, bracketed):
            gap = next(((a, b) for a, b in itertools.pairwise(marks) if b[0] > a[0] + 1), None)
            if gap is not None:
                yield ctx.warn(
                    path, f"序号从「{gap[0][1]}」跳到「{gap[1][1]}」，中间少了编号：请核对", "序号", at_value=True
                )
