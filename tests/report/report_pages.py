"""Reading rendered pages back: elements, attributes and text, with the standard library's HTML parser."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list["Element"] = field(default_factory=list)
    content: list["str | Element"] = field(default_factory=list)  # text and children in document order

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list["Element"]:
        found = []
        for child in self.children:
            if (tag is None or child.tag == tag) and (cls is None or cls in child.attrs.get("class", "").split()):
                found.append(child)
            found.extend(child.find_all(tag, cls))
        return found

    def by_id(self, identifier: str) -> "Element":
        for element in self.find_all():
            if element.attrs.get("id") == identifier:
                return element
        raise KeyError(identifier)

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(c if isinstance(c, str) else c.all_text for c in self.content).split())


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        self.stack[-1].content.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        self.stack[-1].content.append(element)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].content.append(data)


def parse(html: str) -> Element:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def assert_inert(html: str) -> None:
    """No script element, no event-handler attribute, no javascript: link anywhere in the page."""
    root = parse(html)
    for element in root.find_all():
        assert element.tag not in {"script", "iframe", "object", "embed", "base"}, element
        for name, value in element.attrs.items():
            assert not name.lower().startswith("on"), (element.tag, name, value)
            if name in {"href", "src", "action", "xlink:href"}:
                assert not value.strip().lower().startswith(("javascript:", "data:text/html")), (name, value)
