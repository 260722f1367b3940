"""The page views: labels, numbers, dates, figures in context, ids in explanations."""

from __future__ import annotations

import pytest

from recoupe.report.view import (
    ReportView, StaticLinks, WebLinks, date_span, highlight, human_date, human_value, short_labels, with_labels,
)


def test_short_labels_are_the_shortest_unique_prefixes():
    labels = short_labels(["003_396718b1c9902876", "001_4bb2eacd3f5803ba", "valmorin-wire", "valmorin-blog", "x"])
    assert labels == {"003_396718b1c9902876": "003", "001_4bb2eacd3f5803ba": "001", "valmorin-wire": "valmorin-wire",
                      "valmorin-blog": "valmorin-blog", "x": "x"}
    assert short_labels(["a_1", "a_2"]) == {"a_1": "a_1", "a_2": "a_2"}
    assert short_labels(["abc", "abc_def"]) == {"abc": "abc", "abc_def": "abc_def"}


@pytest.mark.parametrize(
    "value, unit, shown",
    [(9.2e9, "USD", "9.2 billion USD"), (50000, "soldiers", "50\u202f000 soldiers"), (78, "years", "78 years"),
     (1.5e6, None, "1.5 million"), (None, "USD", ""), ("six", None, "six"), (True, None, "")],
)
def test_values_read_like_prose(value, unit, shown):
    assert human_value(value, unit) == shown


def test_dates():
    assert human_date("2024-11-13T21:28:00") == "13 Nov 2024, 21:28"
    assert human_date("2024-11-13") == "13 Nov 2024"
    assert human_date("not a date") == "not a date" and human_date(None) == ""
    assert date_span(["2024-11-14T10:00:00", None, "2024-11-13", "garbage"]) == "13 Nov 2024 – 14 Nov 2024"
    assert date_span([None]) == ""


def test_a_figure_is_shown_in_its_sentence_clipped_around_it():
    sentence = "Sur l’enveloppe votée au printemps, il reste environ 9,2 milliards de dollars à allouer. " * 4
    before, figure, after = highlight(sentence, "9,2 milliards de dollars", 80)
    assert figure == "9,2 milliards de dollars"
    assert before.startswith("…") and before.endswith("il reste environ ") and after.endswith("…")
    assert len(before) + len(figure) + len(after) <= 90
    assert highlight("short", "absent") == ("short", "", "")
    before, figure, after = highlight("x" * 300 + " 42 km", "42 km", 60)
    assert before.startswith("…") and figure == "42 km" and after == ""


def test_generated_explanations_cite_articles_by_their_labels():
    view = ReportView({"articles": [{"id": "001_4bb2"}, {"id": "003_3967"}, {"id": "003_39"}]}, StaticLinks())
    assert with_labels("001_4bb2 speak of it; 003_3967 report it", view) == "001 speak of it; 003_3967 report it"


def test_links_are_quoted():
    assert StaticLinks(1).article("a b") == "../articles/a_b-" + StaticLinks(1).article("a b").split("-")[-1]
    assert WebLinks().article("a/b?c") == "/articles/a%2Fb%3Fc"
    assert WebLinks().compare("a", "b&c") == "/articles/a?compare=b%26c"


def test_a_story_card_leads_with_the_sentence_chosen_first():
    from recoupe.report.view import lead_sentence

    story = {"summary": [{"sentence": "b", "rank": 2}, {"sentence": "a", "rank": 1}]}
    assert lead_sentence(story) == "a"
    assert lead_sentence({"summary": [{"sentence": "x"}, {"sentence": "y"}]}) == "x"
    assert lead_sentence({"summary": [{}, "junk"]}) == "" and lead_sentence({}) == ""


def test_word_diff_marks_what_a_rewrite_changed():
    from recoupe.report.view import word_diff

    a = "Arrivé tard dans la soirée de mardi pour un séjour de moins de 24 heures, M. Blinken doit s’entretenir."
    b = "Arrivé tard mardi soir pour une visite de moins de 24 heures, le secrétaire d’Etat doit s’entretenir."
    diff_a, diff_b = word_diff(a, b)
    assert "".join(p for p, _ in diff_a) == a and "".join(p for p, _ in diff_b) == b, "nothing lost"
    changed_a = " ".join(p.strip() for p, c in diff_a if c)
    changed_b = " ".join(p.strip() for p, c in diff_b if c)
    assert "séjour" in changed_a and "Blinken" in changed_a and "24" not in changed_a
    assert "visite" in changed_b and "secrétaire" in changed_b and "heures" not in changed_b
    same, _ = word_diff("Même phrase.", "même phrase.")
    assert same == [("Même phrase.", False)], "case is not a change"
