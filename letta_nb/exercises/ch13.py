"""Chapter 13: tool rules as data. The learner writes TICKET_RULES; the checker runs a help-desk agent with them."""

from __future__ import annotations

import contextlib

import letta_client

from ..agents import delete_agents, fresh_agent
from ..errors import LettaNbError
from . import NotYet, checker, require

OPEN = "nb13_open_ticket"
CLOSE = "nb13_close_ticket"
OPEN_TOOL = f'''
def {OPEN}() -> str:
    """Open a support ticket."""
    return "Ticket #1 opened."
'''
CLOSE_TOOL = f'''
def {CLOSE}() -> str:
    """Close the open support ticket."""
    return "Ticket #1 closed."
'''
AGENT = "nb13-ticket-agent"


@checker("13", hint='write each rule as a dict with a "type": {"type": "run_first", "tool_name": "nb13_open_ticket"}, '
                    'then a "constrain_child_tools" rule (with "children") and an "exit_loop" rule; the checker passes '
                    "them to client.agents.create(..., tool_rules=TICKET_RULES)")
def check(rules, *, client) -> str:
    require(rules is not None and not isinstance(rules, (str, dict)), "TICKET_RULES should be a list of rules")
    rules = list(rules)
    require(rules, "TICKET_RULES is still empty: write the rules that make the agent open, then close, then stop")
    for rule in rules:
        if not isinstance(rule, dict) and getattr(rule, "type", "") is None:
            raise NotYet(f"{type(rule).__name__}(...) is sent without its type, and the server refuses it (422): "
                         "write the rule as a dict with a \"type\"")
    tools = [client.tools.upsert(source_code=source) for source in (OPEN_TOOL, CLOSE_TOOL)]
    try:
        try:
            agent = fresh_agent(client, AGENT, tool_ids=[t.id for t in tools], tool_rules=rules,
                                         memory_blocks=[{"label": "persona", "value": "I open and close support tickets."}])
        except LettaNbError as exc:
            raise NotYet(f"the server refused an agent with these rules: {exc}") from None
        reply = client.agents.messages.create(agent_id=agent.id,
                                              messages=[{"role": "user", "content": "My printer is on fire"}])
        calls = [m.tool_call.name for m in reply.messages if m.message_type == "tool_call_message"]
        stop = reply.stop_reason.stop_reason
        require(calls[:1] == [OPEN], f"{OPEN} must run first; the agent called {calls or 'no tool'}")
        require(calls == [OPEN, CLOSE], f"after {OPEN} only {CLOSE} may follow; the agent called {calls}")
        require(stop == "tool_rule", f"closing the ticket should end the turn (stop reason tool_rule), it was {stop!r}: "
                                     "the agent went on after closing")
        return f"the ticket agent ran {' → '.join(calls)} and stopped on the rule (stop reason: {stop})"
    finally:
        delete_agents(client, name=AGENT)
        for tool in tools:
            with contextlib.suppress(letta_client.NotFoundError):
                client.tools.delete(tool.id)
