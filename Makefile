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
DEMO_DATES ?= 2024-10-08 2024-10-15 2024-10-22
BENCH_SIZES ?= 100000,1000000,10000000

.PHONY: install system-deps demo serve test bench spark-cluster clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Debian's chromium (browser tests, chart export) and Noto CJK fonts (Chinese in images). Installed
# when missing and running as root; otherwise one line says what is missing.
system-deps:
	@if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -q "Noto Sans CJK"; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing chromium and fonts-noto-cjk (apt)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium fonts-noto-cjk >/dev/null; \
	else echo "chromium or fonts-noto-cjk missing: browser tests will be skipped" \
		"(as root: apt-get install chromium fonts-noto-cjk)"; fi
	@# Java 17 for the Spark engine (zhtj etl --engine spark and its tests)
	@if command -v java >/dev/null && java -version 2>&1 | grep -qE 'version "(1[7-9]|2[0-9])'; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing openjdk-17-jre-headless (apt)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			openjdk-17-jre-headless >/dev/null; \
	else echo "Java 17 missing: the Spark tests will be skipped" \
		"(as root: apt-get install openjdk-17-jre-headless)"; fi

# The same province exported on three dates a week apart (the later ones with registrations,
# cadres, transfers and dues moved on), loaded in order: the progress page and `zhtj progress`
# have history from the first screen. The demo database and its history start afresh each time.
demo: install
	rm -rf $(DEMO_DB) $(DEMO_DB).history
	for d in $(DEMO_DATES); do \
		$(BIN)/zhtj generate --members $(DEMO_MEMBERS) --seed 1 --out $(DEMO_DIR)/$$d --as-of $$d \
		&& $(BIN)/zhtj etl $(DEMO_DIR)/$$d --db $(DEMO_DB) --allow-skipped --as-of $${d}T12:00:00 \
		|| exit 1; \
	done
	$(BIN)/zhtj user demo --db $(DEMO_DB)
	$(BIN)/zhtj serve --db $(DEMO_DB) --host 127.0.0.1 --port 8050

# Serve the demo database already built by `make demo`, without rebuilding it (the demo accounts
# stay; `zhtj user demo --db data/demo.duckdb` prints new passwords for them).
serve: install
	$(BIN)/zhtj serve --db $(DEMO_DB) --host 127.0.0.1 --port 8050

test: install system-deps
	$(BIN)/python -m pytest -n 2 -q

bench: install
	$(BIN)/python -m bench.run --sizes $(BENCH_SIZES)

# A Spark standalone master and two workers on 127.0.0.1 (Ctrl-C stops them); load into it with
#   zhtj etl SOURCE --db PATH --engine spark --master spark://127.0.0.1:7077
spark-cluster: install system-deps
	$(BIN)/python -m etl.spark.cluster --workers 2 --port 7077

clean:
	rm -rf $(VENV) data bench/out
