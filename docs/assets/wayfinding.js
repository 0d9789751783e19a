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
