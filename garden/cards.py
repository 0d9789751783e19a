"""Share cards: the 1200×630 picture a chat or a social site shows beside a link to a page.

A card is drawn at build time from what the page's sharing tags say (its title and summary),
where it sits (the section or index above it) and the garden's name, in Noto Sans CJK JP from
a pinned package (it covers Latin and Japanese alike): nothing is fetched. The same text gives
the same bytes, wherever and whenever it is drawn:

- Pillow's wheel bundles FreeType and zlib, and both are pinned by the lock; the basic layout
  engine is asked for by name, so a system's libraqm or fribidi never changes a glyph's place.
- A card has few colours: its ink is drawn anti-aliased on one grey image, each band of it in
  one colour, and saved as an indexed PNG whose palette is fixed here: no quantiser chooses
  colours, and the file is about half an RGB one and quicker to compress.
- The PNG carries no metadata (no time, no software name, no resolution), at a fixed
  compression level.

Text wraps at spaces, and between Japanese characters except before closing punctuation or
after opening punctuation; a title shrinks step by step to fit, and what still does not fit
ends in "…". What is drawn is cut to `MAX_TITLE`/`MAX_SUMMARY` characters first, so a title of
any length costs the same.

Which pages have a card, and what each says, is chosen here too (`shared_faces`, `page_card`):
the title and summary a shared link shows, and so its Open Graph tags (garden/views.py).

Cards are cached on disk by a hash of what they show and of what draws them (this module,
Pillow's version, the font's), so a clean build redraws only the cards whose text changed; an
entry that is not a whole card PNG is drawn again and replaced.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.resources
import io
import json
import os
import tempfile
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import NamedTuple

from PIL import Image, ImageDraw, ImageFont

from garden.conventions import index_above
from garden.model import Garden
from garden.pages import tag_of_page
from garden.render_cache import cache_root

CARD_WIDTH, CARD_HEIGHT = 1200, 630
"""The size Open Graph and Twitter's large card show without cropping (1.91:1)."""

FONT_PACKAGE, FONT_FILE = "noto-cjk-sans-jp-regular", "NotoSansCJKjp-Regular.otf"
"""Noto Sans CJK JP (SIL Open Font License 1.1), a data-only package pinned by the locks."""

MAX_TITLE, MAX_SUMMARY = 240, 400
"""Characters drawn at most: more cannot fit at the smallest size, whatever the script."""

BACKGROUND = "#ffffff"
TITLE_COLOUR, SUMMARY_COLOUR, NAME_COLOUR = "#1f2330", "#4b5063", "#3949ab"
DEFAULT_ACCENT = "#3949ab"
"""Material's indigo (the site's header), one shade darker: 7.7:1 on white. Section colours (the
graph's palette) have at least 3:1, enough for the 30 px label."""

_LEVELS = 32
"""Anti-aliasing levels per colour: more are not told apart at these sizes."""

_LEFT, _RIGHT, _TOP, _BAR = 96, 80, 64, 24
_TEXT_WIDTH = CARD_WIDTH - _LEFT - _RIGHT
_LABEL_SIZE, _NAME_SIZE, _SUMMARY_SIZE = 30, 30, 32
_TITLE_SIZES = (72, 64, 56, 50, 44)
_RULE_Y = 540
"""The thin rule above the garden's name; title and summary stay above it."""

_NO_BREAK_BEFORE = frozenset("、。，．・：；？！ー…‥々ゝゞヽヾぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
                             "」』）〕］｝〉》】〙〗〟’”,.;:!?)]}%")
_NO_BREAK_AFTER = frozenset("「『（〔［｛〈《【〘〖〝‘“([{")
"""Japanese line-breaking rules (kinsoku), and their Latin cousins."""


class SharedFace(NamedTuple):
    """What a shared link to a page shows: plain text, escaped by whatever places it."""

    title: str
    description: str


def shared_faces(garden: Garden, generated_titles: Mapping[str, str], site_name: str,
                 site_description: str) -> dict[str, SharedFace]:
    """Every published page's face, by source path: a note's title and summary; a generated
    page's title with its tag's description (a tag page) or the site's; a project page's title
    (the home page's: the site's name) with the site's description. A note or project page with
    problems has none: it gets no card."""
    about = site_description or site_name
    faces = {path: SharedFace(note.title, note.meta.summary) for path, note in garden.notes.items()}
    for path, title in generated_titles.items():
        tag = tag_of_page(path)
        faces[path] = SharedFace(title, (garden.vocabulary.get(tag, "") if tag else "") or about)
    for path, page in garden.project_pages.items():
        if page.markdown is not None:
            faces[path] = SharedFace(site_name if path == "index.md" else page.meta.title, about)
    return faces


def page_card(path: str, face: SharedFace, site_name: str, labels: Mapping[str, str],
              colours: Mapping[str, str]) -> CardText:
    """The card of the page made from `path`: labelled with the title of the index above it (a
    note's section, "Tags" above a tag page), in its section's colour (`colours`, by section)."""
    index = index_above(path)
    folder = path.split("/", 1)[0] if "/" in path else ""
    return card_text(face.title, face.description, labels.get(index, "") if index else "", site_name,
                     colours.get(folder, DEFAULT_ACCENT) if folder else DEFAULT_ACCENT)


@dataclass(frozen=True)
class CardText:
    """What one card shows, as plain text (never HTML). Made with `card_text`, which bounds it."""

    title: str
    summary: str
    label: str
    """The section or index above the page ("Career", "Tags"); "" at the top of the site."""
    site_name: str
    accent: str
    """The page's section colour (`#rrggbb`), or `DEFAULT_ACCENT`."""


def card_text(title: str, summary: str, label: str, site_name: str, accent: str = DEFAULT_ACCENT) -> CardText:
    """A card's text on one line each, without control characters, cut to what can be drawn."""
    return CardText(_plain(title, MAX_TITLE), _plain(summary, MAX_SUMMARY), _plain(label, 80),
                    _plain(site_name, 80), accent)


def _plain(text: str, limit: int) -> str:
    """`text` with its white space and control characters collapsed to single spaces, and cut
    to `limit` characters, the last being "…" when some were left out."""
    cut = text[:limit * 4]  # white space is collapsed below: room for it, never the whole text
    shown = " ".join("".join(" " if unicodedata.category(char)[0] in "CZ" else char for char in cut).split())
    return shown if len(shown) <= limit else shown[:limit - 1] + "…"


def draw_card(card: CardText) -> bytes:
    """The card as PNG bytes."""
    canvas = _Canvas(card.accent)
    canvas.draw.rectangle((0, 0, _BAR - 1, CARD_HEIGHT - 1), fill=255)
    y = _TOP
    if card.label:
        label = _fit_lines(card.label, _LABEL_SIZE, 1)
        canvas.band(0, card.accent).text((_LEFT, y), label[0], font=_font(_LABEL_SIZE), fill=255)
        y += _line_height(_LABEL_SIZE) + 20
    summary_room = 2 * _line_height(_SUMMARY_SIZE) + 28 if card.summary else 0
    size, title = _title_lines(card.title, _RULE_Y - 24 - y - summary_room)
    draw = canvas.band(y - 10, TITLE_COLOUR)
    for line in title:  # a stroke of one pixel in the ink's colour: a semibold title
        draw.text((_LEFT, y), line, font=_font(size), fill=255, stroke_width=1, stroke_fill=255)
        y += _line_height(size)
    if card.summary:
        y += 28
        room = (_RULE_Y - 24 - y) // _line_height(_SUMMARY_SIZE)
        draw = canvas.band(y - 10, SUMMARY_COLOUR)
        for line in _fit_lines(card.summary, _SUMMARY_SIZE, min(room, 3)):
            draw.text((_LEFT, y), line, font=_font(_SUMMARY_SIZE), fill=255)
            y += _line_height(_SUMMARY_SIZE)
    if card.title != card.site_name:  # the home page's card says the name once
        draw = canvas.band(_RULE_Y - 10, NAME_COLOUR)
        draw.rectangle((_LEFT, _RULE_Y, CARD_WIDTH - _RIGHT, _RULE_Y + 1), fill=255)
        for line in _fit_lines(card.site_name, _NAME_SIZE, 1):
            draw.text((_LEFT, _RULE_Y + 28), line, font=_font(_NAME_SIZE), fill=255)
    return canvas.png()


class _Canvas:
    """How much ink each pixel holds (0–255), drawn on one grey image, and the colour of the ink
    in each horizontal band of the text column (the bar on the left is the accent's). It is
    saved as an indexed image: palette entry 0 is the background, then `_LEVELS` blends from
    the background to each colour, so no quantiser chooses colours, and at one byte a pixel
    the image is quick to compress."""

    def __init__(self, accent: str) -> None:
        self.ink = Image.new("L", (CARD_WIDTH, CARD_HEIGHT), 0)
        self.draw = ImageDraw.Draw(self.ink)
        self.accent = accent
        self.bands: list[tuple[int, str]] = []

    def band(self, top: int, colour: str) -> ImageDraw.ImageDraw:
        """Ink from `top` down to the next band (bands come top first; the first starts at the
        top of the card, the last ends at its foot) is `colour`."""
        self.bands.append((top, colour))
        return self.draw

    def png(self) -> bytes:
        colours = list(dict.fromkeys([self.accent, *(colour for _, colour in self.bands)]))
        tops = [0, *(top for top, _ in self.bands[1:])]
        bottoms = [*tops[1:], CARD_HEIGHT]
        boxes = [((0, 0, _BAR, CARD_HEIGHT), self.accent)]
        boxes += [((_BAR, top, CARD_WIDTH, bottom), colour)
                  for top, bottom, (_, colour) in zip(tops, bottoms, self.bands, strict=True)]
        for box, colour in boxes:
            levels = _levels(1 + colours.index(colour) * _LEVELS)
            self.ink.paste(self.ink.crop(box).point(levels), box[:2])
        card = Image.frombytes("P", self.ink.size, self.ink.tobytes())
        card.putpalette([*_rgb(BACKGROUND), *(channel for colour in colours for channel in _ramp(colour))])
        out = io.BytesIO()
        card.save(out, "PNG", compress_level=3)  # 9 makes it 30 % smaller and 40 times slower
        return out.getvalue()


@functools.cache
def _levels(base: int) -> tuple[int, ...]:
    """Ink 1–255 to one of the `_LEVELS` palette entries from `base` on; no ink stays background."""
    return (0, *(base + value * _LEVELS // 256 for value in range(1, 256)))


@functools.cache
def _ramp(colour: str) -> tuple[int, ...]:
    """The palette entries from just off the background to `colour`, as R, G, B, R, …"""
    back, front = _rgb(BACKGROUND), _rgb(colour)
    return tuple(round(b + (f - b) * level / _LEVELS) for level in range(1, _LEVELS + 1)
                 for b, f in zip(back, front, strict=True))


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    path = importlib.resources.files(FONT_PACKAGE.replace("-", "_")) / FONT_FILE
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


def _line_height(size: int) -> int:
    """Noto Sans CJK's own line box (ascent and descent: 1.45 em) is roomy enough."""
    ascent, descent = _font(size).getmetrics()
    return ascent + descent


def _title_lines(title: str, height: int) -> tuple[int, list[str]]:
    """The largest size at which the whole title fits `height`, and its lines; at the smallest
    size, as many lines as fit, the last ending in "…"."""
    for size in _TITLE_SIZES:
        room = max(height // _line_height(size), 1)
        lines = _wrap(title, size, room + 1)
        if len(lines) <= room:
            return size, lines
    size = _TITLE_SIZES[-1]
    return size, _fit_lines(title, size, max(height // _line_height(size), 1))


def _fit_lines(text: str, size: int, count: int) -> list[str]:
    """At most `count` lines of `text`; when some is left out, the last line ends in "…"."""
    lines = _wrap(text, size, count + 1)
    if len(lines) <= count:
        return lines
    last = lines[count - 1]
    while last and _width(size, last.rstrip() + "…") > _TEXT_WIDTH:
        last = last[:-1]
    return [*lines[:count - 1], last.rstrip() + "…"]


def _wrap(text: str, size: int, most: int) -> list[str]:
    """Greedy lines no wider than the text column, `most` at most (what follows is dropped)."""
    lines: list[str] = []
    line, width = "", 0.0
    for piece in _pieces(text):
        if width + _width(size, piece.rstrip(" ")) <= _TEXT_WIDTH:
            line, width = line + piece, width + _width(size, piece)
            continue
        if line:
            lines.append(line.rstrip(" "))
        line = piece
        while _width(size, line.rstrip(" ")) > _TEXT_WIDTH:  # a word wider than a line is cut
            cut = _longest_fitting(line, size)
            lines.append(line[:cut])
            line = line[cut:]
            if len(lines) >= most:
                return lines
        width = _width(size, line)
        if len(lines) >= most:
            return lines
    if line:
        lines.append(line.rstrip(" "))
    return lines[:most]


def _width(size: int, text: str) -> float:
    """The basic layout sets each glyph at its advance, and this font has no kerning table for
    it to apply: a text's width is the sum of its characters' (tests/test_cards.py checks)."""
    return sum(_advance(size, char) for char in text)


@functools.lru_cache(maxsize=1 << 14)
def _advance(size: int, char: str) -> float:
    """Kept between cards: the same characters come back on card after card."""
    return _font(size).getlength(char)


def _longest_fitting(text: str, size: int) -> int:
    """How many leading characters of `text` fit on a line (at least one)."""
    width = 0.0
    for count, char in enumerate(text):
        width += _advance(size, char)
        if width > _TEXT_WIDTH:
            return max(count, 1)
    return len(text)


def _pieces(text: str) -> Iterator[str]:
    """`text` cut where a line may break: after spaces (kept with the word before them), and
    between two characters when either is wide (Japanese), unless kinsoku forbids it."""
    piece = ""
    for index, char in enumerate(text):
        previous = text[index - 1] if index else ""
        if piece and _may_break(previous, char):
            yield piece
            piece = ""
        piece += char
    if piece:
        yield piece


def _may_break(previous: str, char: str) -> bool:
    if char == " ":
        return False
    if previous == " ":
        return True
    if char in _NO_BREAK_BEFORE or previous in _NO_BREAK_AFTER:
        return False
    return _wide(previous) or _wide(char)


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


# --- the cache ---------------------------------------------------------------------------------

MAX_CACHED_BYTES = 1 << 20
"""A card is some 30 KB; a cache entry larger than this is not a card."""


@functools.cache
def drawing_version() -> str:
    """What draws a card besides its text: this module's code, Pillow's and the font's versions."""
    versions = [importlib.metadata.version(name) for name in ("pillow", FONT_PACKAGE)]
    return hashlib.sha256(Path(__file__).read_bytes() + json.dumps(versions).encode()).hexdigest()


def cache_key(card: CardText) -> str:
    return hashlib.sha256(json.dumps([drawing_version(), asdict(card)]).encode()).hexdigest()


def cache_folder(project_dir: Path) -> Path:
    """The cards' folder of the garden's cache (garden/render_cache.py names the cache's)."""
    return cache_root(project_dir) / "cards"


def card_entry(folder: Path, key: str) -> Path:
    """Where the cache in `folder` keeps the card of cache key `key`."""
    return folder / f"{key}.png"


def cached_card(card: CardText, folder: Path) -> bytes:
    """The card from the cache in `folder` when a whole card is there; otherwise drawn and
    stored. A cache that cannot be read or written only costs the drawing."""
    entry = card_entry(folder, cache_key(card))
    kept = _read_entry(entry)
    if kept is not None:
        return kept
    png = draw_card(card)
    _write_entry(entry, png)
    return png


def _read_entry(entry: Path) -> bytes | None:
    try:
        with entry.open("rb") as file:
            data = file.read(MAX_CACHED_BYTES + 1)
    except OSError:
        return None
    return data if _is_card(data) else None


def _is_card(data: bytes) -> bool:
    """Whether `data` is a whole PNG of a card's size: every chunk's checksum is verified, so a
    truncated or damaged entry is not taken for one."""
    if len(data) > MAX_CACHED_BYTES:
        return False
    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            size = image.size
            image.verify()
    except Exception:  # Pillow reports a damaged file with several exception types
        return False
    return size == (CARD_WIDTH, CARD_HEIGHT)


def _write_entry(entry: Path, png: bytes) -> None:
    """Written whole or not at all: a build running beside this one reads a whole card or none."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(png)
        os.replace(temporary, entry)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
