"""Font roles: official names first, free substitutes after, a fallback for rare characters."""

from __future__ import annotations

import pdfplumber
import pytest
from conftest import ROOT

from reportgen.errors import RenderError
from reportgen.fonts import faces
from reportgen.page import DEFAULT_FONTS


def test_substitutes_are_installed_for_every_role():
    for role, spec in DEFAULT_FONTS.items():
        resolved = faces.resolve(spec)
        assert resolved.chain, role
        assert resolved.chain[0].family.startswith("Fandol"), (role, resolved.css_families)
        assert resolved.chain[-1].family.startswith("Noto"), role


def test_title_substitute_is_bold_song():
    resolved = faces.resolve(DEFAULT_FONTS["标题"])
    assert resolved.bold and resolved.chain[0].family == "FandolSong" and resolved.chain[0].bold


def test_rare_character_falls_back_to_noto():
    resolved = faces.resolve(DEFAULT_FONTS["正文"])
    assert resolved.face_for("仿").family == "FandolFang"
    assert resolved.face_for("漖").family == "Noto Serif CJK SC"


def test_seed_002_rare_character_is_drawn(built):
    with pdfplumber.open(built["002"]["pdf"]) as pdf:
        chars = [c for page in pdf.pages for c in page.chars if c["text"] == "漖"]
    assert chars and all("NotoSerifCJK" in c["fontname"].replace("-", "") for c in chars)


def test_character_without_any_font_is_named():
    roles = {"正文": faces.resolve(DEFAULT_FONTS["正文"])}
    with pytest.raises(RenderError) as err:
        faces.check_coverage({"正文": "正常文字😀\ue000"}, roles)
    assert "「😀」(U+1F600" in err.value.message and "U+E000" in err.value.message
    faces.check_coverage({"正文": "正常文字，漖。"}, roles)


def test_harfbuzz_subsetting_is_available():
    from reportgen.render.pdf.engine import harfbuzz_subset_available

    assert harfbuzz_subset_available()


def test_bureau_font_file_is_embedded_and_explained(tmp_path):
    import shutil
    import subprocess
    import sys

    from conftest import MINIMAL

    from reportgen.build import build

    bureau = tmp_path / "bureau"
    (bureau / "字体").mkdir(parents=True)
    kai = next(f for f in faces.installed_faces() if f.family == "FandolKai").file
    shutil.copy(kai, bureau / "字体" / "某仿宋.otf")  # stands in for a licensed official font
    (bureau / "settings.yaml").write_text(
        "名称: 某区\n版式:\n  字体:\n    正文: {官方: [某仿宋], 文件: [字体/某仿宋.otf]}\n", encoding="utf-8"
    )
    source = tmp_path / "r.yaml"
    source.write_text(MINIMAL, encoding="utf-8")
    _, pdf = build(source, tmp_path / "out", template_dir=bureau).outputs
    with pdfplumber.open(pdf) as document:
        body = {c["fontname"].split("+")[-1] for c in document.pages[0].chars if c["text"] == "负"}
    assert body == {"某仿宋"}
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "fonts", str(source), "--template", str(bureau)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    assert "正文：Word 写作「某仿宋」" in result.stdout and "官方字体" in result.stdout
    assert str(bureau / "字体" / "某仿宋.otf") in result.stdout
    (bureau / "settings.yaml").write_text(
        "名称: 某区\n版式:\n  字体:\n    正文: {文件: [字体/没有.otf]}\n", encoding="utf-8"
    )
    from reportgen.errors import InvalidReport

    with pytest.raises(InvalidReport) as err:  # found by validation, before anything is written
        build(source, tmp_path / "out2", template_dir=bureau)
    assert "找不到字体文件" in err.value.diagnostics[0].message


def test_fonts_command_names_fallback_characters(tmp_path):
    import subprocess
    import sys

    from conftest import ROOT

    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "fonts", str(ROOT / "examples" / "liwan-zhengfawei-2023.yaml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    assert "正文：Word 写作「仿宋_GB2312」" in result.stdout
    assert "替代字体（未安装官方字体）" in result.stdout
    assert "由 Noto Serif CJK SC 补字：漖" in result.stdout


def test_a_collection_s_face_keeps_its_number_and_its_embedding_bits_are_read():
    """fontconfig lists each face of a .ttc with its number: the fallback is Noto's SC face, not
    face 0 (the JP one); the embedding bits read from the table directory are fontTools' own."""
    from fontTools.ttLib import TTFont

    resolved = faces.resolve(DEFAULT_FONTS["正文"])
    noto = resolved.face_for("漖")
    assert noto is not None and noto.file.endswith(".ttc") and noto.index > 0
    with TTFont(noto.file, fontNumber=noto.index, lazy=True) as font:
        assert "Noto Serif CJK SC" in {n.toUnicode() for n in font["name"].names if n.nameID == 1}
    seen = {(f.file, f.index) for f in faces.installed_faces()}
    assert len(seen) > 5
    for file, index in seen:
        with TTFont(file, fontNumber=index, lazy=True) as font:
            expected = font["OS/2"].fsType if "OS/2" in font else 0
        assert faces.os2_fs_type(file, index) == expected, file
    assert faces.os2_fs_type(__file__) is None  # not a font


def test_each_role_embeds_the_face_reportgen_fonts_names(built):
    """The page numbers in the regular 宋体 substitute, 一级标题 in the regular 黑体 one, only the
    title in the heavy face: read back from the PDF, each the file `reportgen fonts` names (the
    Fandol Bold files declare a normal weight, so a family name alone could take either)."""
    import re
    import subprocess
    import sys

    import pdfplumber
    from fontTools.ttLib import TTFont

    listing = subprocess.run(
        [sys.executable, "-m", "reportgen", "fonts", str(ROOT / "examples" / "liwan-gongan-2022.yaml")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    named = dict(re.findall(r"^(\S+)：Word 写作.*\n    PDF：[^，]+，[^，]+，(\S+)$", listing, re.M))

    def postscript(path: str) -> str:
        with TTFont(path, lazy=True) as font:
            return font["name"].getDebugName(6)

    with pdfplumber.open(built["000"]["pdf"]) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["text"].strip()]
    used = {}
    for role, test in (
        ("标题", lambda c: round(c["size"]) == 22),
        ("一级标题", lambda c: c["text"] == "基"),  # 一、基本情况
        ("页码", lambda c: c["text"] == "—"),
    ):
        face = next(c["fontname"] for c in chars if test(c))
        used[role] = face.split("+", 1)[1].split(",")[0]
    assert used == {role: postscript(named[role]) for role in used}
    assert used["页码"].endswith("Regular") and used["一级标题"].endswith("Regular") and used["标题"].endswith("Bold")
