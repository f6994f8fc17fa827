"""Chapter 13's checker: REFUND_RULES for a refund desk (run first, a conditional branch, an approval, two exits).
Each rule a learner could forget, or write another way that does not work, is rejected; the solution passes, and so
does the same flow written with the mapping's default doing the rejecting."""

from letta_client.types import InitToolRule

from letta_nb import exercises

CHECK, ISSUE, EXPLAIN = "nb13_check_refund", "nb13_issue_refund", "nb13_explain_policy"
FIRST = {"type": "run_first", "tool_name": CHECK}
BRANCH = {"type": "conditional", "tool_name": CHECK,
          "child_output_mapping": {"approved": ISSUE, "rejected": EXPLAIN}, "default_child": EXPLAIN}
APPROVE = {"type": "requires_approval", "tool_name": ISSUE}
ENDS = [{"type": "exit_loop", "tool_name": ISSUE}, {"type": "exit_loop", "tool_name": EXPLAIN}]


def check(client, rules):
    return exercises.check("13", rules, client=client)


def test_an_empty_list_is_not_yet(letta):
    result = check(letta, [])
    assert not result and "empty" in result.message and "run_first" in result.hint
    assert str(result).startswith("not yet")


def test_reference_solution_passes_and_cleans_up(letta):
    result = check(letta, exercises.load_solution("13")["REFUND_RULES"])
    assert result, str(result)
    assert str(result).startswith("✓")
    assert not list(letta.agents.list(tags=["nb13-exercise"])), "the checker deletes its agent"
    assert not [t for name in (CHECK, ISSUE, EXPLAIN) for t in letta.tools.list(name=name)], "and its tools"


def test_the_default_child_doing_the_rejecting_passes_too(letta):
    branch = {**BRANCH, "child_output_mapping": {"approved": ISSUE}}
    result = check(letta, [FIRST, branch, APPROVE, *ENDS])
    assert result, str(result)


def test_without_run_first_is_not_yet(letta):
    result = check(letta, [BRANCH, APPROVE, *ENDS])
    assert not result and "run_first" in result.message, str(result)


def test_both_children_instead_of_a_branch_is_not_yet(letta):
    children = {"type": "constrain_child_tools", "tool_name": CHECK, "children": [ISSUE, EXPLAIN]}
    result = check(letta, [FIRST, children, APPROVE, *ENDS])
    assert not result and "conditional rule" in result.message, str(result)


def test_a_mapping_that_never_matches_is_not_yet(letta):
    wrong_case = {**BRANCH, "child_output_mapping": {"Approved": ISSUE, "Rejected": EXPLAIN}}
    result = check(letta, [FIRST, wrong_case, APPROVE, *ENDS])
    assert not result and 'map the output "approved"' in result.message, str(result)


def test_without_the_approval_is_not_yet(letta):
    result = check(letta, [FIRST, BRANCH, *ENDS])
    assert not result and "without a person's approval" in result.message, str(result)


def test_without_an_exit_is_not_yet(letta):
    result = check(letta, [FIRST, BRANCH, APPROVE, ENDS[1]])
    assert not result and "exit_loop rule on nb13_issue_refund" in result.message, str(result)
    result = check(letta, [FIRST, BRANCH, APPROVE, ENDS[0]])
    assert not result and "exit_loop rule on nb13_explain_policy" in result.message, str(result)


def test_rule_classes_without_type_are_not_yet(letta):
    result = check(letta, [InitToolRule(tool_name=CHECK), BRANCH, APPROVE, *ENDS])
    assert not result and "without its type" in result.message, str(result)
