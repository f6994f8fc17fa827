"""Chapter 16: try several personas from one state: fork the agent once per persona, change the copy's persona,
send the same message, keep the reply, delete the copy. The original agent must come out exactly as it went in."""

from __future__ import annotations

from . import checker, require, stub_returned
from .scratch import scratch

PERSONAS = {"pirate": "I am Captain Hook, a grumpy pirate.", "tutor": "I am Ada, a patient maths tutor."}
WHO = {"pirate": "Captain Hook", "tutor": "Ada"}  # what each persona's answer to "Who are you?" must contain
ORIGINAL = "I am a helpful assistant."


def _state(client, agent_id: str) -> tuple[str, int]:
    persona = client.agents.blocks.retrieve("persona", agent_id=agent_id).value
    return persona, len(client.agents.messages.list(agent_id, limit=100).items)


def _copies(client, agent, tag: str) -> list[str]:
    """Agents other than the original that carry its name or its run tag (a fork copies both)."""
    return sorted({a.name for a in client.agents.list(tags=[tag], limit=100) if a.id != agent.id}
                  | {a.name for a in client.agents.list(limit=1000) if a.id != agent.id and a.name.startswith(agent.name)})


def _replies(try_personas, client, agent_id: str, message: str) -> dict:
    replies = try_personas(client, agent_id, dict(PERSONAS), message)
    stub_returned(replies, "try_personas")
    require(isinstance(replies, dict), f"try_personas returned a {type(replies).__name__}, not a dict from each "
                                       "persona's name to the reply's text")
    require(sorted(replies) == sorted(PERSONAS), f"try_personas returned replies for {sorted(replies)}, not one for "
                                                 f"each persona {sorted(PERSONAS)}")
    for label, reply in replies.items():
        require(isinstance(reply, str), f"the {label!r} reply is a {type(reply).__name__}, not its text (a str): keep "
                                        "the text of the assistant messages")
    return replies


@checker("16", hint="for each persona: copy = letta_nb.fork(client, agent_id, name=f'{original.name}-{label}'); "
                    "client.agents.blocks.update('persona', agent_id=copy.id, value=text); send the message with "
                    "client.agents.messages.create(agent_id=copy.id, ...) and keep letta_nb.text_of(m) of its "
                    "assistant messages; then letta_nb.delete_agents(client, name=copy.name)")
def check(try_personas, *, client) -> str:
    with scratch(client, "16") as made:
        agent = made.agent(memory_blocks=[{"label": "human", "value": "Name: unknown"},
                                          {"label": "persona", "value": ORIGINAL}])
        client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": "My name is Sam"}])
        before = _state(client, agent.id)

        who = _replies(try_personas, client, agent.id, "Who are you?")
        after = _state(client, agent.id)
        require(after[0] == before[0], f"the original agent's persona is now {after[0]!r}: change each copy's persona, "
                                       "never the original's")
        require(after[1] == before[1], "the message went to the original agent too (its history grew): send it to "
                                       "each copy only")
        left = _copies(client, agent, made.run_tag)
        require(not left, f"copies left on the server: {left}; delete each copy once its reply is in")
        for label, reply in who.items():
            require(ORIGINAL not in reply, f"the {label!r} copy answered as the original ({reply[:60]!r}…): change "
                                           "the copy's persona before you send the message")
            require(WHO[label] in reply, f"asked 'Who are you?', the {label!r} copy said {reply[:80]!r}, without "
                                         f"{WHO[label]!r} from its persona {PERSONAS[label]!r}")

        name = _replies(try_personas, client, agent.id, "What's my name?")
        for label, reply in name.items():
            require("Sam" in reply, f"asked 'What's my name?', the {label!r} copy said {reply[:80]!r}: it does not "
                                    "know what the original was told. Copy the agent (a fork keeps its memory and "
                                    "history) instead of making a new one")
        require(not _copies(client, agent, made.run_tag), "copies left on the server after the second call")
    return f"each persona answered from the same state, the original untouched: {who['pirate'][:40]!r}…"
