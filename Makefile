# Rasoat — the two commands a newcomer needs are `make run` and `make test`.
# Every target sets up what it needs first.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup run test test-python test-js e2e-deps screenshots eval docs bench extension lint clean

## setup: create .venv and install the project with its test dependencies
setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## run: start the check service on http://127.0.0.1:8765 with the default pack
run: setup
	$(PY) -m server

## test: every test — Python (engine, CLI, server, browsers) and the extension's node tests
test: setup test-js test-python

test-python: setup e2e-deps
	$(PY) -m pytest

## e2e-deps: the real editor libraries (npm ci) bundled into the end-to-end fixture pages, and web-ext
E2E := tests/e2e/fixtures
e2e-deps: $(E2E)/build/.stamp

$(E2E)/build/.stamp: $(E2E)/package-lock.json $(E2E)/build.mjs $(wildcard $(E2E)/src/*.js)
	cd $(E2E) && npm ci --no-audit --no-fund --loglevel=error && node build.mjs
	touch $@

## screenshots: refresh docs/img/*.png from the real browser (the e2e screenshot test)
screenshots: setup e2e-deps
	RASOAT_SCREENSHOTS=docs/img $(PY) -m pytest tests/e2e/test_e2e_typing.py -k screenshots -q

test-js:
	node --test tests/extension/

## eval: recall / precision per category on the dev corpus, the held-out set and the shared sample
# The shared sample lies in shared/ beside the main clone (a git worktree's is where .git is).
SAMPLE := $(shell git_dir=$$(git rev-parse --path-format=absolute --git-common-dir 2>/dev/null) \
	&& echo "$$(dirname "$$git_dir")/../shared/corpus/sample.jsonl" || echo ../shared/corpus/sample.jsonl)
eval: setup
	$(PY) -m policy eval tests/corpus/dev-*.jsonl
	$(PY) -m policy eval tests/corpus/holdout/holdout.jsonl
	@if [ -f "$(SAMPLE)" ]; then \
		$(PY) -m policy eval "$(SAMPLE)"; \
	else echo "eval: $(SAMPLE) not found (no shared/ beside the clone), skipped"; fi

## docs: regenerate docs/rules/*.md from the packs
docs: setup
	$(PY) -m policy docs --output docs/rules

## bench: engine, HTTP, browser and observer benchmarks (not part of `make test`)
bench: setup e2e-deps
	$(PY) -m bench

## extension: zip the Chrome and Firefox packages into dist/
# One manifest serves both browsers, so both packages hold the same files (no build step).
EXT_FILES := manifest.json background.js managed_schema.json _locales content icons lib options popup welcome
extension:
	mkdir -p dist && rm -f dist/rasoat-chrome.zip dist/rasoat-firefox.zip
	cd extension && $(PYTHON) -m zipfile -c ../dist/rasoat-chrome.zip $(EXT_FILES)
	cd extension && $(PYTHON) -m zipfile -c ../dist/rasoat-firefox.zip $(EXT_FILES)
	@echo "dist/rasoat-chrome.zip dist/rasoat-firefox.zip"

## lint: ruff over the Python (its checks and its format), a syntax check of every extension script
lint: setup
	$(PY) -m ruff check policy server bench tests
	$(PY) -m ruff format --check policy server bench tests
	for f in $$(find extension -name '*.js'); do node --check $$f || exit 1; done

clean:
	rm -rf $(VENV) dist .pytest_cache .hypothesis
