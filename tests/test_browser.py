"""The real garden in a real browser: Debian's Chromium driven by Playwright.

Searching, following tags and backlinks, link previews and the graph, checked as a reader
uses them; plus no console errors, no request leaving 127.0.0.1, no serious accessibility
violation (axe-core) and no horizontal scroll on a 375 px phone. Screenshots of every page
go to test-artifacts/screenshots/ for humans to look at.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest
from conftest import REPO, build_project, copy_real_garden
from test_real_garden import GARDEN

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
PAGES = {"home": "", "note": "career/job-leave-triggers/", "tag page": "tags/career/",
         "changelog": "changelog/", "graph": "graph/"}
# Flags that keep Chromium from calling home: the machine (and CI) has no network but loopback.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The real garden, built strictly and served on 127.0.0.1."""
    project = tmp_path_factory.mktemp("browser") / "garden"
    copy_real_garden(project)
    site = build_project(project, strict=True)
    assert not site.aborted, site.warnings
    handler = functools.partial(_QuietHandler, directory=str(site.site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # `format`: the stdlib's name
        pass


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run must install Debian's chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def _search(page, server: str, query: str) -> list[str]:
    """Type `query` into Material's search and return the result links' paths."""
    page.goto(server)
    page.locator(".md-search__input").click()  # visible in the header at desktop width
    page.keyboard.type(query)  # key by key, as a reader types: Material searches on key events
    page.wait_for_selector(".md-search-result__item")
    return [href.removeprefix(server).split("?")[0] for href in
            page.eval_on_selector_all(".md-search-result__item > a", "links => links.map(a => a.href)")]


def test_search_finds_the_japan_note_by_a_phrase_from_it(page, server):
    results = _search(page, server, "six-hour days")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "search.png")
    assert results[0].startswith("policy/japan-reduced-hours-for-parents/")


def test_typing_a_tag_name_finds_the_tag_page(page, server):
    assert "tags/working-parents/" in _search(page, server, "working-parents")


def test_a_tag_chip_leads_to_its_tag_page_and_back(page, server):
    page.goto(server + PAGES["note"])
    page.locator(".garden-tags a", has_text="culture").click()
    page.wait_for_url(server + "tags/culture/")
    assert page.locator("article h1").inner_text() == "Tag: culture"
    listed = page.locator("ul.garden-list a", has_text="The triggers that would make me leave a job")
    assert listed.count() == 1
    page.go_back()
    page.wait_for_url(server + PAGES["note"])


def test_the_backlinks_section_lists_exactly_the_linking_notes(page, server):
    note = GARDEN.notes["career/job-leave-triggers.md"]
    page.goto(server + PAGES["note"])
    shown = page.locator("#backlinks li > a").all_inner_texts()
    assert shown == [source.title for source in GARDEN.backlinks_of(note)]
    assert len(shown) >= 2


def test_a_link_preview_appears_on_hover_and_on_keyboard_focus(page, server):
    target = GARDEN.notes["career/test-the-market-regularly.md"]
    page.goto(server + PAGES["note"])
    link = page.locator("article p a[href*='test-the-market-regularly']").first
    tooltip = page.locator(".md-tooltip2--active[role='tooltip']")
    link.hover()
    tooltip.wait_for()
    assert tooltip.inner_text().startswith(f"{target.title} — {target.meta.summary[:40]}")
    page.mouse.move(0, 0)
    tooltip.wait_for(state="detached")
    link.focus()
    tooltip.wait_for()
    assert target.title in tooltip.inner_text()


def test_on_a_touch_screen_the_first_tap_previews_and_the_second_follows(browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server + PAGES["note"])
    link = page.locator("article p a[href*='test-the-market-regularly']").first
    link.scroll_into_view_if_needed()
    link.tap()
    page.locator(".md-tooltip2--active[role='tooltip']").wait_for()
    assert page.url == server + PAGES["note"]
    link.tap()
    page.wait_for_url(server + "career/test-the-market-regularly/")
    context.close()


def test_the_graph_draws_every_note_and_a_click_opens_one(page, server):
    page.goto(server + PAGES["graph"])
    nodes = page.locator(".garden-graph a.garden-dot")
    assert nodes.count() == len(GARDEN.notes)
    assert nodes.first.bounding_box()["width"] >= 8  # drawn, not collapsed
    page.locator(".garden-graph a.garden-dot[href$='career/job-leave-triggers/']").click()
    page.wait_for_url(server + PAGES["note"])


@pytest.mark.parametrize("name", PAGES)
def test_pages_log_no_errors_and_request_nothing_from_another_host(page, server, name):
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server + PAGES[name], wait_until="networkidle")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name.replace(' ', '-')}.png", full_page=True)
    assert errors == []
    assert [url for url in requests if not url.startswith(server)] == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_pages_have_no_serious_or_critical_accessibility_violations(browser, server, name, scheme):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(server + PAGES[name])
    violations = Axe().run(page).response["violations"]
    context.close()
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
               if v["impact"] in ("serious", "critical")]
    assert serious == []


@pytest.mark.parametrize("name", PAGES)
def test_pages_fit_a_375_px_phone_without_horizontal_scroll(browser, server, name):
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server + PAGES[name])
    width = page.evaluate("document.documentElement.scrollWidth")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name.replace(' ', '-')}-phone.png")
    context.close()
    assert width <= 375
