// The garden's search worker: Material's own worker (its address in ?material=), loaded when the
// first search index arrives, with three rules for what readers type:
// - a stop word ("a", "to", "or") is a word, never a prefix: Material makes every term a prefix,
//   so "a" matched every word starting with "a"; written "a^1", lunr drops it as a stop word;
// - a colon inside a word ("1:1") is dropped, as the index drops it from aliases (lunr would
//   read "1:" as a field name and find nothing);
// - a search that finds nothing is tried once more with each word allowing one typo ("stafff").
// Messages are Material's (SearchMessageType): 0 setup, 1 ready, 2 query, 3 result.
const SETUP = 0, QUERY = 2, RESULT = 3
const material = new URL(location.href).searchParams.get("material")
const replayed = new WeakSet()  // events this worker hands on to Material's handler untouched
let loaded = false
let retry                       // the typo-tolerant form of the query being answered, if any

const WORD = /^[\p{L}\p{N}':]+$/u
const isStopWord = word => !self.lunr.stopWordFilter(word.toLowerCase())
const words = query => query.split(/(\s+)/)
const plain = query => words(query).map(word => !WORD.test(word) ? word
  : isStopWord(word) ? `${word}^1` : word.replace(/(?<=[\p{L}\p{N}]):(?=[\p{L}\p{N}])/gu, "")).join("")
const typoTolerant = query => {
  let changed = false
  const tolerant = words(plain(query)).map(word => {
    if (!/^[\p{L}\p{N}']{4,}$/u.test(word)) return word
    changed = true
    return `${word}~1`
  }).join("")
  return changed ? tolerant : undefined
}

// Material's worker loads lunr's languages from addresses relative to its own ("../lunr/…").
const importRelative = self.importScripts.bind(self)
self.importScripts = (...urls) => importRelative(...urls.map(url => new URL(url, material).href))

const handOn = data => {
  const event = new MessageEvent("message", { data })
  replayed.add(event)
  self.dispatchEvent(event)
}

addEventListener("message", event => {
  if (replayed.has(event)) return
  const message = event.data
  if (message.type === SETUP && !loaded) {
    importScripts(material)  // registers Material's handler, which hears only later events
    loaded = true
    handOn(message)
  } else if (message.type === QUERY) {
    retry = typoTolerant(message.data)
    message.data = plain(message.data)
  }
})

const post = self.postMessage.bind(self)
self.postMessage = message => {
  if (message.type === RESULT && !message.data.items.length && retry !== undefined) {
    const query = retry
    retry = undefined
    handOn({ type: QUERY, data: query })
  } else {
    post(message)
  }
}
