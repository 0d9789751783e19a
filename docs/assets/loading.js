// What Material's bundle requests, and when. Loaded just before the bundle (overrides/main.html).
//
// 1. Search costs nothing until a reader uses it. Material fetches the search index and starts its
//    search worker (lunr and the Japanese segmenter) on every first visit; here both wait until
//    the search box is first focused, clicked or typed in, or the page was opened from a search
//    (?q=) or a search result (?h=, whose terms Material highlights). Material's `search` setting
//    in #__config (the worker's address, its documented way to swap the worker) names the
//    garden's worker, assets/search-worker.js, which loads Material's on first use and adds the
//    garden's query rules.
// 2. sitemap.xml once per visit. Material fetches it for instant navigation, and again for every
//    <link rel="alternate"> it takes for another language version of the site: the garden's feed
//    links. A second request for it gets the first one's answer instead of the network.
(() => {
  const config = document.getElementById("__config")
  if (!config) return
  const settings = JSON.parse(config.textContent)
  const here = new URL(location.href)
  const worker = new URL("assets/search-worker.js", new URL(settings.base, here))
  worker.searchParams.set("material", new URL(settings.search, here).href)
  settings.search = worker.href
  config.textContent = JSON.stringify(settings)

  let open
  const used = new Promise(resolve => { open = resolve })
  if (here.searchParams.has("q") || here.searchParams.has("h")) open()
  const opens = event => {
    const target = event.target
    if (target instanceof Element && target.closest("[data-md-component=search-query], label[for=__search], #__search"))
      open()
  }
  for (const type of ["focusin", "pointerdown", "keydown", "change"])  // Material's f, s and / focus the box
    document.addEventListener(type, opens, { capture: true })

  // Material requests both files with XMLHttpRequest (progress events, cancellation).
  const { open: openRequest, send } = XMLHttpRequest.prototype
  const addresses = new WeakMap()
  const answers = new Map()  // sitemap address → the first request for it, once it has ended
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    addresses.set(this, new URL(url, here))
    return openRequest.call(this, method, url, ...rest)
  }
  XMLHttpRequest.prototype.send = function (...body) {
    const address = addresses.get(this)
    if (address && /\/search\/search_index\.json$/.test(address.pathname)) {
      used.then(() => send.apply(this, body))
    } else if (address && /\/sitemap\.xml$/.test(address.pathname)) {
      const first = answers.get(address.href)
      if (!first) {
        answers.set(address.href, new Promise(resolve => this.addEventListener("loadend", () => resolve(this))))
        return send.apply(this, body)
      }
      first.then(answer => {
        for (const name of ["readyState", "status", "statusText", "response"])
          Object.defineProperty(this, name, { value: answer[name] })
        this.dispatchEvent(new ProgressEvent(answer.status ? "load" : "error"))
      })
    } else {
      return send.apply(this, body)
    }
  }
})()
