# Chapter 09 · a reference solution for the exercise.
import asyncio

import letta_nb


async def serve_inbox(aclient, agent_id: str, inbox: dict) -> dict:
    async def serve(user: str, messages: list) -> list:
        conv = await aclient.conversations.create(agent_id=agent_id, summary=f"nb09 inbox: {user}")
        replies = []
        for message in messages:  # one turn at a time in a conversation: await each reply before the next message
            stream = await aclient.conversations.messages.create(conv.id, messages=[{"role": "user", "content": message}])
            replies.append("".join([letta_nb.text_of(c) async for c in stream if c.message_type == "assistant_message"]))
        return replies

    # the users at the same time: gather starts every user's task before awaiting any, results in argument order
    results = await asyncio.gather(*(serve(user, messages) for user, messages in inbox.items()))
    return dict(zip(inbox, results, strict=True))
