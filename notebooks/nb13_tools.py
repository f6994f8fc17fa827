"""Chapter 13's tools, as source strings (tool names are global on a server, hence the ``nb13_`` prefix).

The chapter shows the first tool of each group in full; the others are written the same way: a docstring with an
``Args:`` entry for every parameter, and imports (if any) inside the function.
"""

# ---- the pipeline: fetch -> process -> format
PROCESS_TOOL = '''
def nb13_process_data(data: str) -> str:
    """Process the fetched data. Can only be called after fetch_data.

    Args:
        data: The fetched data to process.
    """
    return f"Processed: {data}"
'''

FORMAT_TOOL = '''
def nb13_format_output(processed: str) -> str:
    """Format the final output. Ends the agent's turn.

    Args:
        processed: The processed data to format.
    """
    return f"Final output: {processed}"
'''

# ---- the shop: a stock check picks the next tool
ORDER_TOOL = '''
def nb13_place_order() -> str:
    """Place the order for the checked item."""
    return "Order placed."
'''

RESTOCK_TOOL = '''
def nb13_notify_restock() -> str:
    """Ask the warehouse to restock the checked item."""
    return "Restock requested."
'''

# ---- the Letta API Client Skill's "approval workflow": propose -> confirm -> execute
PROPOSE_TOOL = '''
def nb13_propose_action(action: str) -> str:
    """Propose an action that needs approval.

    Args:
        action: The action to propose.
    """
    return f"Proposed action: {action}. Awaiting confirmation."
'''

CONFIRM_TOOL = '''
def nb13_confirm_action(approved: bool, reason: str = "") -> str:
    """Confirm or reject the proposed action.

    Args:
        approved: Whether the action is approved.
        reason: Why it was approved or rejected.
    """
    if approved:
        return f"Action approved. {reason}"
    return f"Action rejected. {reason}"
'''

EXECUTE_TOOL = '''
def nb13_execute_action() -> str:
    """Execute the approved action. Only callable after confirmation."""
    return "Action executed successfully!"
'''

# Every tool the chapter creates, for its first cell (leftovers of an earlier run) and its clean-up.
TOOL_NAMES = ["nb13_fetch_data", "nb13_process_data", "nb13_format_output", "nb13_check_stock", "nb13_place_order",
              "nb13_notify_restock", "nb13_propose_action", "nb13_confirm_action", "nb13_execute_action"]
