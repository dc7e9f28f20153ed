# Two commands on a fresh machine: `make run` and `make test`. Everything else is a convenience.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
# With Java on the machine the environment also holds the Spark engine (docs/spark-engine.md): the lock
# requirements-spark.lock is requirements.lock plus pyspark and dbt-spark. SPARK=0 or SPARK=1 decides instead.
SPARK  ?= $(if $(shell command -v java 2>/dev/null),1,0)
LOCK   := $(if $(filter 1,$(SPARK)),requirements-spark.lock,requirements.lock)
STAMP  := $(VENV)/.installed-$(basename $(LOCK))-stamp
UV_VERSION := 0.13.9
SCALE  ?= 0.0005
BENCH_SCALE ?= 0.1
export PROASN_HOME ?= $(CURDIR)/data
# The venv is not activated: let dagster-dbt and subprocesses find dbt and proasn.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: run test test-fast lint ui demo-data docs screenshots benchmark manifest clean

# The environment, installed from the lock; rebuilt when the lock or pyproject changes.
$(STAMP): $(LOCK) pyproject.toml
	@echo "Installing the locked environment into $(VENV) ($(LOCK); a few minutes, once)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	@$(BIN)/uv pip sync --quiet --python $(BIN)/python --compile-bytecode $(LOCK)
	@$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps --compile-bytecode -e .
	@rm -f $(VENV)/.installed-*-stamp
	@touch $(STAMP)

# Demo data only when there is none: never overwrite a landing tree someone put there.
demo-data: $(STAMP)
	@if [ -z "$$(ls -A $(PROASN_HOME)/landing 2>/dev/null)" ]; then \
	  echo "No submissions under $(PROASN_HOME)/landing: generating demo data (scale $(SCALE))"; \
	  $(BIN)/proasn generate --out $(PROASN_HOME)/landing --scale $(SCALE) --seed 1; \
	fi

# The stages, what needs action and a summary; every log line in $(PROASN_HOME)/logs (`make run ARGS=--verbose`
# shows them too). `proasn status` afterwards for the last runs and each agency's submissions.
run: demo-data
	@$(BIN)/proasn refresh $(ARGS)

# SQL style (.sqlfluff): the dbt templater compiles each model against an empty in-memory DuckDB, no warehouse.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	PROASN_WAREHOUSE=:memory: $(BIN)/sqlfluff lint --processes 0 dbt_project/models

test: lint
	$(BIN)/python -m pytest

# The inner loop: every test not marked slow (no real refresh), under two minutes.
test-fast: lint
	$(BIN)/python -m pytest -m "not slow"

# The dbt manifest the Dagster code location reads (every proasn command and the tests parse it too);
# for `dagster dev` started by hand after editing the dbt project.
manifest: $(STAMP)
	$(BIN)/python -c "from pipelines.dbt_project import ensure_manifest; print(ensure_manifest())"

ui: $(STAMP)
	$(BIN)/proasn ui

# The dbt docs site as one self-contained HTML file under reports/ (needs a warehouse: `make run` first).
docs: $(STAMP)
	cd dbt_project && PROASN_WAREHOUSE=$(PROASN_HOME)/warehouse/proasn.duckdb \
	  $(CURDIR)/$(BIN)/dbt docs generate --static --profiles-dir . --target-path target/docs
	mkdir -p $(PROASN_HOME)/reports
	cp dbt_project/target/docs/static_index.html $(PROASN_HOME)/reports/dbt-docs.html
	@echo "dbt docs: $(PROASN_HOME)/reports/dbt-docs.html (open it in a browser)"

# PNGs of the reports (index, the dbt docs when built, QUALITY agency pages; 0 = all) under
# $(PROASN_HOME)/reports/screenshots, taken with the machine's headless Chromium; installs nothing.
QUALITY ?= 3
screenshots: $(STAMP)
	$(BIN)/python -m tools.screenshots --quality $(QUALITY)

benchmark: $(STAMP)
	@$(BIN)/python -m tools.benchmark --scale $(BENCH_SCALE) $(ARGS)

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs .pytest_cache
