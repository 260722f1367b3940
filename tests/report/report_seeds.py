"""A report dict of the seed corpus for the page tests, built without running the whole engine.

Articles are the seed files with blank-line paragraphs (repeated paragraphs
kept once); provenance, facts, quotes and contradictions are those that
`expected.json` states for the seeds; the summary is the real summary step's
output; alignments pair, by index, each sentence of a derivative with the
sentence of its original that shares most words.
Pages are tested on this shape; the browser test runs the real engine.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from recoupe.analyse.sentences import split_sentences
from recoupe.article import Article
from recoupe.summary import Summariser

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def seed_articles() -> list[Article]:
    articles = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        kept = list(dict.fromkeys(lines))
        articles.append(
            Article(id=path.stem, source=str(path), raw=path.read_bytes(), title=kept[0], text="\n\n".join(kept[1:]),
                    language="fr", published=f"2024-11-1{3 + (path.stem < '002')}T{10 + int(path.stem[:3])}:00:00")
        )
    return articles


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 3}


def _aligned_sentences(a: Article, b: Article, floor: float = 0.5) -> list[list]:
    """[index in a, index in b, Dice of their words] for each sentence of a whose best match in b passes `floor`."""
    sentences_a, sentences_b = split_sentences(a.text), split_sentences(b.text)
    pairs = []
    for i, sa in enumerate(sentences_a):
        wa = _words(sa.text)
        scored = [(2 * len(wa & _words(sb.text)) / ((len(wa) + len(_words(sb.text))) or 1), j)
                  for j, sb in enumerate(sentences_b)]
        score, j = max(scored, default=(0.0, -1))
        if score >= floor:
            pairs.append([i, j, round(score, 3)])
    return pairs


def seed_report() -> dict:
    expected = json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))
    articles = seed_articles()
    ids = {a.id[:3]: a.id for a in articles}
    provenance = []
    for role in expected["roles"]:
        entry = {"article": ids[role["article"]], "role": role["role"]}
        if "of" in role:
            entry.update(derived_from=ids[role["of"]], relation=role["relation"], shared=0.5)
        provenance.append(entry)
    root = {p["article"]: p.get("derived_from", p["article"]) for p in provenance}
    facts = []
    for fact in expected["facts"]:
        sources = [ids[s] for s in fact["sources"]]
        facts.append({
            "text": fact["fact"], "kind": "date" if "date" in fact else "amount",
            "value": fact.get("value"), "unit": fact.get("unit"), "date": fact.get("date"),
            "sources": sources, "independent_sources": len({root[s] for s in sources}),
        })
    summary = Summariser().summarise(articles, provenance)
    by_id = {a.id: a for a in articles}
    alignments = []
    for derived in (p for p in provenance if p.get("derived_from")):
        pairs = _aligned_sentences(by_id[derived["article"]], by_id[derived["derived_from"]])
        alignments.append({"a": derived["article"], "b": derived["derived_from"], "pairs": pairs})
    for article in articles:
        article.story = "s1"
    report_articles = [a.to_report() for a in articles]
    return {
        "articles": report_articles,
        "stories": [{
            "id": "s1",
            "title": by_id[ids["003"]].title,
            "members": [a.id for a in articles],
            "provenance": provenance,
            "alignments": alignments,
            "facts": facts,
            "entities": [{"name": a, "variants": [a, b], "type": "MISC", "sources": list(ids.values())}
                         for a, b in expected["entities"]["same_entity"]],
            "quotes": [{"speaker": q["speaker"], "text": q["text_contains"], "sources": [ids[s] for s in q["sources"]]}
                       for q in expected["quotes"]],
            "contradictions": [{"kind": c["id"], "articles": [ids[s] for s in c["articles"]],
                                "against": [ids[s] for s in c["against"]], "explanation": c["what"]}
                               for c in expected["contradictions"]],
            "summary": summary,
        }],
        "near_duplicates": [],
        "duplicates": [],
        "run": {},
    }
