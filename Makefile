# suitebridge — every target sets itself up (venv from the hashed lock, embedded services).
PY := .venv/bin/python
PYTEST := $(PY) -m pytest
DEFAULT_MARKS := not slow and not chaos and not bench

.PHONY: run test test-random test-slow chaos bench asyncapi contracts-snapshot ops setup clean

setup:
	@tools/bootstrap.sh

run: setup  ## the whole integration on embedded defaults with the emulated NetSuite
	@$(PY) -m devstack run

test: setup  ## the default test suite (the SuiteScript's Jest tests, then real PostgreSQL, broker and NetSuite emulator, headless Chromium)
	@tools/ensure_node_deps.sh
	@cd netsuite && npx --no-install jest --ci
	@tools/ensure_chromium.sh
	@$(PYTEST) -p no:randomly -m "$(DEFAULT_MARKS)" $(ARGS)

test-random: setup  ## the default suite in a random order (pytest-randomly; repeat an order with ARGS=--randomly-seed=N)
	@tools/ensure_node_deps.sh
	@tools/ensure_chromium.sh
	@$(PYTEST) -m "$(DEFAULT_MARKS)" $(ARGS)

test-slow: setup  ## long-running suites
	@$(PYTEST) -m "slow" $(ARGS)

chaos: setup  ## process kills and fault storms
	@$(PYTEST) -p no:randomly -m "chaos" $(ARGS)

bench: setup  ## benchmarks; numbers land in reports/
	@mkdir -p reports
	@$(PY) tools/bench.py $(ARGS)

asyncapi: setup  ## one AsyncAPI document per service, generated from the code
	@$(PY) tools/asyncapi.py

ops: setup  ## the ops tool: make ops ARGS="status" (replay, dlq, resync, status, migrate)
	@$(PY) -m sb_ops $(ARGS)

contracts-snapshot: setup  ## refresh the contract schema snapshots after an additive change
	@$(PY) tools/contracts_snapshot.py

clean:
	rm -rf .venv .suitebridge reports/*.tmp
