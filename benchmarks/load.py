"""Load on the web UI: `recoupe serve` over a store of 10,000 articles, wrk on loopback.

    python benchmarks/run.py load [--articles 10000] [--per-story 5] [--seconds 30] [--connections 32]
                                  [--threads 2] [--db PATH]

The store is built through the Store API from real sentences (rpm2-dev, the
seeds, the SemEval sample), with stories of `per_story` articles and results
in every section, so the pages and the API show what they show after a run;
building it this way takes seconds where the engine would take hours. Then
`recoupe serve` runs in its own process and wrk (Debian's `wrk` package:
`sudo apt-get install wrk`) loads /api/stories, then one story page, for
`seconds` each. Reported per target: requests per second, latency at the
50th and 99th percentiles (ms), and errors (socket errors and non-2xx answers).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import sentence_pools

WRK_INSTALL = "wrk is needed: sudo apt-get install wrk (Debian's package)"


def build_store(path: Path, articles: int, per_story: int) -> dict:
    """A store of `articles` articles in stories of `per_story`, each story with every section filled."""
    from recoupe.article import Article
    from recoupe.store import Store

    sentences = sentence_pools()["fr"]
    started = time.perf_counter()
    with Store(path) as store, store.transaction():
        members: list[str] = []
        for number in range(articles):
            picked = [sentences[(number * 7 + k * 13) % len(sentences)] for k in range(9)]
            body = "\n\n".join(" ".join(picked[k:k + 3]) for k in range(0, 9, 3))
            title = picked[0][:90]
            article = Article(id=f"a{number:05d}", source=f"corpus/a{number:05d}.txt",
                              raw=f"a{number:05d}\n{title}\n\n{body}".encode(), title=title, text=body, input_text=f"{title}\n\n{body}",
                              language="fr", site=f"site{number % 40}.example",
                              published=f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}T10:00:00",
                              read_at="2024-12-31T00:00:00")
            store.put_article(article)
            story_id = f"s{number // per_story + 1}"
            store.set_story(article.id, story_id, title)
            members.append(article.id)
            if len(members) == per_story or number == articles - 1:
                for step, result in _results(members, picked).items():
                    store.put_story_result(story_id, step, result)
                store.set_story_clean(story_id)
                members = []
    return {"articles": articles, "stories": -(-articles // per_story), "build_seconds": round(time.perf_counter() - started, 1)}


def _results(members: list[str], sentences: list[str]) -> dict[str, dict]:
    first = members[0]
    return {
        "reuse": {
            "provenance": [{"article": first, "role": "original"}]
            + [{"article": m, "role": "derivative", "derived_from": first, "relation": "light-edit", "shared": 0.8}
               for m in members[1:]],
            "alignments": [{"a": m, "b": first, "pairs": [[sentences[1], sentences[1], 0.93]]} for m in members[1:]],
        },
        "facts": {
            "facts": [{"text": s[:120], "kind": "count", "value": float(i + 2), "unit": "", "date": None,
                       "sources": members, "independent_sources": 1} for i, s in enumerate(sentences[2:5])],
            "quotes": [{"speaker": "Une porte-parole", "text": sentences[5][:150], "sources": members[:2]}],
            "contradictions": [],
        },
        "summary": {"summary": [{"sentence": s, "sources": members} for s in sentences[:3]]},
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(db: Path, port: int, log: Path) -> subprocess.Popen:
    repo = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(repo / "src")}
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "recoupe", "serve", "--db", str(db), "--port", str(port)],
                                   stdin=subprocess.DEVNULL, stdout=out, stderr=out, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"recoupe serve exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("recoupe serve did not start")


_LATENCY = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_wrk(output: str) -> dict:
    """Requests/s, p50 and p99 latency (ms), requests and errors from wrk's --latency output."""
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    done = re.search(r"(\d+) requests in", output)
    latencies = {f"p{m.group(1)}_ms": round(float(m.group(2)) * _UNIT_MS[m.group(3)], 2) for m in _LATENCY.finditer(output)}
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = (sum(int(x) for x in socket_errors.groups()) if socket_errors else 0) + (int(non_2xx.group(1)) if non_2xx else 0)
    return {"requests_per_second": float(rate.group(1)) if rate else 0.0, **latencies,
            "requests": int(done.group(1)) if done else 0, "errors": errors}


def wrk(url: str, seconds: int, connections: int, threads: int) -> dict:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s", url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed: {done.stderr.strip()}")
    return parse_wrk(done.stdout)


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="run.py load", description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--per-story", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--db", type=Path, default=None, help="keep the store here (default: a temporary folder)")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit(WRK_INSTALL)

    folder = Path(tempfile.mkdtemp(prefix="recoupe-load-"))
    db = args.db or folder / "load.db"
    try:
        built = build_store(db, args.articles, args.per_story) if not db.exists() else {"articles": args.articles}
        port = _free_port()
        server = _serve(db, port, folder / "serve.log")
        try:
            base = f"http://127.0.0.1:{port}"
            import urllib.request

            for path in ("/api/stories", "/stories/s1", "/"):  # the first request builds the report
                urllib.request.urlopen(base + path, timeout=300).read()
            results = {target: wrk(base + path, args.seconds, args.connections, args.threads)
                       for target, path in (("api_stories", "/api/stories"), ("story_page", "/stories/s1"))}
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {**built, "seconds": args.seconds, "connections": args.connections, "wrk_threads": args.threads,
            "cores": os.cpu_count(), **results}


if __name__ == "__main__":
    import json

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    print(json.dumps(main(sys.argv[1:])))
