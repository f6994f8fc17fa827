# Chapter 08 · a reference solution for the exercise.
import httpx

from letta_nb import text_of


def resilient_text(client, agent_id: str, text: str) -> tuple[str, list[int]]:
    chunks, run_id, last_seq_id = [], None, None
    stream = client.agents.messages.create(
        agent_id=agent_id,
        messages=[{"role": "user", "content": text}],
        streaming=True, stream_tokens=True, include_pings=True, background=True,
    )
    for attempt in range(3):  # the first try, and up to two resumes
        try:
            for chunk in stream:
                if getattr(chunk, "seq_id", None) is not None:  # stop and usage chunks have none
                    run_id, last_seq_id = chunk.run_id, chunk.seq_id
                if chunk.message_type != "ping":  # pings only keep the connection alive
                    chunks.append(chunk)
            break
        except httpx.TransportError:  # the connection dropped mid-stream: httpx's own error, not letta_client's
            if last_seq_id is None or attempt == 2:
                raise  # nothing to resume from (or it keeps dropping)
            stream = client.runs.messages.stream(run_id, starting_after=last_seq_id)
    words = "".join(text_of(c) for c in chunks if c.message_type == "assistant_message")
    return words, [c.seq_id for c in chunks if getattr(c, "seq_id", None) is not None]
