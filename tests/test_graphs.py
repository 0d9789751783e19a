"""The graph page and the local graphs: layout (no label overlaps or leaves the picture, the
same input gives the same bytes), the palette (contrast, told apart with colour blindness),
the markup readers and assistive technology get, and, in Chromium, a phone's width, the
keyboard, zoom and instant navigation."""

from __future__ import annotations

import functools
import http.server
import itertools
import math
import threading

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import _QuietHandler, build_project, copy_real_garden, make_garden, note_text

from garden.config import GardenConfig
from garden.graph import (
    LOCAL,
    LOCAL_LIMIT,
    SECTION_PALETTE,
    Box,
    LocalGraph,
    label_lines,
    local_graph,
    section_colours,
    text_width,
)
from garden.pages import graph_page as graph_page_drawn
from garden.rendering import DEFAULT
from garden.views import note_footer

MOST = 20
LONG_TITLES = [
    "Blameless post-mortems and After Action Reviews fix systems, not people, and say so in writing",
    "W" * 60,
    "Japan's 2024 childcare amendment adds remote work and a menu of options in 2025",
    "日本の育児・介護休業法の改正は二〇二五年に柔軟な働き方の措置を求める",
    "MMMM WWWW MMMM WWWW MMMM WWWW MMMM WWWW MMMM WWWW",
    "Supercalifragilisticexpialidocious-and-then-some-words-without-any-spaces-at-all",
    "Short",
]


def href(from_path: str, to_path: str) -> str:
    return f"/{to_path}"


def _escaped(title: str) -> str:
    return '"' + title.replace('"', '\\"') + '"'


@pytest.fixture(scope="module")
def garden(tmp_path_factory: pytest.TempPathFactory):
    """Hubs `hub-1` … `hub-20`, hub-n linked with the first n of 20 notes with long titles:
    even ones link to their hub, odd ones are linked from it."""
    notes = {f"career/n{i:02d}.md": note_text(_escaped(f"{LONG_TITLES[i % len(LONG_TITLES)]} {i}"),
                                              body=" ".join(f"[[hub-{n}]]" for n in range(i + 1, MOST + 1)
                                                            if i % 2 == 0) or "Text.")
             for i in range(MOST)}
    for n in range(1, MOST + 1):
        notes[f"leadership/hub-{n}.md"] = note_text(
            f"Hub {n}", tags="[leadership]", body=" ".join(f"[[n{i:02d}]]" for i in range(n) if i % 2))
    return make_garden(tmp_path_factory.mktemp("graphs"), notes)


def _local(garden, count: int, limit: int = MOST) -> LocalGraph:
    hub = garden.notes[f"leadership/hub-{count}.md"]
    graph = local_graph(hub, garden, href, section_colours(garden), limit)
    assert graph is not None
    return graph


def _one(page: Tag, selector: str) -> Tag:
    found = page.select_one(selector)
    assert found is not None, f"nothing matches {selector}"
    return found


def _attribute(tag: Tag, name: str) -> str:
    value = tag.get(name)
    assert isinstance(value, str), f"no single {name} on {tag.name}"
    return value


def _label(dot: Tag) -> str:
    """A graph page dot's title: its label without the section after it."""
    return str(_one(dot, ".garden-dot__label").contents[0])


def _footer(garden, count: int, limit: int = MOST) -> str:
    """The footer of hub-`count` with its local graph, as the note shows it."""
    note = garden.notes[f"leadership/hub-{count}.md"]
    return DEFAULT.render("note_footer.html", footer=note_footer(note, garden, href),
                          local_graph=_local(garden, count, limit))


@pytest.mark.parametrize("count", range(1, MOST + 1))
def test_local_labels_never_overlap_each_other_or_leave_the_picture(garden, count):
    graph = _local(garden, count)
    assert len(graph.neighbours) == count
    picture = Box(0, 0, LOCAL.width, graph.height)
    labels = [n.label for n in graph.neighbours]
    links = [n.link for n in graph.neighbours]
    assert all(picture.contains(label) for label in labels)
    assert all(Box(0, 0, 100, 100).contains(link) for link in links)
    for one, other in itertools.combinations([*labels], 2):
        assert not one.intersects(other)
    for one, other in itertools.combinations([*links], 2):
        assert not one.intersects(other)
    for neighbour in graph.neighbours:
        assert 1 <= len(neighbour.lines) <= LOCAL.label_lines
        assert all(text_width(line) <= LOCAL.label_width for line in neighbour.lines)


def test_a_local_graph_draws_at_most_twelve_neighbours_and_counts_the_rest(garden):
    graph = _local(garden, MOST, LOCAL_LIMIT)
    assert (len(graph.neighbours), graph.more) == (LOCAL_LIMIT, MOST - LOCAL_LIMIT)
    relations = [n.relation for n in graph.neighbours]
    assert relations == sorted(relations, key=["links here", "linked from here"].index)
    page = BeautifulSoup(_footer(garden, MOST, LOCAL_LIMIT), "html.parser")
    assert _one(page, ".garden-graph__more").get_text().startswith("And 8 more notes")


@pytest.mark.parametrize("title", LONG_TITLES)
def test_labels_wrap_at_spaces_and_cut_what_does_not_fit_with_an_ellipsis(title):
    lines, width = label_lines(title)
    assert width == max(map(text_width, lines)) <= LOCAL.label_width
    shown = " ".join(lines)
    if title == "Short":
        assert lines == ("Short",)
    elif shown.endswith("…"):
        assert title.startswith(shown.removesuffix("…").rstrip().replace("\n", " "))
    else:
        assert shown == title


def test_layouts_are_deterministic(garden):
    options = GardenConfig()
    first = graph_page_drawn(garden, href, options, DEFAULT).html_after
    assert first == graph_page_drawn(garden, href, options, DEFAULT).html_after
    assert _footer(garden, 7) == _footer(garden, 7)


# Colour: WCAG's relative luminance, and Machado, Oliveira & Fernandes (2009)'s simulation of
# protanopia and deuteranopia (severity 1), compared in CIELAB.
WHITE, MATERIAL_SLATE = "#ffffff", "#1e2129"
CVD = {"trichromat": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
       "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                      (-0.003882, -0.048116, 1.051998)),
       "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                        (-0.011820, 0.042940, 0.968881))}


def _linear(colour: str) -> tuple[float, ...]:
    channels = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return tuple(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)


def _luminance(rgb: tuple[float, ...]) -> float:
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]


def _contrast(one: str, other: str) -> float:
    darker, lighter = sorted((_luminance(_linear(one)), _luminance(_linear(other))))
    return (lighter + 0.05) / (darker + 0.05)


def _lab(colour: str, vision: str) -> tuple[float, float, float]:
    rgb = [min(1.0, max(0.0, sum(m * c for m, c in zip(row, _linear(colour), strict=True))))
           for row in CVD[vision]]
    xyz = (0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2], _luminance(tuple(rgb)),
           0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2])
    fx, fy, fz = (t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116
                  for t in (xyz[0] / 0.95047, xyz[1], xyz[2] / 1.08883))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


@pytest.mark.parametrize("colour", SECTION_PALETTE)
def test_section_colours_stand_out_on_white_and_on_material_dark(colour):
    assert _contrast(colour, WHITE) >= 3
    assert _contrast(colour, MATERIAL_SLATE) >= 3


@pytest.mark.parametrize("vision", CVD)
def test_section_colours_are_told_apart_with_and_without_colour_blindness(vision):
    for one, other in itertools.combinations(SECTION_PALETTE, 2):
        assert math.dist(_lab(one, vision), _lab(other, vision)) >= 12, (one, other)


def test_the_local_graph_is_a_list_of_named_links_over_a_picture_assistive_technology_skips(garden):
    graph = _local(garden, 3)
    page = BeautifulSoup(_footer(garden, 3), "html.parser")
    assert _attribute(_one(page, "section.garden-local-graph"), "aria-labelledby") == "local-graph-title"
    assert _attribute(_one(page, ".garden-local-graph svg"), "aria-hidden") == "true"
    links = page.select(".garden-local-graph ul.garden-graph__links > li > a.garden-node")
    assert [a["href"] for a in links] == ["/career/n00.md", "/career/n02.md", "/career/n01.md"]
    names = [f"{LONG_TITLES[i]} {i} ({relation})" for i, relation in
             ((0, "links here"), (2, "links here"), (1, "linked from here"))]
    assert [a.get_text() for a in links] == names
    assert [a["title"] for a in links] == [n.title for n in graph.neighbours]
    assert not page.select("[tabindex], .garden-local-graph [aria-hidden] a")
    assert [" ".join(t.stripped_strings) for t in page.select("svg text")] == [
        " ".join(n.lines) for n in graph.neighbours]


def test_every_graph_page_dot_is_a_named_link_that_knows_its_neighbours(garden):
    page = BeautifulSoup(graph_page_drawn(garden, href, GardenConfig(), DEFAULT).html_after, "html.parser")
    dots = page.select(".garden-graph--page a.garden-dot")
    # No script, nothing added to the Tab order (the skip link's landing takes focus from a script only)
    assert len(dots) == len(garden.notes) and not page.select("[tabindex]:not([tabindex='-1']), script")
    by_id = {dot["data-id"]: dot for dot in dots}
    hub = next(dot for dot in dots if _label(dot) == "Hub 3")
    assert _one(hub, ".garden-dot__section").get_text() == " · Leadership"
    assert _attribute(_one(hub, ".garden-dot__section"), "aria-hidden") == "true"
    ids = _attribute(hub, "data-neighbours").split()
    assert {_label(by_id[i]) for i in ids} == {f"{LONG_TITLES[i % len(LONG_TITLES)]} {i}" for i in (0, 1, 2)}
    lines = {(_attribute(line, "data-a"), _attribute(line, "data-b")) for line in page.select("line")}
    hub_id = _attribute(hub, "data-id")
    assert {(min(hub_id, i, key=int), max(hub_id, i, key=int)) for i in ids} <= lines
    assert _one(page, ".garden-graph__controls").has_attr("hidden")  # shown by graph.js
    assert [li.get_text() for li in page.select(".garden-legend li")] == ["Career (20)", "Leadership (20)"]


# In Chromium, on the real garden.
NOTE, GRAPH = "career/job-leave-triggers/", "graph/"


def _watch_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.mark.parametrize("width", [320, 375])
def test_on_a_phone_the_local_graph_labels_neither_overlap_nor_leave_the_screen(browser, server, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors = _watch_errors(page)
    page.goto(server + NOTE)
    picture = page.locator(".garden-local-graph .garden-graph")
    picture.scroll_into_view_if_needed()
    boxes = [box for box in (text.bounding_box() for text in picture.locator("svg text").all()) if box]
    frame = picture.bounding_box()
    assert len(boxes) >= 5 and frame
    for box in boxes:
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"] + 0.5
        assert box["height"] >= 10  # legible: the font is at least 10 px
    for one, other in itertools.combinations(boxes, 2):
        assert (one["y"] + one["height"] <= other["y"] or other["y"] + other["height"] <= one["y"]
                or one["x"] + one["width"] <= other["x"] or other["x"] + other["width"] <= one["x"])
    assert picture.get_by_role("link").count() == len(boxes)
    assert errors == []
    context.close()


def test_tab_reaches_a_node_which_shows_its_title_and_highlights_its_neighbours(page, server):
    errors = _watch_errors(page)
    page.goto(server + GRAPH)
    page.get_by_role("button", name="Reset").focus()
    page.keyboard.press("Tab")
    focused = page.locator(".garden-dot:focus")
    assert focused.count() == 1
    label = focused.locator(".garden-dot__label")
    assert label.is_visible() and label.bounding_box()["width"] > 40
    title = page.evaluate("document.activeElement.querySelector('.garden-dot__label').firstChild.textContent")
    assert focused.get_attribute("href") and page.get_by_role("link", name=title).count() >= 1
    neighbours = focused.get_attribute("data-neighbours").split()
    assert page.locator(".garden-dot.is-neighbour").count() == len(neighbours) > 0
    assert page.locator(".garden-graph__lines line.is-active").count() == len(neighbours)
    page.keyboard.press("Tab")
    assert page.locator(".garden-dot.is-active").count() == 1
    assert errors == []


def _transform(page) -> str:
    return str(page.locator(".garden-graph__stage").evaluate("stage => stage.style.transform"))


def test_buttons_the_wheel_and_a_drag_zoom_and_pan_the_graph(page, server):
    errors = _watch_errors(page)
    page.goto(server + GRAPH)
    page.get_by_role("button", name="Zoom in").click()
    assert "scale(1.5)" in _transform(page)
    page.get_by_role("button", name="Zoom out").click()
    assert "scale(1)" in _transform(page)
    viewport = page.locator(".garden-graph__viewport").bounding_box()
    page.mouse.move(viewport["x"] + viewport["width"] / 2, viewport["y"] + viewport["height"] / 2)
    page.keyboard.down("Control")  # the wheel alone scrolls the page (test_reading_ui.py)
    page.mouse.wheel(0, -300)
    page.keyboard.up("Control")
    zoomed = _transform(page)
    assert "scale(1)" not in zoomed
    page.mouse.down()
    page.mouse.move(viewport["x"] + viewport["width"] / 2 + 60, viewport["y"] + viewport["height"] / 2 + 40,
                    steps=5)
    page.mouse.up()
    assert _transform(page) != zoomed
    assert page.url == server + GRAPH  # a drag that ends on a dot does not open it
    page.get_by_role("button", name="Reset").click()
    assert _transform(page) == "translate(0px, 0px) scale(1)"
    assert errors == []


@pytest.fixture(scope="module")
def served_at_its_address(tmp_path_factory):
    """The real garden built for the address it is served at: Material's instant navigation
    follows only links its sitemap lists, and the shared `server` publishes example.org's."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    address = f"http://127.0.0.1:{httpd.server_address[1]}/"
    project = copy_real_garden(tmp_path_factory.mktemp("instant") / "garden")
    site = build_project(project, overrides={"site_url": address})
    assert not site.aborted, site.warnings
    httpd.RequestHandlerClass = functools.partial(_QuietHandler, directory=str(site.site))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield address
    httpd.shutdown()
    httpd.server_close()  # its listening socket: an unclosed one is a ResourceWarning, an error here


def test_zoom_works_after_instant_navigation_to_the_graph(page, served_at_its_address):
    server = served_at_its_address
    errors = _watch_errors(page)
    page.goto(server, wait_until="networkidle")  # Material has read the sitemap
    page.evaluate("window.notReloaded = true")
    page.locator(".md-nav a[href$='graph/']").first.click()
    page.wait_for_url(server + GRAPH)
    page.locator(".garden-graph__controls:not([hidden])").wait_for()
    assert page.evaluate("window.notReloaded") is True  # Material swapped the page in
    page.get_by_role("button", name="Zoom in").click()
    assert "scale(1.5)" in _transform(page)
    assert errors == []
