# Two commands for a fresh machine with Python ≥ 3.11, git and make: `make serve`, `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed-from-lock
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test check bench lock clean

# (Re)create the virtual environment whenever the lock file is newer than the last install.
$(INSTALLED): requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	@touch $@

serve: $(INSTALLED)  ## serve the garden on 127.0.0.1:8000 with live reload
	$(PY) -m mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

build: $(INSTALLED)  ## strict build into site/: fails on any problem in any note
	$(PY) -m mkdocs build --strict

test: $(INSTALLED)  ## the whole test suite
	$(PY) -m pytest

check: $(INSTALLED)  ## validate the notes only (fast; what pre-commit runs)
	$(PY) -m garden check

bench: $(INSTALLED)  ## build synthetic gardens of 1,000 and 4,000 notes against bare Material
	$(PY) tests/bench.py

lock:  ## regenerate requirements.lock from pyproject.toml (needs uv)
	uv pip compile pyproject.toml --extra test --generate-hashes --universal --python-version 3.11 \
	  --no-emit-index-url --no-emit-find-links --no-header -o requirements.lock

clean:
	rm -rf site $(VENV) .pytest_cache
