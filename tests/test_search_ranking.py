"""Search ranks the note a reader means: queries a reader types about this garden, each with the
note it should find, typed into the real garden's search box in Chromium.

Ranks are counted in notes (Material groups a page's sections under it): 1 is the first result.
The bar: at least 30 of the 32 queries put their note in the top 3 (issue 22 asked for 23 of 25).
Also: the search index, Material's worker and lunr load on first use of the search box, not with
the page; sitemap.xml is fetched once.
"""

from __future__ import annotations

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")

QUERIES = {  # what a reader types → the note it means
    "when to leave a job": "career/job-leave-triggers/",
    "reasons to leave a job": "career/job-leave-triggers/",
    "quit": "career/job-leave-triggers/",
    "manager or IC": "career/manager-or-principal-engineer/",
    "should I become a manager": "career/manager-or-principal-engineer/",
    "burnout": "career/health-comes-first/",
    "1:1": "leadership/relationships-are-not-for-efficiency/",
    "one-on-ones": "leadership/relationships-are-not-for-efficiency/",
    "stafff": "career/staff-engineer-archetypes/",
    "staff engineer": "career/staff-engineer-archetypes/",
    "postmortem": "culture/blameless-post-mortems/",
    "MTTR": "culture/measure-recovery-not-blame/",
    "tech debt": "leadership/technical-debt-is-a-loan/",
    "hiring": "leadership/hiring-well/",
    "psychological safety": "culture/safe-to-fail-cultures/",
    "growth mindset": "leadership/growth-mindset/",
    "giving feedback": "leadership/build-rapport-before-giving-feedback/",
    "radical candor": "culture/open-feedback-and-radical-candour/",
    "one-way door": "culture/one-way-and-two-way-doors/",
    "caching": "mental-models/scale-reads-with-caching/",
    "sharding": "mental-models/scale-writes-with-sharding/",
    "code review": "mental-models/code-review-three-questions/",
    "engineering strategy": "strategy/engineering-strategy-from-decision-to-practice/",
    "cargo cult": "strategy/cargo-culting-strategy/",
    "reduced hours japan": "policy/japan-reduced-hours-for-parents/",
    "job search": "career/test-the-market-regularly/",
    "mental health": "leadership/a-managers-own-mental-health/",
    "big o": "mental-models/big-o-intuition/",
    "acquisition": "strategy/integrating-an-acquisition/",
    "accountability": "leadership/hold-people-accountable/",
    "root cause": "mental-models/antifragility-and-root-cause-analysis/",
    "async": "leadership/asynchronous-first-organisations/",
}


COUNT_RESULTS = """
    // Counts the search worker's answers (Material's message type 3): one per query, since the
    // garden's worker answers a query it retries only once, with the retry's results.
    window.searchAnswers = 0
    const NativeWorker = window.Worker
    window.Worker = class extends NativeWorker {
        constructor(...args) {
            super(...args)
            this.addEventListener("message", event => {
                if (event.data && event.data.type === 3) window.searchAnswers++
            })
        }
    }
"""


def search_ranks(page, base: str, queries: dict[str, str]) -> dict[str, int | None]:
    """Type each query into the search box of `base`'s home page; the rank of its note among the
    result notes (None: not found). Used by the test and to measure a build before a change."""
    page.add_init_script(COUNT_RESULTS)
    page.goto(base)
    box = page.locator(".md-search__input")
    box.click()
    page.wait_for_function("""() => !/Initializing/i.test(
        document.querySelector('.md-search-result__meta').textContent)""")
    ranks: dict[str, int | None] = {}
    for query, note in queries.items():
        answered = page.evaluate("window.searchAnswers")
        box.fill(query)
        box.press("End")  # a key: Material searches on key events
        page.wait_for_function("answered => window.searchAnswers > answered", arg=answered)
        page.wait_for_timeout(100)  # the answer drawn
        found = page.eval_on_selector_all(".md-search-result__item > a", "as => as.map(a => a.pathname)")
        notes = list(dict.fromkeys(str(path).removeprefix(base_path(base)) for path in found))
        ranks[query] = notes.index(note) + 1 if note in notes else None
    return ranks


def base_path(base: str) -> str:
    return "/" + base.split("/", 3)[3]


def test_readers_queries_find_their_note_in_the_top_three(page, server):
    ranks = search_ranks(page, server, QUERIES)
    print("\n".join(f"{query!r}: {rank}" for query, rank in ranks.items()))
    assert len(QUERIES) >= 25
    top_three = [query for query, rank in ranks.items() if rank is not None and rank <= 3]
    # The bar is 23; the garden puts all 32 in the top 3 (31 first), and before the
    # ranking rules only 23: 30 leaves room for new notes that compete for a query.
    assert len(top_three) >= 30, {query: rank for query, rank in ranks.items() if query not in top_three}


def test_a_stop_word_alone_is_no_prefix(page, server):
    """"a" once matched every word starting with a (the tags ai and acquisitions)."""
    assert search_ranks(page, server, {"a": "career/career-advice-for-2025/"}) == {"a": None}
    assert page.locator(".md-search-result__item").count() == 0


def test_search_code_and_index_load_on_first_use(page, server):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(server + "career/job-leave-triggers/")
    page.wait_for_load_state("networkidle")
    searching = ("search_index.json", "/workers/search", "/lunr/")
    assert not [url for url in requested if any(part in url for part in searching)]
    page.locator(".md-search__input").focus()
    page.keyboard.type("hiring")
    page.wait_for_selector(".md-search-result__item")
    assert [url for url in requested if "search_index.json" in url]
    assert [url for url in requested if "/workers/search" in url]


def test_sitemap_is_fetched_once_per_page_load(page, server):
    """Material fetched sitemap.xml for instant navigation and again for each feed link (its
    `link[rel=alternate]`, which it reads as another language version of the site)."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(server + "tags/career/")  # two feed links: the changelog's and the tag's
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    assert len(page.locator("link[rel=alternate]").all()) == 2
    assert len([url for url in requested if url.endswith("/sitemap.xml")]) == 1


def test_a_colon_inside_an_alias_is_dropped_as_the_worker_drops_it_from_queries(real_garden):
    """lunr reads "1:" as a field name: "1:1" can only be found as "11", on both sides."""
    from garden.search import alias_text
    note = real_garden.notes["leadership/relationships-are-not-for-efficiency.md"]
    assert "11s" in alias_text(note).split(" · ")
