# Two commands set everything up on a fresh Debian machine with Python 3.11:
#   make demo   builds the demo province, loads it and serves the dashboard
#   make test   runs every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DIR := data/demo
DEMO_DB := data/demo.duckdb
DEMO_MEMBERS ?= 50000
BENCH_SIZES ?= 100000,1000000,10000000

.PHONY: install demo test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/zhtj generate --members $(DEMO_MEMBERS) --seed 1 --out $(DEMO_DIR) --as-of 2024-10-08
	$(BIN)/zhtj etl $(DEMO_DIR) --db $(DEMO_DB) --allow-skipped --as-of 2024-10-08T12:00:00

test: install
	$(BIN)/python -m pytest -n 2 -q

bench: install
	$(BIN)/python -m bench.run --sizes $(BENCH_SIZES)

clean:
	rm -rf $(VENV) data bench/out
