"""Inter-character justification for Chinese lines in WeasyPrint.

WeasyPrint justifies a line by widening its spaces; Chinese has none, so a line that ends a
character short (a comma may not start the next line, so its character moves down with it)
would end ragged.  GB/T 9704 wants every full line to reach the right edge, as Word does by
spreading the gap over the characters.  This spreads it the same way: the extra width goes into
the letter spacing of the line's text, so the last glyph ends at the right edge.  Lines with
spaces, or with nested inline boxes, keep WeasyPrint's own behaviour.
"""

from __future__ import annotations

from typing import Any

_installed = False


def install() -> None:
    """Replace WeasyPrint's line justification once per process (a no-op if its internals moved)."""
    global _installed
    if _installed:
        return
    try:
        from weasyprint.formatting_structure import boxes
        from weasyprint.layout import inline
        from weasyprint.text.line_break import create_layout
    except ImportError:  # a WeasyPrint without these internals: keep its justification
        return
    original = getattr(inline, "justify_line", None)
    if original is None:
        return

    def justify(context: Any, line: Any, extra_width: float) -> None:
        texts = [child for child in line.children if isinstance(child, boxes.TextBox)]
        plain = len(texts) == len(line.children) and not inline.count_expandable_spaces(line)
        count = sum(len(box.text) for box in texts)
        if extra_width <= 0 or not plain or count < 2:
            return original(context, line, extra_width)
        delta = extra_width / (count - 1)
        advance = 0.0
        for box in texts:
            box.position_x += advance
            style = box.style.copy()
            spacing = style["letter_spacing"]
            style["letter_spacing"] = (0 if spacing == "normal" else spacing) + delta
            layout = create_layout(box.text, style, context, max_width=None, justification_spacing=0)
            layout.deactivate()
            box.pango_layout = layout
            box.style = style
            extra = delta * len(box.text)
            box.width += extra
            advance += extra
        line.width += advance
        return None

    inline.justify_line = justify
    _installed = True
