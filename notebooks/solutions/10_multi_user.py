# Chapter 10 · a reference solution for the exercise.
import letta_nb


def forget_user(client, user_id: str, app_tag: str, support_id: str) -> tuple[int, int]:
    # both tags at once (delete_agents matches all of them); it also deletes the blocks only those agents used
    agents = letta_nb.delete_agents(client, tags=[f"user:{user_id}", app_tag])
    # summary_search finds summaries that contain the text: keep only the exact label
    mine = [c for c in client.conversations.list(agent_id=support_id, summary_search=f"user:{user_id}")
            if c.summary == f"user:{user_id}"]
    for conv in mine:
        client.conversations.delete(conv.id)
    return agents, len(mine)
