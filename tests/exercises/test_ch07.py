"""Chapter 07's checker: a spending guard over a tool that needs approval. It accepts the loop of the chapter and
letta_nb.client_tools.run_turn with a decide policy; it rejects approving everything, an off-by-one limit, a denial
without a reason, a result made up in the kernel, and returning only the last response."""

import json

from letta_nb import exercises
from letta_nb.client_tools import Decision, run_turn

from .conftest import stub


def _loop(decide_answer, *, keep_all=True):
    """The chapter's loop with a pluggable answer per call; keep_all=False returns only the last response."""
    def guarded_invoice(client, agent_id, message, limit_eur):
        response = client.agents.messages.create(agent_id=agent_id, messages=[{"role": "user", "content": message}])
        transcript = list(response.messages)
        while response.stop_reason.stop_reason == "requires_approval":
            request = [m for m in response.messages if m.message_type == "approval_request_message"][-1]
            answers = [decide_answer(call, json.loads(call.arguments or "{}"), limit_eur)
                       for call in request.tool_calls or [request.tool_call]]
            response = client.agents.messages.create(agent_id=agent_id,
                                                     messages=[{"type": "approval", "approvals": answers}])
            transcript = [*transcript, *response.messages] if keep_all else list(response.messages)
        return transcript
    return guarded_invoice


def _approve(call, approve, reason=None):
    return {"type": "approval", "tool_call_id": call.tool_call_id, "approve": approve,
            **({"reason": reason} if reason else {})}


def test_stub_is_not_yet(letta):
    result = exercises.check("07", stub, client=letta)
    assert not result and "NotImplementedError" in result.message and "requires_approval" in result.hint


def test_reference_solution_passes(letta):
    result = exercises.check("07", exercises.load_solution("07")["guarded_invoice"], client=letta)
    assert result, str(result)
    assert not list(letta.agents.list(tags=["nb07-exercise"])), "the checker deletes its scratch agent"


def test_run_turn_with_a_decide_policy_passes_too(letta):
    def guarded_invoice(letta, agent_id, message, limit_eur):
        def decide(call):
            if call.args.get("amount_eur", float("inf")) <= limit_eur:
                return Decision.approve()
            return Decision.deny(f"over the {limit_eur} EUR limit")
        return run_turn(letta, agent_id, message, decide=decide).messages

    result = exercises.check("07", guarded_invoice, client=letta)
    assert result, str(result)


def test_approving_everything_is_not_yet(letta):
    result = exercises.check("07", _loop(lambda call, args, limit: _approve(call, True)), client=letta)
    assert not result and "1200 EUR is above" in result.message, str(result)


def test_an_off_by_one_limit_is_not_yet(letta):
    strict = _loop(lambda call, args, limit: _approve(call, args["amount_eur"] < limit, "too much"))
    result = exercises.check("07", strict, client=letta)
    assert not result and "exactly 500 EUR" in result.message, str(result)


def test_a_denial_without_a_reason_is_not_yet(letta):
    silent = _loop(lambda call, args, limit: _approve(call, args["amount_eur"] <= limit))
    result = exercises.check("07", silent, client=letta)
    assert not result and "names the limit" in result.message, str(result)


def test_a_result_made_up_in_the_kernel_is_not_yet(letta):
    def made_up(call, args, limit):
        return {"type": "tool", "tool_call_id": call.tool_call_id, "tool_return": "sent", "status": "success"}

    result = exercises.check("07", _loop(made_up), client=letta)
    assert not result and "not from the server's tool" in result.message, str(result)


def test_only_the_last_response_is_not_yet(letta):
    solution_answer = lambda call, args, limit: _approve(call, args["amount_eur"] <= limit, f"over {limit} EUR")  # noqa: E731
    result = exercises.check("07", _loop(solution_answer, keep_all=False), client=letta)
    assert not result and "no approval request" in result.message, str(result)
