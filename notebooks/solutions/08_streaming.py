# Chapter 08 · a reference solution for the exercise.
import httpx
import letta_client

from letta_nb import text_of


def resilient_text(client, agent_id: str, text: str) -> tuple[str, list[int]]:
    chunks = []
    stream = client.agents.messages.create(
        agent_id=agent_id,
        messages=[{"role": "user", "content": text}],
        streaming=True, stream_tokens=True, include_pings=True, background=True,
    )
    for attempt in range(3):  # the first try, and up to two resumes
        try:
            for chunk in stream:
                chunks.append(chunk)
            break
        except (httpx.TransportError, letta_client.APIConnectionError):  # the connection dropped
            numbered = [c for c in chunks if getattr(c, "seq_id", None) is not None]
            if not numbered or attempt == 2:
                raise  # nothing to resume from (or it keeps dropping)
            stream = client.runs.messages.stream(numbered[-1].run_id, starting_after=numbered[-1].seq_id)
    words = "".join(text_of(c) for c in chunks if c.message_type == "assistant_message")
    return words, [c.seq_id for c in chunks if getattr(c, "seq_id", None) is not None]
