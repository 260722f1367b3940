"""Markdown pages: the same sections as the HTML, and untrusted text that cannot turn into markup."""

from __future__ import annotations

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
