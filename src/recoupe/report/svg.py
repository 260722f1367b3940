"""The provenance graph of a story as a hand-written SVG: originals on top, what derives from them below.

No script and no style sheet: the drawing uses presentation attributes only,
so it reads the same inline in a page, under a strict content security
policy, or opened alone as a file. Every label is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

NODE_WIDTH = 150
NODE_HEIGHT = 54
H_GAP = 18
V_GAP = 64
MARGIN = 16
LEGEND_HEIGHT = 30
MAX_COLUMNS = 6  # trees side by side before a new band starts below
CHAR_WIDTH = 6.6  # average width of a 12 px sans-serif character

ROLE_COLOURS = {
    "original": ("#fff3d1", "#b7791f"),
    "derivative": ("#e8edff", "#4c51bf"),
    "independent": ("#e6f6ec", "#2f855a"),
    "unknown": ("#f1f1f1", "#888888"),
}


@dataclass
class Node:
    id: str
    label: str  # short: "003"
    detail: str = ""  # site, agency or title
    role: str = "unknown"
    url: str | None = None
    tooltip: str = ""
    parent: str | None = None
    relation: str = ""
    shared: float | None = None
    children: list["Node"] = field(default_factory=list)
    x: float = 0.0
    y: float = 0.0


def _fit(text: str, width: float, char_width: float = CHAR_WIDTH) -> str:
    limit = max(int(width / char_width), 4)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _attr(value: Any) -> str:
    return quoteattr(str(value))


def _layout(nodes: dict[str, Node], max_columns: int = MAX_COLUMNS) -> tuple[int, int]:
    """Tidy trees packed in bands: a parent centred over its children, trees side by side up to `max_columns`.

    Each root and its descendants get their own columns; the biggest trees come first; a band full of
    trees starts another below it, so a story of many independent articles stays readable. Sets each
    node's column (x) and row (y) in slot units and returns the number of columns and rows.
    """
    for node in nodes.values():
        if node.parent in nodes and node.parent != node.id:
            nodes[node.parent].children.append(node)
    order = {"original": 0, "derivative": 1, "independent": 2, "unknown": 3}

    def size(node: Node, seen: frozenset[str]) -> int:
        return 1 + sum(size(c, seen | {node.id}) for c in node.children if c.id not in seen)

    roots = [n for n in nodes.values() if n.parent not in nodes or n.parent == n.id]
    roots.sort(key=lambda n: (-size(n, frozenset()), order.get(n.role, 3), n.label))
    placed: set[str] = set()

    def place(node: Node, depth: int, column: list[int], members: list[Node]) -> None:
        """Local layout of one tree: leaves take the next column, parents sit over their children."""
        placed.add(node.id)
        members.append(node)
        children = [c for c in sorted(node.children, key=lambda c: c.label) if c.id not in placed]
        for child in children:
            placed.add(child.id)
        if not children:
            node.x, node.y = column[0], depth
            column[0] += 1
            return
        for child in children:
            place(child, depth + 1, column, members)
        node.x, node.y = (children[0].x + children[-1].x) / 2, depth

    trees: list[tuple[list[Node], int, int]] = []  # members, columns, rows
    for root in roots:
        members: list[Node] = []
        column = [0]
        place(root, 0, column, members)
        trees.append((members, column[0], 1 + max(int(m.y) for m in members)))
    for node in nodes.values():  # derivation cycles have no root: each drawn alone
        if node.id not in placed:
            node.x, node.y = 0, 0
            trees.append(([node], 1, 1))

    bands: list[list[tuple[list[Node], int, int]]] = []
    for tree in trees:
        if bands and sum(t[1] for t in bands[-1]) + tree[1] <= max_columns:
            bands[-1].append(tree)
        else:
            bands.append([tree])
    columns = max((sum(t[1] for t in band) for band in bands), default=1)
    top = 0
    for band in bands:
        width = sum(t[1] for t in band)
        left = (columns - width) / 2
        for members, tree_columns, _ in band:
            for m in members:
                m.x += left
                m.y += top
            left += tree_columns
        top += max(t[2] for t in band)
    return max(columns, 1), max(top, 1)


def draw(nodes: Sequence[Node], title: str = "Provenance graph") -> str:
    """An SVG document: one box per article, an arrow from each source to what derives from it."""
    by_id = {n.id: n for n in nodes}
    columns, rows = _layout(by_id)
    content = columns * NODE_WIDTH + (columns - 1) * H_GAP
    width = max(content + 2 * MARGIN, 360)
    height = rows * NODE_HEIGHT + (rows - 1) * V_GAP + 2 * MARGIN + LEGEND_HEIGHT
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        f' role="img" aria-label={_attr(title)} font-family="system-ui, -apple-system, Segoe UI, sans-serif"'
        ' font-size="12" class="provenance-graph">',
        f"<title>{escape(title)}</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7"'
        ' orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>',
    ]
    left = MARGIN + (width - 2 * MARGIN - content) / 2
    for node in nodes:
        node.x = left + node.x * (NODE_WIDTH + H_GAP)
        node.y = MARGIN + node.y * (NODE_HEIGHT + V_GAP)
    edges, labels = [], []
    for node in nodes:
        parent = by_id.get(node.parent or "")
        if parent is None or parent is node:
            continue
        x1, y1 = parent.x + NODE_WIDTH / 2, parent.y + NODE_HEIGHT
        x2, y2 = node.x + NODE_WIDTH / 2, node.y
        if y2 <= y1:  # a cycle or a same-row link: draw it straight
            y1, y2 = parent.y + NODE_HEIGHT / 2, node.y + NODE_HEIGHT / 2
            x1 = parent.x + (NODE_WIDTH if parent.x < node.x else 0)
            x2 = node.x + (0 if parent.x < node.x else NODE_WIDTH)
        middle = (y1 + y2) / 2
        edges.append(
            f'<path d="M {x1:.1f} {y1:.1f} C {x1:.1f} {middle:.1f}, {x2:.1f} {middle:.1f}, {x2:.1f} {y2:.1f}"'
            ' fill="none" stroke="#555" stroke-width="1.6" marker-end="url(#arrow)"'
            f' class="edge" data-relation={_attr(node.relation or "derived")}/>'
        )
        text = node.relation or "derived"
        if isinstance(node.shared, (int, float)) and not isinstance(node.shared, bool):
            text += f" · {round(node.shared * 100)}% shared"
        label_width = len(text) * CHAR_WIDTH + 12
        lx, ly = x2, y2 - 22  # just above the derivative: labels of siblings never overlap
        labels.append(
            f'<g class="edge-label"><rect x="{lx - label_width / 2:.1f}" y="{ly - 10:.1f}" width="{label_width:.1f}"'
            f' height="19" rx="9" fill="#ffffff" stroke="#bbbbbb"/>'
            f'<text x="{lx:.1f}" y="{ly + 4:.1f}" text-anchor="middle" fill="#333">{escape(text)}</text></g>'
        )
    out.extend(edges)
    for node in nodes:
        fill, stroke = ROLE_COLOURS.get(node.role, ROLE_COLOURS["unknown"])
        role_room = len(node.role) * 6.4 + 14
        shows_role = len(node.label) * 9.4 <= NODE_WIDTH - 20 - role_room  # a long label takes the role's place
        label_room = NODE_WIDTH - 20 - (role_room if shows_role else 0)
        role_text = (
            f'<text x="{node.x + NODE_WIDTH - 10:.1f}" y="{node.y + 19:.1f}" text-anchor="end" font-size="11"'
            f' fill="{stroke}" font-weight="600">{escape(node.role)}</text>'
            if shows_role else ""
        )
        box = [
            f'<g class="node" data-article={_attr(node.id)} data-role={_attr(node.role)}>',
            f"<title>{escape(node.tooltip or node.id)}</title>",
            f'<rect x="{node.x:.1f}" y="{node.y:.1f}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="8"'
            f' fill="{fill}" stroke="{stroke}" stroke-width="{2.4 if node.role == "original" else 1.4}"/>',
            f'<text x="{node.x + 10:.1f}" y="{node.y + 20:.1f}" font-weight="700" font-size="16" fill="#111">'
            f"{escape(_fit(node.label, label_room, 9.4))}</text>",
            role_text,
            f'<text x="{node.x + 10:.1f}" y="{node.y + 42:.1f}" fill="#333">'
            f"{escape(_fit(node.detail, NODE_WIDTH - 20))}</text>",
            "</g>",
        ]
        if node.url:
            box = [f"<a href={_attr(node.url)}>", *box, "</a>"]
        out.extend(box)
    out.extend(labels)
    legend_y = height - LEGEND_HEIGHT + 12
    x = MARGIN
    for role in ("original", "derivative", "independent"):
        fill, stroke = ROLE_COLOURS[role]
        out.append(
            f'<rect x="{x}" y="{legend_y}" width="14" height="12" rx="3" fill="{fill}" stroke="{stroke}"/>'
            f'<text x="{x + 20}" y="{legend_y + 10}" fill="#444" font-size="11">{role}</text>'
        )
        x += 110
    out.append("</svg>")
    return "\n".join(out)


def story_graph(story: Mapping[str, Any], refs: Mapping[str, Any]) -> str:
    """The graph of one story; `refs` maps article ids to objects with label, site, title, url."""
    entries = {p["article"]: p for p in story.get("provenance") or [] if isinstance(p, Mapping) and p.get("article")}
    members = list(dict.fromkeys([*(story.get("members") or []), *entries]))
    nodes = []
    for member in members:
        entry = entries.get(member, {})
        ref = refs.get(member)
        role = entry.get("role") or ("derivative" if entry.get("derived_from") else "unknown")
        nodes.append(
            Node(
                id=member,
                label=getattr(ref, "label", member),
                detail=getattr(ref, "site", "") or getattr(ref, "title", ""),
                role=role if role in ROLE_COLOURS else "unknown",
                url=getattr(ref, "url", None),
                tooltip=" · ".join(x for x in (member, getattr(ref, "title", ""), getattr(ref, "site", "")) if x),
                parent=entry.get("derived_from"),
                relation=entry.get("relation") or "",
                shared=entry.get("shared"),
            )
        )
    return draw(nodes, f"Provenance of {story.get('title') or story.get('id', 'the story')}")
