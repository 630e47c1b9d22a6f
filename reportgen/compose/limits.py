"""How much a template may make: each string, list or bytes it builds is sized from the arguments
before it is allocated (`'x'.ljust(10**9)` would take a gigabyte before any check after it), and
all it builds in one render together are bounded, so that a loop of large pieces stops too.

The sandbox (sandbox.py) routes here every operator that can multiply (`*`, `**`, `+`, `%`, `~`),
every method of a string, bytes or integer whose result can outgrow its object, the filters that
can, and the joining of a macro's or a `{% set %}` block's output.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from jinja2.sandbox import SandboxedEscapeFormatter, SandboxedFormatter, SecurityError

MAX_MADE = 3_000_000  # characters (or items) of one thing a template makes: its whole output's worth
MAX_REPEAT = 100_000  # the longest string or list a template may build with *
MAX_MADE_TOTAL = 50_000_000  # all it makes in one render that is large (≥ COUNTED each)
COUNTED = 10_000  # smaller pieces are the ordinary work of a template, and not counted


class TooLarge(SecurityError):
    """A template asked for more than it may make; the message says what and how much."""


_made: ContextVar[list[int]] = ContextVar("made")


@contextmanager
def budget() -> Iterator[None]:
    """One render's allowance of large pieces."""
    token = _made.set([0])
    try:
        yield
    finally:
        _made.reset(token)


def _allow(size: int, what: str, limit: int = MAX_MADE) -> None:
    """Refuse a piece of `size` before it is made: beyond `limit`, or beyond what is left."""
    if size > limit:
        raise TooLarge(f"{what}得到的内容过长（要 {size} 个字符或项，上限 {limit}）")
    if size >= COUNTED:
        made = _made.get([0])
        made[0] += size
        if made[0] > MAX_MADE_TOTAL:
            raise TooLarge(f"大段内容合计超过 {MAX_MADE_TOTAL} 个字符")


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | bytes | bytearray | list | tuple | dict) else 0


def _count(value: Any) -> int:
    """An integer argument as the size it asks for (0 for anything else: the call itself refuses it)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


# ---------------------------------------------------------------- operators


def binop(operator: str, left: Any, right: Any) -> Any:
    if operator == "*":
        for seq, count in ((left, right), (right, left)):
            if isinstance(seq, str | list | tuple) and isinstance(count, int):
                _allow(len(seq) * count, "重复", MAX_REPEAT)
        return left * right
    if operator == "**":
        if isinstance(right, int | float) and isinstance(left, int | float) and abs(right) > 64 and abs(left) > 1:
            raise TooLarge("乘方的结果过大")
        return left**right
    if operator == "%":
        if isinstance(left, str):
            _allow(_printf_size(left, right), "格式化（%）")
        return left % right
    if isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
        _allow(len(left) + len(right), "拼接")
    return left + right


_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([a-zA-Z%])")


def _printf_size(fmt: str, args: Any) -> int:
    """The most `fmt % args` can make: each conversion as wide as its width or precision (a `*`
    as the largest integer given) or as the longest argument's text."""
    values = list(args.values()) if isinstance(args, dict) else list(args) if isinstance(args, tuple) else [args]
    longest = max((len(str(v)) for v in values), default=0)
    star = max((_count(v) for v in values), default=0)
    size = len(fmt)
    for found in _PRINTF.finditer(fmt):
        sizes = [longest]
        for given in found.groups()[:2]:
            if given == "*":
                sizes.append(star)
            elif given:
                sizes.append(int(given) if len(given) < 12 else MAX_MADE + 1)
        size += max(sizes)
    return size


# ---------------------------------------------------------------- methods


def _replaced(s: Any, old: Any, new: Any, count: Any = -1) -> int:
    if not isinstance(s, str | bytes) or not isinstance(old, str | bytes) or not isinstance(new, str | bytes):
        return 0
    text: Any = s  # str or bytes, as `old` is (a mix is refused by the method itself)
    times = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        times = min(times, count)
    return len(s) + times * max(len(new) - len(old), 0)


def _joined(sep: Any, items: list[Any]) -> int:
    return len(sep) * max(len(items) - 1, 0) + sum(_size(i) for i in items)


def _translated(s: Any, table: Any) -> int:
    if not isinstance(table, dict):
        return len(s)
    longest = max((_size(v) for v in table.values()), default=1)
    return len(s) * max(longest, 1)


# name → the size the method of a string (or bytes) would make, from the object and the arguments
_METHODS: dict[str, Callable[..., int]] = {
    "ljust": lambda s, width=0, *_: max(len(s), _count(width)),
    "rjust": lambda s, width=0, *_: max(len(s), _count(width)),
    "center": lambda s, width=0, *_: max(len(s), _count(width)),
    "zfill": lambda s, width=0: max(len(s), _count(width)),
    "expandtabs": lambda s, tabsize=8: len(s) + s.count("\t" if isinstance(s, str) else b"\t") * _count(tabsize),
    "replace": _replaced,
    "translate": _translated,
}


def wrapped(env: Any, value: Any) -> Callable[..., Any] | None:
    """A method the sandbox hands a template in place of `value`, sized before it runs; None for
    a value that needs no such care."""
    owner = getattr(value, "__self__", None)
    name = getattr(value, "__name__", "")
    if isinstance(owner, int) and not isinstance(owner, bool) and name == "to_bytes":
        return _checked(value, lambda length=1, *_, **__: _count(length), "「to_bytes」")
    if not isinstance(owner, str | bytes | bytearray) or not callable(value):
        return None
    if name in ("format", "format_map") and isinstance(owner, str):
        return _format(env, owner, name)
    if name == "join":
        return _join(value)
    if name in _METHODS:
        size = _METHODS[name]
        return _checked(value, lambda *a, **k: size(owner, *a, **k), f"「{name}」")
    return None


def _checked(method: Callable[..., Any], size: Callable[..., int], what: str) -> Callable[..., Any]:
    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            expected = size(*args, **kwargs)
        except TypeError:  # arguments the method itself refuses, with its own message
            expected = 0
        _allow(expected, what)
        return method(*args, **kwargs)

    return call


def _join(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def call(items: Any) -> Any:
        listed = list(items) if not isinstance(items, list | tuple) else items
        _allow(_joined(method.__self__, list(listed)), "「join」")  # type: ignore[attr-defined]
        return method(listed)

    return call


class _Bounded(string.Formatter):
    """A formatter whose fields are sized before they are formatted and counted after."""

    made = 0

    def format_field(self, value: Any, format_spec: str) -> Any:
        widths = [int(w) if len(w) < 12 else MAX_MADE + 1 for w in re.findall(r"\d+", format_spec)]
        _allow(max([0, *widths]), "「format」")
        text = super().format_field(value, format_spec)
        self.made += len(text)
        _allow(self.made, "「format」")
        return text


class _BoundedFormatter(_Bounded, SandboxedFormatter):
    pass


class _BoundedEscapeFormatter(_Bounded, SandboxedEscapeFormatter):
    pass


def _format(env: Any, owner: str, name: str) -> Callable[..., str]:
    """`str.format` and `format_map` as Jinja2's sandbox runs them, each field sized."""
    escape = getattr(owner, "escape", None)

    def call(*args: Any, **kwargs: Any) -> str:
        if name == "format_map":
            if kwargs or len(args) != 1:
                raise TypeError("format_map() 只接受一个参数")
            mapping: Any = args[0]
            args, kwargs = (), mapping
        formatter = _BoundedEscapeFormatter(env, escape=escape) if escape else _BoundedFormatter(env)
        return type(owner)(formatter.vformat(owner, args, kwargs))

    return call


# ---------------------------------------------------------------- filters and joined output


def _lines(s: Any) -> int:
    return str(s).count("\n") + 2


def _urlized(value: Any, *args: Any, **kwargs: Any) -> int:
    """Each link (four characters at least) written twice, in an <a> with the attributes given."""
    extra = sum(_size(v) for v in [*args, *kwargs.values()])
    return _size(value) * 3 + (_size(value) // 4 + 1) * (60 + extra)


# name → (the size the filter would make from its arguments, the most it may make: items for the
# filters that make lists)
_FILTERS: dict[str, tuple[Callable[..., int], int]] = {
    "center": (lambda value, width=80: max(_size(value), _count(width)), MAX_MADE),
    "indent": (lambda s, width=4, *_, **__: _size(s) + _lines(s) * (_size(width) or _count(width)), MAX_MADE),
    "wordwrap": (lambda s, width=79, b=True, wrapstring=None, *_, **__: _size(s) * (2 + _size(wrapstring)), MAX_MADE),
    "urlize": (_urlized, MAX_MADE),
    "replace": (lambda s, old, new, count=None: _replaced(s, old, new, -1 if count is None else count), MAX_MADE),
    "format": (lambda value, *a, **k: _printf_size(value, k or a) if isinstance(value, str) else 0, MAX_MADE),
    "batch": (lambda value, linecount, fill_with=None: 0 if fill_with is None else _count(linecount), MAX_REPEAT),
    "slice": (lambda value, slices, fill_with=None: _count(slices), MAX_REPEAT),
}


def bounded_filters(filters: dict[str, Callable[..., Any]]) -> dict[str, Callable[..., Any]]:
    """Jinja2's filters that can make more than they are given, each sized before it runs."""
    return {name: _filter(filters[name], *sizing, name) for name, sizing in _FILTERS.items() if name in filters}


def _filter(fn: Callable[..., Any], size: Callable[..., int], limit: int, name: str) -> Callable[..., Any]:
    passed = 1 if getattr(fn, "jinja_pass_arg", None) is not None else 0  # the context or environment

    @functools.wraps(fn)  # keeps the mark that has Jinja2 pass the context
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            expected = size(*args[passed:], **kwargs)
        except TypeError:
            expected = 0
        _allow(expected, f"过滤器「{name}」", limit)
        return fn(*args, **kwargs)

    return call


def concat(pieces: Any) -> str:
    """A macro's or a `{% set %}` block's output joined, once its length is known to be allowed."""
    listed = list(pieces)
    _allow(sum(len(p) for p in listed), "宏或 set 块输出")
    return "".join(listed)


def joined(join: Callable[[Any], str], pieces: tuple[Any, ...]) -> str:
    """`a ~ b`, once its length is known to be allowed (a string doubled in a loop stops here)."""
    _allow(sum(len(p) if isinstance(p, str) else len(str(p)) for p in pieces), "拼接（~）")
    return join(pieces)
