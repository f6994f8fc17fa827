"""Chapter 09: serve an inbox. Each user gets one new conversation; a user's messages go one after another in it
(a conversation takes one turn at a time), while different users are served at the same time.

The checker proves both from the learner's own client, which it builds with a transport that notes when each message
went out and when its reply ended: within a conversation each message must go out after the reply before it ended;
across users, every conversation must have been busy at one moment (the latest first message before the earliest
last reply).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import re
import time
from concurrent.futures import ThreadPoolExecutor
from typing import cast

import httpx
import letta_client
from letta_client import AsyncLetta

from letta_nb.content import text_of

from . import NotYet, checker, require, stub_returned

# Arithmetic, because its answers are all different and the offline model (like a real one) works it out: replies in
# the wrong order or under the wrong user show.
_SEND = re.compile(r"^/v1/conversations/([^/]+)/messages$")
INBOX = {"ana": ["What's 2 + 2?", "What's 3 + 4?"], "ben": ["What's 7 times 8?", "What's 9 times 9?"],
         "cy": ["What's 15% of 80?"]}


class _Stamped(httpx.AsyncByteStream):
    """A response body that notes when it was read to its end (the reply of a turn is a stream)."""

    def __init__(self, inner: httpx.AsyncByteStream, record: list) -> None:
        self.inner, self.record = inner, record

    async def __aiter__(self):
        async for chunk in self.inner:
            yield chunk

    async def aclose(self) -> None:
        self.record[2] = time.monotonic()
        await self.inner.aclose()


class _Recorder(httpx.AsyncBaseTransport):
    """Notes, for every message sent to a conversation, when the request went out and when its reply stream ended:
    the learner's client goes through it, so whether two messages shared a conversation at once is seen exactly."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.turns: list[list] = []  # [conversation id, sent, reply ended]

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        match = _SEND.search(request.url.path) if request.method == "POST" else None
        sent = time.monotonic()
        response = await self.inner.handle_async_request(request)
        if match:
            record = [match.group(1), sent, None]
            self.turns.append(record)
            response.stream = _Stamped(cast(httpx.AsyncByteStream, response.stream), record)  # an async transport's
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def _run(serve_inbox, client, agent_id: str, inbox: dict[str, list[str]]):
    """Run ``serve_inbox`` (async or not) with an AsyncLetta of its own, in a worker thread (Jupyter's kernel already
    runs an event loop in this one, so ``asyncio.run`` cannot be used here). Returns its result and the turns seen."""
    recorder = _Recorder()

    async def main():
        aclient = AsyncLetta(base_url=str(client.base_url), api_key=client.api_key,
                             http_client=httpx.AsyncClient(transport=recorder, timeout=httpx.Timeout(120.0)))
        try:
            result = serve_inbox(aclient, agent_id, {user: list(messages) for user, messages in inbox.items()})
            return await result if inspect.isawaitable(result) else result
        finally:
            await aclient.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, main()).result(), recorder.turns


def _turns(client, conversation_id: str) -> tuple[list[str], list[str]]:
    """The user messages of one conversation, in order, and the assistant text that answered each."""
    asked, replies = [], []
    for m in client.conversations.messages.list(conversation_id, order="asc"):
        if m.message_type == "user_message" and text_of(m) not in asked:  # 0.16.8 lists some messages twice
            asked.append(text_of(m))
            replies.append("")
        elif m.message_type == "assistant_message" and replies:
            replies[-1] += text_of(m)
    return asked, replies


@checker("09", hint="write an `async def serve(user, messages)` that opens one conversation with "
                    "aclient.conversations.create(agent_id=...) and awaits each message in turn with "
                    "aclient.conversations.messages.create(conv.id, ...) (a stream: join its assistant_message "
                    "chunks); run one serve per user together with asyncio.gather and zip the users with the results")
def check(serve_inbox, *, client, agent_id: str) -> str:
    before = {c.id for c in client.conversations.list(agent_id=agent_id)}
    try:
        replies, sent = _run(serve_inbox, client, agent_id, INBOX)
        stub_returned(replies, "serve_inbox")
        require(isinstance(replies, dict), f"serve_inbox should return a dict from each user to their replies, got "
                                           f"{type(replies).__name__}")
        require(sorted(replies) == sorted(INBOX), f"serve_inbox returned replies for {sorted(replies)}, not for each "
                                                  f"user of the inbox {sorted(INBOX)}")
        new = [c for c in client.conversations.list(agent_id=agent_id) if c.id not in before]
        require(len(new) == len(INBOX), f"each of the {len(INBOX)} users needs one new conversation of their own; "
                                        f"{len(new)} new conversation(s) were created")
        by_user, spans = {}, {}
        for conv in new:
            asked, answers = _turns(client, conv.id)
            user = next((u for u, messages in INBOX.items() if sorted(asked) == sorted(messages)), None)
            if user is None:
                raise NotYet(f"a conversation received {asked}: each user's conversation should hold exactly that "
                             "user's messages")
            turns = sorted((start, end) for conv_id, start, end in sent if conv_id == conv.id)
            require(turns and all(end is not None for _, end in turns), f"{user}'s replies were not read to their end")
            overlap = [i for i in range(1, len(turns)) if turns[i][0] < turns[i - 1][1]]
            require(not overlap, f"{user}'s second message was sent while the first was still being answered: in "
                                 "one conversation, await each reply before sending the next message")
            require(asked == INBOX[user], f"{user}'s conversation holds {asked}, not their messages in their order "
                                          f"{INBOX[user]}")
            by_user[user], spans[user] = answers, turns
        for user in INBOX:
            require(list(replies[user]) == by_user[user], f"the replies for {user} should be the agent's answers in "
                                                          f"the order of their messages, {by_user[user]}; got "
                                                          f"{list(replies[user])}")
        latest_start = max(turns[0][0] for turns in spans.values())
        earliest_end = min(turns[-1][1] for turns in spans.values())
        require(latest_start < earliest_end,
                "the users were served one after another, not at the same time: one user's last reply came "
                f"{latest_start - earliest_end:.2f} s before another user's first message. Start every user's task "
                "first and await them together (asyncio.gather)")
        return (f"serve_inbox gave {len(INBOX)} users a conversation each, served them at the same time, and kept "
                "each user's messages one after another")
    finally:
        for conv in [c for c in client.conversations.list(agent_id=agent_id) if c.id not in before]:
            with contextlib.suppress(letta_client.NotFoundError):
                client.conversations.delete(conv.id)
