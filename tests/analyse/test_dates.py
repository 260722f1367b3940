from datetime import date

import pytest

from recoupe.analyse.dates import extract_dates, parse_published

WEDNESDAY = date(2024, 11, 13)


def one(text: str, reference: date | None = WEDNESDAY):
    found = extract_dates(text, reference)
    assert len(found) == 1, f"{text!r} -> {found}"
    return found[0]


@pytest.mark.parametrize(
    "text, iso, tense",
    [
        ("Trump, qui reviendra à la Maison Blanche le 20 janvier, est déjà en action", "2025-01-20", "future"),
        ("après la réélection de Donald Trump le 5 novembre, l'inquiétude grandit", "2024-11-05", "past"),
        ("depuis la victoire de Trump aux élections du 5 novembre, rien n'a changé", "2024-11-05", "past"),
        ("en cas de réélection de Donald Trump le 5 novembre prochain", "2024-11-05", "conditional"),
        ("le sommet se tiendra le 2 décembre prochain", "2024-12-02", "future"),
        ("le traité signé le 13 novembre 2024 à Bruxelles", "2024-11-13", "past"),
        ("Jake Sullivan a soulevé dimanche la somme de six milliards", "2024-11-10", "past"),
        ("Arrivé tard mardi soir pour une visite de moins de 24 heures", "2024-11-12", "past"),
        ("Il partira jeudi pour Lima", "2024-11-14", "future"),
        ("Blinken était hier à Bruxelles", "2024-11-12", "past"),
        ("Il reviendra demain", "2024-11-14", "future"),
        ("Blinken s'est rendu à Bruxelles ce mercredi", "2024-11-13", "past"),
        ("La réunion aura lieu mercredi prochain", "2024-11-20", "future"),
        ("Il l'a rencontré lundi dernier", "2024-11-11", "past"),
    ],
)
def test_dates_resolve_with_their_tense(text, iso, tense):
    mention = one(text)
    assert (mention.iso, mention.tense) == (iso, tense)
    assert mention.tense_explicit
    assert text[mention.start : mention.end] == mention.text


def test_bare_weekday_in_the_present_is_the_nearest_one():
    mention = one("Antony Blinken rencontre mercredi à Bruxelles des responsables de l'Otan")
    assert mention.iso == "2024-11-13" and mention.tense == "present"


def test_weekend_and_month():
    weekend = one("des attaques de drones visant la région de Moscou le week-end dernier")
    assert (weekend.precision, weekend.iso, weekend.tense) == ("weekend", "2024-11-09", "past")
    month = one("l'aide militaire depuis l'invasion russe en février 2022")
    assert (month.precision, month.iso) == ("month", "2022-02")


def test_without_reference_the_year_and_weekdays_stay_unknown():
    assert one("il reviendra le 20 janvier", None).iso == "--01-20"
    assert one("il est arrivé mardi", None).iso is None
    assert one("le 13 novembre 2024", None).iso == "2024-11-13"


def test_a_weekday_fixes_the_year():
    # 2 September was a Tuesday in 2008: the year nearest the reference in which it is one
    assert one("il rencontrera le pape mardi 2 septembre", date(2008, 3, 1)).iso == "2008-09-02"


def test_a_range_gives_its_first_day_too():
    found = extract_dates("Ingrid Betancourt se rendra du 1er au 3 septembre en Italie", date(2008, 8, 20))
    assert [m.iso for m in found] == ["2008-09-01", "2008-09-03"]


def test_saying_is_not_the_tense_of_the_event():
    mention = one("Il a annoncé l'organisation mercredi 10 décembre d'une rencontre de parlementaires",
                  date(2008, 12, 3))
    assert mention.iso == "2008-12-10" and mention.tense != "past"


def test_english_and_numeric_dates():
    assert one("the election on November 5, 2024 was decisive").iso == "2024-11-05"
    assert one("publié le 13/11/2024").iso == "2024-11-13"


def test_not_dates():
    assert extract_dates("Il a 78 ans et 50 000 soldats", WEDNESDAY) == []
    assert extract_dates("le 31 février", WEDNESDAY) == []


def test_parse_published():
    assert parse_published("2024-11-13T21:28:00") == WEDNESDAY
    assert parse_published("not a date") is None
    assert parse_published(None) is None


def test_seed_rewrite_speaks_of_the_election_as_to_come(seed_paths):
    text = seed_paths[1].read_text(encoding="utf-8")
    mentions = [m for m in extract_dates(text, WEDNESDAY) if m.iso == "2024-11-05"]
    assert mentions and all(m.tense in ("future", "conditional") for m in mentions)
    wire = seed_paths[3].read_text(encoding="utf-8")
    assert {m.tense for m in extract_dates(wire, WEDNESDAY) if m.iso == "2024-11-05"} == {"past"}


def test_taken_spans_answer_overlap_as_a_scan_of_every_span_would():
    import random

    from recoupe.analyse.dates import _Spans

    rng = random.Random(7)
    taken, spans = _Spans(), []
    for _ in range(2000):
        start = rng.randrange(0, 5000)
        end = start + rng.randrange(1, 30)
        overlaps = any(s < end and start < e for s, e in spans)
        assert taken.overlaps(start, end) == overlaps
        if not overlaps:
            taken.add(start, end)
            spans.append((start, end))
    assert len(spans) > 100 and taken.starts == sorted(s for s, _ in spans)


def test_a_run_on_text_with_a_thousand_weekdays_finds_each_once():
    text = "le pont est fermé depuis mardi et rouvrira le 12 mars, " * 1000
    mentions = extract_dates(text, date(2026, 3, 11), "fr")
    assert len(mentions) == 2000
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:]))
