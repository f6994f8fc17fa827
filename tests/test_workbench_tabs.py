"""The workspace's workbench tabs (context window, last turn's trace, tool tester), driven through their models on the
local stack, as a prototyper would use them: chat, then look at what the turn did."""

from __future__ import annotations

from letta_nb.state import ContextModel, ToolModel, TraceModel
from letta_nb.widgets import ToolTab, workspace
from letta_nb.widgets.workspace import TABS


def lnbt_shout(text: str) -> str:
    """Repeat text in capitals.

    Args:
        text: What to repeat.
    """
    return text.upper()


def test_the_tabs_follow_each_turn(letta, new_agent):
    agent = new_agent()
    ws = workspace(letta, agent.id)
    assert [ws.tabs.get_title(i) for i in range(len(TABS))] == list(TABS)
    assert ws.tabs.children == (ws.memory, ws.context, ws.trace, ws.tool)
    assert ws.context.model.loads == 1 and ws.context.tokens > 0 and ws.context.limit >= ws.context.tokens
    assert "tool definitions" in ws.context.model.text and "<human>" in ws.context.model.text
    assert "No turn" not in ws.trace.model.html and ws.trace.steps == 0

    assert ws.chat.say("My name is Sam", wait=True)
    assert ws.chat.session.runs and all(r.startswith("run-") for r in ws.chat.session.runs)
    assert ws.trace.runs == ws.chat.session.runs
    assert ws.trace.steps == 2 and ws.trace.model.tokens > 0
    assert "memory_replace" in ws.trace.model.text and "end_turn" in ws.trace.model.text
    assert ws.context.model.loads == 2, "the context window reloads after the turn"
    changes = ws.context.model.text
    assert "Changes since the snapshot" in changes and "- Name: unknown" in changes and "+ Name: Sam" in changes
    assert ws.context.error == "" and ws.trace.error == ""


def test_a_turn_with_an_approval_is_traced_over_both_runs(letta, new_agent):
    agent = new_agent()
    ws = workspace(letta, agent.id, tools=[lnbt_shout], auto=True)
    assert ws.chat.say('call lnbt_shout {"text": "hi"}', wait=True)
    assert "HI" in ws.chat.session.reply
    runs = ws.chat.session.runs
    assert len(runs) == 2, "the request that asked for the tool, and the one that answered it"
    assert ws.trace.runs == runs and ws.trace.steps >= 2
    assert "lnbt_shout" in ws.trace.model.text


def test_the_trace_tab_before_any_turn_says_so(letta):
    model = TraceModel(letta)
    model.load([])
    assert model.error == "No turn to trace yet: send a message first." and model.html == ""


def test_the_context_tab_of_an_unknown_agent_shows_a_sentence(letta):
    model = ContextModel(letta, "agent-00000000-0000-4000-8000-000000000000")
    model.refresh()  # never raises: a tab shows the error instead
    assert model.error and "Traceback" not in model.error and model.loads == 0


def test_the_tool_tab_runs_a_tool_and_explains_bad_input(letta):
    tab = ToolTab(letta)  # the default example, as a newcomer finds it
    assert tab.run() and tab.ok and "HELLO!" in tab.model.text and tab.error == ""

    for arguments, said in [('{"text": ', "are not JSON"), ('["hi"]', "must be a JSON object"),
                            ("", None)]:
        tab.arguments = arguments
        if said is None:  # no arguments at all: the tool's own parameter is missing, which the trial reports
            assert tab.run() and not tab.ok
            continue
        assert not tab.run() and said in tab.error

    no_args = ToolModel(letta, 'def quiet(text: str) -> str:\n    """Say it quietly."""\n    return text.lower()\n',
                        '{"text": "HUSH"}')
    assert no_args.run() and not no_args.ok, "a docstring without Args: is flagged before an agent trips on it"
    assert "Args" in no_args.text

    empty = ToolModel(letta, "   ")
    assert not empty.run() and "source" in empty.error
