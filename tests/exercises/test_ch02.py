"""Chapter 02's checker: set_preference replaces a key's line in place or adds it, within the block's limit. Wrong
answers a learner would write are rejected; other correct ways pass."""

import re

import pytest

from letta_nb import exercises

from .conftest import stub

BLOCKS = [{"label": "human", "value": "Name: Dana"}, {"label": "preferences", "value": "Channel: phone", "limit": 60}]


@pytest.fixture
def agent(new_agent):
    return new_agent(memory_blocks=BLOCKS)


def _blocks(client, agent_id):
    return {b.label: (b.value, b.limit) for b in client.agents.blocks.list(agent_id=agent_id)}


def _write(client, agent_id, label, lines, limit_check=lambda new, limit: len(new) > limit):
    block = client.agents.blocks.retrieve(label, agent_id=agent_id)
    value = "\n".join(lines(block.value))
    if limit_check(value, block.limit):
        raise ValueError("too long")
    return client.agents.blocks.update(label, agent_id=agent_id, value=value).value


def _replace(old, key, value, match):
    lines = old.splitlines()
    hits = [i for i, line in enumerate(lines) if match(line, key)]
    for i in hits[:1]:
        lines[i] = f"{key}: {value}"
    return lines if hits else [*lines, f"{key}: {value}"]


def check(fn, client, agent):
    return exercises.check("02", fn, client=client, agent_id=agent.id)


def test_stub_is_not_yet(letta, agent):
    result = check(stub, letta, agent)
    assert not result and "NotImplementedError" in result.message and "blocks.retrieve" in result.hint
    assert str(result).startswith("not yet")


def test_appending_a_second_line_for_the_key_is_not_yet(letta, agent):
    def append(letta, agent_id, label, key, value):
        return _write(letta, agent_id, label, lambda old: [*old.splitlines(), f"{key}: {value}"])

    result = check(append, letta, agent)
    assert not result and "'Tone: formal' line is still there" in result.message, str(result)


def test_matching_the_key_without_its_colon_is_not_yet(letta, agent):
    def loose(letta, agent_id, label, key, value):
        lines = [f"{key}: {value}" if line.startswith(key) else line for line in
                 letta.agents.blocks.retrieve(label, agent_id=agent_id).value.splitlines()]
        if not any(line.startswith(key) for line in lines):
            lines.append(f"{key}: {value}")
        return _write(letta, agent_id, label, lambda old: lines)

    result = check(loose, letta, agent)
    assert not result and "'Tone of voice' line too" in result.message, str(result)


def test_moving_the_line_to_the_end_is_not_yet(letta, agent):
    def remove_then_append(letta, agent_id, label, key, value):
        return _write(letta, agent_id, label, lambda old: [
            *(line for line in old.splitlines() if not line.startswith(f"{key}: ")), f"{key}: {value}"])

    result = check(remove_then_append, letta, agent)
    assert not result and "where it stands" in result.message, str(result)


def test_ignoring_the_limit_is_not_yet(letta, agent):
    def no_limit(letta, agent_id, label, key, value):
        return _write(letta, agent_id, label, lambda old: _replace(old, key, value, lambda l, k: l.startswith(f"{k}: ")),
                      limit_check=lambda new, limit: False)

    result = check(no_limit, letta, agent)
    assert not result and "81 characters" in result.message and "ValueError" in result.message, str(result)


def test_off_by_one_limit_is_not_yet(letta, agent):
    def strict(letta, agent_id, label, key, value):
        return _write(letta, agent_id, label, lambda old: _replace(old, key, value, lambda l, k: l.startswith(f"{k}: ")),
                      limit_check=lambda new, limit: len(new) >= limit)

    result = check(strict, letta, agent)
    assert not result and "exactly 80 characters" in result.message, str(result)


def test_new_line_before_the_first_line_is_not_yet(letta, agent):
    def always_new_line(letta, agent_id, label, key, value):
        block = letta.agents.blocks.retrieve(label, agent_id=agent_id)
        lines = _replace(block.value, key, value, lambda l, k: l.startswith(f"{k}: "))
        new = "\n".join(lines) if block.value else "\n" + lines[0]
        if len(new) > block.limit:
            raise ValueError("too long")
        return letta.agents.blocks.update(label, agent_id=agent_id, value=new).value

    result = check(always_new_line, letta, agent)
    assert not result and "empty block" in result.message, str(result)


def test_a_regular_expression_passes_too(letta, agent):
    def by_regex(letta, agent_id, label, key, value):
        block = letta.agents.blocks.retrieve(label, agent_id=agent_id)
        line = f"{key}: {value}"
        pattern = re.compile(rf"^{re.escape(key)}: .*$", re.M)
        new, count = pattern.subn(lambda _m: line, block.value, count=1)
        if not count:
            new = f"{block.value}\n{line}" if block.value else line
        if len(new) > block.limit:
            raise ValueError(f"{len(new)} > {block.limit}")
        letta.agents.blocks.update(label, agent_id=agent_id, value=new)
        return new

    result = check(by_regex, letta, agent)
    assert result, str(result)


def test_reference_solution_passes_and_leaves_the_agent_alone(letta, agent):
    before = _blocks(letta, agent.id)
    result = check(exercises.load_solution("02")["set_preference"], letta, agent)
    assert result, str(result)
    assert str(result).startswith("✓")
    assert _blocks(letta, agent.id) == before  # the learner's `preferences` block still says what it said
    assert not list(letta.agents.list(tags=["nb02-exercise"])), "the checker's scratch agent was left behind"
