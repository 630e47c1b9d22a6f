"""`watch` and `preview` as an officer uses them: save the file, see the new result — the
preview tested in a real headless Chromium."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MINIMAL

pytestmark = pytest.mark.slow  # see README「测试」: LibreOffice, a browser, fuzzing or many builds


def _start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "reportgen", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _wait_for(predicate, timeout: float = 60.0) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_watch_rebuilds_on_save(write_yaml, tmp_path):
    path = write_yaml(MINIMAL)
    out = tmp_path / "out"
    log = tmp_path / "watch.log"
    with log.open("w", encoding="utf-8") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "reportgen", "watch", str(path), "-o", str(out), "-f", "docx"],
            stdout=sink,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        _wait_for(lambda: (out / "report.docx").exists())
        first = (out / "report.docx").stat().st_mtime_ns
        time.sleep(1.0)
        path.write_text(MINIMAL.replace("负责测试工作。", "负责测试和验收工作。"), encoding="utf-8")
        _wait_for(lambda: (out / "report.docx").stat().st_mtime_ns != first)
        from textutil import docx_paragraphs

        _wait_for(lambda: "负责测试和验收工作。" in docx_paragraphs(out / "report.docx"))
        path.write_text(MINIMAL.replace("执行数: 95.00", "执行数: 很多"), encoding="utf-8")  # an error: nothing written
        _wait_for(lambda: "应填数字" in log.read_text(encoding="utf-8"))
        assert "负责测试和验收工作。" in docx_paragraphs(out / "report.docx")
    finally:
        process.terminate()
        process.wait(timeout=30)
    output = log.read_text(encoding="utf-8")
    assert output.count("已更新") == 2 and ("已停止监视" in output or "已中断（收到信号 15）" in output)


def _read(browser, by: str, value: str, attribute: str | None = None) -> str | None:
    """An element's text or attribute, None while the page is being replaced by its reload: the
    element found may be gone before it is read (stale), or the page between two documents (a
    JavaScript error from the driver), whichever the browser's timing gives."""
    from selenium.common.exceptions import WebDriverException

    try:
        element = browser.find_element(by, value)
        return element.get_attribute(attribute) if attribute else element.text
    except WebDriverException:
        return None


def test_preview_shows_pages_and_messages_and_refreshes_itself(write_yaml, browser):
    path = write_yaml(MINIMAL)
    process = _start("preview", str(path), "--port", "0")
    try:
        line = process.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/[0-9a-f]{32}/", line).group()  # with the session's token
        browser.get(url)
        _wait_for(lambda: "已更新" in (_read(browser, "id", "status") or ""), 60)
        pages = browser.find_elements("css selector", "main img")
        assert len(pages) == 1 and browser.execute_script("return arguments[0].naturalWidth", pages[0]) > 500
        version = _read(browser, "tag name", "body", "data-version")
        path.write_text(MINIMAL.replace("执行数: 95.00", "执行数: 80.00"), encoding="utf-8")
        # the page notices the save and reloads itself: a new version, and the new warning shown
        _wait_for(lambda: _read(browser, "tag name", "body", "data-version") not in (version, None), 30)
        _wait_for(lambda: "预算完成率 80.00% 低于 90%" in (_read(browser, "id", "messages") or ""), 30)
    finally:
        process.terminate()
        process.communicate(timeout=30)
    assert Path(path).read_text(encoding="utf-8").count("执行数: 80.00") == 1  # the file itself untouched
