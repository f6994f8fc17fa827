"""Chapter 09: ask several questions at once, each in its own new conversation, answers in the questions' order.

The checker proves concurrency from the server's own record: every turn is a run with ``created_at`` and
``completed_at``; all the turns must have been running at one moment (the latest start before the earliest end).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import letta_client
from letta_client import AsyncLetta

from letta_nb.content import text_of

from . import checker, require, stub_returned

# Three questions with three different answers, so that their order shows (the offline model works out arithmetic,
# and so does a real model).
QUESTIONS = ["What's 2 + 2?", "What's 7 times 8?", "What's 15% of 80?"]


def _run(fan_out, client, agent_id: str, questions: list[str]):
    """Run ``fan_out`` (async or not) with an AsyncLetta of its own, in a worker thread: Jupyter's kernel already runs
    an event loop in this one, so ``asyncio.run`` cannot be used here."""

    async def main():
        aclient = AsyncLetta(base_url=str(client.base_url), api_key=client.api_key)
        try:
            result = fan_out(aclient, agent_id, list(questions))
            return await result if inspect.isawaitable(result) else result
        finally:
            await aclient.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, main()).result()


def _seconds(moment: datetime) -> float:
    """A server timestamp in seconds; the server writes some without a time zone, and they are UTC."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _turns(client, conversation_id: str):
    """The user messages of one conversation, and its assistant text."""
    messages = list(client.conversations.messages.list(conversation_id, order="asc"))
    asked = [text_of(m) for m in messages if m.message_type == "user_message"]
    answer = "".join(text_of(m) for m in messages if m.message_type == "assistant_message")
    return asked, answer


@checker("09", hint="write an `async def ask(question)` that opens a conversation with aclient.conversations.create"
                    "(agent_id=...) and sends the question with aclient.conversations.messages.create(...) (a stream: "
                    "join its assistant_message chunks); then run one ask per question together with asyncio.gather")
def check(fan_out, *, client, agent_id: str) -> str:
    before = {c.id for c in client.conversations.list(agent_id=agent_id)}
    try:
        answers = _run(fan_out, client, agent_id, QUESTIONS)
        stub_returned(answers, "fan_out")
        require(isinstance(answers, (list, tuple)),
                f"fan_out should return a list of answers, got {type(answers).__name__}")
        new = [c for c in client.conversations.list(agent_id=agent_id) if c.id not in before]
        require(len(new) == len(QUESTIONS), f"each of the {len(QUESTIONS)} questions needs its own new conversation; "
                                            f"{len(new)} new conversation(s) were created")
        by_question = {}
        for conv in new:
            asked, answer = _turns(client, conv.id)
            require(len(asked) == 1,
                    f"a conversation received {len(asked)} user messages: send exactly one question to each")
            by_question[asked[0]] = (conv, answer)
        require(sorted(by_question) == sorted(QUESTIONS),
                f"the conversations received {sorted(by_question)}, not the questions {sorted(QUESTIONS)}")
        expected = [by_question[q][1] for q in QUESTIONS]
        require(all(expected), "some conversation has no assistant reply: did every turn finish?")
        require(list(answers) == expected, f"answers should be the replies in the order of the questions: expected "
                                           f"{expected}, got {list(answers)}")
        spans = []
        for question in QUESTIONS:
            conv = by_question[question][0]
            runs = client.runs.list(agent_id=agent_id, conversation_id=conv.id).items
            require(runs and all(r.completed_at for r in runs), f"the turn for {question!r} has no finished run")
            spans.append((min(_seconds(r.created_at) for r in runs), max(_seconds(r.completed_at) for r in runs)))
        latest_start, earliest_end = max(s for s, _ in spans), min(e for _, e in spans)
        require(latest_start < earliest_end,
                "the turns ran one after another, not at the same time: one finished "
                f"{latest_start - earliest_end:.2f} s before the last one started. Start every "
                "question's task first and await them together (asyncio.gather), instead of awaiting each in turn")
        return (f"fan_out asked {len(QUESTIONS)} questions in {len(QUESTIONS)} new conversations, all running at "
                "the same time, and returned the answers in order")
    finally:
        for conv in [c for c in client.conversations.list(agent_id=agent_id) if c.id not in before]:
            with contextlib.suppress(letta_client.NotFoundError):
                client.conversations.delete(conv.id)
