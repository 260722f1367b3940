"""The web app: the report's pages built live from the store, search and filters, and a JSON API.

A thin layer: the store gives the report dict (the same one `report.json`
holds), the report package turns it into pages. Article text is untrusted,
so templates escape it and every response carries a content security policy
that allows nothing but this site's own style sheet (no script is needed).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import astuple
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import RecoupeError
from ..report.html import ASSETS, PageRenderer, asset, environment
from ..report.view import WebLinks
from . import models
from .filters import Filters, IsoDay, Paging, choices
from .guard import SECURITY_HEADERS, Guard
from .pages import RenderedPages
from .source import ReportSource, StoreReport

__all__ = ["SECURITY_HEADERS", "create_app"]

STORIES_PER_PAGE = 100
MAX_STORIES_PER_PAGE = 1000


def create_app(
    db_path: str | Path | None = None,
    *,
    source: ReportSource | Callable[[], Mapping[str, Any]] | None = None,
    token: str | None = None,
    allowed_hosts: Iterable[str] | None = None,
) -> FastAPI:
    """The app over the store at `db_path` (or over `source`, anything that gives a report dict).

    `token`: every request must carry it (see guard.py); `allowed_hosts`: the
    host names requests may be addressed to (None: any). The app only reads.
    """
    if source is None:
        if db_path is None:
            raise ValueError("create_app needs a store path or a report source")
        source = StoreReport(db_path)
    elif callable(source) and not hasattr(source, "report"):
        loader = source
        source = _CallableSource(loader)
    reports: ReportSource = source  # type: ignore[assignment]

    app = FastAPI(
        title="recoupe",
        summary="News stories, who copied whom, and what the sources say.",
        version="1",
        docs_url=None,  # the interactive docs load scripts from elsewhere; the schema is at /openapi.json
        redoc_url=None,
    )
    env = environment()
    links = WebLinks()

    app.add_middleware(Guard, token=token, allowed_hosts=allowed_hosts)

    pages_built = RenderedPages(reports.report, lambda report: PageRenderer(report, links, env))
    renderer = pages_built.renderer

    def filters_of(q, language, source_, signal, date_from, date_to) -> Filters:
        return Filters(q=q or "", language=language or "", source=source_ or "", signal=signal or "",
                       date_from=date_from, date_to=date_to)

    def page(html: str | None, what: str, status: int = 200) -> HTMLResponse:
        if html is None:
            raise HTTPException(404, f"no {what}")
        return HTMLResponse(html, status_code=status)

    # ------------------------------------------------------------ pages

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(
        q: str = "", language: str = "", source: str = "", signal: str = "",
        date_from: IsoDay | None = None, date_to: IsoDay | None = None,
        page_number: int = Query(1, alias="page", ge=1, le=1_000_000),
    ) -> HTMLResponse:
        wanted = filters_of(q, language, source, signal, date_from, date_to)

        def build(pages: PageRenderer) -> str:
            view = pages.view
            cards = [c for c in view.story_cards() if wanted.story_matches(view.story(c["id"]), view.articles)]
            ids = [i for i, a in view.articles.items() if wanted.article_matches(a)]
            paging = Paging.of(page_number, len(cards), len(ids), wanted)
            return pages.index(filters=wanted, choices=choices(view.articles.values()),
                               cards=paging.slice_stories(cards), rows=view.article_rows(paging.slice_articles(ids)),
                               paging=paging)

        return page(pages_built.get(("index", astuple(wanted), page_number), build), "index")

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str) -> HTMLResponse:
        return page(pages_built.get(("story", story_id), lambda pages: pages.story(story_id)), "story")

    @app.get("/stories/{story_id}/graph.svg", include_in_schema=False)
    def story_graph(story_id: str) -> Response:
        drawing = pages_built.get(("graph", story_id), lambda pages: pages.graph(story_id))
        if drawing is None:
            raise HTTPException(404, "no story")
        return Response(drawing, media_type="image/svg+xml")

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: str, compare: str | None = None) -> HTMLResponse:
        base = renderer()
        if article_id not in base.view.raw_articles:
            raise HTTPException(404, "no article")
        report = reports.report(with_input_text=article_id)
        entry = next((a for a in report.get("articles", []) if a.get("id") == article_id), None)
        pages = PageRenderer(report, links, env, view=base.view.with_article(entry) if entry else base.view)
        if compare:
            return page(pages.compare(article_id, compare), "article")
        return page(pages.article(article_id), "article")

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name not in ASSETS:
            raise HTTPException(404, "no such file")
        kind = "text/css" if name.endswith(".css") else "image/svg+xml"
        return Response(asset(name), media_type=kind, headers={"Cache-Control": "max-age=300"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(asset("favicon.svg"), media_type="image/svg+xml")

    # ------------------------------------------------------------ JSON API

    @app.get("/api/stories", response_model=list[models.StoryCard], tags=["stories"])
    def api_stories(
        q: str = Query("", description="words that must all appear (case and accents ignored)"),
        language: str = Query("", description="keep stories with an article in this language"),
        source: str = Query("", description="keep stories with an article from this source"),
        signal: str = Query("", description="keep stories with an article carrying this signal"),
        date_from: IsoDay | None = Query(None, description="published on or after (YYYY-MM-DD)"),
        date_to: IsoDay | None = Query(None, description="published on or before (YYYY-MM-DD)"),
        limit: int = Query(STORIES_PER_PAGE, ge=1, le=MAX_STORIES_PER_PAGE, description="stories per answer"),
        offset: int = Query(0, ge=0, description="stories to pass over (the answer's X-Total-Count says how many match)"),
    ) -> Response:
        """Stories, newest and biggest first, with their counts of sources and independent voices, a page at a time."""
        wanted = filters_of(q, language, source, signal, date_from, date_to)

        def matching(pages: PageRenderer) -> list[dict[str, Any]]:
            view = pages.view
            return [{key: card[key] for key in models.StoryCard.model_fields} for card in view.story_cards()
                    if wanted.story_matches(view.story(card["id"]), view.articles)]

        def answer(pages: PageRenderer) -> tuple[bytes, int]:
            cards = pages_built.get(("cards", astuple(wanted)), matching)
            return json.dumps(cards[offset:offset + limit], ensure_ascii=False).encode(), len(cards)

        body, total = pages_built.get(("api-stories", astuple(wanted), limit, offset), answer)
        return Response(body, media_type="application/json", headers={"X-Total-Count": str(total)})

    @app.get("/api/stories/{story_id}", response_model=models.Story, response_model_exclude_unset=True, tags=["stories"],
             responses={404: {"model": models.Problem}})
    def api_story(story_id: str) -> Any:
        """One story as the report contract has it: members, provenance, facts, contradictions, summary."""
        story = renderer().view.raw_stories.get(story_id)
        if story is None:
            return JSONResponse({"detail": f"no story {story_id!r}"}, status_code=404)
        return story

    @app.get("/api/articles/{article_id:path}", response_model=models.ArticleOut, response_model_exclude_unset=True,
             tags=["articles"],
             responses={404: {"model": models.Problem}})
    def api_article(article_id: str) -> Any:
        """One article: metadata, cleaned text, what cleaning removed, signals, its story."""
        article = renderer().view.raw_articles.get(article_id)
        if article is None:
            return JSONResponse({"detail": f"no article {article_id!r}"}, status_code=404)
        return article

    @app.exception_handler(StarletteHTTPException)
    async def not_found(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        html = env.get_template("error.html").render(links=links, filters=None, status=exc.status_code,
                                                     message=str(exc.detail))
        return HTMLResponse(html, status_code=exc.status_code)

    @app.exception_handler(RecoupeError)
    async def store_unavailable(request: Request, exc: RecoupeError):
        """The store cannot be read just now (being created by a run, or replaced): try again shortly."""
        message = f"the store cannot be read just now: {exc}"
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": message}, status_code=503, headers={"Retry-After": "1"})
        html = env.get_template("error.html").render(links=links, filters=None, status=503, message=message)
        return HTMLResponse(html, status_code=503, headers={"Retry-After": "1"})

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception):
        # answered outside the middleware stack, so the security headers are set here
        return PlainTextResponse("500: internal error\n", status_code=500, headers=SECURITY_HEADERS)

    return app


class _CallableSource:
    """A report source over a function that returns the report dict."""

    def __init__(self, loader: Callable[[], Mapping[str, Any]]):
        self.loader = loader

    def report(self, with_input_text: str | None = None) -> Mapping[str, Any]:
        return self.loader()
