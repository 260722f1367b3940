"""The provenance graph: a well-formed SVG, originals above what derives from them, edges named by relation."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from report_hostile import HOSTILE
from recoupe.report.svg import Node, draw, story_graph
from recoupe.report.view import ReportView, StaticLinks

NS = {"svg": "http://www.w3.org/2000/svg"}


def _nodes(svg_text: str) -> dict[str, tuple[str, float]]:
    """article id -> (role, y of its box)."""
    root = ET.fromstring(svg_text)
    found = {}
    for group in root.iter("{http://www.w3.org/2000/svg}g"):
        if group.get("class") == "node":
            rect = group.find("svg:rect", NS)
            found[group.get("data-article")] = (group.get("data-role"), float(rect.get("y")))
    return found


def _edge_labels(svg_text: str) -> list[str]:
    root = ET.fromstring(svg_text)
    return [
        "".join(g.find("svg:text", NS).itertext())
        for g in root.iter("{http://www.w3.org/2000/svg}g")
        if g.get("class") == "edge-label"
    ]


def test_seed_graph_puts_the_wire_on_top_and_its_rewrites_below(seeds_report):
    story = seeds_report["stories"][0]
    view = ReportView(seeds_report, StaticLinks(1))
    svg_text = story_graph(story, {m: view.ref(m) for m in story["members"]})
    nodes = _nodes(svg_text)
    by_label = {k[:3]: v for k, v in nodes.items()}
    assert by_label["003"][0] == "original"
    assert by_label["000"][0] == by_label["001"][0] == "derivative"
    assert by_label["002"][0] == by_label["004"][0] == "independent"
    assert by_label["003"][1] < by_label["000"][1] and by_label["000"][1] == by_label["001"][1]
    assert by_label["002"][1] == by_label["003"][1], "independent voices are roots too"
    assert _edge_labels(svg_text) == ["paraphrase · 50% shared"] * 2
    edges = [p for p in ET.fromstring(svg_text).iter("{http://www.w3.org/2000/svg}path") if p.get("class") == "edge"]
    assert [e.get("data-relation") for e in edges] == ["paraphrase", "paraphrase"]
    links = [a.get("href") for a in ET.fromstring(svg_text).iter("{http://www.w3.org/2000/svg}a")]
    assert sorted(links) == sorted(f"../articles/{m}.html" for m in story["members"])


def test_a_chain_of_copies_goes_one_row_down_per_generation():
    nodes = [
        Node("c", "c", role="derivative", parent="b", relation="copy"),
        Node("a", "a", role="original"),
        Node("b", "b", role="derivative", parent="a", relation="translation", shared=0.9),
        Node("z", "z", role="independent"),
    ]
    svg_text = draw(nodes)
    found = _nodes(svg_text)
    assert found["a"][1] < found["b"][1] < found["c"][1]
    assert sorted(_edge_labels(svg_text)) == ["copy", "translation · 90% shared"]


def test_a_derivation_cycle_and_a_missing_parent_still_draw_every_node():
    nodes = [
        Node("a", "a", role="derivative", parent="b", relation="copy"),
        Node("b", "b", role="derivative", parent="a", relation="copy"),
        Node("c", "c", role="derivative", parent="not-in-story", relation="copy"),
        Node("d", "d", role="derivative", parent="d", relation="copy"),
    ]
    found = _nodes(draw(nodes))
    assert set(found) == {"a", "b", "c", "d"}


def test_an_empty_story_draws_an_empty_graph():
    root = ET.fromstring(draw([]))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_labels_and_links_are_escaped():
    nodes = [
        Node(HOSTILE, HOSTILE, detail=HOSTILE, role="original", url='x" onload="alert(1)', tooltip=HOSTILE),
        Node("b", HOSTILE, role=HOSTILE, parent=HOSTILE, relation=HOSTILE),
    ]
    svg_text = draw(nodes, title=HOSTILE)
    root = ET.fromstring(svg_text)  # well-formed whatever the labels hold
    for element in root.iter():
        assert not element.tag.endswith("script")
        assert not any(name.lower().startswith("on") for name in element.attrib)
    assert HOSTILE in "".join(root.find("svg:title", NS).itertext())


def test_many_independent_articles_wrap_into_bands_instead_of_one_wide_row():
    nodes = [Node("wire", "wire", role="original")]
    nodes += [Node(f"copy{i}", f"copy{i}", role="derivative", parent="wire", relation="copy") for i in range(3)]
    nodes += [Node(f"ind{i:02}", f"ind{i:02}", role="independent") for i in range(14)]
    svg_text = draw(nodes)
    root = ET.fromstring(svg_text)
    found = _nodes(svg_text)
    rows = sorted({y for _, y in found.values()})
    assert len(rows) >= 3, "the tree takes two rows, the independent articles wrap below"
    width = float(root.get("width"))
    assert width < 7 * 170, "no wider than six boxes"
    assert found["wire"][1] == rows[0] and all(found[f"copy{i}"][1] == rows[1] for i in range(3))
    xs = [float(g.find("svg:rect", NS).get("x")) for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "node"]
    assert min(xs) >= 0 and max(xs) + 150 <= width
