// The graph page, for readers with a script: zoom (buttons, Ctrl or ⌘ and the wheel, pinch) and
// pan (drag), every label shown from LABEL_ZOOM on, a find box that centres and highlights a
// note, and a note's neighbours highlighted while its dot is hovered or focused. The wheel alone
// scrolls the page (the picture is most of a screen tall). On a touch screen the first tap on a
// dot shows its name and neighbours and the second opens it. Without a script the page still
// shows the whole picture, whose dots are links that show their titles on hover and focus.
// Bound on every page Material shows, instant navigation included; pages without a graph are
// left alone.
(() => {
  const MIN_ZOOM = 1
  const MAX_ZOOM = 8
  const STEP = 1.5
  const DRAG_THRESHOLD = 5 // px a pointer moves before a press becomes a drag, not a click
  const LABEL_ZOOM = 3 // from this zoom on, dots are far enough apart for every label to show
  const FOUND_ZOOM = 4 // the zoom a found note is shown at, with its neighbours' labels

  function setUp(graph) {
    if (graph.dataset.zoomable !== undefined) return
    graph.dataset.zoomable = ""
    const viewport = graph.querySelector(".garden-graph__viewport")
    const stage = graph.querySelector(".garden-graph__stage")
    const controls = graph.querySelector(".garden-graph__controls")
    const dots = new Map([...stage.querySelectorAll(".garden-dot")].map(dot => [dot.dataset.id, dot]))
    const lines = new Map()
    for (const line of stage.querySelectorAll(".garden-graph__lines line")) {
      for (const id of [line.dataset.a, line.dataset.b]) lines.set(id, [...(lines.get(id) ?? []), line])
    }
    let view = { scale: 1, x: 0, y: 0 }

    // The picture always covers the viewport: it cannot be zoomed out or dragged out of sight.
    function show(next) {
      const width = viewport.clientWidth
      const height = viewport.clientHeight
      const scale = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, next.scale))
      const x = Math.min(0, Math.max(width - width * scale, next.x))
      const y = Math.min(0, Math.max(height - height * scale, next.y))
      view = { scale, x, y }
      stage.style.transform = `translate(${x}px, ${y}px) scale(${scale})`
      stage.style.setProperty("--zoom", String(scale))
      viewport.classList.toggle("is-zoomed", scale > 1)
      graph.classList.toggle("shows-labels", scale >= LABEL_ZOOM)
    }

    // Zoom by `factor` keeping the point (x, y) of the viewport where it is.
    function zoomAt(factor, x, y) {
      const scale = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, view.scale * factor))
      const k = scale / view.scale
      show({ scale, x: x - (x - view.x) * k, y: y - (y - view.y) * k })
    }

    function highlight(dot) {
      for (const active of stage.querySelectorAll(".is-active, .is-neighbour")) {
        active.classList.remove("is-active", "is-neighbour")
      }
      graph.classList.toggle("is-highlighting", Boolean(dot))
      if (!dot) return
      dot.classList.add("is-active")
      keepInside(dot.querySelector(".garden-dot__label"))
      for (const id of dot.dataset.neighbours.split(" ")) dots.get(id)?.classList.add("is-neighbour")
      for (const line of lines.get(dot.dataset.id) ?? []) line.classList.add("is-active")
    }

    // A label near the viewport's edge moves (or goes below its dot) so it is read whole.
    function keepInside(label) {
      label.style.translate = ""
      label.classList.remove("is-below")
      const box = viewport.getBoundingClientRect()
      if (label.getBoundingClientRect().top < box.top) label.classList.add("is-below")
      const at = label.getBoundingClientRect()
      const shift = Math.max(box.left + 4 - at.left, Math.min(0, box.right - 4 - at.right))
      if (shift) label.style.translate = `calc(-50% + ${shift}px) 0`
    }

    // A dot reached by keyboard while zoomed in is brought into view.
    function reveal(dot) {
      const box = viewport.getBoundingClientRect()
      const at = dot.getBoundingClientRect()
      const x = at.left + at.width / 2 - box.left
      const y = at.top + at.height / 2 - box.top
      if (x < 0 || y < 0 || x > box.width || y > box.height) {
        show({ scale: view.scale, x: view.x + box.width / 2 - x, y: view.y + box.height / 2 - y })
      }
    }

    controls.hidden = false
    controls.addEventListener("click", event => {
      const action = event.target.closest("button[data-zoom]")?.dataset.zoom
      if (action === "reset") show({ scale: 1, x: 0, y: 0 })
      else if (action) zoomAt(action === "in" ? STEP : 1 / STEP, viewport.clientWidth / 2, viewport.clientHeight / 2)
    })

    // The find box: a title (or part of one) centres its dot at FOUND_ZOOM, highlighted and focused.
    const find = controls.querySelector(".garden-graph__find")
    const titles = find.querySelector("datalist")
    const titleOf = dot => dot.querySelector(".garden-dot__label").firstChild.textContent.trim()
    titles.replaceChildren(...[...dots.values()].map(dot => new Option(titleOf(dot))))
    find.addEventListener("submit", event => {
      event.preventDefault()
      const wanted = find.querySelector("input").value.trim().toLowerCase()
      if (!wanted) return
      const all = [...dots.values()]
      const dot = all.find(d => titleOf(d).toLowerCase() === wanted) || all.find(d => titleOf(d).toLowerCase().includes(wanted))
      find.querySelector("input").setCustomValidity(dot ? "" : "No note in the graph has that title")
      if (!dot) return find.reportValidity()
      const width = viewport.clientWidth
      const height = viewport.clientHeight
      const x = parseFloat(dot.style.left) / 100 * width
      const y = parseFloat(dot.style.top) / 100 * height
      show({ scale: FOUND_ZOOM, x: width / 2 - x * FOUND_ZOOM, y: height / 2 - y * FOUND_ZOOM })
      dot.focus({ preventScroll: true })
      highlight(dot)
    })
    find.querySelector("input").addEventListener("input", event => event.target.setCustomValidity(""))

    viewport.addEventListener("wheel", event => {
      if (!event.ctrlKey && !event.metaKey) return  // the page scrolls
      event.preventDefault()
      const box = viewport.getBoundingClientRect()
      const pixels = event.deltaMode === WheelEvent.DOM_DELTA_PIXEL ? event.deltaY : event.deltaY * 16
      zoomAt(Math.exp(-pixels * 0.002), event.clientX - box.left, event.clientY - box.top)
    }, { passive: false })

    // Drag with one pointer pans; two touching pointers pinch.
    const pointers = new Map()
    let travel = 0
    let pressedBy = ""  // the pointer of the last press: a click's own pointerType may not say touch
    let tapped = null  // the dot the last tap selected: a second tap on it opens it
    viewport.addEventListener("pointerdown", event => {
      pressedBy = event.pointerType
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY })
      if (pointers.size === 1) travel = 0
    })
    viewport.addEventListener("pointermove", event => {
      const last = pointers.get(event.pointerId)
      if (!last) return
      const point = { x: event.clientX, y: event.clientY }
      travel += Math.hypot(point.x - last.x, point.y - last.y)
      if (travel > DRAG_THRESHOLD && !viewport.hasPointerCapture(event.pointerId)) {
        viewport.setPointerCapture(event.pointerId)
      }
      if (pointers.size === 1) {
        show({ scale: view.scale, x: view.x + point.x - last.x, y: view.y + point.y - last.y })
      } else if (pointers.size === 2) {
        const other = [...pointers.entries()].find(([id]) => id !== event.pointerId)[1]
        const box = viewport.getBoundingClientRect()
        zoomAt(Math.hypot(point.x - other.x, point.y - other.y) / Math.hypot(last.x - other.x, last.y - other.y),
          (point.x + other.x) / 2 - box.left, (point.y + other.y) / 2 - box.top)
      }
      pointers.set(event.pointerId, point)
    })
    for (const type of ["pointerup", "pointercancel"]) {
      viewport.addEventListener(type, event => pointers.delete(event.pointerId))
    }
    viewport.addEventListener("dragstart", event => event.preventDefault())
    // After a drag, the click is not a click; on a touch screen the first tap on a dot shows
    // its title and neighbours, the second opens it. Capturing: before instant navigation.
    viewport.addEventListener("click", event => {
      const dot = event.target.closest(".garden-dot")
      // (A touch focuses the dot, which highlights it, before the click: what counts is the last tap.)
      const firstTouch = dot && pressedBy === "touch" && dot !== tapped
      if (!dot) tapped = null
      if (travel > DRAG_THRESHOLD || firstTouch) {
        event.preventDefault()
        event.stopPropagation()
      }
      if (firstTouch && travel <= DRAG_THRESHOLD) {
        tapped = dot
        dot.focus({ preventScroll: true })
        highlight(dot)
      }
    }, true)

    stage.addEventListener("pointerover", event => {
      const dot = event.target.closest(".garden-dot")
      if (dot && event.pointerType !== "touch") highlight(dot)
    })
    stage.addEventListener("pointerout", event => {
      if (event.pointerType !== "touch" && !event.relatedTarget?.closest?.(".garden-dot")) {
        highlight(stage.querySelector(".garden-dot:focus"))
      }
    })
    stage.addEventListener("focusin", event => {
      const dot = event.target.closest(".garden-dot")
      if (!dot) return
      reveal(dot)
      highlight(dot)
    })
    stage.addEventListener("focusout", event => {
      if (!event.relatedTarget?.closest?.(".garden-dot")) highlight(null)
    })
  }

  document$.subscribe(() => {
    for (const graph of document.querySelectorAll(".garden-graph--page")) setUp(graph)
  })
})()
