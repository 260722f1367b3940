"""The cleaning rules on small articles written for each case, in several languages."""

from __future__ import annotations

import json

import pytest

from recoupe.article import Article
from recoupe.clean import CleanOptions, SiteLines, clean_article
from recoupe.clean.agencies import agency_name, mentions
from recoupe.clean.byline import person_name
from recoupe.clean.dateline import find_dateline, normalise_place
from recoupe.clean.dates import find_date, find_time
from recoupe.clean.furniture import breadcrumb_segments, service_line

LEAD = "The minister told parliament on Tuesday that the new budget would protect schools and hospitals from cuts."
SECOND = "Opposition parties said the plan relied on optimistic growth forecasts and would not survive the winter."


def clean(text: str, title: str | None = None, site: str | None = None, site_lines: SiteLines | None = None) -> Article:
    article = Article(id="t", source="test", input_text=text, title=title, site=site)
    clean_article(article, CleanOptions(), site_lines)
    for removal in article.removed:
        assert article.input_text[removal.position : removal.position + len(removal.text)] == removal.text
    return article


def kinds(article: Article) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for removal in article.removed:
        out.setdefault(removal.kind, []).append(removal.text)
    return out


@pytest.mark.parametrize(
    "line",
    [
        "Back to top",
        "Retour en haut de page",
        "Nach oben",
        "Volver arriba",
        "Quitter la version mobile",
        "View desktop version",
        "Partager sur Facebook",
        "Share this article",
        "Suivez-nous sur Twitter",
        "Follow us on Instagram",
        "Abonnez-vous à notre newsletter",
        "Subscribe to our newsletter",
        "Lire aussi : Le budget adopté en première lecture",
        "Read more: Budget passes first vote",
        "Lesen Sie auch",
        "Facebook Twitter LinkedIn WhatsApp Email",
        "Publicité",
        "Advertisement",
        "Temps de lecture : 3 min",
        "5 min read",
        "© Tous droits réservés",
        "Photo : Jean Dupont / AFP",
        "Voir cette publication sur Instagram",
        "Watch on YouTube",
        "Accepter les cookies",
        "Manage cookie preferences",
    ],
)
def test_service_lines_are_furniture(line):
    assert service_line(line, 8)
    article = clean("\n".join([LEAD, line, SECOND]))
    assert kinds(article) == {"furniture": [line]}


@pytest.mark.parametrize(
    "line",
    [
        "Crédit Agricole : 3 milliards",
        "Partager le gâteau entre tous les enfants de la famille est une vieille tradition du village.",
        "Photographie et peinture se rencontrent au musée cette année",
        "Retour en haut des classements pour le club",
        "Follow the money",
        "« Nous devons faire plus »",
    ],
)
def test_content_lines_are_not_service_lines(line):
    assert not service_line(line, 8)


def test_breadcrumbs():
    assert breadcrumb_segments("Home > World > Europe > Budget row deepens") == ["Home", "World", "Europe", "Budget row deepens"]
    assert breadcrumb_segments("Accueil » Politique") == ["Accueil", "Politique"]
    assert breadcrumb_segments("Ventes : 3 > 2, selon l'institut.") is None
    assert breadcrumb_segments("Paris / Lyon") is None
    article = clean("\n".join(["example.com › Politics › Budget row deepens", "Budget row deepens", LEAD, SECOND]))
    assert article.title == "Budget row deepens"
    assert kinds(article) == {"furniture": ["example.com › Politics › Budget row deepens"], "title": ["Budget row deepens"]}


def test_section_label_above_the_title_and_under_a_title_copy():
    text = "\n".join(["Top stories of the day", "Budget row deepens", "Budget row deepens", "in brief", LEAD, SECOND, "Back to top"])
    article = clean(text)
    assert article.title == "Budget row deepens"
    assert kinds(article) == {
        "furniture": ["Top stories of the day", "in brief", "Back to top"],
        "title": ["Budget row deepens", "Budget row deepens"],
    }
    assert article.paragraphs == [LEAD, SECOND]


def test_a_subtitle_under_the_title_is_kept():
    article = clean("\n".join(["Budget row deepens", "A cautious plan", LEAD, SECOND]))
    assert article.title == "Budget row deepens"
    assert article.paragraphs == ["A cautious plan", LEAD, SECOND]


@pytest.mark.parametrize(
    "raw, place, agencies, rest",
    [
        ("JAKARTA - Le ministre", "Jakarta", [], "Le ministre"),
        ("JAKARTA (Reuters) - The minister", "Jakarta", ["Reuters"], "The minister"),
        ("PARIS (AFP) – Le ministre", "Paris", ["AFP"], "Le ministre"),
        ("RIO DE JANEIRO, 12 mars (AFP) - Le", "Rio de Janeiro", ["AFP"], "Le"),
        ("WASHINGTON (AP) — The", "Washington", ["AP"], "The"),
        ("Bruxelles (Belga) - Le", "Bruxelles", ["Belga"], "Le"),
        ("(Bruxelles) Antony Blinken", "Bruxelles", [], "Antony Blinken"),
        ("(Québec, La Presse canadienne) Le", "Québec", ["La Presse canadienne"], "Le"),
        ("BERLIN (dpa) - Die", "Berlin", ["dpa"], "Die"),
        ("ROMA (ANSA) - Il", "Roma", ["ANSA"], "Il"),
    ],
)
def test_datelines(raw, place, agencies, rest):
    found = find_dateline(raw)
    assert found is not None
    assert found.place == place
    assert found.agencies == agencies
    assert raw[found.prefix_end :].strip() == rest


@pytest.mark.parametrize(
    "raw",
    [
        "Le ministre a parlé (longuement) hier.",
        "UE - Chine : le sommet reporté",
        "CYCLISME –",
        "ATTENTION : le texte qui suit",
        "Paris (France) - le texte",
        "(Il faut le dire) le texte",
        "« Expédiez tout ce qui est disponible »",
    ],
)
def test_not_datelines(raw):
    assert find_dateline(raw) is None


def test_place_case():
    assert normalise_place("JAKARTA") == "Jakarta"
    assert normalise_place("SAINT-ÉTIENNE") == "Saint-Étienne"
    assert normalise_place("RIO DE JANEIRO") == "Rio de Janeiro"
    assert normalise_place("Bruxelles") == "Bruxelles"


def test_dateline_moves_to_metadata_and_agency_from_parentheses():
    article = clean("\n".join(["Budget row deepens", "LONDON (Reuters) - " + LEAD, SECOND]))
    assert article.dateline == "London"
    assert article.agency == "Reuters"
    assert kinds(article)["dateline"] == ["LONDON (Reuters) -"]
    assert article.paragraphs == [LEAD, SECOND]


def test_only_the_start_of_the_body_has_a_dateline():
    later = "PARIS - Le second paragraphe commence par un nom de ville en capitales, ce qui arrive."
    article = clean("\n".join([LEAD, later]))
    assert article.dateline is None
    assert article.paragraphs == [LEAD, later]


def test_full_time_stamps_give_dates():
    article = clean("\n".join(["Budget row deepens", "Publié le 13/11/2024 à 10h00", "Mis à jour le 13 novembre 2024 à 11h15", LEAD, SECOND]))
    assert article.published == "2024-11-13T10:00:00"
    assert article.updated == "2024-11-13T11:15:00"
    assert kinds(article)["timestamp"] == ["Publié le 13/11/2024 à 10h00", "Mis à jour le 13 novembre 2024 à 11h15"]
    assert "published_time" not in article.meta


def test_english_and_german_stamps_and_bylines():
    text = "\n".join(["Budget row deepens", "By Jane SMITH and Tom Brown", "Updated November 13, 2024 9:05 pm", LEAD, SECOND])
    article = clean(text)
    assert article.byline == "Jane Smith, Tom Brown"
    assert article.updated == "2024-11-13T21:05:00"
    assert article.paragraphs == [LEAD, SECOND]
    german = clean("\n".join(["Haushaltsstreit", "Von Anna Müller", "Veröffentlicht am 13.11.2024 um 10:00", LEAD]))
    assert german.byline == "Anna Müller"
    assert german.published == "2024-11-13T10:00:00"


def test_agency_credit_lines():
    for line, agency in [("(AFP)", "AFP"), ("avec AFP", "AFP"), ("Avec l'AFP", "AFP"), ("AFP", "AFP"), ("Associated Press", "AP"), ("Source : Reuters", "Reuters"), ("AFP/Reuters", "AFP")]:
        article = clean("\n".join([LEAD, SECOND, line]))
        assert article.agency == agency, line
        assert kinds(article) == {"agency": [line]}, line
    both = clean("\n".join([LEAD, SECOND, "AFP et Reuters"]))
    assert both.meta["agencies"] == ["AFP", "Reuters"]


def test_par_byline_with_agency():
    article = clean("\n".join(["Titre", "Par Léon BRUNEAU, avec AFP", LEAD]))
    assert article.byline == "Léon Bruneau"
    assert article.agency == "AFP"


def test_a_lone_name_is_a_byline_only_next_to_a_credit():
    alone = clean("\n".join([LEAD, "Jean Dupont", SECOND]))
    assert alone.byline is None
    assert "Jean Dupont" in alone.paragraphs
    credited = clean("\n".join([LEAD, SECOND, "Jean DUPONT", "Agence France-Presse"]))
    assert credited.byline == "Jean Dupont"
    assert credited.agency == "AFP"


def test_agency_names_and_mentions():
    assert agency_name("Agence France-Presse") == "AFP"
    assert agency_name("agence france presse") == "AFP"
    assert agency_name("ap") is None  # an acronym this short is trusted in capitals only
    assert agency_name("AP") == "AP"
    assert mentions("a-t-il déclaré à l’AFP, selon Reuters et Associated Press") == ["AFP", "Reuters", "AP"]
    assert mentions("AFPX and XAFP") == []


def test_person_names():
    assert person_name("Léon BRUNEAU") == "Léon Bruneau"
    assert person_name("JEAN-PIERRE DUPONT") == "Jean-Pierre Dupont"
    assert person_name("Anne McAllister") == "Anne McAllister"


def test_dates_and_times():
    assert find_date("13 novembre 2024")[0] == "2024-11-13"
    assert find_date("November 13, 2024")[0] == "2024-11-13"
    assert find_date("le 1er mars 2023")[0] == "2023-03-01"
    assert find_date("13/11/2024")[0] == "2024-11-13"
    assert find_date("2024-11-13T10:00")[0] == "2024-11-13"
    assert find_date("31 février 2024") is None
    assert find_date("en 2024") is None
    assert find_time("Publié à 21h28") == "21:28"
    assert find_time("9:05 pm") == "21:05"
    assert find_time("à 10 h") == "10:00"
    assert find_time("Il a 78 ans") is None


def test_english_tweet_signature_and_bare_status_link():
    tweet = "We stand with our allies. pic.twitter.com/AbC123"
    signature = "— Jane Doe (@janedoe) November 13, 2024"
    article = clean("\n".join([LEAD, tweet, signature, SECOND]))
    (post,) = article.embedded_posts
    assert (post.author, post.name, post.date, post.url) == ("@janedoe", "Jane Doe", "2024-11-13", "pic.twitter.com/AbC123")
    assert post.text == "We stand with our allies."
    assert article.paragraphs == [LEAD, SECOND]
    assert kinds(article) == {"embed": [tweet, signature]}
    bare = clean("\n".join([LEAD, "https://twitter.com/janedoe/status/123456789", SECOND]))
    assert bare.embedded_posts[0].author == "@janedoe"
    assert bare.paragraphs == [LEAD, SECOND]


def test_prose_quoting_a_handle_is_not_an_embed():
    prose = "Sur son compte @janedoe, la ministre a répété mardi que le budget serait voté avant la fin du mois."
    article = clean("\n".join([LEAD, prose]))
    assert article.embedded_posts == []
    assert prose in article.paragraphs


def test_wrapped_lines_are_joined_into_one_paragraph():
    text = "Titre\nLa semaine dernière, Nicolas Sarkozy avait dévoilé les détails du\nplan de sauvetage des banques.\nUne enveloppe était prévue."
    article = clean(text)
    assert article.title == "Titre"
    assert article.paragraphs == [
        "La semaine dernière, Nicolas Sarkozy avait dévoilé les détails du plan de sauvetage des banques.",
        "Une enveloppe était prévue.",
    ]


def test_site_lines_recur_across_articles_of_one_site():
    slogan = "Le journal qui vous dit tout, tous les jours"
    site_lines = CleanOptions().site_lines()
    bodies = [LEAD, SECOND, "A third article about something else entirely, with its own facts and figures."]
    for i, body in enumerate(bodies):
        site_lines.add(Article(id=f"a{i}", source="s", input_text=f"{body}\n{slogan}", site="journal.example"))
    # adding the same article twice does not count it twice
    site_lines.add(Article(id="a0", source="s", input_text=f"{LEAD}\n{slogan}", site="journal.example"))
    assert site_lines.articles("journal.example") == 3
    assert site_lines.is_recurring("journal.example", slogan)
    assert not site_lines.is_recurring("other.example", slogan)
    assert not site_lines.is_recurring("journal.example", LEAD)
    article = clean(f"{LEAD}\n{slogan}", site="journal.example", site_lines=site_lines)
    assert kinds(article) == {"furniture": [slogan]}
    elsewhere = clean(f"{LEAD}\n{slogan}", site="other.example", site_lines=site_lines)
    assert elsewhere.removed == []
    restored = SiteLines.from_state(json.loads(json.dumps(site_lines.to_state())))
    assert restored.is_recurring("journal.example", slogan)
    assert restored.to_state() == site_lines.to_state()


def test_site_lines_need_more_than_two_articles():
    site_lines = SiteLines()
    for i in range(2):
        site_lines.add(Article(id=f"a{i}", source="s", input_text="Slogan du site\nTexte.", site="x.example"))
    assert not site_lines.is_recurring("x.example", "Slogan du site")
    with pytest.raises(ValueError):
        SiteLines(min_articles=1)


def test_given_title_with_site_suffix():
    article = clean("\n".join(["Budget row deepens", LEAD]), title="Budget row deepens | The Daily Example")
    assert kinds(article) == {"title": ["Budget row deepens"]}
    assert article.title == "Budget row deepens | The Daily Example"


def test_agency_credit_closing_the_last_paragraph():
    for ending, agency in [(" (AFP)", "AFP"), (" (avec Reuters)", "Reuters"), (" — AP", "AP")]:
        article = clean("\n".join(["Budget row deepens", LEAD, SECOND + ending]))
        assert article.paragraphs == [LEAD, SECOND], ending
        assert article.agency == agency
        assert kinds(article)["agency"] == [ending.strip()]
    # a parenthesis that is no credit, or a credit inside the prose, stays
    for last in [SECOND + " (Photo)", "The minister said so (AFP) and left.", SECOND[:-1] + " (AFP)"]:
        article = clean("\n".join(["Budget row deepens", LEAD, last]))
        assert article.paragraphs == [LEAD, last]
        assert article.agency is None


def test_outlet_credit_in_parentheses_is_not_a_place():
    article = clean("\n".join(["Budget row deepens", "(CNN) — " + LEAD, SECOND]))
    assert article.dateline is None
    assert article.meta["dateline_credit"] == "CNN"
    assert article.paragraphs == [LEAD, SECOND]


@pytest.mark.parametrize("line", ["Publié il y a 2 heures", "Mis à jour à l'instant", "Updated 5 minutes ago"])
def test_relative_time_stamps_are_removed_without_a_value(line):
    article = clean("\n".join(["Budget row deepens", line, LEAD, SECOND]))
    assert kinds(article)["timestamp"] == [line]
    assert article.published is None and article.updated is None
    assert "published_time" not in article.meta and "updated_time" not in article.meta


def test_name_with_a_role_is_a_byline():
    article = clean("\n".join(["Budget row deepens", "Jane SMITH, Staff Writer", LEAD, SECOND]))
    assert article.byline == "Jane Smith"
    assert kinds(article)["byline"] == ["Jane SMITH, Staff Writer"]
    kept = clean("\n".join([LEAD, "Il y a 3 heures", SECOND]))
    assert "Il y a 3 heures" in kept.paragraphs


def test_cleaning_the_same_article_twice_gives_the_same_result():
    text = "\n".join(["Budget row deepens", "LONDON (Reuters) - " + LEAD, "Publié à 21h28", SECOND + " (AFP)"])
    article = clean(text)
    first = article.to_state()
    clean_article(article, CleanOptions())
    assert article.to_state() == first


def test_agency_from_the_byline_a_reader_found():
    article = Article(id="t", source="test", input_text=f"{LEAD}\n{SECOND}", byline="La rédaction avec AFP")
    clean_article(article, CleanOptions())
    assert article.agency == "AFP"
    assert article.byline == "La rédaction avec AFP"


def test_navigation_words_only_at_the_edges():
    text = "\n".join(["Menu", "Accueil", "Budget row deepens", LEAD, "Recherche", SECOND, "Commentaires"])
    article = clean(text)
    assert kinds(article)["furniture"] == ["Menu", "Accueil", "Commentaires"]
    assert article.paragraphs == [LEAD, "Recherche", SECOND]


def test_a_headline_colon_is_not_a_site_suffix():
    article = clean("\n".join(["Budget row", LEAD, SECOND]), title="Budget row: the minister holds firm")
    assert article.paragraphs == ["Budget row", LEAD, SECOND]
