from letta_client.types import ChildToolRule, InitToolRule, TerminalToolRule

from letta_nb import exercises

OPEN, CLOSE = "nb13_open_ticket", "nb13_close_ticket"


def test_stub_is_not_yet(client):
    result = exercises.check("13", [], client=client)
    assert not result and "empty" in result.message and "run_first" in result.hint
    assert str(result).startswith("not yet")


def test_without_exit_loop_is_not_yet(client):
    rules = [{"type": "run_first", "tool_name": OPEN},
             {"type": "constrain_child_tools", "tool_name": OPEN, "children": [CLOSE]}]
    result = exercises.check("13", rules, client=client)
    assert not result and "end the turn" in result.message, str(result)


def test_wrong_order_is_not_yet(client):
    rules = [{"type": "run_first", "tool_name": CLOSE},
             {"type": "constrain_child_tools", "tool_name": CLOSE, "children": [OPEN]},
             {"type": "exit_loop", "tool_name": OPEN}]
    result = exercises.check("13", rules, client=client)
    assert not result and "must run first" in result.message, str(result)


def test_rule_classes_without_type_are_not_yet(client):
    rules = [InitToolRule(tool_name=OPEN), ChildToolRule(tool_name=OPEN, children=[CLOSE]),
             TerminalToolRule(tool_name=CLOSE)]
    result = exercises.check("13", rules, client=client)
    assert not result and "without its type" in result.message, str(result)


def test_reference_solution_passes(client):
    result = exercises.check("13", exercises.load_solution("13")["TICKET_RULES"], client=client)
    assert result, str(result)
    assert str(result).startswith("✓")
    assert not list(client.agents.list(name="nb13-ticket-agent")), "the checker deletes its agent"
    assert not [t for name in (OPEN, CLOSE) for t in client.tools.list(name=name)], "the checker deletes its tools"
