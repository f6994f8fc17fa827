"""Workshop helpers: participant names, cleanup isolation on the real running stack, and the key box."""

from __future__ import annotations

import json
import os
import uuid

import ipywidgets
import letta_client
import nbformat
import pytest

from letta_nb import LettaNbError, workshop
from letta_nb.config import OFFLINE_EMBEDDING_HANDLE, OFFLINE_LLM_HANDLE
from letta_nb.widgets.keys import KEY_VARIABLES, KeyEntry
from letta_nb.workshop import Participant, cleanup, slugify

MODELS = {"model": OFFLINE_LLM_HANDLE, "embedding": OFFLINE_EMBEDDING_HANDLE}


def roll_dice(sides: int) -> int:
    """Roll one die.

    Args:
        sides: How many sides the die has.

    Returns:
        int: Always the highest side (a fair die is not the point here).
    """
    return sides


# ----------------------------------------------------------------------------------------------- naming
@pytest.mark.parametrize("raw, slug", [
    ("alice", "alice"), ("Ada Lovelace!", "ada-lovelace"), ("Zoë  Ångström", "zoe-angstrom"), ("a--b__c", "a-b-c"),
    ("42", "p-42"), ("-x-", "x"), ("!!!", ""), ("a" * 30, "a" * 24), ("abcdefghijklmnopqrstuvw-xyz", "abcdefghijklmnopqrstuvw"),
])
def test_slugify(raw, slug):
    assert slugify(raw) == slug


def test_names_tags_and_prefixes_never_overlap():
    ada = Participant.of("Ada L.")
    assert (ada.slug, ada.name("nb00-agent"), ada.tags, ada.tool_name("roll")) == \
        ("ada-l", "ada-l--nb00-agent", ["participant:ada-l"], "ada_l__roll")
    assert ada.name(ada.name("x")) == "ada-l--x"
    al = Participant("al")
    assert al.owns_name("al--x")
    assert not any(al.owns_name(n) for n in ("alice--x", "al-b--x", "xal--y", "al-x", None, ""))
    assert not "al_b__roll".startswith(al.tool_prefix)
    with pytest.raises(LettaNbError):
        Participant.of("!!!")
    with pytest.raises(LettaNbError):
        Participant("Not A Slug")


@pytest.fixture
def fresh_identity(monkeypatch, tmp_path):
    monkeypatch.setenv("LETTA_NB_HOME", str(tmp_path))
    monkeypatch.delenv(workshop.ENV_VAR, raising=False)
    monkeypatch.setattr(workshop.current, "_current", None)
    return tmp_path


def test_participant_from_env_var(fresh_identity, monkeypatch):
    monkeypatch.setenv(workshop.ENV_VAR, "Grace Hopper")
    assert workshop.participant() == Participant("grace-hopper")
    assert not (fresh_identity / "participant").exists()


def test_participant_asks_once_and_is_remembered(fresh_identity, monkeypatch):
    asked = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "Katherine J")
    assert workshop.participant().slug == "katherine-j"
    monkeypatch.setattr(workshop.current, "_current", None)  # a new kernel (the next notebook)
    assert workshop.participant().slug == "katherine-j"
    assert len(asked) == 1 and (fresh_identity / "participant").read_text() == "katherine-j\n"
    workshop.forget()
    assert not (fresh_identity / "participant").exists()


def test_participant_without_stdin_is_a_guest(fresh_identity, monkeypatch):
    def no_stdin(prompt):
        raise NotImplementedError("raw_input was called, but this frontend does not support input requests.")

    monkeypatch.setattr("builtins.input", no_stdin)
    guest = workshop.participant()
    assert guest.slug.startswith("guest-") and len(guest.slug) == len("guest-") + 6
    assert workshop.participant() is guest


# ------------------------------------------------------------------------------------- cleanup isolation
def _exists(client, kind: str, item_id: str) -> bool:
    getters = {
        "agents": client.agents.retrieve, "blocks": client.blocks.retrieve, "tools": client.tools.retrieve,
        "folders": client.folders.retrieve, "archives": client.archives.retrieve,
        "conversations": client.conversations.retrieve,
        "identities": lambda i: client.get(f"/v1/identities/{i}", cast_to=object),
    }
    try:
        getters[kind](item_id)
        return True
    except letta_client.NotFoundError:
        return False


def _create_everything(client, who: Participant, host_agent_id: str, host_blocks: list[str]) -> dict[str, list[str]]:
    agent = who.agent(client, "agent", memory_blocks=[{"label": "human", "value": f"I am {who.slug}"}],
                      block_ids=host_blocks, **MODELS)
    plain = client.agents.create(name=who.name("plain"), memory_blocks=[{"label": "persona", "value": "untagged"}], **MODELS)
    client.agents.passages.create(agent_id=agent.id, text=f"{who.slug} was here")  # creates the agent's archive
    archives = [a.id for a in client.archives.list(agent_id=agent.id)]
    inline = [b.id for a in (agent, plain) for b in client.agents.blocks.list(agent_id=a.id) if b.id not in host_blocks]
    block = who.block(client, "notes", "shared notes")
    tool = who.tool(client, roll_dice)
    folder = who.folder(client, "docs", embedding=OFFLINE_EMBEDDING_HANDLE)
    identity = who.identity(client, "user")
    own_conv = who.conversation(client, agent.id)
    host_conv = who.conversation(client, host_agent_id, summary="on the host agent")
    assert tool.name == who.tool_name("roll_dice") and who.tag in tool.tags
    assert agent.name == who.name("agent") and who.tag in agent.tags and len(archives) == 1 and len(inline) == 2
    return {"agents": [agent.id, plain.id], "blocks": [block.id, *inline], "tools": [tool.id], "folders": [folder.id],
            "archives": archives, "identities": [identity["id"]], "conversations": [own_conv.id, host_conv.id]}


def test_cleanup_removes_one_participant_and_nobody_else(letta):
    run = uuid.uuid4().hex[:6]
    # "al" and "al-b": one name is a prefix of the other, the hard case for prefix matching.
    al, al_b = Participant(f"t{run}-al"), Participant(f"t{run}-al-b")
    host = letta.agents.create(name=f"t{run}-host", memory_blocks=[{"label": "persona", "value": "host"}], **MODELS)
    shared = letta.blocks.create(label="workshop", value="for everyone", tags=["workshop"])
    untagged = letta.blocks.create(label="facts", value="host's untagged block")
    letta.agents.blocks.attach(untagged.id, agent_id=host.id)
    host_things = {"agents": [host.id], "blocks": [shared.id, untagged.id]}
    made = {}
    try:
        made[al] = _create_everything(letta, al, host.id, [shared.id, untagged.id])
        made[al_b] = _create_everything(letta, al_b, host.id, [shared.id])
        assert {al.slug, al_b.slug} <= set(workshop.participants(letta))

        planned = cleanup(letta, al, dry_run=True)
        assert {k: len(v) for k, v in planned.items()} == {k: len(v) for k, v in made[al].items()}
        assert all(_exists(letta, kind, i) for kind, ids in made[al].items() for i in ids), "dry_run deleted something"

        done = cleanup(letta, al)
        assert done == planned
        for kind, ids in made[al].items():
            for item_id in ids:
                assert not _exists(letta, kind, item_id), f"{al.slug}'s {kind} {item_id} survived its cleanup"
        for kind, ids in [*made[al_b].items(), *host_things.items()]:
            for item_id in ids:
                assert _exists(letta, kind, item_id), f"cleaning up {al.slug} deleted someone else's {kind} {item_id}"
        assert cleanup(letta, al) == {kind: [] for kind in made[al]}

        cleanup(letta, al_b.slug)
        for kind, ids in made[al_b].items():
            assert not any(_exists(letta, kind, i) for i in ids), f"{al_b.slug}'s {kind} survived"
        for kind, ids in host_things.items():
            assert all(_exists(letta, kind, i) for i in ids), "a participant's cleanup deleted the host's things"
    finally:
        for who in (al, al_b):
            cleanup(letta, who)
        letta.agents.delete(host.id)
        for block_id in host_things["blocks"]:
            letta.blocks.delete(block_id)


def test_agent_helper_is_rerunnable_and_keeps_the_participants_tags(letta):
    who = Participant(f"t{uuid.uuid4().hex[:6]}")
    try:
        first = who.agent(letta, "again", tags=["demo"], **MODELS)
        second = who.agent(letta, "again", tags=["demo"], **MODELS)
        assert not _exists(letta, "agents", first.id)
        assert set(second.tags) == {"demo", who.tag, "letta-nb"}  # fresh_agent marks the agents it made
        assert [a.id for a in letta.agents.list(tags=[who.tag])] == [second.id]
    finally:
        cleanup(letta, who)


# -------------------------------------------------------------------------------------------- key entry
FAKE_KEY = "sk-let-" + "TESTONLY" + uuid.uuid4().hex  # never a real key; built so that no file contains it


def _saved_notebook(entry: KeyEntry) -> str:
    """The notebook JupyterLab would save with "save widget state": the output references the widget, the metadata
    carries every widget's state."""
    view = {"application/vnd.jupyter.widget-view+json": {"version_major": 2, "version_minor": 0, "model_id": entry.model_id}}
    cell = nbformat.v4.new_code_cell("from letta_nb import workshop\nworkshop.key_entry()", execution_count=1,
                                     outputs=[nbformat.v4.new_output("display_data", data={"text/plain": repr(entry), **view})])
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": ipywidgets.Widget.get_manager_state()}
    return nbformat.writes(nb)


@pytest.fixture
def no_keys(monkeypatch):
    for name in KEY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_key_from_the_browser_reaches_the_kernel_only(no_keys, capsys):
    entry = workshop.key_entry()
    entry.secret.set_state({"value": FAKE_KEY})  # what the browser sends when the participant presses Enter
    assert os.environ["LETTA_API_KEY"] == FAKE_KEY
    assert entry.secret.value == "" and entry.configured == ["LETTA_API_KEY"]
    assert "LETTA_API_KEY is set for this kernel only" in entry.message and "Letta Cloud" in entry.message

    saved = _saved_notebook(entry)
    state = json.loads(saved)["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    assert entry.secret.model_id in state and state[entry.secret.model_id]["state"]["value"] == ""
    assert FAKE_KEY not in saved
    for widget in (entry, entry.choice, entry.secret, entry.button, entry.status):
        assert FAKE_KEY not in json.dumps(widget.get_state(), default=str)
    assert FAKE_KEY not in repr(entry) + entry.message + entry.status.value
    out = capsys.readouterr()
    assert FAKE_KEY not in out.out + out.err

    entry.forget()
    assert "LETTA_API_KEY" not in os.environ and entry.configured == []


def test_provider_key_bad_input_and_the_button(no_keys):
    entry = KeyEntry()
    entry.button.click()
    assert entry.message.startswith("Paste a key") and entry.configured == []
    entry.choice.value = "OPENAI_API_KEY"
    assert entry.variable == "OPENAI_API_KEY"
    entry.secret.value = "two words"
    assert entry.secret.value == "" and "OPENAI_API_KEY" not in os.environ and "does not look like a key" in entry.message
    entry.secret.value = f"  {FAKE_KEY}\n"
    assert os.environ["OPENAI_API_KEY"] == FAKE_KEY and "restart the local stack" in entry.message
    assert "LETTA_API_KEY" not in os.environ
    entry.button.click()  # nothing left in the box: keeps the success message
    assert entry.message.startswith("OPENAI_API_KEY is set")
    assert FAKE_KEY not in _saved_notebook(entry)
    entry.forget()
