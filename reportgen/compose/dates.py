"""The date a report's files carry (Word properties, PDF metadata, the embedded source).

Rebuilding the same YAML must give the same bytes, so no date comes from the clock: the
`SOURCE_DATE_EPOCH` of reproducible builds when set, else the report's 成文日期 (落款 › 日期),
else 1 January of the year after the one evaluated, when such reports are written.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime

from reportgen.errors import ReportgenError

LAST_SECOND = 253_402_300_799  # 9999-12-31 23:59:59, the last moment a date can name
_WRITTEN = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def issued(year: int | None, written: str | None = None) -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        return _from_epoch(epoch)
    match = _WRITTEN.search(written or "")
    if match:
        try:
            return datetime(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:  # 2月30日: validate reports it; the files take the year's default
            pass
    return datetime(year + 1 if year else 2000, 1, 1)


def _from_epoch(epoch: str) -> datetime:
    """The date `SOURCE_DATE_EPOCH` names; a value that names none is refused rather than passed
    over, so that a build meant to be reproducible never silently is not."""
    if epoch.isascii() and epoch.isdigit() and len(epoch) <= len(str(LAST_SECOND)) and int(epoch) <= LAST_SECOND:
        return datetime.fromtimestamp(int(epoch), UTC).replace(tzinfo=None)
    shown = epoch if len(epoch) <= 30 else epoch[:30] + "…"
    raise ReportgenError(
        f"环境变量 SOURCE_DATE_EPOCH 的值「{shown}」无效：应是 1970 年 1 月 1 日以来的秒数"
        f"（0 到 {LAST_SECOND} 之间的整数）；不需要固定文件日期时删去这个变量"
    )
