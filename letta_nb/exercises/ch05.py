"""Chapter 05: a word-count tool, written in Python, registered on the server, attached, and run by the agent."""

from __future__ import annotations

import json

from . import NotYet, checker, require, stub_returned

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
def check(word_count, install, *, client, agent_id: str) -> str:
    for text, words in SAMPLES:  # in this kernel first: quick, and it tells the counting apart from the registering
        got = word_count(text)
        stub_returned(got, NAME)
        require(isinstance(got, str), f"a tool returns text: {NAME}({text!r}) should return {str(words)!r}, not {got!r}")
        require(got.strip() == str(words), f"{NAME}({text!r}) should count {words} words, got {got!r}")

    tool = install(client, agent_id)
    stub_returned(tool, "install_word_count")
    require(getattr(tool, "name", None) == NAME, f"install_word_count should return the tool it registered ({NAME}), "
                                                 f"got {getattr(tool, 'name', tool)!r}")
    stored = list(client.tools.list(name=NAME))
    require(stored, f"there is no tool named {NAME} on the server: register it with client.tools.upsert")
    parameters = stored[0].json_schema.get("parameters", {})
    require(list(parameters.get("properties", {})) == ["text"] and parameters.get("required") == ["text"],
            f"the tool should take exactly one required parameter, `text`; its schema says {parameters}")
    require(NAME in _attached(client, agent_id), f"{NAME} is registered but not attached to the agent: "
                                                 "client.agents.tools.attach(tool.id, agent_id=...)")

    call = f"call {NAME} {json.dumps({'text': IN_THE_SANDBOX})}"
    reply = client.agents.messages.create(agent_id=agent_id, messages=[{"role": "user", "content": call}])
    returns = [m for m in reply.messages if m.message_type == "tool_return_message"]
    require(returns, "the agent did not run the tool: is it attached to this agent?")
    if returns[0].status != "success":
        error = (returns[0].stderr or [returns[0].tool_return])[-1].strip().splitlines()[-1]
        raise NotYet(f"the tool ran on the server and failed: {error} (imports go inside the function)")
    words = len(IN_THE_SANDBOX.split())
    require(returns[0].tool_return.strip() == str(words),
            f"in the sandbox the tool should count {words} words, it returned {returns[0].tool_return!r}")
    return f"{NAME} counts words in your kernel and in the server's sandbox, and the agent called it"
