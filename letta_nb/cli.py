"""The `letta-nb` command: manage the local stack and open the notebooks."""

from __future__ import annotations

import argparse
import importlib.util
import os
import socket
import sys
import time
from pathlib import Path

from . import chapters, ts
from .config import load_settings
from .errors import LettaNbError
from .local.stack import SERVICES, Stack

MARK = {"ok": "ok  ", "warn": "warn", "fail": "FAIL", "running": "up  ", "stopped": "down", "crashed": "DEAD", "unavailable": "n/a "}


def _status(stack: Stack, _: argparse.Namespace) -> int:
    states = stack.status()
    for s in states:
        port = f":{s.port}" if s.port else ""
        pid = f"pid {s.pid}" if s.pid else ""
        print(f"{MARK[s.state]} {s.name:<9}{port:<7} {pid:<11} {s.detail}".rstrip())
        for w in s.workers:  # a room's server processes, each replaced when it dies
            detail = f"since {time.strftime('%H:%M:%S', time.localtime(w.started))}" if w.alive else "exited; being replaced"
            print(f"{MARK['running' if w.alive else 'crashed']} {'  worker':<9}{'':<7} {f'pid {w.pid}':<11} {detail}")
    return 1 if any(s.state == "crashed" for s in states) else 0


def _lan_address() -> str:
    """This machine's address on its network (no packet is sent: a UDP socket only picks its route)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed, any route will do
            return probe.getsockname()[0]
        except OSError:
            return socket.gethostname()


def _serve(stack: Stack, args: argparse.Namespace) -> int:
    room = stack.serve(args.host, say=print, port=args.port, workers=args.workers)
    where = "127.0.0.1" if room["host"] == "127.0.0.1" else _lan_address()
    print(f"""
The room is open ({room["workers"]} server processes). Hand these to the participants (each also sets their own name):

    LETTA_BASE_URL=http://{where}:{stack.cfg.letta_port}
    LETTA_API_KEY={room['password']}
    LETTA_NB_PARTICIPANT=<your name>

Each participant works in an organization of their own: they see and change only their agents, blocks and tools.
That prevents accidents, not attacks: the password is shared and a client can claim to be anyone.
`letta-nb status` shows the room; `letta-nb down` closes it.""")
    return 0


def _doctor(stack: Stack, args: argparse.Namespace) -> int:
    from .local.doctor import run_checks

    checks = run_checks(stack, args.settings)
    for c in checks:
        print(f"{MARK[c.status]} {c.name:<20} {c.detail}")
    return 1 if any(c.status == "fail" for c in checks) else 0


LAB_MISSING = ('`letta-nb lab` needs JupyterLab, which is not installed in this environment ({python}). Install it with:\n'
               '    pip install "letta-nb[lab]"\n'
               'or, in a checkout of letta-nb, run `make lab`. Any other Jupyter front end works too: open the chapters '
               '(`letta-nb notebooks`) with a kernel that has letta-nb installed.')


def _lab_dir(arg: str | None) -> Path:
    """The folder to open: DIR (the chapters are copied there first if it is new or empty); without DIR, notebooks/ of
    a checkout, else the current folder if it holds the chapters, else ./letta-nb-notebooks (copied on first use)."""
    if arg:
        folder = Path(arg).expanduser()
    elif Path("notebooks").is_dir():
        return Path("notebooks").resolve()
    elif chapters.has_chapters(Path.cwd()):
        return Path.cwd()
    else:
        folder = Path(chapters.DEFAULT_DIR)
    if not folder.exists() or (folder.is_dir() and not any(folder.iterdir())):
        try:
            report = chapters.copy_chapters(folder)
        except (OSError, ValueError) as exc:
            raise LettaNbError(str(exc)) from exc
        for line in report.lines():
            print(line)
    if not folder.is_dir():
        raise LettaNbError(f"{folder} is not a folder")
    return folder.resolve()


def _lab(stack: Stack, args: argparse.Namespace) -> int:
    if importlib.util.find_spec("jupyterlab") is None:
        raise LettaNbError(LAB_MISSING.format(python=sys.executable))
    notebooks = _lab_dir(args.dir or args.notebooks)
    stack.up()
    if ts.available():  # `letta-nb[ts]`: the TypeScript track's Deno kernel, offered beside Python (in this environment)
        print(f"TypeScript kernel (Deno) registered in {ts.install_kernel()}")
    # This environment's JupyterLab (not whichever `jupyter` is first on PATH), so its kernel has letta_nb.
    argv = [sys.executable, "-m", "jupyterlab", f"--notebook-dir={notebooks}", f"--ServerApp.ip={args.ip}",
            f"--ServerApp.port={args.port}"]
    if args.no_browser:
        argv.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Containers (Binder, CI, Docker) often run as root, and Jupyter refuses to start there without this.
        argv.append("--allow-root")
    print(f"Opening JupyterLab on {notebooks} (the stack keeps running after you close it; `letta-nb down` stops it).")
    sys.stdout.flush()
    os.execv(sys.executable, argv + args.jupyter_args)
    return 0  # not reached


def _notebooks(args: argparse.Namespace) -> int:
    try:
        report = chapters.copy_chapters(args.dir, force=args.force)
    except (OSError, ValueError) as exc:
        raise LettaNbError(str(exc)) from exc
    for line in report.lines():
        print(line)
    print(f"Open them with `letta-nb lab {_shown(report.dest)}` (or any Jupyter whose kernel has letta-nb).")
    return 0


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd())) or "."
    except ValueError:
        return str(path)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="letta-nb", description="Letta in notebooks: the local stack and the tutorials.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("up", help="start the local stack (installs the server on first use) and wait until it answers")
    sub.add_parser("down", help="stop what `up` started; data is kept")
    serve = sub.add_parser("serve", help="start the stack for a workshop room: the server listens on the network and "
                                         "asks for a password; each participant gets an organization of their own")
    serve.add_argument("--host", default="0.0.0.0", help="0.0.0.0 (default: every interface), :: or 127.0.0.1; "
                       "the password is LETTA_SERVER_PASSWORD (else one is made)")
    serve.add_argument("--port", type=int, help="the server's port (default: LETTA_NB_PORT, 8283); status, down and "
                       "connect() on this machine find it while the room is open")
    serve.add_argument("--workers", type=int, help="server processes (default: one per core, at most four; about 500 MB each)")
    sub.add_parser("status", help="one line per service")
    logs = sub.add_parser("logs", help="the last lines of a service's log")
    logs.add_argument("service", nargs="?", default="letta", choices=SERVICES)
    logs.add_argument("-n", "--lines", type=int, default=50)
    sub.add_parser("doctor", help="check everything and say how to fix what is wrong")
    sub.add_parser("install", help="only install the server environment")
    lab = sub.add_parser("lab", help="start the stack and JupyterLab on the chapters",
                         description="Start the local stack and JupyterLab (needs `pip install \"letta-nb[lab]\"`). "
                                     "Options that letta-nb does not know are passed to jupyter lab.")
    lab.add_argument("dir", nargs="?", help="folder to open; a new or empty one gets the chapters first (default: "
                     f"./notebooks in a checkout, else the current folder if it holds the chapters, else ./{chapters.DEFAULT_DIR})")
    lab.add_argument("--notebooks", help=argparse.SUPPRESS)  # the older spelling of DIR
    lab.add_argument("--ip", default="127.0.0.1")
    lab.add_argument("--port", type=int, default=8888)
    lab.add_argument("--no-browser", action="store_true")
    notebooks = sub.add_parser("notebooks", help="copy the chapters (00-16, their helpers and solutions) into a folder",
                               description="Copy the chapters into DIR. Copying again updates the files you did not "
                                           "change and keeps the ones you did (unless --force).")
    notebooks.add_argument("dir", nargs="?", default=chapters.DEFAULT_DIR, help=f"default: ./{chapters.DEFAULT_DIR}")
    notebooks.add_argument("--force", action="store_true", help="also replace the files you changed")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command == "lab":
        args.jupyter_args = [a for a in extra if a != "--"]  # e.g. --ServerApp.token=... or --LabApp.default_url=...
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command == "notebooks":  # needs neither the stack nor .env
        try:
            return _notebooks(args)
        except LettaNbError as exc:
            print(f"letta-nb: {exc}", file=sys.stderr)
            return 1
    try:
        args.settings = load_settings()  # .env too: provider keys in it reach the server
        stack = Stack(args.settings.stack)
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
        return {"status": _status, "doctor": _doctor, "lab": _lab, "serve": _serve}[args.command](stack, args)
    except LettaNbError as exc:
        print(f"letta-nb: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
