from recoupe.analyse.quotes import extract_quotes, quote_spans
from recoupe.article import EmbeddedPost


def speakers(text: str, **kwargs) -> list[tuple[str, str | None, str]]:
    return [(q.text, q.speaker, q.kind) for q in extract_quotes(text, **kwargs)]


def test_guillemets_with_attribution_after():
    text = "« La Russie n'a pas gagné » en Ukraine, a déclaré M. Blinken."
    assert speakers(text) == [("La Russie n'a pas gagné", "Blinken", "direct")]


def test_english_marks_and_inverted_verb():
    text = "“Nous devons faire plus”, affirme-t-elle. Mme Kallas est arrivée mardi."
    text = "Kaja Kallas était à Bruxelles. " + text
    found = extract_quotes(text)
    assert found[0].text == "Nous devons faire plus"
    assert found[0].speaker == "Kaja Kallas" and found[0].speaker_how == "pronoun"


def test_attribution_before_with_que():
    text = "Lors de son audition mardi, Mme Kallas a martelé que l'UE devait aider “aussi longtemps que nécessaire”."
    assert speakers(text) == [("aussi longtemps que nécessaire", "Kallas", "direct")]


def test_straight_quotes_and_selon():
    text = 'Selon le ministre, "la situation est grave".'
    assert speakers(text) == [("la situation est grave", "ministre", "direct")]


def test_feminine_anaphor_skips_a_man():
    text = ("Il verra Kaja Kallas, qui succédera à M. Borrell. L'UE doit aider l'Ukraine "
            "“aussi longtemps que nécessaire”, a lancé cette dernière mardi.")
    assert speakers(text)[0][1] == "Kaja Kallas"


def test_mangled_marks_and_a_credit_after_the_attribution(seed_paths):
    wire = seed_paths[3].read_text(encoding="utf-8")
    found = [q for q in extract_quotes(wire) if "expédier tout ce qui est disponible" in q.text]
    assert found and {q.speaker for q in found} == {"Mark Cancian"}
    assert all("»" not in q.text and "”" not in q.text for q in found)


def test_pulled_quote_with_a_credit_line(seed_paths):
    rewrite = seed_paths[1].read_text(encoding="utf-8")
    found = [q for q in extract_quotes(rewrite) if "expédier tout ce qui est disponible" in q.text]
    assert found and {q.speaker for q in found} == {"Mark Cancian"}


def test_a_photo_caption_is_not_a_credit_line():
    text = ("Le secrétaire d'Etat a rencontré ses homologues européens pendant plusieurs heures à Bruxelles.\n"
            "Antony Blinken, le 13 novembre 2024 à Bruxelles.")
    assert extract_quotes(text) == []


def test_reported_speech():
    text = "Le New York Times affirmait que Moscou avait massé 50 000 soldats dans la région."
    assert speakers(text) == [("Moscou avait massé 50 000 soldats dans la région", "New York Times", "reported")]
    text = "Il reste 9 milliards à allouer, selon le Pentagone."
    assert speakers(text) == [("Il reste 9 milliards à allouer", "Pentagone", "reported")]
    text = "Des milliers de soldats se rassemblent près de Koursk selon Kiev et Washington."
    assert speakers(text) == [("Des milliers de soldats se rassemblent près de Koursk", "Kiev et Washington", "reported")]
    text = "Selon Paris et Berlin, les sanctions seront prolongées en janvier."
    assert speakers(text) == [("les sanctions seront prolongées en janvier", "Paris et Berlin", "reported")]


def test_relative_clause_speaker():
    text = "Une information démentie par le Kremlin, qui l'a qualifiée de “pure invention”."
    assert speakers(text) == [("pure invention", "Kremlin", "direct")]


def test_embedded_post_is_a_quote_of_its_author():
    post = EmbeddedPost(text="Aujourd'hui, j'ai rencontré le ministre.", author="@SecBlinken",
                        name="Secrétaire Antony Blinken", date="2024-11-13")
    found = extract_quotes("Rien à citer ici.", embedded_posts=[post])
    assert [(q.speaker, q.speaker_how, q.start) for q in found] == [("Antony Blinken", "post", -1)]


def test_nested_and_unbalanced_marks():
    assert quote_spans("« Il a dit “non” hier »") == [(1, 22)]
    assert quote_spans("« ouvert sans fermeture\nune autre ligne") == []
    assert extract_quotes("") == []
    assert extract_quotes("»»«« ” “") == []


def test_inverted_pronoun_without_t_and_selon_lui():
    text = ("Jérôme Kerviel conteste cette version. \"Il n'y a aucune limite précise écrite signée de ma main\", "
            "avait-il assuré aux policiers.")
    assert speakers(text)[0][1] == "Jérôme Kerviel"
    text = "Jean-Luc Romero est déçu. Selon lui, rien n'était possible : « On s'est bien moqué de nous »."
    assert speakers(text)[0][1] == "Jean-Luc Romero"
