"""JSON Lines and JSON: one article per record, broken records reported by number, streaming."""

from __future__ import annotations

import gzip
import json

from recoupe.article import Article
from recoupe.errors import InputError


def _rows(page_html) -> list[dict]:
    return [
        {"id": "a1", "url": "https://ex.example/a1", "title": "Texte brut", "text": "Premier.\r\n\r\nSecond\u00a0: 5\u202f000.",
         "published": "2025-06-01T09:00:00Z", "source": "Agence Exemple", "author": "Jean Dupont"},
        {"id": "h1", "html": page_html(), "published": "Mon, 02 Jun 2025 10:00:00 +0200"},
        {"url": "https://ex.example/sans-id", "text": "Pas d'identifiant, mais une URL.", "site": {"name": "Site X"},
         "authors": ["A. Un", "B. Deux"]},
        {"text": "Ni id ni URL."},
    ]


def test_jsonl_text_and_html_rows(ingest, tmp_path, page_html):
    rows = _rows(page_html)
    path = tmp_path / "corpus.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    path.write_text("\n".join(lines[:2]) + "\n\n" + "\n".join(lines[2:]) + "\n", encoding="utf-8")
    items = ingest(path)
    assert all(isinstance(i, Article) for i in items), items
    a1, h1, no_id, bare = items
    assert [a.id for a in items][:2] == ["a1", "h1"]
    assert a1.input_text == "Premier.\n\nSecond\u00a0: 5\u202f000."
    assert (a1.title, a1.url, a1.site, a1.byline) == ("Texte brut", "https://ex.example/a1", "Agence Exemple", "Jean Dupont")
    assert a1.published == "2025-06-01T09:00:00+00:00"
    assert a1.raw == lines[0].encode("utf-8")
    assert a1.meta["locator"] == "#line 1" and a1.source == str(path)
    assert a1.format == "jsonl"
    # the html row goes through page extraction: metadata from the page, date from the record
    assert h1.title == "Belcourt : le lavoir sera rénové"
    assert h1.byline == "Claire Fontaine"
    assert h1.published == "2025-06-02T10:00:00+02:00"
    assert "Mentions légales" not in h1.input_text and "lavoir" in h1.input_text
    # no id: a stable id from the URL, else from the line number (line 4 is blank)
    assert no_id.id.startswith("corpus-") and no_id.id != "corpus-4"
    assert no_id.site == "Site X" and no_id.byline == "A. Un, B. Deux"
    assert bare.id == "corpus-5" and bare.meta["line"] == 5
    assert [a.id for a in ingest(path)] == [a.id for a in items]  # same ids on every run


def test_broken_line_is_one_error_and_the_rest_is_read(ingest, tmp_path):
    path = tmp_path / "mixed.ndjson"
    path.write_text(
        '{"id": "ok1", "text": "Bon."}\n{"id": "bad", "text": "coupé\n{"id": "ok2", "text": "Bon aussi."}\n[1, 2]\n'
        '{"id": "vide", "title": "Sans corps"}\n',
        encoding="utf-8",
    )
    items = ingest(path)
    assert [type(i).__name__ for i in items] == ["Article", "InputError", "Article", "InputError", "InputError"]
    assert str(items[1]).startswith(f"{path}: line 2: broken JSON (")
    assert str(items[3]) == f"{path}: line 4: not a JSON object"
    assert str(items[4]) == f"{path}: line 5: no text or html field with content"
    assert [i.id for i in items if isinstance(i, Article)] == ["ok1", "ok2"]


def test_duplicate_ids_in_one_file_stay_unique(ingest, tmp_path):
    path = tmp_path / "dups.jsonl"
    path.write_text('{"id": "x", "text": "un"}\n{"id": "x", "text": "deux"}\n', encoding="utf-8")
    assert [a.id for a in ingest(path)] == ["x", "x-2"]


def test_line_longer_than_max_bytes_is_refused_and_reading_goes_on(ingest, tmp_path):
    path = tmp_path / "long.jsonl"
    long_row = json.dumps({"id": "long", "text": "x" * 10_000})
    path.write_text('{"id": "a", "text": "court"}\n' + long_row + '\n{"id": "b", "text": "court aussi"}\n')
    items = ingest(path, max_bytes=2000)
    assert isinstance(items[1], InputError)
    assert str(items[1]) == f"{path}: line 2: longer than max_bytes (2000 bytes)"
    assert [i.id for i in items if isinstance(i, Article)] == ["a", "b"]


def test_jsonl_larger_than_max_bytes_streams(ingest, tmp_path):
    path = tmp_path / "many.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for n in range(300):
            out.write(json.dumps({"id": f"n{n}", "text": f"Article numéro {n}. " * 5}) + "\n")
    assert path.stat().st_size > 20_000
    items = ingest(path, max_bytes=20_000)  # the file is bigger than the bound, each line is not
    assert len(items) == 300 and all(isinstance(i, Article) for i in items)


def test_latin1_line_and_gzipped_jsonl(ingest, tmp_path):
    path = tmp_path / "old.jsonl.gz"
    body = '{"id": "l1", "text": "Été à Noël"}\n'.encode("latin-1") + b'{"id": "u1", "text": "d\\u00e9j\\u00e0"}\n'
    path.write_bytes(gzip.compress(body))
    items = ingest(path)
    assert [(a.id, a.input_text) for a in items] == [("l1", "Été à Noël"), ("u1", "déjà")]


def test_json_list_and_single_object(ingest, tmp_path):
    listing = tmp_path / "liste.json"
    listing.write_text(
        '[\n {"title": "Un", "text": "Premier article."},\n {"id": 7, "text": "<p>Deux</p><p>paragraphes</p>"}\n]',
        encoding="utf-8",
    )
    first, second = ingest(listing)
    assert first.id == "liste-1" and first.raw == b'{"title": "Un", "text": "Premier article."}'
    assert second.id == "7" and second.input_text == "Deux\n\nparagraphes"
    single = tmp_path / "seul.json"
    single.write_text('{"text": "Un seul article.", "published": 1748851200}', encoding="utf-8")
    [article] = ingest(single)
    assert (article.id, article.raw, article.published) == ("seul", single.read_bytes(), "2025-06-02T08:00:00+00:00")


def test_json_list_broken_midway_keeps_what_came_before(ingest, tmp_path):
    path = tmp_path / "cassé.json"
    path.write_text('[{"text": "bon"}, {"text": "coupé', encoding="utf-8")
    items = ingest(path)
    assert isinstance(items[0], Article)
    assert len(items) == 2 and str(items[1]).startswith(f"{path}: item 2: broken JSON")


def test_json_named_file_holding_json_lines(ingest, tmp_path):
    path = tmp_path / "export.json"
    path.write_text('{"id": "e1", "text": "Un."}\n{"id": "e2", "text": "Deux."}\n', encoding="utf-8")
    assert [a.id for a in ingest(path)] == ["e1", "e2"]
