"""Chapter 07: a spending guard. The agent asks to run a server-side tool that needs approval (nb07_send_invoice);
your code reads the call's arguments and approves it up to a limit, denies it above, with a reason the model reads.

The checker runs the learner's function on a scratch agent of its own that has the chapter's invoice tool."""

from __future__ import annotations

from ..display.shapes import ToolReturnShape
from ..turns import pending_calls
from . import NotYet, checker, require, stub_returned
from .scratch import scratch

NAME = "nb07_send_invoice"
SOURCE = '''
def nb07_send_invoice(customer: str, amount_eur: float) -> str:
    """
    Send an invoice to a customer.

    Args:
        customer: Who gets the invoice
        amount_eur: The amount in euros
    """
    return f"Invoice over {amount_eur:.2f} EUR sent to {customer} (demo: nothing was sent)"
'''
LIMIT = 500


def _of(messages, kind: str) -> list:
    return [m for m in messages if getattr(m, "message_type", None) == kind]


def _turn(guarded_invoice, client, agent_id: str, amount: int) -> tuple[list, ToolReturnShape]:
    """Run the learner's function for one invoice; return its messages and the result the tool call got."""
    messages = guarded_invoice(client, agent_id, f"Send Ada an invoice for {amount} euros", LIMIT)
    stub_returned(messages, "guarded_invoice")
    require(isinstance(messages, list), f"guarded_invoice returned a {type(messages).__name__}, not the list of the "
                                        "turn's messages")
    pending = client.agents.retrieve(agent_id, include=["agent.pending_approval"]).pending_approval
    require(pending is None, "the agent is still waiting for an answer to its tool call: every approval request "
                             "needs a reply before guarded_invoice returns")
    require(_of(messages, "approval_request_message"), f"the messages you returned for {amount} EUR have no approval "
                                                       "request: return every message of the turn, the first "
                                                       "response's too")
    require(_of(messages, "assistant_message"), f"the messages you returned for {amount} EUR end before the agent's "
                                                "reply: keep the messages of every response of the turn")
    # what the call got, as the server recorded it: a streamed turn's chunks may carry no return for a denial, and a
    # denial's return has no tool name, so it is found by the call's id
    asked = {call.tool_call_id for call in pending_calls(messages)}
    history = client.agents.messages.list(agent_id, limit=100).items
    returns = [m for m in _of(history, "tool_return_message") if m.tool_call_id in asked]
    require(returns, f"the agent asked to send an invoice over {amount} EUR and the call got no answer")
    return messages, returns[-1]


@checker("07", hint="send the message with client.agents.messages.create; while response.stop_reason.stop_reason == "
                    "'requires_approval', read json.loads(call.arguments)['amount_eur'] of each approval request and "
                    "reply {'type': 'approval', 'approvals': [{'type': 'approval', 'tool_call_id': call.tool_call_id, "
                    "'approve': amount <= limit_eur, 'reason': ...}]}; collect every response's messages")
def check(guarded_invoice, *, client, agent_id: str = "") -> str:
    # agent_id (the chapter's agent) is left alone: the invoices go through a scratch agent of the checker's own.
    tool = client.tools.upsert(source_code=SOURCE, default_requires_approval=True)
    with scratch(client, "07") as made:
        agent = made.agent(tools=[tool.name], memory_blocks=[{"label": "human", "value": ""},
                                                             {"label": "persona", "value": "I do the accounts."}])
        _, result = _turn(guarded_invoice, client, agent.id, 120)
        if result.status == "success" and not str(result.tool_return).startswith("Invoice over"):
            raise NotYet(f"the agent got {result.tool_return!r} from your code, not from the server's tool: approve "
                         "the call ({'type': 'approval', 'approve': True}) so that the server runs nb07_send_invoice")
        require(result.status == "success", f"an invoice over 120 EUR is under the {LIMIT} EUR limit and should be "
                                            f"approved; the tool call got {result.status}: {result.tool_return!r:.120}")

        for amount in (LIMIT, 1200):
            _, result = _turn(guarded_invoice, client, agent.id, amount)
            if amount == LIMIT:
                require(result.status == "success", f"an invoice over exactly {LIMIT} EUR is within the limit and "
                                                    "should be approved (at most the limit is fine)")
                continue
            require(result.status == "error" and "denied" in str(result.tool_return),
                    f"an invoice over {amount} EUR is above the {LIMIT} EUR limit, and the server ran it: deny the "
                    f"call ('approve': False); compare the amount as a number")
            require(str(LIMIT) in str(result.tool_return),
                    f"the denial reached the model as {result.tool_return!r}: give a 'reason' that names the limit "
                    f"({LIMIT} EUR), so that the agent can explain the refusal")
    return f"invoices up to {LIMIT} EUR went out, the one over 1200 EUR was refused with a reason"
