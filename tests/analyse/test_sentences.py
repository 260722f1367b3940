from recoupe.analyse.sentences import split_paragraph, split_sentences


def _texts(paragraph: str) -> list[str]:
    return [paragraph[s:e] for s, e in split_paragraph(paragraph)]


def test_abbreviations_and_initials_do_not_end_a_sentence():
    text = "M. Blinken a vu Mme Kallas. J. Biden était absent. Il reste 9.2 milliards."
    assert _texts(text) == ["M. Blinken a vu Mme Kallas.", "J. Biden était absent.", "Il reste 9.2 milliards."]


def test_quotes_close_the_sentence_they_end():
    text = "« C'est une pure invention. » Le Kremlin a démenti. « Nous devons faire plus », a-t-il dit."
    assert _texts(text) == ["« C'est une pure invention. »", "Le Kremlin a démenti.", "« Nous devons faire plus », a-t-il dit."]


def test_a_lower_case_continuation_is_not_a_new_sentence():
    text = "Il reste 2,1 milliards pour des contrats d'achat d'armes. , selon le Pentagone."
    assert len(_texts(text)) == 1


def test_offsets_point_into_the_text_and_paragraphs_are_counted(seed_paths):
    raw = seed_paths[3].read_text(encoding="utf-8")
    text = "\n\n".join(line for line in raw.splitlines() if line.strip())
    sentences = split_sentences(text)
    assert len(sentences) > 20
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert sentences[-1].paragraph == len([line for line in raw.splitlines() if line.strip()]) - 1
    assert [s.index for s in sentences] == list(range(len(sentences)))


def test_degenerate_input():
    assert split_sentences("") == []
    assert split_sentences("\n\n  \n") == []
    assert [s.text for s in split_sentences("mot")] == ["mot"]
