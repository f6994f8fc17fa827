"""Exercise hints on request: a failing Result shows "not yet", the task and an invitation, never the hint; hint("NN")
gives the idea, hint("NN", 2) the call. Needs no server (fast tier): Results are built here, checkers are not run
(except one of this file's own, that fails without touching anything)."""

from __future__ import annotations

import re

import pytest

import letta_nb
from letta_nb import exercises
from letta_nb.exercises import Hint, Result, hint
from letta_nb.exercises.hints import CONCEPTS

SERIES = [f"{n:02d}" for n in range(16)]
INVITATION = re.compile(r'^Stuck\? letta_nb\.exercises\.hint\("(\d\d)"\) gives the idea, '
                        r'letta_nb\.exercises\.hint\("\1", 2\) the call to use\.$')


def registered(chapter: str) -> str:
    exercises.chapters()  # loads every checker
    return exercises._CHECKERS[chapter].hint


def fragments(text: str, size: int = 4) -> list[str]:
    """Runs of ``size`` words of a hint: none of them may show in a result."""
    words = text.split()
    return [" ".join(words[i:i + size]) for i in range(max(1, len(words) - size + 1))]


def test_every_chapter_of_the_series_has_a_checker():
    assert set(SERIES) <= set(exercises.chapters())


@pytest.mark.parametrize("chapter", SERIES)
def test_a_failing_result_hides_the_hint_and_invites_to_ask(chapter):
    secret = registered(chapter)
    result = Result(chapter, False, "the exercise still raises NotImplementedError: replace it with your code", secret)
    assert result.hint == secret, "code (and the exercise tests) still read the call-level hint from result.hint"
    text, page = str(result), result._repr_html_()
    lines = text.splitlines()
    assert lines[0] == f"not yet: {result.message}"
    assert len(lines) == 2 and INVITATION.match(lines[1]) and INVITATION.match(lines[1])[1] == chapter, lines
    for shown in (text, page, repr(result)):
        assert not [f for f in fragments(secret) if f in shown], f"hint text shows in {shown!r}"
        assert not [f for f in fragments(CONCEPTS[chapter]) if f in shown], f"the first hint shows in {shown!r}"
    assert "hint" not in lines[0].lower(), "the word 'hint' appears only in the invitation"
    assert "not yet" in page and 'letta_nb.exercises.hint(&quot;' in page and "Stuck?" in page


def test_the_text_forms_agree():
    result = Result("05", False, "count <words> & more", registered("05"))

    class Printer:
        def __init__(self):
            self.out = ""

        def text(self, s):
            self.out += s

    printer = Printer()
    result._repr_pretty_(printer, False)
    assert printer.out == str(result) == repr(result)
    assert "count &lt;words&gt; &amp; more" in result._repr_html_(), "the HTML form escapes the message"


def test_a_pass_and_a_result_without_hint_invite_nothing():
    passed = Result("05", True, "the agent counted the words", registered("05"))
    assert str(passed) == f"{exercises.PASS_MARK} the agent counted the words"
    assert "Stuck" not in passed._repr_html_()
    assert str(Result("05", False, "not there")) == "not yet: not there"


def test_check_keeps_the_hint_on_the_result_but_not_in_its_text(monkeypatch):
    exercises.chapters()

    def stub():
        raise NotImplementedError("your code here")

    monkeypatch.setitem(exercises._CHECKERS, "99", exercises._Checker(lambda fn: fn(), "call client.agents.secret()"))
    result = exercises.check("99", stub)
    assert not result and result.hint == "call client.agents.secret()"
    assert "secret" not in str(result) and "secret" not in result._repr_html_()
    assert str(result).endswith(exercises.invitation("99"))


def test_the_invitation_runs_as_written_in_a_chapter():
    """A chapter imports letta_nb: the calls the invitation names work there as they are."""
    line = str(Result("07", False, "not yet", registered("07"))).splitlines()[-1]
    calls = re.findall(r"letta_nb\.exercises\.hint\([^)]*\)", line)
    assert len(calls) == 2
    first, second = (eval(call, {"letta_nb": letta_nb}) for call in calls)
    assert (first.level, second.level) == (1, 2) and first.chapter == second.chapter == "07"


@pytest.mark.parametrize("chapter", SERIES)
def test_two_levels_the_idea_then_the_call(chapter):
    idea, call = hint(chapter), hint(chapter, 2)
    assert isinstance(idea, Hint) and isinstance(call, Hint)
    assert (idea.chapter, idea.level, call.chapter, call.level) == (chapter, 1, chapter, 2)
    assert idea.text.strip() and call.text.strip() and idea.text != call.text
    assert call.text == registered(chapter), "level 2 is the hint registered with the checker"
    assert idea.text == CONCEPTS[chapter]
    for level in (idea, call):
        assert str(level) == repr(level) == level.text
        assert level._repr_html_().startswith('<div class="lnb-hint"')


@pytest.mark.parametrize("chapter", SERIES)
def test_a_first_hint_names_the_idea_not_the_call(chapter):
    idea = str(hint(chapter))
    assert "client." not in idea and "(" not in idea and "`" not in idea and "=" not in idea
    assert not re.search(r"\b[A-Za-z_]\w*\.[A-Za-z_]\w*", idea), f"a dotted name is a call: {idea!r}"
    assert not re.search(r"\b\w+_\w+\b", idea), f"a snake_case name is code: {idea!r}"
    assert len(re.findall(r"[.!?](?:\s|$)", idea)) <= 2, "one or two sentences"


def test_every_registered_checker_has_a_first_hint_and_no_hint_without_checker():
    assert set(exercises.chapters()) == set(CONCEPTS)


def test_a_chapter_may_be_an_int():
    assert hint(5) == hint("05")


@pytest.mark.parametrize("chapter", ["99", "5", "", "ch05", None])
def test_an_unknown_chapter_names_the_valid_ones(chapter):
    with pytest.raises(ValueError) as caught:
        hint(chapter)
    message = str(caught.value)
    assert repr(chapter) in message and ", ".join(exercises.chapters()) in message


@pytest.mark.parametrize("level", [0, 3, -1, "2", 1.5, True])
def test_an_unknown_level_names_the_valid_ones(level):
    with pytest.raises(ValueError) as caught:
        hint("05", level)
    message = str(caught.value)
    assert repr(level) in message and "1 (the idea)" in message and "2 (the call to use)" in message


def test_hint_is_importable_from_the_package():
    from letta_nb.exercises import hint as imported

    assert imported is letta_nb.exercises.hint is hint
