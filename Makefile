# Everything a fresh clone needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install test lint unit demo bench soak clean browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# the tools see `costzero` through pkg/costzero (links to src/ and containers.py): no copies
lint: install
	$(BIN)/ruff check src containers.py tests benchmarks
	$(BIN)/mypy -p costzero
	$(BIN)/lint-imports

# 3 workers on 2 cores: the tests are mostly CPU now (moto in-process, the CLI through CliRunner);
# a third worker fills the waits of the signal and crash tests. Each worker has its own moto server.
test: lint
	$(BIN)/pytest -q -n 3

# The generated-account tests with many more random accounts than `make test` draws (6 and 3, fixed,
# after one hand-written account and estate that hold every kind of link and state).
SOAK_EXAMPLES ?= 200
soak: install
	SOAK_EXAMPLES=$(SOAK_EXAMPLES) $(BIN)/pytest -q tests/integration/test_generated_accounts.py \
		tests/integration/test_generated_parking.py

# Chromium for the run report's browser test (tests/e2e/test_report_browser.py): Debian's package,
# installed when `chromium` is not on PATH (as root, with apt-get). It never fails the build: when it
# cannot install, it says why in one line and the browser test skips with that reason.
BROWSER_PACKAGE ?= chromium
browser:
	@if command -v chromium >/dev/null 2>&1; then \
		echo "browser: $$(command -v chromium)"; \
	elif [ "$$(id -u)" != 0 ]; then \
		echo "browser: chromium not installed; installing it needs root (the browser test will skip)"; \
	elif ! command -v apt-get >/dev/null 2>&1; then \
		echo "browser: chromium not installed and no apt-get here (the browser test will skip)"; \
	else \
		log=$$(mktemp); \
		if (apt-get update && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y --no-install-recommends $(BROWSER_PACKAGE)) >$$log 2>&1; then \
			echo "browser: installed $(BROWSER_PACKAGE): $$(command -v chromium)"; \
		else \
			reason=$$(grep '^E:' $$log | tail -n 1); \
			echo "browser: apt-get could not install $(BROWSER_PACKAGE): $${reason:-$$(tail -n 1 $$log)}" \
				"(the browser test will skip)"; \
		fi; \
		rm -f $$log; \
	fi

demo: install
	$(BIN)/costzero demo

bench: install
	$(BIN)/python -m benchmarks.destroy
	$(BIN)/python -m benchmarks.park
	$(BIN)/python -m benchmarks.recording
	$(BIN)/python -m benchmarks.pricing

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
