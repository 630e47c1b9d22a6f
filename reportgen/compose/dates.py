"""The date a report's files carry (Word properties, PDF metadata, the embedded source).

Rebuilding the same YAML must give the same bytes, so no date comes from the clock: the
`SOURCE_DATE_EPOCH` of reproducible builds when set, else the report's 成文日期 (落款 › 日期),
else 1 January of the year after the one evaluated, when such reports are written.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime

_WRITTEN = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def issued(year: int | None, written: str | None = None) -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).replace(tzinfo=None)
    match = _WRITTEN.search(written or "")
    if match:
        try:
            return datetime(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:  # 2月30日: validate reports it; the files take the year's default
            pass
    return datetime(year + 1 if year else 2000, 1, 1)
