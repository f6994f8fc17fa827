"""How well the offline model understands sentences nobody wrote its rules for.

Runs every row of a scenario set (default: benchmarks/paraphrases.jsonl, frozen before the model's intents were
written) and counts, per category: understood, honest "did not understand", confidently wrong. The goal (issue 17):
confidently wrong 0, understood at least 90 %.

    uv run python benchmarks/offline_understanding.py            # the real local stack, one agent per row
    uv run python benchmarks/offline_understanding.py --pure     # the model alone, Letta's tools played in memory
    ... --ids p012,p140 --show                                    # a few rows, with every call and reply

Only ``--live`` (the default) is reported in benchmarks/results.md.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
import uuid
from pathlib import Path

from _report import table
from _scenarios import DEFAULT_BLOCKS, Outcome, load, score, source

HERE = Path(__file__).resolve().parent


def run_live(client, row: dict) -> tuple[dict[str, str], Outcome]:
    import letta_nb

    blocks = row.get("blocks") or DEFAULT_BLOCKS
    memory = [{"label": k, "value": v, "description": row.get("block_descriptions", {}).get(k, ""),
               **({"read_only": True} if k in row.get("read_only", []) else {})} for k, v in blocks.items()]
    tool_ids = [client.tools.upsert(source_code=source(t)).id for t in row.get("custom_tools", [])]
    name = f"bench-understanding-{uuid.uuid4().hex[:8]}"
    agent = letta_nb.fresh_agent(client, name, memory_blocks=memory, tools=row.get("tools") or None, tool_ids=tool_ids or None)
    folder = None
    try:
        for text in row.get("passages", []):
            client.agents.passages.create(agent_id=agent.id, text=text)
        if row.get("files"):
            folder = client.folders.create(name=name, embedding=letta_nb.default_models(client)[1])
            for file_name, content in row["files"].items():
                path = Path("/tmp") / f"{name}-{file_name}"
                path.write_text(content)
                with path.open("rb") as handle:
                    client.folders.files.upload(folder.id, file=handle)
            _wait_for_files(client, folder.id)
            client.agents.folders.attach(folder.id, agent_id=agent.id)
        for text in row.get("history", []):
            client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": text}])
        before = {b.label: b.value for b in client.agents.blocks.list(agent_id=agent.id)}
        passages_before = [p.text for p in client.agents.passages.list(agent_id=agent.id)]
        response = client.agents.messages.create(agent_id=agent.id, messages=[{"role": "user", "content": row["utterance"]}])
        calls = [(m.tool_call.name, json.loads(m.tool_call.arguments or "{}")) for m in response.messages
                 if m.message_type == "tool_call_message"]
        replies = [m.content for m in response.messages if m.message_type == "assistant_message"]
        reasoning = [m.reasoning for m in response.messages if m.message_type == "reasoning_message"]
        failed = [m.name for m in response.messages if m.message_type == "tool_return_message" and m.status == "error"]
        after = {b.label: b.value for b in client.agents.blocks.list(agent_id=agent.id)}
        passages = [p.text for p in client.agents.passages.list(agent_id=agent.id)]
        # passages the turn added, after the ones the row gave (the list order of the server is not insertion order)
        added = [p for p in passages if p not in passages_before]
        return before, Outcome(calls, replies[-1] if replies else "", reasoning, after, row.get("passages", []) + added, failed)
    finally:
        letta_nb.delete_agents(client, name=name)
        if folder is not None:  # by id: listing folders by name pages past the one just deleted (a 404 on 0.16.8)
            client.folders.delete(folder.id)
        for tool_id in tool_ids:  # a row's tool (count_words, add_todo...) left on the server would meet a chapter's
            client.tools.delete(tool_id)


def _wait_for_files(client, folder_id: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = client.folders.files.list(folder_id)
        if files and all(f.processing_status in ("completed", "error") for f in files):
            return
        time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", default=str(HERE / "paraphrases.jsonl"))
    parser.add_argument("--pure", action="store_true", help="the model alone, Letta's tool calls played in memory")
    parser.add_argument("--words-only", action="store_true", help="with --pure: as where e5 is not installed")
    parser.add_argument("--ids", default="", help="comma-separated row ids")
    parser.add_argument("--show", action="store_true", help="print every row's calls and reply")
    parser.add_argument("--json", default="", help="write each row's outcome to this file")
    args = parser.parse_args()
    rows = load(args.set)
    if args.ids:
        wanted = set(args.ids.split(","))
        rows = [r for r in rows if r["id"] in wanted]
    if args.pure:
        from _simulate import run

        runner = run
    else:
        import letta_nb

        client = letta_nb.connect()
        runner = lambda row: run_live(client, row)  # noqa: E731
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    results = []
    start = time.perf_counter()
    if args.words_only:
        from letta_nb.local.offline.vectors import words_only

        forced = words_only()
        forced.__enter__()  # for the whole run: it ends with the process (a reference kept, or it ends at once)
    for row in rows:
        before, outcome = runner(row)
        verdict, why = score(row, before, outcome)
        counts[row["category"]][verdict] += 1
        results.append({"id": row["id"], "category": row["category"], "verdict": verdict, "why": why,
                        "utterance": row["utterance"], "calls": outcome.calls, "reply": outcome.reply,
                        "reasoning": outcome.reasoning})
        if args.show or verdict == "wrong":
            mark = {"understood": "ok ", "honest": "hon", "wrong": "BAD"}[verdict]
            print(f"{mark} {row['id']} [{row['category']}] {row['utterance']!r}\n      {why}\n      calls={outcome.calls}\n"
                  f"      reply={outcome.reply[:160]!r}", file=sys.stderr)
    total = collections.Counter()
    lines = []
    for category in sorted(counts):
        c = counts[category]
        total.update(c)
        lines.append((category, f"{sum(c.values())}", f"{c['understood']}", f"{c['honest']}", f"{c['wrong']}"))
    n = sum(total.values())
    lines.append(("all", f"{n}", f"{total['understood']} ({100 * total['understood'] / max(n, 1):.0f} %)",
                  f"{total['honest']}", f"{total['wrong']}"))
    table(lines, ("category", "rows", "understood", "honest", "wrong"))
    engine = "word matching only" if args.words_only else "e5"
    print(f"\n{'pure' if args.pure else 'live'} run ({engine}), {time.perf_counter() - start:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
