"""`recoupe show STORY --pairs`: the text a person reads to check the alignment of the seeds."""

from __future__ import annotations

from recoupe.cli import main
from recoupe.reuse import ReuseStep
from recoupe.reuse.view import story_text


def test_story_text_lists_roles_and_prints_pairs_side_by_side(seeds):
    reuse = ReuseStep().process("s1", seeds)
    story = {"id": "s1", "title": "Blinken à Bruxelles", "members": [a.id for a in seeds]}
    articles = {a.id: a for a in seeds}
    listing = story_text(story, reuse, articles)
    lines = {line.split()[0]: line for line in listing.splitlines()[1:]}
    assert "derivative of 003_396718b1c9902876 (paraphrase" in lines["001_4bb2eacd3f5803ba"]
    assert "[machine-translation]" in lines["002_7ba3b11133f5c511"]
    assert "original" in lines["003_396718b1c9902876"]
    assert "←" not in listing  # pairs only on request
    full = story_text(story, reuse, articles, pairs=True, width=2000)
    blocks = [b for b in full.split("\n\n") if "←" in b]
    assert {b.split(" ← ")[0].splitlines()[-1] for b in blocks} == {"000_943b3c53a3353b17", "001_4bb2eacd3f5803ba"}
    marked = [line for line in full.splitlines() if line.startswith("[")]
    assert len(marked) == sum(len(al["pairs"]) for al in reuse["alignments"])
    # each marked row holds the two aligned sentences, derivative left, source right
    alignment = next(al for al in reuse["alignments"] if al["a"].startswith("001"))
    i, j, _ = alignment["pairs"][0]
    left, right = articles[alignment["a"]].analysis.sentences[i].text, articles[alignment["b"]].analysis.sentences[j].text
    block = full[full.index("001_4bb2eacd3f5803ba ← "):]
    row = next(line for line in block.splitlines() if line.startswith("[1 "))
    assert left in row.split(" │ ")[0] and right in row.split(" │ ")[1]


def test_show_without_a_store_is_one_line_error(tmp_path, capsys):
    assert main(["show", "s1", "--db", str(tmp_path / "none.db"), "--pairs"]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "none.db" in err
