"""letta_nb.to_script: a plain letta-client script that re-creates an agent, run against the real local stack."""

from __future__ import annotations

import ast
import inspect
import os
import subprocess
import sys
import uuid

import pytest

import letta_nb
from letta_nb.workbench.export import _literal

SECRET = "export-secret-value-4242"
INCLUDE = ["agent.blocks", "agent.tools", "agent.tags", "agent.secrets"]


def wbx_quote(author: str) -> str:
    """Find a quote by an author.

    Args:
        author: Whose quote, e.g. "O'Brien" or a path like C:\\quotes.
    """
    import os

    return f"'{author}' said: stay curious ({len(os.environ.get('WBX_KEY', ''))} chars of key)"


@pytest.fixture
def original(client, make_agent):
    tool = client.tools.upsert(source_code=inspect.getsource(wbx_quote))
    agent = make_agent(
        memory_blocks=[{"label": "human", "value": "Name: unknown", "limit": 2000, "description": "Who the user is."},
                       {"label": "persona", "value": "I quote people.\nLine two: 'quoted' \"twice\".", "read_only": True},
                       {"label": "notes", "value": "", "limit": 500, "description": "Scratch space."}],
        tool_ids=[tool.id], tools=["archival_memory_search"], tags=["wbx-test", "prototype"],
        secrets={"WBX_KEY": SECRET}, description="Quotes on request",
        tool_rules=[{"type": "run_first", "tool_name": "wbx_quote"}, {"type": "exit_loop", "tool_name": "wbx_quote"}])
    yield client.agents.retrieve(agent.id, include=INCLUDE)
    client.tools.delete(tool.id)


def _run(path, **env):
    base = {k: v for k, v in os.environ.items() if k not in ("LETTA_API_KEY", "WBX_KEY")}
    return subprocess.run([sys.executable, str(path)], env={**base, "LETTA_BASE_URL": "http://127.0.0.1:8283", **env},
                          capture_output=True, text=True, timeout=120)


def _shape(agent):
    return {
        "blocks": sorted((b.label, b.value, b.limit, b.description, b.read_only) for b in agent.memory.blocks),
        "tools": sorted(t.name for t in agent.tools),
        "rules": sorted(str(r.model_dump(exclude_none=True)) for r in agent.tool_rules),
        "tags": sorted(agent.tags), "model": agent.model, "embedding": agent.embedding, "system": agent.system,
        "description": agent.description, "secrets": sorted(s.key for s in agent.secrets),
    }


def test_script_recreates_an_equal_agent(client, original, tmp_path):
    name = f"wbx-copy-{uuid.uuid4().hex[:8]}"
    path = tmp_path / "recreate.py"
    script = letta_nb.to_script(client, original, path, name=name)
    assert path.read_text() == script.source and script.path == str(path)
    imported = {n.names[0].name if isinstance(n, ast.Import) else n.module
                for n in ast.walk(ast.parse(script.source)) if isinstance(n, (ast.Import, ast.ImportFrom))}
    assert imported == {"os", "sys", "letta_client"}  # no letta_nb: the script runs with letta-client alone
    assert "secret('WBX_KEY')" in script.source and script.secrets == ("WBX_KEY",)
    for shown in (script.source, repr(script), script._repr_html_()):
        assert SECRET not in shown
    try:
        done = _run(path, WBX_KEY="value-from-env")
        assert done.returncode == 0, done.stderr
        copy = client.agents.retrieve(done.stdout.strip().splitlines()[-1], include=INCLUDE)
        assert copy.name == name and copy.id != original.id
        assert _shape(copy) == _shape(original)
        assert {s.key: s.value for s in copy.secrets} == {"WBX_KEY": "value-from-env"}
        tool = next(t for t in copy.tools if t.name == "wbx_quote")
        assert tool.source_code == inspect.getsource(wbx_quote)  # quotes and backslashes survive the literal
    finally:
        letta_nb.delete_agents(client, name=name)


def test_missing_secret_stops_the_script_with_a_sentence(client, original, tmp_path):
    name = f"wbx-copy-{uuid.uuid4().hex[:8]}"
    path = tmp_path / "recreate.py"
    letta_nb.to_script(client, original, path, name=name)
    try:
        done = _run(path)
        assert done.returncode == 1
        assert "Set WBX_KEY in the environment first" in done.stderr and "Traceback" not in done.stderr
        assert not list(client.agents.list(name=name))
    finally:
        letta_nb.delete_agents(client, name=name)


def test_a_secret_value_in_memory_is_replaced(client, original):
    client.agents.blocks.update("notes", agent_id=original.id, value=f"key is {SECRET}")
    script = letta_nb.to_script(client, original.id)
    assert SECRET not in script.source and "key is <secret WBX_KEY>" in script.source
    assert script.path is None and "nowhere" in repr(script)
    assert any("secret WBX_KEY appears in the agent's memory" in w for w in script.warnings)


def test_text_form_is_deterministic(client, original):
    first, second = letta_nb.to_script(client, original.name), letta_nb.to_script(client, original.id)
    assert repr(first) == repr(second) and first.source == second.source
    assert repr(first).startswith(f"Script {original.name} [")
    assert original.id not in repr(first)


@pytest.mark.parametrize("text", ["plain", "it's", "ends with '", "'''", "a\\nb", "back\\\\slash\\", 'say """hi"""',
                                  "line\nbreak", "\ttab", ""])
def test_literal_round_trips(text):
    assert ast.literal_eval(_literal(text)) == text


def test_sleeptime_is_kept(letta):
    agent = letta_nb.fresh_agent(letta, f"wbx-sleep-{uuid.uuid4().hex[:8]}", enable_sleeptime=True,
                                 memory_blocks=[{"label": "human", "value": ""}])
    try:
        source = letta_nb.to_script(letta, agent).source
        assert "    enable_sleeptime=True,  # with its sleeptime helper agent" in source
        assert "secret(" not in source  # no secrets, no helper for them
    finally:
        letta_nb.delete_agents(letta, name=agent.name)
