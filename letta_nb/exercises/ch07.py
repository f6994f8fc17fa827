"""Chapter 07: a client-side tool: the agent asks, your program counts the words of a local file and answers."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from . import NotYet, checker, require, stub_returned

NAME = "count_words"
POEM = "The sea is calm tonight.\nThe tide is full,  the moon lies fair\n"


def _of(messages, kind: str) -> list:
    return [m for m in messages if getattr(m, "message_type", None) == kind]


def _pending(client, agent_id: str):
    return client.agents.retrieve(agent_id, include=["agent.pending_approval"]).pending_approval


def _unblock(client, agent_id: str) -> None:
    """Deny what the learner's code left pending, so that the chapter's agent is never stuck at 409."""
    pending = _pending(client, agent_id)
    if pending is not None:
        calls = pending.tool_calls if isinstance(pending.tool_calls, list) and pending.tool_calls else [pending.tool_call]
        client.agents.messages.create(agent_id=agent_id, messages=[{"type": "approval", "approvals": [
            {"type": "approval", "tool_call_id": c.tool_call_id, "approve": False, "reason": "the checker ended the turn"}
            for c in calls]}])


def _turn(count_words_turn, client, agent_id: str, folder: Path, path: str) -> list:
    messages = count_words_turn(client, agent_id, folder, path)
    stub_returned(messages, "count_words_turn")
    messages = list(messages)
    asked = [m for m in _of(messages, "approval_request_message") if m.tool_call.name == NAME]
    require(asked, f"the agent never asked to run {NAME}: offer it with client_tools=[...] and send "
                   f"'call {NAME} {json.dumps({'path': path})}'")
    returns = _of(messages, "tool_return_message")
    require(returns, f"the agent asked for {NAME}, but no result came back: answer the approval request with a "
                     "{\"type\": \"tool\", ...} reply carrying your result")
    return messages


@checker("07", hint='offer the tool with client_tools=[{"name": "count_words", "description": ..., "parameters": {...}}]; '
                    'when the turn stops with requires_approval, count the words here and reply {"type": "approval", '
                    '"approvals": [{"type": "tool", "tool_call_id": ..., "tool_return": "...", "status": "success"}]} '
                    '(status "error" when it fails); run_until_done above does both')
def check(count_words_turn, *, client, agent_id: str) -> str:
    folder = Path(tempfile.mkdtemp(prefix="nb07-check-"))
    try:
        (folder / "poem.txt").write_text(POEM)
        words = str(len(POEM.split()))
        messages = _turn(count_words_turn, client, agent_id, folder, "poem.txt")
        result = _of(messages, "tool_return_message")[-1]
        if result.status != "success" and "Tool not found" in str(result.tool_return):
            raise NotYet("you approved the call, so the server tried to run count_words, which it does not have: "
                         "answer with {\"type\": \"tool\", ...} and your own result instead")
        require(result.status == "success", f"counting the words of poem.txt should succeed, the agent got "
                                            f"{result.status}: {result.tool_return!r:.160}")
        require(result.tool_return.strip() == words, f"poem.txt (in the folder you were given) has {words} words, the "
                                                     f"agent got {result.tool_return!r}")
        require(_of(messages, "assistant_message"), "the turn should go on to the agent's reply after your result")
        stored = [t.name for t in client.tools.list(name=NAME)]
        require(not stored, f"{NAME} is registered on the server: a client-side tool is offered per request with "
                            "client_tools=[...], and never stored")

        messages = _turn(count_words_turn, client, agent_id, folder, "missing.txt")
        result = _of(messages, "tool_return_message")[-1]
        require(result.status == "error", f"for a file that does not exist the agent should get an \"error\" result, "
                                          f"it got {result.status}: {result.tool_return!r:.160}")
        require(_pending(client, agent_id) is None,
                "the agent is still waiting for an answer: every approval request needs a reply")
        return f"{NAME} ran in your kernel: {words} words for poem.txt, an error result for a missing file"
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        _unblock(client, agent_id)
