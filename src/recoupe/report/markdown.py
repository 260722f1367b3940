"""Markdown pages of a report: one per story, and an index, from the same views as the HTML pages.

Article text is untrusted here too: whatever could become markup when the
Markdown is rendered (HTML tags, links, emphasis, table pipes) is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .html import _write
from .view import ReportView, StaticLinks, file_stem, story_page

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def text(value: Any) -> str:
    """Untrusted text as inline Markdown: HTML entities for < > &, backslashes before Markdown syntax."""
    value = " ".join(str(value or "").split())
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", value)


def _cites(refs) -> str:
    return " ".join(f"[{text(r.label)}]({r.url})" for r in refs)


def story_markdown(view: ReportView, story: Mapping[str, Any]) -> str:
    s = story_page(view, story)
    voices = "?" if s["voices"] is None else s["voices"]
    lines = [
        f"# {text(s['title'])}",
        "",
        f"{s['sources']} articles · {voices} independent voices"
        + (f" · {text(s['dates'])}" if s["dates"] else "")
        + (f" · {s['contradiction_count']} contradictions" if s["contradiction_count"] else ""),
        "",
        "## What happened",
        "",
    ]
    if s["summary"]:
        for n, item in enumerate(s["summary"], start=1):
            lines.append(f"{n}. {text(item['sentence'])} ({_cites(item['sources'])})")
    else:
        lines.append("No summary yet.")
    lines += ["", "## Who wrote it first", ""]
    for line in s["digest"]:
        if line["kind"] == "original":
            derived = "; ".join(
                f"[{text(d['ref'].label)}]({d['ref'].url}) {text(d['relation'])}"
                + (f", {round(d['shared'] * 100)}% shared" if isinstance(d["shared"], (int, float)) else "")
                for d in line["derived"]
            )
            lines.append(
                f"- **Original:** [{text(line['article'].label)}]({line['article'].url}) {text(line['article'].site)}"
                + (f"; derived from it: {derived}" if derived else "")
            )
        else:
            lines.append(f"- **Independent:** {_cites(line['articles'])}")
    for group in s["signal_groups"]:
        lines.append(f"- *{text(group['signal'])}*: {_cites(group['refs'])}" + (f" — {text(group['why'])}" if group["why"] else ""))
    lines += ["", f"![Provenance graph]({file_stem(s['id'])}.svg)", ""]
    if s["contradictions"]:
        lines += ["## Where the sources disagree", ""]
        for c in s["contradictions"]:
            lines.append(f"- **{text(c['kind'] or 'contradiction')}**: {text(c['explanation'])}")
            for x in c["left"]:
                lines.append(f"  - [{text(x['ref'].label)}]({x['ref'].url})" + (f": “{text(x['says'])}”" if x["says"] else ""))
            lines.append("  - *against*")
            for x in c["right"]:
                lines.append(f"  - [{text(x['ref'].label)}]({x['ref'].url})" + (f": “{text(x['says'])}”" if x["says"] else ""))
        lines.append("")
    if s["facts"]:
        lines += ["## Facts and figures", "", "| Fact | Value | Articles | Voices |", "|---|---|---|---|"]
        for f in s["facts"]:
            voices_cell = "" if f["voices"] is None else str(f["voices"]) + (" (echo)" if f["echo"] else "")
            lines.append(f"| {text(f['text'])} | {text(f['value'])} | {_cites(f['sources'])} | {voices_cell} |")
        lines.append("")
    if s["quotes"]:
        lines += ["## Quotes", ""]
        for q in s["quotes"]:
            said = f"(reported) {text(q['text'])}" if q["reported"] else f"“{text(q['text'])}”"  # no marks: not their words
            lines.append(f"- **{text(q['speaker'])}**: {said} ({_cites(q['sources'])})")
        lines.append("")
    if s["timeline"]:
        lines += ["## Timeline", ""]
        for e in s["timeline"]:
            cites = f" ({_cites(e['sources'])})" if e["kind"] == "event" else ""
            lines.append(f"- **{text(e['date'])}** {text(e['text'])}{cites}")
        lines.append("")
    lines += ["## Articles", "", "| Article | Title | Source | Role |", "|---|---|---|---|"]
    for row in s["member_rows"]:
        role = text(row["role"])
        if row["from"]:
            role += f" ({text(row['relation'])} of [{text(row['from'].label)}]({row['from'].url}))"
        lines.append(f"| [{text(row['ref'].label)}]({row['ref'].url}) | {text(row['ref'].title)} | {text(row['ref'].site)} | {role} |")
    return "\n".join(lines) + "\n"


def index_markdown(view: ReportView) -> str:
    lines = ["# Stories", ""]
    for card in view.story_cards():
        voices = "?" if card["voices"] is None else card["voices"]
        lines.append(
            f"- [{text(card['title'])}]({card['url'].removesuffix('.html')}.md) — {card['sources']} articles,"
            f" {voices} independent voices" + (f", {text(card['dates'])}" if card["dates"] else "")
        )
    return "\n".join(lines) + "\n"


def write_markdown(report: Mapping[str, Any], out_dir: str | Path) -> list[Path]:
    """Writes index.md and stories/<id>.md under `out_dir` (links point at the HTML site's article pages)."""
    out = Path(out_dir)
    written = []
    nested = ReportView(report, StaticLinks(1))
    for story in nested.stories:
        path = out / "stories" / f"{file_stem(story['id'])}.md"
        _write(path, story_markdown(nested, story))
        written.append(path)
    path = out / "index.md"
    _write(path, index_markdown(ReportView(report, StaticLinks(0))))
    written.append(path)
    return written
