import pytest

from recoupe.analyse.figures import extract_figures


def one(text: str, language: str = "fr"):
    figures = extract_figures(text, language)
    assert len(figures) == 1, f"{text!r} -> {figures}"
    return figures[0]


@pytest.mark.parametrize(
    "text, value, unit, kind, qualifier",
    [
        ("il reste environ 9,2 milliards de dollars à allouer", 9.2e9, "USD", "amount", "about"),
        ("plus de 60 milliards de dollars d'aide militaire", 60e9, "USD", "amount", "more than"),
        ("la somme de six milliards de dollars", 6e9, "USD", "amount", None),
        ("an extra $9.2bn for Kyiv", 9.2e9, "USD", "amount", None),
        ("un budget de 5 M€ cette année", 5e6, "EUR", "amount", None),
        ("un prêt de 300 millions d'euros", 300e6, "EUR", "amount", None),
        ("Moscou avait massé 50 000 soldats", 50000, "soldiers", "count", None),
        ("Moscou avait massé 50\u00a0000 militaires", 50000, "soldiers", "count", None),
        ("Moscou avait massé 50\u202f000 troupes", 50000, "soldiers", "count", None),
        ("cinquante mille soldats", 50000, "soldiers", "count", None),
        ("Le magnat américain de 78 ans entretient des doutes", 78, "years", "age", None),
        ("Donald Trump, 78 ans, a répondu", 78, "years", "age", None),
        ("condamné à une peine de 10 ans de prison", 10, "years", "duration", None),
        ("le long de plus de 1 000 km de front", 1000, "km", "distance", "more than"),
        ("une visite de moins de 24 heures", 24, "hours", "duration", "less than"),
        ("en 24h chrono", 24, "hours", "duration", None),
        ("au moins 12 % des voix", 12, "%", "percent", "at least"),
        ("une dizaine de morts", 10, "deaths", "count", "about"),
        ("un million de personnes", 1e6, "persons", "count", None),
        ("14 autres otages ont été libérés", 14, "hostages", "count", None),
        ("au cours des quatre dernières années", 4, "years", "duration", None),
        ("qui contrôlaient la région depuis trois mois", 3, "months", "duration", None),
        ("le garçon de deux ans et demi", 2.5, "years", "age", None),
        ("Il va bientôt avoir 32 ans, il a la solidité", 32, "years", "age", None),
        ("la loi a été votée il y a 10 ans", 10, "years", "duration", None),
        ("retenue pendant six ans et quatre mois", 6 + 4 / 12, "years", "duration", None),
        ("entre 50 et 100 salariés se sont rassemblés", 100, "employees", "count", "up to"),
        ("une fraude portant sur 40 à 50 milliards d'euros", 50e9, "EUR", "amount", "up to"),
    ],
)
def test_quantities_are_normalised(text, value, unit, kind, qualifier):
    figure = one(text)
    assert figure.value == pytest.approx(value)
    assert (figure.unit, figure.kind, figure.qualifier) == (unit, kind, qualifier)
    assert text[figure.start : figure.end] == figure.text


def test_currency_carries_over_to_the_parts_of_an_amount():
    text = ("Sur l'enveloppe votée au printemps, il reste environ 9,2 milliards de dollars à allouer, "
            "dont 7,1 milliards à prélever sur les stocks et 2,1 milliards pour financer des contrats.")
    figures = extract_figures(text)
    assert [(f.value, f.unit) for f in figures] == [(9.2e9, "USD"), (7.1e9, "USD"), (2.1e9, "USD")]


def test_currency_does_not_cross_a_sentence():
    figures = extract_figures("Il reste 9,2 milliards de dollars. Les 2,1 milliards restants iront ailleurs.")
    assert [(f.value, f.unit) for f in figures] == [(9.2e9, "USD")]


def test_english_thousands_and_decimals():
    assert one("about 1,000 troops", "en").value == 1000
    assert one("a 3.5% rise", "en").value == pytest.approx(3.5)


@pytest.mark.parametrize(
    "text",
    [
        "l'invasion russe en février 2022",  # a year
        "En 2024, la situation a changé",
        "Publié à 21h28",  # clock times
        "Mis à jour à 21 h 56",
        "la réunion commence à 14 heures",
        "rendez-vous à 9:30",
        "appelez le 01 23 45 67 89",  # phone numbers
        "ou le +33 1 23 45 67 89",
        "ou encore le 06.12.34.56.78",
        "call (555) 123-4567 now",
        "victoire 3-1 des Bleus",  # scores and ranges
        "ils ont gagné 2–0 à domicile",
        "l'ancien président des États-Unis (2017-2021)",
        "voir https://exemple.fr/2024/11/13/50-000-soldats-deployes",  # URLs
        "source : www.exemple.com/article/9-milliards-de-dollars",
        "le 13 novembre 2024",  # dates
        "le 5 novembre",
        "un F-16 abattu",  # codes
        "la pandémie de Covid-19",
        "le 1er ministre",  # ordinals
        "l'article 49.3 de la Constitution",
        "Les 27 ont décidé",  # a number without a thing it counts
        "les deux hommes se sont parlé",  # small counts in words
        "la référence 123456789 du dossier",
    ],
)
def test_what_is_not_a_quantity(text):
    assert extract_figures(text) == [], text


def test_seed_wire_figures(seed_paths):
    text = seed_paths[3].read_text(encoding="utf-8")
    found = {(f.kind, f.unit, f.value, f.qualifier) for f in extract_figures(text)}
    assert {
        ("amount", "USD", 9.2e9, "about"),
        ("amount", "USD", 7.1e9, None),
        ("amount", "USD", 2.1e9, None),
        ("amount", "USD", 6e9, None),
        ("amount", "USD", 60e9, "more than"),
        ("count", "soldiers", 50000, None),
        ("age", "years", 78, None),
        ("duration", "hours", 24, "less than"),
    } <= found
    # the byline's times, the (2017-2021) term and February 2022 are not quantities
    assert not {v for _, _, v, _ in found} & {21, 28, 56, 2017, 2021, 2022}
