# Chapter 09 · a reference solution for the exercise.
import asyncio

import letta_nb


async def fan_out(aclient, agent_id: str, questions: list[str]) -> list[str]:
    async def ask(question: str) -> str:
        conv = await aclient.conversations.create(agent_id=agent_id, summary="nb09 exercise")
        stream = await aclient.conversations.messages.create(conv.id, messages=[{"role": "user", "content": question}])
        return "".join([letta_nb.text_of(c) async for c in stream if c.message_type == "assistant_message"])

    # gather starts every task before awaiting any, and returns the results in the order of its arguments
    return list(await asyncio.gather(*(ask(q) for q in questions)))
