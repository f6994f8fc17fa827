"""letta_nb.widgets and letta_nb.client_tools, driven from code against the real local stack.

Each widget keeps its state in traitlets, so these tests do what a user's clicks do (``chat.say``, setting the picker's
value, ``editor.save()``, ``chat.approvals.run_locally()``) and check both the traits and the server's own state.
"""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest
from letta_client import Letta

from letta_nb import client_tools
from letta_nb.client_tools import Call, Decision, Toolbox
from letta_nb.errors import LettaNbError
from letta_nb.widgets import AgentPicker, ApprovalPanel, ChatWidget, MemoryEditor, Workspace, workspace

MISSING_AGENT = "agent-00000000-0000-4000-8000-000000000000"


def _tool_name() -> str:
    return f"lnbw_{uuid.uuid4().hex[:8]}"


def _shout(text: str, times: int = 1) -> str:
    """Repeat text in capitals.

    Args:
        text: What to repeat.
        times: How many times.
    """
    print(f"shouting {text}")
    return " ".join([text.upper()] * times)


def _fail(path: str) -> str:
    """Always fails.

    Args:
        path: Ignored.
    """
    raise FileNotFoundError(f"no file {path}")


def _server_history(client, agent_id: str, conversation_id: str | None = None) -> list:
    if conversation_id:
        return list(client.conversations.messages.list(conversation_id, order="asc", limit=100).items)
    return list(client.agents.messages.list(agent_id, conversation_id="default", limit=100).items)


def _user_texts(messages) -> list[str]:
    return [m.content for m in messages if m.message_type == "user_message"]


# ------------------------------------------------------------------------------------------------------ chat
def test_say_streams_the_reply_into_the_transcript(letta, new_agent):
    agent = new_agent()
    chat = ChatWidget(letta, agent.id)
    assert chat.messages == [] and "No messages yet" in chat.transcript_view.value
    live = []
    chat.live_view.observe(lambda change: live.append(change["new"]), "value")

    assert chat.say("echo: hello widgets", wait=True)

    assert (chat.reply, chat.busy, chat.status, chat.error, chat.turns) == ("hello widgets", False, "", "", 1)
    assert [m.message_type for m in chat.messages] == ["user_message", "reasoning_message", "assistant_message"]
    assert "hello widgets" in chat.transcript_view.value and "lnb-e-assistant" in chat.transcript_view.value
    assert any("hello" in value for value in live), "the reply was never drawn while it streamed"
    assert live[-1] == "", "the live area is emptied once the message is in the transcript"
    assert _user_texts(_server_history(letta, agent.id)) == ["echo: hello widgets"]
    assert repr(chat) == f"ChatWidget(agent {agent.name!r}, 3 messages)"
    assert chat._repr_mimebundle_()["text/plain"] == repr(chat)


def test_the_input_box_sends_and_empties(letta, new_agent):
    chat = ChatWidget(letta, new_agent().id)
    chat.input_box.value = "echo: typed in the box"
    assert chat.value == "echo: typed in the box"
    assert chat.say(wait=True)
    assert chat.value == "" and chat.reply == "typed in the box"
    assert not chat.say("   "), "blank input is not sent"


def test_a_second_send_is_blocked_while_busy(client, make_agent):
    """Live only: it needs the turn to take time, which a replay's instant answer does not."""
    agent = make_agent()
    chat = ChatWidget(client, agent.id)
    assert chat.say("first")
    assert chat.busy and chat.send_button.disabled and chat.input_box.disabled
    assert not chat.say("second")
    chat.join(timeout=60)
    assert not chat.busy and not chat.send_button.disabled
    assert _user_texts(chat.messages) == ["first"]
    assert _user_texts(_server_history(client, agent.id)) == ["first"]


def test_unknown_agent_and_unreachable_server_show_the_fix_in_the_banner(letta):
    chat = ChatWidget(letta, MISSING_AGENT)
    assert "Not found (404)" in chat.error and "client.agents.list()" in chat.error
    assert chat.error_banner.layout.display == "block" and "Not found (404)" in chat.error_banner.value
    assert chat.say("anyone there?", wait=True)
    assert "404" in chat.error and not chat.busy and chat.status == ""
    assert "Traceback" not in chat.error_banner.value

    offline = ChatWidget(Letta(base_url="http://127.0.0.1:9", max_retries=0), MISSING_AGENT)
    assert "Cannot reach" in offline.error and "letta-nb up" in offline.error


def test_conversation_picker_lists_and_sends_to_the_chosen_conversation(letta, new_agent):
    agent = new_agent()
    conv = letta.conversations.create(agent_id=agent.id)
    chat = ChatWidget(letta, agent.id)
    assert conv.id in [value for _label, value in chat.conversations]
    assert chat.conversations[0] == ("default conversation", "")

    chat.conversation_picker.value = conv.id  # what choosing it in the dropdown does
    assert chat.conversation_id == conv.id
    assert chat.say("echo: in the side conversation", wait=True)
    assert chat.reply == "in the side conversation"
    assert "echo: in the side conversation" in _user_texts(_server_history(letta, agent.id, conv.id))
    assert _user_texts(_server_history(letta, agent.id)) == []

    chat.conversation_picker.value = ""
    assert chat.conversation_id is None and _user_texts(chat.messages) == []
    chat.conversation_id = conv.id
    assert _user_texts(chat.messages) == ["echo: in the side conversation"], "switching back shows that conversation's history"

    new_id = chat.new_conversation()
    assert new_id and chat.conversation_id == new_id and chat.conversation_picker.value == new_id
    assert new_id in [value for _label, value in chat.conversations]


def test_clear_view_keeps_the_server_history(letta, new_agent):
    chat = ChatWidget(letta, new_agent().id)
    chat.say("keep me", wait=True)
    chat.clear()
    assert chat.messages == [] and "No messages yet" in chat.transcript_view.value
    chat.load()
    assert _user_texts(chat.messages) == ["keep me"]


# ---------------------------------------------------------------------------------------------------- memory
def _blocks(limit: int | None = None) -> list[dict]:
    human = {"label": "human", "value": "Name: unknown"} | ({"limit": limit} if limit else {})
    return [human, {"label": "persona", "value": "I am a test agent."}]


def _server_value(client, agent_id: str, label: str) -> str:
    return client.agents.blocks.retrieve(label, agent_id=agent_id).value


def test_memory_editor_saves_an_edited_block(letta, new_agent):
    agent = new_agent()
    editor = MemoryEditor(letta, agent.id)
    assert list(editor.editors) == ["human", "persona"]
    assert repr(editor) == "MemoryEditor(2 blocks: human, persona)"
    human = editor.editors["human"]
    human.text_area.value = "Name: Grace"  # typing in the text area
    assert human.value == "Name: Grace" and human.dirty
    assert "11 / " in human.counter_view.value

    assert editor.save() == {"human": "saved", "persona": "unchanged"}
    assert not human.dirty and human.base == "Name: Grace" and editor.error == ""
    assert _server_value(letta, agent.id, "human") == "Name: Grace"


def test_memory_editor_conflict_keep_mine_and_take_theirs(letta, new_agent):
    agent = new_agent()
    editor = MemoryEditor(letta, agent.id)
    block_id = editor.editors["human"].block_id
    letta.blocks.update(block_id, value="Name: Theirs")  # someone else edits after the editor loaded
    editor.editors["human"].value = "Name: Mine"

    assert editor.save() == {"human": "conflict", "persona": "unchanged"}
    assert editor.conflicts == {"human": {"mine": "Name: Mine", "theirs": "Name: Theirs"}}
    assert "Keep mine" in editor.error and "lnb-w-conflict" in editor.editors["human"]._dom_classes
    assert "Name: Theirs" in editor.editors["human"].server_view.value
    assert _server_value(letta, agent.id, "human") == "Name: Theirs", "a conflict writes nothing"
    assert repr(editor) == "MemoryEditor(2 blocks: human, persona, 1 in conflict)"

    assert editor.resolve("human", "mine") == "saved"
    assert editor.conflicts == {} and _server_value(letta, agent.id, "human") == "Name: Mine"

    letta.blocks.update(block_id, value="Name: Theirs again")
    editor.editors["human"].value = "Name: Mine again"
    editor.refresh()  # a refresh finds the server change under unsaved edits: a conflict too
    assert editor.conflicts["human"]["theirs"] == "Name: Theirs again"
    assert editor.resolve("human", "theirs") == "unchanged"
    assert editor.editors["human"].value == "Name: Theirs again" and not editor.editors["human"].dirty
    assert editor.conflicts == {} and _server_value(letta, agent.id, "human") == "Name: Theirs again"


def test_memory_editor_refuses_a_block_over_its_limit(letta, new_agent):
    agent = new_agent(memory_blocks=_blocks(limit=20))
    editor = MemoryEditor(letta, agent.id)
    editor.editors["human"].value = "x" * 30
    assert "lnb-t-error" in editor.editors["human"].counter_view.value
    assert editor.save(["human"]) == {"human": "too long"}
    assert "30 / 20 chars" in editor.error and "limit=" in editor.error
    assert _server_value(letta, agent.id, "human") == "Name: unknown"
    human = editor.editors["human"]
    assert human.value == human.text_area.value == "x" * 30 and human.dirty, "the refused text stays in the box"


def test_memory_editor_checks_the_limit_the_server_has_now(letta, new_agent):
    agent = new_agent(memory_blocks=_blocks(limit=100))
    editor = MemoryEditor(letta, agent.id)
    human = editor.editors["human"]
    letta.blocks.update(human.block_id, limit=20)  # lowered elsewhere after the editor loaded
    human.value = "y" * 30
    assert editor.save(["human"]) == {"human": "too long"}
    assert "30 / 20 chars" in editor.error and human.limit == 20
    assert human.text_area.value == "y" * 30 and _server_value(letta, agent.id, "human") == "Name: unknown"
    human.value = "y" * 20
    assert editor.save(["human"]) == {"human": "saved"} and editor.error == ""


def test_workspace_highlights_what_the_agent_changed(letta, new_agent):
    agent = new_agent()
    ws = workspace(letta, agent.id)
    assert isinstance(ws, Workspace) and ws.children == (ws.chat, ws.tabs) and ws.tabs.children[0] is ws.memory

    ws.chat.say("remember in human: my name is Ada", wait=True)
    human = ws.memory.editors["human"]
    assert ws.memory.changed == ["human"]
    assert human.value == "Name: unknown\nmy name is Ada" == _server_value(letta, agent.id, "human")
    assert human.changed and "lnb-w-changed" in human._dom_classes
    assert "+ my name is Ada" in human.diff_view.value and human.diff_view.layout.display == "block"
    assert not ws.memory.editors["persona"].changed

    ws.chat.say("hello", wait=True)
    assert ws.memory.changed == [] and "lnb-w-changed" not in human._dom_classes

    human.value = "my unsaved edit"
    ws.chat.say("remember in human: I like tea", wait=True)
    assert ws.memory.conflicts["human"] == {"mine": "my unsaved edit",
                                           "theirs": "Name: unknown\nmy name is Ada\nI like tea"}


# ------------------------------------------------------------------------------------------------- approvals
def test_client_tool_waits_for_approval_then_runs_here(letta, new_agent):
    agent = new_agent()
    name = _tool_name()
    chat = ChatWidget(letta, agent.id, tools={name: _shout})

    assert chat.say(f'call {name} {{"text": "hi", "times": 2}}', wait=True)
    assert (chat.status, chat.busy) == ("awaiting approval", True)
    [call] = chat.approvals.pending
    assert (call.name, call.args) == (name, {"text": "hi", "times": 2})
    assert chat.approvals.layout.display == "flex" and name in chat.approvals.call_rows.children[0].children[0].value
    assert not chat.say("are you there?"), "no new message while a call waits"
    assert "awaiting approval" in repr(chat)

    chat.approvals.run_locally()
    chat.join(timeout=60)
    assert (chat.reply, chat.busy, chat.status, chat.error) == ("I repeated text in capitals: HI HI.", False, "", "")
    assert chat.approvals.pending == [] and chat.approvals.history == [(call, Decision.run())]
    returned = [m for m in _server_history(letta, agent.id) if m.message_type == "tool_return_message"]
    assert [(r.tool_return, r.status, r.stdout, r.stderr) for r in returned] == [("HI HI", "success", ["shouting hi\n"], [])]
    assert "client-side result" in chat.transcript_view.value


def test_deny_with_a_reason_reaches_the_model(letta, new_agent):
    agent = new_agent()
    name = _tool_name()
    chat = ChatWidget(letta, agent.id, tools={name: _shout})
    chat.say(f'call {name} {{"text": "no"}}', wait=True)
    with pytest.raises(LettaNbError, match="only here"):
        chat.approvals.approve()  # a client_tools tool does not exist on the server
    chat.approvals.deny(reason="not today")
    chat.join(timeout=60)
    assert chat.reply == f"I tried to repeat text in capitals with {name}, but it failed: request to call tool denied. User reason: not today."
    assert not chat.busy


def test_auto_mode_runs_local_tools_without_asking(letta, new_agent):
    agent = new_agent()
    name = _tool_name()
    chat = ChatWidget(letta, agent.id, tools={name: _shout}, auto=True)
    assert chat.say(f'call {name} {{"text": "auto"}}', wait=True)
    assert (chat.reply, chat.busy, chat.approvals.pending) == ("I repeated text in capitals: AUTO.", False, [])
    assert repr(chat.approvals) == "ApprovalPanel(1 local tools, 0 pending, auto)"


def test_pending_call_found_when_the_chat_opens(letta, new_agent):
    agent = new_agent()
    name = _tool_name()
    tools = Toolbox({name: _shout})
    letta.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": f'call {name} {{"text": "later"}}'}],
                                  **tools.request_options())
    panel = ApprovalPanel(tools)
    chat = ChatWidget(letta, agent.id, approvals=panel)
    assert panel not in chat.children, "a panel passed in is placed by the caller"
    assert chat.status == "awaiting approval" and [c.name for c in panel.pending] == [name]
    panel.run_locally()
    chat.join(timeout=60)
    assert chat.reply == "I repeated text in capitals: LATER." and not chat.busy


def test_a_call_left_pending_elsewhere_is_brought_to_the_panel(letta, new_agent):
    agent = new_agent()
    name = _tool_name()
    chat = ChatWidget(letta, agent.id, tools={name: _shout})
    letta.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": f'call {name} {{"text": "x"}}'}],
                                  **chat.tools.request_options())  # another program leaves the agent waiting

    assert chat.say("hello?", wait=True)
    assert "waiting for an answer to an earlier tool call" in chat.error and "panel below" in chat.error
    assert chat.status == "awaiting approval" and [c.name for c in chat.approvals.pending] == [name]
    chat.approvals.run_locally()
    chat.join(timeout=60)
    assert chat.reply == "I repeated text in capitals: X." and not chat.busy and chat.error == ""


def test_registered_tool_approved_runs_on_the_server(letta, new_agent):
    agent = new_agent()
    name = _tool_name()
    tools = Toolbox({name: _shout})
    try:
        [tool] = tools.register(letta, agent.id)
        assert tool.name == name and tool.default_requires_approval
        assert tools.schemas() == [] and tools.kind(name) == "registered"
        chat = ChatWidget(letta, agent.id, tools=tools)
        chat.say(f'call {name} {{"text": "server"}}', wait=True)
        chat.approvals.approve()
        chat.join(timeout=120)
        assert chat.reply == "I repeated text in capitals: SERVER."
        returned = [m for m in chat.messages if m.message_type == "tool_return_message"]
        assert returned and returned[-1].stdout == ["shouting server\n"], "the server ran the registered copy"
    finally:
        tools.unregister(letta)
    assert not list(letta.tools.list(name=name))


def test_run_turn_without_widgets(letta, new_agent):
    agent = new_agent()
    shout, fail = _tool_name(), _tool_name()
    tools = {shout: _shout, fail: _fail}
    seen = []

    turn = client_tools.run_turn(letta, agent.id, f'call {shout} {{"text": "plain"}}', tools=tools, on_chunk=seen.append)
    assert turn.text == "I repeated text in capitals: PLAIN." and turn.stop_reason.stop_reason == "end_turn"
    assert any(getattr(c, "message_type", None) == "approval_request_message" for c in seen)

    turn = client_tools.run_turn(letta, agent.id, f'call {fail} {{"path": "x.txt"}}', tools=tools)
    assert turn.text == f"I tried {fail} and it reported: FileNotFoundError: no file x.txt."
    returned = [m for m in _server_history(letta, agent.id) if m.message_type == "tool_return_message"][-1]
    assert returned.status == "error" and "Traceback" in returned.stderr[0]

    asked = []
    turn = client_tools.run_turn(letta, agent.id, f'call {shout} {{"text": "x"}}', tools=tools,
                                 decide=lambda call: asked.append(call) or Decision.deny("asked and refused"))
    assert [c.name for c in asked] == [shout] and turn.text.endswith("User reason: asked and refused.")


def test_schema_from_signature_and_docstring():
    from typing import Literal, Optional

    def search(query: str, limit: int = 5, tags: Optional[list[str]] = None, mode: Literal["a", "b"] = "a") -> str:
        """Search the notes.

        Longer explanation.

        Args:
            query: Words to find,
                on two lines.
            limit (int): At most this many.
            tags: Only these tags.
            mode: How.

        Returns:
            The notes.
        """
        return query

    assert client_tools.schema(search) == {
        "name": "search", "description": "Search the notes. Longer explanation.",
        "parameters": {"type": "object", "required": ["query"], "properties": {
            "query": {"type": "string", "description": "Words to find, on two lines."},
            "limit": {"type": "integer", "description": "At most this many."},
            "tags": {"type": "array", "items": {"type": "string"}, "description": "Only these tags."},
            "mode": {"type": "string", "enum": ["a", "b"], "description": "How."}}}}
    assert Toolbox([search]).schemas()[0]["name"] == "search"
    with pytest.raises(LettaNbError, match="identifier"):
        Toolbox({"not a name": search})
    result = Toolbox({"s": _shout}).run(Call("call_1", "s", "not json"))
    assert result.status == "error" and "Invalid arguments" in result.tool_return


def test_importing_letta_nb_loads_no_widgets():
    code = ("import sys, letta_nb; assert 'ipywidgets' not in sys.modules; letta_nb.client_tools.Toolbox; "
            "assert 'ipywidgets' not in sys.modules; letta_nb.widgets.ChatWidget; assert 'ipywidgets' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_passed_panel_brings_the_tools():
    with pytest.raises(LettaNbError, match="ApprovalPanel"):
        ChatWidget(None, MISSING_AGENT, tools=[_shout], approvals=ApprovalPanel())


# ---------------------------------------------------------------------------------------------------- picker
def test_agent_picker_lists_agents_and_opens_one(letta, new_agent):
    agent = new_agent()
    picker = AgentPicker(letta, name=agent.name)
    assert [row["id"] for row in picker.agents] == [agent.id] and picker.agents[0]["blocks"] == ["human", "persona"]
    assert repr(picker) == "AgentPicker(1 agent)"
    assert picker.open_agent() is None and "Pick an agent" in picker.error

    picker.agent_list.value = agent.id
    assert picker.selected == agent.id and agent.name in picker.card_view.value
    opened = picker.open_agent("workspace")
    assert isinstance(opened, Workspace) and picker.opened is opened and picker.opened_area.children == (opened,)
    assert isinstance(picker.open_agent("memory"), MemoryEditor)
    picker.filter_box.value = "no agent has this name"
    assert picker.agent_list.options == ()
