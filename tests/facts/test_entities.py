from recoupe.facts.entities import Mention, canonical_entities, clean_name, fold, same_name


def entities_of(*mentions: tuple[str, str, str], texts: dict[str, str] | None = None):
    found, index = canonical_entities([Mention(a, t, label) for a, t, label in mentions], texts)
    return found, index


def holder(found, variant: str):
    holders = [e for e in found if variant in e.variants]
    assert len(holders) == 1, (variant, [e.variants for e in found])
    return holders[0]


def test_spelling_transliteration_and_case_variants_are_one_entity():
    found, _ = entities_of(
        ("a", "Andriï Sybiga", "PER"), ("b", "Andrii Sybiha", "PER"),
        ("a", "Kiev", "LOC"), ("b", "Kyiv", "LOC"),
        ("a", "Volodymyr Zelensky", "PER"), ("b", "Volodymyr Zelenskiy", "PER"),
        ("a", "Otan", "ORG"), ("b", "l’OTAN", "ORG"),
        ("a", "Etats-Unis", "LOC"), ("b", "États-Unis", "LOC"),
    )
    assert len(found) == 5
    sybiha = holder(found, "Andrii Sybiha")
    assert "Andriï Sybiga" in sybiha.variants and sybiha.sources == ["a", "b"] and sybiha.type == "PER"
    assert "Kyiv" in holder(found, "Kiev").variants
    assert "OTAN" in holder(found, "Otan").variants


def test_titles_surnames_and_first_names_join_the_full_name():
    found, index = entities_of(
        ("a", "Antony Blinken", "PER"), ("b", "M. Blinken", "PER"), ("c", "Blinken", "LOC"), ("c", "Blinken", "PER"),
        ("a", "Kaja Kallas", "PER"), ("b", "Mme Kallas", "PER"),
    )
    blinken = holder(found, "Antony Blinken")
    assert blinken.name == "Antony Blinken" and set(blinken.sources) == {"a", "b", "c"}
    assert index["kallas"].name == "Kaja Kallas"


def test_a_lone_name_that_fits_two_people_stays_apart():
    found, _ = entities_of(("a", "Joe Biden", "PER"), ("b", "Hunter Biden", "PER"), ("c", "Biden", "PER"))
    assert len(found) == 3


def test_different_names_are_not_merged():
    assert not same_name(fold("Europe"), fold("Européens"))
    assert not same_name(fold("Mark Rutte"), fold("Mark Cancian"))
    assert not same_name(fold("Paris"), fold("Pékin"))
    found, _ = entities_of(("a", "Jake Sullivan", "PER"), ("b", "Jake Sullivan", "PER"), ("a", "Joe Biden", "PER"))
    assert len(found) == 2


def test_a_bare_role_joins_the_one_person_holding_it():
    texts = {
        "a": "Le secrétaire d’État américain Antony Blinken est à Bruxelles.",
        "b": "Arrivé mardi, le secrétaire d’Etat doit voir le secrétaire général de l’Otan Mark Rutte.",
    }
    mentions = [
        Mention("a", "Antony Blinken", "PER", 31), Mention("b", "Mark Rutte", "PER", 79),
        Mention("b", "le secrétaire d’Etat", "ROLE", 15),
    ]
    found, _ = canonical_entities(mentions, texts)
    blinken = holder(found, "Antony Blinken")
    assert "le secrétaire d’Etat" in blinken.variants and blinken.sources == ["a", "b"]
    assert "secrétaire d’État américain" in blinken.roles


def test_glued_spans_and_noise():
    found, _ = entities_of(
        ("a", "Otan Mark Rutte", "ORG"), ("b", "Mark Rutte", "PER"), ("a", "découvrez", "LOC"), ("a", "État", "LOC"),
    )
    assert sorted(e.name for e in found) == ["Mark Rutte", "Otan"]
    assert holder(found, "Mark Rutte").sources == ["a", "b"]


def test_clean_name():
    assert clean_name("l’OTAN") == "OTAN"
    assert clean_name("M. Blinken") == "Blinken"
    assert clean_name("le Pentagone") == "Pentagone"
    assert fold("Maison-Blanche") == fold("Maison Blanche") == "maison blanche"
