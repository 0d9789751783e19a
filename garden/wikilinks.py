"""Turning a note's links into what the reader follows: wikilinks become Markdown links,
and every link to a note carries the target's title and summary for a link preview.

Links stay Markdown pointing at source files, which MkDocs turns into URLs like any
hand-written link (raw `<a>` tags would cost more: MkDocs and `md_in_html` feed every page
with raw HTML through an HTML parser). The link's `title` is the preview for readers without
JavaScript; with it, `assets/previews.js` shows a popover from the previews (garden/previews.py)
instead. Values are escaped: a title can never inject HTML.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from garden.conventions import tag_page_path
from garden.glossary import abbreviations
from garden.model import Garden, Note, ResolvedLink
from garden.obsidian import with_block_ids, with_callouts
from garden.text import markdown_link_title, markdown_text, relative_link
from garden.views import preview_text


def note_markdown(note: Note, garden: Garden) -> str:
    """The Markdown MkDocs renders for a note (and `check` renders to hold to the HTML policy):
    its summary as a lead, then its body with every resolvable link made a Markdown link, its
    embeds replaced by what they show, its block ids made anchors and its Obsidian callouts
    admonitions (garden/obsidian.py), then
    the abbreviation definitions of the glossary terms it uses (shown on hover by `abbr`)."""
    return (summary_lead(note) + with_callouts(with_block_ids(with_links_resolved(note, garden)))
            + abbreviations(list(garden.terms_by_note.get(note.path, ()))))


def summary_lead(note: Note) -> str:
    """The summary as the note's opening paragraph: unlike the chrome around the note it is
    part of the content, so search finds a note by its summary too (a link preview, cut from
    the page, leaves it out: the popover shows the summary apart, garden/previews.py)."""
    return f"{markdown_text(note.meta.summary)}\n{{: .garden-lead }}\n\n"


def with_links_resolved(note: Note, garden: Garden,
                        embedded: Mapping[str, dict[int, tuple[int, str]]] | None = None) -> str:
    """The note's body with resolvable `[[…]]` turned into links and previews added, and each
    embed (`![[…]]`) replaced by what it shows (garden/embeds.py; `embedded` when the garden
    is the build's linked garden, before its embeds are part of it).

    Unresolvable wikilinks (already reported as problems) stay as written.
    """
    shown = garden.embedded if embedded is None else embedded
    return resolved_text(note, garden, 0, len(note.body), shown.get(note.path, {}))


def resolved_text(note: Note, garden: Garden, start: int, end: int,
                  embedded: dict[int, tuple[int, str]]) -> str:
    """`note.body[start:end]` with its links resolved as `with_links_resolved` does, its `#tags`
    made links to their tag pages, and the embeds starting in it replaced as `embedded` says
    (start: (end, Markdown))."""
    replacements: list[tuple[int, int, str]] = [
        (link.start, link.end, _wikilink(note, link))
        for link in garden.wikilink_targets.get(note.path, {}).values()]
    to_notes = {link.start: link for link in garden.links.get(note.path, [])}
    for written in note.markdown_links:
        link = to_notes.get(written.start)
        if link is None or written.end <= written.start or written.titled:
            continue  # not a link to a note, not written in Markdown, or the author gave it a title
        if written.reference:  # `[text][id]`: the link, not the definition others may share, gets the title
            if not _SAFE_URL.match(written.url):
                continue
            url = f"<{written.url}>" if " " in written.url or "(" in written.url else written.url
            made = f'[{written.text}]({url} "{link_title(link.target)}")'
        else:
            made = f'{note.body[written.start:written.end - 1].rstrip()} "{link_title(link.target)}")'
        replacements.append((written.start, written.end, made))
    replacements += [(at, until, markdown) for at, (until, markdown) in embedded.items()]
    replacements += [(tag.start, tag.end, _tag_link(note, tag.tag)) for tag in note.body_tags]
    pieces: list[str] = []
    position = start
    for begin, finish, text in sorted(replacements):
        if start <= begin and finish <= end and begin >= position:
            pieces += [note.body[position:begin], text]
            position = finish
    pieces.append(note.body[position:end])
    return "".join(pieces)


_SAFE_URL = re.compile(r"^[^<>\\\n\"]*$")
"""A reference's URL that can be written between `<` and `>` as it is."""


def _tag_link(note: Note, tag: str) -> str:
    """A `#tag` of the text as a link to its tag page, drawn as the tags above the note are."""
    return f"[\\#{tag}]({relative_link(note.path, tag_page_path(tag))}){{: .garden-tag }}"


def link_title(target: Note) -> str:
    """A link's `title`: the preview readers without JavaScript get."""
    return markdown_link_title(preview_text(target))


def _wikilink(note: Note, link: ResolvedLink) -> str:
    same_note = link.target.path == note.path
    url = "" if same_note and link.anchor else relative_link(note.path, link.target.path)
    if link.anchor:
        url += f"#{link.anchor}"
    return f'[{markdown_text(link.label)}]({url} "{link_title(link.target)}")'
