"""Chinese line setting for WeasyPrint as Word sets it: inter-character justification and
hanging punctuation.

WeasyPrint justifies a line by widening its spaces; Chinese has none, so a line that ends a
character short (a comma may not start the next line, so its character moves down with it)
would end ragged.  GB/T 9704 wants every full line to reach the right edge, as Word does by
spreading the gap over the characters (spaces included): the extra width goes into the letter
spacing of the line's text, so the last glyph ends at the right edge.

Word and LibreOffice also let a closing punctuation mark hang past the right edge rather than
push the character before it to the next line; the PDF does the same, so that the three break
lines at the same characters and paginate alike.
"""

from __future__ import annotations

import re
from typing import Any

from reportgen.render.line_breaks import BREAK

HANGING = set("，。、；：！？）》”’")
# A run of Latin letters, digits and their marks (13.8%, 2022, GB/T) is one unit: justification
# widens the gaps around it, never the gaps inside it.
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,%+\-/:]*")
_PIECES = re.compile(r"([A-Za-z0-9][A-Za-z0-9.,%+\-/:]*)")
QUARTER_EM = "\u2005"  # the PDF's autospace between Chinese and Latin: dropped at line ends
# The WeasyPrint versions this patch was written against and is tested on (pyproject.toml pins
# the same range): its internals change between versions without notice.
TESTED = (70,)
_installed: LineSetting | None = None
_refused: str | None = None  # why the patch was not installed


def _cjk(char: str) -> bool:
    return "\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef" or char in "“”‘’"


class LineSetting:
    """WeasyPrint's line setting as Word does it: its own functions wrapped, and the Chinese rules
    added.  Holds the engine's modules and the functions it replaces, so that the pieces are
    plain methods rather than closures inside one long function."""

    def __init__(self, boxes: Any, inline: Any, create_layout: Any, line_size: Any) -> None:
        self.boxes = boxes
        self.inline = inline
        self.create_layout = create_layout
        self.line_size = line_size
        self.justify_line = inline.justify_line
        self.split_first_line = inline.split_first_line
        self.text_align = inline.text_align

    def spread(self, box: Any, delta: float, advance: float, context: Any) -> float:
        """Add `delta` of letter spacing to every character (after a Latin word, `delta` once),
        moving what follows along."""
        boxes = self.boxes
        if isinstance(box, boxes.TextBox) and _WORD.fullmatch(box.text):
            box.position_x += advance
            return advance + delta
        if isinstance(box, boxes.TextBox):
            box.position_x += advance
            box.text = box.text.replace(BREAK, "")  # a break opportunity takes no spacing once broken
            style = box.style.copy()
            spacing = style["letter_spacing"]
            style["letter_spacing"] = (0 if spacing == "normal" else spacing) + delta
            layout = self.create_layout(box.text, style, context, max_width=None, justification_spacing=0)
            layout.deactivate()
            box.pango_layout = layout
            box.style = style
            extra = delta * len(box.text)
            box.width += extra
            return advance + extra
        if isinstance(box, boxes.LineBox | boxes.InlineBox):
            box.position_x += advance
            before = advance
            for child in box.children:
                if child.is_in_normal_flow():
                    advance = self.spread(child, delta, advance, context)
            box.width += advance - before
            return advance
        box.translate(advance, 0)
        return advance

    def split_words(self, box: Any, context: Any) -> list[Any]:
        """A line's text boxes cut into Chinese runs and Latin words, once the line is broken
        (so line breaking is untouched), so that the words can be kept whole when spread."""
        boxes = self.boxes
        if isinstance(box, boxes.LineBox | boxes.InlineBox):
            children: list[Any] = []
            for child in box.children:
                children.extend(self.split_words(child, context) if child.is_in_normal_flow() else [child])
            box.children = children
            return [box]
        if not isinstance(box, boxes.TextBox) or _WORD.fullmatch(box.text) or not _WORD.search(box.text):
            return [box]
        pieces: list[Any] = []
        x = box.position_x
        for part in (p for p in _PIECES.split(box.text) if p):
            piece = box.copy_with_text(part)
            layout = self.create_layout(part, piece.style, context, max_width=None, justification_spacing=0)
            line, _ = layout.get_first_line()
            piece.width = self.line_size(line, piece.style)[0]
            layout.deactivate()
            piece.pango_layout = layout
            piece.position_x = x
            x += piece.width
            pieces.append(piece)
        return pieces

    def characters(self, box: Any) -> int:
        """The gaps a line's extra width is spread over: one per character, one per Latin word."""
        if isinstance(box, self.boxes.TextBox):
            return 1 if _WORD.fullmatch(box.text) else len(box.text.replace(BREAK, ""))
        if isinstance(box, self.boxes.LineBox | self.boxes.InlineBox):
            return sum(self.characters(child) for child in box.children)
        return 0

    def last_text(self, box: Any) -> Any:
        if isinstance(box, self.boxes.TextBox):
            return box
        for child in reversed(getattr(box, "children", [])):
            found = self.last_text(child)
            if found is not None and found.text:
                return found
        return None

    def justify(self, context: Any, line: Any, extra_width: float) -> None:
        self.split_words(line, context)
        count = self.characters(line)
        if count < 2:
            return self.justify_line(context, line, extra_width)
        tail = self.last_text(line)
        if tail is not None and tail.text[-1] in (*HANGING, QUARTER_EM) and count > 2:
            # a hanging mark: the character before it is what reaches the right edge
            spacing = tail.style["letter_spacing"]
            size = tail.style["font_size"] / (4 if tail.text[-1] == QUARTER_EM else 1)
            mark = size + (0 if spacing == "normal" else spacing)
            if extra_width + mark > 0:
                self.spread(line, (extra_width + mark) / (count - 2), 0.0, context)
            return None
        if extra_width > 0:
            self.spread(line, extra_width / (count - 1), 0.0, context)
        return None

    def split(self, text: str, style: Any, context: Any, max_width: Any, *args: Any, **kwargs: Any) -> Any:
        result = self._split(text, style, context, max_width, *args, **kwargs)
        resume = result[2]
        if resume is not None and text.encode()[resume : resume + 3] == QUARTER_EM.encode():
            result = (*result[:2], resume + 3, *result[3:])  # no autospace at the start of a line
        return result

    def _split(self, text: str, style: Any, context: Any, max_width: Any, *args: Any, **kwargs: Any) -> Any:
        result = self.split_first_line(text, style, context, max_width, *args, **kwargs)
        resume = result[2]
        if max_width is None or resume is None or not style["font_size"]:
            return result
        # Only a mark that dragged the character before it down can hang: the next line then
        # starts with that character and the mark (or the mark right after an autospace).
        rest = text.encode()[resume : resume + 16].decode(errors="ignore").lstrip(QUARTER_EM)
        if not (rest[1:2] in HANGING and rest[1:2]) and not (rest[:1] in HANGING and rest[:1]):
            return result
        # Would the line end at a closing punctuation mark if that mark were allowed to hang?
        wider = self.split_first_line(text, style, context, max_width + style["font_size"], *args, **kwargs)
        line = text.encode()[: wider[1]].decode(errors="ignore").rstrip().rstrip(QUARTER_EM)
        if wider[1] <= result[1] or len(line) < 2 or line[-1] not in HANGING:
            return result
        if not _cjk(line[-2]):  # a mark after Latin letters or digits does not hang (as in LibreOffice)
            return result
        if wider[3] - style["font_size"] > max_width + 0.01:
            return result
        return wider

    def align(self, context: Any, line: Any, available_width: float, last: bool) -> float:
        # WeasyPrint leaves a line wider than the box alone; one that is wider only by its
        # hanging mark is still justified up to the mark.
        tail = self.last_text(line)
        if (
            line.width >= available_width
            and not last
            and line.style["text_align_all"] == "justify"
            and tail is not None
            and tail.text[-1:] in (*HANGING, QUARTER_EM)
        ):
            self.justify(context, line, available_width - line.width)
            return 0
        return self.text_align(context, line, available_width, last)

    def apply(self) -> None:
        self.inline.justify_line = self.justify
        self.inline.split_first_line = self.split
        self.inline.text_align = self.align

    def in_place(self) -> bool:
        """Whether the engine still calls this patch's functions."""
        inline = self.inline
        return (
            getattr(inline.justify_line, "__self__", None) is self
            and getattr(inline.split_first_line, "__self__", None) is self
            and getattr(inline.text_align, "__self__", None) is self
        )


def install() -> None:
    """Patch WeasyPrint's line setting once per process; where its internals moved, the engine
    keeps its own line setting and `status()` says why."""
    global _installed, _refused
    if _installed is not None or _refused is not None:
        return
    try:
        from weasyprint.formatting_structure import boxes
        from weasyprint.layout import inline
        from weasyprint.text.line_break import create_layout, line_size
    except ImportError as exc:  # a WeasyPrint without these internals keeps its own line setting
        _refused = f"WeasyPrint 的内部接口已变（{exc}）"
        return
    missing = [name for name in ("justify_line", "split_first_line", "text_align") if not hasattr(inline, name)]
    if missing:
        _refused = f"WeasyPrint 的内部接口已变（缺少 {'、'.join(missing)}）"
        return
    patch = LineSetting(boxes, inline, create_layout, line_size)
    patch.apply()
    _installed = patch


def status() -> str | None:
    """None when the PDF's Chinese line setting is in place on a tested WeasyPrint; else what is
    wrong, in a line (`reportgen doctor` prints it)."""
    import weasyprint

    version = str(getattr(weasyprint, "__version__", "?"))
    install()
    if _installed is None or not _installed.in_place():
        return f"{_refused or '补丁未生效'}：PDF 的中文断行和两端对齐与 Word 不同（WeasyPrint {version}）"
    major = version.split(".")[0]
    if not major.isdigit() or int(major) not in TESTED:
        tested = "、".join(f"{v}.x" for v in TESTED)
        return f"WeasyPrint {version} 未经测试（测试过的版本：{tested}）：PDF 的断行可能与 Word 不同"
    return None
