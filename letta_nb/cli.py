"""The `letta-nb` command: manage the local stack and open the notebooks."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from dotenv import find_dotenv, load_dotenv

from .errors import LettaNbError
from .stack import SERVICES, Stack

MARK = {"ok": "ok  ", "warn": "warn", "fail": "FAIL", "running": "up  ", "stopped": "down", "crashed": "DEAD", "unavailable": "n/a "}


def _status(stack: Stack, _: argparse.Namespace) -> int:
    states = stack.status()
    for s in states:
        port = f":{s.port}" if s.port else ""
        pid = f"pid {s.pid}" if s.pid else ""
        print(f"{MARK[s.state]} {s.name:<9}{port:<7} {pid:<11} {s.detail}".rstrip())
    return 1 if any(s.state == "crashed" for s in states) else 0


def _doctor(stack: Stack, _: argparse.Namespace) -> int:
    from .doctor import run_checks

    checks = run_checks(stack)
    for c in checks:
        print(f"{MARK[c.status]} {c.name:<20} {c.detail}")
    return 1 if any(c.status == "fail" for c in checks) else 0


def _lab(stack: Stack, args: argparse.Namespace) -> int:
    stack.up()
    notebooks = Path(args.notebooks or ("notebooks" if Path("notebooks").is_dir() else ".")).resolve()
    argv = ["jupyter", "lab", f"--notebook-dir={notebooks}", f"--ServerApp.ip={args.ip}", f"--ServerApp.port={args.port}"]
    if args.no_browser:
        argv.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Containers (Binder, CI, Docker) often run as root, and Jupyter refuses to start there without this.
        argv.append("--allow-root")
    print(f"Opening JupyterLab on {notebooks} (the stack keeps running after you close it; `letta-nb down` stops it).")
    sys.stdout.flush()
    os.execvp(argv[0], argv + args.jupyter_args)
    return 0  # not reached


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="letta-nb", description="Letta in notebooks: the local stack and the tutorials.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("up", help="start the local stack (installs the server on first use) and wait until it answers")
    sub.add_parser("down", help="stop what `up` started; data is kept")
    sub.add_parser("status", help="one line per service")
    logs = sub.add_parser("logs", help="the last lines of a service's log")
    logs.add_argument("service", nargs="?", default="letta", choices=SERVICES)
    logs.add_argument("-n", "--lines", type=int, default=50)
    sub.add_parser("doctor", help="check everything and say how to fix what is wrong")
    sub.add_parser("install", help="only install the server environment")
    lab = sub.add_parser("lab", help="start the stack and JupyterLab on the notebooks")
    lab.add_argument("--notebooks", help="folder to open (default: ./notebooks)")
    lab.add_argument("--ip", default="127.0.0.1")
    lab.add_argument("--port", type=int, default=8888)
    lab.add_argument("--no-browser", action="store_true")
    lab.add_argument("jupyter_args", nargs=argparse.REMAINDER, help="passed to jupyter lab")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    load_dotenv(find_dotenv(usecwd=True), override=False)  # provider keys in .env reach the server
    try:
        stack = Stack()
        if args.command == "up":
            stack.up()
            return 0
        if args.command == "down":
            stack.down()
            return 0
        if args.command == "install":
            stack.install()
            print(f"Server environment ready at {stack.cfg.venv}")
            return 0
        if args.command == "logs":
            print(stack.logs(args.service, args.lines))
            return 0
        return {"status": _status, "doctor": _doctor, "lab": _lab}[args.command](stack, args)
    except LettaNbError as exc:
        print(f"letta-nb: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
