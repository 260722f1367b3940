"""What a reader sees of a report: the report dict turned into plain values for the page templates.

The static site, the Markdown pages and the web app render the same views,
so a story reads the same wherever it is opened. Every section is optional:
a story that has no facts yet gets an empty facts list, not an error. Views
hold raw text only; escaping is the templates' job (autoescape is on).
"""

from __future__ import annotations

import bisect
import copy
import difflib
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from ..analyse.sentences import split_sentences
from ..reuse.provenance import derivation_roots
from . import shape

_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9_.-]")


def file_stem(identifier: str) -> str:
    """A file name for an id that may hold any character: kept as is when safe, else cleaned and hashed."""
    cleaned = _UNSAFE_IN_NAME.sub("_", identifier)[:80]
    if cleaned == identifier and not identifier.startswith("."):
        return identifier
    digest = hashlib.sha1(identifier.encode("utf-8")).hexdigest()[:10]
    return f"{cleaned.lstrip('.')}-{digest}"


class StaticLinks:
    """Relative links between the pages of a static site, from a page `depth` folders below its root."""

    def __init__(self, depth: int = 0):
        self.prefix = "../" * depth

    def index(self) -> str:
        return f"{self.prefix}index.html"

    def story(self, story_id: str) -> str:
        return f"{self.prefix}stories/{quote(file_stem(story_id))}.html"

    def article(self, article_id: str) -> str:
        return f"{self.prefix}articles/{quote(file_stem(article_id))}.html"

    def compare(self, a: str, b: str) -> str:
        return f"{self.prefix}compare/{quote(file_stem(a))}__{quote(file_stem(b))}.html"

    def asset(self, name: str) -> str:
        return f"{self.prefix}assets/{name}"

    def markdown(self, story_id: str) -> str | None:
        return f"{self.prefix}stories/{quote(file_stem(story_id))}.md"

    live = False


class WebLinks:
    """Absolute links of the web app."""

    live = True

    def index(self) -> str:
        return "/"

    def story(self, story_id: str) -> str:
        return f"/stories/{quote(story_id, safe='')}"

    def article(self, article_id: str) -> str:
        return f"/articles/{quote(article_id, safe='')}"

    def compare(self, a: str, b: str) -> str:
        return f"/articles/{quote(a, safe='')}?{urlencode({'compare': b})}"

    def asset(self, name: str) -> str:
        return f"/static/{name}"

    def markdown(self, story_id: str) -> str | None:
        return None


# ---------------------------------------------------------------- labels and dates


def short_labels(ids: Iterable[str]) -> dict[str, str]:
    """The shortest leading part of each id (cut at _ - . or space) that no other id shares.

    Ids are sorted once: those that start with a prefix form one run from where
    the prefix would be inserted, so whether another id shares it is a look at
    the next one (n log n, where comparing every pair took minutes on 10,000 ids).
    """
    ids = list(dict.fromkeys(ids))
    ordered = sorted(ids)
    labels: dict[str, str] = {}
    for identifier in ids:
        parts = re.split(r"(?<=.)(?=[_\-. ])", identifier)
        label = identifier
        for n in range(1, len(parts) + 1):
            prefix = "".join(parts[:n])
            if len(prefix) < 2:
                continue
            first = bisect.bisect_left(ordered, prefix)  # the run of ids starting with prefix, identifier among them
            if first + 1 >= len(ordered) or not ordered[first + 1].startswith(prefix):
                label = prefix
                break
        labels[identifier] = label
    return labels


def parse_date(value: Any) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=None)


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def human_date(value: Any, with_time: bool = True) -> str:
    parsed = parse_date(value)
    if parsed is None:
        return str(value) if value else ""
    day = f"{parsed.day} {_MONTHS[parsed.month - 1]} {parsed.year}"
    has_time = isinstance(value, str) and "T" in value and (parsed.hour or parsed.minute)
    return f"{day}, {parsed:%H:%M}" if with_time and has_time else day


def date_span(values: Iterable[Any]) -> str:
    dates = sorted(d for d in (parse_date(v) for v in values) if d is not None)
    if not dates:
        return ""
    first, last = human_date(dates[0].isoformat(), False), human_date(dates[-1].isoformat(), False)
    return first if first == last else f"{first} – {last}"


def human_value(value: Any, unit: Any = None) -> str:
    """9.2e9, "USD" -> "9.2 billion USD"; plain numbers keep their digits; no value gives ''."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, (int, float)):
        magnitude = abs(value)
        for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
            if magnitude >= size:
                text = f"{value / size:.2f}".rstrip("0").rstrip(".") + f" {word}"
                break
        else:
            text = f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", "\u202f")
    else:
        text = str(value)
    return f"{text} {unit}" if unit else text


# ---------------------------------------------------------------- the report as a whole


@dataclass
class ArticleRef:
    """An article as a citation: a short label, and what a tooltip tells about it."""

    id: str
    label: str
    title: str
    site: str
    published: str
    url: str

    @property
    def short_title(self) -> str:
        return _clip(self.title, 70)

    @property
    def tooltip(self) -> str:
        parts = [self.title, self.site, self.published]
        return " · ".join(p for p in parts if p)


class ReportView:
    """Lookups over one report dict: articles by id, their labels, each article's story.

    `articles` and `stories` are shaped for the pages (see shape.py); `raw_articles` and
    `raw_stories` are the entries as the report holds them, for the JSON API.
    """

    def __init__(self, report: Mapping[str, Any], links: Any):
        self.report = report if isinstance(report, Mapping) else {}
        self.links = links
        raw_articles = [a for a in shape.entries(self.report.get("articles")) if isinstance(a.get("id"), str)]
        raw_stories = [s for s in shape.entries(self.report.get("stories")) if isinstance(s.get("id"), str)]
        self.raw_articles: dict[str, Mapping[str, Any]] = {a["id"]: a for a in raw_articles}
        self.raw_stories: dict[str, Mapping[str, Any]] = {s["id"]: s for s in raw_stories}
        self.articles: dict[str, Mapping[str, Any]] = {a["id"]: shape.article(a) for a in raw_articles}
        self.stories: list[Mapping[str, Any]] = [shape.story(s) for s in raw_stories]
        member_ids = [m for s in self.stories for m in s.get("members") or []]
        self.labels = short_labels(list(self.articles) + member_ids)
        self.story_of: dict[str, str] = {}
        for story in self.stories:
            for member in story.get("members") or []:
                self.story_of.setdefault(member, story["id"])
        self._story_by_id: dict[str, Mapping[str, Any]] = {}
        for story in self.stories:
            self._story_by_id.setdefault(story["id"], story)

    def with_article(self, entry: Mapping[str, Any]) -> "ReportView":
        """This view with one article's entry replaced (say, with its text before cleaning), built
        in the time of a copy of the lookups rather than of the whole report."""
        view = copy.copy(self)
        view.raw_articles = {**self.raw_articles, entry["id"]: entry}
        view.articles = {**self.articles, entry["id"]: shape.article(entry)}
        return view

    def ref(self, article_id: str) -> ArticleRef:
        article = self.articles.get(article_id, {})
        return ArticleRef(
            id=article_id,
            label=self.labels.get(article_id, article_id),
            title=display_title(article),
            site=article_site(article),
            published=human_date(article.get("published")),
            url=self.links.article(article_id),
        )

    def refs(self, ids: Iterable[str] | None) -> list[ArticleRef]:
        return [self.ref(i) for i in ids or [] if isinstance(i, str)]

    def story(self, story_id: str) -> Mapping[str, Any] | None:
        return self._story_by_id.get(story_id)

    def story_cards(self) -> list[dict[str, Any]]:
        """One line per story, newest first and, on the same day, biggest first."""
        cards = [self.card(s) for s in self.stories]
        cards.sort(key=lambda c: (c["sort_day"], len(c["members"]), c["id"]), reverse=True)
        return cards

    def card(self, story: Mapping[str, Any]) -> dict[str, Any]:
        members = [m for m in story.get("members") or []]
        published = [self.articles.get(m, {}).get("published") for m in members]
        dates = [d for d in (parse_date(p) for p in published) if d is not None]
        languages = sorted({self.articles.get(m, {}).get("language") or "" for m in members} - {""})
        signals = sorted({s for m in members for s in self.articles.get(m, {}).get("signals") or []})
        return {
            "id": story["id"],
            "title": story_title(story, self.articles),
            "url": self.links.story(story["id"]),
            "members": members,
            "sources": len(members),
            "voices": independent_voices(story),
            "dates": date_span(published),
            "sort_day": max(dates).date().isoformat() if dates else "",
            "languages": languages,
            "signals": signals,
            "contradiction_count": len(story.get("contradictions") or []),
            "lead": lead_sentence(story),
        }

    def article_rows(self, ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """Articles for a table: newest first."""
        ids = list(self.articles) if ids is None else list(ids)
        rows = []
        for article_id in ids:
            article = self.articles.get(article_id, {})
            story_id = article.get("story") or self.story_of.get(article_id)
            rows.append(
                {
                    "ref": self.ref(article_id),
                    "language": article.get("language") or "",
                    "published": human_date(article.get("published")),
                    "sort": article.get("published") or "",
                    "signals": list(article.get("signals") or []),
                    "story": story_id,
                    "story_url": self.links.story(story_id) if story_id and self.story(story_id) else None,
                }
            )
        rows.sort(key=lambda r: (r["sort"], r["ref"].id), reverse=True)
        return rows


def display_title(article: Mapping[str, Any]) -> str:
    """The title, or for an article that has none the start of its text."""
    if article.get("title"):
        return str(article["title"])
    text = str(article.get("text") or "").strip()
    return _clip(text.split("\n", 1)[0], 80) if text else ""


def lead_sentence(story: Mapping[str, Any]) -> str:
    """The summary sentence chosen first (most support), else the first one."""
    items = [i for i in story.get("summary") or [] if isinstance(i, Mapping) and i.get("sentence")]
    if not items:
        return ""
    ranked = [i for i in items if isinstance(i.get("rank"), int)]
    return str(min(ranked, key=lambda i: i["rank"])["sentence"] if ranked else items[0]["sentence"])


def article_site(article: Mapping[str, Any]) -> str:
    """Who published it, in a few words: the site and the agency it credits, else the web host."""
    parts = [str(article[k]) for k in ("site", "agency") if article.get(k)]
    if not parts and article.get("url"):
        parts = [urlsplit(str(article["url"])).netloc]
    return " · ".join(dict.fromkeys(p for p in parts if p))


def story_title(story: Mapping[str, Any], articles: Mapping[str, Mapping[str, Any]]) -> str:
    if story.get("title"):
        return str(story["title"])
    for member in story.get("members") or []:
        title = articles.get(member, {}).get("title")
        if title:
            return str(title)
    return f"Story {story.get('id', '')}"


def independent_voices(story: Mapping[str, Any]) -> int | None:
    """How many members do not derive from one another; None when the story has no provenance yet."""
    provenance = story.get("provenance")
    if not provenance:
        return None
    found = derivation_roots(provenance)
    return len({found.get(m, m) for m in story.get("members") or found})


# ---------------------------------------------------------------- one story


def story_page(view: ReportView, story: Mapping[str, Any]) -> dict[str, Any]:
    """Everything a story page shows, section by section."""
    members = list(story.get("members") or [])
    provenance = [p for p in story.get("provenance") or [] if isinstance(p, Mapping) and p.get("article")]
    card = view.card(story)
    entries = {p["article"]: p for p in provenance}
    member_rows = []
    for member in list(dict.fromkeys([*members, *entries])):
        entry = entries.get(member, {})
        member_rows.append({
            "ref": view.ref(member), "role": entry.get("role") or "", "relation": entry.get("relation") or "",
            "from": view.ref(entry["derived_from"]) if entry.get("derived_from") else None,
            "shared": entry.get("shared"), "signals": list(view.articles.get(member, {}).get("signals") or []),
        })
    return {
        **card,
        "roles": {p["article"]: p.get("role") or "" for p in provenance},
        "member_rows": member_rows,
        "digest": provenance_digest(view, provenance, members),
        "signal_groups": signal_groups(view, members, provenance),
        "summary": [
            {"sentence": str(item.get("sentence", "")), "sources": view.refs(item.get("sources")),
             "voices": item.get("independent_sources")}
            for item in story.get("summary") or []
            if isinstance(item, Mapping) and item.get("sentence")
        ],
        "facts": (facts := fact_rows(view, story.get("facts") or [])),
        "echoes": echo_figures(facts),
        "quotes": [
            {"speaker": q.get("speaker") or "unattributed", "text": _clip(str(q.get("text", "")), 320),
             "reported": q.get("kind") == "reported", "sources": view.refs(q.get("sources"))}
            for q in story.get("quotes") or []
            if isinstance(q, Mapping)
        ],
        "contradictions": contradiction_rows(view, story.get("contradictions") or []),
        "timeline": timeline(view, story),
        "entities": sorted(
            (
                {"name": e.get("name", ""), "type": e.get("type", ""),
                 "variants": [v for v in e.get("variants") or [] if v != e.get("name")],
                 "sources": view.refs(e.get("sources"))}
                for e in story.get("entities") or []
                if isinstance(e, Mapping)
            ),
            key=lambda e: (not e["variants"], -len(e["sources"])),
        ),
        "alignments": [
            {"a": view.ref(al["a"]), "b": view.ref(al["b"]), "pairs": len(al.get("pairs") or []),
             "url": view.links.compare(al["a"], al["b"])}
            for al in story.get("alignments") or []
            if isinstance(al, Mapping) and al.get("a") and al.get("b")
        ],
    }


_RELATION_WORDS = {
    "copy": "copies",
    "light-edit": "lightly edits",
    "paraphrase": "rewrites",
    "translation": "translates",
}


def signal_groups(view: ReportView, members: list[str], provenance: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each quality signal of the story's articles with the articles that carry it and why, when said."""
    why: dict[tuple[str, str], str] = {}
    for p in provenance:
        for line in p.get("signal_evidence") or []:
            name, _, reason = str(line).partition(":")
            why[(p["article"], name.strip())] = with_labels(reason.strip(), view)
    groups: dict[str, list[str]] = {}
    for member in members:
        for signal in view.articles.get(member, {}).get("signals") or []:
            groups.setdefault(str(signal), []).append(member)
    return [
        {"signal": signal, "refs": view.refs(ids),
         "why": " · ".join(f"{view.labels.get(i, i)}: {why[(i, signal)]}" for i in ids if (i, signal) in why)}
        for signal, ids in sorted(groups.items())
    ]


def provenance_digest(view: ReportView, provenance: list[Mapping[str, Any]], members: list[str]) -> list[dict[str, Any]]:
    """Who is the source and who rewrites whom, as short lines a reader takes in at a glance."""
    if not provenance:
        return []
    lines = []
    children: dict[str, list[Mapping[str, Any]]] = {}
    for p in provenance:
        if p.get("derived_from"):
            children.setdefault(p["derived_from"], []).append(p)
    for p in provenance:
        if p.get("role") == "original" or (p["article"] in children and not p.get("derived_from")):
            derived = children.get(p["article"], [])
            lines.append({
                "kind": "original", "article": view.ref(p["article"]),
                "derived": [
                    {"ref": view.ref(d["article"]), "relation": d.get("relation") or "derived",
                     "verb": _RELATION_WORDS.get(d.get("relation") or "", "derives from"),
                     "shared": d.get("shared")}
                    for d in derived
                ],
            })
    independent = [p["article"] for p in provenance if p.get("role") == "independent" and p["article"] not in children]
    if independent:
        lines.append({"kind": "independent", "articles": view.refs(independent)})
    return lines


def fact_rows(view: ReportView, facts: Sequence[Any]) -> list[dict[str, Any]]:
    """Facts, most widely reported first; `echo` marks those that several articles repeat from a single voice.

    A fact shows its figure as the article wrote it (`surface`) and the sentence around it, clipped, with
    the figure marked: `context` is (before, figure, after).
    """
    rows = []
    for fact in facts:
        if not isinstance(fact, Mapping):
            continue
        sources = [s for s in fact.get("sources") or [] if isinstance(s, str)]
        voices = fact.get("independent_sources")
        value = human_value(fact.get("value"), fact.get("unit"))
        if fact.get("date"):
            value = f"{value} ({human_date(fact['date'], False)})" if value else human_date(fact["date"], False)
        text = str(fact.get("text", ""))
        surface = str(fact.get("surface") or "")
        rows.append({
            "text": text,
            "figure": surface or value or _clip(text, 60),
            "context": highlight(text, surface) if surface else (_clip(text, 160), "", ""),
            "kind": fact.get("kind") or "",
            "value": value,
            "sources": view.refs(sources),
            "voices": voices if isinstance(voices, int) else None,
            "echo": voices == 1 and len(sources) > 1,
        })
    rows.sort(key=lambda r: (-len(r["sources"]), -(r["voices"] or 0)))
    return rows


def highlight(text: str, part: str, width: int = 150) -> tuple[str, str, str]:
    """The text around the first occurrence of `part`, clipped to about `width` characters: (before, part, after)."""
    at = text.find(part) if part else -1
    if at < 0:
        return _clip(text, width), "", ""
    room = max(width - len(part), 20)
    before, after = text[:at], text[at + len(part) :]
    keep_before = min(len(before), room // 2 + max(0, room // 2 - len(after)))
    keep_after = room - keep_before
    before = before if len(before) <= keep_before else "…" + before[len(before) - keep_before :].lstrip()
    after = after if len(after) <= keep_after else after[:keep_after].rstrip() + "…"
    return before, part, after


def echo_figures(rows: list[dict[str, Any]], limit: int = 6) -> list[dict[str, Any]]:
    """The figures that most articles repeat while resting on one voice: what looks confirmed and is not."""
    return [r for r in rows if r["echo"] and r["kind"] != "date"][:limit]


def with_labels(text: str, view: ReportView) -> str:
    """Article ids in a generated explanation replaced by the short labels the page cites them by."""
    for article_id in sorted(view.articles, key=len, reverse=True):
        label = view.labels.get(article_id)
        if label and label != article_id and article_id in text:
            text = text.replace(article_id, label)
    return text


_PASSAGE_KEYS = ("passages", "claims", "evidence", "texts", "values")


def contradiction_rows(view: ReportView, contradictions: Sequence[Any]) -> list[dict[str, Any]]:
    """Each disagreement as two sides, with what each article says when the contradiction carries it."""
    rows = []
    for item in contradictions:
        if not isinstance(item, Mapping):
            continue
        said: dict[str, str] = {}
        for key in _PASSAGE_KEYS:
            value = item.get(key)
            if isinstance(value, Mapping):
                said.update({str(k): _as_text(v) for k, v in value.items()})
            elif isinstance(value, list):
                for entry in value:
                    if isinstance(entry, Mapping) and entry.get("article"):
                        said[str(entry["article"])] = _as_text(
                            entry.get("text") or entry.get("sentence") or entry.get("value") or ""
                        )

        def side(ids: Any) -> list[dict[str, Any]]:
            return [{"ref": view.ref(i), "says": said.get(i, "")} for i in ids or [] if isinstance(i, str)]

        rows.append({
            "kind": item.get("kind") or "",
            "explanation": with_labels(str(item.get("explanation") or ""), view),
            "left": side(item.get("articles")),
            "right": side(item.get("against")),
        })
    return rows


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _as_text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return " … ".join(str(v) for v in value)
    return str(value)


def timeline(view: ReportView, story: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Dated events of the story (from date facts) and when each article was published, in time order."""
    events: dict[str, dict[str, Any]] = {}
    for fact in story.get("facts") or []:
        if not isinstance(fact, Mapping) or not parse_date(fact.get("date")):
            continue
        key = f"{fact['date']}|event|{fact.get('text', '')}"
        surface = str(fact.get("surface") or "")
        events[key] = {
            "when": parse_date(fact["date"]), "date": human_date(fact["date"], False), "kind": "event",
            "text": str(fact.get("text", "")), "context": highlight(str(fact.get("text", "")), surface, 140),
            "sources": view.refs(fact.get("sources")),
        }
    for member in story.get("members") or []:
        article = view.articles.get(member, {})
        when = parse_date(article.get("published"))
        if when is None:
            continue
        ref = view.ref(member)
        events[f"{article.get('published')}|published|{member}"] = {
            "when": when, "date": human_date(article.get("published")), "kind": "published",
            "text": f"{ref.label} published" + (f": {_clip(ref.title, 90)}" if ref.title else ""), "sources": [ref],
            "context": None,
        }
    return sorted(events.values(), key=lambda e: (e["when"], e["kind"] != "event", e["text"]))


# ---------------------------------------------------------------- one article


def article_page(view: ReportView, article_id: str) -> dict[str, Any] | None:
    article = view.articles.get(article_id)
    if article is None:
        return None
    story_id = article.get("story") or view.story_of.get(article_id)
    story = view.story(story_id) if story_id else None
    provenance = next(
        (p for p in (story or {}).get("provenance") or [] if isinstance(p, Mapping) and p.get("article") == article_id),
        None,
    )
    others = []
    for al in (story or {}).get("alignments") or []:
        if not isinstance(al, Mapping):
            continue
        if al.get("a") == article_id and al.get("b"):
            others.append((al["b"], len(al.get("pairs") or [])))
        elif al.get("b") == article_id and al.get("a"):
            others.append((al["a"], len(al.get("pairs") or [])))
    return {
        "ref": view.ref(article_id),
        "article": article,
        "paragraphs": [p for p in str(article.get("text") or "").split("\n\n") if p.strip()],
        "published": human_date(article.get("published")),
        "removed": removed_groups(article),
        "original": marked_original(article),
        "story": view.card(story) if story else None,
        "provenance": {
            "role": provenance.get("role"), "relation": provenance.get("relation"), "shared": provenance.get("shared"),
            "from": view.ref(provenance["derived_from"]) if provenance.get("derived_from") else None,
        } if provenance else None,
        "compare": [{"ref": view.ref(o), "pairs": n, "url": view.links.compare(article_id, o)} for o, n in others],
    }


def removed_groups(article: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What cleaning took out, grouped by kind, in the order it appeared."""
    groups: dict[str, list[str]] = {}
    for removal in article.get("removed") or []:
        if isinstance(removal, Mapping):
            groups.setdefault(str(removal.get("kind") or "other"), []).append(str(removal.get("text") or ""))
    return [{"kind": kind, "spans": spans} for kind, spans in groups.items()]


def marked_original(article: Mapping[str, Any]) -> list[tuple[str, str | None]] | None:
    """The text before cleaning as (piece, removal kind or None), when the article carries it."""
    original = article.get("input_text")
    if not isinstance(original, str) or not original:
        return None
    spans = []
    for removal in article.get("removed") or []:
        if not isinstance(removal, Mapping):
            continue
        position, text = removal.get("position"), str(removal.get("text") or "")
        if isinstance(position, int) and text and original[position : position + len(text)] == text:
            spans.append((position, position + len(text), str(removal.get("kind") or "other")))
    pieces: list[tuple[str, str | None]] = []
    at = 0
    for start, end, kind in sorted(spans):
        if start < at:
            continue
        if start > at:
            pieces.append((original[at:start], None))
        pieces.append((original[start:end], kind))
        at = end
    if at < len(original):
        pieces.append((original[at:], None))
    return pieces


# ---------------------------------------------------------------- two articles side by side


def compare_page(view: ReportView, a: str, b: str) -> dict[str, Any] | None:
    """Two articles side by side, the passages the reuse step aligned marked in both with one number."""
    if a not in view.articles or b not in view.articles:
        return None
    alignment, flipped = None, False
    for story in view.stories:
        for al in story.get("alignments") or []:
            if not isinstance(al, Mapping):
                continue
            if al.get("a") == a and al.get("b") == b:
                alignment = al
            elif al.get("a") == b and al.get("b") == a:
                alignment, flipped = al, True
    text_a, text_b = str(view.articles[a].get("text") or ""), str(view.articles[b].get("text") or "")
    marks_a: list[tuple[int, int, int]] = []
    marks_b: list[tuple[int, int, int]] = []
    pairs = []
    for number, pair in enumerate((alignment or {}).get("pairs") or [], start=1):
        if not isinstance(pair, (list, tuple)) or len(pair) < 2:
            continue
        first, second = (pair[1], pair[0]) if flipped else (pair[0], pair[1])
        span_a, span_b = locate(text_a, first), locate(text_b, second)
        score = pair[2] if len(pair) > 2 and isinstance(pair[2], (int, float)) else None
        sentence_a = text_a[span_a[0] : span_a[1]] if span_a else _as_text(first)
        sentence_b = text_b[span_b[0] : span_b[1]] if span_b else _as_text(second)
        diff_a, diff_b = word_diff(sentence_a, sentence_b)
        pairs.append({"number": number, "score": score, "a": sentence_a, "b": sentence_b,
                      "diff_a": diff_a, "diff_b": diff_b})
        if span_a:
            marks_a.append((*span_a, number))
        if span_b:
            marks_b.append((*span_b, number))
    return {
        "a": view.ref(a), "b": view.ref(b), "pairs": pairs, "aligned": alignment is not None,
        "text_a": marked_paragraphs(text_a, marks_a), "text_b": marked_paragraphs(text_b, marks_b),
    }


_TOKEN = re.compile(r"\w+|[^\w\s]+|\s+", re.UNICODE)


def word_diff(a: str, b: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Both sentences as (piece, changed) runs: the words one has and the other does not are marked."""
    tokens_a, tokens_b = _TOKEN.findall(a), _TOKEN.findall(b)
    keys_a = [t.casefold() for t in tokens_a]
    keys_b = [t.casefold() for t in tokens_b]
    same_a, same_b = [False] * len(tokens_a), [False] * len(tokens_b)
    for block in difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            same_a[block.a + k] = True
            same_b[block.b + k] = True

    def runs(tokens: list[str], same: list[bool]) -> list[tuple[str, bool]]:
        out: list[tuple[str, bool]] = []
        for token, kept in zip(tokens, same):
            changed = not kept and not token.isspace()
            if token.isspace() and out:  # spaces join the run they sit in
                changed = out[-1][1]
            if out and out[-1][1] == changed:
                out[-1] = (out[-1][0] + token, changed)
            else:
                out.append((token, changed))
        return out

    return runs(tokens_a, same_a), runs(tokens_b, same_b)


def locate(text: str, ref: Any) -> tuple[int, int] | None:
    """Where an aligned sentence is in a text: by sentence index, by {"start","end"}, or by its words."""
    if isinstance(ref, bool):
        return None
    if isinstance(ref, int):
        sentences = split_sentences(text)
        return (sentences[ref].start, sentences[ref].end) if 0 <= ref < len(sentences) else None
    if isinstance(ref, Mapping):
        start, end = ref.get("start"), ref.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            return start, end
        return locate(text, ref.get("index", ref.get("text")))
    if isinstance(ref, str) and ref.strip():
        at = text.find(ref.strip())
        return (at, at + len(ref.strip())) if at >= 0 else None
    return None


def marked_paragraphs(text: str, marks: list[tuple[int, int, int]]) -> list[list[tuple[str, int | None]]]:
    """Paragraphs as lists of (piece, alignment number or None); overlapping marks keep the first."""
    marks = sorted(marks)
    paragraphs = []
    for match in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        p_start, p_end = match.span()
        pieces: list[tuple[str, int | None]] = []
        at = p_start
        for start, end, number in marks:
            start, end = max(start, p_start), min(end, p_end)
            if end <= start or start < at:
                continue
            if start > at:
                pieces.append((text[at:start], None))
            pieces.append((text[start:end], number))
            at = end
        if at < p_end:
            pieces.append((text[at:p_end], None))
        paragraphs.append(pieces)
    return paragraphs
