"""What the offline model understands, on the real server, one behaviour of issue 17 each: sentences a learner types,
not the chapters' own. Each test says what a sensible small assistant does, or that it says plainly it cannot."""

from __future__ import annotations

import json

import pytest

from tests.test_offline_agent import TODO

HUMAN = {"label": "human", "value": ""}
PERSONA = {"label": "persona", "value": "I am a helpful assistant."}
ARCHIVAL = ["archival_memory_search", "archival_memory_insert"]
WRITES = {"memory_insert", "memory_replace", "archival_memory_insert", "add_todo"}


def turn(client, agent_id: str, text: str):
    messages = client.agents.messages.create(agent_id=agent_id, messages=[{"role": "user", "content": text}]).messages
    calls = [(m.tool_call.name, json.loads(m.tool_call.arguments)) for m in messages if m.message_type == "tool_call_message"]
    replies = [m.content for m in messages if m.message_type == "assistant_message"]
    reasoning = [m.reasoning for m in messages if m.message_type == "reasoning_message"]
    return calls, (replies[-1] if replies else ""), reasoning


def block(client, agent_id: str, label: str = "human") -> list[str]:
    return [line for line in client.agents.blocks.retrieve(label, agent_id=agent_id).value.split("\n") if line.strip()]


@pytest.mark.parametrize("said, lines", [
    ("I love tea but not coffee", ["Likes: tea", "Dislikes: coffee"]),
    ("My name is Sam and I teach maths in Leeds", ["Name: Sam", "Teaches: maths", "Location: Leeds"]),
    ("I'm Lena, 27, graphic designer, originally from Hamburg", ["Name: Lena", "Age: 27", "Job: graphic designer",
                                                                 "From: Hamburg"]),
    ("my sister Ana lives in Madrid", ["Sister: Ana", "Ana: lives in Madrid"]),
    ("Cy plays jazz piano", ["Cy: plays jazz piano"]),
])
def test_facts_in_first_and_third_person_and_several_at_once(client, make_agent, said, lines):
    agent = make_agent(memory_blocks=[HUMAN, PERSONA])
    turn(client, agent.id, said)
    assert block(client, agent.id) == lines


@pytest.mark.parametrize("before, said, after", [
    (["Name: Sam", "Location: Leeds"], "actually my name is not Sam, it's Samantha", ["Name: Samantha", "Location: Leeds"]),
    (["Name: Sam", "Location: Leeds"], "forget that I live in Leeds", ["Name: Sam"]),
    (["Name: Sam", "Owns: car, bike"], "I don't have a car any more", ["Name: Sam", "Owns: bike"]),
    (["Name: Sam", "Works at: Deloitte"], "I don't work at Deloitte anymore", ["Name: Sam"]),
])
def test_corrections_negation_and_forgetting(client, make_agent, before, said, after):
    agent = make_agent(memory_blocks=[{"label": "human", "value": "\n".join(before)}, PERSONA])
    calls, _, _ = turn(client, agent.id, said)
    assert [name for name, _ in calls] == ["memory_replace"]
    assert block(client, agent.id) == after


def test_a_fact_about_the_world_goes_to_archival_and_a_fitting_block_wins(client, make_agent):
    agent = make_agent(memory_blocks=[HUMAN, PERSONA], tools=ARCHIVAL)
    calls, _, _ = turn(client, agent.id, "remember that the office closes at 6")
    assert calls == [("archival_memory_insert", {"content": "The office closes at 6."})] and block(client, agent.id) == []
    home = {"label": "home", "value": "", "description": "Facts about the user's flat and how things work there."}
    agent = make_agent(memory_blocks=[HUMAN, home, PERSONA], tools=ARCHIVAL)
    calls, _, _ = turn(client, agent.id, "note that the boiler reset button is behind the left panel in the flat")
    assert [c[0] for c in calls] == ["memory_insert"] and calls[0][1]["label"] == "home"


@pytest.mark.parametrize("asked, answer", [
    ("where do I live?", "You live in York."), ("what city am I in again?", "York"),
    ("do you know my name?", "Sam"), ("what's my sister called?", "Ana"),
])
def test_questions_about_the_user_in_several_phrasings(client, make_agent, asked, answer):
    agent = make_agent(memory_blocks=[{"label": "human", "value": "Name: Sam\nLocation: York\nSister: Ana"}, PERSONA])
    calls, reply, _ = turn(client, agent.id, asked)
    assert calls == [] and answer in reply


@pytest.mark.parametrize("asked", ["what's the refund policy?", "can I get a refund?", "look up the refund policy in your notes"])
def test_questions_for_the_notes_in_several_phrasings(client, make_agent, asked):
    agent = make_agent(memory_blocks=[HUMAN, PERSONA], tools=ARCHIVAL)
    client.agents.passages.create(agent_id=agent.id, text="Refund policy: returns within 30 days for a full refund.")
    calls, reply, _ = turn(client, agent.id, asked)
    assert [c[0] for c in calls] == ["archival_memory_search"] and "30 days" in reply


@pytest.mark.parametrize("asked", ["what did I say about my holiday?", "did I mention my holiday before?",
                                   "remind me what I told you about the holiday"])
def test_questions_about_earlier_turns_in_several_phrasings(client, make_agent, asked):
    agent = make_agent(memory_blocks=[HUMAN, PERSONA])
    turn(client, agent.id, "My holiday to Lisbon is booked for June")
    calls, reply, _ = turn(client, agent.id, asked)
    assert [c[0] for c in calls] == ["conversation_search"] and "Lisbon" in reply


def test_reading_is_not_writing(client, make_agent):
    tool = client.tools.upsert(source_code=TODO)
    agent = make_agent(memory_blocks=[HUMAN, PERSONA], tool_ids=[tool.id])
    calls, reply, _ = turn(client, agent.id, "what's on my to-do list?")
    assert not {c[0] for c in calls} & WRITES and reply
    calls, _, _ = turn(client, agent.id, "add buying sunscreen to my to-do list")
    assert calls == [("add_todo", {"item": "buying sunscreen"})]


def test_the_sleeptime_agent_folds_in_every_kind_of_fact(client, make_agent):
    from tests.test_offline_agent import _wait_for_runs

    agent = make_agent(memory_blocks=[{"label": "human", "value": "Name: Sam\nLocation: Leeds"}, PERSONA],
                       enable_sleeptime=True)
    group = lambda: client.agents.retrieve(agent.id, include=["agent.managed_group"]).multi_agent_group  # noqa: E731
    try:
        turn(client, agent.id, "We've got a cat called Miso and my brother Raj lives in Pune. I love tea but not coffee.")
        sleeper = next(a for a in group().agent_ids if a != agent.id)
        assert _wait_for_runs(client, sleeper) == ["completed"]
        lines = block(client, agent.id)
        for line in ("Cat: Miso", "Brother: Raj", "Raj: lives in Pune", "Likes: tea", "Dislikes: coffee"):
            assert line in lines, lines
    finally:
        for helper in group().agent_ids:
            if helper != agent.id:
                _wait_for_runs(client, helper)


@pytest.mark.parametrize("tool, said", [("web_search", "search the web for the latest Letta release"),
                                        ("run_code", "run this python: print(6*7)")])
def test_built_in_tools_are_tried_and_their_failure_explained(client, make_agent, tool, said):
    agent = make_agent(memory_blocks=[HUMAN, PERSONA], tools=[tool])
    calls, reply, _ = turn(client, agent.id, said)
    assert [c[0] for c in calls] == [tool]
    assert "failed" in reply or "can't" in reply


@pytest.mark.parametrize("said, expected", [
    ("hello!", "Hello"), ("thanks a lot", "welcome"), ("what's 15% of 80?", "12"), ("what's 12 times 7?", "84"),
    ("what can you do?", "remember what you tell me"), ("who wrote Pride and Prejudice?", "can't know"),
])
def test_greetings_abilities_arithmetic_and_what_it_cannot_know(client, make_agent, said, expected):
    agent = make_agent(memory_blocks=[HUMAN, PERSONA], tools=ARCHIVAL)
    calls, reply, reasoning = turn(client, agent.id, said)
    assert not {c[0] for c in calls} & WRITES and expected in reply
    assert block(client, agent.id) == [] and "small talk" not in " ".join(reasoning)


@pytest.mark.parametrize("said", ["What's the weather like in Paris today?", "Let's plan the Lyon trip",
                                  "I bought a TechWidget Pro last week, is it waterproof?"])
def test_never_confidently_wrong(client, make_agent, said):
    agent = make_agent(memory_blocks=[HUMAN, PERSONA], tools=ARCHIVAL)
    client.agents.passages.create(agent_id=agent.id, text="The office kitchen has free coffee.")
    calls, reply, reasoning = turn(client, agent.id, said)
    assert "coffee" not in reply  # the nearest unrelated passage is never the answer
    assert all("waterproof" not in json.dumps(args) for name, args in calls if name in WRITES)
    assert reasoning and "small talk" not in " ".join(reasoning)
