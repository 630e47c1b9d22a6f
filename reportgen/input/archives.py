"""Word files read from outside (a bureau's reference.docx, a file given to check-layout) are zip
archives: their size once unpacked is checked before anything unpacks them, so that a small file
that inflates to gigabytes is refused at once."""

from __future__ import annotations

import zipfile
from pathlib import Path

from reportgen.errors import InputError

MAX_MEMBERS = 2_000
MAX_UNPACKED = 200_000_000  # bytes, all members together
MAX_RATIO = 200  # unpacked ÷ packed, for any member over 1 MB unpacked


def check_archive(path: Path, what: str, max_unpacked: int = MAX_UNPACKED) -> None:
    """Raise InputError unless `path` is a zip archive of bounded unpacked size."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"{path}: 错误: {what}不是有效的 Word 文件（.docx 应是 zip 压缩包）") from exc
    if len(members) > MAX_MEMBERS:
        raise InputError(f"{path}: 错误: {what}包含的部件过多（{len(members)} 个，上限 {MAX_MEMBERS}）")
    total = sum(m.file_size for m in members)
    if total > max_unpacked:
        limit = max_unpacked // 1_000_000
        raise InputError(f"{path}: 错误: {what}解压后过大（{total // 1_000_000} MB，上限 {limit} MB）")
    for member in members:
        if member.file_size > 1_000_000 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise InputError(f"{path}: 错误: {what}中的 {member.filename} 压缩比异常（可能是“压缩炸弹”），不予读取")
