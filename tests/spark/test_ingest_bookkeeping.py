"""What the in-process engine settles as it reads, settled over the whole corpus: ids met twice,
bytes read twice, lines a site repeats, texts printed twice; and the report that follows is the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from spark_helpers import RPM2, dumps, in_process_report, spark_report

SLOGAN = "Abonnez-vous à notre lettre d'information pour recevoir chaque matin l'essentiel de l'actualité régionale."


def _page(text_path: Path, slug: str) -> str:
    title, *body = [line for line in text_path.read_text(encoding="utf-8-sig").splitlines() if line.strip()]
    paragraphs = "".join(f"<p>{line}</p>" for line in body)
    return (f"<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta property='og:site_name' content='La Gazette du Val'>"
            f"<link rel='canonical' href='https://gazette-val.example/{slug}'></head>"
            f"<body><article><h1>{title}</h1>{paragraphs}<p>{SLOGAN}</p></article></body></html>")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bookkeeping")
    texts = sorted(RPM2.glob("T03_*.txt"))
    for name in ("a", "b", "c", "d", "site"):
        (root / name).mkdir()
    (root / "a" / "wire.txt").write_bytes(texts[0].read_bytes())
    (root / "b" / "wire.txt").write_bytes(texts[1].read_bytes())  # the same name: the same id, given a suffix
    (root / "c" / "again.txt").write_bytes(texts[0].read_bytes())  # the same bytes: read once
    (root / "d" / "reprint.txt").write_bytes(texts[0].read_bytes() + b"\r\n\r\n")  # the same text: a duplicate
    for number, path in enumerate(texts[2:7]):
        (root / "site" / f"page-{number}.html").write_text(_page(path, f"page-{number}"), encoding="utf-8")
    return root


def test_bookkeeping_and_report_match_the_in_process_engine(spark, corpus, tmp_path):
    inputs = [str(corpus)]
    expected = in_process_report(inputs, tmp_path / "in-process.db")
    summary, report = spark_report(spark, inputs, tmp_path / "out", tmp_path / "loaded.db")

    ids = [a["id"] for a in report["articles"]]
    assert summary.skipped == 1 and "again" not in ids
    assert summary.renamed == 1 and ids[0] == "wire" and ids[1].startswith("wire-") and len(ids[1]) == len("wire-") + 8
    assert report["duplicates"] == [{"article": "reprint", "duplicate_of": "wire"}]
    furniture = {a["id"]: [r["text"] for r in a["removed"] if r["kind"] == "furniture"] for a in report["articles"]}
    # the site's slogan is furniture from its third article on, not before
    assert [SLOGAN in furniture[f"page-{n}"] for n in range(5)] == [False, False, True, True, True]
    assert dumps(report) == dumps(expected)
