"""Figure and date parsing are total: any text, any reference day, any value a reader meets, and no exception.

Texts are built from the words these parsers look for (numbers in digits and
words, scales, currencies, units, months, weekdays, deictics, qualifiers,
no-break spaces), glued or spaced at random, mixed with arbitrary Unicode;
reference days run from 1 January of year 1 to 31 December 9999, where
"demain" and "mardi prochain" have no day.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hardening_data import real_paragraphs
from recoupe.analyse.dates import extract_dates, parse_published, tense_at
from recoupe.analyse.figures import extract_figures
from recoupe.clean.dates import find_date, find_time
from recoupe.ingest.dates import iso_datetime

EXAMPLES = 2500
WORDS = [
    "9,2", "9.2", "14 000", "14\u00a0000", "14\u202f000", "1 000 000", "0,5", "-3", "+33 1 23 45 67 89", "1er", "premier",
    "milliards", "milliard", "millions", "mille", "cent", "vingt-et-un", "quatre-vingt-dix", "deux", "douze", "bn", "billion",
    "de", "d'", "dollars", "euros", "€", "$", "£", "USD", "%", "pour cent", "km", "kilomètres", "tonnes", "m²", "°C",
    "ans", "an", "mois", "jours", "heures", "h", "21h28", "21:28", "plus de", "près de", "environ", "au moins", "jusqu'à",
    "moins de", "janvier", "février", "FEVRIER", "fevr.", "mars", "Dec", "December", "2024", "1999", "0", "9999", "10000",
    "31", "29", "30", "13/11/2024", "2024-11-13", "2024-02-30", "lundi", "mardi", "dimanche", "prochain", "dernier",
    "passé", "hier", "demain", "avant-hier", "après-demain", "aujourd'hui", "ce soir", "le week-end", "ce week-end dernier",
    "du 3 au 5", "entre le 1er et le 3", "il y a", "depuis", "avant", "en cas de", "a été", "sera", "aurait", "la", "le",
    "99999999999999999999999", "1e308", "١٢٣", "Ⅻ", "²", "½", "٫", "., ", "«", "»", "\u2009", "-", "–", "/", ":",
]
REFERENCES = st.one_of(st.none(), st.dates(min_value=date.min, max_value=date.max),
                       st.sampled_from([date.min, date.max, date.min + timedelta(days=7), date.max - timedelta(days=7)]))


def texts() -> st.SearchStrategy[str]:
    word = st.sampled_from(WORDS)
    return st.one_of(
        st.lists(word, max_size=30).map(" ".join),
        st.lists(st.one_of(word, st.text(max_size=3)), max_size=40).map("".join),
        st.text(max_size=300),
        st.tuples(st.sampled_from(real_paragraphs()), st.lists(word, max_size=6).map(" ".join)).map(" ".join),
    )


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts(), language=st.sampled_from(["fr", "en", "de", "", "xx"]))
@example(text="FEVRIER 1", language="fr")  # the English month-day form has no weekday group
def test_figures_never_raise_and_point_into_the_text(text, language):
    for figure in extract_figures(text, language):
        assert 0 <= figure.start <= figure.end <= len(text)
        assert text[figure.start:figure.end] == figure.text
        assert isinstance(figure.value, float)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts(), reference=REFERENCES, language=st.sampled_from(["fr", "en", ""]))
@example(text="FEVRIER 1", reference=date(2024, 1, 1), language="fr")
@example(text="demain, mardi prochain et le week-end prochain", reference=date.max, language="fr")
@example(text="hier et mardi dernier", reference=date.min, language="fr")
def test_dates_never_raise_and_resolve_to_real_days(text, reference, language):
    for mention in extract_dates(text, reference, language):
        assert text[mention.start:mention.end] == mention.text
        assert mention.tense in ("past", "future", "conditional", "present")
        mention.day  # a resolved day is a real calendar day
        mention.month_day
        tense_at(text, mention.start, mention.end)


def test_a_reference_at_the_end_of_the_calendar_resolves_nothing_relative():
    mentions = extract_dates("Il viendra demain, et le 3 mars 2024.", date.max)
    assert [(m.text, m.iso) for m in mentions] == [("demain", None), ("3 mars 2024", "2024-03-03")]


VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), texts(),
    st.datetimes(timezones=st.sampled_from([None, timezone.utc])),
    st.sampled_from(["2024-11-13", "2024-02-30", "2024-11-13T21:28:00+01:00", "Wed, 13 Nov 2024 21:28:00 GMT",
                     "Wed, 13 Nov 99999 21:28:00 GMT", "Mon, 31 Feb 2024 25:61:00 +9999", "0000-00-00", "T", "--"]),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=VALUES)
def test_publication_dates_read_any_value_or_give_none(value):
    iso = iso_datetime(value)
    if iso is not None:
        datetime.fromisoformat(iso)  # what comes out is ISO 8601
        parse_published(iso)
    if isinstance(value, str):
        parse_published(value)
        find_date(value)
        find_time(value)
