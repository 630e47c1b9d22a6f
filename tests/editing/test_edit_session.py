"""The edit page's server: the draft checked as validate checks it, saved only when it reads and
only over the file as it was loaded, in the file's own dress (BOM, CRLF); and its addresses
answer changes only from the page itself."""

from __future__ import annotations

import http.client
import json
import re
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import MINIMAL, ROOT

from reportgen.editing.server import Routes, figure
from reportgen.editing.session import Session
from reportgen.editing.yaml_edit import Change, EditError
from reportgen.loopback import LoopbackServer

FUNDS = ["基本情况", "部门整体收支情况"]


@pytest.fixture
def session(write_yaml) -> Iterator[Session]:
    opened = Session(write_yaml(MINIMAL))
    yield opened
    opened.close()


def test_the_draft_is_checked_and_its_figures_computed_as_a_build_would(session):
    state = session.state()
    assert state["readable"] and state["data"]["部门名称"] == "测试局"
    assert ["预算完成率", "95.00%"] in state["derived"]["funds"]["figures"]
    session.change([Change("set", (*FUNDS, "资金来源"), {"一般公共预算财政拨款": Decimal("90.00")})])
    state = session.state()
    sums = [d for d in state["diagnostics"] if "资金来源" in d["message"] and "不符" in d["message"]]
    assert sums and sums[0]["path"][:2] == FUNDS and state["dirty"]
    assert "一般公共预算财政拨款" not in session.path.read_text(encoding="utf-8")


def test_save_writes_the_draft_in_the_file_s_own_dress(write_yaml):
    path = write_yaml("")
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.replace("\n", "\r\n").encode("utf-8"))
    session = Session(path)
    try:
        session.change([Change("set", ("部门名称",), "改名局")])
        assert path.read_bytes().count("测试局".encode()) == 1  # nothing written before saving
        assert session.save() == f"已保存 {path}"
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") == MINIMAL.count("\n")
        assert "部门名称: 改名局\r\n" in raw.decode("utf-8-sig") and not session.dirty
    finally:
        session.close()


def test_a_file_changed_on_disk_is_never_overwritten_silently(session):
    session.change([Change("set", ("部门名称",), "页面上的名称")])
    session.path.write_text(MINIMAL.replace("测试局", "别处改的名称"), encoding="utf-8")
    assert session.state()["diskChanged"]
    with pytest.raises(EditError, match="别处"):
        session.save()
    assert "别处改的名称" in session.path.read_text(encoding="utf-8")
    session.save(force=True)
    assert "页面上的名称" in session.path.read_text(encoding="utf-8")
    session.path.write_text(MINIMAL, encoding="utf-8")
    session.reload()
    assert session.state()["data"]["部门名称"] == "测试局" and not session.dirty


def test_a_draft_that_does_not_read_is_shown_but_never_saved(session):
    before = session.path.read_bytes()
    session.set_text(MINIMAL.replace("年度: 2023", "年度: [2023"))
    state = session.state()
    assert not state["readable"] and state["diagnostics"][0]["line"] >= 2
    with pytest.raises(EditError, match="语法错误"):
        session.save()
    assert session.path.read_bytes() == before
    with pytest.raises(EditError, match=r"语法错误|无法读取"):
        session.change([Change("set", ("部门名称",), "x")])
    assert session.undo_last() and session.state()["readable"]


def test_number_fields_take_what_officers_type():
    assert figure("1,234.50") == Decimal("1234.50")
    assert figure("１２３４．５") == Decimal("1234.5")
    assert figure(" 95 ") == Decimal("95")
    assert figure("") is None
    assert figure("很多") == "很多"  # kept as typed: validate names it at its field


def test_pages_are_laid_out_and_a_click_finds_the_paragraph(session):
    session.start()
    assert session.wait_pages(0, timeout=120)
    assert session.state()["pages"] == {"report": 1}
    from reportgen.editing.locate import find_source, text_around

    pdf = session.pages.pdfs["报告"]
    checked = session.checked()
    hits = []
    for y in (0.30, 0.35, 0.40, 0.45, 0.5):
        around = text_around(pdf, 1, 0.5, y)
        if around:
            hits.append(find_source(checked.loaded.data, *around))
    assert ("基本情况", "部门职能") in hits or ("综合评价分析", "自评结论综述") in hits


@pytest.fixture
def served(session) -> Iterator[LoopbackServer]:
    routes = Routes(session)
    server = LoopbackServer(0, routes.get, routes.post)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def _post(server: LoopbackServer, route: str, body: dict, **headers: str) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        sent = {"Content-Type": "application/json", **{k.replace("_", "-"): v for k, v in headers.items()}}
        connection.request("POST", f"/{server.token}/{route}", json.dumps(body).encode(), sent)
        response = connection.getresponse()
        data = response.read()
        return response.status, (json.loads(data) if response.status == 200 else {})
    finally:
        connection.close()


def test_changes_are_taken_only_from_the_page_itself(served, session):
    change = {"changes": [{"op": "set", "path": ["部门名称"], "value": "外来的名称", "as": "text"}]}
    assert _post(served, "change", change, Origin="http://evil.example")[0] == 403
    assert _post(served, "change", change, Sec_Fetch_Site="cross-site")[0] == 403
    assert _post(served, "change", change, Content_Type="text/plain")[0] == 403  # a form from another site
    assert _post(served, "change", change, Host="attacker.example:80")[0] == 403
    assert session.state()["data"]["部门名称"] == "测试局"
    status, answer = _post(served, "change", change, Origin=f"http://127.0.0.1:{served.port}")
    assert status == 200 and answer["state"]["data"]["部门名称"] == "外来的名称"
    status, answer = _post(served, "save", {})
    assert status == 200 and "外来的名称" in session.path.read_text(encoding="utf-8")


def test_bad_requests_get_a_message_not_a_traceback(served, session):
    for body in (
        {"changes": [{"op": "drop", "path": []}]},
        {"changes": [{"op": "set", "path": "x"}]},
        {"changes": [{"op": "set", "path": [True]}]},
        {"kind": "report", "page": "x", "x": 0, "y": 0},
    ):
        status, answer = _post(served, "change" if "changes" in body else "locate", body)
        assert status == 200 and answer["error"].startswith("错误")
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    connection.request("POST", f"/{served.token}/change", b"\xff\xfe", {"Content-Type": "application/json"})
    assert json.loads(connection.getresponse().read())["error"] == "错误: 请求无法读取"
    connection.close()
    assert Path(session.path).read_text(encoding="utf-8") == MINIMAL


def test_changes_on_disk_and_on_the_page_are_merged_where_they_do_not_touch(session):
    session.change([Change("set", ("部门名称",), "页面上改的名称")])
    session.path.write_text(MINIMAL.replace("存在的主要问题: 无。", "存在的主要问题: 别处写的问题。"), encoding="utf-8")
    assert "已合并" in session.merge_disk()
    merged = session.state()["data"]
    assert merged["部门名称"] == "页面上改的名称" and merged["存在的主要问题"] == "别处写的问题。"
    assert session.save() == f"已保存 {session.path}"  # the disk's version is now the base
    session.change([Change("set", ("年度",), Decimal(2024))])
    session.path.write_text(session.path.read_text(encoding="utf-8").replace("年度: 2023", "年度: 2022"), "utf-8")
    with pytest.raises(EditError, match="同一处"):
        session.merge_disk()
    session.keep_mine()
    assert not session.state()["diskChanged"]
    session.save()
    assert "年度: 2024" in session.path.read_text(encoding="utf-8")


def _points(pdf: Path, text: str) -> list[tuple[int, float, float]]:
    """Each page and point (fractions from the top left) where `text` is printed."""
    import pypdfium2 as pdfium

    found = []
    document = pdfium.PdfDocument(str(pdf))
    try:
        for number, page in enumerate(document, 1):
            width, height = page.get_size()
            chars = page.get_textpage()
            whole = chars.get_text_range()
            for at in re.finditer("\\s?".join(map(re.escape, text)), whole):  # 24 场: a quarter em between
                left, bottom, right, top = chars.get_charbox(at.start())
                found.append((number, (left + right) / 2 / width, 1 - (bottom + top) / 2 / height))
    finally:
        document.close()
    return found


def test_a_click_on_a_cell_of_the_form_finds_its_row(tmp_path):
    import shutil

    from reportgen.editing.session import located

    path = tmp_path / "sample.yaml"
    shutil.copy(ROOT / "examples" / "sample-jiedao-2024.yaml", path)
    opened = Session(path)
    try:
        opened.start()
        assert opened.wait_pages(0, timeout=120)
        assert set(opened.state()["pages"]) == {"report", "form"}

        def paths(text: str, kind: str = "自评表") -> list[list]:
            return [located(opened, kind, *point)["path"] for point in _points(opened.pages.pdfs[kind], text)]

        # 24场 is in the goals' text and in the first indicator's cell: each click finds its own
        assert paths("24场") == [["年度目标", "完成情况"], ["绩效指标", 0, "实际完成值"]]
        assert ["绩效指标", 1, "三级指标"] in paths("矛盾纠纷化解率")
        assert paths("部门职能", "报告")[0] == ["基本情况", "部门职能"]  # a heading: its section
    finally:
        opened.close()
