// A table wider than the screen scrolls sideways inside Material's wrapper
// (.md-typeset__scrollwrap, added by Material on every page load). A keyboard reaches only what
// can take focus, so a wrapper that scrolls is made focusable (the arrow keys then scroll it)
// and named as a region; one that fits stays out of the tab order. Checked again on every page
// of instant navigation (Material's document$) and when the window is resized.
(() => {
  const name = wrapper => {
    const table = wrapper.querySelector("table")
    const caption = table && table.caption && table.caption.textContent.trim()
    let heading = wrapper.previousElementSibling
    while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling
    const under = heading && heading.textContent.replace(/¶$/, "").trim()
    return caption || (under ? `Table: ${under}` : "Table")
  }
  const update = () => {
    for (const wrapper of document.querySelectorAll(".md-typeset__scrollwrap")) {
      if (wrapper.scrollWidth > wrapper.clientWidth) {
        wrapper.tabIndex = 0
        wrapper.setAttribute("role", "region")
        wrapper.setAttribute("aria-label", name(wrapper))
      } else {
        for (const attribute of ["tabindex", "role", "aria-label"]) wrapper.removeAttribute(attribute)
      }
    }
  }
  document$.subscribe(update)
  window.addEventListener("resize", update)
})()

// Keyboard ways in. Material's "Skip to content" leads to the first heading, past the title and
// the note's opening, and is missing where a page has no headings (tag pages, the graph): here it
// leads to the start of the article (overrides/main.html places #garden-article before the
// title) on every page, and focus lands there. Material's header buttons for the navigation
// drawer and search, and the 404 page's "Search the garden", are labels for its toggles, which a
// keyboard cannot reach: they become buttons (focusable, Enter and Space), and the drawer, once
// opened from the keyboard, takes focus; Escape closes it and gives focus back.
;(() => {
  const NAMES = { __drawer: "Navigation", __search: "Search" }
  const TOGGLES = "label.md-header__button[for=__drawer], label.md-header__button[for=__search], label.garden-not-found__search"

  const skipLink = () => {
    const target = document.getElementById("garden-article")
    const holder = document.querySelector("[data-md-component=skip]")
    if (!target || !holder) return
    let link = holder.querySelector(".md-skip")
    if (!link) {
      link = document.createElement("a")
      link.className = "md-skip"
      link.textContent = "Skip to content"
      holder.append(link)
    }
    link.href = "#garden-article"
  }

  const buttons = () => {
    for (const label of document.querySelectorAll(TOGGLES)) {
      label.tabIndex = 0
      label.setAttribute("role", "button")
      if (NAMES[label.htmlFor] && !label.hasAttribute("aria-label")) label.setAttribute("aria-label", NAMES[label.htmlFor])
    }
    const drawer = document.getElementById("__drawer")
    const menu = document.querySelector("label.md-header__button[for=__drawer]")
    if (drawer && menu) menu.setAttribute("aria-expanded", String(drawer.checked))
  }

  // A skip link (Material's, or the graph page's) moves focus to where it leads, a landing that
  // only a script focuses (tabindex -1): instant navigation would only scroll there.
  document.addEventListener("click", event => {
    const link = event.target instanceof Element && event.target.closest("a[href*='#']")
    const url = link && new URL(link.href, location.href)
    const id = url && url.pathname === location.pathname && decodeURIComponent(url.hash.slice(1))
    const target = id && document.getElementById(id)
    if (!target || target.getAttribute("tabindex") !== "-1") return
    event.preventDefault()
    target.scrollIntoView()
    target.focus({ preventScroll: true })
  }, true)

  document.addEventListener("keydown", event => {
    const drawer = document.getElementById("__drawer")
    if (event.key === "Escape" && drawer && drawer.checked) {
      drawer.checked = false
      drawer.dispatchEvent(new Event("change"))
      buttons()
      const menu = document.querySelector("label.md-header__button[for=__drawer]")
      if (menu) menu.focus()
      return
    }
    const label = event.target instanceof Element && event.target.matches(TOGGLES) ? event.target : null
    if (!label || (event.key !== "Enter" && event.key !== " ")) return
    if (event.key === " ") {  // Material's own keyboard handling clicks a focused label on Enter
      event.preventDefault()
      label.click()
    }
    setTimeout(() => {  // once the toggle has changed and the drawer is visible (garden.css)
      buttons()
      const first = document.querySelector(".md-sidebar--primary a[href]")
      if (label.htmlFor === "__drawer" && drawer && drawer.checked && first) first.focus()
    }, 50)
  })

  document.addEventListener("change", event => {
    if (event.target instanceof Element && event.target.id === "__drawer") buttons()
  })

  document$.subscribe(() => {
    skipLink()
    buttons()
  })
})()
