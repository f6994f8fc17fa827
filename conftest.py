"""Time per notebook under nbval, printed at the end of every run: each chapter should take under 60 s."""

from __future__ import annotations

import collections

_seconds: dict[str, float] = collections.defaultdict(float)


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
