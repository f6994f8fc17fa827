# Chapter 12 · a reference solution for the exercise.
import json


def clone(client, agent_id: str, new_name: str):
    agent_file = client.agents.export_file(agent_id)
    # the agent file names the secrets but leaves their values blank: pass them again
    secrets = client.agents.retrieve(agent_id, include=["agent.secrets"]).secrets or []
    result = client.agents.import_file(
        file=(f"{new_name}.af", agent_file.encode()),
        override_name=new_name,  # otherwise "<name>_copy"
        secrets=json.dumps({s.key: s.value for s in secrets}),
    )
    return client.agents.retrieve(result.agent_ids[0], include=["agent.blocks", "agent.tools", "agent.tags"])
