# Everything a fresh clone needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# mypy and import-linter look at the package as installed (`costzero.*`): a mirror of the layout.
MIRROR := .typecheck

.PHONY: install test lint unit demo bench soak clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

$(MIRROR): install
	rm -rf $(MIRROR) && mkdir -p $(MIRROR)/costzero
	touch $(MIRROR)/costzero/__init__.py
	cp containers.py $(MIRROR)/costzero/
	for layer in domain application infrastructure presentation; do cp -r src/$$layer $(MIRROR)/costzero/; done

lint: install
	rm -rf $(MIRROR)
	$(MAKE) $(MIRROR)
	$(BIN)/ruff check src containers.py tests benchmarks
	cd $(MIRROR) && ../$(BIN)/mypy --config-file ../pyproject.toml -p costzero
	PYTHONPATH=$(MIRROR) $(BIN)/lint-imports --config .importlinter

test: lint
	$(BIN)/pytest -q

# The generated-account tests with many more random accounts than `make test` draws (15 and 6, fixed).
SOAK_EXAMPLES ?= 200
soak: install
	SOAK_EXAMPLES=$(SOAK_EXAMPLES) $(BIN)/pytest -q tests/integration/test_generated_accounts.py \
		tests/integration/test_generated_parking.py

demo: install
	$(BIN)/costzero demo

bench: install
	$(BIN)/python -m benchmarks.destroy
	$(BIN)/python -m benchmarks.park

clean:
	rm -rf $(VENV) $(MIRROR) .pytest_cache .mypy_cache .ruff_cache
