// Link previews on touch screens. With a mouse or keyboard, Material's tooltips show a link's
// title (the target note's title and summary) on hover and focus. A touch screen has no hover,
// so here the first tap on such a link focuses it, which shows the preview, and a second tap
// on the same link follows it. Devices that can hover are left alone.
(() => {
  if (!window.matchMedia("(hover: none)").matches) return
  let previewed = null
  // On window, capturing: before Material's own click handling (instant navigation) sees the tap.
  window.addEventListener("click", event => {
    // Material moves a title into its tooltip (aria-describedby) when a pointer first touches it.
    const link = event.target.closest(".md-content a:is([title], [aria-describedby]):not(.headerlink, .md-content__button)")
    if (!link || link === previewed) {
      previewed = null
      return
    }
    event.preventDefault()
    event.stopImmediatePropagation()
    previewed = link
    link.focus()
  }, true)
})()
