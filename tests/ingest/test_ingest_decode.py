"""Bytes in any encoding become the same clean text; what is not text is refused in one line."""

from __future__ import annotations

import codecs
import os

import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252, the decoding browsers apply)
import pytest

from recoupe.errors import InputError
from recoupe.ingest.decode import decode_bytes, normalise_text

FRENCH = "L’été à Noël, où la forêt était « très belle », coûte 50\u202f000 euros.\n\nDeuxième paragraphe, château."


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + FRENCH.encode("utf-8"),
        FRENCH.encode("utf-16"),  # with its BOM
        codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be"),
        FRENCH.encode("utf-32"),
    ],
    ids=["utf-8 BOM", "utf-16 LE BOM", "utf-16 BE BOM", "utf-32 BOM"],
)
def test_byte_order_marks_decide_and_disappear(data):
    assert decode_bytes(data, "f.txt") == FRENCH


def test_crlf_and_lone_cr_become_lf():
    data = "Ligne un\r\nLigne deux\rLigne trois\r\n\r\nParagraphe.".encode()
    assert decode_bytes(data, "f.txt") == "Ligne un\nLigne deux\nLigne trois\n\nParagraphe."


def test_latin1_is_read_as_western_text():
    text = "Le café était très chaud, dit-il à l'été, près du château."
    assert decode_bytes(text.encode("latin-1"), "f.txt") == text


def test_cp1252_curly_quotes_and_dashes_survive():
    text = "“Bonjour”, dit l’élève – très bien… C’est l’œuvre d’un maître."
    assert decode_bytes(text.encode("cp1252"), "f.txt") == text


@pytest.mark.parametrize(
    "encoding, text",
    [
        ("latin-1", "Un été à Noël, où la forêt était belle et le château grand."),
        ("cp1252", "Le secrétaire d’État américain a appelé mercredi les alliés à renforcer leur soutien."),
        ("iso-8859-15", "Le prix est de 50 € pour l'œuvre, dit Œdipe."),
        ("cp1250", "Minister spraw zagranicznych USA wezwał w środę sojuszników z NATO do zwiększenia wsparcia."),
        ("iso-8859-2", "Příliš žluťoučký kůň úpěl ďábelské ódy."),
        ("cp1257", "Valstybės sekretorius trečiadienį paragino sąjungininkus stiprinti paramą Ukrainai."),
        ("cp1254", "Dışişleri Bakanı çarşamba günü müttefiklerini Ukrayna’ya desteği artırmaya çağırdı."),
        ("latin-1", "Þórður og Guðrún fóru í bæinn."),  # the same bytes as Turkish would be in cp1254
        ("cp1251", "Госсекретарь США Блинкен в среду призвал союзников по НАТО усилить поддержку Украины."),
        ("koi8-r", "Госсекретарь США Блинкен в среду призвал союзников по НАТО усилить поддержку Украины."),
        ("iso-8859-7", "Ο υπουργός Εξωτερικών των ΗΠΑ κάλεσε τους συμμάχους να ενισχύσουν τη στήριξη."),
        ("shift_jis", "ブリンケン米国務長官は水曜日、ブリュッセルでウクライナ支援の強化を呼びかけた。"),
        ("gb18030", "北京时间周三，美国国务卿布林肯在布鲁塞尔呼吁北约盟国加强对乌克兰的支持。"),
        ("euc-kr", "블링컨 미 국무장관은 수요일 브뤼셀에서 우크라이나 지원 강화를 촉구했다."),
    ],
)
def test_legacy_encodings_are_recognised_even_in_one_sentence(encoding, text):
    assert decode_bytes(text.encode(encoding), "f.txt") == text


def test_letters_whose_lower_case_is_two_characters():
    text = "İstanbul'da Dışişleri Bakanı konuştu."  # "İ".lower() is "i" and a combining dot
    assert decode_bytes(text.encode("cp1254"), "f.txt") == text


def test_declared_charset_is_used_when_bytes_are_not_utf8():
    text = "Zażółć gęślą jaźń, powiedział minister w środę."
    assert decode_bytes(text.encode("iso-8859-2"), "p.html", declared="iso-8859-2") == text


def test_mojibake_is_repaired():
    assert decode_bytes("Un Ã©tÃ© chaud".encode("utf-8"), "f.txt") == "Un été chaud"
    text = "L’été à Paris, déjà « chaud » – 30 °C, “ouf”."
    mangled = text.encode("utf-8").decode("sloppy-windows-1252")  # UTF-8 once read as Windows-1252
    assert "Ã" in mangled
    assert decode_bytes(mangled.encode("utf-8"), "f.txt") == text


def test_correct_text_is_left_alone_by_the_repair():
    text = "Ã la carte n'est pas une faute ici : « Â » et « © » restent, comme l’été."
    assert decode_bytes(text.encode(), "f.txt") == text


def test_no_break_and_thin_spaces_are_kept():
    text = "Il a dit\u00a0: «\u00a0oui\u00a0» pour 14\u00a0000 et 9\u202f200\u2009km."
    assert decode_bytes(text.encode(), "f.txt") == text


def test_nfc_composes_decomposed_accents():
    decomposed = "e\u0301te\u0301 a\u0300 Noe\u0308l"
    assert decode_bytes(decomposed.encode(), "f.txt") == "été à Noël"


def test_control_characters_removed_tabs_and_newlines_kept():
    data = "Un\x07 texte\x1b[31m rouge\x1b[0m\tavec\x0b contrôles\ufeff.\x00\nFin".encode("utf-8")
    assert normalise_text(data.decode()) == "Un texte rouge\tavec\n contrôles.\nFin"


def test_c1_controls_are_read_as_windows_1252_punctuation():
    # cp1252 text once decoded as Latin-1 and saved as UTF-8: quotes became C1 controls
    data = "l\x92été \x93chaud\x94 \x85".encode("utf-8")
    assert decode_bytes(data, "f.txt") == "l’été “chaud” …"


def test_binary_content_is_refused():
    with pytest.raises(InputError, match=r"^img.png: binary file, not text$"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(2000), "img.png")


def test_random_bytes_without_nul_are_refused():
    data = bytes(b for b in os.urandom(20000) if b != 0)
    with pytest.raises(InputError, match="binary file"):
        decode_bytes(data, "blob.txt")


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t "], ids=["zero bytes", "only whitespace"])
def test_empty_input_is_refused(data):
    with pytest.raises(InputError, match=r"^e.txt: empty input$"):
        decode_bytes(data, "e.txt")


def test_normalise_text_strips_outer_blank_lines_and_trailing_blanks():
    assert normalise_text("\n\n  Titre \t\n\n  Corps  \n\n") == "Titre\n\n  Corps"
    assert normalise_text("Prix\u00a0: 5\u202f000\u00a0\nsuite\u00a0") == "Prix\u00a0: 5\u202f000\nsuite"
