"""Hostile files: a clear error or a correct result, bounded memory, and the other inputs read as usual.

Each case puts the hostile file beside an ordinary article and reads both in
a process of its own (read_worker.py) under an address-space limit, then
checks what came out, the peak memory, and that the ordinary article was read.
Cases: XML entity bombs and external entities in feeds (and in HTML pages),
gzip bombs inflating to 1 GiB (WARC records, WARC payloads, .txt.gz, .jsonl.gz),
a 1 GiB JSONL file, 10,000 files in one folder, file names with odd
characters, symbolic-link loops and other things that are not files.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from canary import canary_server
from hardening_data import REPO, real_paragraphs

WORKER = Path(__file__).with_name("read_worker.py")
GOOD = REPO / "examples" / "valmorin-wire.txt"
GIB = 1 << 30
MEMORY_LIMIT_MB = 1500
SECRET = "SECRET-CANARY-7f3a"


def read(inputs: list, memory_mb: int = MEMORY_LIMIT_MB, open_files: int | None = None, **ingest) -> dict:
    request = {"inputs": [str(i) for i in inputs], "ingest": ingest, "memory_mb": memory_mb, "open_files": open_files,
               "keep_text": True}
    done = subprocess.run([sys.executable, str(WORKER), json.dumps(request)], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    result["growth_mb"] = result["peak_mb"] - result["baseline_mb"]
    return result


def ids(result: dict) -> list[str]:
    return [a[0] for a in result["articles"]]


def one_line_errors(result: dict) -> None:
    for error in result["errors"]:
        assert "\n" not in error and error.isprintable(), error
        assert "cannot read as" not in error, error  # named, not caught by the last-resort handler


@pytest.fixture
def folder(tmp_path) -> Path:
    """A folder holding one ordinary article, to which a case adds its hostile file."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(GOOD, folder / "good.txt")
    return folder


@pytest.fixture(scope="module")
def canary():
    """A loopback server that records every request: nothing read may fetch from it."""
    with canary_server(f'<!ENTITY leak "{SECRET}">'.encode()) as served:
        yield served


# -- XML entities ---------------------------------------------------------------------------------------


def _laughs(levels: int = 30) -> str:
    nested = "".join(f'<!ENTITY l{i} "' + f"&l{i - 1};" * 10 + '">' for i in range(1, levels))
    return f'<!ENTITY l0 "lol">{nested}'


def _feed(doctype: str, body: str) -> str:
    return (f'<?xml version="1.0" encoding="utf-8"?>\n{doctype}\n<rss version="2.0"><channel><title>Flux</title>'
            f"<item><title>Titre</title><guid>g1</guid><description>{body}</description></item></channel></rss>")


def test_entity_bombs_and_external_entities_in_feeds(folder, tmp_path, canary):
    url, hits = canary
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    refused = {
        "laughs.xml": _feed(f"<!DOCTYPE rss [{_laughs()}]>", "&l29;"),
        "quadratic.xml": _feed(f'<!DOCTYPE rss [<!ENTITY a "{"x" * 100_000}">]>', "&a;" * 20_000),
        "xxe-file.xml": _feed(f'<!DOCTYPE rss [<!ENTITY x SYSTEM "{secret.as_uri()}">]>', "&x;"),
        "xxe-url.xml": _feed(f'<!DOCTYPE rss [<!ENTITY x SYSTEM "{url}/x">]>', "&x;"),
        "public.xml": _feed(f'<!DOCTYPE rss [<!ENTITY x PUBLIC "-//X//EN" "{url}/p">]>', "&x;"),
        "parameter.xml": _feed(f'<!DOCTYPE rss [<!ENTITY % p SYSTEM "{url}/dtd"> %p;]>', "&leak;"),
    }
    for name, text in refused.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "laughs-utf16.xml").write_bytes(refused["laughs.xml"].replace("utf-8", "utf-16").encode("utf-16"))
    read_anyway = {  # no entity declared: read, with nothing fetched and nothing expanded
        "external-dtd.xml": _feed(f'<!DOCTYPE rss SYSTEM "{url}/rss.dtd">', "Un texte &amp; rien de plus."),
        "xinclude.xml": _feed("", f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{secret.as_uri()}" '
                                  f'parse="text"/>Un texte.'),
        "laughs-page.html": f"<!DOCTYPE html [{_laughs()}]><html><body><article><p>&l29; Un paragraphe.</p>"
                            "</article></body></html>",
    }
    for name, text in read_anyway.items():
        (folder / name).write_text(text, encoding="utf-8")

    result = read([folder])
    one_line_errors(result)
    assert "good" in ids(result)
    for name in [*refused, "laughs-utf16.xml"]:
        [error] = [e for e in result["errors"] if e.startswith(str(folder / name) + ":")]
        assert "unsafe XML entities" in error and "refused" in error, error
    failed = {e.split(":")[0] for e in result["errors"]}
    assert str(folder / "external-dtd.xml") not in failed and str(folder / "xinclude.xml") not in failed
    assert not hits, f"reading fetched {hits}"
    assert all(SECRET not in a[3] and "lollollol" not in a[3] for a in result["articles"])
    assert result["growth_mb"] < 200, result["growth_mb"]


# -- gzip bombs ------------------------------------------------------------------------------------------


def _deflate(chunks, level: int = 9) -> bytes:
    """One gzip member of the concatenated chunks, built without holding them in memory."""
    packer = zlib.compressobj(level, zlib.DEFLATED, 31)
    out = io.BytesIO()
    for chunk in chunks:
        out.write(packer.compress(chunk))
    out.write(packer.flush())
    return out.getvalue()


def _zeros(total: int, block: bytes = b"a" * (1 << 20)):
    for _ in range(total // len(block)):
        yield block


def _warc_record(payload_head: bytes, payload_size: int, http_headers: str, gzip_member: bool,
                 uri: str = "https://bomb.example/") -> bytes:
    """A WARC response record whose payload is `payload_head` then 'a's up to `payload_size` bytes."""
    http = f"HTTP/1.1 200 OK\r\n{http_headers}\r\n".encode()
    block_length = len(http) + payload_size
    header = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-11-13T21:28:00Z\r\n"
              f"WARC-Record-ID: <urn:uuid:{abs(hash(uri)):032x}>\r\nContent-Type: application/http; msgtype=response\r\n"
              f"Content-Length: {block_length}\r\n\r\n").encode()
    parts = [header, http, payload_head, *_zeros(payload_size - len(payload_head)), b"\r\n\r\n"]
    rest = (payload_size - len(payload_head)) % (1 << 20)
    parts.insert(-1, b"a" * rest)
    return _deflate(parts) if gzip_member else b"".join(parts)


def _good_record(gzip_member: bool) -> bytes:
    page = f"<html><body><article><p>{real_paragraphs()[5]}</p><p>{real_paragraphs()[6]}</p></article></body></html>"
    body = page.encode()
    return _warc_record(body, len(body), "Content-Type: text/html; charset=utf-8\r\n", gzip_member,
                        uri="https://good.example/")


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    html = b"<html><body><p>"
    paths = {}
    # the WARC record itself (a gzip member) inflates to 1 GiB, then an ordinary record follows
    paths["record"] = folder / "record.warc.gz"
    paths["record"].write_bytes(_warc_record(html, GIB, "Content-Type: text/html\r\n", True) + _good_record(True))
    # an uncompressed WARC whose payload is gzip Content-Encoding inflating to 1 GiB
    inner = _deflate([html, *_zeros(GIB)])
    encoded = (f"Content-Type: text/html\r\nContent-Encoding: gzip\r\nContent-Length: {len(inner)}\r\n")
    http = f"HTTP/1.1 200 OK\r\n{encoded}\r\n".encode()
    header = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://encoded.example/\r\n"
              f"WARC-Date: 2024-11-13T21:28:00Z\r\nWARC-Record-ID: <urn:uuid:{1:032x}>\r\n"
              f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http) + len(inner)}\r\n\r\n")
    paths["payload"] = folder / "payload.warc"
    paths["payload"].write_bytes(header.encode() + http + inner + b"\r\n\r\n" + _good_record(False))
    paths["text"] = folder / "bomb.txt.gz"
    paths["text"].write_bytes(_deflate(_zeros(GIB)))
    paths["jsonl"] = folder / "bomb.jsonl.gz"
    line = json.dumps({"id": "after", "text": real_paragraphs()[7]}).encode()
    paths["jsonl"].write_bytes(_deflate([b'{"id": "bomb", "text": "', *_zeros(GIB), b'"}\n', line, b"\n"]))
    for path in paths.values():
        assert path.stat().st_size < 8 << 20, (path, path.stat().st_size)  # small on disk, 1 GiB inflated
    return paths


def test_gzip_bombs_are_bounded_and_what_follows_them_is_read(folder, bombs):
    for path in bombs.values():
        shutil.copyfile(path, folder / path.name)
    result = read([folder], max_bytes=8 << 20)
    one_line_errors(result)
    errors = {e.split(":")[0].split(" (at")[0]: e for e in result["errors"]}
    assert "larger than max_bytes" in errors[str(folder / "record.warc.gz")]
    assert "larger than max_bytes" in errors[str(folder / "payload.warc")]
    assert "larger than max_bytes" in errors[str(folder / "bomb.txt.gz")]
    assert "line 1: longer than max_bytes" in errors[str(folder / "bomb.jsonl.gz")]
    found = ids(result)
    assert "good" in found and "after" in found, "what follows a bomb, in its file and in others, is read"
    assert sum(1 for i in found if i.startswith(("record-", "payload-"))) == 2, "the ordinary WARC records"
    assert result["growth_mb"] < 8 * 6 + 100, result["growth_mb"]  # a few times max_bytes, never the 1 GiB


# -- one JSONL file of 1 GiB ---------------------------------------------------------------------------------


@pytest.fixture
def huge_jsonl(tmp_path):
    path = tmp_path / "huge.jsonl"
    pad = "x" * (1 << 20)
    paragraphs = real_paragraphs()
    with open(path, "w", encoding="utf-8") as out:
        number = 0
        while out.tell() < GIB:
            number += 1
            if number == 500:
                out.write('{"id": "broken", "text": \n')  # one broken line in the middle
                out.write('{"id": "long", "text": "' + "y" * (40 << 20) + '"}\n')  # one line past max_bytes
            out.write(json.dumps({"id": f"n{number}", "title": f"Article {number}",
                                  "text": paragraphs[number % len(paragraphs)], "pad": pad}) + "\n")
    yield path, number
    path.unlink()  # a 1 GiB file does not wait for pytest's clean-up of old temporary folders


def test_a_1_gib_jsonl_file_is_streamed_in_flat_memory(huge_jsonl):
    path, lines = huge_jsonl
    assert path.stat().st_size >= GIB
    result = read([path], max_bytes=4 << 20)
    one_line_errors(result)
    assert ids(result) == [f"n{i}" for i in range(1, lines + 1)], "every record, in order, none twice"
    assert [e.split(": ", 1)[1] for e in result["errors"]] == [
        "line 500: broken JSON (Expecting value: line 1 column 26 (char 25))",
        "line 501: longer than max_bytes (4194304 bytes)",
    ]
    assert result["growth_mb"] < 100, f"memory grew by {result['growth_mb']:.0f} MB reading a 1 GiB file"


# -- 10,000 files in one folder ------------------------------------------------------------------------------


def test_ten_thousand_files_in_one_folder(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    paragraphs = real_paragraphs()
    for number in range(10_000):
        (folder / f"{number:05d}.txt").write_text(f"Dépêche {number}\n\n{paragraphs[number % len(paragraphs)]}\n",
                                                  encoding="utf-8")
    result = read([folder], open_files=48)  # a file left open would exhaust 48 descriptors long before the end
    assert result["errors"] == []
    assert ids(result) == [f"{n:05d}" for n in range(10_000)], "each file once, in name order"
    assert all(a[3].startswith(f"Dépêche {int(a[0])}") for a in result["articles"])
    assert result["growth_mb"] < 150, result["growth_mb"]


# -- odd file names ---------------------------------------------------------------------------------------------

ODD_NAMES = [
    "a b.txt", "new\nline.txt", "tab\there.txt", "carriage\rreturn.txt", "quote\"and'apos.txt", "back\\slash.txt",
    "<script>alert(1)<\\script>.txt", "-leading-dash.txt", " leading space.txt", "trailing space .txt", "émoji 🗞️.txt",
    "right\u202eleft.txt", "e\u0301-decomposed.txt", "é-composed.txt", "double..dot.txt", "UPPER.TXT", "x" * 250 + ".txt",
    "%2e%2e%2fetc.txt", "semi;colon&amp.txt", "nul\x01ctrl.txt",
]


def test_file_names_with_odd_characters_become_ids_and_pages(tmp_path):
    """`recoupe run` on files with such names: every one read, its id its name, a page written for each,
    errors on one line, and the report is valid JSON."""
    folder = tmp_path / "odd"
    folder.mkdir()
    paragraphs = real_paragraphs()
    for number, name in enumerate(ODD_NAMES):
        (folder / name).write_text(f"Titre {number}\n\n{paragraphs[40 + number]}\n", encoding="utf-8")
    latin = os.fsencode(folder) + b"/caf\xe9-latin1.txt"  # a name that is not UTF-8
    with open(latin, "wb") as out:
        out.write(f"Titre latin\n\n{paragraphs[90]}\n".encode())
    broken = folder / "broken\nlink.txt"
    broken.symlink_to(folder / "nowhere.txt")
    config = tmp_path / "fast.toml"
    config.write_text('[analyse]\nspacy_model = "fr_core_news_sm"\n[ingest]\nfollow_symlinks = true\n', encoding="utf-8")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "recoupe", "run", str(folder), "--out", str(out), "--db",
                           str(tmp_path / "odd.db"), "--config", str(config), "--quiet"],
                          capture_output=True, timeout=600, stdin=subprocess.DEVNULL)
    stderr = done.stderr.decode("utf-8", "backslashreplace")
    assert done.returncode == 1, stderr  # the broken link is a failure, reported
    [line] = stderr.splitlines()
    assert "broken\\nlink.txt" in line and "broken symbolic link" in line
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    found = {a["id"] for a in report["articles"]}
    expected = {name[: -len(".txt")] if name.endswith(".txt") else name[: -len(".TXT")] for name in ODD_NAMES}
    expected.add("caf\\xe9-latin1")
    assert found == expected
    assert all(a["text"] for a in report["articles"])
    pages = list((out / "articles").glob("*.html"))
    assert len(pages) == len(expected)
    assert all(p.resolve().parent == (out / "articles").resolve() for p in pages), "no page written outside its folder"


# -- symbolic-link loops and things that are not files ---------------------------------------------------------


def test_symlink_loops_and_special_files(folder):
    (folder / "loop").symlink_to(folder)  # a folder that contains itself
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to(folder)
    (folder / "sub" / "inner.txt").write_text(f"Titre\n\n{real_paragraphs()[11]}\n", encoding="utf-8")
    (folder / "self.txt").symlink_to(folder / "self.txt")  # resolves to itself
    (folder / "ping.txt").symlink_to(folder / "pong.txt")
    (folder / "pong.txt").symlink_to(folder / "ping.txt")
    os.mkfifo(folder / "pipe.txt")  # reading it would wait forever

    followed = read([folder], follow_symlinks=True)
    one_line_errors(followed)
    assert ids(followed) == ["good", "inner"], "each real file once, however many links lead to it"
    looped = sorted(e.split(":")[0] for e in followed["errors"])
    assert looped == sorted(str(folder / n) for n in ("ping.txt", "pong.txt", "self.txt")), followed["errors"]
    assert all("symbolic link" in e for e in followed["errors"])

    skipped = read([folder])
    assert ids(skipped) == ["good", "inner"] and skipped["errors"] == []

    direct = read([folder / "self.txt", folder / "pipe.txt", "/dev/zero", folder / "loop" / "loop" / "good.txt"])
    one_line_errors(direct)
    assert ids(direct) == ["good"]
    assert [e.split(": ", 1)[1] for e in direct["errors"]] == [
        "too many levels of symbolic links", "not a regular file or folder", "not a regular file or folder",
    ]
