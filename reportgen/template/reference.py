"""A bureau's reference.docx as reportgen reads it: a new package holding its styles, page setup
and footers (with the headers, numbering, theme and notes separators they lean on) under the
standard part names, and nothing else.

The file comes from outside like any input.  Its body, its macros (vbaProject), embedded and
linked objects, relationships to anything outside the package (a linked picture, a hyperlink to
file:// or \\\\host\\share, an attached template) and fields that fetch are left behind, each
named in the template's warning (`Reference.dropped`), so that no Word file reportgen writes
carries them.  A file that is not a sound Word document is one located TemplateError.
"""

from __future__ import annotations

import functools
import io
import posixpath
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from reportgen.errors import TemplateError
from reportgen.input.embedded import shown_name
from reportgen.template import reference_xml as xml

PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."

DOCUMENT = ("word/document.xml", WML + "document.main+xml")
# What a reference lends, by relationship type: its part in the new package, its content type.
LENT = {
    "styles": ("word/styles.xml", WML + "styles+xml"),
    "settings": ("word/settings.xml", WML + "settings+xml"),
    "numbering": ("word/numbering.xml", WML + "numbering+xml"),
    "fontTable": ("word/fontTable.xml", WML + "fontTable+xml"),
    "theme": ("word/theme/theme1.xml", "application/vnd.openxmlformats-officedocument.theme+xml"),
    "footnotes": ("word/footnotes.xml", WML + "footnotes+xml"),
    "endnotes": ("word/endnotes.xml", WML + "endnotes+xml"),
    "header": ("word/header{n}.xml", WML + "header+xml"),
    "footer": ("word/footer{n}.xml", WML + "footer+xml"),
}
REQUIRED = {"styles": "样式", "settings": "文档设置"}
ROOTS = {"document": "正文", "styles": "样式", "settings": "设置"}  # parts whose w: root element is checked
OBJECT_TYPES = ("oleObject", "package", "control", "subDocument", "aFChunk", "vbaProject", "attachedTemplate")
IMAGES = {"png": "image/png", "jpeg": "image/jpeg", "jpg": "image/jpeg", "gif": "image/gif", "bmp": "image/bmp"}
PROPERTIES = (  # the package's own properties: reportgen writes their content (render/word/package.py)
    ("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml", "coreProperties"),
    ("docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml", "extended"),
)
_PROPERTY_RELS = {
    "coreProperties": "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
    "extended": RT + "extended-properties",
}
_PROPERTY_XML = {
    "coreProperties": b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties"/>',
    "extended": b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>',
}
_SETTINGS_DROPPED = ("mailMerge", "linkStyles", "attachedTemplate")  # a data source; styles from another file


@dataclass(frozen=True)
class Reference:
    data: bytes  # the package python-docx opens
    dropped: tuple[str, ...]  # what was left behind, in words, for the template's warning


@dataclass(frozen=True)
class _Rel:
    id: str
    kind: str  # the relationship type's last word: styles, footer, hyperlink…
    member: str | None  # the part inside the package; None when outside it
    target: str


def cleaned(path: Path) -> Reference:
    """The reference document at `path`, cleaned (once per version of the file)."""
    try:
        info = path.stat()
    except OSError as exc:  # removed or made unreadable since the template was read
        raise TemplateError(f"{path}: 错误: 模板的 reference.docx 无法读取（{exc.strerror or exc}）") from exc
    return _cleaned(str(path), info.st_mtime_ns, info.st_size)


@functools.lru_cache(maxsize=8)
def _cleaned(name: str, mtime_ns: int, size: int) -> Reference:
    where = f"{name}: 错误: 模板的 reference.docx "
    try:
        with zipfile.ZipFile(name) as archive:
            return _Repack(archive, where).run()
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError) as exc:
        # a CRC that does not match, a damaged stream, an encrypted or unknown compression
        raise TemplateError(f"{where}已损坏，无法解压（{exc}）：请在 Word 中打开后另存为 .docx") from exc
    except OSError as exc:
        raise TemplateError(f"{where}无法读取（{exc.strerror or exc}）") from exc


class _Repack:
    """One reference document read into a new package; `found` counts what was left behind."""

    def __init__(self, archive: zipfile.ZipFile, where: str) -> None:
        self.archive, self.where = archive, where
        self.parts: dict[str, bytes] = {}
        self.types: dict[str, str] = {}
        self.taken: dict[str, str] = {}  # member of the reference → its part in the new package
        self.found: Counter[str] = Counter()
        self.numbers: Counter[str] = Counter()  # headers, footers, pictures taken so far
        self.media: dict[str, bytes] = {}  # pictures, written once a kept part still shows them
        self.outside: list[str] = []  # targets of relationships to outside the package

    def run(self) -> Reference:
        main = self._main()
        root = self._xml(main, "document")
        kept = self._lend(main, main=True)
        for kind, what in REQUIRED.items():
            if LENT[kind][0] not in self.parts:
                raise TemplateError(f"{self.where}中缺少 {LENT[kind][0]}（{what}），不是完整的 Word 文件")
        self._add(DOCUMENT[0], xml.serialise(self._document(root, set(kept))), DOCUMENT[1], kept)
        if any(n.lower().endswith(("vbaproject.bin", "vbadata.xml")) for n in self.archive.namelist()):
            self.found["宏"] += 1
        return Reference(self._package(), self._dropped())

    def _read(self, member: str) -> bytes | None:
        try:
            return self.archive.read(member)
        except KeyError:
            return None

    def _xml(self, member: str, kind: str = "") -> etree._Element:
        data = self._read(member)
        if data is None:
            raise TemplateError(f"{self.where}中缺少 {member}，不是完整的 Word 文件")
        element = xml.parse(data, f"{self.where}中的 {member}")
        if kind in ROOTS and element.tag != f"{{{xml.W}}}{kind}":
            raise TemplateError(
                f"{self.where}中的 {member} 不是 Word 的{ROOTS[kind]}部件（可能是“严格 Open XML”格式）："
                "请另存为「Word 文档 (*.docx)」"
            )
        return element

    def _main(self) -> str:
        for rel in self._rels(""):
            if rel.kind == "officeDocument" and rel.member is not None:
                return rel.member
        raise TemplateError(f"{self.where}中找不到正文部件（_rels/.rels），不是有效的 Word 文件")

    def _rels(self, member: str) -> list[_Rel]:
        """The relationships of `member` ("" for the package's own)."""
        folder, name = posixpath.split(member)
        data = self._read(posixpath.join(folder, "_rels", f"{name}.rels"))
        if data is None:
            return []
        found = []
        for rel in xml.parse(data, f"{self.where}中 {member or '文件包'} 的关系部件"):
            target, kind = rel.get("Target") or "", (rel.get("Type") or "").rsplit("/", 1)[-1]
            if rel.get("TargetMode") == "External":
                found.append(_Rel(rel.get("Id") or "", kind, None, target))
                continue
            inner = unquote(target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target))
            inner = posixpath.normpath(inner)
            found.append(_Rel(rel.get("Id") or "", kind, None if inner.startswith("..") else inner, target))
        return found

    def _lend(self, member: str, *, main: bool = False) -> dict[str, tuple[str, str]]:
        """The parts `member` refers to that the new package keeps: id → (part, relationship type);
        the document lends its styles, settings, footers and such, they only their pictures.
        Links to outside and objects are counted; anything else (the body's pictures, comments,
        custom XML, the glossary) is simply not taken."""
        kept: dict[str, tuple[str, str]] = {}
        kinds: set[str] = set()
        for rel in self._rels(member):
            if rel.member is None:
                self.outside.append(rel.target)
            elif rel.kind in OBJECT_TYPES:
                self.found["宏" if rel.kind == "vbaProject" else "嵌入对象"] += 1
            elif main and rel.kind in LENT and (rel.kind in ("header", "footer") or RT + rel.kind not in kinds):
                kept[rel.id] = (self._take(rel.member, rel.kind), RT + rel.kind)  # one styles part, one settings…
                kinds.add(RT + rel.kind)
            elif rel.kind == "image" and not main:
                image = self._image(rel.member)
                if image is not None:
                    kept[rel.id] = (image, RT + "image")
        return kept

    def _take(self, member: str, kind: str) -> str:
        if member in self.taken:
            return self.taken[member]
        name, content_type = LENT[kind]
        self.numbers[kind] += 1
        name = name.format(n=self.numbers[kind])
        self.taken[member] = name
        root = self._xml(member, kind)
        kept = self._lend(member)
        if kind == "styles" and not xml.styles(root):
            raise TemplateError(f"{self.where}中没有「Normal」（正文）样式，不是完整的 Word 文件")
        if kind == "settings":
            for tag in _SETTINGS_DROPPED:
                for element in root.findall(f"{{{xml.W}}}{tag}"):
                    root.remove(element)
        xml.strip(root, set(kept), self.found)
        self._add(name, xml.serialise(root), content_type, kept)
        return name

    def _image(self, member: str) -> str | None:
        extension = member.rsplit(".", 1)[-1].lower()
        data = self._read(member)
        if extension not in IMAGES or data is None:
            return None
        if member not in self.taken:
            self.numbers["image"] += 1
            self.taken[member] = f"word/media/image{self.numbers['image']}.{extension}"
            self.media[self.taken[member]] = data
        return self.taken[member]

    def _document(self, root: etree._Element, kept: set[str]) -> etree._Element:
        """The document part with an empty body but for its page setup (the last w:sectPr)."""
        section = root.find(f"{{{xml.W}}}body/{{{xml.W}}}sectPr")
        for child in list(root):  # the body, a background picture
            root.remove(child)
        body = etree.SubElement(root, f"{{{xml.W}}}body")
        body.append(section if section is not None else etree.Element(f"{{{xml.W}}}sectPr"))
        xml.strip(root, kept, self.found)
        return root

    def _add(self, name: str, data: bytes, content_type: str, rels: dict[str, tuple[str, str]]) -> None:
        """A part and the relationships it still uses once stripped (a picture inside a removed
        object is not carried along)."""
        self.parts[name] = data
        self.types[name] = content_type
        rels = {
            i: (target, kind)
            for i, (target, kind) in rels.items()
            if target not in self.media or f'"{i}"'.encode() in data
        }
        for target, _ in rels.values():
            if target in self.media:
                self.parts[target] = self.media[target]
        if rels:
            folder, base = posixpath.split(name)
            self.parts[posixpath.join(folder, "_rels", f"{base}.rels")] = _relationships(
                {i: (posixpath.relpath(target, folder), kind) for i, (target, kind) in rels.items()}
            )

    def _package(self) -> bytes:
        own = {"rId1": (DOCUMENT[0], RT + "officeDocument")}
        for number, (name, content_type, key) in enumerate(PROPERTIES, 2):
            self.parts[name], self.types[name] = _PROPERTY_XML[key], content_type
            own[f"rId{number}"] = (name, _PROPERTY_RELS[key])
        self.parts["_rels/.rels"] = _relationships(own)
        self.parts["[Content_Types].xml"] = _content_types(self.types, self.parts)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for name in ["[Content_Types].xml", *sorted(n for n in self.parts if n != "[Content_Types].xml")]:
                target.writestr(name, self.parts[name])
        return out.getvalue()

    def _dropped(self) -> tuple[str, ...]:
        words = []
        if self.outside:
            words.append(f"指向文件外的链接 {len(self.outside)} 个（如 {shown_name(self.outside[0])}）")
        if self.found["宏"]:
            words.append("宏（vbaProject）")
        if self.found["嵌入对象"]:
            words.append("嵌入或链接的对象")
        fields = sorted(k.removeprefix("域 ") for k in self.found if k.startswith("域 "))
        if fields:
            words.append(f"会读取外部内容的域 {'、'.join(fields)}")
        return tuple(words)


def _relationships(rels: dict[str, tuple[str, str]]) -> bytes:
    root = etree.fromstring(f'<Relationships xmlns="{PACKAGE_RELS}"/>')
    for rel_id, (target, kind) in rels.items():
        etree.SubElement(root, f"{{{PACKAGE_RELS}}}Relationship", Id=rel_id, Type=kind, Target=target)
    return xml.serialise(root)


def _content_types(overrides: dict[str, str], parts: dict[str, bytes]) -> bytes:
    root = etree.fromstring(f'<Types xmlns="{TYPES}"/>')
    defaults = {"rels": "application/vnd.openxmlformats-package.relationships+xml", "xml": "application/xml"}
    defaults.update({n.rsplit(".", 1)[-1]: IMAGES[n.rsplit(".", 1)[-1]] for n in parts if "/media/" in n})
    for extension, content_type in defaults.items():
        etree.SubElement(root, f"{{{TYPES}}}Default", Extension=extension, ContentType=content_type)
    for name, content_type in overrides.items():
        etree.SubElement(root, f"{{{TYPES}}}Override", PartName=f"/{name}", ContentType=content_type)
    return xml.serialise(root)
