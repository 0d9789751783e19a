// Link previews. Hovering a link to a note (after a short delay), reaching it with the
// keyboard, or on a touch screen tapping it once, shows a popover with the note's title,
// summary and opening, or for a link to a heading, that section (or the whole of a short note,
// scrolled to the heading), formatted as the page is. The previews are written with the site
// (garden/previews.py) into shards, previews/<hash>.json, each fetched from this site the first
// time a reader reaches for a link it holds, then kept. Their HTML was sanitised at build time;
// it is parsed here inert (a template), and held once more to what a popover shows.
// The popover stays while the link or the popover itself is hovered or the link is focused,
// and Escape dismisses it (WCAG 1.4.13). On a touch screen a link in running text previews on
// the first tap, with an "Open" link, and a second tap on the same link follows it; every other
// link (lists, navigation, trails, "Linked from", related notes, graphs) opens on the first tap:
// a reader choosing from a list has already chosen. A preview for a link in a list opens beside
// the list's text, or else above the item: never over the items after it. Without JavaScript,
// each link's title still names the note and its summary (Material's tooltips show it).
(() => {
  // Material's base is relative to the page first loaded, which instant navigation leaves behind.
  const root = new URL(JSON.parse(document.getElementById("__config").textContent).base, location.href)
  const touch = window.matchMedia("(hover: none)")
  const SHOW_DELAY = 300  // ms of hovering before a preview opens: passing over a link opens none
  const HIDE_DELAY = 300  // ms to move the pointer from the link into the popover
  const GAP = 8  // px between the link and the popover, and between the popover and the screen's edges

  const titles = new WeakMap()  // each link taken over: its title, to give back if it has no preview
  const shards = new Map()  // each shard asked for: a promise of its entries by URL path
  const loaded = new Map()  // …and those entries once they are here
  let shown = null  // the link whose preview is open
  let wanted = null  // the link a reader is reaching for (the delay running, the data on its way)
  let timer = 0
  let dismissed = null  // the link whose preview Escape closed: it opens again once left
  let previewed = null  // on a touch screen, the link whose first tap opened its preview

  const popover = document.createElement("div")
  popover.className = "garden-preview"
  popover.id = "garden-preview"
  popover.setAttribute("role", "tooltip")
  popover.hidden = true
  popover.tabIndex = 0  // a long preview scrolls: the keyboard can scroll it too (axe: scrollable-region-focusable)
  document.body.append(popover)  // outside the part of the page instant navigation replaces

  const decoded = text => {
    try { return decodeURIComponent(text) } catch { return text }
  }
  const pathOf = url => decoded(url.pathname.slice(root.pathname.length))
  const inSite = link => {  // the link's URL, if it leads into this site
    const url = new URL(link.href, location.href)
    return url.origin === root.origin && url.pathname.startsWith(root.pathname) ? url : null
  }

  // The shard of a URL path: the top 12 bits of its FNV-1a hash (UTF-8), as garden/previews.py's shard_of.
  const shardOf = path => {
    let hash = 0x811c9dc5
    for (const byte of new TextEncoder().encode(path)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0
    return `previews/${(hash >>> 20).toString(16).padStart(3, "0")}.json`
  }
  const shardOfLink = link => {
    const url = inSite(link)
    return url ? shardOf(pathOf(url)) : null
  }
  // The entries of the shard a link's preview is in (an empty map for a link leaving the site).
  const load = link => {
    const shard = shardOfLink(link)
    if (!shard) return Promise.resolve(new Map())
    if (!shards.has(shard)) {
      shards.set(shard, fetch(new URL(shard, root))
        .then(response => response.ok ? response.json() : {})
        .catch(() => ({}))
        .then(data => {
          const entries = new Map(Object.entries(data).map(([url, entry]) => [decoded(url), entry]))
          loaded.set(shard, entries)
          return entries
        }))
    }
    return shards.get(shard)
  }

  // What a link previews: a note, or one section of a note. Nothing for a link leaving the
  // site, to a page that is no note, or to this very page unless it names one of its sections.
  const previewOf = (entries, link) => {
    const url = inSite(link)
    if (!url) return null
    const path = pathOf(url)
    const note = entries.get(path)
    const anchor = decoded(url.hash.slice(1))
    const section = note && anchor && Object.hasOwn(note.sections, anchor) ? note.sections[anchor] : null
    return note && (section || path !== pathOf(location)) ? { note, section } : null
  }

  // Material mounts its tooltip on every element with a title when a page loads (before this
  // runs), and shows it on hover and focus whatever the title is by then. So each link that may
  // have a preview is replaced by a copy without its title holding the same children, which
  // that tooltip is not attached to. Headings' permalinks and footnotes' back links keep theirs.
  const takeOver = () => {
    const selector = ".md-content a[href][title]:not(.headerlink, .footnote-backref, .md-content__button)"
    for (const link of document.querySelectorAll(selector)) {
      const entries = inSite(link) && loaded.get(shardOfLink(link))
      if (!inSite(link) || (entries && !previewOf(entries, link))) continue
      const copy = link.cloneNode(false)
      copy.removeAttribute("title")
      copy.append(...link.childNodes)
      link.replaceWith(copy)
      titles.set(copy, link.title)
    }
  }

  const linkAt = target => {
    const link = target instanceof Element ? target.closest("a") : null
    return link && titles.has(link) ? link : null
  }

  const paragraph = (className, text) => {
    const element = document.createElement("p")
    element.className = className
    element.textContent = text
    return element
  }

  // Preview HTML as elements, never run: a template's content is inert (no script runs, no image
  // loads). What a popover never shows is removed again here, whatever the file holds: content
  // that runs or loads, links (their text stays), ids, handlers, styles and URLs.
  const DROPPED = "script, style, iframe, frame, object, embed, img, picture, video, audio, svg, math, form, "
    + "input, button, link, meta, base, template"
  const body = html => {
    const template = document.createElement("template")
    template.innerHTML = html
    const content = template.content
    for (const element of content.querySelectorAll(DROPPED)) element.remove()
    for (const anchor of content.querySelectorAll("a")) anchor.replaceWith(...anchor.childNodes)
    for (const element of content.querySelectorAll("*")) {
      for (const { name } of [...element.attributes]) {
        if (!["class", "title", "lang", "dir", "start", "reversed", "type", "colspan", "rowspan",
              "align", "scope", "span", "open", "datetime"].includes(name)) element.removeAttribute(name)
      }
    }
    const element = document.createElement("div")
    element.className = "garden-preview__body md-typeset"  // lists, code and admonitions as the page has them
    element.append(content)
    return element
  }

  // A note: its title, summary and opening. A section: the note's title, the heading and the
  // section (the note's summary when it shows nothing); of a note previewed whole, the note,
  // scrolled to the heading once shown (`scrollToHeading`).
  const fill = ({ note, section }, link, withOpenLink) => {
    const whole = section && section.at !== undefined
    const texts = section && !whole
      ? [["title", note.title], ["heading", section.heading], section.html ? null : ["summary", note.summary]]
      : [["title", note.title], ["summary", note.summary]]
    const parts = texts.filter(part => part && part[1])
      .map(([part, text]) => paragraph(`garden-preview__${part}`, text))
    const html = section && !whole ? section.html : note.html
    if (html) parts.push(body(html))
    if (withOpenLink) {
      const open = document.createElement("a")
      open.className = "garden-preview__open"
      open.href = link.href
      open.textContent = "Open"
      parts.push(open)
    }
    popover.replaceChildren(...parts)
  }

  // Where a link is running text: a paragraph or a table cell of the article, not a list item
  // nor any of the garden's chrome. Only there does a first tap preview.
  const PROSE = ".md-content p, .md-content td, .md-content th, .md-content dd"
  const NOT_PROSE = "li, nav, .garden-meta, .garden-trailbar, .garden-trail, .garden-related, .garden-backlinks, "
    + ".garden-graph, .garden-local-graph, .garden-graph-list"
  const inProse = link => Boolean(link.closest(PROSE)) && !link.closest(NOT_PROSE)

  // The right edge of the text of the list items from `item` on that share rows with a box
  // from `top` to `bottom` (the items before it may be covered: a reader moves down a list).
  const textRight = (item, top, bottom) => {
    const range = document.createRange()
    let right = 0
    for (let next = item; next; next = next.nextElementSibling) {
      range.selectNodeContents(next)
      for (const rect of range.getClientRects()) {
        if (rect.bottom > top && rect.top < bottom && rect.width) right = Math.max(right, rect.right)
      }
      if (next.getBoundingClientRect().top > bottom) break
    }
    return right
  }

  // Beside a list's text, level with the link; above the item when there is no room beside it,
  // below the whole list when there is none above either.
  const besideItem = (line, item, box, width) => {
    const top = Math.max(GAP, Math.min(line.top, window.innerHeight - GAP - box.height))
    const left = textRight(item, top, top + box.height) + GAP
    if (left + box.width <= width - GAP) return { left, top }
    const sideways = Math.max(GAP, Math.min(line.left, width - box.width - GAP))
    const above = item.getBoundingClientRect().top - GAP - box.height
    if (above >= GAP) return { left: sideways, top: above }
    const list = item.parentElement || item
    return { left: sideways, top: list.getBoundingClientRect().bottom + GAP }
  }

  // A link in a list: beside it (above). Any other: below the link (its first line, if it
  // wraps), above it when there is no room below and more above, and moved sideways to stay
  // on the screen.
  const place = link => {
    const line = link.getClientRects()[0] || link.getBoundingClientRect()
    const box = popover.getBoundingClientRect()
    const width = document.documentElement.clientWidth
    const item = link.closest("li")
    let left, top
    if (item) {
      ({ left, top } = besideItem(line, item, box, width))
    } else {
      const below = line.bottom + GAP
      const fitsBelow = below + box.height <= window.innerHeight - GAP
      top = Math.max(GAP, fitsBelow || line.top < window.innerHeight - line.bottom ? below : line.top - GAP - box.height)
      left = Math.max(GAP, Math.min(line.left, width - box.width - GAP))
    }
    popover.style.left = `${left + window.scrollX}px`
    popover.style.top = `${top + window.scrollY}px`
  }

  const close = () => {
    clearTimeout(timer)
    if (shown) shown.removeAttribute("aria-describedby")
    shown = wanted = null
    popover.hidden = true
  }

  // The heading a preview of a whole note was opened for, at the popover's top.
  const scrollToHeading = section => {
    popover.scrollTop = 0
    if (!section || section.at === undefined) return
    const heading = popover.querySelectorAll(".garden-preview__body :is(h1, h2, h3, h4, h5, h6)")[section.at]
    if (heading) popover.scrollTop = heading.getBoundingClientRect().top - popover.getBoundingClientRect().top
  }

  const open = (link, entries, withOpenLink) => {
    const preview = previewOf(entries, link)
    if (!preview) {  // no preview after all: the link gets its title back, and the native tooltip
      link.title = titles.get(link)
      titles.delete(link)
      return
    }
    close()
    fill(preview, link, withOpenLink)
    popover.hidden = false
    place(link)
    scrollToHeading(preview.section)
    link.setAttribute("aria-describedby", popover.id)
    shown = link
  }

  // Open `link`'s preview after `delay`, once the data is here, if the reader still wants it.
  const reach = (link, delay) => {
    if (link === dismissed) return
    if (link === wanted || link === shown) {
      if (link === shown) clearTimeout(timer)  // back on the link: the preview stays
      return
    }
    clearTimeout(timer)
    wanted = link
    const ready = load(link)
    timer = setTimeout(() => ready.then(entries => wanted === link && open(link, entries, false)), delay)
  }

  const leave = () => {
    clearTimeout(timer)
    wanted = null
    if (shown) timer = setTimeout(close, HIDE_DELAY)
  }

  document.addEventListener("pointerover", event => {
    if (event.pointerType === "touch") return
    if (popover.contains(event.target)) {
      if (shown && !wanted) clearTimeout(timer)  // into the popover: it stays
      return
    }
    const link = linkAt(event.target)
    if (link) reach(link, SHOW_DELAY)
  })
  document.addEventListener("pointerout", event => {
    if (event.pointerType === "touch") return
    const from = popover.contains(event.target) ? popover : linkAt(event.target)
    if (!from || from.contains(event.relatedTarget)) return  // still within the link, or the popover
    if (from === dismissed) dismissed = null
    if (from === popover || from === shown || from === wanted) leave()
  })
  // Focus from the keyboard only: a click or a tap focuses a link too, and is handled above or below.
  document.addEventListener("focusin", event => {
    const link = linkAt(event.target)
    if (link && link.matches(":focus-visible")) reach(link, 0)
  })
  document.addEventListener("focusout", event => {
    if (event.target === dismissed) dismissed = null
    if ((event.target === shown || event.target === wanted) && !popover.contains(event.relatedTarget)) close()
  })
  document.addEventListener("keydown", event => {
    if (event.key !== "Escape" || !(shown || wanted)) return
    dismissed = shown || wanted
    close()  // focus stays where it is
  })
  window.addEventListener("resize", close)

  // On window, capturing: before Material's own click handling (instant navigation) sees the tap.
  window.addEventListener("click", event => {
    if (popover.contains(event.target)) return  // the "Open" link, or a tap on the preview's text
    const link = linkAt(event.target)
    if (!touch.matches || !link || link === previewed || !inProse(link)) {  // a click, a second tap, a list: followed
      previewed = null
      close()
      return
    }
    event.preventDefault()
    event.stopImmediatePropagation()
    previewed = link
    load(link).then(entries => {
      if (previewed !== link) return
      if (previewOf(entries, link)) open(link, entries, true)
      else link.click()  // nothing to preview: the tap is followed after all
    })
  }, true)

  document$.subscribe(() => {  // every page, the first and each one instant navigation brings
    close()
    previewed = dismissed = null
    takeOver()
  })
})()
