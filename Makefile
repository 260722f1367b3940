# Two entry points for a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test bench clean browser

# The browser test drives Debian's chromium through its chromedriver; install them when missing.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo -n)

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q -e '.[web,dev]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	rm -f out/recoupe.db
	$(BIN)/recoupe run examples/ --db out/recoupe.db --out out/
	@echo "report: out/report.json"

browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		echo "installing Debian's chromium and chromium-driver for the browser test"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver; \
	fi

test: $(STAMP) browser
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py all

clean:
	rm -rf $(VENV) out

# The Spark tests need pyspark (the spark extra) and Java 17: installed when missing.
.PHONY: spark-env
test: spark-env
spark-env: $(STAMP)
	@$(BIN)/python -c "import pyspark" 2>/dev/null || $(BIN)/pip install -q -e '.[spark]'
	@if ! java -version 2>&1 | grep -q 'version "17'; then \
		echo "installing Debian's openjdk-17-jre-headless for the Spark tests"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q openjdk-17-jre-headless; \
	fi
