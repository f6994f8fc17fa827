"""Start the Letta server with settings that the tools it runs cannot read.

Runs with the *server* environment's Python, never in the kernel:
    python _serverlaunch.py server --host H --port P    (private settings as one JSON object on stdin)

Why: letta 0.16.8 runs each custom tool in a subprocess whose environment starts as a copy of the server's own
``os.environ`` (``services/tool_sandbox/base.py``, ``_gather_env_vars(..., is_local=True)``), then adds the agent's
secrets, ``LETTA_AGENT_ID`` and ``LETTA_TOOL_ID``. So whatever the server finds in its environment, every tool finds
too. Provider keys, the database URI and the other settings therefore arrive here on stdin, not in the environment:
they are put into ``os.environ`` only while letta's settings objects (pydantic ``BaseSettings``, read once, on import)
are built, then removed again, before the server starts. They never appear in ``/proc/<server pid>/environ``
either, which shows the environment the process was started with.

What a tool process gets, then (``local_sandbox.py``): the server's environment (PATH, HOME, locale, TZ, the temp dir,
the CA bundle variables, ``LETTA_BASE_URL``, ``PYTHONUNBUFFERED``), the sandbox's global environment variables from
the database (none unless you add some), the agent's secrets, ``LETTA_AGENT_ID``, ``LETTA_TOOL_ID``
(``LETTA_PROJECT_ID`` on Cloud), and ``PYTHONWARNINGS``, ``NO_COLOR``, ``TERM``. Not a wall against hostile code: a
tool still runs as your user and can read your files; see :func:`letta_nb.inspect_agent_file` before importing tools.

It also patches two of letta's provider bookkeeping bugs (:func:`_keep_base_providers_current`).
"""

import gc
import json
import os
import sys

import uvicorn
from uvicorn._subprocess import get_subprocess
from uvicorn.supervisors import Multiprocess


def _no_dumps() -> None:
    """Make this process non-dumpable: another process of the same (non-root) user, such as a tool, can then no
    longer read its memory through /proc/<pid>/mem or ptrace, where the keys now live. Linux only; best effort."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
    except (OSError, AttributeError):
        pass


def _keep_base_providers_current() -> None:
    """Two fixes to letta 0.16.8's bookkeeping of the providers configured by settings ("base" providers), so that a
    real provider keeps working when its settings change between starts:

    - it writes each base provider into the database once, at its first start, and never updates it
      (``ProviderManager.sync_base_providers``), while every model's endpoint is read from that row. A base URL changed
      since (``OPENAI_API_BASE``; the offline model's port; a real OpenAI key added after starting offline, which
      drops the offline embeddings URL) would stay stale, and requests for ``openai/...`` would still go to the old
      address. After letta's own sync, the stored URLs are brought up to date.
    - a model that a start does not find (its key was missing that time) is soft-deleted, and the unique constraints
      of ``provider_models`` ignore ``is_deleted``, so it could never be created again: once ``OPENAI_API_KEY`` was
      unset for one start, the OpenAI models were gone for good. Before letta syncs a provider's models, the deleted
      rows of the models it offers again are restored.
    """
    from letta.orm.provider import Provider as ProviderRow
    from letta.orm.provider_model import ProviderModel as ModelRow
    from letta.server.db import db_registry
    from letta.services.provider_manager import ProviderManager
    from sqlalchemy import update

    sync_providers, sync_models = ProviderManager.sync_base_providers, ProviderManager.sync_provider_models_async

    async def sync_base_providers(self, base_providers, actor):
        await sync_providers(self, base_providers=base_providers, actor=actor)
        async with db_registry.async_session() as session:
            for provider in base_providers:
                if not provider.base_url:
                    continue
                rows = await ProviderRow.list_async(db_session=session, name=provider.name, organization_id=None, limit=1)
                if rows and rows[0].base_url != provider.base_url:
                    print(f"letta-nb: provider {provider.name} now at {provider.base_url}", flush=True)
                    rows[0].base_url = provider.base_url
                    await rows[0].update_async(session, actor=actor)

    async def sync_provider_models_async(self, provider, llm_models, embedding_models, organization_id=None):
        offered = [("llm", m.model, m.handle) for m in llm_models] + \
                  [("embedding", m.embedding_model, m.handle) for m in embedding_models]
        async with db_registry.async_session() as session:
            for model_type, name, handle in offered:
                try:
                    async with session.begin_nested():
                        await session.execute(
                            update(ModelRow)
                            .where(ModelRow.provider_id == provider.id, ModelRow.model_type == model_type,
                                   ModelRow.name == name, ModelRow.is_deleted.is_(True))
                            .values(is_deleted=False, handle=handle))
                except Exception as exc:  # e.g. a live row already has that handle: letta's own sync handles it
                    print(f"letta-nb: could not restore model {handle}: {exc}", flush=True)
            await session.commit()
        await sync_models(self, provider=provider, llm_models=llm_models, embedding_models=embedding_models,
                          organization_id=organization_id)

    ProviderManager.sync_base_providers = sync_base_providers
    ProviderManager.sync_provider_models_async = sync_provider_models_async


def _start_one_worker_at_a_time() -> None:
    """With several server processes (``letta-nb serve --workers``), each one creates the default organization and
    user, the base providers, their models and the base tools at start, as get-or-create steps that race: on a fresh
    database a second worker fails with "Base provider name 'vllm' already exists". A PostgreSQL advisory lock,
    held on a connection of its own, lets one worker at a time through."""
    from letta.server.db import db_registry
    from letta.server.server import SyncServer
    from sqlalchemy import text

    init_async, key = SyncServer.init_async, 0x1E77A  # any constant, the same in every worker

    async def init_one_at_a_time(self, *args, **kwargs):
        async with db_registry.async_session() as session:
            await session.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
            try:
                return await init_async(self, *args, **kwargs)
            finally:
                await session.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})

    SyncServer.init_async = init_one_at_a_time


# Set (to anything) by the stack when LETTA_NB_LETTA_DEFAULTS is: letta runs as it comes (see environment.py).
DEFAULTS_VARIABLE = "LETTA_NB_LETTA_DEFAULTS"
# Set for a room: how many server processes (``letta-nb serve --workers``); not a letta setting, so not put into its
# environment.
WORKERS_VARIABLE = "LETTA_NB_WORKERS"


def _load_letta(private: dict) -> None:
    """Build letta's settings from the private ones, patch it and import its app; then drop them from os.environ."""
    # Importing letta creates millions of objects, and the collector's passes over them cost about 2 of the 11 s on
    # 2 cores. Off while importing; then everything imported moves to the permanent generation (gc.freeze), so later
    # collections, during requests, no longer walk it either.
    tuned = not private.get(DEFAULTS_VARIABLE)
    if tuned:
        gc.disable()
    os.environ.update({str(k): str(v) for k, v in private.items()})
    # Every settings object of letta (model_settings, settings, tool_settings, ...) is built here, from the environment.
    import letta.settings  # noqa: F401

    _keep_base_providers_current()
    _start_one_worker_at_a_time()
    # letta builds its whole OpenAPI schema while importing the app (about a third of a start on 2 cores) only to
    # write openapi_letta.json into the working directory, unless the command line says --no-generation. FastAPI
    # still serves /openapi.json, built on its first request.
    argv, sys.argv = sys.argv, ["letta", "--no-generation"] if tuned else ["letta"]
    import letta.server.rest_api.app  # noqa: F401

    sys.argv = argv
    for key in private:
        os.environ.pop(key, None)
    if tuned:
        gc.freeze()
        gc.enable()
    _no_dumps()


class WorkerConfig(uvicorn.Config):
    """letta's own ``uvicorn_workers`` would start each worker with only the environment, where the private settings
    are not. uvicorn sends its Config to each worker it spawns through a pipe, so they travel in it instead."""

    def __init__(self, *args, private: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.private = private

    def load(self) -> None:
        if not self.loaded:
            _load_letta(self.private)
        super().load()


class HealingMultiprocess(Multiprocess):
    """uvicorn's supervisor, replacing a worker that dies. uvicorn 0.29 (which letta 0.16.8 pins) starts its workers
    once and then only waits for a signal, so a worker killed (out of memory, say) left the room short of a process
    for good, and with one worker, dead. uvicorn 0.30 added this loop (``Multiprocess.keep_subprocess_alive``); here
    is the same for 0.29. The socket is bound once, here, and shared: while a replacement starts (it imports letta,
    some 15 s), the other workers accept every connection."""

    def run(self) -> None:
        self.startup()
        while not self.should_exit.wait(0.5):
            self.replace_dead()
        self.shutdown()

    def replace_dead(self) -> None:
        for index, process in enumerate(self.processes):
            if process.is_alive():
                continue
            process.join()
            if self.should_exit.is_set():  # stopping: the workers got the signal too
                return
            print(f"letta-nb: server process {process.pid} exited ({process.exitcode}); starting another", flush=True)
            replacement = get_subprocess(config=self.config, target=self.target, sockets=self.sockets)
            replacement.start()
            self.processes[index] = replacement


def _serve_workers(host: str, port: int, workers: int, private: dict) -> int:
    config = WorkerConfig("letta.server.rest_api.app:app", host=host, port=port, workers=workers, private=private,
                          timeout_keep_alive=5, access_log=False)  # letta's own values for these two
    _no_dumps()
    HealingMultiprocess(config, target=uvicorn.Server(config).run, sockets=[config.bind_socket()]).run()
    return 0


def main() -> int:
    args = sys.argv[1:]
    private = json.loads(sys.stdin.read() or "{}")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)  # stdin was only the settings pipe
    os.close(devnull)
    if WORKERS_VARIABLE in private:  # a room: supervised worker processes, even just one
        workers = int(private.pop(WORKERS_VARIABLE))
        return _serve_workers(args[args.index("--host") + 1], int(args[args.index("--port") + 1]), workers, private)
    _load_letta(private)
    from letta.main import app

    sys.argv = ["letta", *args]
    return app()


if __name__ == "__main__":
    sys.exit(main())
