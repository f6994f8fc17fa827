# The two commands in README: `make lab` (JupyterLab with the local stack) and `make test` (every test).
# The project environment always gets the `lab` extra (JupyterLab); pip users choose it with `letta-nb[lab]`.
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)

.PHONY: setup lab test test-fast test-ts record docs down bench

setup:
	bash scripts/bootstrap.sh

lab: setup
	$(UV) run --frozen --extra lab letta-nb lab

test:
	bash scripts/bootstrap.sh --browser
	$(UV) run --frozen --extra lab pytest

# The tests that need no server and build nothing big (markers `stack` and `slow`, set in tests/conftest.py): about 35 s
# on 2 cores (mypy cold ~10 s of it).
test-fast:
	$(UV) run --frozen --extra lab pytest -m "not stack and not slow" tests

# Re-record tests/recordings/ from the local stack (started if it is not running): only the live side of the tests
# written once (tests/replay.py) runs, and each test that passes rewrites its recording. A snapshot that changes with
# them is updated on purpose: `uv run --frozen --extra lab pytest -m "not stack" --snapshot-update tests/<file>`.
record:
	$(UV) run --frozen --extra lab pytest --record tests

# The TypeScript track alone (notebooks/ts/ under nbval on the Deno kernel, deno check, its exercise checkers); needs
# the local stack like the notebooks. `make test` runs it too.
test-ts:
	$(UV) run --frozen --extra lab pytest notebooks/ts tests/test_ts_track.py

# The static site of the chapters, with their stored outputs (runs nothing, needs no server): site/index.html.
docs:
	$(UV) run --frozen --extra lab --group docs python scripts/docs.py

down:
	$(UV) run --frozen letta-nb down

bench: setup
	$(UV) run --frozen python benchmarks/stack.py
	$(UV) run --frozen python benchmarks/room.py
	$(UV) run --frozen python benchmarks/display.py
	$(UV) run --frozen python benchmarks/stream.py
	$(UV) run --frozen python benchmarks/offline_model.py
	$(UV) run --frozen python benchmarks/load.py
