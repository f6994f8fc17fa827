"""The offline model decides like a small agent, from natural language only, on the real server: it files facts
where they belong, resolves contradictions, answers from memory, searches by meaning, calls a custom tool it was
never told the name of, and explains every step. Command phrases are tested in test_offline.py."""

from __future__ import annotations

import json
import time

import pytest

from letta_nb.local.offline import agent as brain
from letta_nb.local.offline import sleeptime, statements

HUMAN = {"label": "human", "value": ""}
PERSONA = {"label": "persona", "value": "I am a helpful assistant."}
WEATHER = '''
def get_weather(city: str) -> str:
    """Get the current weather forecast for a city.

    Args:
        city: The city to report on.

    Returns:
        str: The forecast.
    """
    return f"Sunny and 21 degrees in {city}"
'''


def say(client, agent_id: str, text: str):
    return client.agents.messages.create(agent_id=agent_id, messages=[{"role": "user", "content": text}]).messages


def calls(messages) -> list[tuple[str, dict]]:
    return [(m.tool_call.name, json.loads(m.tool_call.arguments)) for m in messages if m.message_type == "tool_call_message"]


def reply(messages) -> str:
    return [m for m in messages if m.message_type == "assistant_message"][-1].content


def human(client, agent_id: str, label: str = "human") -> str:
    return client.agents.blocks.retrieve(label, agent_id=agent_id).value


# --------------------------------------------------------------------------------------- pure: the language
def test_facts_from_plain_english():
    lines = lambda text: [f.line for f in statements.read(text)]  # noqa: E731
    assert lines("Hi, I'm Sam, a teacher in Leeds") == ["Name: Sam", "Job: teacher", "Location: Leeds"]
    assert lines("my daughter is called Noor") == ["Daughter: Noor"]
    assert lines("I just moved to New York on Monday and I love jazz and hiking") == ["Location: New York", "Likes: jazz, hiking"]
    assert lines("I'm a software engineer at Google") == ["Job: software engineer", "Works at: Google"]
    assert lines("I love tea but not coffee") == ["Likes: tea", "Dislikes: coffee"]
    assert lines("my sister Ana lives in Madrid") == ["Sister: Ana", "Ana: lives in Madrid"]
    assert lines("Cy plays jazz piano") == ["Cy: plays jazz piano"]
    assert lines("My name is Sam and I teach maths in Leeds") == ["Name: Sam", "Teaches: maths", "Location: Leeds"]
    assert lines("I'm tired") == [] and lines("What's the weather in Oslo?") == [] and lines("Hello there") == []
    assert lines("I think AI is overhyped") == [] and lines("I have a question") == []


def test_taking_a_fact_back_marks_it_removed():
    assert [(f.line, f.removed) for f in statements.read("I don't have a car any more")] == [("Owns: car", True)]


def test_old_lines_are_recognised_by_their_key():
    found = [statements.line_key(line) for line in ["Lives in Leeds", "Name: unknown", "my name is Ada"]]
    assert [(k.name if k else None, v) for k, v in found] == [("Location", "Leeds"), ("Name", "unknown"), ("Name", "Ada")]


def test_consolidation_merges_repeats_and_keeps_the_latest_value():
    lines, notes = sleeptime.consolidate(["Name: Sam", "Location: Leeds", "Likes: tea", "Likes: jazz", "Location: York", "Name: Sam"],
                                         statements.read("My daughter is called Noor and I love tea"))
    assert lines == ["Name: Sam", "Location: York", "Likes: tea, jazz", "Daughter: Noor"]
    assert notes == "1 new fact, 1 fact changed and 2 repeats merged"


def test_summary_is_extractive():
    transcript = ("<start_transcript>\n[MessageRole.user] Hi, I'm Sam, a teacher in Leeds\n"
                  "[assistant] -> memory_insert({})\n[MessageRole.user] What's the refund policy?\n<end_transcript>")
    request = {"messages": [{"role": "system", "content": "Create a detailed summary of the conversation"},
                            {"role": "user", "content": transcript}]}
    assert brain.respond(request).content == ("Summary of the earlier conversation (2 user messages).\n"
                                              "The user told me: Name: Sam; Job: teacher; Location: Leeds.\n"
                                              "They asked: What's the refund policy?\nTools used: memory_insert.")


# ------------------------------------------------------------------------------------ on the real server
def test_self_disclosure_is_saved_with_reasoning(client, make_agent):
    agent = make_agent(memory_blocks=[HUMAN, PERSONA])
    messages = say(client, agent.id, "Hi, I'm Sam, a teacher in Leeds")
    assert calls(messages) == [("memory_insert", {"label": "human", "new_string": "Name: Sam\nJob: teacher\nLocation: Leeds"})]
    assert messages[0].message_type == "reasoning_message"
    assert messages[0].reasoning == "The user told me their name, their job and where they live; I'll save them to my human block."
    assert reply(messages) == "Nice to meet you, Sam! I've noted that you work as a teacher and you live in Leeds."
    assert human(client, agent.id).split() == ["Name:", "Sam", "Job:", "teacher", "Location:", "Leeds"]


def test_a_fitting_block_wins_over_human(client, make_agent):
    family = {"label": "family", "value": "", "description": "The user's family members and their names."}
    agent = make_agent(memory_blocks=[HUMAN, family, PERSONA])
    say(client, agent.id, "My daughter is called Noor")
    assert human(client, agent.id, "family").strip() == "Daughter: Noor" and human(client, agent.id) == ""


def test_contradiction_replaces_the_old_line(client, make_agent):
    agent = make_agent(memory_blocks=[{"label": "human", "value": "Name: Sam\nLives in Leeds"}, PERSONA])
    messages = say(client, agent.id, "I moved to York")
    assert calls(messages) == [("memory_replace", {"label": "human", "old_string": "Lives in Leeds", "new_string": "Location: York"})]
    assert human(client, agent.id) == "Name: Sam\nLocation: York"
    assert "Leeds" in messages[0].reasoning and "replace" in messages[0].reasoning


def test_questions_about_the_user_are_answered_from_memory(client, make_agent):
    agent = make_agent(memory_blocks=[{"label": "human", "value": "Name: Sam\nLocation: York\nDaughter: Noor"}, PERSONA])
    asked = say(client, agent.id, "What's my daughter called?")
    assert calls(asked) == [] and reply(asked) == "Your daughter is Noor."
    assert reply(say(client, agent.id, "Where do I live?")) == "You live in York."
    assert reply(say(client, agent.id, "How old am I?")) == "I don't have that in my memory yet. If you tell me, I'll remember it."


def test_knowledge_questions_search_archival_by_meaning(client, make_agent):
    agent = make_agent(memory_blocks=[HUMAN, PERSONA], tools=["archival_memory_search", "archival_memory_insert"])
    for text in ("Returns within 30 days for a full refund.", "The office opens at 9am on weekdays.",
                 "Shipping is free on orders over 50 euros."):
        client.agents.passages.create(agent_id=agent.id, text=text)
    messages = say(client, agent.id, "Is delivery free?")
    assert calls(messages) == [("archival_memory_search", {"query": "delivery free"})]
    assert reply(messages).startswith("According to my notes: Shipping is free on orders over 50 euros.")


def test_a_search_with_nothing_relevant_says_so(client, make_agent):
    agent = make_agent(memory_blocks=[HUMAN, PERSONA], tools=["archival_memory_search", "archival_memory_insert"])
    for text in ("Parking permit expires 31 May.", "Bike service booked for Saturday at 10."):
        client.agents.passages.create(agent_id=agent.id, text=text)
    messages = say(client, agent.id, "When does my passport expire?")
    assert calls(messages) == [("archival_memory_search", {"query": "passport expire"})]
    assert reply(messages) == 'I searched my notes for "passport expire" but found nothing relevant.'


def test_a_question_is_never_saved_and_a_fact_beside_it_is(client, make_agent):
    agent = make_agent(memory_blocks=[HUMAN, PERSONA], tools=["archival_memory_search", "archival_memory_insert"])
    messages = say(client, agent.id, "I bought a TechWidget Pro last week, is it waterproof?")
    assert [name for name, _ in calls(messages)] == ["memory_insert", "archival_memory_search"]
    assert human(client, agent.id).strip() == "Owns: TechWidget Pro"


def test_what_it_did_not_understand_it_says_and_writes_nothing(client, make_agent):
    agent = make_agent(memory_blocks=[HUMAN, PERSONA], tools=["archival_memory_search", "archival_memory_insert"])
    messages = say(client, agent.id, "my bike has a flat tyre")
    assert calls(messages) == [] and human(client, agent.id) == ""
    assert "small talk" not in messages[0].reasoning
    assert client.agents.passages.list(agent_id=agent.id) == [] or not list(client.agents.passages.list(agent_id=agent.id))


def test_facts_in_third_person_and_corrections(client, make_agent):
    agent = make_agent(memory_blocks=[{"label": "human", "value": "Name: Sam\nLocation: Leeds"}, PERSONA])
    say(client, agent.id, "Cy plays jazz piano")
    say(client, agent.id, "actually my name is not Sam, it's Samantha")
    say(client, agent.id, "forget that I live in Leeds")
    assert human(client, agent.id).split("\n") == ["Name: Samantha", "Cy: plays jazz piano"]


def test_a_world_fact_goes_to_archival_memory(client, make_agent):
    agent = make_agent(memory_blocks=[HUMAN, PERSONA], tools=["archival_memory_search", "archival_memory_insert"])
    messages = say(client, agent.id, "Remember that the lighthouse is painted red")
    assert calls(messages) == [("archival_memory_insert", {"content": "The lighthouse is painted red."})]
    assert human(client, agent.id) == ""


def test_notes_for_later_go_to_archival(client, make_agent):
    agent = make_agent(memory_blocks=[HUMAN, PERSONA], tools=["archival_memory_search", "archival_memory_insert"])
    messages = say(client, agent.id, "Please note for later that the spare key is under the blue pot")
    assert calls(messages) == [("archival_memory_insert", {"content": "The spare key is under the blue pot."})]
    assert [p.text for p in client.agents.passages.list(agent_id=agent.id)] == ["The spare key is under the blue pot."]


def test_questions_about_earlier_turns_search_the_conversation(client, make_agent):
    agent = make_agent(memory_blocks=[HUMAN, PERSONA])
    say(client, agent.id, "My holiday to Lisbon is booked for June")
    messages = say(client, agent.id, "What did I say about my holiday?")
    assert calls(messages) == [("conversation_search", {"query": "holiday"})]
    assert reply(messages) == 'Earlier you told me: "My holiday to Lisbon is booked for June"'


def test_a_custom_tool_is_chosen_by_meaning(client, make_agent):
    tool = client.tools.upsert(source_code=WEATHER)
    agent = make_agent(memory_blocks=[HUMAN, PERSONA], tool_ids=[tool.id])
    messages = say(client, agent.id, "What's the weather like in Oslo today?")
    assert calls(messages) == [("get_weather", {"city": "Oslo"})]
    assert reply(messages) == "Sunny and 21 degrees in Oslo."
    asked = say(client, agent.id, "Will the weather be nice?")
    assert calls(asked) == [] and "need the city" in reply(asked)


TODO = '''
def add_todo(item: str) -> str:
    """Add an item to the user's to-do list.

    Args:
        item: What to do, in a few words.

    Returns:
        str: The list.
    """
    return f"[ ] {item}"
'''


def test_a_list_tool_gets_just_the_item(client, make_agent):
    tool = client.tools.upsert(source_code=TODO)
    agent = make_agent(memory_blocks=[HUMAN, PERSONA], tool_ids=[tool.id])
    assert calls(say(client, agent.id, "Please put booking the train to Porto on my to-do list.")) == \
        [("add_todo", {"item": "booking the train to Porto"})]
    assert calls(say(client, agent.id, "Update my to-do list: buy sunscreen")) == [("add_todo", {"item": "buy sunscreen"})]


def test_a_block_named_in_words_is_updated_but_a_read_only_one_is_declined(client, make_agent):
    rules = {"label": "policies", "value": "Use metric units.", "description": "The house rules.", "read_only": True}
    notes = {"label": "notes", "value": "", "description": "Things the user wants kept in view."}
    agent = make_agent(memory_blocks=[HUMAN, rules, notes, PERSONA])
    declined = say(client, agent.id, "Please update the house rules: use imperial units.")
    assert calls(declined) == [] and "read-only" in declined[0].reasoning
    assert reply(declined) == "I can't change the house rules: my policies block is read-only, so only the app that " \
                              "set it can edit it."
    assert calls(say(client, agent.id, "Update my notes: water the plants on Sunday")) == \
        [("memory_insert", {"label": "notes", "new_string": "Water the plants on Sunday."})]
    assert human(client, agent.id, "policies") == "Use metric units."


def test_small_talk_is_friendly_and_uses_memory(client, make_agent):
    agent = make_agent(memory_blocks=[{"label": "human", "value": "Name: Sam"}, PERSONA])
    messages = say(client, agent.id, "Hello!")
    assert calls(messages) == [] and reply(messages) == "Hello, Sam! How can I help you today?"
    assert messages[0].reasoning == "The user is greeting me; I'll greet them back."


def test_same_conversation_same_replies(client, make_agent):
    replies = []
    for _ in range(2):
        agent = make_agent(memory_blocks=[HUMAN, PERSONA])
        replies.append([reply(say(client, agent.id, t)) for t in ("I'm Ada, a pilot", "I love tea", "What do you know about me?")])
    assert replies[0] == replies[1]
    assert replies[0][2] == "Here is what I know about you: your name is Ada; you work as a pilot; you like tea."


def _wait_for_runs(client, agent_id: str, timeout: float = 90) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = client.runs.list(agent_id=agent_id).items
        if runs and all(r.status in ("completed", "failed", "cancelled") for r in runs):
            return [r.status for r in runs]
        time.sleep(1)
    pytest.fail(f"sleeptime runs of {agent_id} still going after {timeout} s")


def test_sleeptime_agent_consolidates_the_shared_block(client, make_agent):
    agent = make_agent(memory_blocks=[{"label": "human", "value": "Name: Sam\nLocation: Leeds\nLikes: tea\nLikes: tea"}, PERSONA],
                       enable_sleeptime=True)
    try:
        say(client, agent.id, "I moved to York last month, and I love jazz. My daughter is called Noor.")
        group = client.agents.retrieve(agent.id, include=["agent.managed_group"]).multi_agent_group
        sleeper = next(a for a in group.agent_ids if a != agent.id)
        assert _wait_for_runs(client, sleeper) == ["completed"]
        assert human(client, agent.id) == "Name: Sam\nLocation: York\nLikes: tea, jazz\nDaughter: Noor"
        steps = [m for m in client.agents.messages.list(agent_id=sleeper, limit=50)
                 if m.message_type in ("reasoning_message", "tool_call_message")]
        assert [m.tool_call.name for m in steps if m.message_type == "tool_call_message"] == ["memory_rethink", "memory_finish_edits"]
        assert "1 new fact, 2 facts changed and 1 repeat merged" in steps[0].reasoning
    finally:
        for helper in client.agents.retrieve(agent.id, include=["agent.managed_group"]).multi_agent_group.agent_ids:
            _wait_for_runs(client, helper) if helper != agent.id else None


def test_compaction_writes_an_extractive_summary(client, make_agent):
    agent = make_agent(memory_blocks=[HUMAN, PERSONA])
    for text in ("Hi, I'm Sam, a teacher in Leeds", "What's the refund policy?", "I love jazz", "Thanks!"):
        say(client, agent.id, text)
    summary = client.agents.messages.compact(agent.id).summary  # of the older messages; the newest stay in context
    assert summary.startswith("Summary of the earlier conversation (")
    assert "The user told me: Name: Sam; Job: teacher; Location: Leeds" in summary
