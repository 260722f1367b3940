"""The report as the pages read it: every field of the type the contract names, whatever the file held.

report.json is a file that other tools may write or edit. The pages take it
through `story` and `article` below, which keep what has the right shape,
turn what can be read into it, and drop the rest, so one odd entry costs that
entry, never the page.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any


def text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def optional_text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def ids(value: Any) -> list[str]:
    """A list of article ids: strings only, each once, in order."""
    if isinstance(value, str):
        return [value]
    if not isinstance(value, (list, tuple)):
        return []
    return list(dict.fromkeys(v for v in value if isinstance(v, str) and v))


def number(value: Any) -> float | int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value if math.isfinite(value) else None


def count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def texts(value: Any) -> list[str]:
    if not isinstance(value, (list, tuple)):
        return []
    return [v for v in value if isinstance(v, str)]


def entries(value: Any) -> list[Mapping[str, Any]]:
    if not isinstance(value, (list, tuple)):
        return []
    return [v for v in value if isinstance(v, Mapping)]


def story(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A story with each section a list of entries of the contract's shape."""
    out: dict[str, Any] = {
        "id": text(raw.get("id")) or str(raw.get("id", "")),
        "title": optional_text(raw.get("title")),
        "members": ids(raw.get("members")),
        "provenance": [
            {
                "article": p["article"],
                "role": text(p.get("role")),
                "derived_from": optional_text(p.get("derived_from")),
                "relation": text(p.get("relation")),
                "shared": number(p.get("shared")),
                "signal_evidence": texts(p.get("signal_evidence")),
            }
            for p in entries(raw.get("provenance"))
            if isinstance(p.get("article"), str) and p["article"]
        ],
        "alignments": [
            {"a": a["a"], "b": a["b"],
             "pairs": [list(p) for p in a.get("pairs") or [] if isinstance(p, (list, tuple)) and len(p) >= 2]
             if isinstance(a.get("pairs"), (list, tuple)) else []}
            for a in entries(raw.get("alignments"))
            if isinstance(a.get("a"), str) and isinstance(a.get("b"), str)
        ],
        "facts": [
            {
                "text": text(f.get("text")),
                "kind": text(f.get("kind")),
                "value": number(f.get("value")) if not isinstance(f.get("value"), str) else f["value"],
                "unit": optional_text(f.get("unit")),
                "date": optional_text(f.get("date")),
                "surface": text(f.get("surface")),
                "sources": ids(f.get("sources")),
                "independent_sources": count(f.get("independent_sources")),
            }
            for f in entries(raw.get("facts"))
        ],
        "entities": [
            {"name": text(e.get("name")), "type": text(e.get("type")), "variants": texts(e.get("variants")),
             "sources": ids(e.get("sources"))}
            for e in entries(raw.get("entities"))
            if text(e.get("name"))
        ],
        "quotes": [
            {"speaker": optional_text(q.get("speaker")), "text": text(q.get("text")), "sources": ids(q.get("sources")),
             "kind": "reported" if q.get("kind") == "reported" else "direct"}
            for q in entries(raw.get("quotes"))
            if text(q.get("text"))
        ],
        "contradictions": [
            {
                "kind": text(c.get("kind")),
                "articles": ids(c.get("articles")),
                "against": ids(c.get("against")),
                "explanation": text(c.get("explanation")),
                **{k: c[k] for k in ("passages", "claims", "evidence", "texts", "values") if k in c},
            }
            for c in entries(raw.get("contradictions"))
        ],
        "summary": [
            {"sentence": s["sentence"], "sources": ids(s.get("sources")),
             "independent_sources": count(s.get("independent_sources")), "rank": count(s.get("rank"))}
            for s in entries(raw.get("summary"))
            if isinstance(s.get("sentence"), str) and s["sentence"].strip()
        ],
    }
    return out


_ARTICLE_TEXT = ("source", "raw_sha256", "format", "url", "site", "title", "language", "published", "updated",
                 "byline", "agency", "dateline", "story", "input_text")


def article(raw: Mapping[str, Any]) -> dict[str, Any]:
    """An article with its text fields as text, its lists as lists of the right entries."""
    out: dict[str, Any] = {k: optional_text(raw.get(k)) for k in _ARTICLE_TEXT}
    out["id"] = raw["id"]
    out["text"] = text(raw.get("text"))
    out["signals"] = texts(raw.get("signals"))
    out["repeat_ratio"] = number(raw.get("repeat_ratio"))
    out["removed"] = [
        {"kind": text(r.get("kind")) or "other", "text": text(r.get("text")), "position": count(r.get("position"))}
        for r in entries(raw.get("removed"))
    ]
    out["embedded_posts"] = [
        {k: optional_text(p.get(k)) for k in ("text", "author", "name", "date", "url", "platform")}
        for p in entries(raw.get("embedded_posts"))
    ]
    return out
