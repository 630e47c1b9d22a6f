"""Rendering a template's Jinja2 files in a sandbox narrowed to data.

A template folder is data (docs/templates.md, 信任): it reads the report's fields and calls the
few helpers reportgen gives it, nothing else; it runs for a bounded time and writes a bounded
amount; every failure is a message naming the template's file and line.
"""

from __future__ import annotations

import functools
import itertools
import signal
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.compose import limits
from reportgen.errors import TemplateError
from reportgen.template.folders import Template, inside, shipped_root

if TYPE_CHECKING:
    import jinja2

MAX_TEMPLATE_BYTES = 500_000  # one .j2 file
MAX_OUTPUT_CHARS = limits.MAX_MADE  # what one document's template may write (a 160-page report: 1 MB)
TRUSTED_MODULES = frozenset({"builtins", "reportgen", "jinja2", "markupsafe"})
MAX_SEARCHED = 200  # template files searched for the line of a message (a template has about 10)
RENDER_SECONDS = 5  # a template that loops for longer is stopped (a report's renders in 0.05 s)


def environment(template: Template, filters: tuple[tuple[str, Callable[..., Any]], ...] = ()) -> jinja2.Environment:
    """The template's environment, made once a process for its folders and filters: its compiled
    templates are kept (and read again when a file changes), since nothing a template compiles to
    depends on the report it is rendered for (see _RuntimeOnly)."""
    return _environment(tuple(template.dirs), filters)


@functools.lru_cache(maxsize=16)
def _environment(dirs: tuple[Path, ...], filters: tuple[tuple[str, Callable[..., Any]], ...]) -> jinja2.Environment:
    import jinja2  # only a build needs it; validation reads the settings alone

    env = _data_only_environment()(
        optimized=False,  # no constant folding at compile time, where no limit applies
        loader=_folder_loader([*dirs, shipped_root()]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=True,  # a template edited between two builds in one process is read again
        cache_size=200,
    )
    env.filters.update(dict(filters))
    env.filters.update(limits.bounded_filters(env.filters))
    return env


def render(
    template: Template,
    template_name: str,
    context: dict[str, Any],
    filters: tuple[tuple[str, Callable[..., Any]], ...] = (),
) -> str:
    """The template's output for one report; `filters` are the same functions for every report
    (what they need of the report, they read from the context)."""
    import jinja2
    from jinja2.sandbox import SecurityError

    env = environment(template, filters)
    try:
        compiled = env.get_template(template_name)
        chunks: list[str] = []
        size = 0
        with _time_limit(RENDER_SECONDS), limits.budget():
            for chunk in compiled.generate(context):
                size += len(chunk)
                if size > MAX_OUTPUT_CHARS:
                    raise TemplateError(f"模板「{template.name}」输出过长（超过 {MAX_OUTPUT_CHARS} 字符），已停止")
                chunks.append(chunk)
        return "".join(chunks)
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or exc.name}:{exc.lineno}"
        raise TemplateError(f"{where}: 错误: 模板语法错误：{exc.message}") from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"模板「{template.name}」中找不到文件 {exc.name}") from exc
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{_template_position(exc)}: 错误: 模板引用了未定义的变量：{exc.message}") from exc
    except limits.TooLarge as exc:
        raise TemplateError(f"{_template_position(exc)}: 错误: 模板构造的内容过大，已停止：{exc}") from exc
    except SecurityError as exc:
        raise TemplateError(f"{_template_position(exc)}: 错误: 模板试图做不允许的事（{exc}）") from exc
    except TemplateError:
        raise
    except RecursionError as exc:
        raise TemplateError(f"{_template_position(exc)}: 错误: 模板递归过深") from exc
    except MemoryError as exc:
        raise TemplateError(f"{_template_position(exc)}: 错误: 模板用尽了内存（构造的文字或列表过大），已停止") from exc
    except Exception as exc:  # a filter or macro failed inside the template
        reason = str(exc) or type(exc).__name__  # some errors carry no words of their own
        raise TemplateError(f"{_template_position(exc)}: 错误: 模板出错：{reason}") from exc


@cache
def _data_only_environment() -> type[jinja2.Environment]:
    """Jinja2's immutable sandbox narrowed to data (see below), compiling every expression to code
    run when the template renders."""
    return _sandbox_class(_runtime_only_generator())


@cache
def _runtime_only_generator() -> type[Any]:
    """Jinja2 evaluates an output expression whose parts are constants while it compiles the
    template (even with the optimizer off): `{{ "本年收入" | yoy }}` became the first report's
    sentence, baked into the compiled template, so that a compiled template kept for a second
    report printed the first one's figures, and a filter ran outside the time limit.  Here only
    a template's own text is constant; every expression runs when the template renders."""
    from jinja2 import nodes
    from jinja2.compiler import CodeGenerator

    class RuntimeOnly(CodeGenerator):
        def _output_child_to_const(self, node: Any, frame: Any, finalize: Any) -> str:
            if not isinstance(node, nodes.TemplateData):
                raise nodes.Impossible()
            return str(super()._output_child_to_const(node, frame, finalize))

        def visit_Concat(self, node: Any, frame: Any) -> None:
            """`a ~ b` joined by the environment, which sizes it first (limits.joined)."""
            if frame.eval_ctx.volatile:
                join = "(markup_join if context.eval_ctx.volatile else str_join)"
            else:
                join = "markup_join" if frame.eval_ctx.autoescape else "str_join"
            self.write(f"environment.joined({join}, (")
            for arg in node.nodes:
                self.visit(arg, frame)
                self.write(", ")
            self.write("))")

    return RuntimeOnly


def _sandbox_class(generator: type[Any]) -> type[jinja2.Environment]:
    """Jinja2's immutable sandbox, narrowed to data: a template reads the report's fields and
    calls the few helpers reportgen's own classes define, and the built-in methods of strings,
    lists and dicts.  Every method a class inherits from a library is refused, since some of them
    read files or unpickle data (pydantic's `parse_raw`, `parse_file`), and so is any method of an
    object from elsewhere (a path's `read_text`)."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class DataOnlyEnvironment(ImmutableSandboxedEnvironment):
        code_generator_class = generator
        # Arithmetic is checked when it runs (never folded ahead at compile time, outside the time
        # limit), and so is every method and filter that can make more than it is given: what
        # would build something huge is refused before it is built (limits.py).
        intercepted_binops = frozenset({"*", "**", "+", "%"})
        concat = staticmethod(limits.concat)
        joined = staticmethod(limits.joined)

        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            return super().is_safe_attribute(obj, attr, value) and _own_or_builtin(obj, attr)

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            return limits.binop(operator, left, right)

        def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
            return limits.wrapped(self, value)

    return DataOnlyEnvironment


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


def locate(template: Template, name: str, value: str) -> str | None:
    """`file:line` of the template's own file (not a shipped one) where the attribute `name` is
    written with `value`; None when it is computed, or written nowhere."""
    import re

    written = re.compile(rf"""\b{re.escape(name)}\s*=\s*["']?\s*{re.escape(value)}\s*["'\s>/]""")
    for folder in template.dirs:
        if folder.is_relative_to(shipped_root()):
            continue
        for path in sorted(itertools.islice(folder.rglob("*.j2"), MAX_SEARCHED)):
            try:
                text = inside(folder, path, what=path.name).read_text(encoding="utf-8", errors="replace")
            except (OSError, TemplateError):
                continue
            found = written.search(text[:MAX_TEMPLATE_BYTES])
            if found is not None:
                return f"{path}:{text.count(chr(10), 0, found.start()) + 1}"
    return None


def _template_position(exc: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    if frames:
        return f"{frames[-1].filename}:{frames[-1].lineno}"
    return "模板"
