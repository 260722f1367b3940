"""Text that a hostile article could carry, and a report that puts it in every field a page shows."""

from __future__ import annotations

PAYLOADS = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "]]><![CDATA[",
    "{{ 7*7 }} {% raw %}",
    "[link](javascript:alert(1)) | pipe *bold*",
]
HOSTILE = " ".join(PAYLOADS)


def hostile_report() -> dict:
    """Every field a page shows carries markup that must come out as text."""
    a, b = "evil<1>", 'x"onmouseover="alert(1)'
    article = {
        "id": a, "source": HOSTILE, "raw_sha256": "0" * 64, "title": HOSTILE, "text": f"{HOSTILE}\n\nSecond {HOSTILE}.",
        "language": "<b>fr</b>", "published": "2024-11-13T21:28:00", "byline": HOSTILE, "agency": HOSTILE,
        "dateline": HOSTILE, "site": HOSTILE, "url": "javascript:alert(1)",
        "embedded_posts": [{"author": HOSTILE, "date": HOSTILE, "text": HOSTILE, "name": HOSTILE}],
        "removed": [{"kind": HOSTILE, "text": HOSTILE, "position": 0}], "repeat_ratio": 0.5,
        "signals": [HOSTILE], "story": "s<1>", "input_text": HOSTILE + " " + HOSTILE,
    }
    other = dict(article, id=b, story="s<1>")
    return {
        "articles": [article, other],
        "stories": [{
            "id": "s<1>", "title": HOSTILE, "members": [a, b],
            "provenance": [{"article": a, "role": "original"},
                           {"article": b, "role": "derivative", "derived_from": a, "relation": HOSTILE, "shared": 0.5,
                            "signal_evidence": [f"{HOSTILE}: {HOSTILE}"]}],
            "alignments": [{"a": b, "b": a, "pairs": [[HOSTILE, HOSTILE, 0.9]]}],
            "facts": [{"text": HOSTILE, "kind": HOSTILE, "value": HOSTILE, "unit": HOSTILE, "date": "2024-11-05",
                       "sources": [a, b], "independent_sources": 1}],
            "entities": [{"name": HOSTILE, "variants": [HOSTILE], "type": HOSTILE, "sources": [a]}],
            "quotes": [{"speaker": HOSTILE, "text": HOSTILE, "sources": [a]}],
            "contradictions": [{"kind": HOSTILE, "articles": [a], "against": [b], "explanation": HOSTILE,
                                "passages": {a: HOSTILE, b: HOSTILE}}],
            "summary": [{"sentence": HOSTILE, "sources": [a, b]}],
        }],
        "run": {"finished": HOSTILE},
    }
