"""Chapter 05: a word-count tool, written in Python, registered on the server, attached, and run by the agent.

The checker installs the learner's tool on a scratch agent of its own (with the usual memory tools), so the chapter's
agent keeps its tools and its history as the learner left them.
"""

from __future__ import annotations

import json

from . import NotYet, checker, require, stub_returned
from .scratch import scratch

NAME = "nb05_word_count"
# (text, words): spaces at both ends, runs of spaces, a new line, nothing at all
SAMPLES = [("one two three four", 4), ("  alpha\nbeta   gamma ", 3), ("", 0)]
IN_THE_SANDBOX = "The lighthouse  keeper\ncounts   every wave"


def _attached(client, agent_id: str) -> list[str]:
    return [t.name for t in client.agents.retrieve(agent_id, include=["agent.tools"]).tools]


@checker("05", hint="str.split() with no argument splits on any run of whitespace; return the count as a str. "
                    "Register the function with client.tools.upsert(source_code=inspect.getsource(nb05_word_count)) "
                    "(its docstring needs an Args: entry for `text`), then attach it with "
                    "client.agents.tools.attach(tool.id, agent_id=agent_id)")
def check(word_count, install, *, client, agent_id: str = "") -> str:
    # agent_id (the chapter's agent) is left alone: install_word_count runs on a scratch agent of the checker's own.
    for text, words in SAMPLES:  # in this kernel first: quick, and it tells the counting apart from the registering
        got = word_count(text)
        stub_returned(got, NAME)
        require(isinstance(got, str), f"{NAME}({text!r}) returned {got!r}, a {type(got).__name__}: a tool returns "
                                      f"text, here {str(words)!r}")
        require(got.strip() == str(words), f"{NAME}({text!r}) returned {got!r}, but the text has {words} words")

    with scratch(client, "05") as made:
        agent = made.agent(memory_blocks=[{"label": "persona", "value": "I help with texts."}])
        before = _attached(client, agent.id)  # the memory tools: memory_insert, memory_replace, conversation_search
        tool = install(client, agent.id)
        stub_returned(tool, "install_word_count")
        require(getattr(tool, "name", None) == NAME, f"install_word_count returned {getattr(tool, 'name', tool)!r}, "
                                                     f"not the tool it registered ({NAME})")
        stored = list(client.tools.list(name=NAME))
        require(stored, f"after install_word_count there is no tool named {NAME} on the server")
        parameters = stored[0].json_schema.get("parameters", {})
        require(list(parameters.get("properties", {})) == ["text"] and parameters.get("required") == ["text"],
                f"the tool should take exactly one required parameter, `text`; its schema says {parameters}")
        after = _attached(client, agent.id)
        require(NAME in after, f"install_word_count registered {NAME}, but it is not attached to the agent")
        lost = sorted(set(before) - set(after))
        require(not lost, f"install_word_count attached {NAME} but took the agent's other tools away "
                          f"({', '.join(lost)}): setting the agent's tool list (agents.update(tool_ids=[...])) "
                          "detaches every tool not in it; client.agents.tools.attach adds one and keeps the rest")

        call = f"call {NAME} {json.dumps({'text': IN_THE_SANDBOX})}"
        reply = client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": call}])
    returns = [m for m in reply.messages if m.message_type == "tool_return_message"]
    require(returns, f"asked to call {NAME}, the agent did not run it")
    if returns[0].status != "success":
        error = (returns[0].stderr or [returns[0].tool_return])[-1].strip().splitlines()[-1]
        raise NotYet(f"the tool ran on the server and failed: {error} (imports go inside the function)")
    words = len(IN_THE_SANDBOX.split())
    require(returns[0].tool_return.strip() == str(words),
            f"in the server's sandbox the tool returned {returns[0].tool_return!r} for a text of {words} words")
    return f"{NAME} counts words in your kernel and in the server's sandbox, and the agent called it"
