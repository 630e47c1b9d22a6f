"""A narrative report (Word, PDF, text) turned into a YAML in the format.

The outline is named from the district template's; the figures of 部门整体收支情况 are lifted
into their keys, and the sentences quoting them are left out only where the template writes
them back word for word (tried by composing the result); elsewhere they stay as the author
wrote them, with the template's own sentences turned off, so nothing prints twice and nothing
is lost.  What the importer could not place or was unsure of is listed with its YAML line.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from reportgen.errors import InputError
from reportgen.figures.formulas import round_half_up
from reportgen.importing import funds as funds_text
from reportgen.importing import outline as ol
from reportgen.importing.items import Grid, Item, Para
from reportgen.importing.readers import read
from reportgen.input.model import PART_ALTERNATIVES
from reportgen.input.yaml_writer import Writer
from reportgen.template.folders import Template
from reportgen.template.settings import Settings

_WS = re.compile(r"\s+")
_SCORE = re.compile(r"(?:自评得分|自评分数|自评分|自评结果|得分)(?:为|是|：|:)?(?P<s>\d{2,3}(?:\.\d{1,2})?)分")
_DOC_NAME = re.compile(r"(?:部门|单位)?整体支出绩效(?:自评|自我评价|评价)报告|绩效自评报告")
INDICATOR_HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值"]
FUNDS_ORDER = [
    "全年预算数",
    "执行数",
    "年初预算数",
    "本年收入",
    "收入来源",
    "年初结转和结余",
    "资金来源",
    "支出性质",
    "总收入",
    "本年支出",
    "总支出",
    "年末结转和结余",
]
INNER_ORDER = [
    *("财政拨款收入", "一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入"),
    *("上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"),
    *("一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款", "其他资金"),
    *("基本支出", "人员经费", "公用经费", "项目支出"),
]


@dataclass
class Imported:
    text: str
    notes: list[tuple[int, str]] = field(default_factory=list)
    unit: str = ""
    year: int | None = None


@dataclass
class _Funds:
    section: ol.Section
    lifted: funds_text.Lifted
    keep_text: bool = True
    generated: int = 0  # how many of its first items the template writes back word for word


def squash(text: str) -> str:
    return _WS.sub("", text)


def parse_title(lines: list[str]) -> tuple[str, int | None]:
    """(unit, year) from a title such as 2022年度广州市公安局荔湾区分局部门整体支出绩效自评报告 or
    中国共产党……政法委员会2023年部门整体支出绩效自评报告."""
    text = squash("".join(lines))
    year_match = re.search(r"(20\d{2})年度?", text)
    year = int(year_match[1]) if year_match else None
    name = _DOC_NAME.search(text)
    head = text[: name.start()] if name else text
    if year_match and year_match.start() == 0:
        unit = head[year_match.end() :]
    elif year_match and year_match.start() < len(head):
        unit = head[: year_match.start()]
    else:
        unit = head
    unit = re.sub(r"^关于", "", unit).strip("：: ")
    return unit, year


def import_report(
    path: Path, template: Template, template_value: str | None, template_dir: Path | None = None
) -> Imported:
    """The YAML for the report at `path`; `template_value` is what its 模板 key says (a shipped
    district's name), `template_dir` a bureau's folder given on the command line."""
    label, title, items = read(path)
    if not title and not items:
        raise InputError(f"{path}: 错误: 文件中没有可导入的文字（如是扫描的 PDF，请先转为文字）")
    doc = ol.build(items, label, title)
    cover, doc.preamble = _cover(doc.preamble)
    unit, year = parse_title(title)
    guessed = bool(unit) and not _named_unit(cover) and not _DOC_NAME.search(squash("".join(title)))
    unit = _named_unit(cover) or unit
    year = year or _year_in(cover + title)
    settings = template.settings
    funds_sections = [
        found
        for p in doc.parts
        for s in p.sections
        if ol.section_key(s.name, [], set()) == "部门整体收支情况"
        and (found := _Funds(s, funds_text.lift("".join(_texts(s.body))))).lifted.figures  # words only: a section
    ]
    for f in funds_sections:
        f.keep_text = False
    read_in = _Read(doc, path, unit, year, label, title, template_value, settings, funds_sections, cover)
    if not funds_sections:
        read_in.quoted, read_in.host = _quoted_figures(doc, cover)
    read_in.signoff = _signoff(doc)
    read_in.unit_guessed = guessed
    trial = _write(read_in)
    regenerated = _regenerated(trial.text, path, template_dir, funds_sections)
    for f in funds_sections:
        f.generated = regenerated.get(id(f), 0)
        f.keep_text = True
    return _write(read_in)


_COVER_LINE = re.compile(
    r"^[^。，]{1,14}[:：]|[（(](?:公章|盖章|签章)[)）]|^\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?$"
)
_STAMP = r"(?:[（(][^)）]{1,4}[)）])?"  # 填报单位（盖章）：
_NAMED = [
    re.compile(rf"(?:部门[（(]单位[)）]名称|单位名称|部门名称|预算单位){_STAMP}[:：]\s*(?P<n>[^\s　（(：:]+)"),
    re.compile(rf"(?:填报单位|编制单位|报送单位){_STAMP}[:：]\s*(?P<n>[^\s　（(：:]+)"),
]


_PROJECT = re.compile(r"项目(?!支出)|专项|工程|(?<!人员)(?<!公用)经费(?!支出)")


def _about_a_project(sentence: str) -> bool:
    """A sentence whose subject — what stands before its first figure — is a project, a special
    fund or a line of spending, not the department ("…专项资金增加" in a reason clause is not)."""
    first = re.search(r"\d", sentence)
    return bool(_PROJECT.search(sentence[: first.start()] if first else sentence))


_MONEY = re.compile(r"\d(?:[\d,.]*)\s*(?:万元|元)")


def _quoted_figures(doc: ol.Outline, cover: list[str]) -> tuple[funds_text.Lifted | None, int]:
    """The department's figures quoted in running text (under 一、, in a section on something
    else, before the first part, on a form's lines under the title): every paragraph that states
    one, its sentences about a project or a special fund left out; the first mention of a figure
    is the figure."""
    places = [(0, [Para("\n".join(cover)), *doc.preamble])] + [
        (index, part.body + [i for s in part.sections for i in s.body]) for index, part in enumerate(doc.parts, 1)
    ]
    merged: funds_text.Lifted | None = None
    host = 0
    apart: list[str] = []
    for index, items in places:
        for text in _texts(items):
            sentences = re.split(r"(?<=[。；])", text)
            apart += [s for s in sentences if _about_a_project(s) and _MONEY.search(s)]
            lifted = funds_text.lift("".join(s for s in sentences if not _about_a_project(s)))
            if not lifted.figures:
                continue
            if merged is None:
                merged, host = lifted, index
                continue
            for key, value in lifted.figures.items():
                merged.figures.setdefault(key, value)
            for name, amount in lifted.last_year.items():
                merged.last_year.setdefault(name, amount)
    if merged is not None:
        merged.unplaced = []  # amounts of running text: not the figures' business
        merged.set_apart = [s.strip() for s in apart]
    return merged, host or (1 if doc.parts else 0)  # figures above the parts go in the first


def _cover(preamble: list[Item]) -> tuple[list[str], list[Item]]:
    """The lines under a title that say who reports and when (部门(单位)名称：, 填报单位：, 联系人：,
    a date, （公章）), apart from the text the report opens with."""
    cover: list[str] = []
    rest: list[Item] = []
    for item in preamble:
        if isinstance(item, Para) and len(item.text) <= 80 and _COVER_LINE.search(item.text.strip()):
            cover.append(item.text.strip())
        else:
            rest.append(item)
    return cover, rest


def _named_unit(lines: list[str]) -> str:
    """The unit a cover line names: 部门(单位)名称 before 填报单位 (often one office of it)."""
    for pattern in _NAMED:
        for line in lines:
            found = pattern.search(line)
            if found:
                return found["n"]
    return ""


def _year_in(lines: list[str]) -> int | None:
    for line in lines:
        found = re.search(r"(?:年度[:：]\s*|[（(])(20\d{2})", line)
        if found:
            return int(found[1])
    return None


def _texts(items: list[Item]) -> list[str]:
    return [i.text for i in items if isinstance(i, Para)]


def _regenerated(text: str, source: Path, template_dir: Path | None, sections: list[_Funds]) -> dict[int, int]:
    """For each funds section: how many of its first paragraphs the template, given only the
    figures, prints word for word (0: none, the author's sentences stay)."""
    from reportgen.build import document_for
    from reportgen.checks.validate import check
    from reportgen.compose.tree import Heading, Paragraph

    if not sections:
        return {}
    with tempfile.TemporaryDirectory() as tmp:
        candidate = Path(tmp) / f"{source.stem}.yaml"
        candidate.write_text(text, encoding="utf-8")
        try:
            checked = check(candidate, template_dir=template_dir)
            if checked.errors:
                return {}
            document = document_for(checked, "报告")
        except Exception:  # the trial is only a shortcut: any failure keeps the author's text
            return {}
    found: dict[int, int] = {}
    nodes = document.nodes
    for f in sections:
        for i, node in enumerate(nodes):
            if isinstance(node, Heading) and squash(node.text) == squash(f.section.heading):
                printed = []
                for after in nodes[i + 1 :]:
                    if not isinstance(after, Paragraph):
                        break
                    printed.append(after.text)
                found[id(f)] = _prefix(squash("".join(printed)), f.section.body)
                break
    return found


def _prefix(printed: str, body: list[Item]) -> int:
    """How many of the first items of `body` are, together, exactly `printed`."""
    written = ""
    for count, item in enumerate(body, 1):
        if not isinstance(item, Para):
            return 0
        written += squash(item.text)
        if written == printed:
            return count
        if not printed.startswith(written):
            return 0
    return 0


@dataclass
class _Read:
    """A report as read: its outline, where it came from, what its title says, the template it
    is written for, and its funds sections with the figures lifted from them."""

    doc: ol.Outline
    source: Path
    unit: str
    year: int | None
    label: str
    title: list[str]
    template_value: str | None
    settings: Settings
    funds_sections: list[_Funds]
    cover: list[str] = field(default_factory=list)  # lines under the title that are not the report's text
    quoted: funds_text.Lifted | None = None  # figures in running text, when no section is about them
    host: int = 0  # the part (1-based) whose text quotes them; 0: the text before the first part
    signoff: tuple[str, str] | None = None  # the unit and the date under the last part
    unit_guessed: bool = False  # the unit is the title's text, with nothing saying it is one


def _write(read_in: _Read) -> Imported:
    doc, settings, funds_sections = read_in.doc, read_in.settings, read_in.funds_sections
    w = Writer()
    name = read_in.source.name
    w.comment(f"由 reportgen import 从「{name}」导入。标有「请核对」的地方请逐一核对，核对后可删去这些注释。")
    w.comment("先运行 reportgen validate 本文件，再运行 reportgen build 本文件。")
    _head(w, read_in)
    if doc.preamble:
        w.blank()
        _content(w, "前言", doc.preamble, 0, settings)
    taken: set[str] = set()
    quoted = read_in.quoted
    named = {key for part in doc.parts if (key := ol.part_key(part.name, list(settings.大纲), set()))}
    for index, part in enumerate(doc.parts, 1):
        here = quoted if index == read_in.host else None
        _part(w, index, part, taken, settings, funds_sections, here, named)
    for number, key in enumerate(settings.大纲, 1):
        if key not in taken and PART_ALTERNATIVES.get(key) not in taken:
            w.blank()
            w.note(f"原文没有第{number}部分「{key}」，请补写（本模板要求有这一部分）")
            if quoted is not None and read_in.host == 0:
                w.key(key)
                w.text_block("内容", ["（请补写）"], 2)
                _quoted_funds(w, quoted)
                quoted = None
            else:
                w.text_block(key, ["（请补写）"])
    if read_in.signoff is not None:
        w.blank()
        w.comment("原文末尾的署名和日期")
        w.key("落款")
        w.key("单位", read_in.signoff[0], 2)
        w.key("日期", read_in.signoff[1], 2)
    return Imported(w.text(), w.notes, read_in.unit, read_in.year)


def _head(w: Writer, read_in: _Read) -> None:
    """The keys before the parts: the unit, the year, the template, the label, a title of its
    own, the number format the figures were written in, a score quoted in the text."""
    doc, unit, year, label, title = read_in.doc, read_in.unit, read_in.year, read_in.label, read_in.title
    settings, template_value = read_in.settings, read_in.template_value
    if not unit:
        w.note("标题中没有找到部门全称，请填写")
    if read_in.unit_guessed:
        w.note("标题中没有「部门整体支出绩效自评报告」等字样，部门名称取自标题，请核对")
    for line in read_in.cover:
        w.note(f"原文标题下的一行，未写入正文：「{line}」")
    w.key("部门名称", unit or "（请填写部门全称）")
    if year is None:
        w.note("标题中没有找到年度，请填写被评价年度")
    w.key("年度", year)
    if template_value:
        w.key("模板", template_value)
    if label and label != settings.附件标签:
        w.key("附件标签", label)
    if title and squash("".join(title)) != f"{year}年度{unit}{settings.文书名称}":
        if len(title) == 1:
            w.key("标题", title[0])
        else:
            w.key("标题")
            for line in title:
                w.item(line, 2)
    _formats(w, read_in)
    _score(w, doc)


def _formats(w: Writer, read_in: _Read) -> None:
    """The number format the figures were written in: thousands separated, or turned from 元."""
    lifted = [f.lifted for f in read_in.funds_sections] + ([read_in.quoted] if read_in.quoted else [])
    thousands = any(x.thousands for x in lifted) and not read_in.settings.格式.千位分隔符
    from_yuan = any(x.converted for x in lifted)
    if thousands or from_yuan:
        w.key("格式")
    if thousands:
        w.key("千位分隔符", True, 2)
    if from_yuan:
        w.key("金额小数位", 2, 2, "原文以元为单位，换算为万元后保留全部位数，印出时取两位小数")


def _score(w: Writer, doc: ol.Outline) -> None:
    """The department's 自评得分 as the text states it (a project's score is not it)."""
    all_text = "".join(
        squash(t) for p in doc.parts for t in _texts(p.body) + [x for s in p.sections for x in _texts(s.body)]
    )
    score = next(
        (m for m in _SCORE.finditer(all_text) if not _about_a_project(_sentence_at(all_text, m.start()))), None
    )
    if score:
        w.comment(f"从「{all_text[max(0, score.start() - 10) : score.end()]}」读出", 0)
        w.key("自评得分", Decimal(score["s"]))


_DATE = r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"


def _signoff(doc: ol.Outline) -> tuple[str, str] | None:
    """The unit and date a report ends with (its 落款), taken from the last part's text: on one
    line as the text reader joins them, or on two."""
    if not doc.parts:
        return None
    part = doc.parts[-1]
    body = part.sections[-1].body if part.sections else part.body
    paras = [i for i in body if isinstance(i, Para)]
    if not paras:
        return None
    last = squash(paras[-1].text)
    joined = re.fullmatch(rf"(?P<u>[^，。；：:！？]{{2,40}}?)(?P<d>{_DATE})", last)
    if joined and len(paras) >= 1:
        body.remove(paras[-1])
        return joined["u"], joined["d"]
    if len(paras) >= 2 and re.fullmatch(_DATE, last):
        unit = squash(paras[-2].text)
        if re.fullmatch(r"[^，。；：:！？]{2,40}", unit):
            body.remove(paras[-1])
            body.remove(paras[-2])
            return unit, last
    return None


def _sentence_at(text: str, at: int) -> str:
    start = max(text.rfind(mark, 0, at) for mark in "。；") + 1
    return text[start : at + 1]


def _part(
    w: Writer,
    index: int,
    part: ol.Part,
    taken: set[str],
    settings: Settings,
    funds_sections: list[_Funds],
    quoted: funds_text.Lifted | None = None,
    named: frozenset[str] | set[str] = frozenset(),
) -> None:
    """One part (一、) under the outline's key for it, or its own heading as its key."""
    outline = settings.大纲
    key = ol.part_key(part.name, list(outline), taken) or _in_place(index, list(outline), taken | set(named))
    standard = key is not None
    key = key or part.name
    if key in taken:
        key = f"{key}（{index}）"
        standard = False
    taken.add(key)
    taken.add(PART_ALTERNATIVES.get(key, key))
    w.blank()
    auto = ol.auto_part_heading(index, settings.标题改写.get(key, key))
    own_heading = not standard or squash(part.heading) != squash(auto)
    if not part.sections and not own_heading and part.body and _plain(part.body) and quoted is None:
        w.text_block(key, _texts(part.body))
        return
    w.key(key)
    if own_heading:
        w.key("标题", part.heading, 2)
    if part.body:
        _content(w, "内容", part.body, 2, settings)
    standard_sections = outline.get(key, outline.get(PART_ALTERNATIVES.get(key, ""), []))
    section_taken: set[str] = set()
    for s_index, section in enumerate(part.sections, 1):
        _section(w, s_index, section, standard_sections, section_taken, settings, funds_sections)
    if quoted is not None:
        _quoted_funds(w, quoted)


def _in_place(index: int, outline: list[str], taken: set[str]) -> str | None:
    """The outline's part at this part's place, when the report names it in words of its own
    (一、部门概况 for 基本情况) and no other part is named for it: its heading is kept as 标题, and no
    empty part is added beside it."""
    if index > len(outline):
        return None
    key = outline[index - 1]
    return None if key in taken or PART_ALTERNATIVES.get(key) in taken else key


def _section(
    w: Writer,
    s_index: int,
    section: ol.Section,
    standard_sections: list[str],
    section_taken: set[str],
    settings: Settings,
    funds_sections: list[_Funds],
) -> None:
    """One section (（一）) under the outline's key for it; the funds section with its figures."""
    found = next((f for f in funds_sections if f.section is section), None)
    s_key = ol.section_key(section.name, standard_sections, section_taken) or section.name
    if found is None and s_key == "部门整体收支情况":  # a funds heading over words only: a section of its own
        s_key = f"{s_key}说明" if funds_sections else section.name
    if s_key == "机构和人员":  # its figures are not read: the text stays as written
        s_key = "机构和人员情况"
    if s_key in section_taken or s_key in ("标题", "内容"):
        s_key = f"{section.name}（{s_index}）"
    section_taken.add(s_key)
    auto = ol.auto_section_heading(s_index, settings.标题改写.get(s_key, s_key))
    heading = None if squash(section.heading) == squash(auto) else section.heading
    if found is not None:
        _funds(w, s_key, heading, found, settings)
    elif (
        heading is None
        and section.body
        and all(isinstance(i, Para) and not i.unsure for i in section.body)
        and not any(ol.small_heading(i.text) for i in section.body if isinstance(i, Para))
    ):
        w.text_block(s_key, _texts(section.body), 2)
    else:
        w.key(s_key, indent=2)
        if heading is not None:
            w.key("标题", heading, 4)
        _content(w, "内容", section.body, 4, settings, empty_ok=True)


def _funds(w: Writer, key: str, heading: str | None, found: _Funds, settings: Settings) -> None:
    w.key(key, indent=2)
    if heading is not None:
        w.key("标题", heading, 4)
    _figure_keys(w, found.lifted, 4)
    if not found.keep_text:
        return  # the trial: figures alone
    rest = found.section.body[found.generated :]
    if found.generated == 0 and found.lifted.figures:
        w.comment("原文的收支句子照原样保留（模板按上面的数字生成的句子与原文不完全相同，故不印模板的句子）", 4)
        w.key("句子", "不印", 4)
    elif found.generated:
        w.comment("收支句子由模板按上面的数字生成，与原文相同", 4)
    _content(w, "内容", rest, 4, settings, empty_ok=True)


def _figure_keys(w: Writer, lifted: funds_text.Lifted, indent: int) -> None:
    """The lifted figures under their keys, and a note on each one the officer should look at."""
    groups: dict[str, dict[str, Decimal]] = {}
    order = [*FUNDS_ORDER, *INNER_ORDER]
    for path, value in sorted(lifted.figures.items(), key=lambda kv: [order.index(k) for k in kv[0]]):
        if len(path) == 1:
            w.key(path[0], value, indent)
        else:
            groups.setdefault(path[0], {})[path[1]] = value
    for group, values in groups.items():
        w.key(group, indent=indent)
        for name, value in values.items():
            w.key(name, value, indent + 2)
    if lifted.last_year:
        w.comment("上年的数字由原文的「上年……」「比上年增加（减少）……万元」得出", indent)
        w.key("上年", indent=indent)
        for name, value in lifted.last_year.items():
            w.key(name, value, indent + 2)
    rate = _typed_rate_differs(lifted)
    if rate is not None:
        w.comment("原文所写的完成率，与按全年预算数和执行数计算的不同", indent)
        w.key("预算完成率", rate, indent)
    for amount in lifted.converted:
        w.note(f"「{amount}」已换算为万元", indent)
    for piece in lifted.unplaced:
        w.note(f"未能归入的金额：「{piece}」", indent)
    for sentence in lifted.set_apart:
        w.note(f"项目或专项资金的数字，未作为部门的数字：「{sentence}」", indent)


def _quoted_funds(w: Writer, quoted: funds_text.Lifted) -> None:
    """Figures the report quotes in its running text, kept for the arithmetic and the 自评表:
    the text stays where it is, as written, and nothing of this section is printed."""
    w.key("部门整体收支情况", indent=2)
    w.note("收支数字取自原文正文（正文照原样印出，这里只存数字，不印）", 4)
    w.key("句子", "不印", 4)
    _figure_keys(w, quoted, 4)


def _typed_rate_differs(lifted: funds_text.Lifted) -> Decimal | None:
    typed = lifted.typed_rate
    budget = lifted.figures.get(("全年预算数",))
    spent = lifted.figures.get(("执行数",))
    if typed is None or not budget or spent is None:
        return typed if typed is not None and not budget else None
    exponent = typed.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) else 2
    computed = round_half_up(spent / budget * 100, max(places, 0))
    return None if computed == typed else typed


def _content(w: Writer, key: str, items: list[Item], indent: int, settings: Settings, empty_ok: bool = False) -> None:
    if not items:
        if empty_ok:
            return
        w.text_block(key, ["（请补写）"], indent)
        return
    if _plain(items):
        w.text_block(key, _texts(items), indent)
        return
    w.key(key, indent=indent)
    for item in items:
        if isinstance(item, Grid):
            _table(w, item, indent + 2)
        elif ol.small_heading(item.text):
            w.lines.append(" " * (indent + 2) + f"- 小标题: {_quoted(item.text)}")
        else:
            if item.unsure:
                w.note(item.unsure, indent + 2)
            w.item(item.text, indent + 2)


def _plain(items: list[Item]) -> bool:
    """Paragraphs only, none flagged: written as one literal block."""
    return all(isinstance(i, Para) and not i.unsure and not ol.small_heading(i.text) for i in items)


def _quoted(text: str) -> str:
    from reportgen.input.yaml_writer import scalar

    return scalar(text)


def _table(w: Writer, grid: Grid, indent: int) -> None:
    rows = [r for r in grid.rows if any(c.strip() for c in r)]
    if not rows:
        return
    columns = max(len(r) for r in rows)
    rows = [r + [""] * (columns - len(r)) for r in rows]
    header, body = rows[0], rows[1:]
    pad = " " * indent
    if header[:4] == INDICATOR_HEADER and columns == 4 and body:
        w.lines.append(pad + "- 指标表:")
        w.lines.append(pad + "    指标:")
        for row in body:
            cells = ", ".join(f"{k}: {_quoted(v)}" for k, v in zip(INDICATOR_HEADER, row, strict=True) if v)
            w.lines.append(pad + f"      - {{{cells}}}")
        return
    if not body:
        w.note("只有一行的表格，按文字保留", indent)
        w.item("".join(header), indent)
        return
    w.lines.append(pad + "- 表格:")
    w.lines.append(pad + "    表头: [" + ", ".join(_quoted(c or " ") for c in header) + "]")
    w.lines.append(pad + "    行:")
    for row in body:
        w.lines.append(pad + "      - [" + ", ".join(_quoted(c) for c in row) + "]")
