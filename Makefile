# Two commands for a fresh machine with Python ≥ 3.11, git and make: `make serve`, `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed-from-lock
export NO_MKDOCS_2_WARNING := 1

.PHONY: venv serve build test check bench lock clean note lint linkcheck hooks

# (Re)create the virtual environment whenever the lock file is newer than the last install.
$(INSTALLED): requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	@touch $@

venv: $(INSTALLED)  ## only create .venv from the lock file (CI jobs that need no build)

serve: $(INSTALLED)  ## serve the garden on 127.0.0.1:8000 with live reload
	$(PY) -m mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

# Dates in the site come from the notes and SOURCE_DATE_EPOCH (default: the last commit's time,
# or 0 in a copy without git history such as a source archive), never from the clock, so two
# builds of one commit are byte-identical.
build: $(INSTALLED)  ## strict build into site/: fails on any problem in any note
	SOURCE_DATE_EPOCH="$${SOURCE_DATE_EPOCH:-$$(git log -1 --format=%ct 2>/dev/null || true)}"; \
	SOURCE_DATE_EPOCH="$${SOURCE_DATE_EPOCH:-0}" $(PY) -m mkdocs build --strict

test: $(INSTALLED)  ## the whole test suite
	$(PY) -m pytest

check: $(INSTALLED)  ## validate the notes only (fast; what pre-commit runs)
	$(PY) -m garden check

bench: $(INSTALLED)  ## build speed against bare Material (1,000 and 4,000 notes), then Lighthouse scores
	$(PY) tests/bench.py
	$(PY) tests/lighthouse.py

note: $(INSTALLED)  ## start a note: make note TITLE="…" SUMMARY="…" SECTION=career TAGS=career,leadership (SECTION=journal: a dated entry)
	$(PY) -m garden new "$$TITLE" --summary "$$SUMMARY" --section "$$SECTION" --tags "$$TAGS"

lint: $(INSTALLED)  ## .github/: zizmor's security audit and GitHub's schemas (both offline)
	$(VENV)/bin/zizmor --offline .github
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-issue-forms .github/ISSUE_TEMPLATE/*.yml

# 404.html is left out: it is served at any address, so its links are root-relative to site_url.
linkcheck: build  ## every link, anchor and image inside the built site resolves (offline)
	$(VENV)/bin/lychee --offline --include-fragments --no-progress --index-files index.html \
	  --exclude-path '^site/404\.html$$' site

hooks: $(INSTALLED)  ## run `make check` before every commit that touches notes (pre-commit)
	$(VENV)/bin/pre-commit install

lock:  ## regenerate requirements.lock from pyproject.toml (needs uv)
	uv pip compile pyproject.toml --all-extras --generate-hashes --universal --python-version 3.11 \
	  --no-emit-index-url --no-emit-find-links --no-header -o requirements.lock

clean:
	rm -rf site $(VENV) .pytest_cache
