"""Pages from a report whose sections hold anything at all: rendered, inert, never a crash.

The report is a file other tools may write; a section of an unexpected shape
is skipped or shown as text, never the end of the page.
"""

from __future__ import annotations

import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from report_hostile import HOSTILE
from report_pages import assert_inert
from recoupe.report.html import write_site
from recoupe.report.markdown import write_markdown

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20),
                    st.just(HOSTILE), st.sampled_from(["a1", "a2", "2024-11-05", "original", "derivative"]))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(
        ["article", "role", "derived_from", "relation", "shared", "sources", "text", "value", "unit", "date",
         "independent_sources", "sentence", "speaker", "kind", "articles", "against", "explanation", "a", "b",
         "pairs", "name", "variants", "surface", "rank", "signal_evidence", "passages"]), inner, max_size=6)),
    max_leaves=20)
sections = ["provenance", "alignments", "facts", "entities", "quotes", "contradictions", "summary", "title"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({}, optional={k: json_values for k in sections}))
def test_any_section_shape_renders(story_fields):
    story = {"id": "s1", "members": ["a1", "a2"], **story_fields}
    report = {
        "articles": [{"id": "a1", "title": "Un", "text": "Premier texte."},
                     {"id": "a2", "text": "Second texte.", "published": "2024-11-13", "signals": ["x"]}],
        "stories": [story],
    }
    with tempfile.TemporaryDirectory() as out:
        written = write_site(report, out) + write_markdown(report, out)
        for path in written:
            if path.suffix == ".html":
                assert_inert(path.read_text(encoding="utf-8"))
