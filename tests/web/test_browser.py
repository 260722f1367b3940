"""End to end in a real headless Chromium (Debian's, driven by selenium): the seeds' story as a reader sees it.

`recoupe run` on the seeds writes the static pages and the store; the story
page is opened from the file system, then from the web app on a loopback
port. Both must show the cited summary, the facts table with voice counts,
the provenance graph and the contradictions, with the style sheet applied
(under the app's content security policy too). Screenshots go to
test-output/browser/ for a person to look at.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
OUTPUT = REPO / "test-output" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1400,1000",
]


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM.is_file() and CHROMEDRIVER.is_file(), (
        "the browser test needs Debian's chromium and chromium-driver: `make test` installs them"
    )
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="recoupe-chromium-")
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def live_app(seed_run):
    """The web app over the seeds' store on a free loopback port, in a thread, stopped after the module."""
    import uvicorn

    from recoupe.web import create_app

    _, db, _, _ = seed_run
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=0, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started, "the app did not start"
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def _label(article_id: str) -> str:
    return article_id[:3]


def _check_story_page(driver, report: dict, story_id: str) -> None:
    """What the page shows is what the report says, and a reader sees the seeds' main findings."""
    from selenium.webdriver.common.by import By

    story = next(s for s in report["stories"] if s["id"] == story_id)
    summary = driver.find_elements(By.CSS_SELECTOR, "#summary ol.summary > li")
    assert 3 <= len(summary) <= 8 and len(summary) == len(story["summary"])
    for item, expected in zip(summary, story["summary"]):
        assert item.is_displayed()
        assert item.find_element(By.CSS_SELECTOR, ".sentence").text == " ".join(expected["sentence"].split())
        cited = [a.text for a in item.find_elements(By.CSS_SELECTOR, "a.cite")]
        assert cited and cited == [_label(s) for s in expected["sources"]]

    rows = driver.find_elements(By.CSS_SELECTOR, "#facts table tbody tr")
    assert len(rows) == len(story["facts"])
    wire_figure = next(r for r in rows if "9,2 milliards" in r.text)
    assert [a.text for a in wire_figure.find_elements(By.CSS_SELECTOR, "a.cite")] == ["000", "001", "003"]
    assert "1 voice" in wire_figure.text and "echo" in wire_figure.get_attribute("class")
    echoes = driver.find_element(By.CSS_SELECTOR, "#echoes")
    assert echoes.is_displayed() and "9,2 milliards" in echoes.text

    nodes = driver.find_elements(By.CSS_SELECTOR, "#provenance svg g.node")
    roles = {_label(n.get_attribute("data-article")): n.get_attribute("data-role") for n in nodes}
    assert roles["003"] == "original" and roles["001"] == "derivative"
    assert roles["002"] == roles["004"] == "independent"
    derived = {_label(p["article"]): p for p in story["provenance"] if p.get("derived_from")}
    labels = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#provenance svg g.edge-label text")]
    assert len(labels) == len(derived) and all(any(p["relation"] in t for t in labels) for p in derived.values())
    graph = driver.find_element(By.CSS_SELECTOR, "#provenance svg")
    assert graph.size["width"] > 300 and graph.size["height"] > 100, "the graph is drawn at a readable size"
    digest = driver.find_element(By.CSS_SELECTOR, "#provenance .digest").text
    assert "003" in digest and "is the original" in digest

    contradictions = driver.find_elements(By.CSS_SELECTOR, "#contradictions .contradiction")
    assert len(contradictions) == len(story["contradictions"]) >= 1
    tense = next(c for c in contradictions if "tense" in c.text)
    left, right = tense.find_elements(By.CSS_SELECTOR, ".side")
    assert [a.text for a in left.find_elements(By.CSS_SELECTOR, "a.cite")] == ["001"]
    assert {"002", "003"} <= {a.text for a in right.find_elements(By.CSS_SELECTOR, "a.cite")}
    assert abs(left.rect["y"] - right.rect["y"]) < 2 and right.rect["x"] > left.rect["x"], "side by side"

    panel = driver.find_element(By.CSS_SELECTOR, "#summary")
    assert panel.value_of_css_property("background-color") in {"rgba(255, 255, 255, 1)", "rgb(255, 255, 255)"}, (
        "the style sheet is applied"
    )


def _screenshot(driver, name: str) -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / name
    assert driver.save_screenshot(str(path))
    assert path.stat().st_size > 20_000
    return path


def test_seed_story_page_from_the_file_system(browser, seed_run):
    out, _, report, story_id = seed_run
    browser.get((out / "stories" / f"{story_id}.html").as_uri())
    _check_story_page(browser, report, story_id)
    _screenshot(browser, "seed-story-static.png")


def test_seed_story_page_from_the_web_app(browser, live_app, seed_run):
    _, _, report, story_id = seed_run
    browser.get(f"{live_app}/stories/{story_id}")
    _check_story_page(browser, report, story_id)
    problems = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not problems, problems  # a blocked style sheet or a policy violation would show here
    _screenshot(browser, "seed-story-web.png")
