"""Turning a note's links into what the reader follows: wikilinks become Markdown links,
and every link to a note carries the target's title and summary for a link preview.

Links stay Markdown pointing at source files, which MkDocs turns into URLs like any
hand-written link (raw `<a>` tags would cost more: MkDocs and `md_in_html` feed every page
with raw HTML through an HTML parser). The link's `title` is the preview for readers without
JavaScript; with it, `assets/previews.js` shows a popover from previews.json (garden/previews.py)
instead. Values are escaped: a title can never inject HTML.
"""

from __future__ import annotations

from garden.glossary import abbreviations
from garden.model import Garden, Note, ResolvedLink
from garden.obsidian import with_callouts
from garden.text import html_text, markdown_text, relative_link
from garden.views import preview_text


def note_markdown(note: Note, garden: Garden) -> str:
    """The Markdown MkDocs renders for a note (and `check` renders to hold to the HTML policy):
    its summary as a lead, then its body with every resolvable link made a Markdown link and its
    Obsidian callouts made admonitions (garden/obsidian.py), then
    the abbreviation definitions of the glossary terms it uses (shown on hover by `abbr`)."""
    return (summary_lead(note) + with_callouts(with_links_resolved(note, garden))
            + abbreviations(list(garden.terms_by_note.get(note.path, ()))))


def summary_lead(note: Note) -> str:
    """The summary as the note's opening paragraph: unlike the chrome around the note it is
    part of the content, so search finds a note by its summary too."""
    return f"{markdown_text(note.meta.summary)}\n{{: .garden-lead }}\n\n"


def with_links_resolved(note: Note, garden: Garden) -> str:
    """The note's body with resolvable `[[…]]` turned into links and previews added.

    Unresolvable wikilinks (already reported as problems) stay as written.
    """
    replacements: list[tuple[int, int, str]] = [
        (link.start, link.end, _wikilink(note, link))
        for link in garden.wikilink_targets.get(note.path, {}).values()]
    wikilink_starts = {start for start, _, _ in replacements}
    for link in garden.links.get(note.path, []):
        written = note.body[link.start:link.end]
        if link.start not in wikilink_starts and not written.rstrip(") \t").endswith('"'):
            replacements.append((link.start, link.end, f'{written[:-1].rstrip()} "{_title(link.target)}")'))
    pieces: list[str] = []
    position = 0
    for start, end, text in sorted(replacements):
        pieces += [note.body[position:start], text]
        position = end
    pieces.append(note.body[position:])
    return "".join(pieces)


def _title(target: Note) -> str:
    return html_text(preview_text(target))


def _wikilink(note: Note, link: ResolvedLink) -> str:
    same_note = link.target.path == note.path
    url = "" if same_note and link.anchor else relative_link(note.path, link.target.path)
    if link.anchor:
        url += f"#{link.anchor}"
    return f'[{markdown_text(link.label)}]({url} "{_title(link.target)}")'
