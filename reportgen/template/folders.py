"""District templates: where they are found, and the settings of a chain of them.

Search path, first match wins: a folder named on the command line or in the YAML (a bureau's
own), then the district shipped in `templates/`, then `templates/base/`.  A district overrides
only what differs: Jinja2 blocks through `{% extends %}`, or a partial file of the same name, plus
a small settings file merged over its parent's.

A template folder is data (docs/templates.md, 信任): its files are read only from inside the
folder, and a YAML may name only a folder inside or beside its own.  Rendering its Jinja2 files
is compose's work (compose/sandbox.py).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reportgen.diagnostics import Diagnostic, Level
from reportgen.errors import InputError, TemplateError
from reportgen.filekinds import not_regular
from reportgen.page import SETTING_NAMES, Layout, RoleFonts
from reportgen.template import settings as settings_file
from reportgen.template.settings import DEFAULTS, LayoutSettings, Settings

SETTINGS_FILE = "settings.yaml"
BASE = "base"
MAX_FONT_BYTES = 60_000_000
MAX_REFERENCE_BYTES = 20_000_000
MAX_REFERENCE_UNPACKED = 30_000_000  # a reference document's styles and page setup: a few hundred KB
FONT_MAGIC = (b"\x00\x01\x00\x00", b"OTTO", b"ttcf", b"true")


def shipped_root() -> Path:
    """`templates/` of the project: inside the installed package, else beside it (a checkout)."""
    here = Path(__file__).resolve().parents[1]  # the package: templates/ inside it once installed
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / BASE).is_dir():
            return candidate.resolve()
    raise TemplateError("找不到内置模板目录 templates/base：安装不完整，请重新运行 scripts/setup.sh")


@dataclass(frozen=True)
class Template:
    """A resolved template: its folders from most to least specific, and their merged settings."""

    name: str
    dirs: tuple[Path, ...]
    settings: Settings = field(default=DEFAULTS)

    def file(self, name: str) -> Path | None:
        """A file the template supplies (reference.docx): the most specific folder's, checked to
        be a regular file inside that folder."""
        for folder in self.dirs:
            candidate = folder / name
            if candidate.exists() or candidate.is_symlink():
                return inside(folder, candidate, what=name)
        return None

    @functools.cached_property
    def layout(self) -> Layout:
        """The page this template sets: its 版式 over the standard's numbers, its font files,
        its reference.docx; a 版式 that does not fit on the paper is an error at settings.yaml."""
        try:
            layout = page_layout(self.settings.版式, self.dirs[0])
        except TemplateError as exc:
            where = next((d / SETTINGS_FILE for d in self.dirs if (d / SETTINGS_FILE).is_file()), None)
            raise TemplateError(f"{where}: 错误: {exc.message}") from exc
        reference = self._reference()
        return replace(layout, reference_docx=str(reference)) if reference is not None else layout

    @property
    def notices(self) -> list[Diagnostic]:
        """What the Word files leave out of the template's reference.docx (links, macros, objects,
        fields that fetch), as one warning at that file."""
        from reportgen.template.reference import cleaned

        reference = self.layout.reference_docx
        dropped = cleaned(Path(reference)).dropped if reference is not None else ()
        if not dropped:
            return []
        message = (
            f"模板「{self.name}」的 reference.docx 含有{'、'.join(dropped)}，生成的 Word 文件中已去掉"
            "（参考文档只取样式、页面设置和页脚）"
        )
        return [Diagnostic(str(reference), 1, 1, Level.WARNING, message, rule="模板")]

    def _reference(self) -> Path | None:
        from reportgen.input.archives import check_archive
        from reportgen.template.reference import cleaned

        reference = self.file("reference.docx")
        if reference is None:
            return None
        if reference.stat().st_size > MAX_REFERENCE_BYTES:
            raise TemplateError(f"{reference}: 错误: reference.docx 过大（上限 {MAX_REFERENCE_BYTES // 1_000_000} MB）")
        try:
            check_archive(reference, "模板的 reference.docx ", MAX_REFERENCE_UNPACKED)
        except InputError as exc:
            raise TemplateError(exc.message) from exc
        cleaned(reference)  # a reference that is no sound Word file is the template's error, found at validate
        return reference


def page_layout(chosen: LayoutSettings, folder: Path) -> Layout:
    """The standard's page with a template's 版式: numbers by their names in the standard, fonts by
    role; font files are found in the template's folder."""
    stated = chosen.model_dump(exclude_none=True, exclude={"字体"})
    values: dict[str, Any] = {
        SETTING_NAMES[key]: int(value) if key in ("每页行数", "每行字数") else float(value)
        for key, value in stated.items()
    }
    base = Layout()
    fonts = dict(base.fonts)
    for role, spec in chosen.字体.items():
        was = fonts[role]
        fonts[role] = RoleFonts(
            role,
            tuple(spec.官方) if spec.官方 is not None else was.official,
            tuple(spec.替代) if spec.替代 is not None else was.substitutes,
            spec.替代加粗 if spec.替代加粗 is not None else was.bold_substitute,
            tuple(str(_font_file(folder, name, role)) for name in spec.文件) or was.files,
        )
    return replace(base, fonts=fonts, **values).checked()


def _font_file(folder: Path, name: str, role: str) -> Path:
    """A font file a template supplies: a regular file inside its folder, of bounded size."""
    path = folder / name
    if not (path.exists() or path.is_symlink()):
        raise TemplateError(f"版式 › 字体 › {role}：找不到字体文件 {path}")
    real = inside(folder, path, what=name)
    if real.stat().st_size > MAX_FONT_BYTES:
        raise TemplateError(f"版式 › 字体 › {role}：字体文件过大（{path}，上限 {MAX_FONT_BYTES // 1_000_000} MB）")
    with real.open("rb") as handle:
        magic = handle.read(4)
    if magic not in FONT_MAGIC:  # WOFF and WOFF2 unpack when read: only plain font files
        raise TemplateError(f"版式 › 字体 › {role}：{path} 不是 TrueType 或 OpenType 字体文件（.ttf、.otf、.ttc）")
    return real


def inside(folder: Path, candidate: Path, *, what: str) -> Path:
    """`candidate`, if it is a regular file whose real path lies inside `folder`."""
    try:
        real = candidate.resolve(strict=True)
        root = folder.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        raise TemplateError(f"{candidate}: 错误: 模板中的文件「{what}」无法读取") from exc
    if not real.is_relative_to(root):
        raise TemplateError(f"{candidate}: 错误: 模板中的文件「{what}」指向模板文件夹之外（{real}），不予读取")
    if not real.is_file():
        raise TemplateError(f"{candidate}: 错误: 模板中的「{what}」不是普通文件")
    return real


@functools.lru_cache(maxsize=64)
def _shipped_once(folder: Path) -> dict[str, Any]:
    """A shipped template's settings, read once a process (finding a district by name reads them)."""
    return settings_file.read(folder / SETTINGS_FILE)


def _read_settings(folder: Path) -> dict[str, Any]:
    """What a folder's settings.yaml states (never changed by a caller: merging copies)."""
    if folder.parent == shipped_root():
        return _shipped_once(folder)
    path = folder / SETTINGS_FILE
    if path.exists() or path.is_symlink():
        path = inside(folder, path, what=SETTINGS_FILE)  # not a link to a file elsewhere
    return settings_file.read(path)


def _display_name(folder: Path) -> str:
    return str(_read_settings(folder).get("名称", folder.name))


def available() -> list[tuple[str, Path]]:
    """Shipped templates: (display name, folder)."""
    root = shipped_root()
    return [(_display_name(folder), folder) for folder in sorted(p for p in root.iterdir() if p.is_dir())]


def _find_shipped(name: str) -> Path | None:
    root = shipped_root()
    if name.isidentifier() and (root / name).is_dir():
        return root / name
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        # only a template whose settings spell the name can be it: the others are not read
        if name.encode() not in (folder / SETTINGS_FILE).read_bytes():
            continue
        stated = _read_settings(folder)
        if name in (str(stated.get("名称", folder.name)), *(stated.get("别名") or [])):
            return folder
    return None


def is_path(name: str) -> bool:
    """Whether 模板 names a folder rather than a shipped district."""
    return "/" in name or "\\" in name or name.startswith(".") or Path(name).is_absolute()


def _own_folder(folder: Path, *, named_in: Path | None) -> Path:
    """A bureau's folder: a real directory with settings.yaml; named by a YAML file, it must lie
    inside the YAML's folder or beside it (a sibling), so that a file sent to someone cannot make
    their machine read elsewhere.  The command line (--template) may name any folder."""
    try:
        real = folder.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        raise TemplateError(f"模板文件夹不存在：{folder}") from exc
    if not real.is_dir():
        raise TemplateError(f"模板应是一个文件夹：{folder}")
    unusual = not_regular(real / SETTINGS_FILE)
    if unusual == "不存在":
        raise TemplateError(
            f"模板文件夹中没有 {SETTINGS_FILE}：{folder}（每个模板文件夹都要有设置文件，哪怕只写「名称」）"
        )
    if unusual:  # a pipe, a device, a link that loops: named, never opened
        raise TemplateError(f"模板文件夹 {folder} 中的 {SETTINGS_FILE} {unusual}：请换成设置文件")
    if named_in is not None:
        home = named_in.resolve()
        inside_home = real.is_relative_to(home)
        beside_home = real.parent == home.parent and home.parent != Path(home.anchor)  # a sibling, not under /
        if not (inside_home or beside_home):
            raise TemplateError(
                f"模板文件夹 {folder} 不在 YAML 文件所在的文件夹内或旁边：YAML 中的「模板」只能指向这两处；"
                "其他位置的模板请在命令行用 --template 指定"
            )
    return real


def resolve(name: str | None, *, extra_dir: Path | None = None, relative_to: Path | None = None) -> Template:
    """The template for a report: by district name, or a folder path, or the base."""
    try:
        return _resolve(name, extra_dir=extra_dir, relative_to=relative_to)
    except OSError as exc:  # a name too long for the file system, a folder that cannot be read
        raise TemplateError(f"无法读取模板「{name or extra_dir}」（{exc.strerror or exc}）") from exc
    except ValueError as exc:  # a path with a NUL character
        raise TemplateError(f"模板名「{name}」无效") from exc


def _chain(name: str | None, *, extra_dir: Path | None, relative_to: Path | None) -> list[Path]:
    """The template's folders, most specific first, ending with the base."""
    chain: list[Path] = []
    own: Path | None = None
    if extra_dir is not None:
        own = _own_folder(extra_dir, named_in=None)
    elif name and is_path(name):
        base = relative_to or Path.cwd()
        own = _own_folder(base / name, named_in=base)
    if own is not None:
        chain.append(own)
        parent = _read_settings(own).get("继承") or (name if extra_dir is not None and name else BASE)
    else:
        parent = name or BASE
    while parent:
        folder = _find_shipped(str(parent))
        if folder is None:
            names = "、".join(n for n, _ in available())
            raise TemplateError(f"找不到模板「{parent}」。可用的模板：{names}")
        if folder in chain:
            raise TemplateError(f"模板继承出现循环：{folder}")
        chain.append(folder)
        if folder.name == BASE:
            break
        parent = _read_settings(folder).get("继承") or BASE
    return chain


def _resolve(name: str | None, *, extra_dir: Path | None, relative_to: Path | None) -> Template:
    chain = _chain(name, extra_dir=extra_dir, relative_to=relative_to)
    stated = [_read_settings(folder) for folder in reversed(chain)]
    merged = settings_file.merged(stated, str(chain[0] / SETTINGS_FILE))
    return Template(_display_name(chain[0]), tuple(chain), merged)
