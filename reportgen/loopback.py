"""A web server on 127.0.0.1 that answers only the page it was started for (`reportgen preview`).

Listening on the loopback address keeps other machines out, but not web pages open in the
officer's own browser, nor other users of the machine.  So: the Host header must name this
machine (127.0.0.1, localhost, [::1]) with the server's port, which a site that points its own
name at 127.0.0.1 cannot send (DNS rebinding); every path starts with a random token that only
the URL printed by the command carries; and a request that is not one of its own (bytes that
are no URL, a path from elsewhere, oversized headers) is answered 400 and never printed.
"""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# A route: the path after the token ("/", "/version", "/page/1.png?v=3") → (body, content type),
# None when there is no such page.
Route = Callable[[str], tuple[bytes, str] | None]
# A route for changes: the path and the JSON body sent → (body, content type), or None.
PostRoute = Callable[[str, bytes], tuple[bytes, str] | None]
MAX_BODY = 8 * 1024 * 1024  # a change, or the whole text of a report: far below this

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
_PLAIN_PATH = re.compile(r"/[A-Za-z0-9._~/?=&%-]{0,500}")  # what the preview's own pages ask for
_TOO_LARGE = (HTTPStatus.REQUEST_URI_TOO_LONG, HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE)
_SAFETY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'none'; img-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'; frame-ancestors 'none'"
    ),
}


class LoopbackServer(ThreadingHTTPServer):
    """The server, its token, and the route that answers a request that passed the checks."""

    daemon_threads = True

    def __init__(self, port: int, route: Route, post: PostRoute | None = None) -> None:
        self.token = secrets.token_hex(16)
        self.route = route
        self.post = post
        super().__init__(("127.0.0.1", port), _Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/{self.token}/"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A connection that broke off, or a request that could not be read: nothing to print
        on the officer's console."""


class _Handler(BaseHTTPRequestHandler):
    server: LoopbackServer
    timeout = 10  # a connection that sends nothing is closed
    server_version = "reportgen"
    sys_version = ""

    def do_GET(self) -> None:
        refusal = self._refusal()
        if refusal is not None:
            self.send_error(refusal)
            return
        rest = self.path[len(self.server.token) + 1 :]
        if not rest.startswith("/"):  # the pages' own links are relative to /token/
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", f"/{self.server.token}/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        found = self.server.route(rest)
        if found is None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        self._answer(*found)

    def do_POST(self) -> None:
        """A change (`reportgen edit`): besides the checks of a GET, it must come from the page
        itself (Origin, when the browser sends one, is this server) and be JSON, which a form on
        another site cannot send without asking first (and this server answers no such asking)."""
        refusal = self._refusal()
        if refusal is None and self.server.post is None:
            refusal = HTTPStatus.METHOD_NOT_ALLOWED
        if refusal is None:
            refusal = self._foreign()
        if refusal is not None:
            self.send_error(refusal)
            return
        assert self.server.post is not None
        try:
            length = int(self.headers.get("Content-Length") or "-1")
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            self.send_error(HTTPStatus.BAD_REQUEST)
            return
        body = self.rfile.read(length)
        found = self.server.post(self.path[len(self.server.token) + 1 :], body)
        if found is None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        self._answer(*found)

    def _foreign(self) -> HTTPStatus | None:
        kind = (self.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
        if kind != "application/json":
            return HTTPStatus.FORBIDDEN
        origin = (self.headers.get("Origin") or "").strip().lower()
        own = {f"http://{name}:{self.server.port}" for name in LOOPBACK_NAMES}
        if origin and origin not in own:
            return HTTPStatus.FORBIDDEN
        site = (self.headers.get("Sec-Fetch-Site") or "").strip().lower()
        if site and site not in ("same-origin", "none"):
            return HTTPStatus.FORBIDDEN
        return None

    def _answer(self, body: bytes, kind: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _refusal(self) -> HTTPStatus | None:
        """Why this request is not answered: 400 for one that is malformed, 403 for one from
        elsewhere (another Host) or without the token."""
        if not _PLAIN_PATH.fullmatch(self.path):
            return HTTPStatus.BAD_REQUEST
        host = (self.headers.get("Host") or "").strip().lower()
        if not host:
            return HTTPStatus.BAD_REQUEST
        allowed = {f"{name}:{self.server.port}" for name in LOOPBACK_NAMES}
        if host not in allowed and not (self.server.port == 80 and host in LOOPBACK_NAMES):
            return HTTPStatus.FORBIDDEN
        first = self.path[1:].split("/", 1)[0].split("?", 1)[0]
        if not hmac.compare_digest(first.encode(), self.server.token.encode()):
            return HTTPStatus.FORBIDDEN
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Any request that could not be read is a bad request, whichever part of it was too long."""
        super().send_error(HTTPStatus.BAD_REQUEST if code in _TOO_LARGE else code, message, explain)

    def end_headers(self) -> None:
        for name, value in _SAFETY_HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the console is the officer's
        return
