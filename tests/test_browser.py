"""The real garden in a real browser: Debian's Chromium driven by Playwright.

Searching, following tags and backlinks, link previews and the graph, checked as a reader
uses them; plus no console errors, no request leaving 127.0.0.1, no serious accessibility
violation (axe-core) and no horizontal scroll on a 375 px phone. Screenshots of every page
go to test-artifacts/screenshots/ for humans to look at.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from conftest import PHONE, REPO, real_note_title

SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
PAGES = {"home": "", "note": "career/job-leave-triggers/", "tag page": "tags/career/",
         "changelog": "changelog/", "graph": "graph/", "404": "no-such-note/"}

playwright_api = pytest.importorskip("playwright.sync_api")


def _type_query(page, server: str, query: str) -> None:
    """Type `query` into Material's search on the home page and wait for its first result.

    Material reads the query when its search worker is ready and on each `keyup`. Playwright
    types a character that is not on a US keyboard (Japanese) as text input with no key event,
    as an input method commits it: once the worker was ready before the typing ended, such a
    query was never searched and the test waited out its timeout. A reader presses a key after
    the input method's text; so does the test (End: the caret stays, the query is read).
    """
    page.goto(server)
    page.locator(".md-search__input").click()  # visible in the header at desktop width
    page.keyboard.type(query)  # key by key, as a reader types: Material searches on key events
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item")


def _search(page, server: str, query: str) -> list[str]:
    """Type `query` into Material's search and return the result links' paths."""
    _type_query(page, server, query)
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
    listed = page.locator("ul.garden-list a", has_text=real_note_title("career/job-leave-triggers.md"))
    assert listed.count() == 1
    page.go_back()
    page.wait_for_url(server + PAGES["note"])


def test_the_backlinks_section_lists_exactly_the_linking_notes(real_garden, page, server):
    note = real_garden.notes["career/job-leave-triggers.md"]
    page.goto(server + PAGES["note"])
    shown = page.locator("#backlinks li > a").all_inner_texts()
    assert shown == [source.title for source in real_garden.backlinks_of(note)]
    assert len(shown) >= 2


def test_the_graph_draws_every_note_and_a_click_opens_one(real_garden, page, server):
    page.goto(server + PAGES["graph"])
    nodes = page.locator(".garden-graph a.garden-dot")
    assert nodes.count() == len(real_garden.notes)
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
    failed: list[str] = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page.goto(server + PAGES[name], wait_until="networkidle")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name.replace(' ', '-')}.png", full_page=True)
    if name == "404":  # the page itself answers 404, which Chromium logs; nothing it loads may
        assert failed == [server + PAGES[name]]
        errors = [error for error in errors if "status of 404" not in error]
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
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(server + PAGES[name])
    width = page.evaluate("document.documentElement.scrollWidth")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name.replace(' ', '-')}-phone.png")
    context.close()
    assert width <= 375


@dataclass(frozen=True)
class SearchResult:
    path: str
    """The result's page and #section, without the highlight query."""
    tags: list[str]


def _search_results(page, server: str, query: str) -> list[SearchResult]:
    """Search like a reader, then each result's path (with its #section) and tag chips."""
    _type_query(page, server, query)
    found = page.eval_on_selector_all(".md-search-result__item > a", """links => links.map(a => ({
        href: a.href, tags: [...a.querySelectorAll('.md-tag')].map(t => t.textContent)}))""")
    results = []
    for result in found:
        url = str(result["href"]).removeprefix(server)
        path = url.split("?")[0] + ("#" + url.split("#")[1] if "#" in url else "")
        results.append(SearchResult(path, [str(tag) for tag in result["tags"]]))
    return results


def test_search_finds_a_note_by_its_alias(page, server):
    results = _search_results(page, server, "MTTR")
    assert results[0].path == "culture/measure-recovery-not-blame/"
    results = _search_results(page, server, "After Action Reviews")
    assert results[0].path == "culture/blameless-post-mortems/"


def test_search_finds_compounds_whether_written_with_a_hyphen_or_not(page, server):
    joined = {r.path.split("#")[0] for r in _search_results(page, server, "postmortem")}
    hyphenated = {r.path.split("#")[0] for r in _search_results(page, server, "post-mortem")}
    # The note titled "Blameless post-mortems" and a note writing only "postmortems" are found both ways.
    for path in ("culture/blameless-post-mortems/", "leadership/guardrail-engineering/"):
        assert path in joined and path in hyphenated
    assert len(joined & hyphenated) >= 5


def test_search_finds_japanese_text_with_the_bundled_language_support(page, server):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    assert _search_results(page, server, "育児時短就業給付")[0].path.startswith(
        "policy/short-time-employment-benefit/")
    assert _search_results(page, server, "正社員")[0].path.startswith(
        "policy/japan-reduced-hours-for-parents/")
    assert any(url.endswith("/lunr/min/lunr.ja.min.js") for url in requests)
    assert any(url.endswith("/lunr/tinyseg.js") for url in requests)
    assert [url for url in requests if not url.startswith(server)] == []


def test_the_home_pages_recent_changes_are_not_search_results(real_garden, page, server):
    entry = real_garden.changes()[0]
    results = _search_results(page, server, entry.note.title)
    assert entry.note.path.removesuffix(".md") + "/" in [r.path.split("#")[0] for r in results]
    assert not any(r.path.startswith("#recent-changes") for r in results)


def test_search_result_tag_chips_read_as_the_tag(page, server):
    results = _search_results(page, server, "job-hunting")
    assert results[0].path == "tags/job-hunting/"  # the tag's own page first, then its notes
    assert "job-hunting" in next(result.tags for result in results if result.tags)
    chip = page.locator(".md-search-result .md-tag", has=page.locator("mark")).first
    # Highlighted parts sit together: the chip is as wide as its text without the highlight.
    widths = chip.evaluate("""chip => {
        const plain = chip.cloneNode(); plain.textContent = chip.textContent; chip.after(plain);
        const both = [chip.getBoundingClientRect().width, plain.getBoundingClientRect().width];
        plain.remove(); return both; }""")
    assert abs(widths[0] - widths[1]) < 2, widths


def test_a_shared_note_shows_its_title_summary_and_absolute_address(real_garden, page, server):
    note = real_garden.notes["career/job-leave-triggers.md"]
    page.goto(server + PAGES["note"])

    def meta(key: str) -> str | None:
        found = page.locator(f'meta[property="{key}"], meta[name="{key}"]')
        return found.first.get_attribute("content") if found.count() else None

    assert meta("og:title") == note.title
    assert meta("og:description") == note.meta.summary
    assert str(meta("og:url")).endswith("/" + PAGES["note"]) and str(meta("og:url")).startswith("http")
    assert meta("og:type") == "article"
    assert meta("article:published_time") == note.meta.created.isoformat()
    assert meta("twitter:card") == "summary_large_image"
    assert str(meta("og:image")).startswith("http") and str(meta("og:image")).endswith(".png")
    page.goto(server)
    assert page.title() == "Career & Leadership Garden"


def test_subscribe_links_on_a_tag_page_and_in_the_footer_lead_to_feeds(page, server):
    page.goto(server + PAGES["tag page"])
    links = (page.locator("article a.garden-subscribe"), page.locator("footer .garden-footer-subscribe a"))
    for link in links:
        assert link.is_visible()
        response = page.request.get(str(link.evaluate("a => a.href")))
        assert response.ok and b"<rss" in response.body()


def test_the_404_page_helps_the_reader_on(page, server):
    response = page.goto(server + PAGES["404"])
    assert response is not None and response.status == 404
    assert page.locator("article h1").inner_text() == "Page not found"
    page.locator("article label[for='__search']").click()
    page.locator(".md-search__input").wait_for(state="visible")
    page.keyboard.press("Escape")
    page.locator("article a", has_text="Go to the home page").click()
    page.wait_for_url(server + "garden/")  # site_url's path: this server maps it to the root
    assert page.title() == "Career & Leadership Garden"


def test_dates_never_wrap(page, server):
    page.goto(server + PAGES["tag page"])
    assert page.locator("article time").first.evaluate("t => getComputedStyle(t).whiteSpace") == "nowrap"


def test_printing_a_note_leaves_out_the_graph_and_chrome_and_shows_link_targets(page, server):
    page.goto(server + PAGES["note"])
    page.emulate_media(media="print")
    for hidden in (".garden-local-graph", ".md-header", ".md-sidebar--primary", ".md-footer"):
        assert not page.locator(hidden).first.is_visible(), hidden
    link = page.locator("article p a[href*='test-the-market-regularly']").first
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert "test-the-market-regularly" in after


def test_the_chart_fills_a_phone_screen_without_page_scroll(browser, server):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(server + "policy/japan-reduced-hours-for-parents/")
    chart = page.locator("article img[src*='charts/']")
    chart.scroll_into_view_if_needed()
    width = chart.bounding_box()["width"]
    scroll = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width >= 340  # its 15-unit text in a 400-unit drawing shows at 12.75 px or more
    assert scroll <= 375
