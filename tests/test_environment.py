"""What the Letta server starts with, from the settings and the user's environment alone (no process is started):
tools inherit the server's environment, so only the allow-list and LETTA_BASE_URL may be in it; keys, the database
and a room's password travel as private settings."""

from __future__ import annotations

from pathlib import Path

from letta_nb.config import StackConfig
from letta_nb.local.environment import (
    WORKERS_VARIABLE,
    exposed,
    passed_env,
    server_environment,
)

CFG = StackConfig(Path("/state"), 1, 2, 3)
PG = "postgresql://postgres:@/letta?host=/x/pgdata"
TOKEN = "wx-4f8a1c2e9b7d3f60"  # a token-like variable of the user's shell
SHELL = {"PATH": "/usr/bin", "HOME": "/home/ada", "WEATHER_API_TOKEN": TOKEN, "LETTA_API_KEY": "must-not-reach-the-server"}


def test_settings_stay_out_of_the_environment():
    environ = {**SHELL, "ANTHROPIC_API_KEY": "sk-ant-test", "LC_TIME": "C", "HTTPS_PROXY": "http://proxy:3128",
               "LETTA_NB_SERVER_ENV": "HTTPS_PROXY"}
    env, private = server_environment(CFG, environ, PG, redis=True)
    assert set(env) == {"PATH", "HOME", "LC_TIME", "HTTPS_PROXY", "PYTHONUNBUFFERED", "LETTA_BASE_URL", "PYTHONPATH"}, env
    assert env["HTTPS_PROXY"] == "http://proxy:3128", "named in LETTA_NB_SERVER_ENV: passed on purpose"
    assert private["ANTHROPIC_API_KEY"] == "sk-ant-test" and "WEATHER_API_TOKEN" not in private
    assert "LETTA_API_KEY" not in env and "LETTA_API_KEY" not in private
    assert private["LETTA_PG_URI"].endswith("?host=/x/pgdata&user=postgres&sslmode=disable"), private["LETTA_PG_URI"]
    assert private["LETTA_DISABLE_SQLALCHEMY_POOLING"] == "false", "a pool of kept connections"
    assert (private["LETTA_REDIS_HOST"], private["LETTA_REDIS_PORT"]) == ("127.0.0.1", "3")
    assert environ["WEATHER_API_TOKEN"] == TOKEN and "PYTHONUNBUFFERED" not in environ, "the caller's mapping is untouched"


def test_provider_keys_pass_through_and_offline_fills_in():
    env, private = server_environment(CFG, {**SHELL, "ANTHROPIC_API_KEY": "sk-ant-test"}, "postgresql://x", redis=False)
    assert private["ANTHROPIC_API_KEY"] == "sk-ant-test" and "ANTHROPIC_API_KEY" not in env, "keys are settings, not env"
    assert private["OPENAI_API_BASE"].endswith(":2/embeddings-only/v1") and private["VLLM_API_BASE"] == "http://127.0.0.1:2/v1"
    assert "LETTA_REDIS_HOST" not in private
    assert env["LETTA_BASE_URL"] == CFG.base_url, "self-referential tools find their server through it"
    env, private = server_environment(CFG, {**SHELL, "OPENAI_API_KEY": "sk-real"}, "postgresql://x", redis=True)
    assert private["OPENAI_API_KEY"] == "sk-real" and "OPENAI_API_BASE" not in private


def test_letta_defaults_turn_the_stack_changes_off():
    env, private = server_environment(CFG, SHELL, PG, redis=False)
    assert private["LETTA_DISABLE_SQLALCHEMY_POOLING"] == "false" and env["PYTHONPATH"].endswith("toolsite")
    env, private = server_environment(CFG, {**SHELL, "LETTA_NB_LETTA_DEFAULTS": "1"}, PG, redis=False)
    assert "LETTA_DISABLE_SQLALCHEMY_POOLING" not in private and "PYTHONPATH" not in env
    assert private["LETTA_NB_LETTA_DEFAULTS"] == "1", "_serverlaunch.py then lets letta generate its OpenAPI schema"


def test_a_room_gets_its_password_and_supervised_workers_as_settings():
    env, private = server_environment(CFG, SHELL, PG, redis=False)
    assert "LETTA_SERVER_PASSWORD" not in private and WORKERS_VARIABLE not in private, "no room: one plain process"
    for workers in (1, 3):
        room = {"host": "0.0.0.0", "password": "pw-123", "port": 1, "workers": workers}
        env, private = server_environment(CFG, SHELL, PG, redis=False, room=room)
        assert (private["LETTA_SERVER_SECURE"], private["LETTA_SERVER_PASSWORD"]) == ("true", "pw-123")
        assert private[WORKERS_VARIABLE] == str(workers), "a room is supervised even with one process"
        assert "pw-123" not in env.values()


def test_exposed_names_are_those_beyond_the_allow_list():
    assert passed_env({**SHELL, "LC_ALL": "C"}) == {"PATH": "/usr/bin", "HOME": "/home/ada", "LC_ALL": "C"}
    started_with = set(SHELL) | {"PYTHONUNBUFFERED", "LETTA_BASE_URL", "LC_ALL"}  # an older letta-nb's whole env
    assert exposed(started_with, SHELL) == ["LETTA_API_KEY", "WEATHER_API_TOKEN"]
    env, _ = server_environment(CFG, SHELL, PG, redis=True)
    assert exposed(set(env), SHELL) == [], "what this version starts the server with is never reported"
