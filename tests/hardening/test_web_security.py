"""`recoupe serve` and the web app facing a network: where it listens, who may read, what every answer carries,
and what it refuses (other methods, bodies, long URLs, foreign host names, paths that climb out).

The app is checked in process and as a real server (`recoupe serve` in a
process of its own), where raw requests are sent over a socket so that no
client normalises the paths first.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest
from fastapi.testclient import TestClient

from recoupe.cli import main
from recoupe.errors import ConfigError
from recoupe.web import create_app
from recoupe.web.guard import SECURITY_HEADERS
from recoupe.web.server import check_binding
from store_builder import build_store

TOKEN = "k3y-that-is-long-enough-0123"
REPO_FILE_MARKERS = ("[build-system]", "root:x:0:0", "def create_app", "from __future__")


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("store") / "web.db"
    build_store(path, articles=12, per_story=4).close()
    return path


@pytest.fixture(scope="module")
def client(db) -> TestClient:
    return TestClient(create_app(db), raise_server_exceptions=False)


def assert_safe_headers(response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (response.status_code, response.url, name)


# -- where it listens ------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_serve(db: Path, *extra: str, env: dict | None = None) -> tuple[subprocess.Popen, int]:
    """`recoupe serve` in a process of its own; its output and log go to a file (`process.log`): a pipe
    nobody reads would fill with the access log and stall the server."""
    port = free_port()
    log = tempfile.TemporaryFile()
    process = subprocess.Popen([sys.executable, "-m", "recoupe", "serve", "--db", str(db), "--port", str(port), *extra],
                               stdin=subprocess.DEVNULL, stdout=log, stderr=log, env={**os.environ, **(env or {})})
    process.log = log  # type: ignore[attr-defined]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise AssertionError(log.read().decode())
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("the server did not start")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def listening(process: subprocess.Popen, port: int) -> set[str]:
    return {c.laddr.ip for c in psutil.Process(process.pid).net_connections(kind="inet")
            if c.status == psutil.CONN_LISTEN and c.laddr.port == port}


def test_serve_listens_on_loopback_by_default(db):
    process, port = start_serve(db)
    try:
        assert listening(process, port) == {"127.0.0.1"}
    finally:
        stop(process)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10", "example.org"])
def test_another_address_needs_a_token_or_the_public_flag(host, db, capsys):
    with pytest.raises(ConfigError, match="--token TOKEN .* or --public"):
        check_binding(host, None, False)
    assert main(["serve", "--db", str(db), "--host", host, "--port", "8000"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("recoupe: error: serving on ") and "--public" in line
    assert check_binding(host, TOKEN, False) is None and check_binding(host, None, True) is None


def test_tokens_are_long_and_exclusive_of_public():
    with pytest.raises(ConfigError, match="at least 16 characters"):
        check_binding("0.0.0.0", "short", False)
    with pytest.raises(ConfigError, match="contradict"):
        check_binding("0.0.0.0", TOKEN, True)
    assert check_binding("::1", None, False) == ["127.0.0.1", "::1", "localhost"]


def test_a_token_server_off_loopback_asks_every_request_for_it(db):
    process, port = start_serve(db, "--host", "0.0.0.0", env={"RECOUPE_TOKEN": TOKEN})
    try:
        assert listening(process, port) == {"0.0.0.0"}
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

        def get(path: str, headers: dict | None = None):
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return response, response.read()

        response, body = get("/api/stories")
        assert response.status == 401 and json.loads(body)["detail"].startswith("a token is needed")
        assert response.getheader("Content-Security-Policy") == SECURITY_HEADERS["Content-Security-Policy"]
        assert get("/api/stories", {"Authorization": "Bearer wrong-token-of-some-length"})[0].status == 401
        response, body = get("/api/stories", {"Authorization": f"Bearer {TOKEN}"})
        assert response.status == 200 and len(json.loads(body)) == 3
        response, _ = get(f"/stories/s1?token={TOKEN}&x=1")
        assert response.status == 303 and response.getheader("Location") == "/stories/s1?x=1"
        cookie = response.getheader("Set-Cookie")
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        response, body = get("/stories/s1", {"Cookie": cookie.split(";")[0]})
        assert response.status == 200 and b"D\xc3\xa9p\xc3\xaache 0" in body
        assert get("/", {"Cookie": "recoupe_token=nope"})[0].status == 401
        assert get("/", {"Cookie": '"; broken=\\x'})[0].status == 401
    finally:
        stop(process)
    process.log.seek(0)
    assert f"recoupe: open http://0.0.0.0:{port}/?token={TOKEN}\n" in process.log.read().decode()


def test_a_public_server_reads_only(db):
    process, port = start_serve(db, "--host", "0.0.0.0", "--public")
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/api/stories")
        assert json.loads(connection.getresponse().read())
        for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"):
            connection.request(method, "/api/stories", body=b"{}" if method in ("POST", "PUT", "PATCH") else None)
            response = connection.getresponse()
            response.read()
            assert response.status == 405 and response.getheader("Allow") == "GET, HEAD", method
    finally:
        stop(process)


def test_on_loopback_requests_for_another_host_name_are_refused():
    """A page elsewhere that points a name of its own at 127.0.0.1 cannot read the store."""
    app = TestClient(create_app(source=lambda: {"articles": [], "stories": []},
                                allowed_hosts=["127.0.0.1", "localhost", "::1"]))
    assert app.get("/api/stories", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    assert app.get("/api/stories", headers={"Host": "[::1]:8000"}).status_code == 200
    assert app.get("/api/stories", headers={"Host": "localhost"}).status_code == 200
    refused = app.get("/api/stories", headers={"Host": "attacker.example:8000"})
    assert refused.status_code == 421
    assert_safe_headers(refused)


# -- every answer carries the headers ---------------------------------------------------------------------------


def test_every_answer_carries_the_security_headers(client, db, tmp_path):
    answers = [
        client.get("/"), client.get("/?q=x&language=fr"), client.get("/stories/s1"), client.get("/stories/s1/graph.svg"),
        client.get("/articles/a00001"), client.get("/articles/a00001?compare=a00000"), client.get("/static/style.css"),
        client.get("/favicon.ico"), client.get("/openapi.json"), client.get("/api/stories"), client.get("/api/stories/s1"),
        client.get("/api/articles/a00000"), client.get("/stories/nope"), client.get("/api/stories/nope"),
        client.get("/api/stories?date_from=not-a-date"), client.post("/api/stories"), client.head("/"),
        client.get("/" + "x" * 9000), client.request("GET", "/", content=b"x" * 10),
    ]
    assert [a.status_code for a in answers] == [200] * 12 + [404, 404, 422, 405, 200, 414, 413]
    broken = TestClient(create_app(source=lambda: 1 / 0), raise_server_exceptions=False).get("/api/stories")
    missing = TestClient(create_app(tmp_path / "not-yet.db")).get("/api/stories")
    token = TestClient(create_app(db, token=TOKEN)).get("/")
    assert (broken.status_code, missing.status_code, token.status_code) == (500, 503, 401)
    assert missing.headers["retry-after"] == "1" and "cannot be read just now" in missing.json()["detail"]
    for answer in [*answers, broken, missing, token]:
        assert_safe_headers(answer)
    assert "script-src 'none'" in SECURITY_HEADERS["Content-Security-Policy"]
    assert "connect-src 'none'" in SECURITY_HEADERS["Content-Security-Policy"]


# -- paths that climb out, and oversized requests, sent raw to a real server -----------------------------------

TRAVERSALS = [
    "/static/../../../../etc/passwd", "/static/..%2f..%2f..%2fpyproject.toml", "/static/%2e%2e/%2e%2e/etc/passwd",
    "/static/%2e%2e%2f%2e%2e%2f%2e%2e%2fpyproject.toml", "/static/....//....//etc/passwd", "/static/..\\..\\pyproject.toml",
    "/static/%252e%252e%252fpyproject.toml", "/static/style.css%00.html", "/static/favicon.svg/../../pyproject.toml",
    "/static/..%c0%af..%c0%afetc/passwd", "/static//etc/passwd", "/..%2f..%2f..%2fetc%2fpasswd", "//etc/passwd",
    "/articles/..%2f..%2f..%2fetc%2fpasswd", "/articles/../../../../src/recoupe/web/app.py", "/stories/..%2F..%2Fapp.py",
    "/api/articles/..%2f..%2fetc%2fpasswd", "/static/%2fetc%2fpasswd", "/static/" + "../" * 40 + "etc/passwd",
    "/static/report/templates/base.html", "/static/__init__.py",
]


def raw_request(port: int, data: bytes, timeout: float = 10) -> tuple[int, bytes]:
    """Send bytes as they are; the status code and the body of the answer (0 when the server just closed)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                if b"\r\n\r\n" in b"".join(chunks) and _complete(b"".join(chunks)):
                    break
        except (ConnectionResetError, socket.timeout):
            pass
    answer = b"".join(chunks)
    if not answer:
        return 0, b""
    return int(answer.split(b" ", 2)[1]), answer.split(b"\r\n\r\n", 1)[-1]


def _complete(answer: bytes) -> bool:
    head, _, body = answer.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return False


@pytest.fixture(scope="module")
def server(db):
    process, port = start_serve(db)
    yield port
    stop(process)


def test_paths_that_climb_out_are_refused(server, client):
    for path in TRAVERSALS:
        status, body = raw_request(server, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        assert status in (400, 404), (path, status)
        assert not any(marker.encode() in body for marker in REPO_FILE_MARKERS), path
        response = client.get(path)
        assert response.status_code in (400, 404) and not any(m in response.text for m in REPO_FILE_MARKERS), path


def test_oversized_requests_are_refused_and_the_server_goes_on(server):
    host = b"Host: 127.0.0.1\r\n"
    cases = {
        "long url": (b"GET /?q=" + b"a" * 100_000 + b" HTTP/1.1\r\n" + host + b"\r\n", (400, 414)),
        "url past the app's bound": (b"GET /?q=" + b"a" * 9_000 + b" HTTP/1.1\r\n" + host + b"\r\n", (414,)),
        "huge header": (b"GET / HTTP/1.1\r\n" + host + b"X-Big: " + b"b" * 100_000 + b"\r\n\r\n", (400, 431)),
        "many headers": (b"GET / HTTP/1.1\r\n" + host + b"".join(b"X-%d: v\r\n" % i for i in range(5000)) + b"\r\n",
                         (400, 431)),
        "declared 10 GB body": (b"POST /api/stories HTTP/1.1\r\n" + host + b"Content-Length: 10000000000\r\n\r\nxx",
                                (405, 413)),
        "body on a GET": (b"GET /api/stories HTTP/1.1\r\n" + host + b"Content-Length: 1000000\r\n\r\n" + b"x" * 1000,
                          (413,)),
        "chunked body": (b"GET / HTTP/1.1\r\n" + host + b"Transfer-Encoding: chunked\r\n\r\nffffffff\r\n" + b"x" * 100,
                         (413,)),
    }
    for name, (request, expected) in cases.items():
        status, _ = raw_request(server, request)  # a server waiting for the announced body would time out: 0
        assert status in expected, (name, status)
        status, body = raw_request(server, b"GET /api/stories HTTP/1.1\r\n" + host + b"Connection: close\r\n\r\n")
        assert status == 200 and json.loads(body), f"the server stopped answering after {name}"
