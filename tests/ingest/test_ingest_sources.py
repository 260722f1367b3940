"""Where inputs come from: folders, stdin, URLs; each bad input is one error and the rest goes on."""

from __future__ import annotations

import gzip
import http.server
import io
import json
import os
import threading
import time
from pathlib import Path

import pytest

from recoupe.article import Article
from recoupe.config import Options
from recoupe.errors import ConfigError, InputError
from recoupe.ingest import IngestOptions, read_inputs
from recoupe.ingest import sources as sources_module

FEED = (Path(__file__).resolve().parents[2] / "examples" / "feed.xml").read_bytes()


def _corpus(root: Path) -> None:
    (root / "b").mkdir()
    (root / "a").mkdir()
    (root / "a" / "z.txt").write_text("Zèbre.", encoding="utf-8")
    (root / "a" / "m.txt").write_text("Mouette.", encoding="utf-8")
    (root / "b" / "n.jsonl").write_text('{"id": "n1", "text": "Nuage."}\n', encoding="utf-8")
    (root / "c.txt").write_text("Chat.", encoding="utf-8")
    (root / ".hidden.txt").write_text("Caché.", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "x.txt").write_text("Caché aussi.", encoding="utf-8")
    (root / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (root / "notes.md").write_text("Pas un article.", encoding="utf-8")


def test_folder_is_walked_recursively_in_sorted_order(ingest, tmp_path):
    _corpus(tmp_path)
    items = ingest(tmp_path)
    assert [(a.id, a.input_text) for a in items] == [
        ("m", "Mouette."), ("z", "Zèbre."), ("n1", "Nuage."), ("c", "Chat."),
    ]
    assert items[0].source == os.path.join(str(tmp_path), "a", "m.txt")


def test_folder_without_articles_is_one_error(ingest, tmp_path):
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    [error] = ingest(tmp_path)
    assert str(error).startswith(f"{tmp_path}: folder holds no file of a known format (.atom .htm .html")


def test_symlinks_skipped_by_default_and_loops_safe_when_followed(ingest, tmp_path):
    _corpus(tmp_path)
    (tmp_path / "a" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "lien.txt").symlink_to(tmp_path / "c.txt")
    (tmp_path / "cassé.txt").symlink_to(tmp_path / "absent.txt")
    assert [a.id for a in ingest(tmp_path)] == ["m", "z", "n1", "c"]
    followed = ingest(tmp_path, follow_symlinks=True)
    ids = [i.id for i in followed if isinstance(i, Article)]
    assert ids[:2] == ["m", "z"] and "lien" in ids and ids.count("m") == 1  # the loop is not walked again
    [broken] = [i for i in followed if isinstance(i, InputError)]
    assert str(broken) == f"{tmp_path / 'cassé.txt'}: broken symbolic link"


def test_the_spark_listing_names_the_files_read_in_process_in_the_same_order(ingest, tmp_path):
    """Both engines walk folders alike: a folder linked twice is read once, a loop not walked again."""
    from recoupe.spark.listing import list_inputs

    _corpus(tmp_path)
    (tmp_path / "a" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "a2").symlink_to(tmp_path / "a", target_is_directory=True)
    (tmp_path / "lien.txt").symlink_to(tmp_path / "c.txt")
    (tmp_path / "cassé.txt").symlink_to(tmp_path / "absent.txt")
    read = ingest(tmp_path, follow_symlinks=True)
    listing = list_inputs([str(tmp_path)], IngestOptions(follow_symlinks=True))
    sources = list(dict.fromkeys(a.source for a in read if isinstance(a, Article)))
    assert [e.name for e in listing.entries] == sources
    assert sum("/a/m.txt" in name for name in sources) == 1 and not any("/a2/" in name for name in sources)
    assert [str(e) for _, e in listing.errors] == [str(e) for e in read if isinstance(e, InputError)]


def test_same_stem_in_two_folders_gets_a_stable_distinct_id(ingest, tmp_path):
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "dépêche.txt").write_text(f"Texte de {folder}.", encoding="utf-8")
    first, second = ingest(tmp_path)
    assert first.id == "dépêche" and second.id.startswith("dépêche-") and second.id != first.id
    assert [a.id for a in ingest(tmp_path)] == [first.id, second.id]


def test_stdin_is_read_and_sniffed(ingest, page_html):
    [text] = ingest("-", stdin=io.BytesIO("Une brève lue sur l'entrée standard.\n".encode()))
    assert (text.id, text.source, text.format) == ("stdin", "<stdin>", "text")
    assert text.input_text == "Une brève lue sur l'entrée standard."
    rows = ingest("-", stdin=io.BytesIO(b'{"id": "s1", "text": "Un."}\n{"id": "s2", "text": "Deux."}\n'))
    assert [a.id for a in rows] == ["s1", "s2"]
    [page] = ingest("-", stdin=io.BytesIO(page_html().encode()))
    assert page.format == "html"
    [empty] = ingest("-", stdin=io.BytesIO(b""))
    assert str(empty) == "<stdin>: empty input"


def test_gzipped_text_file(ingest, tmp_path):
    path = tmp_path / "brève.txt.gz"
    path.write_bytes(gzip.compress("Le pont rouvre lundi.".encode()))
    [article] = ingest(path)
    assert (article.id, article.input_text, article.raw) == ("brève", "Le pont rouvre lundi.", "Le pont rouvre lundi.".encode())


def test_gzip_bomb_text_is_refused_within_max_bytes(ingest, tmp_path):
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"a" * 30_000_000, compresslevel=9))
    [error] = ingest(path, max_bytes=1_000_000)
    assert str(error) == f"{path}: larger than max_bytes (1000000 bytes)"


def test_each_bad_input_is_one_error_and_the_good_ones_are_read(ingest, tmp_path, seed_paths):
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    empty = tmp_path / "vide.txt"
    empty.write_bytes(b"")
    truncated = tmp_path / "coupé.txt.gz"
    compressed = gzip.compress(" ".join(f"phrase {n} du texte" for n in range(3000)).encode())
    truncated.write_bytes(compressed[: len(compressed) // 2])
    broken_json = tmp_path / "cassé.json"
    broken_json.write_text('{"text": "sans fin', encoding="utf-8")
    missing = tmp_path / "absent.txt"
    inputs = [seed_paths[0], binary, empty, truncated, broken_json, missing, seed_paths[3]]
    items = ingest(*inputs)
    assert [type(i).__name__ for i in items] == ["Article"] + ["InputError"] * 5 + ["Article"]
    assert [e.source for e in items[1:6]] == [str(p) for p in inputs[1:6]]
    assert [str(e).split(": ", 1)[1] for e in items[1:6]][:3] == ["binary file, not text", "empty input",
                                                                   "truncated or corrupt gzip data: Compressed file ended before the end-of-stream marker was reached"]
    assert str(items[4]).startswith(f"{broken_json}: broken JSON (")
    assert str(items[5]) == f"{missing}: no such file or directory"
    assert all("\n" not in str(e) for e in items[1:6])


def test_unreadable_file_is_one_error(ingest, tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text("Texte.", encoding="utf-8")
    real_open = open

    def refuse(name, *args, **kwargs):
        if str(name) == str(path):
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(sources_module, "open", refuse, raising=False)
    [error] = ingest(path)
    assert str(error) == f"{path}: cannot read: permission denied"


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes]] = {}

    def do_GET(self):  # noqa: N802 (the stdlib's name)
        if self.path == "/slow":
            time.sleep(3)
        status, content_type, body = self.routes.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_feed_url_is_fetched_and_read(ingest, server, seed_paths):
    _Handler.routes = {
        "/rss": (200, "application/rss+xml; charset=utf-8", FEED),
        "/big": (200, "application/rss+xml", FEED * 50),
        "/gone": (410, "text/plain", b"gone"),
    }
    items = ingest(f"{server}/rss", f"{server}/gone", f"{server}/big", seed_paths[2], max_bytes=len(FEED) * 10)
    article = items[0]
    assert isinstance(article, Article) and article.format == "feed"
    assert article.source == f"{server}/rss"
    assert article.id.startswith("127-0-0-1-rss-")
    assert article.byline == "Sophie Aubertin"
    assert str(items[1]) == f"{server}/gone: HTTP error 410 Gone"
    assert str(items[2]).startswith(f"{server}/big: larger than max_bytes")
    assert items[3].id == seed_paths[2].stem


def test_slow_url_times_out(ingest, server):
    _Handler.routes = {"/slow": (200, "application/rss+xml", FEED)}
    [error] = ingest(f"{server}/slow", timeout_seconds=0.5)
    assert str(error) == f"{server}/slow: timed out after 0.5 s"


def test_unreachable_url_is_one_error(ingest):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    [error] = ingest(f"http://127.0.0.1:{port}/feed", timeout_seconds=2)
    assert str(error).startswith(f"http://127.0.0.1:{port}/feed: cannot fetch:")


def test_options_come_from_the_ingest_section():
    options = Options.load(None, ingest={"max_bytes": 1234, "follow_symlinks": True}).typed("ingest", IngestOptions)
    assert (options.max_bytes, options.follow_symlinks) == (1234, True)
    with pytest.raises(ConfigError, match="max_bytes"):
        Options.load(None, ingest={"max_bytes": -1}).typed("ingest", IngestOptions)
    with pytest.raises(ConfigError, match="unknown setting"):
        Options.load(None, ingest={"max_byte": 1}).typed("ingest", IngestOptions)


def test_read_inputs_is_lazy(tmp_path):
    """Articles come one at a time, so a caller can store them as they are read."""
    path = tmp_path / "deux.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "Un."}) + "\n" + json.dumps({"id": "b", "text": "Deux."}) + "\n")
    stream = read_inputs([str(path)], IngestOptions())
    assert next(stream).id == "a"
    path.unlink()  # already open: the rest still comes
    assert next(stream).id == "b"


def test_a_single_path_is_one_input_not_its_characters(seed_paths):
    [article] = list(read_inputs(str(seed_paths[0]), IngestOptions()))
    assert article.id == seed_paths[0].stem
    [article] = list(read_inputs(seed_paths[0], IngestOptions()))
    assert article.id == seed_paths[0].stem
