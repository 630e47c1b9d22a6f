"""Small WordprocessingML helpers on top of python-docx's element classes.

python-docx models most of the properties the writer sets and inserts each at its place in the
schema's order (Word refuses a file whose properties are out of order); the few it does not model
are placed here by the siblings the schema (ECMA-376 Part 1, §17) lets follow them.
"""

from __future__ import annotations

from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# For each property python-docx does not model: the properties that may follow it in its parent.
_FOLLOWERS = {
    ("pPr", "overflowPunct"): (
        "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
        "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
        "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
    ),
    ("pPr", "snapToGrid"): (
        "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
        "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
    ),
    ("rPr", "spacing"): (
        "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign",
        "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath",
    ),
    ("rPr", "szCs"): (
        "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang",
        "eastAsianLayout", "specVanish", "oMath",
    ),
    ("rPr", "lang"): ("eastAsianLayout", "specVanish", "oMath"),
    ("tblPr", "tblW"): (
        "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption",
        "tblDescription", "tblPrChange",
    ),
    ("tblPr", "tblBorders"): (
        "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription", "tblPrChange",
    ),
    ("tblPr", "tblCellMar"): ("tblLook", "tblCaption", "tblDescription", "tblPrChange"),
}  # fmt: skip


def local(tag: str) -> str:
    return tag.split("}")[-1]


def el(tag: str, **attrs: str) -> Any:
    """A `w:` element with `w:` attributes."""
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    return element


def put(parent: Any, child: Any) -> Any:
    """`child` in place of `parent`'s element of the same tag, at its place in the schema order."""
    name = local(child.tag)
    for existing in parent.findall(child.tag):
        parent.remove(existing)
    insert = getattr(parent, f"_insert_{name}", None)
    if insert is not None:  # python-docx knows where it goes
        return insert(child)
    followers = _FOLLOWERS[(local(parent.tag), name)]
    return parent.insert_element_before(child, *(f"w:{f}" for f in followers))


def flag(parent: Any, tag: str, value: str | None = None) -> None:
    """An on/off property: on when `value` is None, else set to `value` ("0" turns it off)."""
    put(parent, el(tag) if value is None else el(tag, val=value))
