"""HTML pages of a report: an index of stories, one page per story, per article and per aligned pair.

The pages come from Jinja2 templates with autoescape on, so article text (which
is untrusted) is always escaped; the only markup inserted as is, the
provenance graph, is built by `svg.py`, which escapes every label itself.
`write_site` writes a static site that opens from the file system with no
server and no network; the web app renders the same templates live.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

try:
    from jinja2 import Environment, PackageLoader, StrictUndefined, Undefined
    from markupsafe import Markup
except ImportError:  # pages need jinja2; the rest of the engine does not
    Environment = None  # type: ignore[assignment,misc]

from ..errors import MissingDependency
from . import svg
from .view import ReportView, StaticLinks, article_page, compare_page, file_stem, story_page

STYLE_SHEET = "style.css"
ASSETS = (STYLE_SHEET, "favicon.svg")  # files of the templates folder that pages link to


def environment(strict: bool = False) -> "Environment":
    """The one Jinja2 environment of the pages: autoescape always on, whatever the template's name."""
    if Environment is None:
        raise MissingDependency("HTML pages", "web")
    return Environment(
        loader=PackageLoader("recoupe", "report/templates"),
        autoescape=True,
        undefined=StrictUndefined if strict else Undefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def asset(name: str) -> str:
    """The text of a style sheet or icon the pages link to."""
    if name not in ASSETS:
        raise KeyError(name)
    return resources.files("recoupe").joinpath("report/templates", name).read_text(encoding="utf-8")


def style_sheet() -> str:
    return asset(STYLE_SHEET)


class PageRenderer:
    """Renders pages of one report with one kind of links (static files or web routes)."""

    def __init__(self, report: Mapping[str, Any], links: Any, env: "Environment | None" = None,
                 view: ReportView | None = None):
        self.view = view if view is not None else ReportView(report, links)
        self.links = links
        self.env = env or environment()

    def _render(self, template: str, **context: Any) -> str:
        context.setdefault("links", self.links)
        context.setdefault("filters", None)
        return self.env.get_template(template).render(**context)

    def index(self, filters: Any = None, choices: Any = None, cards=None, rows=None, paging: Any = None) -> str:
        cards = self.view.story_cards() if cards is None else cards
        rows = self.view.article_rows() if rows is None else rows
        return self._render(
            "index.html",
            cards=cards,
            rows=rows,
            paging=paging,
            story_total=paging.stories if paging else len(cards),
            article_total=paging.articles if paging else len(rows),
            run=self.view.report.get("run") if isinstance(self.view.report.get("run"), Mapping) else None,
            filters=filters,
            choices=choices,
        )

    def story(self, story_id: str) -> str | None:
        story = self.view.story(story_id)
        if story is None:
            return None
        page = story_page(self.view, story)
        refs = {r["ref"].id: r["ref"] for r in page["member_rows"]}
        graph = Markup(svg.story_graph(story, refs))  # svg.py escapes every label and attribute
        return self._render(
            "story.html", s=page, roles=page["roles"], member_rows=page["member_rows"], graph=graph,
            markdown_url=self.links.markdown(story_id),
        )

    def article(self, article_id: str) -> str | None:
        page = article_page(self.view, article_id)
        return None if page is None else self._render("article.html", a=page)

    def compare(self, a: str, b: str) -> str | None:
        page = compare_page(self.view, a, b)
        return None if page is None else self._render("compare.html", c=page)

    def graph(self, story_id: str) -> str | None:
        story = self.view.story(story_id)
        if story is None:
            return None
        refs = {m: self.view.ref(m) for m in story.get("members") or []}
        return svg.story_graph(story, refs)


def _write(path: Path, text: str) -> None:
    """Write through a temporary file so a reader never sees half a page."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_site(report: Mapping[str, Any], out_dir: str | Path) -> list[Path]:
    """Writes index.html, stories/, articles/, compare/ and assets/ under `out_dir`; returns the paths written."""
    out = Path(out_dir)
    written: list[Path] = []
    env = environment()

    def put(relative: str, text: str) -> None:
        path = out / relative
        _write(path, text)
        written.append(path)

    for name in ASSETS:
        put(f"assets/{name}", asset(name))
    put("index.html", PageRenderer(report, StaticLinks(0), env).index())
    nested = PageRenderer(report, StaticLinks(1), env)
    for story in nested.view.stories:
        stem = file_stem(story["id"])
        put(f"stories/{stem}.html", nested.story(story["id"]) or "")
        put(f"stories/{stem}.svg", nested.graph(story["id"]) or "")
    for article_id in nested.view.articles:
        put(f"articles/{file_stem(article_id)}.html", nested.article(article_id) or "")
    pairs = {
        (al["a"], al["b"])
        for story in nested.view.stories
        for al in story.get("alignments") or []
        if isinstance(al, Mapping) and al.get("a") in nested.view.articles and al.get("b") in nested.view.articles
    }
    for a, b in sorted(pairs):
        put(f"compare/{file_stem(a)}__{file_stem(b)}.html", nested.compare(a, b) or "")
        put(f"compare/{file_stem(b)}__{file_stem(a)}.html", nested.compare(b, a) or "")
    return written
