"""Markdown pages: the same sections as the HTML, and untrusted text that cannot turn into markup."""

from __future__ import annotations

import copy
import re

from report_hostile import HOSTILE
from recoupe.report.markdown import text, write_markdown


def test_seed_story_markdown_has_cited_summary_facts_and_contradictions(tmp_path, seeds_report):
    write_markdown(seeds_report, tmp_path)
    page = (tmp_path / "stories" / "s1.md").read_text(encoding="utf-8")
    story = seeds_report["stories"][0]
    summary_lines = re.findall(r"^\d+\. .*$", page, flags=re.M)
    assert len(summary_lines) == len(story["summary"])
    for line, item in zip(summary_lines, story["summary"]):
        cited = re.findall(r"\(\.\./articles/([^)]+)\.html\)", line)
        assert cited == item["sources"]
    assert "**Original:** [003](../articles/003_396718b1c9902876.html)" in page
    assert "| about 9.2 billion USD of the spring package left to allocate | 9.2 billion USD |" in page
    assert re.search(r"9\.2 billion USD \|[^|]*\| 1 \(echo\) \|", page)
    assert page.count("*against*") == len(story["contradictions"])
    assert "![Provenance graph](s1.svg)" in page
    index = (tmp_path / "index.md").read_text(encoding="utf-8")
    assert "(stories/s1.md)" in index and "5 articles, 3 independent voices" in index


def test_untrusted_text_cannot_become_markup():
    escaped = text(HOSTILE)
    assert "<" not in escaped and ">" not in escaped
    assert "[link](javascript" not in escaped and "\\[link\\]" in escaped
    assert "\\|" in escaped and "\\*bold\\*" in escaped
    assert "\n" not in text("two\nlines")


def test_hostile_report_markdown_has_no_raw_html(tmp_path, hostile):
    for path in write_markdown(hostile, tmp_path):
        page = path.read_text(encoding="utf-8")
        assert "<script" not in page and "<img" not in page and "<svg" not in page
        for row in (line for line in page.splitlines() if line.startswith("| ")):
            assert len(re.findall(r"(?<!\\)\|", row)) == 5, "a pipe in the text would break the table"


def _with_reported_speech(report: dict) -> tuple[dict, dict, dict]:
    """The seed report plus a sentence 003 gives as "selon Kiev et Washington": reported, not quoted."""
    report = copy.deepcopy(report)
    story = report["stories"][0]
    direct = story["quotes"][0]
    reported = {"speaker": "Kiev", "kind": "reported", "sources": [direct["sources"][-1]],
                "text": "des milliers de soldats nord-coréens se rassemblent dans la région frontalière russe"}
    story["quotes"] = [direct, reported]
    return report, direct, reported


def test_reported_speech_is_not_put_in_quotation_marks(tmp_path, seeds_report):
    report, direct, reported = _with_reported_speech(seeds_report)
    write_markdown(report, tmp_path)
    page = (tmp_path / "stories" / "s1.md").read_text(encoding="utf-8")
    assert f"**{text(direct['speaker'])}**: “{text(direct['text'])}”" in page
    assert f"**Kiev**: (reported) {text(reported['text'])} (" in page
    assert f"“{text(reported['text'])}" not in page
