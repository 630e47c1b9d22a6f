"""Fonts found without fontconfig's fc-list: the system's font folders read with fontTools, the
official faces known by their names and their Windows file names, the result cached, the scan
bounded, and the PDF embedding exactly the faces found."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import MINIMAL
from desktop import as_named, collection, embedded_fonts, fandol, windows_fonts

from reportgen.fonts import cache as font_cache
from reportgen.fonts import faces
from reportgen.fonts import scan as font_scan
from reportgen.page import DEFAULT_FONTS

OFFICIAL = {"方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"}


@pytest.fixture
def fresh_fonts(tmp_path, monkeypatch):
    """A cache of this test's own, and the installed fonts looked up again before and after."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(font_scan.ENV_FOLDERS, raising=False)
    faces.discovered.cache_clear()
    yield tmp_path
    faces.discovered.cache_clear()


@pytest.fixture(scope="module")
def windows_folder(tmp_path_factory) -> Path:
    return windows_fonts(tmp_path_factory.mktemp("pc") / "Windows" / "Fonts")


def _by_file(scan: font_scan.Scan) -> dict[tuple[str, int], font_scan.ScannedFace]:
    return {(Path(f.file).name, f.index): f for f in scan.faces}


def test_windows_file_names_name_the_official_faces(fresh_fonts, windows_folder):
    found = _by_file(font_scan.scan([windows_folder]))
    assert {"仿宋", "FandolFang"} <= set(found["simfang.ttf", 0].families)
    assert "黑体" in found["simhei.ttf", 0].families and "楷体" in found["simkai.ttf", 0].families
    assert "仿宋_GB2312" in found["FS_GB2312.ttf", 0].families
    assert "楷体_GB2312" in found["KT_GB2312.ttf", 0].families
    title = found["FZXBSJW.TTF", 0]
    assert "方正小标宋简体" in title.families and title.style == "Bold"
    # a collection: its first face is 宋体, the second keeps only its own names
    assert {"宋体", "FandolSong"} <= set(found["simsun.ttc", 0].families)
    assert found["simsun.ttc", 1].families == ("FandolHei",) and found["simsun.ttc", 1].style == "Bold"
    coverage = [faces.Face("x", f.style, f.file, f.charset) for f in found.values()]
    assert all(c.has("部") and c.has("A") and not c.has("\ue000") for c in coverage)


def test_chinese_name_records_are_read(fresh_fonts, tmp_path):
    from fontTools.ttLib import TTFont

    font = TTFont(fandol("FandolKai"))
    font["name"].setName("某楷体", 1, 3, 1, 0x804)  # a Chinese family name beside the English one
    font.save(tmp_path / "kai.otf")
    (face,) = font_scan.scan([tmp_path]).faces
    assert "某楷体" in face.families and "FandolKai" in face.families


def test_standard_folders_of_each_system():
    env = {"WINDIR": r"C:\Windows", "LOCALAPPDATA": r"C:\Users\张三\AppData\Local"}
    windows = font_scan.standard_folders("win32", env)
    assert [str(p).replace("\\", "/") for p in windows] == [
        "C:/Windows/Fonts",
        "C:/Users/张三/AppData/Local/Microsoft/Windows/Fonts",
    ]
    mac = font_scan.standard_folders("darwin", {"HOME": "/Users/li"})
    assert [str(p) for p in mac] == ["/Library/Fonts", "/System/Library/Fonts", "/Users/li/Library/Fonts"]
    linux = font_scan.standard_folders("linux", {"HOME": "/home/li", "XDG_DATA_DIRS": "/usr/share:relative"})
    assert [str(p) for p in linux] == [
        "/home/li/.local/share/fonts",
        "/usr/share/fonts",
        "/home/li/.fonts",
        "/usr/share/fonts",
        "/usr/local/share/fonts",
    ]


def test_named_folders_split_like_path(monkeypatch, tmp_path):
    monkeypatch.setenv(font_scan.ENV_FOLDERS, os.pathsep.join([str(tmp_path / "甲 乙"), "", str(tmp_path)]))
    assert font_scan.named_folders() == [tmp_path / "甲 乙", tmp_path]


def test_scan_is_cached_by_path_size_and_time(fresh_fonts, windows_folder, monkeypatch):
    first = font_scan.scan([windows_folder])
    cache = json.loads((fresh_fonts / "cache" / "reportgen" / "fonts.json").read_text(encoding="utf-8"))
    assert len(cache["files"]) == 7 and all("mtime_ns" in e and "size" in e for e in cache["files"].values())

    def no_reading(path: str) -> list:
        raise AssertionError(f"{path} read again")

    monkeypatch.setattr(font_scan, "read_faces", no_reading)
    again = font_scan.scan([windows_folder])
    assert [(f.file, f.index, f.families, f.charset) for f in again.faces] == [
        (f.file, f.index, f.families, f.charset) for f in first.faces
    ]
    touched = windows_folder / "simhei.ttf"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 1_000_000_000))
    with pytest.raises(AssertionError, match=r"simhei\.ttf read again"):
        font_scan.scan([windows_folder])


@pytest.mark.parametrize(
    "damage",
    [
        b"not json",
        b'{"version": 1, "files": []}',
        b'{"version": 1, "files": {"x": {"mtime_ns": "a", "size": null, "faces": 3}}}',
        "bad entry",
        b"\xff\xfe\x00",
    ],
)
def test_damaged_cache_is_read_past(fresh_fonts, windows_folder, damage):
    expected = {(f.file, f.index, f.families) for f in font_scan.scan([windows_folder]).faces}
    cache = fresh_fonts / "cache" / "reportgen" / "fonts.json"
    if damage == "bad entry":  # a family that would end the stylesheet, a charset that is not one
        data = json.loads(cache.read_text(encoding="utf-8"))
        for entry in data["files"].values():
            entry["faces"][0]["families"] = ['x"; } body { color: red']
            entry["faces"][0]["charset"] = "zz-"
        cache.write_text(json.dumps(data), encoding="utf-8")
    else:
        cache.write_bytes(damage)
    assert {(f.file, f.index, f.families) for f in font_scan.scan([windows_folder]).faces} == expected


def test_cache_that_cannot_be_written_is_passed_over(fresh_fonts, windows_folder, monkeypatch):
    blocker = fresh_fonts / "a file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # the cache folder would be inside a file
    assert len(font_scan.scan([windows_folder]).faces) == 8
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.delenv("HOME")
    assert font_cache.cache_dir() is None and len(font_scan.scan([windows_folder]).faces) == 8


def test_damaged_and_odd_files_are_passed_over(fresh_fonts, tmp_path):
    folder = tmp_path / "odd"
    folder.mkdir()
    (folder / "garbage.ttf").write_bytes(b"\x00\x01\x00\x00" + os.urandom(2000))
    (folder / "empty.otf").write_bytes(b"")
    (folder / "huge-count.ttc").write_bytes(b"ttcf\x00\x01\x00\x00\x7f\xff\xff\xff" + b"\x00" * 64)
    (folder / "a folder.ttf").mkdir()
    os.mkfifo(folder / "pipe.ttf")  # opening it would wait forever
    (folder / "loop").symlink_to(folder)
    (folder / "dangling.ttf").symlink_to(folder / "nowhere.ttf")
    shutil_copy(fandol("FandolKai"), folder / "good.otf")
    scan = font_scan.scan([folder, tmp_path / "missing", folder / "empty.otf"])
    assert [Path(f.file).name for f in scan.faces] == ["good.otf"]


def shutil_copy(source: Path, target: Path) -> None:
    target.write_bytes(source.read_bytes())


def test_scan_is_bounded(fresh_fonts, windows_folder, monkeypatch):
    monkeypatch.setattr(font_scan, "MAX_FILES", 3)
    scan = font_scan.scan([windows_folder])
    assert len({f.file for f in scan.faces}) == 3 and any("超过 3 个" in n for n in scan.notes)
    monkeypatch.setattr(font_scan, "MAX_FILES", 100)
    monkeypatch.setattr(font_scan, "MAX_FONT_BYTES", 7_000_000)
    scan = font_scan.scan([windows_folder])
    assert "KT_GB2312.ttf" not in {Path(f.file).name for f in scan.faces}
    assert any("过大" in n and "simsun.ttc" in n for n in scan.notes)
    monkeypatch.setattr(font_scan, "MAX_FONT_BYTES", 100_000_000)
    monkeypatch.setattr(font_scan, "SCAN_SECONDS", 0.0)
    monkeypatch.setenv("XDG_CACHE_HOME", str(fresh_fonts / "cold"))
    scan = font_scan.scan([windows_folder])
    assert scan.faces == [] and any("未读完" in n for n in scan.notes)
    monkeypatch.setattr(font_scan, "MAX_ENTRIES", 2)
    assert any("只看了前 2 个" in n for n in font_scan.scan([windows_folder]).notes)


def test_collection_face_is_the_one_numbered(windows_folder):
    from io import BytesIO

    from fontTools.ttLib import TTFont

    data = (windows_folder / "simsun.ttc").read_bytes()
    first, second = (TTFont(BytesIO(faces.collection_face(data, i))) for i in (0, 1))
    assert first["name"].getDebugName(1) == "FandolSong" and second["name"].getDebugName(1) == "FandolHei"
    assert len(second.getBestCmap()) == len(TTFont(fandol("FandolHei Bold")).getBestCmap())
    for index, damaged in ((2, data), (0, data[:60]), (1, data[:20])):
        with pytest.raises(ValueError):
            faces.collection_face(damaged, index)


def test_without_fc_list_the_pdf_embeds_the_folder_fonts(fresh_fonts, windows_folder, monkeypatch, tmp_path):
    from reportgen.build import build

    monkeypatch.setattr(faces.shutil, "which", lambda *args, **kwargs: None)
    monkeypatch.setenv("XDG_DATA_HOME", str(windows_folder.parent.parent))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (windows_folder.parent.parent / "fonts").mkdir(exist_ok=True)
    monkeypatch.setenv(font_scan.ENV_FOLDERS, str(windows_folder))
    found = faces.discovery()
    assert found.method == "scan" and found.folders[0] == str(windows_folder)
    assert "/usr/share/fonts" in found.folders
    chosen = {role: faces.resolve(spec) for role, spec in DEFAULT_FONTS.items()}
    assert all(r.official_installed for r in chosen.values())
    assert {r.chain[0].family for r in chosen.values()} == OFFICIAL
    assert chosen["页码"].chain[0].file.endswith("simsun.ttc") and chosen["页码"].chain[0].index == 0
    source = tmp_path / "r.yaml"
    source.write_text(MINIMAL, encoding="utf-8")
    pdf = next(p for p in build(source, tmp_path / "out").outputs if p.suffix == ".pdf")
    embedded = embedded_fonts(pdf)
    assert {as_named(name) for name in embedded} == OFFICIAL
    assert embedded["宋体"] == "FandolSong"  # the collection's first face, not its second (FandolHei)


def test_named_folders_join_fontconfig(fresh_fonts, windows_folder, monkeypatch):
    monkeypatch.setenv(font_scan.ENV_FOLDERS, str(windows_folder))
    found = faces.discovery()
    assert found.method == "fontconfig" and found.folders == (str(windows_folder),) and found.files == 7
    body = faces.resolve(DEFAULT_FONTS["正文"])
    assert body.official_installed and body.chain[0].family == "仿宋_GB2312" and body.chain[0].supplied
    # simfang.ttf is both 仿宋 and FandolFang: in the chain once
    assert [Path(f.file).name for f in body.chain].count("simfang.ttf") == 1


def test_collection_of_a_scanned_folder_and_its_url(fresh_fonts, tmp_path):
    folder = tmp_path / "我的 字体#1"
    folder.mkdir()
    (folder / "two.ttc").write_bytes(collection([fandol(n).read_bytes() for n in ("FandolKai", "FandolFang")]))
    second = next(f for f in font_scan.scan([folder]).faces if f.index == 1)
    face = faces.Face("FandolFang", "Regular", second.file, second.charset, supplied=True, index=1)
    assert face.url.endswith("/two.ttc#1") and "%20" in face.url and "%231" in face.url
    assert faces.face_data(face.file, 1)[:4] == b"OTTO"
