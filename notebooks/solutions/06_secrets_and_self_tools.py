# Chapter 06 · a reference solution for the exercise.
# The tool runs in the server's sandbox, where `client` is the injected Letta client (None on a self-hosted server
# unless the agent has LETTA_API_KEY among its secrets). Register it with
# client.tools.upsert(source_code=inspect.getsource(nb06_manage_tasks)).


def nb06_manage_tasks(action: str, task: str = "", task_id: int = -1) -> str:
    """
    Manage my task list, kept as JSON in my `tasks` memory block.

    Args:
        action: "add" appends a task, "complete" marks task number task_id done, "list" shows every task.
        task: The task to add (for "add").
        task_id: The number of the task to complete, counting from 0 (for "complete").
    """
    import json
    import os

    api = client  # noqa: F821  (injected by the sandbox)
    if api is None:  # a self-hosted server without the client secrets: build one
        from letta_client import Letta

        api = Letta(base_url=os.getenv("LETTA_BASE_URL", "http://127.0.0.1:8283"))
    agent_id = os.getenv("LETTA_AGENT_ID")

    block = api.agents.blocks.retrieve("tasks", agent_id=agent_id)
    tasks = json.loads(block.value) if block.value.strip() else []

    if action == "list":
        if not tasks:
            return "No tasks"
        return "\n".join(f"{'[x]' if t['done'] else '[ ]'} {i}: {t['task']}" for i, t in enumerate(tasks))
    if action == "add":
        tasks.append({"task": task, "done": False})
        result = f"Added task {len(tasks) - 1}: {task}"
    elif action == "complete":
        if not 0 <= task_id < len(tasks):
            return f"Invalid task_id: {task_id} (there are {len(tasks)} tasks)"
        tasks[task_id]["done"] = True
        result = f"Completed task {task_id}: {tasks[task_id]['task']}"
    else:
        return f"Unknown action: {action!r} (use add, complete or list)"

    api.agents.blocks.update("tasks", agent_id=agent_id, value=json.dumps(tasks))
    return result
