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
_installed = False


def _cjk(char: str) -> bool:
    return "\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef" or char in "“”‘’"


def install() -> None:
    """Patch WeasyPrint's line setting once per process (a no-op if its internals moved)."""
    global _installed
    if _installed:
        return
    try:
        from weasyprint.formatting_structure import boxes
        from weasyprint.layout import inline
        from weasyprint.text.line_break import create_layout, line_size
    except ImportError:  # a WeasyPrint without these internals keeps its own line setting
        return
    justify_line = getattr(inline, "justify_line", None)
    split_first_line = getattr(inline, "split_first_line", None)
    if justify_line is None or split_first_line is None:
        return

    def spread(box: Any, delta: float, advance: float, context: Any) -> float:
        """Add `delta` of letter spacing to every character (after a Latin word, `delta` once),
        moving what follows along."""
        if isinstance(box, boxes.TextBox) and _WORD.fullmatch(box.text):
            box.position_x += advance
            return advance + delta
        if isinstance(box, boxes.TextBox):
            box.position_x += advance
            box.text = box.text.replace(BREAK, "")  # a break opportunity takes no spacing once broken
            style = box.style.copy()
            spacing = style["letter_spacing"]
            style["letter_spacing"] = (0 if spacing == "normal" else spacing) + delta
            layout = create_layout(box.text, style, context, max_width=None, justification_spacing=0)
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
                    advance = spread(child, delta, advance, context)
            box.width += advance - before
            return advance
        box.translate(advance, 0)
        return advance

    def split_words(box: Any, context: Any) -> list[Any]:
        """A line's text boxes cut into Chinese runs and Latin words, once the line is broken
        (so line breaking is untouched), so that the words can be kept whole when spread."""
        if isinstance(box, boxes.LineBox | boxes.InlineBox):
            children: list[Any] = []
            for child in box.children:
                children.extend(split_words(child, context) if child.is_in_normal_flow() else [child])
            box.children = children
            return [box]
        if not isinstance(box, boxes.TextBox) or _WORD.fullmatch(box.text) or not _WORD.search(box.text):
            return [box]
        pieces: list[Any] = []
        x = box.position_x
        for part in (p for p in _PIECES.split(box.text) if p):
            piece = box.copy_with_text(part)
            layout = create_layout(part, piece.style, context, max_width=None, justification_spacing=0)
            line, _ = layout.get_first_line()
            piece.width = line_size(line, piece.style)[0]
            layout.deactivate()
            piece.pango_layout = layout
            piece.position_x = x
            x += piece.width
            pieces.append(piece)
        return pieces

    def characters(box: Any) -> int:
        """The gaps a line's extra width is spread over: one per character, one per Latin word."""
        if isinstance(box, boxes.TextBox):
            return 1 if _WORD.fullmatch(box.text) else len(box.text.replace(BREAK, ""))
        if isinstance(box, boxes.LineBox | boxes.InlineBox):
            return sum(characters(child) for child in box.children)
        return 0

    def last_text(box: Any) -> Any:
        if isinstance(box, boxes.TextBox):
            return box
        for child in reversed(getattr(box, "children", [])):
            found = last_text(child)
            if found is not None and found.text:
                return found
        return None

    def justify(context: Any, line: Any, extra_width: float) -> None:
        split_words(line, context)
        count = characters(line)
        if count < 2:
            return justify_line(context, line, extra_width)
        tail = last_text(line)
        if tail is not None and tail.text[-1] in (*HANGING, QUARTER_EM) and count > 2:
            # a hanging mark: the character before it is what reaches the right edge
            spacing = tail.style["letter_spacing"]
            size = tail.style["font_size"] / (4 if tail.text[-1] == QUARTER_EM else 1)
            mark = size + (0 if spacing == "normal" else spacing)
            if extra_width + mark > 0:
                spread(line, (extra_width + mark) / (count - 2), 0.0, context)
            return None
        if extra_width > 0:
            spread(line, extra_width / (count - 1), 0.0, context)
        return None

    def split(text: str, style: Any, context: Any, max_width: Any, *args: Any, **kwargs: Any) -> Any:
        result = _split(text, style, context, max_width, *args, **kwargs)
        resume = result[2]
        if resume is not None and text.encode()[resume : resume + 3] == QUARTER_EM.encode():
            result = (*result[:2], resume + 3, *result[3:])  # no autospace at the start of a line
        return result

    def _split(text: str, style: Any, context: Any, max_width: Any, *args: Any, **kwargs: Any) -> Any:
        result = split_first_line(text, style, context, max_width, *args, **kwargs)
        resume = result[2]
        if max_width is None or resume is None or not style["font_size"]:
            return result
        # Only a mark that dragged the character before it down can hang: the next line then
        # starts with that character and the mark (or the mark right after an autospace).
        rest = text.encode()[resume : resume + 16].decode(errors="ignore").lstrip(QUARTER_EM)
        if not (rest[1:2] in HANGING and rest[1:2]) and not (rest[:1] in HANGING and rest[:1]):
            return result
        # Would the line end at a closing punctuation mark if that mark were allowed to hang?
        wider = split_first_line(text, style, context, max_width + style["font_size"], *args, **kwargs)
        line = text.encode()[: wider[1]].decode(errors="ignore").rstrip().rstrip(QUARTER_EM)
        if wider[1] <= result[1] or len(line) < 2 or line[-1] not in HANGING:
            return result
        if not _cjk(line[-2]):  # a mark after Latin letters or digits does not hang (as in LibreOffice)
            return result
        if wider[3] - style["font_size"] > max_width + 0.01:
            return result
        return wider

    text_align = getattr(inline, "text_align", None)
    if text_align is None:
        return

    def align(context: Any, line: Any, available_width: float, last: bool) -> float:
        # WeasyPrint leaves a line wider than the box alone; one that is wider only by its
        # hanging mark is still justified up to the mark.
        tail = last_text(line)
        if (
            line.width >= available_width
            and not last
            and line.style["text_align_all"] == "justify"
            and tail is not None
            and tail.text[-1:] in (*HANGING, QUARTER_EM)
        ):
            justify(context, line, available_width - line.width)
            return 0
        return text_align(context, line, available_width, last)

    inline.justify_line = justify
    inline.split_first_line = split
    inline.text_align = align
    _installed = True
