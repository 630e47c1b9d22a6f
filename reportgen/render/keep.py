"""What stays on the page of what follows it, in both files: a table's lead-in ("……如下表："),
its unit line (单位：万元) and its caption stay with the table's first rows (a lead-in alone at
the foot of a page, the table on the next, reads as a sentence cut off); the two tables of one
form stay together where they meet."""

from __future__ import annotations

import re
from collections.abc import Sequence

from reportgen.compose.tree import Node, Paragraph, Table

_LEAD_IN = re.compile(r"(如下表?|见下表|下表|表\s*\d+)[^。；]*[：:]?$|[：:]$")


def keeps_with_next(nodes: Sequence[Node], index: int) -> bool:
    """Whether the paragraph at `index` introduces the table right after it, or the table at
    `index` is the upper part of a form whose lower part is joined to it (printed as one table,
    the two meet on one page: Word keeps the upper one's last row with the lower one)."""
    node = nodes[index]
    following = nodes[index + 1] if index + 1 < len(nodes) else None
    if isinstance(node, Table) and isinstance(following, Table) and following.joined:
        return True
    if not isinstance(node, Paragraph) or index + 1 >= len(nodes) or not isinstance(nodes[index + 1], Table):
        return False
    text = node.text.strip()
    return node.align in ("unit", "center") or bool(_LEAD_IN.search(text))
