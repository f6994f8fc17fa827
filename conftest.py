"""Time per notebook under nbval, printed at the end of every run: each chapter should take under 60 s.

Every notebook cell that nbval collects is marked ``stack``: the chapters run against the local stack (the tests'
own markers are set in tests/conftest.py).
"""

from __future__ import annotations

import collections

import pytest

_seconds: dict[str, float] = collections.defaultdict(float)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.stack)


def pytest_runtest_logreport(report) -> None:
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        _seconds[path] += report.duration  # setup (kernel start), call and teardown of every cell


def pytest_terminal_summary(terminalreporter) -> None:
    if not _seconds:
        return
    terminalreporter.section("time per notebook (nbval)")
    for path, seconds in sorted(_seconds.items()):
        terminalreporter.write_line(f"{seconds:6.1f} s  {path}{'  (over 60 s)' if seconds > 60 else ''}")
    terminalreporter.write_line(f"{sum(_seconds.values()):6.1f} s  all notebooks")
