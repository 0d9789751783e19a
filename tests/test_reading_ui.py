"""Reading the garden in Chromium (issue 22, items 3, 4, 5 and 7): one tap opens a link on a
phone, previews beside list items, an accent that meets 4.5:1, axe clean with a preview or
search results open, keyboard ways in (skip link, menu at 200-400 % zoom, glossary terms, the
404 page's search), a graph for people, and compact chrome on a phone. At 375 and 1366 px, in the
light and the dark scheme. Fixtures `server` and `browser` come from conftest.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import PHONE

NOTE = "career/job-leave-triggers/"  # on a trail (step 3), related notes, backlinks, headings
LAST_STEP = "career/do-the-job-you-want-now/"  # the last step of "Should I stay or go?"
GLOSSARY_NOTE = "career/manager-or-principal-engineer/"  # uses glossary terms (IC)
ADMONITION_NOTE = "culture/one-way-and-two-way-doors/"
CHART_NOTE = "policy/japan-reduced-hours-for-parents/"
GRAPH = "graph/"
SCHEMES = ["light", "dark"]
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PROSE_LINK = ("article p:not(.garden-trailbar, .garden-lead, .garden-sources) "
              "a[href*='/career/']:not(.garden-term)")


@pytest.fixture(params=SCHEMES)
def scheme(request) -> str:
    return str(request.param)


WAIT_MS = 10_000
"""How long a test waits for what it expects (Playwright's default is 30 s): a page is ready in under 1 s."""


def _page_of(browser, device: dict[str, Any], scheme: str) -> Iterator[Any]:
    """A page of its own context, as `device` shows it in `scheme`; closed after the test."""
    context = browser.new_context(**device, color_scheme=scheme)
    context.set_default_timeout(WAIT_MS)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser, scheme):
    yield from _page_of(browser, PHONE, scheme)


@pytest.fixture
def desktop(browser, scheme):
    yield from _page_of(browser, DESKTOP, scheme)


def _contrast(page, selector: str) -> float:
    """The contrast of an element's text against the page's background (WCAG's formula), with
    its own background (a tint) laid over the page's."""
    return float(page.locator(selector).first.evaluate("""element => {
        const rgba = c => c.match(/[\\d.]+/g).map(Number)
        const mix = (top, under) => top.length > 3
            ? top.slice(0, 3).map((v, i) => v * top[3] + under[i] * (1 - top[3])) : top
        const page = rgba(getComputedStyle(document.body).backgroundColor)
        const back = mix(rgba(getComputedStyle(element).backgroundColor), page)
        const fore = mix(rgba(getComputedStyle(element).color), back)
        const lum = ([r, g, b]) => [r, g, b].map(v => v / 255)
            .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
            .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0)
        const [a, b] = [lum(fore), lum(back)].sort((x, y) => y - x)
        return (a + 0.05) / (b + 0.05)
    }"""))


def _serious(page) -> list[tuple[str, list[object]]]:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations
            if v["impact"] in ("serious", "critical")]


# --- Item 3: one tap on a phone, previews beside list items --------------------------------------

@pytest.mark.parametrize("link", [".garden-trail__next a", ".garden-related a", ".garden-backlinks li > a",
                                  ".garden-local-graph a.garden-node"])
def test_on_a_phone_links_in_lists_and_graphs_open_on_the_first_tap(phone, server, link):
    phone.goto(server + NOTE)
    target = phone.locator(link).first
    href = target.evaluate("a => a.href")
    target.scroll_into_view_if_needed()
    target.tap()
    phone.wait_for_url(href.split("#")[0] + "*")
    assert phone.locator(".garden-preview").is_hidden()


def test_on_a_phone_a_link_in_running_text_previews_on_the_first_tap(phone, server):
    phone.goto(server + NOTE)
    link = phone.locator(PROSE_LINK).first
    link.scroll_into_view_if_needed()
    link.tap()
    phone.locator(".garden-preview:not([hidden])").wait_for()
    assert phone.url == server + NOTE
    assert phone.locator(".garden-preview__open").is_visible()


@pytest.mark.parametrize("items", [".garden-related li", ".garden-trail li"])
def test_on_a_wide_screen_a_list_links_preview_covers_none_of_the_items_after_it(desktop, server, items):
    desktop.goto(server + NOTE)
    item = desktop.locator(items).first
    item.scroll_into_view_if_needed()
    item.evaluate("item => window.scrollBy(0, item.getBoundingClientRect().top - 200)")
    item.locator("a").first.hover()
    popover = desktop.locator(".garden-preview:not([hidden])")
    popover.wait_for()
    box = popover.bounding_box()
    later = desktop.locator(items).evaluate_all("""(items, box) => items.slice(1).flatMap(item => {
        const range = document.createRange(); range.selectNodeContents(item)
        return [...range.getClientRects()]
            .filter(r => r.width && r.right > box.x && r.left < box.x + box.width
            && r.bottom > box.y && r.top < box.y + box.height).map(r => item.textContent)
    })""", box)
    assert later == []


# --- Item 4: accessible in every state -------------------------------------------------------------

def test_hovered_and_focused_links_chips_and_search_highlights_meet_4_5_to_1(desktop, server):
    desktop.goto(server + NOTE)
    desktop.locator(PROSE_LINK).first.hover()
    assert _contrast(desktop, PROSE_LINK) >= 4.5
    desktop.mouse.move(0, 400)
    desktop.locator(".garden-tag").first.focus()
    assert _contrast(desktop, ".garden-tag:focus") >= 4.5
    desktop.locator(".garden-tag").first.hover()
    assert _contrast(desktop, ".garden-tag:hover") >= 4.5
    desktop.locator(".md-search__input").click()
    desktop.keyboard.type("career")
    desktop.wait_for_selector(".md-search-result mark")
    assert min(_contrast(desktop, f".md-search-result mark >> nth={n}") for n in range(3)) >= 4.5


def test_axe_finds_nothing_serious_with_a_preview_open(desktop, server):
    desktop.goto(server + NOTE)
    desktop.locator(PROSE_LINK).first.hover()
    desktop.locator(".garden-preview:not([hidden])").wait_for()
    assert _serious(desktop) == []


def test_axe_finds_nothing_serious_with_search_results_open(desktop, server):
    desktop.goto(server + NOTE)
    desktop.locator(".md-search__input").click()
    desktop.keyboard.type("career")
    desktop.wait_for_selector(".md-search-result__item")
    assert _serious(desktop) == []


@pytest.mark.parametrize("path", [NOTE, "tags/career/", GRAPH])
def test_the_skip_link_lands_before_the_title_on_every_page(phone, server, path):
    phone.goto(server + path)
    phone.keyboard.press("Tab")
    skip = phone.locator(".md-skip:focus")
    assert str(skip.evaluate("a => a.href")).endswith(path + "#garden-article")
    phone.keyboard.press("Enter")
    phone.wait_for_function("document.activeElement.id === 'garden-article'")
    assert phone.evaluate("""() => document.getElementById('garden-article')
        .compareDocumentPosition(document.querySelector('article h1')) & Node.DOCUMENT_POSITION_FOLLOWING""")


@pytest.mark.parametrize("width", [683, 341])  # 1366 px at 200 and 400 %
def test_at_200_to_400_percent_zoom_the_menu_opens_by_keyboard_and_hidden_links_take_no_focus(browser, server,
                                                                                               width, scheme):
    context = browser.new_context(viewport={"width": width, "height": 450}, color_scheme=scheme)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    page.goto(server + NOTE)
    reached = []
    for _ in range(12):  # the header's buttons and well into the article
        page.keyboard.press("Tab")
        reached.append(page.evaluate("!!document.activeElement.closest('.md-sidebar--primary')"))
    assert not any(reached)
    page.locator("label.md-header__button[for=__drawer]").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.closest('.md-sidebar--primary')")
    assert page.locator("label.md-header__button[for=__drawer]").get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")
    page.wait_for_function("document.activeElement.matches('label[for=__drawer]')")
    context.close()


def test_glossary_terms_are_focusable_and_lead_to_their_entry(phone, server):
    phone.goto(server + GLOSSARY_NOTE)
    term = phone.locator("a.garden-term").first
    assert term.locator("abbr").count() == 1
    href = str(term.get_attribute("href"))
    assert re.fullmatch(r".*/glossary/#term-[\w-]+", href)
    term.focus()
    assert phone.evaluate("document.activeElement.matches('a.garden-term')")
    term.tap()
    phone.wait_for_url("**/glossary/#term-*")
    assert phone.locator(f"dt#{href.split('#')[1]}").is_visible()


def test_the_404_pages_search_is_reached_and_opened_by_keyboard(desktop, server):
    desktop.goto(server + "no-such-note/")
    for _ in range(30):
        desktop.keyboard.press("Tab")
        if desktop.evaluate("document.activeElement.matches('.garden-not-found__search')"):
            break
    else:
        pytest.fail("Tab never reaches 'Search the garden'")
    desktop.keyboard.press("Enter")
    desktop.wait_for_function("document.getElementById('__search').checked")


# --- Item 5: a graph for people --------------------------------------------------------------------

def _transform(page) -> str:
    return str(page.locator(".garden-graph__stage").evaluate("stage => stage.style.transform"))


def test_the_wheel_scrolls_the_page_over_the_graph_and_zooms_with_ctrl(desktop, server):
    desktop.goto(server + GRAPH)
    desktop.locator(".garden-graph__controls:not([hidden])").wait_for()
    box = desktop.locator(".garden-graph__viewport").bounding_box()
    desktop.mouse.move(box["x"] + box["width"] / 2, 450)
    desktop.mouse.wheel(0, 300)
    desktop.wait_for_function("scrollY > 0")
    assert "scale(1)" in _transform(desktop) or _transform(desktop) == ""
    desktop.keyboard.down("Control")
    desktop.mouse.wheel(0, -600)
    desktop.keyboard.up("Control")
    desktop.wait_for_function("document.querySelector('.garden-graph').classList.contains('shows-labels')")
    label = desktop.locator(".garden-dot:not(.is-active) .garden-dot__label").first
    assert label.evaluate("l => l.getBoundingClientRect().width") > 20  # labels show from a zoom level on


def test_the_find_box_centres_and_highlights_a_note(desktop, server):
    desktop.goto(server + GRAPH)
    wanted = desktop.locator(".garden-dot").nth(20)
    title = str(wanted.locator(".garden-dot__label").evaluate("label => label.firstChild.textContent"))
    desktop.get_by_role("combobox", name="Find a note").fill(title.lower()[2:-2])  # part of it, any case
    desktop.keyboard.press("Enter")
    dot = desktop.locator(".garden-dot.is-active")
    assert dot.get_attribute("href") == wanted.get_attribute("href")
    viewport = desktop.locator(".garden-graph__viewport").bounding_box()
    at = dot.bounding_box()
    assert abs(at["x"] + at["width"] / 2 - (viewport["x"] + viewport["width"] / 2)) < 2
    assert abs(at["y"] + at["height"] / 2 - (viewport["y"] + viewport["height"] / 2)) < 2
    assert desktop.evaluate("document.activeElement.matches('.garden-dot.is-active')")


def test_a_link_skips_the_graph(desktop, server):
    desktop.goto(server + GRAPH)
    desktop.get_by_role("link", name="Skip the graph").focus()
    desktop.keyboard.press("Enter")
    desktop.wait_for_function("document.activeElement.id === 'garden-graph-end'")
    desktop.keyboard.press("Tab")
    assert desktop.evaluate("!document.activeElement.closest('.garden-graph')")


def test_on_a_phone_dots_are_24_px_targets_and_the_first_tap_selects(phone, server):
    phone.goto(server + GRAPH)
    assert phone.get_by_text("tap a dot to see its name").count() == 1
    sizes = phone.locator(".garden-dot").evaluate_all("ds => ds.map(d => d.getBoundingClientRect().width)")
    assert min(sizes) >= 24
    dot = phone.locator(".garden-dot").nth(10)
    dot.scroll_into_view_if_needed()
    href = dot.evaluate("a => a.href")
    dot.tap()
    phone.wait_for_function("document.querySelector('.garden-dot.is-active')")
    assert phone.url == server + GRAPH
    assert dot.locator(".garden-dot__label").bounding_box()["width"] > 20  # its name shows
    dot.tap()
    phone.wait_for_url(href)


# --- Item 7: compact chrome ------------------------------------------------------------------------

@pytest.mark.parametrize("path", [NOTE, "career/health-comes-first/", "leadership/bring-others-up/",
                                  "career/staff-engineer-archetypes/"])
def test_on_a_phone_the_first_sentence_is_on_the_first_screen(phone, server, path):
    phone.goto(server + path)
    lead = phone.locator("article .garden-lead")
    assert lead.evaluate("p => p.getBoundingClientRect().top + scrollY") <= 500
    order = phone.evaluate("""() => [...document.querySelectorAll('article :is(.garden-lead, .garden-toc)')]
        .map(e => e.classList.contains('garden-lead') ? 'lead' : 'contents')""")
    assert order == ["lead", "contents"]
    assert phone.evaluate("""() => {  // one metadata line: the dates follow the tags on their last row
        const tags = document.querySelector('.garden-meta .garden-tags').getBoundingClientRect()
        return document.querySelector('.garden-meta .garden-dates').getBoundingClientRect().top < tags.bottom
    }""")


def test_asides_are_at_body_size_and_no_permalink_sits_on_a_line_of_its_own(phone, server):
    orphans = 0
    for path in (ADMONITION_NOTE, NOTE, "career/health-comes-first/", "leadership/bring-others-up/"):
        phone.goto(server + path)
        orphans += phone.evaluate("""() => [...document.querySelectorAll('article :is(h2, h3) > .headerlink')]
          .filter(link => {
            const range = document.createRange()
            range.selectNodeContents(link.parentElement)
            range.setEndBefore(link)
            const lines = range.getClientRects()
            return link.getBoundingClientRect().top >= lines[lines.length - 1].bottom - 2
        }).length""")
    phone.goto(server + ADMONITION_NOTE)
    body = phone.locator("article > p:not(.garden-lead, .garden-trailbar)").first.evaluate(
        "p => getComputedStyle(p).fontSize")
    aside = phone.locator("article .admonition p").first.evaluate("p => getComputedStyle(p).fontSize")
    assert (orphans, aside) == (0, body)


def test_on_a_phone_chart_text_is_12_px_or_more(phone, server):
    phone.goto(server + CHART_NOTE)
    chart = phone.locator("article img[src*='charts/']")
    chart.scroll_into_view_if_needed()
    src = str(chart.evaluate("img => img.src"))
    svg = phone.request.get(src).text()
    viewbox = re.search(r'viewBox="0 0 (\d+)', svg)
    assert viewbox is not None
    drawn = float(viewbox.group(1))
    sizes = [float(size) for size in re.findall(r'font-size="(\d+)"', svg)]
    shown = chart.bounding_box()["width"] / drawn
    assert min(sizes) * shown >= 12


def test_a_trail_bar_under_the_title_and_the_way_on_at_the_last_step(phone, server):
    phone.goto(server + NOTE)
    bar = phone.locator("article .garden-trailbar").first
    assert bar.inner_text() == "Step 3 of 7 · Should I stay or go?"
    assert phone.evaluate("""() => document.querySelector('article h1')
        .compareDocumentPosition(document.querySelector('.garden-trailbar'))
        & Node.DOCUMENT_POSITION_FOLLOWING""")
    assert bar.evaluate("b => b.getBoundingClientRect().top + scrollY") < 400
    phone.goto(server + LAST_STEP)
    end = phone.locator(".garden-trail__end a")
    assert end.inner_text() == "back to Should I stay or go?"
    assert end.evaluate("a => a.href") == server + "trails/should-i-stay-or-go/"
    next_trail = phone.locator(".garden-trail__next-trail a")
    assert next_trail.evaluate("a => a.href") == server + "trails/from-senior-to-staff/"
