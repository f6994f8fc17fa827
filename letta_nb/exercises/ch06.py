"""Chapter 06: a custom memory tool that edits its own agent: a JSON task list in the calling agent's `tasks` block.

The checker registers the learner's tool and runs it in the server's sandbox for two agents of its own: one whose
secrets give the sandbox an injected ``client`` (``LETTA_API_KEY``/``LETTA_BASE_URL``), one without them, whose tool
must build its own client. Every action is checked through what the tool returns and what the blocks hold.
"""

from __future__ import annotations

import inspect
import json
import os
import textwrap
from typing import Any

from ..connect import target
from . import NotYet, checker, require
from .scratch import scratch

NAME = "nb06_manage_tasks"
WATER: dict[str, Any] = {"task": "Water the plants", "done": False}


def _source(tool) -> str:
    if isinstance(tool, str):
        return textwrap.dedent(tool).strip() + "\n"
    try:
        return textwrap.dedent(inspect.getsource(tool))
    except (OSError, TypeError):
        raise NotYet(f"pass the tool function itself (or its source as a string), not {type(tool).__name__}") from None


def _client_secrets(client) -> dict[str, str]:
    """The secrets that make a self-hosted sandbox inject ``client``; Letta Cloud injects it by itself."""
    if target().kind == "cloud":
        return {}
    return {"LETTA_BASE_URL": str(client.base_url).rstrip("/"),
            "LETTA_API_KEY": client.api_key or os.environ.get("LETTA_API_KEY") or "no-key-needed-locally"}


def _tasks(client, agent) -> list:
    value = client.agents.blocks.retrieve("tasks", agent_id=agent.id).value
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        raise NotYet(f"the `tasks` block should hold a JSON list, it holds {value!r:.120}") from None


def _run(client, agent, *, where: str = "", **args) -> str:
    result = client.agents.tools.run(NAME, agent_id=agent.id, args=args)
    if result.status != "success":
        error = "".join(result.stderr or []).strip().splitlines() or [str(result.func_return)]
        raise NotYet(f"{NAME}({', '.join(f'{k}={v!r}' for k, v in args.items())}) failed in the sandbox of "
                     f"{where or agent.name}: {error[-1]}")
    return str(result.func_return)


@checker("06", hint="inside the tool: agent_id = os.getenv('LETTA_AGENT_ID'); use the injected `client`, or when it "
                    "is None build Letta(base_url=os.getenv('LETTA_BASE_URL')); read the list with "
                    "api.agents.blocks.retrieve('tasks', agent_id=agent_id), write it back with "
                    "api.agents.blocks.update('tasks', agent_id=agent_id, value=json.dumps(tasks))")
def check(tool, *, client) -> str:
    source = _source(tool)
    if 'NotImplementedError("your code here")' in source:
        raise NotImplementedError
    registered = client.tools.upsert(source_code=source)
    require(registered.name == NAME, f"the tool should be called {NAME}, the server named it {registered.name!r}")
    try:
        with scratch(client, "06") as made:
            def agent(role: str, tasks: list, **extra):
                return made.agent(role, tool_ids=[registered.id], **extra,
                                  memory_blocks=[{"label": "persona", "value": "I keep a task list."},
                                                 {"label": "tasks", "value": json.dumps(tasks)}])

            review = {"task": "Review the API docs", "done": False}
            injected = agent("injected", [WATER, review], secrets=_client_secrets(client))
            plain = agent("plain", [WATER])
            _run(client, plain, action="add", task="Buy milk",
                 where="an agent without the client secrets, so no injected client")
            require(_tasks(client, plain) == [WATER, {"task": "Buy milk", "done": False}],
                    f"\"add\" should append to the list the calling agent's block already holds, {[WATER]}; after it "
                    f"the block holds {_tasks(client, plain)}")
            require(_tasks(client, injected) == [WATER, review],
                    "the tool changed another agent's list: find the calling agent with os.getenv('LETTA_AGENT_ID')")

            call = {"action": "add", "task": "Write the summary"}
            reply = client.agents.messages.create(agent_id=injected.id, messages=[
                {"role": "user", "content": f"call {NAME} {json.dumps(call)}"}])
            returns = [m for m in reply.messages if m.message_type == "tool_return_message"]
            require(returns, f"the agent did not call {NAME}")
            if returns[0].status != "success":
                error = "".join(returns[0].stderr or []).strip().splitlines() or [str(returns[0].tool_return)]
                raise NotYet(f"the agent's call of {NAME} failed in the sandbox: {error[-1]}")
            summary = {"task": "Write the summary", "done": False}
            require(_tasks(client, injected) == [WATER, review, summary],
                    f"after the agent's \"add\" its block should hold {[WATER, review, summary]}, it holds "
                    f"{_tasks(client, injected)}")

            _run(client, injected, action="complete", task_id=1)
            require(_tasks(client, injected) == [WATER, {**review, "done": True}, summary],
                    f"\"complete\" with task_id=1 should mark the second task done (numbers count from 0), the block "
                    f"holds {_tasks(client, injected)}")
            listed = [line.strip() for line in _run(client, injected, action="list").strip().splitlines()]
            expected = [("[ ]", WATER["task"]), ("[x]", review["task"]), ("[ ]", summary["task"])]
            require(len(listed) == 3 and all(line.startswith(mark) and text in line
                                             for line, (mark, text) in zip(listed, expected, strict=True)),
                    f"\"list\" should return one line per task, in order, each starting with \"[ ]\" or \"[x]\"; "
                    f"got {listed}")

            return (f"{NAME} adds, completes and lists, in the calling agent's own block, with the injected client and "
                    "without it")
    finally:
        client.tools.delete(registered.id)
