"""The preview's web server answers only its own page: requests to this machine's name and port
that carry the session's token.  Anything else is refused with a status, never a traceback on
the officer's console, and the preview's folder is gone once it stops."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MINIMAL

from reportgen.loopback import LoopbackServer


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    routes = {"/": (b"<p>page</p>", "text/html; charset=utf-8"), "/version": (b"3", "text/plain")}
    running = LoopbackServer(0, lambda path: routes.get(path.split("?", 1)[0]))
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield running
    running.shutdown()
    running.server_close()


def _get(port: int, path: str, host: str | None = None) -> tuple[int, bytes, dict[str, str]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        headers = {"Host": host} if host is not None else {}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


def _raw(port: int, request: bytes) -> int:
    """The status the server answers a request of these exact bytes with (a request it reads as
    HTTP/0.9 gets the error page alone, which states it)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while len(answer) < 65_536 and (chunk := connection.recv(4096)):
            answer += chunk
    found = re.match(rb"HTTP/1\.[01] (\d{3}) ", answer) or re.search(rb"<p>Error code: (\d{3})</p>", answer)
    assert found, answer[:200]
    return int(found.group(1))


def test_the_page_needs_its_token(server):
    status, body, headers = _get(server.port, f"/{server.token}/")
    assert (status, body) == (200, b"<p>page</p>")
    assert (
        headers["X-Content-Type-Options"] == "nosniff"
        and "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    )
    assert _get(server.port, f"/{server.token}/version")[:2] == (200, b"3")
    assert server.url == f"http://127.0.0.1:{server.port}/{server.token}/" and len(server.token) == 32
    for path in ("/", "/version", f"/{'0' * 32}/", f"/{server.token[:-1]}/", f"/x/{server.token}/"):
        assert _get(server.port, path)[0] == 403, path
    status, _, headers = _get(server.port, f"/{server.token}")
    assert status == 301 and headers["Location"] == f"/{server.token}/"
    assert _get(server.port, f"/{server.token}/page/1.png")[0] == 404


def test_only_this_machine_s_names_with_the_port_are_answered(server):
    port, page = server.port, f"/{server.token}/"
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}"):
        assert _get(port, page, host)[0] == 200, host
    for host in (f"evil.example:{port}", f"localhost.evil.example:{port}", f"127.0.0.1:{port + 1}", "127.0.0.1"):
        assert _get(port, page, host)[0] == 403, host
    assert _raw(port, f"GET {page} HTTP/1.0\r\n\r\n".encode()) == 400  # no Host at all


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GET /page/\xb2 HTTP/1.1\r\nHost: HOST\r\n\r\n",
        b"GET /TOKEN/page/\xb2.png HTTP/1.1\r\nHost: HOST\r\n\r\n",
        b"GET /TOKEN/page/%s.png HTTP/1.1\r\nHost: HOST\r\n\r\n" % "²".encode(),
        b"GET ../../etc/passwd HTTP/1.1\r\nHost: HOST\r\n\r\n",
        b"GET http://evil.example/TOKEN/ HTTP/1.1\r\nHost: HOST\r\n\r\n",
        b"GET /TOKEN/<script> HTTP/1.1\r\nHost: HOST\r\n\r\n",
        b"GET /TOKEN/ HTTP/1.1\r\nHost: HOST\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n",
        b"GET /TOKEN/ HTTP/1.1\r\nHost: HOST\r\n" + b"X-Many: 1\r\n" * 120 + b"\r\n",
        b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: HOST\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(40)) + b"\r\n\r\n",
    ],
    ids=["b2", "b2-token", "superscript", "dots", "absolute", "markup", "huge", "many", "long-line", "tls"],
)
def test_malformed_requests_get_400_and_print_nothing(server, capfd, request_bytes):
    request = request_bytes.replace(b"TOKEN", server.token.encode()).replace(b"HOST", b"127.0.0.1:%d" % server.port)
    assert _raw(server.port, request) == 400
    assert _get(server.port, f"/{server.token}/")[0] == 200  # and goes on answering
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_a_connection_that_breaks_off_prints_nothing(server, capfd):
    with socket.create_connection(("127.0.0.1", server.port)) as connection:
        connection.sendall(f"GET /{server.token}/ HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n".encode())
    assert _get(server.port, f"/{server.token}/version")[0] == 200
    assert capfd.readouterr() == ("", "")


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_preview_serves_with_its_token_and_leaves_no_folder(write_yaml, tmp_path, stop):
    path = write_yaml(MINIMAL)
    temp = tmp_path / "temp"
    temp.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "reportgen", "preview", str(path), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(temp)},
    )
    try:
        line = process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/([0-9a-f]{32})/", line)
        assert found, line
        port, token = int(found.group(1)), found.group(2)
        assert len(list(temp.glob("reportgen-preview-*"))) == 1
        status, body, _ = _get(port, f"/{token}/")
        assert status == 200 and "已更新" in body.decode("utf-8") and 'src="page/1.png' in body.decode("utf-8")
        assert _get(port, f"/{token}/page/1.png")[1].startswith(b"\x89PNG")
        assert _get(port, "/")[0] == 403 and _get(port, f"/{token}/", f"evil.example:{port}")[0] == 403
        assert _raw(port, b"GET /page/\xb2 HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % port) == 400
    finally:
        process.send_signal(stop)
        _, err = process.communicate(timeout=30)
    assert process.returncode in (0, 128 + stop), err
    assert "Traceback" not in err and "内部错误" not in err
    assert list(temp.glob("reportgen-preview-*")) == [], list(temp.iterdir())
    assert Path(path).read_text(encoding="utf-8") == MINIMAL
