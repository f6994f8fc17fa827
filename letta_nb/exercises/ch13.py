"""Chapter 13: tool rules as data, in a flow the chapter did not show. The learner writes REFUND_RULES for a refund
desk: the policy check runs first, its output picks the next tool, a person approves a refund before it is paid, and
either ending closes the turn. The checker runs a refund agent of its own with them, twice."""

from __future__ import annotations

import contextlib

import letta_client

from ..errors import LettaNbError
from ..turns import Decision, approval_item, approval_message, pending_calls
from . import NotYet, checker, require
from .scratch import scratch

CHECK, ISSUE, EXPLAIN = "nb13_check_refund", "nb13_issue_refund", "nb13_explain_policy"
SOURCES = [f'''
def {CHECK}(amount_eur: float) -> str:
    """Check a refund request against the policy: refunds up to 50 EUR are approved.

    Args:
        amount_eur: The amount to refund, in euros.
    """
    import json

    return json.dumps({{"message": "approved" if amount_eur <= 50 else "rejected"}})
''', f'''
def {ISSUE}() -> str:
    """Pay the approved refund back to the customer."""
    return "Refund paid."
''', f'''
def {EXPLAIN}() -> str:
    """Tell the customer why the refund was refused."""
    return "Refunds above 50 EUR need the receipt, in the shop."
''']


def _offered(client, response) -> list[tuple[str, list[str]]]:
    """For each step of the turn: the tool_choice the server sent ("auto" or the forced tool) and the tools offered."""
    steps = []
    for step_id in dict.fromkeys(m.step_id for m in response.messages if m.step_id):
        trace = client.steps.trace.retrieve(step_id)
        request = trace.request_json if trace is not None else {}
        choice = request.get("tool_choice")
        steps.append((choice["function"]["name"] if isinstance(choice, dict) else str(choice),
                      sorted(t["function"]["name"] for t in request.get("tools", []))))
    return steps


def _calls(response) -> list[str]:
    return [m.tool_call.name for m in response.messages
            if m.message_type in ("tool_call_message", "approval_request_message")]


def _turn(client, agent_id: str, text: str):
    return client.agents.messages.create(agent_id=agent_id, messages=[{"role": "user", "content": text}])


@checker("13", hint='four kinds of dict: {"type": "run_first", "tool_name": "nb13_check_refund"}; {"type": '
                    '"conditional", "tool_name": "nb13_check_refund", "child_output_mapping": {"approved": '
                    '"nb13_issue_refund", "rejected": "nb13_explain_policy"}, "default_child": "nb13_explain_policy"}; '
                    '{"type": "requires_approval", "tool_name": "nb13_issue_refund"}; and an "exit_loop" rule for each '
                    "of the two endings")
def check(rules, *, client) -> str:
    require(rules is not None and not isinstance(rules, (str, dict)), "REFUND_RULES should be a list of rules")
    rules = list(rules)
    require(rules, "REFUND_RULES is still empty: write the rules of the refund desk")
    for rule in rules:
        if not isinstance(rule, dict) and getattr(rule, "type", "") is None:
            raise NotYet(f"{type(rule).__name__}(...) is sent without its type, and the server refuses it (422): "
                         "write the rule as a dict with a \"type\"")
    tools = [client.tools.upsert(source_code=source) for source in SOURCES]
    try:
        with scratch(client, "13") as made:
            try:
                agent = made.agent(tool_ids=[t.id for t in tools], tool_rules=rules,
                                   memory_blocks=[{"label": "persona", "value": "I handle refunds."}])
            except LettaNbError as exc:
                raise NotYet(f"the server refused an agent with these rules: {exc}") from None
            return _run(client, agent.id)
    finally:
        for tool in tools:
            with contextlib.suppress(letta_client.NotFoundError):
                client.tools.delete(tool.id)


def _run(client, agent_id: str) -> str:
    # the wording asks for the payment itself: only a run_first rule makes the check come first
    small = _turn(client, agent_id, "Pay me back the 30 euros for my broken kettle")
    steps = _offered(client, small)
    require(steps and steps[0][0] == CHECK, f"the first step should be forced to {CHECK} (a run_first rule); the "
                                            f"server sent tool_choice {steps[0][0] if steps else 'nothing'}")
    calls, stop = _calls(small), small.stop_reason.stop_reason
    if len(steps) > 1 and len(steps[1][1]) > 1:
        raise NotYet(f"after {CHECK} the agent was offered {steps[1][1]}: the check's output should pick the next "
                     "tool by itself (a conditional rule), not leave the choice to the model")
    require(calls[:2] == [CHECK, ISSUE], f"a 30 EUR refund is approved by the check, so {ISSUE} should follow it; "
                                         f"the agent called {calls}: map the output \"approved\" to {ISSUE}")
    require(stop == "requires_approval", f"{ISSUE} ran without a person's approval (stop reason {stop!r}): a "
                                         "requires_approval rule pauses the turn before it runs")
    answers = [approval_item(call, Decision.approve()) for call in pending_calls(small.messages)]
    paid = client.agents.messages.create(agent_id=agent_id, messages=[approval_message(answers)])
    require(paid.stop_reason.stop_reason == "tool_rule",
            f"after the approved refund was paid the turn went on (stop reason {paid.stop_reason.stop_reason!r}): "
            f"an exit_loop rule on {ISSUE} ends it")

    large = _turn(client, agent_id, "Pay me back the 120 euros for the jacket")
    calls, stop = _calls(large), large.stop_reason.stop_reason
    require(calls[:2] == [CHECK, EXPLAIN], f"a 120 EUR refund is rejected by the check, so {EXPLAIN} should follow; "
                                           f"the agent called {calls}: map \"rejected\" (or the default) to {EXPLAIN}")
    require(stop == "tool_rule", f"after {EXPLAIN} the turn went on (stop reason {stop!r}): an exit_loop rule on "
                                 f"{EXPLAIN} ends it")
    return (f"30 EUR: {CHECK} → {ISSUE} after your approval; 120 EUR: {CHECK} → {EXPLAIN}; each turn ended on a rule")
