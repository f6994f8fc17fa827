"""%load_ext letta_nb, %letta and %%letta in an in-process IPython shell, talking to the real local stack."""

from __future__ import annotations

import pytest

CONVERSATION_404 = "conv-00000000-0000-4000-8000-000000000000"


@pytest.fixture
def shell(stack):
    from IPython.core.interactiveshell import InteractiveShell

    ip = InteractiveShell.instance()
    assert ip.run_cell("%load_ext letta_nb").success
    yield ip
    InteractiveShell.clear_instance()  # later tests (and modules) must not find a running IPython


def _run(shell, capsys, cell):
    result = shell.run_cell(cell)
    out, err = capsys.readouterr()
    return result, out, err


def _failed_with(result, err, sentence):
    from IPython.core.error import UsageError

    assert not result.success and isinstance(result.error_in_exec, UsageError)
    assert sentence in err and "Traceback" not in err, err


def test_cell_goes_to_the_named_agent_and_streams(shell, capsys, client, make_agent):
    agent = make_agent()
    result, out, err = _run(shell, capsys, f"%%letta {agent.name}\nMy name is Sam")
    assert result.success, err
    assert "assistant: " in out and "stop reason: end_turn" in out
    assert shell.user_ns["_letta"].text  # the reply, kept as a Transcript
    assert "Sam" in client.agents.blocks.retrieve("human", agent_id=agent.id).value  # the message reached the agent


def test_use_sets_the_default(shell, capsys, client, make_agent):
    agent = make_agent()
    _, out, _ = _run(shell, capsys, "%letta")
    assert "No default agent yet" in out
    result, out, _ = _run(shell, capsys, f"%letta use {agent.id}")
    assert result.success and out.strip() == f"%%letta cells now go to agent {agent.name}."  # no id: stored output stays the same
    result, out, err = _run(shell, capsys, "%%letta\nHello there")
    assert result.success, err
    assert "assistant: " in out
    sent = [m.content for m in client.agents.messages.list(agent.id, limit=50) if m.message_type == "user_message"]
    assert "Hello there" in sent


def test_conversation(shell, capsys, client, make_agent):
    agent = make_agent()
    conversation = client.conversations.create(agent_id=agent.id)
    result, out, err = _run(shell, capsys, f"%%letta --conversation {conversation.id}\nHi in a thread")
    assert result.success, err
    assert "assistant: " in out
    # A set: letta 0.16.8 lists some of a conversation's messages twice.
    sent = {m.content for m in client.conversations.messages.list(conversation.id) if m.message_type == "user_message"}
    assert sent == {"Hi in a thread"}


def test_failed_turn_shows_its_reason_once(shell, capsys, make_agent):
    """A refusal inside the stream (the agent waits for an approval) is shown by the stream's display; the magic
    then stops the cell without repeating it."""
    agent = make_agent(tools=["archival_memory_search"],
                       tool_rules=[{"type": "requires_approval", "tool_name": "archival_memory_search"}])
    result, out, err = _run(shell, capsys, f'%%letta {agent.name}\ncall archival_memory_search {{"query": "x"}}')
    assert result.success, err
    assert "approval request: archival_memory_search" in out
    result, out, err = _run(shell, capsys, f"%%letta {agent.name}\nHello?")
    _failed_with(result, err, "The agent's turn failed (the reason is above).")
    assert out.count("The agent is waiting for an approval") == 1, out


@pytest.mark.parametrize("cell, sentence", [
    ("%%letta wbm-no-such-agent\nHi", "No agent is called 'wbm-no-such-agent' on this server"),
    ("%%letta\nHi", "Which agent? Use %%letta AGENT"),
    (f"%%letta --conversation {CONVERSATION_404}\nHi", "Not found (404): Conversation not found"),
    ("%%letta --conversation\nHi", "--conversation needs the conversation's id"),
    ("%letta use", "%letta use needs an agent"),
    ("%letta send x", "Unknown %letta command 'send'"),
    ("%%letta 'unclosed\nHi", "close the quotes around a name"),
])
def test_errors_are_sentences(shell, capsys, cell, sentence):
    result, _, err = _run(shell, capsys, cell)
    _failed_with(result, err, sentence)


def test_empty_cell(shell, capsys, make_agent):
    agent = make_agent()
    result, _, err = _run(shell, capsys, f"%%letta {agent.name}\n   \n")
    _failed_with(result, err, "The cell is empty")
