"""Turning a note's resolved wikilinks into ordinary Markdown links.

The output is plain Markdown that MkDocs resolves like any hand-written relative link,
so `use_directory_urls`, link validation and the search index treat both the same way.
"""

from __future__ import annotations

from garden.markdown_scan import WikiLink
from garden.model import Garden, Note, ResolvedLink
from garden.text import markdown_text, relative_link


def with_wikilinks_resolved(note: Note, garden: Garden) -> str:
    """The note's body with every resolvable `[[…]]` replaced by a Markdown link.

    Unresolvable ones (already reported as problems) stay as written.
    """
    resolved = garden.wikilink_targets.get(note.path, {})
    pieces: list[str] = []
    position = 0
    for link in note.wikilinks:
        target = resolved.get(link.start)
        if target is None:
            continue
        pieces += [note.body[position:link.start], _markdown_link(note, link, target)]
        position = link.end
    pieces.append(note.body[position:])
    return "".join(pieces)


def _markdown_link(note: Note, link: WikiLink, resolved: ResolvedLink) -> str:
    target = resolved.target
    if link.label:
        label = link.label
    elif link.target and link.target.lower() not in (target.slug.lower(), target.path[:-3].lower()):
        label = link.target  # typed as a title or alias: show it as typed
    else:
        label = target.title
    if link.heading and not link.label:
        label = f"{label} › {link.heading}" if link.target else link.heading
    href = relative_link(note.path, target.path, resolved.anchor)
    if not link.target:
        href = f"#{resolved.anchor}"
    return f"[{markdown_text(label)}]({href})"
