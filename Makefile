# Two entry points for a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q -e '.[web,dev]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	rm -f out/recoupe.db
	$(BIN)/recoupe run examples/ --db out/recoupe.db --out out/
	@echo "report: out/report.json"

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py all

clean:
	rm -rf $(VENV) out
