"""Fixtures for the ingest tests: a one-call reader and builders for the files the tests need."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Callable

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from recoupe.article import Article
from recoupe.errors import InputError
from recoupe.ingest import IngestOptions, read_inputs


@pytest.fixture
def ingest() -> Callable[..., list]:
    """read_inputs as a list; keyword arguments are IngestOptions fields, `stdin` a binary stream."""

    def run(*inputs: str | Path, stdin=None, **options) -> list[Article | InputError]:
        return list(read_inputs([str(i) for i in inputs], IngestOptions(**options), stdin=stdin))

    return run


def articles(items: list) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


def errors(items: list) -> list[InputError]:
    return [i for i in items if isinstance(i, InputError)]


@pytest.fixture
def split() -> Callable[[list], tuple[list[Article], list[InputError]]]:
    return lambda items: (articles(items), errors(items))


PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<title>{title} | La Gazette du Val</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="La Gazette du Val">
<meta name="author" content="Claire Fontaine">
<meta property="article:published_time" content="2025-06-02T08:15:00+02:00">
<link rel="canonical" href="https://gazette-val.example/region/{slug}">
</head><body>
<header><nav><a href="/">Accueil</a> <a href="/region">Région</a> <a href="/sport">Sport</a> <a href="/abo">S'abonner</a></nav></header>
<main><article>
<h1>{title}</h1>
<p>Le conseil municipal de Belcourt a voté lundi soir un budget de 12&nbsp;500 euros pour la rénovation du lavoir, après deux heures de débat animé entre la majorité et l'opposition.</p>
<p>« Ce lavoir fait partie de notre histoire », a déclaré la maire, Odile Sarrasin, devant une salle comble. Les travaux doivent commencer à l'automne et durer trois mois.</p>
<p>L'opposition a dénoncé un coût trop élevé et demandé un devis comparatif, que la majorité a refusé.</p>
</article></main>
<footer><p>Mentions légales – Contact – Plan du site</p><p>© 2025 La Gazette du Val, tous droits réservés</p></footer>
</body></html>
"""


@pytest.fixture
def page_html() -> Callable[..., str]:
    def build(title: str = "Belcourt : le lavoir sera rénové", slug: str = "belcourt-lavoir") -> str:
        return PAGE.format(title=title, slug=slug)

    return build


@pytest.fixture
def build_warc() -> Callable[..., bytes]:
    """WARC bytes from (uri, content type, body, status) records, written by warcio itself."""

    def build(records: list[tuple[str, str, bytes, str]], gzip: bool) -> bytes:
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=gzip)
        for uri, content_type, body, status in records:
            http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http,
                                               warc_headers_dict={"WARC-Date": "2025-06-02T10:00:00Z"})
            writer.write_record(record)
        return buffer.getvalue()

    return build
