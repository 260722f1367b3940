"""Social-media posts embedded in an article (tweets, Instagram posts).

An embedded tweet reaches the text as its words, a pic.twitter.com or status
link, and a signature line "— Name (@handle) date". It is the speaker's own
words, not the article's prose: it becomes an `EmbeddedPost` and leaves the body.
"""

from __future__ import annotations

import re

from ..article import EmbeddedPost
from .blocks import EDGE_BLANKS, Paragraph
from .dates import find_date

_POST_LINK = re.compile(
    r"(?:https?://)?(?:pic\.(?:twitter|x)\.com/\w+|(?:www\.|mobile\.)?(?:twitter|x)\.com/(?P<user>\w{1,30})/status(?:es)?/\d+\S*|t\.co/\w+|(?:www\.)?instagram\.com/(?:p|reel)/[\w-]+/?)",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(
    r"(?:^|\s)[—–-]\s*(?P<name>[^()\n—–]{1,80}?)\s*\(\s*@(?P<handle>\w{1,30})\s*\)\s*(?P<date>[^()\n]{0,40}?)\s*$"
)
_SHARED_BY = re.compile(
    r"(?:^|\s)(?:une\s+publication\s+partag[ée]e\s+par|a\s+post\s+shared\s+by|ein\s+beitrag\s+geteilt\s+von|una\s+publicaci[óo]n\s+compartida\s+por)\s+(?P<name>[^()\n]{1,80}?)\s*\(\s*@(?P<handle>[\w.]{1,30})\s*\)\s*(?P<date>[^()\n]{0,40}?)\s*$",
    re.IGNORECASE,
)
_MAX_POST_CHARS = 600  # a post with its link; longer paragraphs are prose that quotes a post


def _platform(text: str, default: str) -> str:
    lowered = text.lower()
    if "instagram" in lowered or "publication partag" in lowered or "post shared" in lowered:
        return "instagram"
    return default


def _post(text: str, signature: re.Match[str] | None, platform: str) -> EmbeddedPost:
    link = _POST_LINK.search(text)
    url = link.group(0) if link else None
    body = _POST_LINK.sub(" ", text) if link else text
    body = " ".join(body.split()).strip(EDGE_BLANKS)
    author = name = date = None
    if signature:
        author = "@" + signature.group("handle")
        name = " ".join(signature.group("name").split()) or None
        found = find_date(signature.group("date"))
        date = found[0] if found else None
    elif link and link.groupdict().get("user"):
        author = "@" + link.group("user")
    return EmbeddedPost(text=body, author=author, name=name, date=date, url=url, platform=platform)


def _signature(text: str) -> re.Match[str] | None:
    if "@" not in text:
        return None
    return _SIGNATURE.search(text) or _SHARED_BY.search(text)


def _link(text: str) -> re.Match[str] | None:
    if ".com/" not in text and "t.co/" not in text:
        return None
    return _POST_LINK.search(text)


def mark_embeds(paragraphs: list[Paragraph]) -> list[EmbeddedPost]:
    """Mark embedded posts as removed ("embed") and return them in reading order."""
    posts: list[EmbeddedPost] = []
    kept = [p for p in paragraphs if p.kept]
    for position, paragraph in enumerate(kept):
        if not paragraph.kept:
            continue
        text = paragraph.text
        signature = _signature(text)
        if signature and len(text) <= _MAX_POST_CHARS:
            inline = text[: signature.start()].strip(EDGE_BLANKS)
            previous = kept[position - 1] if position > 0 else None
            if not inline and previous is not None and previous.kept and _post_sized(previous.text):
                previous.kind = "embed"
                paragraph.kind = "embed"
                posts.append(_post(previous.text, signature, _platform(text, "twitter")))
            else:
                paragraph.kind = "embed"
                posts.append(_post(inline, signature, _platform(text, "twitter")))
            continue
        link = _link(text)
        if link and len(text) <= _MAX_POST_CHARS and link.end() >= len(text.rstrip(EDGE_BLANKS)) - 1:
            following = kept[position + 1] if position + 1 < len(kept) else None
            if following is not None and _signature(following.text):
                continue  # the signature that follows takes this paragraph with it
            paragraph.kind = "embed"
            posts.append(_post(text, None, _platform(link.group(0), "twitter")))
    return posts


def _post_sized(text: str) -> bool:
    return bool(_link(text)) or len(text) <= 300
