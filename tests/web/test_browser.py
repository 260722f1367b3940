"""End to end in a real headless Chromium (Debian's, driven by selenium): the seeds' story as a reader sees it.

The static page is opened from the file system, the live page from the web
app on a loopback port; both must show the cited summary, the facts table
with voice counts and the provenance graph, with the style sheet applied
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
def seed_site(tmp_path_factory, seeds_report):
    from recoupe.report.html import write_site

    out = tmp_path_factory.mktemp("seed-site")
    write_site(seeds_report, out)
    return out


@pytest.fixture(scope="module")
def live_app(seeds_report):
    """The web app on a free loopback port, in a thread, stopped after the module."""
    import uvicorn

    from recoupe.web import create_app

    server = uvicorn.Server(uvicorn.Config(create_app(source=lambda: seeds_report), host="127.0.0.1", port=0,
                                           log_level="warning", lifespan="off"))
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


def _check_story_page(driver, seeds_report) -> None:
    from selenium.webdriver.common.by import By

    story = seeds_report["stories"][0]
    summary = driver.find_elements(By.CSS_SELECTOR, "#summary ol.summary > li")
    assert 3 <= len(summary) <= 8
    for item, expected in zip(summary, story["summary"]):
        assert item.find_element(By.CSS_SELECTOR, ".sentence").text == " ".join(expected["sentence"].split())
        cited = [a.text for a in item.find_elements(By.CSS_SELECTOR, "a.cite")]
        assert cited == [s[:3] for s in expected["sources"]]
        assert item.is_displayed()

    rows = driver.find_elements(By.CSS_SELECTOR, "#facts table tbody tr")
    assert len(rows) == len(story["facts"])
    echoes = [r for r in rows if "echo" in (r.get_attribute("class") or "")]
    assert echoes and all("1 voice" in r.text for r in echoes)
    billions = next(r for r in rows if "9.2 billion USD" in r.text)
    assert [a.text for a in billions.find_elements(By.CSS_SELECTOR, "a.cite")] == ["000", "001", "003"]

    nodes = driver.find_elements(By.CSS_SELECTOR, "#provenance svg g.node")
    roles = {n.get_attribute("data-article")[:3]: n.get_attribute("data-role") for n in nodes}
    assert roles == {"000": "derivative", "001": "derivative", "002": "independent", "003": "original",
                     "004": "independent"}
    labels = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#provenance svg g.edge-label text")]
    assert len(labels) == 2 and all(label.startswith("paraphrase") for label in labels)
    graph = driver.find_element(By.CSS_SELECTOR, "#provenance svg")
    assert graph.size["width"] > 300 and graph.size["height"] > 100, "the graph is drawn at a readable size"

    panel = driver.find_element(By.CSS_SELECTOR, "#summary")
    assert panel.value_of_css_property("background-color") in {"rgba(255, 255, 255, 1)", "rgb(255, 255, 255)"}, (
        "the style sheet is applied"
    )
    sides = driver.find_elements(By.CSS_SELECTOR, "#contradictions .contradiction .side")
    assert len(sides) == 2 * len(story["contradictions"])
    left, right = sides[0].rect, sides[1].rect
    assert abs(left["y"] - right["y"]) < 2 and right["x"] > left["x"] + left["width"] - 1, "the sides sit side by side"


def _screenshot(driver, name: str) -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / name
    assert driver.save_screenshot(str(path))
    assert path.stat().st_size > 20_000
    return path


def test_seed_story_page_from_the_file_system(browser, seed_site, seeds_report):
    browser.get((seed_site / "stories" / "s1.html").as_uri())
    _check_story_page(browser, seeds_report)
    _screenshot(browser, "seed-story-static.png")


def test_seed_story_page_from_the_web_app(browser, live_app, seeds_report):
    browser.get(f"{live_app}/stories/s1")
    _check_story_page(browser, seeds_report)
    problems = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not problems, problems  # a blocked style sheet or a policy violation would show here
    _screenshot(browser, "seed-story-web.png")
