"""The XML of a bureau's reference.docx, read safely and stripped of what acts on its own.

Word fetches and runs things a document names: a field that pulls in a file or a web address
(INCLUDEPICTURE, INCLUDETEXT, LINK, DDE…), an embedded or linked object, a picture linked from
a share.  A reference document lends reportgen its styles, page setup and footers, nothing
more: these are taken out of each part it keeps, each counted so that the template can be told.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

from reportgen.errors import TemplateError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W = f"{{{W}}}"
MAX_ELEMENTS = 500_000  # one part's elements: a long report's document.xml has about 100,000

# Fields that read a file, a database or another program when Word updates them, or link out.
FETCHING = frozenset(
    (
        "INCLUDEPICTURE",
        "INCLUDETEXT",
        "INCLUDE",
        "IMPORT",
        "LINK",
        "DDE",
        "DDEAUTO",
        "DATABASE",
        "RD",
        "EMBED",
        "HYPERLINK",
    )
)
# Elements that hold an object (OLE, ActiveX, a sub-document, a chunk of another file).
OBJECTS = (
    f"{_W}object",
    f"{_W}control",
    f"{_W}subDoc",
    f"{_W}altChunk",
    "{urn:schemas-microsoft-com:office:office}OLEObject",
)
_HOLDERS = (f"{_W}drawing", f"{_W}pict", f"{_W}object")  # what a dangling picture reference sits in
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, remove_comments=True, remove_pis=True
)


def parse(data: bytes, where: str) -> etree._Element:
    """One part, bounded and with entities off; a DOCTYPE (where entity bombs live) is refused:
    Word never writes one."""
    elements = data.count(b"<") - data.count(b"</")
    if elements > MAX_ELEMENTS:
        raise TemplateError(f"{where} 过于庞大（约 {elements} 个 XML 元素，上限 {MAX_ELEMENTS}），不像参考文档")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise TemplateError(f"{where} 不是有效的 XML（第 {exc.lineno} 行：{exc.msg}）") from exc
    info = root.getroottree().docinfo
    if getattr(info, "doctype", "") or info.internalDTD is not None:
        raise TemplateError(f"{where} 含有 <!DOCTYPE>（实体声明），Word 文件中不应有")
    return root


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def strip(root: etree._Element, kept_ids: set[str], found: Counter[str]) -> None:
    """Take out fetching fields, objects, and whatever refers to a relationship not kept (a
    hyperlink keeps its text; a picture goes whole); `found` counts each kind taken out."""
    _fields(root, found)
    for element in [e for e in root.iter(*OBJECTS)]:
        _remove(element)
        found["嵌入对象"] += 1
    _dangling(root, kept_ids)


STYLE_TYPES = ("paragraph", "character", "table", "numbering")


def styles(root: etree._Element) -> bool:
    """Styles as the Word writer can read them: one without a type is a paragraph style, as Word
    takes it; one without a name goes by its id; one of a type Word does not know, or with
    neither name nor id, is dropped.  Whether a "Normal" style is there, which every style the
    writer adds is based on."""
    for style in root.findall(f"{_W}style"):
        kind, ident = style.get(f"{_W}type"), style.get(f"{_W}styleId") or ""
        name = style.find(f"{_W}name")
        named = name is not None and bool(name.get(f"{_W}val"))
        if (kind is not None and kind not in STYLE_TYPES) or not (named or ident):
            root.remove(style)
            continue
        if kind is None:
            style.set(f"{_W}type", "paragraph")
        if not named:
            if name is not None:
                style.remove(name)
            style.insert(0, etree.Element(f"{_W}name", {f"{_W}val": ident}))
    names = root.findall(f"{_W}style/{_W}name")
    return any((name.get(f"{_W}val") or "").lower() == "normal" for name in names)


def _field_name(instruction: str) -> str:
    words = instruction.split()
    return words[0].upper() if words else ""


@dataclass
class _Field:
    """A field written over several runs: its begin, instruction and separator marks, its code."""

    parts: list[etree._Element] = field(default_factory=list)
    instruction: str = ""
    shown: bool = False  # past its separator: what follows is the result it shows


def _fields(root: etree._Element, found: Counter[str]) -> None:
    """Fetching fields lose their code and keep the result they show, as plain text."""
    for simple in [e for e in root.iter(f"{_W}fldSimple")]:
        name = _field_name(simple.get(f"{_W}instr") or "")
        if name in FETCHING:
            _unwrap(simple)
            found[f"域 {name}"] += 1
    stack: list[_Field] = []
    for element in [e for e in root.iter(f"{_W}fldChar", f"{_W}instrText", f"{_W}delInstrText")]:
        kind = element.get(f"{_W}fldCharType")
        if kind == "begin":
            stack.append(_Field([element]))
        elif not stack:
            continue  # a field's end or code without its beginning: Word ignores it
        elif kind is None and not stack[-1].shown:
            stack[-1].parts.append(element)
            stack[-1].instruction += element.text or ""
        elif kind == "separate":
            stack[-1].parts.append(element)
            stack[-1].shown = True
        elif kind == "end":
            stack[-1].parts.append(element)
            _drop_fetching(stack.pop(), found)
    for unended in stack:
        _drop_fetching(unended, found)


def _drop_fetching(code: _Field, found: Counter[str]) -> None:
    name = _field_name(code.instruction)
    if name in FETCHING:
        for part in code.parts:
            _remove(part)
        found[f"域 {name}"] += 1


def _dangling(root: etree._Element, kept_ids: set[str]) -> None:
    """A hyperlink to a dropped relationship keeps its text; a picture or object goes whole; any
    other element (a printer's settings, an attached template) goes.  The relationship itself
    was counted where it was dropped."""
    for element in list(root.iter()):
        refs = [str(v) for k, v in element.attrib.items() if str(k).startswith(f"{{{R}}}")]
        if not refs or all(v in kept_ids for v in refs):
            continue
        if element.tag == f"{_W}hyperlink":
            _unwrap(element)
            continue
        holder = next((a for a in element.iterancestors(*_HOLDERS)), None)
        _remove(holder if holder is not None else element)  # a no-op inside what is gone already


def _remove(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def _unwrap(element: etree._Element) -> None:
    """`element` replaced by its children, in place."""
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    parent.remove(element)
