"""letta_nb.display against real objects from the local stack: every object kind, every message type the offline
model produces (the rest built from SDK models), escaping, truncation, themes, determinism, frames, IPython hooks.

Written once, run twice (tests/replay.py): live against the local stack, and replayed in the fast tier from
tests/recordings/test_display/. The shared objects are made once per module (``world``: its own recording; a custom
tool's first run on the server takes seconds) and deleted after; a test that asks the server more has ``letta``.
Markup is compared as syrupy snapshots shared by both modes (tests/__snapshots__/test_display.ambr), sanitized as the
chapters' stored outputs are; text is checked by its content.
"""

from __future__ import annotations

import contextlib
import io
import re
import uuid
from datetime import datetime, timezone

import letta_client
import pytest
from letta_client.types.agents import EventMessage, HiddenReasoningMessage, SummaryMessage
from letta_client.types.agents.letta_streaming_response import LettaErrorMessage
from replay import delete_agent_and_blocks, recording_for, sanitize

from letta_nb.config import OFFLINE_EMBEDDING_HANDLE, OFFLINE_LLM_HANDLE
from letta_nb.display import CSS, MemoryDiff, disable, enable, markdown, memory_diff, render, show, to_frame
from letta_nb.display.model import EXPAND_CHARS, PREVIEW_CHARS
from letta_nb.stream import collect

SCRIPT = "<script>alert(1)</script>"
SHOUT = '''
def shout(text: str, times: int = 1) -> str:
    """Shout a text.

    Args:
        text: What to shout.
        times: How many times to shout it.

    Returns:
        str: The shouted text.
    """
    print("shouting", text)
    return (text.upper() + "! ") * times
'''
DANGEROUS = SHOUT.replace("def shout", "def display_test_launch").replace("Shout a text.", "Launch, after a human says yes.")
ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
UUID_ID = re.compile(r"\b[a-z_]+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
TOKENS = re.compile(r"[\d,]+ tokens \([\d,]+ prompt, [\d,]+ completion\)")


def _items(page) -> list:
    return list(page.items if hasattr(page, "items") else page)


def _send(client, agent_id: str, text: str):
    return client.agents.messages.create(agent_id=agent_id, messages=[{"role": "user", "content": text}])


def _html(view) -> str:
    """A view's HTML for a snapshot: without the stylesheet every view starts with, sanitized, token counts masked
    (the prompt holds the time it was compiled, whose tokens vary)."""
    html = view.html
    assert html.startswith("<style>") and html.count("</style>") == 1
    return TOKENS.sub("<n> tokens (<n> prompt, <n> completion)", sanitize(html.split("</style>", 1)[1]))


class World:
    """Everything the tests look at, made once."""


@pytest.fixture(scope="module")
def world(request, mode):
    with recording_for(request, mode, "world") as rec:
        yield from _world(rec)


def _world(rec):
    client = rec.client
    w = World()
    agents, blocks, tools, folders, identities = [], [], [], [], []

    def agent(**kwargs):
        kwargs.setdefault("name", rec.name("test-display"))
        kwargs.setdefault("model", OFFLINE_LLM_HANDLE)
        kwargs.setdefault("embedding", OFFLINE_EMBEDDING_HANDLE)
        kwargs.setdefault("memory_blocks", [{"label": "human", "value": "Name: unknown", "limit": 100,
                                             "description": "What I know about the user."},
                                            {"label": "persona", "value": "I am a test agent.", "read_only": True}])
        made = client.agents.create(**kwargs)
        agents.append(made.id)
        return made

    try:
        w.shout = client.tools.upsert(source_code=SHOUT)
        w.launch = client.tools.upsert(source_code=DANGEROUS, default_requires_approval=True)
        tools += [w.shout.id, w.launch.id]
        w.identity = client.post("/v1/identities/", cast_to=object, body={
            "identifier_key": rec.name("test-display"), "name": "Alice", "identity_type": "user",
            "properties": [{"key": "plan", "value": "pro", "type": "string"}]})
        identities.append(w.identity["id"])
        w.agent = agent(tags=["display", "test"], tools=["archival_memory_insert", "archival_memory_search"],
                        tool_ids=[w.shout.id, w.launch.id], identity_ids=[w.identity["id"]])
        w.thinker = agent(agent_type="memgpt_v2_agent", memory_blocks=[{"label": "human", "value": "Name: unknown"}])
        w.team = client.blocks.create(label="team", value="We ship on Fridays.", limit=200)
        blocks.append(w.team.id)
        for agent_id in (w.agent.id, w.thinker.id):
            client.agents.blocks.attach(w.team.id, agent_id=agent_id)
        w.before = client.agents.retrieve(w.agent.id, include=["agent.blocks"])

        w.remember = _send(client, w.agent.id, f"remember in human: I like {SCRIPT} tea")
        w.archive = _send(client, w.agent.id, "archive: cats are great #pets")
        w.search_reply = _send(client, w.agent.id, "search archival for cats")
        w.shouted = _send(client, w.agent.id, 'call shout {"text": "hi", "times": 2}')
        w.failed = _send(client, w.agent.id, 'replace "nothing" with "x" in human')
        w.approval = _send(client, w.agent.id, 'call display_test_launch {"text": "boom"}')
        request = w.approval.messages[-1]
        w.denied = client.agents.messages.create(agent_id=w.agent.id, messages=[{"type": "approval", "approvals": [
            {"type": "approval", "tool_call_id": request.tool_call.tool_call_id, "approve": False, "reason": "not today"}]}])
        w.long_text = "word " * 700
        w.long = _send(client, w.agent.id, "echo: " + w.long_text.strip())
        w.thought = _send(client, w.thinker.id, 'call send_message {"message": "Hello **world**", "thinking": "I should greet"}')
        w.chunks = list(client.agents.messages.create(agent_id=w.agent.id, messages=[{"role": "user", "content": "echo: hello there stream"}],
                                                      streaming=True, stream_tokens=True, include_pings=True))

        w.history = client.agents.messages.list(agent_id=w.agent.id, limit=100)
        w.after = client.agents.retrieve(w.agent.id, include=["agent.blocks", "agent.tools", "agent.tags", "agent.identities",
                                                              "agent.sources"])
        w.passages = client.agents.passages.list(agent_id=w.agent.id)
        w.search = client.agents.passages.search(agent_id=w.agent.id, query="cats")
        w.scored = client.passages.search(query="cats", agent_id=w.agent.id)
        w.runs = _items(client.runs.list(agent_id=w.agent.id, limit=5))
        w.models = client.models.list()
        w.embedding_models = client.models.embeddings.list()

        w.folder = client.folders.create(name=rec.name("test-display"), embedding=OFFLINE_EMBEDDING_HANDLE)
        folders.append(w.folder.id)
        client.folders.files.upload(w.folder.id, file=("notes.md", io.BytesIO(b"# Notes\nLighthouses are tall.\n"), "text/markdown"))
        for _ in range(40):
            w.files = _items(client.folders.files.list(w.folder.id))
            if all(f.processing_status in ("completed", "error") for f in w.files):
                break
            rec.wait(0.25)
        client.agents.folders.attach(w.folder.id, agent_id=w.agent.id)
        w.with_folder = client.agents.retrieve(w.agent.id, include=["agent.blocks", "agent.sources"])
        w.rules_agent = agent(tools=["archival_memory_insert", "archival_memory_search"], tool_rules=[
            {"type": "constrain_child_tools", "tool_name": "archival_memory_search", "children": ["archival_memory_insert"]},
            {"type": "max_count_per_step", "tool_name": "archival_memory_search", "max_count_limit": 2},
            {"type": "exit_loop", "tool_name": "archival_memory_insert"}])
        yield w
    finally:
        for agent_id in agents:  # each one on its own: a failing clean-up must not leave the rest behind
            with contextlib.suppress(letta_client.NotFoundError):
                delete_agent_and_blocks(client, agent_id)
        for block_id in blocks:
            with contextlib.suppress(letta_client.NotFoundError):  # gone with the last agent that used it
                client.blocks.delete(block_id)
        for tool_id in tools:
            client.tools.delete(tool_id)
        for folder_id in folders:
            client.folders.delete(folder_id)
        for identity_id in identities:
            client.delete(f"/v1/identities/{identity_id}", cast_to=object)


def _everything(w) -> list:
    """One of each object kind, for the checks that apply to all HTML."""
    return [w.after, w.after.memory, w.team, w.remember, w.history, w.chunks, w.shout, w.launch, w.after.tools,
            w.rules_agent.tool_rules, w.passages, w.search, w.scored, w.folder, w.files, w.runs, w.runs[0], w.identity,
            w.models, w.embedding_models, memory_diff(w.before, w.after)]


# ------------------------------------------------------------------------------------------------- agent card
def _row(key: str, value: str, text: str) -> bool:
    """A Fields row, whatever the key column's width."""
    return re.search(rf"^\s*{re.escape(key)}\s+: {re.escape(value)}$", text, re.M) is not None


def test_agent_card_text(world):
    text = render(world.after).text
    assert text.startswith(f"Agent {world.agent.name}\n")
    for key, value in (("model", "letta-nb/offline"), ("embedding", OFFLINE_EMBEDDING_HANDLE), ("type", "letta_v1_agent"),
                       ("tags", "display, test"), ("identities", "Alice (user)")):
        assert _row(key, value, text), (key, value)
    for expected in ("shout (custom)", "display_test_launch (custom · approval)", "Block human",
                     "What I know about the user.", "Block persona [read-only]"):
        assert expected in text, expected
    # tools sorted by name, blocks by label: the server's order is not stable
    assert text.index("archival_memory_insert") < text.index("display_test_launch") < text.index("shout (custom)")
    assert text.index("Block human") < text.index("Block persona") < text.index("Block team")
    assert world.agent.id not in text and not ISO.search(text), "no ids or timestamps in text/plain by default"


def test_agent_card_html_has_ids_times_and_memory(world, markup):
    view = render(world.after)
    assert world.agent.id in view.html and ISO.search(view.html) and "created" in view.html
    assert _html(view) == markup


def test_ids_and_times_on_request(world):
    text = render(world.after, ids=True, times=True).text
    assert world.agent.id in text and ISO.search(text)
    assert _row("id", world.agent.id, text) and ISO.search(text.split("Tools")[0])


def test_agent_without_relations_says_so_and_client_fetches_them(letta, world):
    bare = letta.agents.retrieve(world.agent.id)  # relations are not included by default in SDK 1.12
    assert bare.memory.blocks == []
    assert 'include=["agent.blocks"]' in render(bare).text
    fetched = render(bare, client=letta).text
    assert "Block human" in fetched and "shout (custom)" in fetched


def test_folders_and_sleeptime_group_in_card(new_agent, world):
    text = render(world.with_folder).text
    assert f"Folders (1)\n    {world.folder.name}" in text
    sleeper = new_agent(enable_sleeptime=True)
    group = sleeper.multi_agent_group or sleeper.managed_group
    text = render(sleeper).text
    assert "  Group (sleeptime)\n" in text and _row("sleep-time frequency", str(group.sleeptime_agent_frequency), text)
    assert group.id not in text and group.id in render(sleeper).html and group.id in render(sleeper, ids=True).text


# ---------------------------------------------------------------------------------------------------- memory
def test_usage_bar_warns_near_the_limit(letta, world, markup):
    full = letta.blocks.create(label="notes", value="x" * 95, limit=100)  # a real block near its limit
    try:
        view = render(full)
        assert "95 / 100 chars · 95% · near the limit" in view.text
        assert _html(view) == markup
    finally:
        letta.blocks.delete(full.id)
    calm = render(world.team)
    assert "19 / 200 chars · 10%" in calm.text and "near the limit" not in calm.text
    assert _html(calm) == markup


def test_shared_block_marked_only_when_asked(letta, world):
    assert "shared" not in render(world.after).text, "no network call, so sharing is unknown"
    text = render(world.after, client=letta).text
    assert "Block team [shared with 1 agent]" in text
    assert _row("shared with", world.thinker.name, text)
    assert "Block human [shared" not in text


def test_memory_diff(world, markup):
    diff = memory_diff(world.before, world.after)
    assert isinstance(diff, MemoryDiff) and diff
    human = diff["human"]
    assert human.status == "changed" and human.added == [f"I like {SCRIPT} tea"] and human.removed == []
    assert diff["persona"].status == "unchanged" and diff["team"].status == "unchanged"
    text = diff.text
    assert text.startswith("Memory diff 1 block changed\n")
    assert f"    + I like {SCRIPT} tea" in text and "unchanged: persona, team" in text
    assert "+ I like &lt;script&gt;alert(1)&lt;/script&gt; tea" in diff.html and _html(diff) == markup
    assert not memory_diff(world.after, world.after) and "no changes" in memory_diff(world.after, world.after).text


def test_memory_diff_of_dicts_and_block_lists(letta, world):
    diff = memory_diff({"a": "one\ntwo\nthree", "gone": "x"}, {"a": "one\n2\nthree", "new": "y"})
    assert [(c.label, c.status) for c in diff.changes] == [("a", "changed"), ("gone", "removed"), ("new", "added")]
    assert diff["a"].lines == [(" ", "one"), ("-", "two"), ("+", "2"), (" ", "three")]
    blocks = letta.agents.blocks.list(world.agent.id)
    assert not memory_diff(blocks, world.after)
    memory = render(blocks).text  # a page of blocks, like agent.memory, is a memory card
    assert memory.startswith("Memory 3 blocks, ") and memory == render(world.after.memory).text


def test_memory_diff_refuses_agent_state_without_blocks(letta, world):
    with pytest.raises(ValueError, match="include"):
        memory_diff(letta.agents.retrieve(world.agent.id), world.after)


# ------------------------------------------------------------------------------------------------ transcripts
def test_response_transcript(world, markup):
    view = render(world.remember)
    assert re.search(r"usage: 2 steps · [\d,]+ tokens \([\d,]+ prompt, [\d,]+ completion\)$", view.text)
    assert TOKENS.sub("<n> tokens (<n> prompt, <n> completion)", view.text) == markup
    assert _html(view) == markup


def test_every_message_type_from_the_server(world, markup):
    items = _items(world.history)
    kinds = {m.message_type for m in items}
    assert {"system_message", "user_message", "tool_call_message", "tool_return_message", "assistant_message",
            "approval_request_message", "approval_response_message"} <= kinds
    text = render(world.history).text
    assert re.search(r"^  system: <base_instructions> … \([\d,]+ lines\)$", text, re.M)
    assert f"  user: remember in human: I like {SCRIPT} tea" in text
    assert "  tool return: [success] shout\n    HI! HI!\n    stdout\n      shouting hi" in text
    assert "  tool return: [error] memory_replace\n    No replacement was performed" in text
    assert '  approval: requested: display_test_launch({"text": "boom"})' in text
    assert "  approval: denied: not today" in text
    # Without the system prompt, whose memory blocks Letta 0.16.8 lists in no fixed order (no ORDER BY)
    assert _html(render([m for m in items if m.message_type != "system_message"])) == markup


def test_reasoning_is_collapsed_in_html(world, markup):
    view = render(world.thought)
    why = "The user asked me to call send_message explicitly."
    assert view.text.split("\n")[1:3] == [f"  reasoning: {why}", "  assistant: Hello **world**"]
    assert "<p>Hello <strong>world</strong></p>" in view.html, "the reply's markdown is rendered"
    assert _html(view) == markup


def test_approval_request_stops_with_requires_approval(world, markup):
    view = render(world.approval)
    assert "stop reason: requires_approval" in view.text
    assert _html(view) == markup


def test_tool_call_arguments_pretty_and_collapsible(world, markup):
    html = render(world.shouted).html
    assert "{&quot;text&quot;: &quot;hi&quot;, &quot;times&quot;: 2}" in html, "on one line, collapsed"
    assert "{\n  &quot;text&quot;: &quot;hi&quot;,\n  &quot;times&quot;: 2\n}" in html, "pretty, when opened"
    assert _html(render(world.shouted)) == markup


def test_stream_chunks_are_assembled(world):
    kinds = [c.message_type for c in world.chunks]
    assert kinds.count("assistant_message") == 3 and kinds[0] == "ping", "one chunk per word, after a ping"
    text = render(world.chunks).text
    assert text == render(collect(world.chunks)).text.replace("streamed response · ", "")
    assert "  reasoning: The user asked me to repeat their words.\n  assistant: hello there stream\n  stop reason: end_turn\n" \
           "  usage: 1 step" in text
    assert text.count("assistant:") == 1 and "ping" not in text
    assert list(to_frame(world.chunks).message_type) == ["reasoning_message", "assistant_message"]


def test_message_types_the_offline_server_does_not_send(world):
    base = world.remember.messages[-1]  # "Done: I've added that to my human block."
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    hidden = HiddenReasoningMessage(id="message-1", date=when, state="redacted", hidden_reasoning="opaque")
    summary = SummaryMessage(id="message-2", date=when, summary="We talked about **tea**.")
    event = EventMessage(id="message-3", date=when, event_type="compaction", event_data={"trigger": "manual"})
    error = LettaErrorMessage(message_type="error_message", run_id="run-1", error_type="llm_error",
                              message="The model failed.", detail="timeout after 60 s")
    future = base.model_copy(update={"message_type": "telepathy_message"})
    text = render([hidden, summary, event, error, future]).text
    assert "  reasoning: (hidden: redacted, 6 chars)" in text
    assert "  summary: conversation summary\n    We talked about **tea**." in text
    assert '  event: compaction\n    data\n      {\n        "trigger": "manual"\n      }' in text
    assert "  error: llm_error\n    The model failed.\n    timeout after 60 s" in text
    assert '  telepathy_message: {\n      "content": "Done: I\'ve added that to my human block."' in text
    html = render([hidden, summary, event, error, future]).html
    assert "lnb-e-error" in html and "<strong>tea</strong>" in html and "telepathy_message" in html


# ------------------------------------------------------------------------------------------ escaping, truncation
def test_everything_is_escaped(world):
    for obj in _everything(world):
        html = render(obj).html
        assert "<script" not in html.lower(), type(obj)
    html = render(world.history).html
    assert "remember in human: I like &lt;script&gt;alert(1)&lt;/script&gt; tea" in html
    assert "&lt;script&gt;" in render(world.after).html


def test_long_content_is_truncated(world):
    reply = world.long.messages[-1].content
    assert len(reply) > 3000
    view = render(world.long)
    rest = len(reply) - PREVIEW_CHARS
    assert f"… ({rest:,} more chars)" in view.text and reply not in view.text
    assert f"… {rest:,} more chars" in view.html
    huge = world.long.messages[-1].model_copy(update={"content": "y" * (EXPAND_CHARS * 3)})
    html = render(huge).html
    assert len(html) < EXPAND_CHARS + PREVIEW_CHARS + len(CSS) + 2_000, "an expander is capped, never the whole text"
    assert f"{EXPAND_CHARS * 3 - PREVIEW_CHARS - EXPAND_CHARS:,} more chars not shown" in html
    assert render(huge, max_chars=50).text.endswith(f"… ({EXPAND_CHARS * 3 - 50:,} more chars)")


# --------------------------------------------------------------------------------------- html: theme, statics
def test_html_is_static_and_themed(world):
    for obj in _everything(world):
        html = render(obj).html
        assert html.startswith("<style>.lnb{") and '<div class="lnb">' in html
        assert " id=" not in html and "<script" not in html and "onclick" not in html.lower()
    for variable in ("var(--jp-ui-font-color1,#", "var(--jp-layout-color1,#", "var(--jp-border-color2,#",
                     "var(--jp-brand-color1,#", "var(--jp-error-color1,#", "var(--jp-warn-color1,#",
                     "var(--jp-success-color1,#", "var(--jp-code-font-family,"):
        assert variable in CSS, variable
    selectors = re.findall(r"(?:^|})([^{}]+)\{", CSS)
    assert all(part.strip().startswith(".lnb") for sel in selectors for part in sel.split(",")), "every rule scoped"


def test_deterministic_across_renders_and_agents(letta, recording, new_agent, world):
    views = [render(world.history), render(world.history)]
    assert views[0].text == views[1].text and views[0].html == views[1].html
    texts, htmls = [], []
    name = recording.name("test-display")
    for _ in range(2):
        # One block: Letta 0.16.8 loads an agent's blocks with no ORDER BY, so once an edit has moved a row, two agents
        # that did the same things may list (and compile into the system message) their blocks in different orders.
        twin = new_agent(name=name, tags=["twin"], tools=["archival_memory_insert", "archival_memory_search"],
                         memory_blocks=[{"label": "human", "value": "Name: unknown", "limit": 100}])
        _send(letta, twin.id, "remember in human: I like green tea")
        _send(letta, twin.id, "archive: twins are alike #twin")
        state = letta.agents.retrieve(twin.id, include=["agent.blocks", "agent.tools", "agent.tags"])
        history = letta.agents.messages.list(agent_id=twin.id)
        texts.append(render(state).text + render(history).text)
        htmls.append(render(state).html + render(history).html)
    assert texts[0] == texts[1]
    assert UUID_ID.search(htmls[0]), "HTML carries ids ..."
    assert sanitize(htmls[0]) == sanitize(htmls[1]), "... in forms the notebooks' sanitize rules normalise"


# ------------------------------------------------------------------------------------------------- other kinds
def test_tool_card(world, markup):
    view = render(world.shout)
    assert view.text.startswith("Tool shout [custom]\n  Shout a text.\n  shout(text: string, times?: integer)\n")
    assert "text       string   yes       What to shout." in view.text
    assert "times      integer  no        How many times to shout it." in view.text
    assert "def shout(text: str, times: int = 1)" in view.html and "JSON schema" in view.html
    assert _html(view) == markup
    launch = render(world.launch)
    assert launch.text.startswith("Tool display_test_launch [custom] [requires approval]")
    assert _row("requires approval", "yes", launch.text)
    table = render(world.after.tools).text
    assert table.startswith("Tools 7 tools\n")
    assert re.search(r"^  display_test_launch\(text: string, times…\s+custom\s+approval\s+Launch, after", table, re.M), table


def test_tool_rules_in_order(world, markup):
    text = render(world.rules_agent).text
    rules = ["1. constrain_child_tools after archival_memory_search, only: archival_memory_insert",
             "2. max_count_per_step archival_memory_search at most 2× per step",
             "3. exit_loop archival_memory_insert ends the turn"]
    assert all(rule in text for rule in rules) and text.index(rules[0]) < text.index(rules[1]) < text.index(rules[2])
    view = render(world.rules_agent.tool_rules)
    assert view.html.index("constrain_child_tools") < view.html.index("exit_loop")
    # the snapshot holds the agent's own rules: Letta 0.16.8 adds its default continue_loop rules after them in no
    # fixed order (it collects them in a set), so a snapshot of all eight differed between server processes
    assert _html(render(world.rules_agent.tool_rules[:3])) == markup


def test_passages_and_search_results(world):
    text = render(world.passages).text
    assert text.splitlines()[0] == "Passages 1 passage" and "1  cats are great  pets" in text
    assert render(world.search).text.startswith("Search results 1 result\n")
    scored = render(world.scored).text
    assert re.search(r"1  \d\.\d{3}  cats are great  pets", scored), scored
    html = render(world.passages).html
    assert world.passages[0].id in html and ISO.search(html)
    card = render(world.passages[0]).text
    assert card.startswith("Passage \n") or card.startswith("Passage\n")
    assert "cats are great" in card and _row("tags", "pets", card)


def test_folder_and_files(world, markup):
    assert render(world.folder).text.startswith(f"Folder {world.folder.name}\n  embedding : {OFFLINE_EMBEDDING_HANDLE}")
    files = render(world.files)
    assert files.text.splitlines()[0] == "Files 1 file"
    assert re.search(r"notes\.md\s+\[completed\]\s+\d+/\d+", files.text), files.text
    assert _html(files) == markup


def test_runs(letta, world):
    table = render(world.runs)
    assert table.text.splitlines()[0] == f"Runs {len(world.runs)} runs"
    assert "[completed]  end_turn" in table.text and not re.search(r"\d s\b", table.text)
    assert re.search(r"\d+\.\d\d s", table.html), "durations in HTML, in the form the sanitizer knows"
    card = render(world.runs[0], client=letta).text
    assert card.startswith("Run [completed]\n") and re.search(r"steps\s+: \d+", card)
    assert "duration" not in render(world.runs[0]).text and "duration" in render(world.runs[0], times=True).text


def test_identity_and_models(world):
    identity = render(world.identity)
    assert identity.text.startswith("Identity Alice [user]\n") and _row("properties", "plan=pro", identity.text)
    models = render(world.models).text
    assert models.startswith("Models ") and "letta-nb/offline" in models
    assert "1,536" in render(world.embedding_models).text


# -------------------------------------------------------------------------------------------------- to_frame
def test_to_frame_columns_are_fixed(world):
    agents = to_frame([world.after, world.rules_agent])
    assert list(agents.columns) == ["name", "id", "agent_type", "model", "embedding", "tags", "tools", "blocks",
                                    "created_at", "updated_at"]
    assert agents.loc[0, "blocks"] == ["human", "persona", "team"] and str(agents["created_at"].dtype).startswith("datetime64")
    messages = to_frame(world.history)
    assert list(messages.columns)[:5] == ["id", "date", "message_type", "content", "tool_name"]
    call = messages[messages.message_type == "tool_call_message"].iloc[0]
    assert call.tool_name == "memory_insert" and call.tool_arguments.startswith('{"label": "human"')
    assert list(to_frame(world.after).columns) == ["label", "value", "chars", "limit", "usage", "read_only", "description", "id"]
    assert list(to_frame(world.passages).columns)[:4] == ["id", "text", "tags", "score"]
    assert isinstance(to_frame(world.scored).loc[0, "score"], float)
    assert list(to_frame(world.after.tools).columns)[:3] == ["name", "id", "tool_type"]
    assert list(to_frame(world.runs).columns)[:4] == ["id", "agent_id", "status", "stop_reason"]
    assert "letta-nb/offline" in set(to_frame(world.models)["handle"])
    assert list(to_frame(world.chunks).message_type) == ["reasoning_message", "assistant_message"], \
        "a token stream is one message of each kind"
    assert to_frame(world.files).loc[0, "status"] == "completed"


# --------------------------------------------------------------------------------------------------- IPython
@pytest.fixture
def shell():
    from IPython.core.interactiveshell import InteractiveShell

    yield InteractiveShell.instance()
    InteractiveShell.clear_instance()  # later tests (and modules) must not find a running IPython


def test_enable_and_disable_formatters(shell, world):
    formatter = shell.display_formatter
    plain_before = formatter.format([1, 2])[0]
    try:
        assert enable(shell)
        data, _ = formatter.format(world.after)
        assert data["text/html"] == render(world.after).html and data["text/plain"] == render(world.after).text
        data, _ = formatter.format(_items(world.history))
        assert data["text/plain"].startswith("Transcript ")
        data, _ = formatter.format(world.history)  # the page itself, as returned by messages.list
        assert data["text/plain"].startswith("Transcript ")
        assert formatter.format([1, 2])[0] == plain_before, "other lists are left alone"
        assert enable(shell)  # twice is harmless
    finally:
        assert disable(shell)
    data, _ = formatter.format(world.after)
    assert "text/html" not in data and data["text/plain"].startswith("AgentState(")
    assert formatter.format([1, 2])[0] == plain_before


def test_show_prints_outside_ipython(monkeypatch, capsys, world):
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    assert show(world.remember) is None
    assert capsys.readouterr().out == render(world.remember).text + "\n"


def test_show_displays_in_ipython(shell, capsys, world):
    assert show(world.remember) is None
    assert render(world.remember).text in capsys.readouterr().out  # the terminal shell's display prints text/plain


def test_view_has_repr_hooks(world):
    view = render(world.after)
    assert repr(view) == view.text and view._repr_mimebundle_() == {"text/plain": view.text, "text/html": view.html}
    assert render(view) is view


# ---------------------------------------------------------------------------------------- markdown and speed
def test_markdown_subset():
    html = markdown.to_html("Hi **bold** and *em* and `a<b>`\n\n- one\n- two\n\n1. first\n\n```py\nx = '<b>'\n```\nsnake_case_name")
    assert html == ("<p>Hi <strong>bold</strong> and <em>em</em> and <code>a&lt;b&gt;</code></p>"
                    "<ul><li>one</li><li>two</li></ul><ol><li>first</li></ol>"
                    "<pre class=\"lnb-code\">x = '&lt;b&gt;'</pre><p>snake_case_name</p>")
    assert markdown.to_html("<img src=x onerror=alert(1)>") == "<p>&lt;img src=x onerror=alert(1)&gt;</p>"


def test_two_thousand_messages_and_two_hundred_agents_render(world):
    """That it works at this size; how long it takes is benchmarks/display.py's (transcripts of 500/1,000/2,000
    messages, 200 agents, to_frame; budget 1 s each)."""
    source = [m for turn in (world.remember, world.shouted, world.approval, world.thought, world.long)
              for m in turn.messages]
    batch = [source[i % len(source)].model_copy(update={"id": f"message-{uuid.UUID(int=i)}"}) for i in range(2000)]
    view = render(batch)
    calls = sum(m.message_type == "tool_call_message" for m in batch)
    assert view.text.startswith("Transcript 2000 messages\n") and view.text.count("\n  tool call: ") == calls > 0
    assert "<script" not in view.html and view.html.count('class="lnb-entry ') == 2000
    agents = [world.after.model_copy(update={"id": f"agent-{uuid.UUID(int=i)}"}) for i in range(200)]
    assert len(to_frame(agents)) == 200 and render(agents).html.count("agent-00000000-0000-0000-0000-0000000000c7") >= 1
