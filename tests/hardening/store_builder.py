"""Stores built through the Store API, without running the engine: real text, stories with their results.

The results have the shapes the story steps give (provenance, alignments,
facts, quotes, summary), filled from the articles' own sentences, so pages
and the API have every section to show.
"""

from __future__ import annotations

from pathlib import Path

from hardening_data import real_paragraphs
from recoupe.article import Article
from recoupe.store import Store


def story_results(story_id: str, members: list[str], texts: dict[str, str]) -> dict[str, dict]:
    first = members[0]
    sentence = texts[first].split(". ")[0][:200]
    return {
        "reuse": {
            "provenance": [{"article": first, "role": "original"}]
            + [{"article": m, "role": "derivative", "derived_from": first, "relation": "light-edit", "shared": 0.8}
               for m in members[1:]],
            "alignments": [{"a": m, "b": first, "pairs": [[sentence, sentence, 0.95]]} for m in members[1:]],
        },
        "facts": {
            "facts": [{"text": sentence, "kind": "count", "value": 3.0, "unit": "", "date": None, "sources": members,
                       "independent_sources": 1}],
            "quotes": [{"speaker": "Une source", "text": sentence, "sources": members}],
            "contradictions": [],
        },
        "summary": {"summary": [{"sentence": sentence, "sources": members}]},
    }


def build_store(path: Path, articles: int, per_story: int, texts: list[str] | None = None,
                titles: list[str] | None = None) -> Store:
    """A store of `articles` articles in stories of `per_story`; `texts`/`titles` override the real text by index."""
    paragraphs = real_paragraphs()
    store = Store(path)
    with store.transaction():
        story_texts: dict[str, str] = {}
        members: list[str] = []
        for number in range(articles):
            body = "\n\n".join(paragraphs[(number * 3 + k) % len(paragraphs)] for k in range(3))
            if texts is not None and number < len(texts):
                body = texts[number]
            title = titles[number] if titles is not None and number < len(titles) else f"Dépêche {number}"
            article = Article(id=f"a{number:05d}", source=f"corpus/a{number:05d}.txt", raw=f"{title}\n\n{body}".encode(),
                              title=title, text=body, input_text=f"{title}\n\n{body}", language="fr",
                              published=f"2024-11-{1 + number % 28:02d}T10:00:00", read_at="2024-11-30T00:00:00")
            store.put_article(article)
            story_id = f"s{number // per_story + 1}"
            store.set_story(article.id, story_id, title)
            story_texts[article.id] = body
            members.append(article.id)
            if len(members) == per_story or number == articles - 1:
                for step, result in story_results(story_id, members, story_texts).items():
                    store.put_story_result(story_id, step, result)
                store.set_story_clean(story_id)
                members, story_texts = [], {}
    return store
