# Two commands for a fresh machine with Python ≥ 3.11, git and make: `make serve`, `make test`.
PYTHON ?= python3

# The site engine, named once: its module and command (`python -m $(ENGINE)`), its venv and its
# locks. mkdocs (MkDocs 1.6), or properdocs: MkDocs 1.x's maintained fork, a drop-in for it
# (README: "Engine and theme"). `make build ENGINE=properdocs`, `make test ENGINE=properdocs`.
ENGINE ?= mkdocs
ifeq ($(ENGINE),mkdocs)
# Two hash-pinned locks, one .venv: requirements.lock holds what building the site needs
# (`make serve`, `build`, `check`, `note`); requirements-test.lock holds the same pins plus the
# test and CI tools (`make test`, `lint`, `linkcheck`, `hooks`, `bench`), installed on top.
VENV := .venv
RUNTIME_LOCK := requirements.lock
TEST_LOCK := requirements-test.lock
else ifeq ($(ENGINE),properdocs)
# ProperDocs: its own venv and one lock, the test lock's pins and tools with `properdocs` in
# place of the `mkdocs` distribution (which Material and mkdocs-macros still name: --no-deps).
VENV := .venv-properdocs
RUNTIME_LOCK := requirements-properdocs.lock
TEST_LOCK := requirements-properdocs.lock
else
$(error ENGINE=$(ENGINE): the garden builds with ENGINE=mkdocs or ENGINE=properdocs)
endif
# The tests read it (tests/conftest.py): their builds and `python -m` subprocesses use this engine.
export GARDEN_ENGINE := $(ENGINE)
PY := $(VENV)/bin/python
RUNTIME := $(VENV)/.installed-runtime-lock
TOOLS := $(VENV)/.installed-test-lock
export NO_MKDOCS_2_WARNING := 1
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check --no-deps

.PHONY: venv serve build test pytest test-fast check bench lock clean note lint linkcheck hooks lint-python

# (Re)install whenever a lock file is newer than the last install from it. A change to the
# runtime lock reinstalls both, runtime first, since the test lock is installed over it. Then
# the project itself, editable (its `garden` command; `garden` importable from anywhere): no
# dependency (the lock installed them) and no isolated build (the lock holds the build backend,
# pinned by hash like the rest), so nothing unpinned is ever downloaded.
$(RUNTIME): $(RUNTIME_LOCK) pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --require-hashes -r $(RUNTIME_LOCK)
	$(PIP_INSTALL) --no-build-isolation --editable .
	@touch $@

$(TOOLS): $(TEST_LOCK) $(RUNTIME)
	$(PIP_INSTALL) --require-hashes -r $(TEST_LOCK)
	@touch $@

venv: $(TOOLS)  ## only create .venv with every tool from the test lock (CI jobs that need no build)

# GARDEN_SITE_URL (read by mkdocs.yml) puts the preview at the root of the address it is served on.
# --dirty: after the first build, a save rebuilds only the pages it touches (garden/incremental.py).
# A save is noticed through the system's file events (hooks/native_watch.py); POLL=1 polls for
# saves as plain mkdocs serve does, where those events never arrive (a network drive, a container).
serve: $(RUNTIME)  ## serve the garden on http://127.0.0.1:8000/ with live reload
	GARDEN_SITE_URL=http://127.0.0.1:8000/ GARDEN_SERVE_POLL=$(POLL) $(PY) -m $(ENGINE) serve -f mkdocs.yml --dirty --dev-addr 127.0.0.1:8000 --livereload

# Dates in the site come from the notes and SOURCE_DATE_EPOCH (default: the last commit's time,
# or 0 in a copy without git history such as a source archive), never from the clock, so two
# builds of one commit are byte-identical.
build: $(RUNTIME)  ## strict build into site/: fails on any problem in any note
	SOURCE_DATE_EPOCH="$${SOURCE_DATE_EPOCH:-$$(git log -1 --format=%ct 2>/dev/null || true)}"; \
	SOURCE_DATE_EPOCH="$${SOURCE_DATE_EPOCH:-0}" $(PY) -m $(ENGINE) build --strict -f mkdocs.yml

test: lint-python pytest  ## ruff and mypy, then the whole test suite

pytest: $(TOOLS)  ## the whole test suite alone (CI runs lint-python as a step of its own before it)
	$(PY) -m pytest

# The tiers are marked in tests/conftest.py from what each test uses: unit, site, browser.
test-fast: $(TOOLS)  ## the inner loop: model, views and templates; no site build, no browser (seconds)
	$(PY) -m pytest -m unit -q

lint-python: $(TOOLS)  ## ruff and mypy (strict) on garden/ and tests/ (configured in pyproject.toml)
	$(VENV)/bin/ruff check
	$(VENV)/bin/mypy

check: $(RUNTIME)  ## validate the notes only (fast; what pre-commit runs)
	$(VENV)/bin/garden check

# BENCH_ARGS: tests/bench.py's options, e.g. BENCH_ARGS=--quick (300 notes, one run) or
# BENCH_ARGS="--sizes 2000 --runs 5". Peers are measured when installed (its docstring: QUARTZ_DIR, hugo).
bench: $(TOOLS)  ## cold/warm builds against bare Material and peers, serve latency, first hover; then Lighthouse
	$(PY) tests/bench.py $(BENCH_ARGS)
	$(PY) tests/lighthouse.py

note: $(RUNTIME)  ## start a note: make note TITLE="…" SUMMARY="…" SECTION=career TAGS=career,leadership (SECTION=journal: a dated entry)
	$(VENV)/bin/garden new "$$TITLE" --summary "$$SUMMARY" --section "$$SECTION" --tags "$$TAGS"

lint: $(TOOLS)  ## .github/: zizmor's security audit and GitHub's schemas (both offline)
	$(VENV)/bin/zizmor --offline .github
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-issue-forms .github/ISSUE_TEMPLATE/*.yml

# The site `make build` left (`make build linkcheck`: built once, then checked); CI checks the
# site it is about to upload. 404.html is left out: it is served at any address, so its links
# are root-relative to site_url.
linkcheck: $(TOOLS)  ## every link, anchor and image inside the built site resolves (offline)
	@test -f site/index.html || { echo "linkcheck: no site/ to check: run make build first" >&2; exit 1; }
	$(VENV)/bin/lychee --offline --include-fragments --no-progress --index-files index.html \
	  --exclude-path '^site/404\.html$$' site

hooks: $(TOOLS)  ## run `make check` before every commit that touches notes (pre-commit)
	$(VENV)/bin/pre-commit install

# The test lock is resolved first; the other two are constrained by it, so all pin the same
# versions and installing the test lock over the runtime one never changes a package. The
# ProperDocs lock leaves the `mkdocs` distribution out (--excludes reads it from stdin).
# An existing lock's pins are kept unless pyproject.toml needs others: UPGRADE=1 takes the newest.
LOCK_FLAGS := --generate-hashes --universal --python-version 3.11 --no-emit-index-url \
  --no-emit-find-links --no-header $(if $(UPGRADE),--upgrade)
UV := $(VENV)/bin/uv
lock: $(TOOLS)  ## regenerate the three hash-pinned locks from pyproject.toml (uv, from the test lock)
	$(UV) pip compile pyproject.toml --group build --group test --group lock --group ci $(LOCK_FLAGS) \
	  -o requirements-test.lock
	$(UV) pip compile pyproject.toml --group build -c requirements-test.lock $(LOCK_FLAGS) -o requirements.lock
	echo mkdocs | $(UV) pip compile pyproject.toml --group build --group test --group properdocs \
	  --excludes - -c requirements-test.lock $(LOCK_FLAGS) -o requirements-properdocs.lock

clean:
	rm -rf site .venv .venv-properdocs .cache .pytest_cache .mypy_cache .ruff_cache
