"""RSS and Atom: one article per entry, full content preferred, hostile XML refused."""

from __future__ import annotations

from pathlib import Path

from recoupe.article import Article
from recoupe.errors import InputError

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>Radio Belcourt</title><link>https://radio-belcourt.example/</link><language>fr-FR</language>
<description>Infos</description>
<item>
<title>Le lavoir sera rénové</title>
<link>https://radio-belcourt.example/lavoir</link>
<guid>https://radio-belcourt.example/lavoir</guid>
<pubDate>Mon, 02 Jun 2025 07:30:00 +0200</pubDate>
<author>redaction@radio-belcourt.example (Sophie Aubertin)</author>
<description>Résumé court.</description>
<content:encoded><![CDATA[<p>Le conseil a voté 12&nbsp;500 euros.</p><p>« C'est notre histoire », dit la maire.</p>]]></content:encoded>
</item>
<item>
<title>Fête du village &amp; brocante</title>
<link>https://radio-belcourt.example/fete</link>
<description>&lt;p&gt;La fête aura lieu &lt;b&gt;samedi&lt;/b&gt;.&lt;/p&gt;</description>
</item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Le Journal du Val</title>
<id>urn:val</id><updated>2025-06-02T10:00:00Z</updated>
<entry>
<title>Le col est rouvert</title>
<id>urn:val:col</id>
<link href="https://val.example/col"/>
<published>2025-06-02T09:00:00+02:00</published><updated>2025-06-02T11:00:00+02:00</updated>
<author><name>Marie Curie</name><email>marie@val.example</email></author>
<summary>Le col rouvre.</summary>
<content type="html">&lt;p&gt;Le col de la Bergerie est rouvert.&lt;/p&gt;&lt;p&gt;Les chasse-neige sont passés.&lt;/p&gt;</content>
</entry>
<entry>
<title>Brève</title>
<id>urn:val:breve</id>
<link href="https://val.example/breve"/>
<updated>2025-06-02T12:00:00Z</updated>
<summary type="text">Seulement un résumé.</summary>
</entry>
</feed>
"""


def test_rss_with_and_without_full_content(ingest, tmp_path):
    path = tmp_path / "belcourt.xml"
    path.write_text(RSS, encoding="utf-8")
    full, summary_only = ingest(path)
    assert isinstance(full, Article) and isinstance(summary_only, Article)
    assert full.format == "feed" and full.source == str(path)
    assert full.input_text == "Le conseil a voté 12\u00a0500 euros.\n\n« C'est notre histoire », dit la maire."
    assert full.meta["body"] == "content"
    assert (full.title, full.url, full.byline) == ("Le lavoir sera rénové", "https://radio-belcourt.example/lavoir",
                                                   "Sophie Aubertin")
    assert full.published == "2025-06-02T07:30:00+02:00"
    assert full.site == "Radio Belcourt" and full.language == "fr"
    assert full.raw.startswith(b"<item>") and full.raw.endswith(b"</item>")
    assert b"Le lavoir sera" in full.raw and b"brocante" not in full.raw
    assert RSS.encode()[full.meta["offset"]:].startswith(full.raw)
    assert summary_only.input_text == "La fête aura lieu samedi."
    assert summary_only.title == "Fête du village & brocante"
    assert summary_only.meta["body"] == "summary" and summary_only.published is None
    assert full.id != summary_only.id and full.id.startswith("belcourt-")
    assert [a.id for a in ingest(path)] == [full.id, summary_only.id]


def test_atom_with_and_without_content(ingest, tmp_path):
    path = tmp_path / "val.atom"
    path.write_text(ATOM, encoding="utf-8")
    col, breve = ingest(path)
    assert col.input_text == "Le col de la Bergerie est rouvert.\n\nLes chasse-neige sont passés."
    assert (col.byline, col.url, col.site) == ("Marie Curie", "https://val.example/col", "Le Journal du Val")
    assert col.published == "2025-06-02T09:00:00+02:00" and col.updated == "2025-06-02T11:00:00+02:00"
    assert col.raw.startswith(b"<entry>") and b"urn:val:col" in col.raw
    assert breve.input_text == "Seulement un résumé." and breve.updated == "2025-06-02T12:00:00+00:00"
    assert breve.published is None  # an update time is not a publication time


def test_example_feed_of_the_project(ingest):
    [article] = ingest(Path(__file__).resolve().parents[2] / "examples" / "feed.xml")
    assert article.byline == "Sophie Aubertin"
    assert len(article.input_text.split("\n\n")) == 4


def test_malformed_feed_is_one_error(ingest, tmp_path):
    path = tmp_path / "broken.rss"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>a</ti', "utf-8")
    [error] = ingest(path)
    assert isinstance(error, InputError)
    assert str(error).startswith(f"{path}: malformed feed:")


def test_entity_bomb_is_refused_before_parsing(ingest, tmp_path):
    levels = "".join(f'<!ENTITY l{i} "&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};">' for i in range(1, 30))
    bomb = (f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY l0 "ha">{levels}]>\n'
            '<rss version="2.0"><channel><title>&l29;</title><item><title>x</title>'
            "<description>&l29;</description></item></channel></rss>")
    path = tmp_path / "bomb.xml"
    path.write_text(bomb, encoding="utf-8")
    [error] = ingest(path)
    assert str(error) == f"{path}: feed declares unsafe XML entities (nested, external or parameter): refused"


def test_external_entity_is_refused(ingest, tmp_path):
    path = tmp_path / "xxe.xml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                    "<rss><channel><item><description>&x;</description></item></channel></rss>", "utf-8")
    [error] = ingest(path)
    assert "refused" in str(error)


def test_parameter_entity_is_refused(ingest, tmp_path):
    path = tmp_path / "param.xml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % p "<!ENTITY x \'y\'>"> %p;]>'
                    "<rss><channel><item><description>&x;</description></item></channel></rss>", "utf-8")
    [error] = ingest(path)
    assert "refused" in str(error)


def test_character_entities_of_old_feeds_are_read(ingest, tmp_path):
    path = tmp_path / "old.rss"
    old = RSS.replace('<?xml version="1.0" encoding="utf-8"?>',
                      '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE rss [<!ENTITY nbsp "&#160;"> <!ENTITY eacute \'&#xE9;\'>]>')
    path.write_text(old.replace("Le lavoir sera rénové", "Le lavoir sera r&eacute;nov&eacute;"), "utf-8")
    first, _ = ingest(path)
    assert first.title == "Le lavoir sera rénové"


def test_entity_text_inside_an_article_is_not_a_declaration(ingest, tmp_path):
    path = tmp_path / "tech.xml"
    path.write_text(RSS.replace("Le conseil a voté", "Écrire &lt;!ENTITY&gt; dans un DTD : le conseil a voté"), "utf-8")
    items = ingest(path)
    assert len(items) == 2 and "<!ENTITY>" in items[0].input_text


def test_xml_that_is_not_a_feed(ingest, tmp_path):
    path = tmp_path / "config.xml"
    path.write_text('<?xml version="1.0"?><settings><a>1</a></settings>', "utf-8")
    [error] = ingest(path)
    assert isinstance(error, InputError) and str(error).startswith(f"{path}: ")


def test_rss_1_0_dc_date_is_the_publication_date(ingest, tmp_path):
    path = tmp_path / "rdf.rdf"
    path.write_text(
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<channel rdf:about="http://ex.example/"><title>RDF</title><link>http://ex.example/</link>'
        "<description>d</description></channel>"
        '<item rdf:about="http://ex.example/1"><title>Un</title><link>http://ex.example/1</link>'
        "<description>Texte un.</description><dc:date>2025-06-02T10:00:00+02:00</dc:date>"
        "<dc:creator>Paul Martin</dc:creator></item></rdf:RDF>", "utf-8")
    [article] = ingest(path)
    assert (article.published, article.byline, article.input_text) == ("2025-06-02T10:00:00+02:00", "Paul Martin", "Texte un.")
    assert article.raw.startswith(b'<item rdf:about="http://ex.example/1">')


def test_utf16_and_latin1_feeds(ingest, tmp_path):
    wide = tmp_path / "wide.xml"
    wide.write_bytes(RSS.replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16"))
    latin = tmp_path / "latin.xml"
    latin.write_bytes(RSS.replace('encoding="utf-8"', 'encoding="iso-8859-1"').replace("« ", '"').replace(" »", '"')
                      .encode("latin-1"))
    for path in (wide, latin):
        first, second = ingest(path)
        assert first.title == "Le lavoir sera rénové" and second.title == "Fête du village & brocante"
        # each entry's raw is its own element, in the file's own encoding
        data = path.read_bytes()
        for article in (first, second):
            assert data[article.meta["offset"]:].startswith(article.raw)
        assert first.raw != second.raw and first.raw.decode("utf-16-le" if path is wide else "latin-1").startswith("<item>")


def test_entry_bytes_found_in_one_pass_or_not_at_all():
    from recoupe.ingest.feed import _entry_spans

    assert _entry_spans(b'<entry/><entry a="1">y</entry>', 2) == [(0, b"<entry/>"), (8, b'<entry a="1">y</entry>')]
    cdata = b"<item><description><![CDATA[<p>un <item> dans le texte</p>]]></description></item><!-- <item> -->"
    assert _entry_spans(cdata, 1) == [(0, cdata[: cdata.index(b"<!--")])]
    assert _entry_spans(b"<items><item>a</item></items>", 1) == [(7, b"<item>a</item>")]
    assert _entry_spans(b"<item>" * 100_000, 1) is None  # never closed
    assert _entry_spans(b"<item " * 100_000, 1) is None  # tags that never end
    # tags that do not pair: each entry runs from its opening tag to the next one
    assert _entry_spans(b"<item>a<item>b</item></item>", 2) == [(0, b"<item>a"), (7, b"<item>b</item></item>")]
    assert _entry_spans(b"<item>a<item>b</item></item>", 3) is None


def test_entries_of_a_feed_with_unclosed_items_are_all_kept(ingest, tmp_path):
    """feedparser forgives an <item> never closed; each entry still gets bytes of its own, so none
    is taken for a copy of another and dropped."""
    feed = tmp_path / "unclosed.xml"
    feed.write_bytes(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>Un</title><description>Le premier article du fil.</description>"
        b"<item><title>Deux</title><description>Le second article du fil.</description></item>"
        b"</channel></rss>")
    articles = [a for a in ingest(feed) if isinstance(a, Article)]
    assert [a.title for a in articles] == ["Un", "Deux"]
    assert len({a.raw for a in articles}) == 2
    assert all(a.raw in feed.read_bytes() for a in articles)
    assert b"Deux" not in articles[0].raw and b"Deux" in articles[1].raw
