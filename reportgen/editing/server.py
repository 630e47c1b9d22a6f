"""The addresses of the edit page: the page itself, its state as JSON, the pages as images, and
the changes it sends (each checked by loopback.py: this machine's name, the session's token, the
page's own origin, JSON only)."""

from __future__ import annotations

import json
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

from reportgen.editing.session import KINDS, Session, located
from reportgen.editing.yaml_edit import Change, EditError, Value
from reportgen.errors import ReportgenError

JSON = "application/json; charset=utf-8"
_PAGE_IMAGE = re.compile(r"/page/(report|form)/([1-9][0-9]{0,4})\.png")
_NUMBER = re.compile(r"-?\d+(\.\d*)?")
_GROUPED = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d*)?")  # 1,234.50: thousands separators, three digits apart
_STEP_LIMIT = 64  # a path deeper than any the format has is not the page's


@cache
def _asset(name: str) -> str:
    return resources.files("reportgen.editing").joinpath("static", name).read_text(encoding="utf-8")


def editor_page(title: str) -> bytes:
    """The page, its script and style inline (the page fetches nothing from elsewhere)."""
    import html

    page = _asset("editor.html")
    page = page.replace("{{title}}", html.escape(title))
    page = page.replace("/*{{style}}*/", _asset("editor.css"))
    page = page.replace("/*{{script}}*/", _asset("editor.js"))
    return page.encode("utf-8")


def _template(entry: tuple[str, Any]) -> Any:
    from reportgen.template import folders

    return folders.resolve(entry[1].name)


def _json(value: Any) -> tuple[bytes, str]:
    return json.dumps(value, ensure_ascii=False).encode("utf-8"), JSON


def figure(text: str) -> Value:
    """A number field's text as the file should hold it: a number when it reads as one (full-width
    digits and thousands separators allowed), else the text, which validate then names."""
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    if not cleaned:
        return None
    if _GROUPED.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    if _NUMBER.fullmatch(cleaned):
        try:
            return Decimal(cleaned)
        except InvalidOperation:
            return text.strip()
    return text.strip()


def _text(raw: Any) -> Value:
    text = str(raw) if raw is not None else ""
    return text.strip() if text.strip() else None


def _lines(raw: Any) -> Value:
    text = str(raw or "").replace("\r\n", "\n").strip("\n")
    return text if text.strip() else None


def _line_list(raw: Any) -> Value:
    """A list written one item to a line (预期目标, a title's lines)."""
    lines = [line.strip() for line in str(raw or "").splitlines() if line.strip()]
    return lines or None


def _blocks(raw: Any) -> Value:
    """A section's text, and whether the score's conclusion is printed after it (评分: 结论)."""
    if not isinstance(raw, dict):
        raise EditError("错误: 请求无法读取")
    text = _lines(raw.get("lines"))
    if not raw.get("score"):
        return text
    paragraphs = [line.strip() for line in str(text or "").splitlines() if line.strip()]
    return [*paragraphs, {"评分": "结论"}]


def _row(raw: Any) -> Value:
    if not isinstance(raw, dict):
        raise EditError("错误: 新的一行应是「键: 值」形式")
    return {str(k): v for k, v in raw.items() if v not in (None, "")}


# Each kind of field on the page, and how what it holds is written into the file.
_KINDS = {
    "number": lambda raw: figure(str(raw)) if raw is not None else None,
    "bool": lambda raw: raw if isinstance(raw, bool) else None,
    "list": lambda raw: [str(v) for v in raw or [] if str(v).strip()] or None,
    "blocks": _blocks,
    "newsection": lambda raw: "",  # a section of its own, written empty for the officer to fill
    "linelist": _line_list,
    "lines": _lines,
    "row": _row,
}


def _value(raw: Any, kind: str) -> Value:
    """A value from the page, by the kind of field it came from."""
    return _KINDS.get(kind, _text)(raw)


def _path(raw: Any) -> tuple[str | int, ...]:
    if not isinstance(raw, list) or len(raw) > _STEP_LIMIT:
        raise EditError("错误: 修改的位置无效")
    steps: list[str | int] = []
    for step in raw:
        if isinstance(step, bool) or not isinstance(step, str | int):
            raise EditError("错误: 修改的位置无效")
        steps.append(step)
    return tuple(steps)


def _changes(body: dict[str, Any]) -> list[Change]:
    changes = []
    for raw in body.get("changes", []):
        if not isinstance(raw, dict) or raw.get("op") not in ("set", "remove", "insert", "move"):
            raise EditError("错误: 不认识的修改")
        changes.append(
            Change(
                raw["op"],
                _path(raw.get("path")),
                _value(raw.get("value"), str(raw.get("as", "text"))),
                int(raw.get("index", 0)),
                int(raw.get("to", 0)),
            )
        )
    return changes


class Routes:
    """What each address answers for one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, path: str) -> tuple[bytes, str] | None:
        route = path.split("?", 1)[0]
        if route == "/":
            return editor_page(self.session.path.name), "text/html; charset=utf-8"
        if route == "/state":
            return _json(self.session.state())
        if route == "/meta":
            return _json(self._meta())
        image = _PAGE_IMAGE.fullmatch(route)
        if image is not None:
            kind = next(k for k, v in KINDS.items() if v == image.group(1))
            found = self.session.page_image(kind, int(image.group(2)))
            return (found, "image/png") if found is not None else None
        return None

    def _meta(self) -> dict[str, Any]:
        from reportgen.input.model import json_schema
        from reportgen.template import folders

        return {
            "schema": json_schema(),
            "templates": [[found.name, found.settings.说明 or ""] for found in map(_template, folders.available())],
            "file": str(self.session.path),
        }

    def post(self, path: str, body: bytes) -> tuple[bytes, str] | None:
        route = path.split("?", 1)[0]
        try:
            sent = json.loads(body.decode("utf-8")) if body else {}
        except (UnicodeDecodeError, json.JSONDecodeError):
            return _json({"error": "错误: 请求无法读取"})
        if not isinstance(sent, dict):
            return _json({"error": "错误: 请求无法读取"})
        try:
            return self._post(route, sent)
        except EditError as exc:
            return _json({"error": exc.message, "state": self.session.state()})
        except (ValueError, TypeError, KeyError):
            return _json({"error": "错误: 请求无法读取"})
        except ReportgenError as exc:
            return _json({"error": exc.message})

    def _post(self, route: str, sent: dict[str, Any]) -> tuple[bytes, str] | None:
        session = self.session
        if route == "/change":
            session.change(_changes(sent))
            return _json({"state": session.state()})
        if route == "/text":
            text = sent.get("text")
            if not isinstance(text, str):
                raise EditError("错误: 请求无法读取")
            session.set_text(text)
            return _json({"state": session.state()})
        if route == "/undo":
            session.undo_last()
            return _json({"state": session.state()})
        if route == "/save":
            message = session.save(force=bool(sent.get("force")))
            return _json({"message": message, "state": session.state()})
        if route == "/keep":
            session.keep_mine()
            return _json({"message": "保留本页的修改：保存时替换磁盘上的版本", "state": session.state()})
        if route == "/merge":
            message = session.merge_disk()
            return _json({"message": message, "state": session.state()})
        if route == "/reload":
            session.reload()
            return _json({"message": f"已载入磁盘上的 {session.path.name}", "state": session.state()})
        if route == "/build":
            outcome = session.build()
            return _json({**outcome, "state": session.state()})
        if route == "/locate":
            kind = next((k for k, v in KINDS.items() if v == sent.get("kind")), None)
            if kind is None:
                raise EditError("错误: 请求无法读取")
            return _json(located(session, kind, int(sent["page"]), float(sent["x"]), float(sent["y"])))
        return None
