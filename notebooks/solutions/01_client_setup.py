# Chapter 01 · a reference solution for the exercise.
import letta_client

import letta_nb


def safe_retrieve_agent(client, agent_id):
    try:
        return client.agents.retrieve(agent_id)
    except letta_client.NotFoundError:
        return None
    except letta_client.APIError as exc:
        raise letta_nb.explain(exc) from None
