# fiscalkg — set-up and everyday commands. `make run` and `make test` are all a
# fresh machine needs (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE ?= var/store
HOST ?= 127.0.0.1
PORT ?= 8000
SAMPLE := samples/000_db8f0e8ff5a3a27e.txt

.PHONY: install run test bench assets browser clean

$(BIN)/fiscalkg: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

install: $(BIN)/fiscalkg assets

# Front-end packages (ECharts, YASGUI) come from the npm registry, served by the app.
assets:
	@if [ -f package.json ]; then scripts/install-assets.sh; fi

# A real browser for the UI tests: Debian's chromium (installed when missing and we are root).
browser:
	@scripts/ensure-browser.sh

run: install
	$(BIN)/fiscalkg ingest $(SAMPLE) --store $(STORE)
	$(BIN)/fiscalkg serve --store $(STORE) --host $(HOST) --port $(PORT)

test: install browser
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var node_modules service/static/vendor
