"""District templates: where they are found, their settings, and a sandboxed Jinja2 environment.

Search path, first match wins: a folder named on the command line or in the YAML (a bureau's
own), then the district shipped in `templates/`, then `templates/base/`.  A district overrides
only what differs: Jinja2 blocks through `{% extends %}`, or a partial file of the same name, plus
a small settings file merged over its parent's.

A template folder is data (docs/templates.md, 信任): it renders in Jinja2's sandbox, its files are
read only from inside the folder, and a YAML may name only a folder inside or beside its own.
"""

from __future__ import annotations

import copy
import functools
import signal
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.compose import settings as settings_file
from reportgen.input.diagnostics import TemplateError

if TYPE_CHECKING:
    import jinja2

SETTINGS_FILE = "settings.yaml"
BASE = "base"
MAX_TEMPLATE_BYTES = 500_000  # one .j2 file
MAX_OUTPUT_CHARS = 3_000_000  # what one document's template may write (a 160-page report: 1 MB)
MAX_REPEAT = 100_000  # the longest string or list a template may build with * (or a power's size)
TRUSTED_MODULES = frozenset({"builtins", "reportgen", "jinja2", "markupsafe"})
RENDER_SECONDS = 5  # a template that loops for longer is stopped (a report's renders in 0.05 s)


def shipped_root() -> Path:
    """`templates/` of the project: inside the installed package, else beside it (a checkout)."""
    here = Path(__file__).resolve().parents[1]  # the package: templates/ inside it once installed
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / BASE).is_dir():
            return candidate.resolve()
    raise TemplateError("找不到内置模板目录 templates/base：安装不完整，请重新运行 scripts/setup.sh")


@dataclass
class Template:
    """A resolved template: its folders from most to least specific, and merged settings."""

    name: str
    dirs: list[Path]
    settings: dict[str, Any] = field(default_factory=dict)

    def file(self, name: str) -> Path | None:
        """A file the template supplies (reference.docx): the most specific folder's, checked to
        be a regular file inside that folder."""
        for folder in self.dirs:
            candidate = folder / name
            if candidate.exists() or candidate.is_symlink():
                return inside(folder, candidate, what=name)
        return None

    def environment(self) -> jinja2.Environment:
        import jinja2  # only a build needs it; validation reads the settings alone

        return _data_only_environment()(
            optimized=False,  # no constant folding at compile time, where no limit applies
            loader=_folder_loader([*self.dirs, shipped_root()]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )

    def render(self, template_name: str, context: dict[str, Any], filters: dict[str, Any]) -> str:
        import jinja2
        from jinja2.sandbox import SecurityError

        env = self.environment()
        env.filters.update(filters)
        try:
            template = env.get_template(template_name)
            chunks: list[str] = []
            size = 0
            with _time_limit(RENDER_SECONDS):
                for chunk in template.generate(context):
                    size += len(chunk)
                    if size > MAX_OUTPUT_CHARS:
                        raise TemplateError(f"模板「{self.name}」输出过长（超过 {MAX_OUTPUT_CHARS} 字符），已停止")
                    chunks.append(chunk)
            return "".join(chunks)
        except jinja2.TemplateSyntaxError as exc:
            where = f"{exc.filename or exc.name}:{exc.lineno}"
            raise TemplateError(f"{where}: 错误: 模板语法错误：{exc.message}") from exc
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(f"模板「{self.name}」中找不到文件 {exc.name}") from exc
        except jinja2.UndefinedError as exc:
            raise TemplateError(f"{_template_position(exc)}: 错误: 模板引用了未定义的变量：{exc.message}") from exc
        except SecurityError as exc:
            raise TemplateError(f"{_template_position(exc)}: 错误: 模板试图做不允许的事（{exc}）") from exc
        except TemplateError:
            raise
        except RecursionError as exc:
            raise TemplateError(f"{_template_position(exc)}: 错误: 模板递归过深") from exc
        except Exception as exc:  # a filter or macro failed inside the template
            raise TemplateError(f"{_template_position(exc)}: 错误: 模板出错：{exc}") from exc


@cache
def _data_only_environment() -> type[jinja2.Environment]:
    """Jinja2's immutable sandbox, narrowed to data: a template reads the report's fields and
    calls the few helpers reportgen's own classes define, and the built-in methods of strings,
    lists and dicts.  Every method a class inherits from a library is refused, since some of them
    read files or unpickle data (pydantic's `parse_raw`, `parse_file`), and so is any method of an
    object from elsewhere (a path's `read_text`)."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class DataOnlyEnvironment(ImmutableSandboxedEnvironment):
        # Arithmetic is checked when it runs (never folded ahead at compile time, outside the time
        # limit): a repetition or a power that would build something huge is refused.
        intercepted_binops = frozenset({"*", "**", "+"})

        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            return super().is_safe_attribute(obj, attr, value) and _own_or_builtin(obj, attr)

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            return _bounded_binop(operator, left, right)

    return DataOnlyEnvironment


def _bounded_binop(operator: str, left: Any, right: Any) -> Any:
    from jinja2.sandbox import SecurityError

    if operator == "*":
        for seq, count in ((left, right), (right, left)):
            if isinstance(seq, str | list | tuple) and isinstance(count, int) and len(seq) * count > MAX_REPEAT:
                raise SecurityError(f"重复得到的内容过长（超过 {MAX_REPEAT}）")
        return left * right
    if operator == "**":
        if isinstance(right, int | float) and isinstance(left, int | float) and abs(right) > 64 and abs(left) > 1:
            raise SecurityError("乘方的结果过大")
        return left**right
    joined = isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple)
    if joined and len(left) + len(right) > MAX_OUTPUT_CHARS:
        raise SecurityError(f"拼接得到的内容过长（超过 {MAX_OUTPUT_CHARS}）")
    return left + right


def _own_or_builtin(obj: Any, attr: str) -> bool:
    """Whether `attr` of `obj` is data (set on the instance: a field) or defined by a built-in
    type, by Jinja2's own loop and namespace objects, or by reportgen; a module's or a class's
    attributes are never reachable."""
    if isinstance(obj, type) or type(obj).__name__ == "module":
        return False
    for klass in type(obj).__mro__:
        if attr in vars(klass):
            return (klass.__module__ or "").partition(".")[0] in TRUSTED_MODULES
    return True


def _folder_loader(folders: list[Path]) -> jinja2.BaseLoader:
    """Jinja2's file loader, refusing any file whose real path leaves the template folders
    (a symbolic link out of the folder) and any file too large to be a template; Jinja2 itself
    refuses `..` in a template name."""
    import jinja2

    class FolderLoader(jinja2.FileSystemLoader):
        def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
            for folder in folders:
                candidate = folder / template
                if candidate.exists() or candidate.is_symlink():
                    path = inside(folder, candidate, what=template)
                    if path.stat().st_size > MAX_TEMPLATE_BYTES:
                        raise TemplateError(f"{path}: 错误: 模板文件过大（上限 {MAX_TEMPLATE_BYTES} 字节）")
                    break
            return super().get_source(environment, template)

    return FolderLoader([str(f) for f in folders])


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


@contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    """Stop a template that runs too long (on systems with SIGALRM, in the main thread)."""
    usable = hasattr(signal, "setitimer") and _main_thread()
    if not usable:
        yield
        return
    deadline = time.monotonic() + seconds

    def expired(signum: int, frame: Any) -> None:
        raise TemplateError(f"模板运行超过 {seconds} 秒，已停止（模板中可能有过大的循环）")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, max(deadline - time.monotonic(), 0.001))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _template_position(exc: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    if frames:
        return f"{frames[-1].filename}:{frames[-1].lineno}"
    return "模板"


@cache
def _shipped_settings(folder: Path) -> dict[str, Any]:
    """A shipped template's settings, read once a process (finding a district by name reads them all)."""
    return copy.deepcopy(_shipped_once(folder))


@functools.lru_cache(maxsize=64)
def _shipped_once(folder: Path) -> dict[str, Any]:
    return settings_file.read(folder / SETTINGS_FILE)


def _read_settings(folder: Path) -> dict[str, Any]:
    if folder.parent == shipped_root():
        return _shipped_settings(folder)
    path = folder / SETTINGS_FILE
    if path.exists() or path.is_symlink():
        path = inside(folder, path, what=SETTINGS_FILE)  # not a link to a file elsewhere
    return settings_file.read(path)


# Settings a template states whole: an outline lists all its parts, in order, or none.
WHOLE = ("大纲",)


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Deep merge: a district states only the settings that differ from its parent."""
    result = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict) and key not in WHOLE:
            result[key] = merge(result[key], value)
        else:
            result[key] = value
    return result


def available() -> list[tuple[str, Path]]:
    """Shipped templates: (display name, folder)."""
    root = shipped_root()
    found = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        name = _read_settings(folder).get("名称", folder.name)
        found.append((str(name), folder))
    return found


def _find_shipped(name: str) -> Path | None:
    root = shipped_root()
    if name.isidentifier() and (root / name).is_dir():
        return root / name
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        # only a template whose settings spell the name can be it: the others are not read
        if name.encode() not in (folder / SETTINGS_FILE).read_bytes():
            continue
        settings = _read_settings(folder)
        if name in (str(settings.get("名称", folder.name)), *(settings.get("别名", []) or [])):
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
    if not (real / SETTINGS_FILE).is_file():
        raise TemplateError(
            f"模板文件夹中没有 {SETTINGS_FILE}：{folder}（每个模板文件夹都要有设置文件，哪怕只写「名称」）"
        )
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


def _resolve(name: str | None, *, extra_dir: Path | None, relative_to: Path | None) -> Template:
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
    seen: set[Path] = set(chain)
    while parent:
        folder = _find_shipped(str(parent))
        if folder is None:
            names = "、".join(n for n, _ in available())
            raise TemplateError(f"找不到模板「{parent}」。可用的模板：{names}")
        if folder in seen:
            raise TemplateError(f"模板继承出现循环：{folder}")
        seen.add(folder)
        chain.append(folder)
        if folder.name == BASE:
            break
        parent = _read_settings(folder).get("继承") or BASE
    merged: dict[str, Any] = {}
    for folder in reversed(chain):
        merged = merge(merged, _read_settings(folder))
    display = str(_read_settings(chain[0]).get("名称", chain[0].name))
    return Template(display, chain, merged)
