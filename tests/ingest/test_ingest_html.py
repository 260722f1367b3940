"""HTML pages: the article without the page around it, with what the page says about itself."""

from __future__ import annotations

from recoupe.article import Article
from recoupe.ingest.html import extract_page, html_to_text


def test_page_text_and_metadata(ingest, tmp_path, page_html):
    path = tmp_path / "belcourt.html"
    path.write_text(page_html(), encoding="utf-8")
    [article] = ingest(path)
    assert isinstance(article, Article)
    assert article.id == "belcourt"
    assert article.format == "html"
    assert article.raw == path.read_bytes()
    assert article.title == "Belcourt : le lavoir sera rénové"
    assert article.published == "2025-06-02T08:15:00+02:00"
    assert article.byline == "Claire Fontaine"
    assert article.site == "La Gazette du Val"
    assert article.url == "https://gazette-val.example/region/belcourt-lavoir"
    paragraphs = article.input_text.split("\n\n")
    assert paragraphs[-3].startswith("Le conseil municipal de Belcourt")
    assert paragraphs[-1].startswith("L'opposition a dénoncé")
    for furniture in ("Accueil", "S'abonner", "Mentions légales", "tous droits réservés"):
        assert furniture not in article.input_text


def test_no_break_spaces_survive_extraction(page_html):
    page = extract_page(page_html())
    assert "12\u00a0500 euros" in page.text  # written &nbsp; in the page
    raw_chars = page_html().replace("12&nbsp;500", "12\u202f500")
    assert "12\u202f500 euros" in extract_page(raw_chars).text


def test_a_page_that_gives_only_a_day_keeps_a_day(page_html):
    html = page_html().replace("2025-06-02T08:15:00+02:00", "2025-06-02")
    assert extract_page(html).published == "2025-06-02"


def test_windows_1252_page_with_meta_charset(ingest, tmp_path, page_html):
    html = page_html().replace('charset="utf-8"', 'charset="windows-1252"').replace("a déclaré", "a “déclaré”")
    path = tmp_path / "cp1252.htm"
    path.write_bytes(html.encode("cp1252"))
    [article] = ingest(path)
    assert "a “déclaré” la maire" in article.input_text


def test_short_page_falls_back_to_all_its_text(ingest, tmp_path):
    path = tmp_path / "brief.html"
    path.write_text("<html><body><p>Flash : le col est fermé.</p></body></html>", encoding="utf-8")
    [article] = ingest(path)
    assert article.input_text == "Flash : le col est fermé."


def test_page_without_text_is_one_error(ingest, tmp_path):
    path = tmp_path / "blank.html"
    path.write_text("<html><head><script>var a = 1;</script></head><body>  </body></html>", encoding="utf-8")
    [error] = ingest(path)
    assert str(error) == f"{path}: no article text found in the HTML page"


def test_fragment_to_text_keeps_paragraphs_lists_and_line_breaks():
    fragment = (
        "<p>Premier   paragraphe,\n coupé.</p><script>alert(1)</script>"
        "<ul><li>un</li><li>deux</li></ul><p>Ligne<br>suivante</p><table><tr><td>a</td><td>b</td></tr></table>"
        "<p>&nbsp;</p><div>Fin&nbsp;: 3&#8239;000</div>"
    )
    assert html_to_text(fragment) == (
        "Premier paragraphe, coupé.\n\nun\n\ndeux\n\nLigne\nsuivante\n\na | b\n\nFin\u00a0: 3\u202f000"
    )


def test_plain_text_fragment():
    assert html_to_text("Juste du texte &amp; rien d'autre") == "Juste du texte & rien d'autre"
