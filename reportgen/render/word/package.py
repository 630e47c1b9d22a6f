"""The Word file's package as Word and WPS expect a native document: the official fonts described
in fontTable.xml (so that a PC without one substitutes a like face), no theme fonts, no
leftovers of the blank template python-docx starts from (thumbnail, custom XML, unused styles,
"Microsoft Macintosh Word"), properties from the report, and the same bytes for the same input.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"

# Each official font as Windows knows it: another name it goes by, its panose, its family.  The
# charset 86 is GB2312: what tells Word and WPS to substitute a Chinese face, not a Latin one.
FONT_TABLE = {
    "方正小标宋简体": ("FZXiaoBiaoSong-B05S", "02000000000000000000", "script"),
    "仿宋_GB2312": ("仿宋", "02010609030101010101", "modern"),
    "仿宋": ("FangSong", "02010609060101010101", "modern"),
    "黑体": ("SimHei", "02010609060101010101", "modern"),
    "楷体_GB2312": ("楷体", "02010609030101010101", "modern"),
    "楷体": ("KaiTi", "02010609060101010101", "modern"),
    "宋体": ("SimSun", "02010600030101010101", "auto"),
}
_DROPPED = ("docProps/thumbnail.jpeg", "word/stylesWithEffects.xml")
_ALWAYS_KEPT = ("Normal", "DefaultParagraphFont", "TableNormal", "NoList")


@dataclass(frozen=True)
class Properties:
    title: str
    unit: str
    year: int | None
    issued: datetime


def finish(data: bytes, properties: Properties, *, own_styles: bool) -> bytes:
    """The package rewritten: native parts, then every member with a fixed timestamp."""
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    unused = [n for n in parts if n in _DROPPED or n.startswith("customXml/")]
    if b"<w:numPr" not in parts.get("word/document.xml", b""):  # the blank template's list definitions
        unused.append("word/numbering.xml")
    for name in unused:
        parts.pop(name, None)
    parts["[Content_Types].xml"] = _content_types(parts["[Content_Types].xml"], parts)
    for name in [n for n in parts if n.endswith(".rels")]:
        base = name.rsplit("_rels/", 1)[0]
        parts[name] = _relationships(parts[name], parts, base=base)
    if "word/styles.xml" in parts:
        parts["word/styles.xml"] = _styles(parts, prune=own_styles)
    parts["word/fontTable.xml"] = _font_table(parts)
    if "word/theme/theme1.xml" in parts:
        parts["word/theme/theme1.xml"] = _theme(parts["word/theme/theme1.xml"])
    parts["word/settings.xml"] = _settings(parts["word/settings.xml"])
    parts["docProps/core.xml"] = _core(properties)
    parts["docProps/app.xml"] = _app(properties)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content)
    return out.getvalue()


def _content_types(data: bytes, parts: dict[str, bytes]) -> bytes:
    root = etree.fromstring(data)
    for child in list(root):
        name = (child.get("PartName") or "").lstrip("/")
        if (child.get("PartName") and name not in parts) or (
            child.get("Extension") == "jpeg" and not any(n.endswith(".jpeg") for n in parts)
        ):
            root.remove(child)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _relationships(data: bytes, parts: dict[str, bytes], base: str) -> bytes:
    """Relationships to parts that are there; none to anything outside the file (reportgen links
    nowhere: what a reference document linked to is not carried along)."""
    root = etree.fromstring(data)
    for rel in list(root):
        target = rel.get("Target") or ""
        resolved = os.path.normpath(base + target).replace("\\", "/")
        if rel.get("TargetMode") == "External" or resolved not in parts:
            root.remove(rel)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


_THEME_ATTRIBUTES = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


def _styles(parts: dict[str, bytes], *, prune: bool) -> bytes:
    """No theme fonts anywhere; with the default template, only the styles the document uses."""
    root = etree.fromstring(parts["word/styles.xml"])
    for fonts in root.iter(f"{_W}rFonts"):
        for attribute in _THEME_ATTRIBUTES:
            if f"{_W}{attribute}" in fonts.attrib:
                del fonts.attrib[f"{_W}{attribute}"]
        parent = fonts.getparent()
        if not fonts.attrib and parent is not None:
            parent.remove(fonts)
    if prune:
        by_id = {s.get(f"{_W}styleId"): s for s in root.findall(f"{_W}style")}
        used = set(_ALWAYS_KEPT)
        for name, content in parts.items():
            if name.startswith("word/") and name.endswith(".xml") and name != "word/styles.xml":
                used.update(re.findall(rb'w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', (content and content) or b""))
        used = {u.decode() if isinstance(u, bytes) else u for u in used}
        pending = list(used)
        while pending:
            style = by_id.get(pending.pop())
            if style is None:
                continue
            for link in ("basedOn", "next", "link"):
                el = style.find(f"{_W}{link}")
                target = el.get(f"{_W}val") if el is not None else None
                if target and target not in used:
                    used.add(target)
                    pending.append(target)
        for style_id, style in by_id.items():
            if style_id not in used:
                root.remove(style)
        latent = root.find(f"{_W}latentStyles")
        if latent is not None:
            root.remove(latent)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _font_table(parts: dict[str, bytes]) -> bytes:
    """Every font the document names, each official one with its other name, panose and the
    GB2312 charset; fonts it does not name are not listed."""
    named: list[str] = []
    for name in ("word/styles.xml", "word/document.xml", "word/footer1.xml", "word/footer2.xml"):
        if name not in parts:
            continue
        for fonts in etree.fromstring(parts[name]).iter(f"{_W}rFonts"):
            for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
                font = fonts.get(f"{_W}{attribute}")
                if font and font not in named:
                    named.append(font)
    entries = []
    for name in named:
        font = escape(name, {'"': "&quot;"})  # an attribute: a template's font name may hold a quote
        if name in FONT_TABLE:
            alt, panose, family = FONT_TABLE[name]
            entries.append(
                f'<w:font w:name="{font}"><w:altName w:val="{escape(alt)}"/>'
                f'<w:panose1 w:val="{panose}"/><w:charset w:val="86"/><w:family w:val="{family}"/>'
                '<w:pitch w:val="variable"/></w:font>'
            )
        else:
            entries.append(f'<w:font w:name="{font}"><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>')
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts xmlns:w="{W}">{"".join(entries)}</w:fonts>'
    ).encode()


def _theme(data: bytes) -> bytes:
    """The theme's East Asian fonts are the document's, should anything fall back to them."""
    text = data.decode("utf-8")
    text = re.sub(r'(<a:majorFont>\s*<a:latin typeface=")[^"]*(")', r"\g<1>Times New Roman\2", text)
    text = re.sub(r'(<a:minorFont>\s*<a:latin typeface=")[^"]*(")', r"\g<1>Times New Roman\2", text)
    text = re.sub(r'(<a:majorFont>.*?<a:ea typeface=")[^"]*(")', r"\g<1>黑体\2", text, count=1, flags=re.S)
    text = re.sub(r'(<a:minorFont>.*?<a:ea typeface=")[^"]*(")', r"\g<1>仿宋_GB2312\2", text, count=1, flags=re.S)
    return text.encode("utf-8")


def _settings(data: bytes) -> bytes:
    root = etree.fromstring(data)
    for tag in ("savePreviewPicture", "rsids", "attachedTemplate"):
        for el in root.findall(f"{_W}{tag}"):
            root.remove(el)
    lang = root.find(f"{_W}themeFontLang")
    if lang is not None:
        lang.set(f"{_W}eastAsia", "zh-CN")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _core(p: Properties) -> bytes:
    when = p.issued.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(p.title[:255])}</dc:title>"
        f"<dc:subject>{escape(f'{p.year}年度部门整体支出绩效自评' if p.year else '部门整体支出绩效自评')}</dc:subject>"
        f"<dc:creator>{escape(p.unit[:255])}</dc:creator>"
        f"<cp:lastModifiedBy>{escape(p.unit[:255])}</cp:lastModifiedBy>"
        "<cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()


def _app(p: Properties) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>reportgen</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
        f"<Company>{escape(p.unit[:255])}</Company><LinksUpToDate>false</LinksUpToDate>"
        "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
        "</Properties>"
    ).encode()
