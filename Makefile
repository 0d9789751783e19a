# Two commands for a fresh machine with Python ≥ 3.11, git and make: `make serve`, `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Two hash-pinned locks, one shared .venv: requirements.lock holds what building the site needs
# (`make serve`, `build`, `check`, `note`); requirements-test.lock holds the same pins plus the
# test and CI tools (`make test`, `lint`, `linkcheck`, `hooks`, `bench`), installed on top.
RUNTIME := $(VENV)/.installed-runtime-lock
TOOLS := $(VENV)/.installed-test-lock
export NO_MKDOCS_2_WARNING := 1

.PHONY: venv serve build test check bench lock clean note lint linkcheck hooks lint-python

# (Re)install whenever a lock file is newer than the last install from it. A change to
# requirements.lock reinstalls both, runtime first, since the test lock is installed over it.
$(RUNTIME): requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	@touch $@

$(TOOLS): requirements-test.lock $(RUNTIME)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-test.lock
	@touch $@

venv: $(TOOLS)  ## only create .venv with every tool from the test lock (CI jobs that need no build)

# GARDEN_SITE_URL (read by mkdocs.yml) puts the preview at the root of the address it is served on.
# --dirty: after the first build, a save rebuilds only the pages it touches (garden/incremental.py).
# A save is noticed through the system's file events (hooks/native_watch.py); POLL=1 polls for
# saves as plain mkdocs serve does, where those events never arrive (a network drive, a container).
serve: $(RUNTIME)  ## serve the garden on http://127.0.0.1:8000/ with live reload
	GARDEN_SITE_URL=http://127.0.0.1:8000/ GARDEN_SERVE_POLL=$(POLL) $(PY) -m mkdocs serve --dirty --dev-addr 127.0.0.1:8000 --livereload

# Dates in the site come from the notes and SOURCE_DATE_EPOCH (default: the last commit's time,
# or 0 in a copy without git history such as a source archive), never from the clock, so two
# builds of one commit are byte-identical.
build: $(RUNTIME)  ## strict build into site/: fails on any problem in any note
	SOURCE_DATE_EPOCH="$${SOURCE_DATE_EPOCH:-$$(git log -1 --format=%ct 2>/dev/null || true)}"; \
	SOURCE_DATE_EPOCH="$${SOURCE_DATE_EPOCH:-0}" $(PY) -m mkdocs build --strict

test: lint-python  ## the whole test suite, after ruff and mypy
	$(PY) -m pytest

lint-python: $(TOOLS)  ## ruff and mypy (strict) on garden/ and tests/ (configured in pyproject.toml)
	$(VENV)/bin/ruff check
	$(VENV)/bin/mypy

check: $(RUNTIME)  ## validate the notes only (fast; what pre-commit runs)
	$(PY) -m garden check

bench: $(TOOLS)  ## build speed against bare Material (1,000 and 4,000 notes), then Lighthouse scores
	$(PY) tests/bench.py
	$(PY) tests/lighthouse.py

note: $(RUNTIME)  ## start a note: make note TITLE="…" SUMMARY="…" SECTION=career TAGS=career,leadership (SECTION=journal: a dated entry)
	$(PY) -m garden new "$$TITLE" --summary "$$SUMMARY" --section "$$SECTION" --tags "$$TAGS"

lint: $(TOOLS)  ## .github/: zizmor's security audit and GitHub's schemas (both offline)
	$(VENV)/bin/zizmor --offline .github
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-issue-forms .github/ISSUE_TEMPLATE/*.yml

# 404.html is left out: it is served at any address, so its links are root-relative to site_url.
linkcheck: build $(TOOLS)  ## every link, anchor and image inside the built site resolves (offline)
	$(VENV)/bin/lychee --offline --include-fragments --no-progress --index-files index.html \
	  --exclude-path '^site/404\.html$$' site

hooks: $(TOOLS)  ## run `make check` before every commit that touches notes (pre-commit)
	$(VENV)/bin/pre-commit install

# The test lock is resolved first; the runtime lock is constrained by it, so both pin the same
# versions and installing the test lock over the runtime one never changes a package.
LOCK_FLAGS := --generate-hashes --universal --python-version 3.11 --no-emit-index-url \
  --no-emit-find-links --no-header
lock:  ## regenerate both hash-pinned locks from pyproject.toml (needs uv)
	uv pip compile pyproject.toml --all-extras $(LOCK_FLAGS) -o requirements-test.lock
	uv pip compile pyproject.toml -c requirements-test.lock $(LOCK_FLAGS) -o requirements.lock

clean:
	rm -rf site $(VENV) .pytest_cache .mypy_cache .ruff_cache
