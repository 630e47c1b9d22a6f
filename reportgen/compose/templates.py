"""District templates: where they are found, their settings, and a strict Jinja2 environment.

Search path, first match wins: a folder named on the command line or in the YAML (a bureau's
own, anywhere on disk), then the district shipped in `templates/`, then `templates/base/`.  A
district overrides only what differs: Jinja2 blocks through `{% extends %}`, or a partial file of
the same name, plus a small settings file merged over its parent's.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from reportgen.input.diagnostics import TemplateError

if TYPE_CHECKING:
    import jinja2

SETTINGS_FILE = "settings.yaml"
BASE = "base"


def shipped_root() -> Path:
    """`templates/` of the project: inside the installed package, else beside it (a checkout)."""
    here = Path(__file__).resolve().parents[1]  # the package: templates/ inside it once installed
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / BASE).is_dir():
            return candidate
    raise TemplateError("找不到内置模板目录 templates/base：安装不完整，请重新运行 scripts/setup.sh")


@dataclass
class Template:
    """A resolved template: its folders from most to least specific, and merged settings."""

    name: str
    dirs: list[Path]
    settings: dict[str, Any] = field(default_factory=dict)

    def environment(self) -> jinja2.Environment:
        import jinja2  # only a build needs it; validation reads the settings alone

        loader = jinja2.FileSystemLoader([str(d) for d in self.dirs] + [str(shipped_root())])
        env = jinja2.Environment(
            loader=loader,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        return env

    def render(self, template_name: str, context: dict[str, Any], filters: dict[str, Any]) -> str:
        import jinja2

        env = self.environment()
        env.filters.update(filters)
        try:
            template = env.get_template(template_name)
            return template.render(context)
        except jinja2.TemplateSyntaxError as exc:
            where = f"{exc.filename or exc.name}:{exc.lineno}"
            raise TemplateError(f"{where}: 错误: 模板语法错误：{exc.message}") from exc
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(f"模板「{self.name}」中找不到文件 {exc.name}") from exc
        except jinja2.UndefinedError as exc:
            raise TemplateError(f"{_template_position(exc)}: 错误: 模板引用了未定义的变量：{exc.message}") from exc
        except TemplateError:
            raise
        except Exception as exc:  # a filter or macro failed inside the template
            raise TemplateError(f"{_template_position(exc)}: 错误: 模板出错：{exc}") from exc


def _template_position(exc: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    if frames:
        return f"{frames[-1].filename}:{frames[-1].lineno}"
    return "模板"


def _read_settings(folder: Path) -> dict[str, Any]:
    path = folder / SETTINGS_FILE
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f":{mark.line + 1}" if mark else ""
        raise TemplateError(f"{path}{line}: 错误: 模板设置文件语法错误（{exc.problem}）") from exc
    if not isinstance(data, dict):
        raise TemplateError(f"{path}:1: 错误: 模板设置文件的最外层应是「键: 值」形式")
    return data


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
    if (root / name).is_dir():
        return root / name
    for display, folder in available():
        aliases = _read_settings(folder).get("别名", []) or []
        if name in (display, *aliases):
            return folder
    return None


def resolve(name: str | None, *, extra_dir: Path | None = None, relative_to: Path | None = None) -> Template:
    """The template for a report: by district name, or a folder path, or the base."""
    chain: list[Path] = []
    own: Path | None = None
    if extra_dir is not None:
        own = extra_dir
    elif name and ("/" in name or "\\" in name or name.startswith(".") or Path(name).is_absolute()):
        own = (relative_to or Path.cwd()) / name
    if own is not None:
        own = own.resolve()
        if not own.is_dir():
            raise TemplateError(f"模板文件夹不存在：{own}")
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
    settings: dict[str, Any] = {}
    for folder in reversed(chain):
        settings = merge(settings, _read_settings(folder))
    display = str(_read_settings(chain[0]).get("名称", chain[0].name))
    return Template(display, chain, settings)
