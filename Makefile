# The two commands in README: `make lab` (JupyterLab with the local stack) and `make test` (every test).
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)

.PHONY: setup lab test down bench

setup:
	bash scripts/bootstrap.sh

lab: setup
	$(UV) run --frozen letta-nb lab

test:
	bash scripts/bootstrap.sh --browser
	$(UV) run --frozen pytest

down:
	$(UV) run --frozen letta-nb down

bench: setup
	$(UV) run --frozen python benchmarks/stack.py
	$(UV) run --frozen python benchmarks/display.py
	$(UV) run --frozen python benchmarks/stream.py
	$(UV) run --frozen python benchmarks/offline_model.py
