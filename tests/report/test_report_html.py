"""The static site: every page there, linked, readable from the file system, and inert whatever the articles say."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from report_pages import assert_inert, parse
from report_hostile import PAYLOADS
from recoupe.analyse.sentences import split_sentences
from recoupe.report.html import write_site
from recoupe.report.markdown import write_markdown
from recoupe.report.view import file_stem


@pytest.fixture(scope="module")
def site(tmp_path_factory, seeds_report):
    out = tmp_path_factory.mktemp("site")
    written = write_site(seeds_report, out) + write_markdown(seeds_report, out)
    return out, written


def _label(article_id: str) -> str:
    return article_id[:3]


def test_site_has_an_index_a_page_per_story_and_per_article(site, seeds_report):
    out, written = site
    assert (out / "index.html").is_file() and (out / "assets" / "style.css").is_file()
    for story in seeds_report["stories"]:
        for suffix in (".html", ".md", ".svg"):
            assert (out / "stories" / f"{story['id']}{suffix}").is_file()
    for article in seeds_report["articles"]:
        assert (out / "articles" / f"{article['id']}.html").is_file()
    assert all(path.is_relative_to(out) for path in written)


def test_every_link_is_local_and_resolves_on_disk(site):
    out, written = site
    pages = [p for p in written if p.suffix == ".html"]
    checked = 0
    for page in pages:
        for element in parse(page.read_text(encoding="utf-8")).find_all():
            for name in ("href", "src"):
                target = element.attrs.get(name)
                if not target or target.startswith("#"):
                    continue
                parts = urlsplit(target)
                assert not parts.scheme and not parts.netloc, f"{page.name} loads {target} from the network"
                assert (page.parent / unquote(parts.path)).resolve().is_file(), f"{page.name}: broken link {target}"
                checked += 1
    assert checked > 50


def test_index_lists_the_story_with_its_counts(site, seeds_report):
    out, _ = site
    root = parse((out / "index.html").read_text(encoding="utf-8"))
    cards = root.by_id("stories").find_all("li")
    assert len(cards) == len(seeds_report["stories"]) == 1
    text = cards[0].all_text
    assert "5 sources" in text and "3 independent voices" in text and "3 contradictions" in text
    assert cards[0].find_all("a")[0].attrs["href"] == "stories/s1.html"
    rows = root.by_id("articles").find_all("tr")
    assert len(rows) == 1 + len(seeds_report["articles"])


def test_story_page_summary_cites_every_supporting_article(site, seeds_report):
    out, _ = site
    story = seeds_report["stories"][0]
    root = parse((out / "stories" / "s1.html").read_text(encoding="utf-8"))
    items = root.by_id("summary").find_all("li")
    assert 3 <= len(items) == len(story["summary"]) <= 8
    for item, expected in zip(items, story["summary"]):
        assert item.find_all("span", "sentence")[0].all_text == " ".join(expected["sentence"].split())
        cited = [a.attrs["href"] for a in item.find_all("a", "cite")]
        assert cited == [f"../articles/{s}.html" for s in expected["sources"]]


def test_story_page_names_the_source_and_its_rewrites(site):
    out, _ = site
    root = parse((out / "stories" / "s1.html").read_text(encoding="utf-8"))
    digest = root.by_id("provenance").find_all("ul", "digest")[0].find_all("li")
    original = digest[0]
    assert "is the original" in original.all_text
    labels = [a.all_text for a in original.find_all("a", "cite")]
    assert labels[0] == "003" and sorted(labels[1:]) == ["000", "001"]
    assert "rewrite it" in original.all_text and "paraphrase" in original.all_text
    independent = digest[1]
    assert sorted(a.all_text for a in independent.find_all("a", "cite")) == ["002", "004"]
    assert root.by_id("provenance").find_all("svg"), "the graph is drawn inline"


def test_facts_table_shows_sources_and_flags_single_voice_echoes(site, seeds_report):
    out, _ = site
    root = parse((out / "stories" / "s1.html").read_text(encoding="utf-8"))
    rows = root.by_id("facts").find_all("tbody")[0].find_all("tr")
    assert len(rows) == len(seeds_report["stories"][0]["facts"])

    def row(fact: str):
        return next(r for r in rows if fact in r.find_all("td")[0].all_text)

    billions = row("about 9.2 billion USD of the spring package left to allocate")
    assert [a.all_text for a in billions.find_all("a", "cite")] == ["000", "001", "003"]
    assert "9.2 billion USD" in billions.all_text
    assert "echo" in billions.attrs["class"] and "1 voice" in billions.all_text
    everyone = row("Trump returns to the White House on 20 January")
    assert "echo" not in everyone.attrs.get("class", "") and "3 voices" in everyone.all_text
    single = row("front line of more than 1 000 km")
    assert "echo" not in single.attrs.get("class", ""), "one article alone is not an echo"
    echoes = root.by_id("echoes").find_all("li")
    assert echoes and "9.2 billion USD" in echoes[0].all_text and "1 voice" in echoes[0].all_text


def test_contradictions_are_shown_side_by_side(site, seeds_report):
    out, _ = site
    root = parse((out / "stories" / "s1.html").read_text(encoding="utf-8"))
    blocks = root.by_id("contradictions").find_all("div", "contradiction")
    expected = seeds_report["stories"][0]["contradictions"]
    assert len(blocks) == len(expected)
    for block, item in zip(blocks, expected):
        left, right = block.find_all("div", "side")
        assert [a.all_text for a in left.find_all("a", "cite")] == [_label(x) for x in item["articles"]]
        assert [a.all_text for a in right.find_all("a", "cite")] == [_label(x) for x in item["against"]]
        assert item["explanation"][:40] in block.all_text


def test_timeline_is_in_time_order(site):
    out, _ = site
    root = parse((out / "stories" / "s1.html").read_text(encoding="utf-8"))
    whens = [li.find_all("span", "when")[0].all_text for li in root.by_id("timeline").find_all("li")]
    assert whens[0].startswith("5 Nov 2024") and whens[-1].startswith("20 Jan 2025")


def test_article_page_shows_removed_spans_on_demand(tmp_path, seeds_report):
    report = dict(seeds_report)
    first = dict(report["articles"][0])
    first["input_text"] = "Accueil » Monde\n" + first["text"]
    first["removed"] = [{"kind": "furniture", "text": "Accueil » Monde", "position": 0}]
    report["articles"] = [first, *report["articles"][1:]]
    write_site(report, tmp_path)
    root = parse((tmp_path / "articles" / f"{first['id']}.html").read_text(encoding="utf-8"))
    removed = root.by_id("removed")
    details = removed.find_all("details")
    assert details, "removed spans sit in a closed <details>"
    assert all("open" not in d.attrs for d in details)
    struck = [d.all_text for d in removed.find_all("del", "removed")]
    assert "Accueil » Monde" in struck
    assert removed.find_all("del")[0].attrs["data-kind"] == "furniture"


def test_compare_page_marks_aligned_passages_in_both_texts(site, seeds_report):
    out, _ = site
    alignment = next(a for a in seeds_report["stories"][0]["alignments"] if a["pairs"])
    page = out / "compare" / f"{alignment['a']}__{alignment['b']}.html"
    root = parse(page.read_text(encoding="utf-8"))
    marks_a = root.by_id("text-a").find_all("mark", "aligned")
    marks_b = root.by_id("text-b").find_all("mark", "aligned")
    assert len(marks_a) == len(alignment["pairs"]) >= 5
    assert 0 < len(marks_b) <= len(alignment["pairs"])  # two sentences may align to one
    first, second, _ = alignment["pairs"][0]
    text_a = next(a["text"] for a in seeds_report["articles"] if a["id"] == alignment["a"])
    text_b = next(a["text"] for a in seeds_report["articles"] if a["id"] == alignment["b"])
    mark_a, mark_b = root.by_id("a-1"), root.by_id("b-1")
    assert mark_a.all_text == "1 " + " ".join(split_sentences(text_a)[first].text.split())
    assert mark_b.all_text == "1 " + " ".join(split_sentences(text_b)[second].text.split())
    assert mark_a.find_all("a")[0].attrs["href"] == "#b-1"
    reverse = parse((out / "compare" / f"{alignment['b']}__{alignment['a']}.html").read_text(encoding="utf-8"))
    assert reverse.by_id("a-1").all_text == mark_b.all_text


def test_hostile_text_comes_out_as_text_on_every_page(tmp_path, hostile):
    written = write_site(hostile, tmp_path) + write_markdown(hostile, tmp_path)
    html_pages = [p for p in written if p.suffix == ".html"]
    assert len(html_pages) >= 5
    for page in html_pages:
        html = page.read_text(encoding="utf-8")
        assert_inert(html)
        assert "<script>" not in html and "<img src=x" not in html and "<svg onload" not in html
    story_page = next(p for p in html_pages if p.parent.name == "stories")
    text = parse(story_page.read_text(encoding="utf-8")).by_id("summary").all_text
    assert "<script>alert('x')</script>" in text, "the payload is shown to the reader as text"
    assert "{{ 7*7 }}" in text, "article text is not a template"
    for path in written:
        assert path.resolve().is_relative_to(tmp_path.resolve())


def test_a_story_with_no_sections_yet_still_renders(tmp_path):
    report = {"articles": [{"id": "a1", "text": "Un texte.", "title": None}],
              "stories": [{"id": "s9", "members": ["a1", "missing-article"]}]}
    write_site(report, tmp_path)
    html = (tmp_path / "stories" / "s9.html").read_text(encoding="utf-8")
    root = parse(html)
    assert "No facts extracted yet" in root.by_id("facts").all_text
    assert "No summary yet" in root.by_id("summary").all_text
    assert (tmp_path / "articles" / "a1.html").is_file()
    assert (tmp_path / "index.html").is_file()


def test_an_empty_report_gives_an_index_that_says_so(tmp_path):
    write_site({}, tmp_path)
    assert "No story" in parse((tmp_path / "index.html").read_text(encoding="utf-8")).by_id("stories").all_text


@pytest.mark.parametrize("identifier", ["../../etc/passwd", "a/b", ".hidden", "s p a c e", "é/ü", "a" * 300])
def test_any_id_becomes_a_file_name_inside_the_site(identifier):
    stem = file_stem(identifier)
    assert re.fullmatch(r"[A-Za-z0-9_.-]+", stem) and not stem.startswith(".") and len(stem) < 100
    assert file_stem(identifier) == stem
    assert stem != file_stem(identifier + "x")


def test_reported_speech_is_marked_and_left_without_quotation_marks(tmp_path, seeds_report):
    from test_report_markdown import _with_reported_speech

    report, direct, reported = _with_reported_speech(seeds_report)
    write_site(report, tmp_path)
    root = parse((tmp_path / "stories" / "s1.html").read_text(encoding="utf-8"))
    quoted, said = root.by_id("quotes").find_all("blockquote")
    assert f"“{direct['text']}”" in quoted.all_text and "reported" not in quoted.attrs.get("class", "")
    assert "reported" in said.attrs["class"] and "(reported)" in said.all_text
    assert reported["text"] in said.all_text and "“" not in said.all_text
    assert [a.all_text for a in said.find_all("a", "cite")] == [_label(reported["sources"][0])]
