"""A corpus of XSS payloads stored as articles, opened in the real headless Chromium: no script runs, nothing leaves.

Every payload of xss_payloads.py goes into articles through the readers
(JSONL fields, plain-text bodies, file names, an HTML page's metadata, a
feed's entries), inside copies of one real article so that they form a
story and reach its summary, facts, quotes and aligned pairs. `recoupe run`
stores them and writes the static pages; then every page is opened in
Debian's Chromium, from the web app (under its content security policy)
and from the file system (no policy at all: escaping alone must hold).

A payload that works calls or loads the canary server, so the checks are:
the canary saw no request; Chromium's network log shows no request to any
origin but the page's own; its console shows no content-security-policy
violation (which would mean markup got through and only the policy stopped
it); and the payloads are on the pages as text a reader can see.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from canary import canary_server
from hardening_data import RPM2
from xss_payloads import payloads

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
         "--window-size=1200,900"]
BROWSER_OWN = ("data:", "chrome://", "chrome-extension://", "devtools://")  # the browser's own pages, not the site's
LOOKS_HTML = re.compile(r"<(?:p|div|br|html|body|article|span|h[1-6])\b[^>]*>", re.IGNORECASE)  # as the JSONL reader
SAFE_NAME = str.maketrans({"/": "⁄", "\x00": ""})  # a file name cannot hold these


@pytest.fixture(scope="module")
def canary():
    with canary_server() as served:
        yield served


@pytest.fixture(scope="module")
def corpus(canary, tmp_path_factory) -> tuple[Path, list[str]]:
    """Inputs carrying every payload in every kind of field the readers fill."""
    url, _ = canary
    attacks = payloads(url)
    folder = tmp_path_factory.mktemp("xss-corpus")
    base = [line for line in (RPM2 / "T01_C1_01.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    title, body = base[0], base[1:]
    groups = [[attacks[(i + k) % len(attacks)] for k in range(6)] for i in range(0, len(attacks), 6)]
    records = []
    for number, group in enumerate(groups):
        paragraphs = list(body)
        for k, attack in enumerate(group):  # each payload quoted inside a sentence of the story
            if LOOKS_HTML.search(attack):
                continue  # a text field that looks like HTML is read as HTML (its tags go): kept for other fields
            paragraphs.insert(min(len(paragraphs), 1 + 2 * k), f"« {attack} », a déclaré le ministre {attack} mardi.")
        records.append({
            "id": group[0] if number % 3 == 0 else f"jsonl-{number}", "title": f"{title} {group[1]}",
            "text": "\n\n".join(paragraphs), "byline": group[2], "site": group[3], "url": f"javascript:{group[4]}",
            "source": {"name": group[5]}, "published": "2024-11-13T10:00:00", "language": "fr",
        })
    with open(folder / "attacks.jsonl", "w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    for number, attack in enumerate(attacks[::7]):
        name = f"{attack.translate(SAFE_NAME)[:200]}.txt"
        (folder / name).write_text(f"{attack}\n\n" + "\n\n".join(body[:6]) + f"\n\n{attack}\n", encoding="utf-8")
    escaped = [html.escape(a) for a in attacks[:8]]
    page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{escaped[0]}</title>"
            f"<meta name='author' content='{escaped[1]}'><meta property='og:site_name' content='{escaped[2]}'>"
            f"</head><body><article><h1>{escaped[3]}</h1>"
            + "".join(f"<p>{html.escape(p)} {escaped[4 + i % 4]}</p>" for i, p in enumerate(body)) + "</article></body></html>")
    (folder / "page.html").write_text(page, encoding="utf-8")
    items = "".join(f"<item><title>{html.escape(a)}</title><guid>g{n}</guid><author>{html.escape(a)}</author>"
                    f"<description>{html.escape(html.escape(a))} {html.escape(' '.join(body[:4]))}</description></item>"
                    for n, a in enumerate(attacks[40:48]))
    (folder / "feed.xml").write_text(f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Flux'
                                     f'</title>{items}</channel></rss>', encoding="utf-8")
    return folder, attacks


@pytest.fixture(scope="module")
def site(corpus, tmp_path_factory) -> tuple[Path, Path, dict]:
    folder, _ = corpus
    out = tmp_path_factory.mktemp("xss-out")
    config = out / "fast.toml"
    config.write_text('[analyse]\nspacy_model = "fr_core_news_sm"\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "recoupe", "run", str(folder), "--out", str(out), "--db",
                           str(out / "xss.db"), "--config", str(config), "--quiet"], capture_output=True, timeout=600,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr.decode()
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return out, out / "xss.db", report


@pytest.fixture(scope="module")
def live(site):
    import uvicorn

    from recoupe.web import create_app

    _, db, _ = site
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=0, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(400):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM.is_file() and CHROMEDRIVER.is_file(), (
        "the browser test needs Debian's chromium and chromium-driver: `make test` installs them")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="recoupe-xss-")
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def requested(driver) -> list[str]:
    """URLs the pages asked for since the last call, from Chromium's own network log."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def visit(driver, urls: list[str], allowed: tuple[str, ...]) -> dict:
    """Open each page; what left, what the console said, what was shown."""
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    requested(driver)
    driver.get_log("browser")
    left, violations, shown = [], [], []
    for url in urls:
        driver.get(url)
        try:
            alert = driver.switch_to.alert
            violations.append(f"alert on {url}: {alert.text}")
            alert.dismiss()
        except NoAlertPresentException:
            pass
        shown.append(driver.find_element(By.XPATH, "/*").text)  # html, or the svg of a graph
        assert "XSS" not in driver.title
    time.sleep(1.0)  # let anything a payload scheduled have its go
    for asked in requested(driver):
        if not asked.startswith((*allowed, *BROWSER_OWN)):
            left.append(asked)
    for entry in driver.get_log("browser"):
        if "Content Security Policy" in entry["message"] or "Refused to" in entry["message"]:
            violations.append(entry["message"])
    return {"left": left, "violations": violations, "shown": "\n".join(shown)}


def live_pages(live: str, report: dict, attacks: list[str]) -> list[str]:
    urls = [f"{live}/"]
    urls += [f"{live}/?q={quote(a)}" for a in attacks[:82:9]]
    urls += [f"{live}/?source={quote(a)}&signal={quote(a)}" for a in attacks[1:82:20]]
    for story in report["stories"]:
        urls += [f"{live}/stories/{quote(story['id'], safe='')}", f"{live}/stories/{quote(story['id'], safe='')}/graph.svg"]
        for pair in story.get("alignments", [])[:3]:
            urls.append(f"{live}/articles/{quote(pair['a'], safe='')}?compare={quote(pair['b'], safe='')}")
    urls += [f"{live}/articles/{quote(a['id'], safe='')}" for a in report["articles"]]
    urls += [f"{live}/api/articles/{quote(a['id'], safe='')}" for a in report["articles"][:3]]
    urls += [f"{live}/articles/{quote(a, safe='')}" for a in attacks[::10]]  # error pages quoting the path
    return urls


def test_payloads_reached_the_store_and_the_pages(site, corpus):
    """The corpus is hostile where it matters: payloads are in titles, bylines, sites, ids, texts and story sections."""
    _, attacks = corpus
    _, _, report = site
    strings = list(_strings(report))
    stored = [a for a in attacks if any(a in s for s in strings)]
    assert len(stored) >= 0.8 * len(attacks), f"only {len(stored)} of {len(attacks)} payloads stored verbatim"
    assert any(any(a in s.get("title", "") or "" for a in attacks) for s in report["articles"] if s.get("title"))
    assert any(a["id"] in attacks for a in report["articles"]), "an id that is a payload"
    story = max(report["stories"], key=lambda s: len(s["members"]))
    sections = list(_strings({k: story.get(k) for k in ("summary", "facts", "quotes", "alignments")}))
    assert sum(any(a in s for s in sections) for a in attacks) >= 5, "payloads reach the story's sections"


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_no_payload_runs_or_loads_in_the_web_app(browser, live, site, corpus, canary):
    _, attacks = corpus
    _, _, report = site
    _, hits = canary
    urls = live_pages(live, report, attacks)
    seen = visit(browser, urls, allowed=(live,))
    print(f"{len(attacks)} payloads, {len(urls)} pages of the web app opened in Chromium")
    assert not hits, f"the canary was called: {hits[:10]}"
    assert not seen["left"], seen["left"][:10]
    assert not seen["violations"], seen["violations"][:5]
    shown = seen["shown"]
    visible = [a for a in attacks if " ".join(a.split()) in shown]
    assert len(visible) >= 0.5 * len(attacks), f"{len(visible)} payloads shown as text"
    assert len(urls) >= 40


def test_no_payload_runs_or_loads_in_the_static_pages(browser, site, corpus, canary):
    """Opened from the file system there is no content security policy: escaping alone stands between them."""
    _, attacks = corpus
    out, _, _ = site
    _, hits = canary
    pages = [out / "index.html", *sorted((out / "stories").glob("*.html")), *sorted((out / "articles").glob("*.html")),
             *sorted((out / "compare").glob("*.html"))[:10], *sorted((out / "stories").glob("*.svg"))]
    urls = [p.as_uri() for p in pages]
    seen = visit(browser, urls, allowed=("file://",))
    print(f"{len(attacks)} payloads, {len(urls)} static pages opened in Chromium")
    assert not hits, f"the canary was called: {hits[:10]}"
    assert not seen["left"], seen["left"][:10]
    assert not [v for v in seen["violations"] if "alert" in v]
    assert len(urls) >= 20 and all(urlsplit(u).scheme == "file" for u in urls)
