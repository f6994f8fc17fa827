# Chapter 13 · a reference solution for the exercise.

REFUND_RULES = [
    # the first step is forced to the policy check, whatever the customer asks for
    {"type": "run_first", "tool_name": "nb13_check_refund"},
    # the check's output (its "message") picks the one tool that may follow
    {"type": "conditional", "tool_name": "nb13_check_refund",
     "child_output_mapping": {"approved": "nb13_issue_refund", "rejected": "nb13_explain_policy"},
     "default_child": "nb13_explain_policy"},
    # a person approves every payment
    {"type": "requires_approval", "tool_name": "nb13_issue_refund"},
    # either ending closes the turn
    {"type": "exit_loop", "tool_name": "nb13_issue_refund"},
    {"type": "exit_loop", "tool_name": "nb13_explain_policy"},
]
