"""Share cards (garden/cards.py): a 1200×630 PNG per published page, drawn at build time with
a pinned font, the same bytes for the same text, Japanese drawn with its own glyphs, text of
any length bounded, cached on disk and under `make serve`; and the Open Graph and Twitter tags
that point at it, on built fixture sites."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, BuiltSite, build_project, copy_fixture, note_text
from PIL import Image, ImageDraw
from test_incremental import Served

from garden import cards, incremental
from garden.cards import CARD_HEIGHT, CARD_WIDTH, MAX_TITLE, card_text, draw_card
from garden.conventions import reserved_because
from garden.outputs import site_namespace

SITE_URL = "https://example.org/garden/"
NAME = "Career & Leadership Garden"
JAPANESE_TITLE = "「短時間勤務制度」"
JAPANESE_SUMMARY = "3歳未満の子を育てる社員に、1日6時間の短時間勤務を認める制度。"


def _card(title: str = "A note on leaving", summary: str = "One trigger is not enough.") -> cards.CardText:
    return card_text(title, summary, "Career", NAME, "#0099ee")


def _chunks(png: bytes) -> list[bytes]:
    """The PNG's chunk types, in order."""
    types, offset = [], 8
    while offset < len(png):
        length = int.from_bytes(png[offset:offset + 4], "big")
        types.append(png[offset + 4:offset + 8])
        offset += 12 + length
    return types


def test_a_card_is_a_1200_by_630_png_with_no_metadata():
    png = draw_card(_card())
    with Image.open(io.BytesIO(png)) as image:
        assert (image.format, image.size, image.mode) == ("PNG", (CARD_WIDTH, CARD_HEIGHT), "P")
    # No tIME, tEXt, pHYs…: nothing that depends on when, where or by what it was drawn.
    assert set(_chunks(png)) == {b"IHDR", b"PLTE", b"IDAT", b"IEND"}


def test_the_same_text_gives_the_same_bytes_in_another_process():
    script = ("import sys; from garden.cards import card_text, draw_card; "
              "sys.stdout.buffer.write(draw_card(card_text(*sys.argv[1:])))")
    card = _card(f"{JAPANESE_TITLE} and a title that wraps onto a second line of the card", JAPANESE_SUMMARY)
    drawn = subprocess.run([sys.executable, "-c", script, card.title, card.summary, card.label,
                            card.site_name, card.accent], cwd=REPO, capture_output=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": "12345"}).stdout
    assert drawn == draw_card(card)


def test_japanese_is_drawn_with_its_own_glyphs_not_the_missing_glyph_box():
    font = cards._font(72)

    def glyph(char: str) -> bytes:
        image = Image.new("L", (100, 120))
        ImageDraw.Draw(image).text((0, 0), char, font=font, fill=255)
        return image.tobytes()

    missing = glyph("\U000f0000")  # a private-use character: no font has it
    kanji = {glyph(char) for char in "短時間勤務制度"}
    assert len(kanji) == 7 and missing not in kanji
    boxes = "\U000f0000" * len(JAPANESE_TITLE)
    assert draw_card(_card(JAPANESE_TITLE)) != draw_card(_card(boxes))


def test_japanese_lines_break_between_characters_but_never_before_closing_punctuation():
    pieces = ["「短", "時", "間」", "で", "す。", "Two ", "words"]
    assert list(cards._pieces("「短時間」です。Two words")) == pieces
    long = "育児と介護の制度。" * 20
    lines = cards._wrap(long, 44, 10)
    assert len(lines) > 1 and not any(line[0] in "。、」" for line in lines)


def test_a_long_title_shrinks_and_wraps_within_the_card():
    short_size, short = cards._title_lines("Health first", 300)
    long_size, long = cards._title_lines("Why a team that writes blameless post-mortems " * 3, 300)
    assert short_size > long_size and len(short) == 1
    assert 1 < len(long) <= 300 // cards._line_height(long_size)
    assert all(cards._font(long_size).getlength(line) <= cards._TEXT_WIDTH for line in long)
    assert not long[-1].endswith("…")  # it all fits, smaller
    size, cut = cards._title_lines("Why a team that writes blameless post-mortems " * 9, 300)
    assert size == cards._TITLE_SIZES[-1] and cut[-1].endswith("…")


def test_a_lines_width_is_the_sum_of_its_characters_as_wrapping_assumes():
    font = cards._font(56)
    for text in ("AVATAR To Wa y, f.", JAPANESE_SUMMARY, "post-mortems 1:1"):
        assert font.getlength(text) == cards._width(56, text)


@pytest.mark.parametrize("title", ["x" * 60_000, "短" * 60_000, "word " * 12_000])
def test_a_title_of_60000_letters_is_cut_before_it_is_drawn(title):
    tracemalloc.start()
    started = time.perf_counter()
    card = card_text(title, title, title, NAME)
    png = draw_card(card)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(card.title) == MAX_TITLE and card.title.endswith("…")
    assert elapsed < 2 and peak < 16 * 2**20
    assert Image.open(io.BytesIO(png)).size == (CARD_WIDTH, CARD_HEIGHT)


class _Spy:
    """Counts what garden/cards.py draws and reads from its disk cache."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.drawn: list[str] = []
        self.read = 0
        draw, read = cards.draw_card, cards._read_entry

        def drawing(card: cards.CardText) -> bytes:
            self.drawn.append(card.title)
            return draw(card)

        def reading(entry: Path) -> bytes | None:
            self.read += 1
            return read(entry)

        monkeypatch.setattr(cards, "draw_card", drawing)
        monkeypatch.setattr(cards, "_read_entry", reading)


def test_a_cached_card_is_not_drawn_again_and_a_damaged_entry_is_drawn_again(tmp_path, monkeypatch):
    spy = _Spy(monkeypatch)
    card = _card()
    png = cards.cached_card(card, tmp_path)
    assert cards.cached_card(card, tmp_path) == png and spy.drawn == [card.title]
    entry = tmp_path / f"{cards.cache_key(card)}.png"
    damaged = (png[:len(png) // 2], png[:-20] + bytes(20), b"not a png", png.replace(b"IDAT", b"IDAt", 1))
    for damage in damaged:
        entry.write_bytes(damage)
        assert cards.cached_card(card, tmp_path) == png
        assert entry.read_bytes() == png  # replaced by a whole card
    assert len(spy.drawn) == 5
    assert list(tmp_path.iterdir()) == [entry]  # no temporary file left behind


def test_a_cache_that_cannot_be_written_only_costs_the_drawing(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert cards.cached_card(_card(), blocked / "cards") == draw_card(_card())


def test_the_cache_key_changes_with_every_word_of_the_card():
    keys = {cards.cache_key(card) for card in (
        _card(), _card("Another title"), _card(summary="Another summary"),
        card_text("A note on leaving", "One trigger is not enough.", "Tags", NAME))}
    assert len(keys) == 4


def test_a_card_is_labelled_with_the_index_above_its_page_in_its_sections_colour():
    labels = {"career/index.md": "Career", "tags/index.md": "Tags"}
    face = cards.SharedFace("Title", "Summary")

    def card(path: str) -> tuple[str, str]:
        made = cards.page_card(path, face, "Garden", labels, {"career": "#0099ee"})
        return made.label, made.accent

    assert card("career/a.md") == ("Career", "#0099ee")
    assert card("career/index.md") == ("", "#0099ee")  # a section's own index is at the top
    assert card("tags/career.md") == ("Tags", cards.DEFAULT_ACCENT)
    assert card("index.md") == ("", cards.DEFAULT_ACCENT)


def test_no_file_of_docs_may_sit_where_the_cards_are_written():
    assert reserved_because("cards/career/a.md", frozenset()) == "'cards/' is generated by the build"
    holder = site_namespace(True).holder("cards/career/a.png")
    assert holder is not None and holder.owner == "the share cards' folder 'cards/'"


# --- on a built site ----------------------------------------------------------------------------


def _with_japanese_note(project: Path) -> Path:
    note = project / "docs" / "policy" / "reduced-hours.md"
    note.parent.mkdir()
    note.write_text(note_text(JAPANESE_TITLE, "[career]", body="See [[Job-leave triggers]].",
                              summary=JAPANESE_SUMMARY), encoding="utf-8")
    return project


def _build(project: Path, cache: Path) -> BuiltSite:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GARDEN_CACHE_DIR", str(cache))
        return build_project(project)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = tmp_path_factory.mktemp("cards")
    return _build(_with_japanese_note(copy_fixture("linked", root)), root / "cache")


def _meta(page, key: str) -> str | None:
    tag = page.select_one(f'meta[property="{key}"]') or page.select_one(f'meta[name="{key}"]')
    return None if tag is None else str(tag["content"])


def _card_file(site: BuiltSite, url: str) -> Path:
    assert url.startswith(SITE_URL)
    return site.site / url.removeprefix(SITE_URL)


@pytest.mark.parametrize(("page", "card", "alt"), [
    ("career/leave/", "cards/career/leave.png", f"Job-leave triggers — {NAME}"),
    ("tags/career/", "cards/tags/career.png", f"Tag: career — {NAME}"),
    ("policy/reduced-hours/", "cards/policy/reduced-hours.png", f"{JAPANESE_TITLE} — {NAME}"),
    ("", "cards/index.png", NAME),
])
def test_a_page_shares_its_card_with_absolute_urls_size_and_alt(site, page, card, alt):
    html = site.page(page)
    assert _meta(html, "og:image") == _meta(html, "twitter:image") == SITE_URL + card
    assert (_meta(html, "og:image:width"), _meta(html, "og:image:height")) == ("1200", "630")
    assert _meta(html, "og:image:type") == "image/png"
    assert _meta(html, "og:image:alt") == _meta(html, "twitter:image:alt") == alt
    assert _meta(html, "twitter:card") == "summary_large_image"
    with Image.open(_card_file(site, SITE_URL + card)) as image:
        assert (image.format, image.size) == ("PNG", (CARD_WIDTH, CARD_HEIGHT))


def test_every_published_page_has_a_card_and_drafts_have_none(site):
    pages = {p.relative_to(site.site).as_posix().removesuffix("index.html")
             for p in site.site.rglob("index.html")}
    shared = {page for page in pages if _meta(site.page(page), "og:image")}
    redirects = {page for page in pages - shared
                 if "http-equiv" in (site.site / page / "index.html").read_text(encoding="utf-8")}
    assert pages - shared == redirects  # an alias's redirect page is no page to share
    assert not (site.site / "cards" / "culture" / "draft-idea.png").exists()
    assert len(list((site.site / "cards").rglob("*.png"))) == len(shared)


def test_a_page_with_problems_has_no_card(tmp_path, monkeypatch):
    monkeypatch.setenv("GARDEN_CACHE_DIR", str(tmp_path / "cache"))
    built = build_project(copy_fixture("broken", tmp_path), strict=False)
    page = built.page("bad-yaml/")
    assert _meta(page, "og:image") is None and _meta(page, "twitter:card") == "summary"
    assert not (built.site / "cards" / "bad-yaml.png").exists()
    assert _meta(built.page("good/"), "og:image") == SITE_URL + "cards/good.png"


def test_two_builds_in_two_places_give_the_same_bytes(site, tmp_path):
    other = shutil.copytree(site.project, tmp_path / "elsewhere",
                            ignore=shutil.ignore_patterns("site", ".cache", "cache"))
    again = _build(other, tmp_path / "another-cache")
    first = {p.relative_to(site.site): p.read_bytes() for p in (site.site / "cards").rglob("*.png")}
    second = {p.relative_to(again.site): p.read_bytes() for p in (again.site / "cards").rglob("*.png")}
    assert first == second and len(first) > 10


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Served, _Spy]]:
    monkeypatch.setenv("GARDEN_CACHE_DIR", str(tmp_path / "cache"))
    spy = _Spy(monkeypatch)
    project = copy_fixture("linked", tmp_path)
    yield Served(project), spy
    incremental.end(str(project / "mkdocs.yml"))


def test_make_serve_keeps_the_cards_of_unchanged_pages_without_drawing_or_reading_them(served):
    server, spy = served
    assert "Job-leave triggers" in spy.drawn and spy.read == len(spy.drawn)
    spy.drawn.clear()
    spy.read = 0
    note = server.docs / "career" / "growth.md"
    text = note.read_text(encoding="utf-8")
    note.write_text(text.replace("title: Growing as an engineer", "title: Growing"), encoding="utf-8")
    server.rebuild()
    assert spy.drawn == ["Growing"] and spy.read == 1
    with Image.open(server.site / "cards" / "career" / "growth.png") as image:
        assert image.size == (CARD_WIDTH, CARD_HEIGHT)
    assert server.differences() == []  # what is served equals a clean build, cards included
