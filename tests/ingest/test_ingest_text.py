"""Plain-text files: the seeds as they are, one article per file, big files handled."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from pathlib import Path

from recoupe.article import Article
from recoupe.errors import InputError


def test_seeds_are_read_byte_for_byte(ingest, seed_paths):
    items = ingest(*seed_paths)
    assert all(isinstance(i, Article) for i in items)
    assert [a.id for a in items] == [p.stem for p in seed_paths]
    assert items[0].id == "000_943b3c53a3353b17"
    for article, path in zip(items, seed_paths):
        data = path.read_bytes()
        assert article.raw == data
        assert article.raw_sha256 == hashlib.sha256(data).hexdigest()
        assert article.source == str(path)
        assert article.format == "text"
        assert article.title is None  # left to the cleaning step
        # the seeds are clean UTF-8 with LF ends: the text is the file, less outer blank lines
        assert article.input_text == data.decode("utf-8").strip("\n ")
        assert datetime.fromisoformat(article.read_at).utcoffset().total_seconds() == 0


def test_seed_line_structure_is_kept(ingest, seed_paths):
    article = ingest(seed_paths[0])[0]
    lines = article.input_text.split("\n")
    assert lines == seed_paths[0].read_text(encoding="utf-8").strip("\n ").split("\n")
    assert "" in lines  # blank lines between paragraphs stay


def test_seed_folder_reads_the_seeds_in_order_and_reports_the_non_article(ingest, seed_paths):
    items = ingest(seed_paths[0].parent)
    got = [i.id for i in items if isinstance(i, Article)]
    assert got == [p.stem for p in seed_paths]
    # expected.json is JSON without article text: one error naming it; README.md is not an article format
    bad = [i for i in items if isinstance(i, InputError)]
    assert len(bad) == 1 and bad[0].source.endswith("expected.json")


def test_crlf_latin1_text_file(ingest, tmp_path):
    path = tmp_path / "dépêche.txt"
    path.write_bytes("Titre de la dépêche\r\n\r\nLe préfet a parlé à 10h.\r\n".encode("latin-1"))
    [article] = ingest(path)
    assert article.id == "dépêche"
    assert article.input_text == "Titre de la dépêche\n\nLe préfet a parlé à 10h."
    assert article.raw == path.read_bytes()


def test_a_txt_that_is_really_html_goes_to_the_html_reader(ingest, tmp_path, page_html):
    path = tmp_path / "saved-page.txt"
    path.write_text(page_html(), encoding="utf-8")
    [article] = ingest(path)
    assert article.format == "html"
    assert article.title == "Belcourt : le lavoir sera rénové"
    assert "Mentions légales" not in article.input_text


def test_a_text_starting_with_a_bracket_is_still_text(ingest, tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("<<URGENT>> Le pont est fermé.\n\n{mise à jour} Rouvert à 18h.", encoding="utf-8")
    [article] = ingest(path)
    assert article.format == "text"
    assert article.input_text.startswith("<<URGENT>>")


def test_fifty_megabyte_single_line_file(ingest, tmp_path):
    sentence = "Le pont de l’Orbelle, long de 320\u00a0mètres, a été fermé à 14\u202f000 véhicules. "
    path = tmp_path / "huge.txt"
    with open(path, "wb") as out:
        chunk = (sentence * 1000).encode("utf-8")
        while out.tell() < 50 * 1024 * 1024:
            out.write(chunk)
    size = path.stat().st_size
    [article] = ingest(path)
    assert isinstance(article, Article)
    assert len(article.raw) == size
    assert "\n" not in article.input_text
    assert article.input_text.startswith(sentence.strip())


def test_file_over_max_bytes_is_refused_without_reading(ingest, tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 5000)
    [error] = ingest(path, max_bytes=4096)
    assert isinstance(error, InputError)
    assert str(error) == f"{path}: larger than max_bytes (5000 > 4096 bytes)"


def test_rpm2_press_corpus_reads_clean(ingest):
    """200 real articles: UTF-8 with BOM and CRLF, some with stray CRs or Windows-1252 quotes as C1 controls."""
    folder = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "rpm2-dev"
    paths = sorted(folder.glob("*.txt"))
    items = ingest(folder)
    assert len(items) == len(paths) == 200
    assert [a.id for a in items] == [p.stem for p in paths]
    c1 = re.compile("[\x80-\x9f\r\ufeff]")
    for article, path in zip(items, paths):
        raw_text = path.read_bytes().decode("utf-8-sig")
        assert article.raw == path.read_bytes()
        assert not c1.search(article.input_text), article.id
        # the first line is the title, and the line structure is the file's
        assert article.input_text.split("\n")[0] == raw_text.splitlines()[0].strip().replace("\x92", "’")
        assert len(article.input_text.split("\n")) == len(re.split(r"\r\n|\r|\n", raw_text.strip()))
        # apostrophes written as C1 U+0092 read as the right single quote they are
        assert article.input_text.count("’") == raw_text.count("’") + raw_text.count("\x92")
