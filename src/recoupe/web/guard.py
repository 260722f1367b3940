"""What the web app refuses before any page is built, and the headers every answer carries.

The app only reads: any method but GET and HEAD is refused, and so is any
request with a body. URLs are bounded in length. When the app listens on
loopback, a Host header naming another machine is refused (a page elsewhere
cannot reach the store by pointing a name of its own at 127.0.0.1). With a
token, every request must carry it: `Authorization: Bearer TOKEN`, or a
cookie set by visiting any page once with `?token=TOKEN` (which then
redirects to the same page without it, so the token does not linger in the
address bar or the history).
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterable, Mapping
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode

SECURITY_HEADERS = {
    # no script at all (the pages need none), nothing loaded from elsewhere, no framing
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'none'; object-src 'none'; style-src 'self'; img-src 'self' data:;"
        " connect-src 'none'; frame-src 'none'; worker-src 'none'; base-uri 'none'; form-action 'self';"
        " frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
TOKEN_COOKIE = "recoupe_token"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
MAX_URL_BYTES = 8192
MAX_HEADER_BYTES = 16 * 1024  # all header names and values together
MAX_HEADERS = 100
READ_METHODS = ("GET", "HEAD")


def with_security_headers(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Response headers with the security headers added where the response did not set its own."""
    out = list(headers)
    present = {name.lower() for name, _ in out}
    for name, value in SECURITY_HEADERS.items():
        if name.lower().encode() not in present:
            out.append((name.lower().encode(), value.encode()))
    return out


def host_name(host_header: str) -> str:
    """"127.0.0.1:8000" -> "127.0.0.1", "[::1]:8000" -> "::1"."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class Guard:
    """ASGI middleware: refusals first (method, body, URL length, host, token), headers on every answer."""

    def __init__(self, app, token: str | None = None, allowed_hosts: Iterable[str] | None = None,
                 max_url_bytes: int = MAX_URL_BYTES):
        self.app = app
        self.token = token.encode() if token else None
        self.allowed_hosts = {h.lower() for h in allowed_hosts} if allowed_hosts is not None else None
        self.max_url_bytes = max_url_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        head = scope["method"] == "HEAD"

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": with_security_headers(message.get("headers", []))}
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}  # HEAD: the answer to GET, without its body
            await send(message)

        refusal = self._refusal(scope)
        if refusal is not None:
            await _answer(send_with_headers, scope, *refusal)
            return
        await self.app({**scope, "method": "GET"} if head else scope, receive, send_with_headers)

    def _refusal(self, scope: Mapping) -> tuple[int, str, list[tuple[bytes, bytes]]] | None:
        headers = {name.lower(): value for name, value in scope.get("headers", [])}
        if scope["method"] not in READ_METHODS:
            return 405, "this site is read-only: only GET and HEAD", [(b"allow", b"GET, HEAD")]
        if len(scope.get("raw_path") or scope["path"].encode()) + len(scope.get("query_string", b"")) > self.max_url_bytes:
            return 414, f"URL longer than {self.max_url_bytes} bytes", []
        raw_headers = scope.get("headers", [])
        if len(raw_headers) > MAX_HEADERS or sum(len(n) + len(v) for n, v in raw_headers) > MAX_HEADER_BYTES:
            return 431, f"more than {MAX_HEADERS} headers or {MAX_HEADER_BYTES} bytes of them", []
        length = headers.get(b"content-length", b"0").strip()
        if (length and length != b"0") or b"transfer-encoding" in headers:
            return 413, "requests carry no body here", []
        if self.allowed_hosts is not None:
            host = host_name(headers.get(b"host", b"").decode("latin-1"))
            if host not in self.allowed_hosts:
                return 421, "unknown host name for this server", []
        if self.token is not None:
            return self._token_refusal(scope, headers)
        return None

    def _token_refusal(self, scope: Mapping, headers: Mapping[bytes, bytes]) -> tuple | None:
        given = headers.get(b"authorization", b"")
        if given[:7].lower() == b"bearer " and hmac.compare_digest(given[7:].strip(), self.token):
            return None
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get(b"cookie", b"").decode("latin-1"))
        except Exception:  # a malformed cookie header is no token
            cookie = SimpleCookie()
        if TOKEN_COOKIE in cookie and hmac.compare_digest(cookie[TOKEN_COOKIE].value.encode("latin-1", "replace"),
                                                          self.token):
            return None
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        offered = [value for key, value in query if key == "token"]
        if offered and hmac.compare_digest(offered[-1].encode("latin-1", "replace"), self.token):
            rest = urlencode([(k, v) for k, v in query if k != "token"])
            location = (scope.get("root_path", "") + scope["path"]) + (f"?{rest}" if rest else "")
            morsel = f"{TOKEN_COOKIE}={self.token.decode('latin-1')}; Path=/; HttpOnly; SameSite=Strict"
            return 303, "token accepted", [(b"location", location.encode("utf-8")), (b"set-cookie", morsel.encode())]
        return 401, "a token is needed: open the address given when the server started", [
            (b"www-authenticate", b'Bearer realm="recoupe"')]


async def _answer(send, scope: Mapping, status: int, message: str, extra: list[tuple[bytes, bytes]]) -> None:
    """A short answer: JSON under /api/, plain text elsewhere; no body for HEAD."""
    if scope["path"].startswith("/api/"):
        body, kind = json.dumps({"detail": message}).encode(), b"application/json"
    else:
        body, kind = f"{status}: {message}\n".encode(), b"text/plain; charset=utf-8"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode()), (b"cache-control", b"no-store"),
               *extra]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})
