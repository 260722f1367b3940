"""Search and filters: accents and case ignored, every word required, a story kept when one of its articles is."""

from __future__ import annotations

from datetime import date

from recoupe.web.filters import Filters, choices, source_name

ARTICLES = {
    "a": {"id": "a", "title": "Le pont de Valmorin s'effondre", "text": "Trois voitures tombées.", "language": "fr",
          "site": "La Dépêche", "published": "2024-11-13T08:00:00", "signals": ["uncredited-derivative"]},
    "b": {"id": "b", "title": "Bridge collapse", "text": "Three cars fell.", "language": "en", "agency": "AFP",
          "published": "2024-11-15", "signals": []},
    "c": {"id": "c", "title": "Sans date", "text": "", "language": "fr", "source": "/data/feed.xml", "signals": []},
}
STORY = {"id": "s1", "title": "Effondrement à Valmorin", "members": ["a", "b"],
         "summary": [{"sentence": "Un pont s'est effondré.", "sources": ["a"]}]}


def test_words_match_without_case_or_accents_and_all_must_appear():
    assert Filters(q="DEPECHE").article_matches(ARTICLES["a"])
    assert Filters(q="pont voitures").article_matches(ARTICLES["a"])
    assert not Filters(q="pont cars").article_matches(ARTICLES["a"])
    assert Filters(q="effondre").story_matches(STORY, ARTICLES), "story title, without accents"
    assert Filters(q="three cars").story_matches(STORY, ARTICLES), "a member's text"
    assert not Filters(q="cyclisme").story_matches(STORY, ARTICLES)


def test_article_filters_keep_a_story_when_one_member_passes():
    assert Filters(language="en").story_matches(STORY, ARTICLES)
    assert not Filters(language="de").story_matches(STORY, ARTICLES)
    assert Filters(source="AFP").story_matches(STORY, ARTICLES)
    assert Filters(signal="uncredited-derivative").story_matches(STORY, ARTICLES)
    assert not Filters(signal="machine-translation").story_matches(STORY, ARTICLES)
    assert not Filters(language="en", signal="uncredited-derivative").story_matches(STORY, ARTICLES)


def test_dates_are_inclusive_and_undated_articles_fall_out_of_a_date_filter():
    assert Filters(date_from=date(2024, 11, 13), date_to=date(2024, 11, 13)).article_matches(ARTICLES["a"])
    assert not Filters(date_from=date(2024, 11, 14)).article_matches(ARTICLES["a"])
    assert Filters(date_from=date(2024, 11, 14)).article_matches(ARTICLES["b"])
    assert not Filters(date_to=date(2030, 1, 1)).article_matches(ARTICLES["c"])
    assert Filters().article_matches(ARTICLES["c"]) and not Filters().active


def test_menus_offer_what_the_store_holds():
    assert choices(ARTICLES.values()) == {
        "languages": ["en", "fr"],
        "sources": ["/data/feed.xml", "AFP", "La Dépêche"],
        "signals": ["uncredited-derivative"],
    }
    assert source_name(ARTICLES["c"]) == "/data/feed.xml"
