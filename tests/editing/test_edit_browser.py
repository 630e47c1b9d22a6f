"""`reportgen edit` as an officer uses it, in a real headless Chromium: a new file filled through
the form, a sum warning seen at its field and fixed, an indicator added and the score changing, a
click on the page leading to the field, saved and built; and a page of another site unable to
read or write through it."""

from __future__ import annotations

import http.server
import json
import re
import subprocess
import sys
import threading
import time
from functools import partial

import pytest

pytestmark = pytest.mark.slow  # a browser (README「测试」)

FUNDS = ["基本情况", "部门整体收支情况"]


def _wait(predicate, timeout: float = 60.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            found = predicate()
        except Exception:  # the page being rebuilt under the driver: look again
            found = None
        if found:
            return found
        time.sleep(0.15)
    raise AssertionError("timed out")


def _key(path: list) -> str:
    return json.dumps(path, ensure_ascii=False, separators=(",", ":"))


class Officer:
    """What a person does on the page: type into a field, press a button, read a message."""

    def __init__(self, browser) -> None:
        self.browser = browser

    def field(self, path: list):
        return self.browser.find_element("css selector", f"[data-bind='{_key(path)}']")

    def type(self, path: list, text: str) -> None:
        from selenium.common.exceptions import StaleElementReferenceException

        for _ in range(5):  # a row added elsewhere redraws the form: find the field again
            try:
                from selenium.webdriver.common.keys import Keys

                element = _wait(lambda: self.field(path))
                element.click()
                element.send_keys(Keys.CONTROL, "a")  # as a person does: select what is there, type over it
                element.send_keys(text)
                break
            except StaleElementReferenceException:
                time.sleep(0.3)
        self.browser.find_element("id", "file").click()  # leave the field: the change is sent

    def messages(self, path: list) -> list[str]:
        box = self.browser.find_element("css selector", f"#form [data-path='{_key(path)}']:not(td)")
        return [li.text for li in box.find_elements("css selector", ".msgs li")]

    def text(self, element_id: str) -> str:
        return self.browser.find_element("id", element_id).text

    def press(self, label: str) -> None:
        from selenium.common.exceptions import StaleElementReferenceException

        for _ in range(5):  # the form redrawn between finding the button and pressing it: find it again
            try:
                self.browser.find_element("xpath", f"//button[contains(., '{label}')]").click()
                return
            except StaleElementReferenceException:
                time.sleep(0.3)
        raise AssertionError(f"cannot press {label}")


@pytest.fixture
def editing(tmp_path):
    path = tmp_path / "卫健局.yaml"
    process = subprocess.Popen(
        [sys.executable, "-m", "reportgen", "edit", str(path), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/[0-9a-f]{32}/", line).group()
        yield path, url
    finally:
        process.terminate()
        process.communicate(timeout=30)


def test_a_new_report_filled_in_the_browser(editing, browser):
    path, url = editing
    starter = path.read_text(encoding="utf-8")
    comments = [line for line in starter.splitlines() if line.lstrip().startswith("#")]
    browser.get(url)
    officer = Officer(browser)
    _wait(lambda: officer.field(["部门名称"]))
    officer.type(["部门名称"], "云溪县卫生健康局")
    officer.type(["基本情况", "部门职能"], "负责全县卫生健康工作。\n统筹全县医疗卫生资源。")
    officer.type([*FUNDS, "全年预算数"], "1,000")
    officer.type([*FUNDS, "执行数"], "950")
    officer.type([*FUNDS, "资金来源", "一般公共预算财政拨款"], "900")
    # the sum that does not add up is named at its own group, as the officer types
    _wait(lambda: any("不符" in m for m in officer.messages([*FUNDS, "资金来源"])))
    _wait(lambda: "预算完成率 95.00%" in browser.find_element("css selector", ".computed").text)  # redrawn each look
    officer.type([*FUNDS, "资金来源", "其他资金"], "50")
    _wait(lambda: not any("不符" in m for m in officer.messages([*FUNDS, "资金来源"])))

    browser.find_element("css selector", f"[data-bind='{_key(['文书'])}'] input[value='自评表']").click()
    _wait(lambda: "自评表" in officer.text("page-tabs"), 90)
    officer.type(["年度目标", "预期目标"], "家庭医生签约服务覆盖全县\n基层诊疗量稳步提升")
    officer.type(["年度目标", "完成情况"], "签约人数超过目标")
    officer.press("添加指标")
    _wait(lambda: officer.field(["绩效指标", 0, "三级指标"]))
    officer.type(["绩效指标", 0, "三级指标"], "家庭医生签约人数")
    officer.type(["绩效指标", 0, "年度指标值"], "≥1000人")
    officer.type(["绩效指标", 0, "分值"], "20")
    officer.type(["绩效指标", 0, "实际完成值"], "1100人")
    first = _wait(lambda: re.search(r"自评得分 ([\d.]+)", officer.text("total")))
    officer.type(["绩效指标", 0, "实际完成值"], "500人")

    def changed():
        found = re.search(r"自评得分 ([\d.]+)", officer.text("total"))
        return found if found and found.group(1) != first.group(1) else None

    second = _wait(changed)
    assert float(second.group(1)) < float(first.group(1))  # half the target: half the indicator's points
    cells = browser.find_elements("css selector", f"tr[data-path='{_key(['绩效指标', 0])}'] td.out")
    assert cells[0].text == "50.00%"

    # the score's conclusion printed after the section that sums the evaluation up
    conclusion = ["综合评价分析", "自评结论综述"]
    officer.type(conclusion, "全面完成年度目标。")
    browser.find_element("css selector", f".field[data-path='{_key(conclusion)}'] .score-tick input").click()
    _wait(lambda: "未保存" in officer.text("saved"))
    officer.press("保存")
    _wait(lambda: "已保存" in officer.text("banner"))
    saved = path.read_text(encoding="utf-8")
    header = "  自评结论综述:  # 自评结论：是否完成目标、预算完成率、自评得分\n"
    assert header + "    - 全面完成年度目标。\n    - 评分: 结论\n" in saved
    assert all(comment in saved for comment in comments)  # every comment of the starter kept
    assert "部门名称: 云溪县卫生健康局  # 部门全称" in saved and "    全年预算数: 1000  #" in saved
    assert "    负责全县卫生健康工作。\n    统筹全县医疗卫生资源。\n" in saved

    officer.press("生成 Word 和 PDF")
    _wait(lambda: "已生成" in officer.text("banner"), 120)
    built = sorted(p.name for p in path.parent.iterdir() if p.suffix in (".docx", ".pdf"))
    assert built == ["卫健局-自评表.docx", "卫健局-自评表.pdf", "卫健局.docx", "卫健局.pdf"]
    again = subprocess.run(
        [sys.executable, "-m", "reportgen", "build", str(path), "-o", str(path.parent / "again")],
        capture_output=True,
        text=True,
    )
    assert again.returncode == 0, again.stderr  # the YAML written is one build takes unchanged
    from textutil import docx_paragraphs

    assert any("自评得分" in p and "全面完成年度目标" not in p for p in docx_paragraphs(path.with_suffix(".docx")))

    # a click on the printed paragraph leads to the field it came from
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path.with_suffix(".pdf")))
    page = document[0]
    width, height = page.get_size()
    text = page.get_textpage()
    whole = text.get_text_range()
    at = whole.index("统筹全县")
    left, bottom, right, top = text.get_charbox(at)
    document.close()
    browser.find_element("xpath", "//nav[@id='page-tabs']/button[.='报告']").click()
    image = _wait(lambda: browser.find_element("css selector", "#pages img[alt='第 1 页']"))
    fx, fy = (left + right) / 2 / width, 1 - (bottom + top) / 2 / height
    browser.find_element("xpath", "//nav[@id='left-tabs']/button[.='源文件']").click()
    browser.execute_script(  # a click at that point of the page's image
        "const [img, fx, fy] = arguments; img.scrollIntoView({block: 'center'});"
        "const r = img.getBoundingClientRect();"
        "img.dispatchEvent(new MouseEvent('click', {bubbles: true,"
        " clientX: r.left + fx * r.width, clientY: r.top + fy * r.height}));",
        image,
        fx,
        fy,
    )
    _wait(lambda: browser.switch_to.active_element.get_attribute("data-bind") == _key(["基本情况", "部门职能"]))


def test_a_page_of_another_site_can_neither_read_nor_write(editing, browser, tmp_path):
    path, url = editing
    before = path.read_bytes()
    site = tmp_path / "site"
    site.mkdir()
    (site / "evil.html").write_text(
        f"""<!DOCTYPE html><html><body><form id="f" method="post" action="{url}save" enctype="text/plain">
<input name='{{"force": true, "x": "' value='"}}'></form>
<script>
(async () => {{
  let outcome = [];
  try {{
    await fetch("{url}text", {{method: "POST", headers: {{"Content-Type": "application/json"}},
      body: JSON.stringify({{text: "部门名称: 被改了\\n年度: 2024\\n"}})}});
    outcome.push("written");
  }} catch (e) {{ outcome.push("blocked"); }}
  try {{ await (await fetch("{url}state")).text(); outcome.push("read"); }} catch (e) {{ outcome.push("unread"); }}
  document.title = outcome.join(",");
}})();
</script></body></html>""",
        encoding="utf-8",
    )
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        browser.get(f"http://127.0.0.1:{other.server_address[1]}/evil.html")
        title = _wait(lambda: browser.title if "," in browser.title else None, 30)
        assert title == "blocked,unread"
        browser.execute_script("document.getElementById('f').submit()")  # a plain form, no asking first
        _wait(lambda: "403" in browser.page_source or "Forbidden" in browser.page_source, 30)
    finally:
        other.shutdown()
        other.server_close()
    browser.get(url)
    _wait(lambda: Officer(browser).field(["部门名称"]))
    assert path.read_bytes() == before
    assert "被改了" not in browser.find_element("id", "text").get_attribute("value")


def test_names_with_numbers_and_lines_taken_out(editing, browser):
    path, url = editing
    browser.get(url)
    officer = Officer(browser)
    staffing = ["基本情况", "机构和人员"]
    _wait(lambda: officer.field([*staffing, "编制数"]))
    browser.find_element("xpath", "//summary[contains(., '编制构成')]").click()
    name = browser.find_element("css selector", f"fieldset[data-path='{_key([*staffing, '编制构成'])}'] .add input")
    for kind in ("行政编制", "事业编制"):
        name.click()
        name.send_keys(kind + "\n")  # Enter adds the row; the name box is empty for the next
        _wait(lambda kind=kind: officer.field([*staffing, "编制构成", kind]))
        name = browser.find_element("css selector", f"fieldset[data-path='{_key([*staffing, '编制构成'])}'] .add input")
        assert name.get_attribute("value") == ""
    officer.type([*staffing, "编制构成", "行政编制"], "12")
    officer.type([*staffing, "编制构成", "事业编制"], "8")
    officer.type([*staffing, "编制数"], "21")
    _wait(lambda: any("编制" in m and "20" in m for m in officer.messages([*staffing, "编制构成"])))
    # 「不适用时删去这一行」: the form takes the line out of the file
    drop = browser.find_element("css selector", f".field[data-path='{_key([*FUNDS, '年初预算数'])}'] button.drop")
    drop.click()
    _wait(lambda: not drop.is_displayed())
    # a section of the unit's own under a part of the outline
    box = browser.find_element("css selector", f"fieldset[data-path='{_key(['综合评价分析'])}'] > .add input")
    box.send_keys("其他需要说明的情况\n")
    officer.type(["综合评价分析", "其他需要说明的情况"], "无其他需要说明的情况。")
    officer.press("保存")
    _wait(lambda: "已保存" in officer.text("banner"))
    saved = path.read_text(encoding="utf-8")
    from reportgen.input.loader import load

    assert load(path).data["综合评价分析"]["其他需要说明的情况"] == "无其他需要说明的情况。"
    assert "年初预算数" not in saved.split("# 以下按本部门报告")[0]
    assert "    编制构成:\n      行政编制: 12\n      事业编制: 8\n" in saved


def test_a_file_changed_elsewhere_is_merged_or_chosen_never_lost(editing, browser):
    path, url = editing
    browser.get(url)
    officer = Officer(browser)
    _wait(lambda: officer.field(["部门名称"]))
    officer.type(["部门名称"], "页面上的名称")
    _wait(lambda: "未保存" in officer.text("saved"))
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"年度: \d+", "年度: 2024", text), encoding="utf-8")  # the next line, by another program
    _wait(lambda: "合并两边的修改" in officer.text("banner"), 30)
    officer.press("合并两边的修改")
    _wait(lambda: officer.field(["年度"]).get_attribute("value") == "2024", 30)
    assert officer.field(["部门名称"]).get_attribute("value") == "页面上的名称"
    officer.press("保存")
    _wait(lambda: "已保存" in officer.text("banner"))
    saved = path.read_text(encoding="utf-8")
    assert "部门名称: 页面上的名称" in saved and "年度: 2024" in saved
    # the same field changed on both sides: the officer is told, and chooses
    officer.type(["年度"], "2023")
    _wait(lambda: "未保存" in officer.text("saved"))
    path.write_text(saved.replace("年度: 2024", "年度: 2022"), encoding="utf-8")
    _wait(lambda: "合并两边的修改" in officer.text("banner"), 30)
    officer.press("合并两边的修改")
    _wait(lambda: "同一处" in officer.text("banner") and "载入磁盘上的版本" in officer.text("banner"), 30)
    officer.press("保留本页的修改")
    _wait(lambda: "保留本页的修改：保存时替换" in officer.text("banner"), 30)
    officer.press("保存")
    _wait(lambda: "年度: 2023" in path.read_text(encoding="utf-8"), 30)
