"""Turning a note's resolved wikilinks into links a reader can follow.

Each becomes a Markdown link to the target's source file, which MkDocs turns into a URL
like any hand-written link (raw `<a>` tags would cost more: MkDocs and `md_in_html` feed
every page with raw HTML through an HTML parser). The label is escaped Markdown text,
so a title can never inject HTML.
"""

from __future__ import annotations

from garden.markdown_scan import WikiLink
from garden.model import Garden, Note, ResolvedLink
from garden.text import markdown_text, relative_link


def with_wikilinks_resolved(note: Note, garden: Garden) -> str:
    """The note's body with every resolvable `[[…]]` replaced by a link.

    Unresolvable ones (already reported as problems) stay as written.
    """
    resolved = garden.wikilink_targets.get(note.path, {})
    pieces: list[str] = []
    position = 0
    for link in note.wikilinks:
        target = resolved.get(link.start)
        if target is None:
            continue
        pieces += [note.body[position:link.start], _link(note, link, target)]
        position = link.end
    pieces.append(note.body[position:])
    return "".join(pieces)


def _link(note: Note, link: WikiLink, resolved: ResolvedLink) -> str:
    target = resolved.target
    if link.label:
        label = link.label
    elif link.target and link.target.lower() not in (target.slug.lower(), target.path[:-3].lower()):
        label = link.target  # typed as a title or alias: show it as typed
    else:
        label = target.title
    if link.heading and not link.label:
        label = f"{label} › {link.heading}" if link.target else link.heading
    url = relative_link(note.path, target.path) if link.target else ""
    if resolved.anchor:
        url += f"#{resolved.anchor}"
    return f"[{markdown_text(label)}]({url})"
