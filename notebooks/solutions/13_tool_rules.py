# Chapter 13 · a reference solution for the exercise.

TICKET_RULES = [
    # the first step may only open a ticket (and is forced to)
    {"type": "run_first", "tool_name": "nb13_open_ticket"},
    # after opening, closing is the only tool allowed (one child: forced)
    {"type": "constrain_child_tools", "tool_name": "nb13_open_ticket", "children": ["nb13_close_ticket"]},
    # closing ends the turn
    {"type": "exit_loop", "tool_name": "nb13_close_ticket"},
]
