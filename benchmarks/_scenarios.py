"""Scenario rows (benchmarks/paraphrases.jsonl and its kin) turned into agents and turns, run two ways, and scored.

- ``live``: a real agent on the local stack per row (blocks, built-in and custom tools, passages, files, earlier
  turns), then the utterance; the report's figures come from this.
- ``pure``: the same turn through the offline model alone, with Letta's tool calls played by a small stand-in (memory
  edits, archival and conversation search, custom tools from their source). Seconds instead of minutes, for working on
  the model; never the source of a reported figure.

A turn is scored ``understood`` (it did what the row expects), ``honest`` (it wrote nothing and said plainly that it
did not understand or cannot do it), or ``wrong`` (anything else: a confident wrong answer).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

HONEST = re.compile(r"didn't understand|offline practice model|can't know that offline|can't check live|"
                    r"needs a real language model|i can't change|no tool|can't help|i can't|i cannot|i don't have that|"
                    r"i don't have anything|found nothing relevant|but i need the|not sure", re.I)
DEFAULT_BLOCKS = {"human": "", "persona": "I am a helpful assistant."}
_TYPES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
# heldout_v2 writes a parameter's type the Python way ("str: ..."), the older sets the JSON-schema way ("string: ...")
JSON_TYPES = {**{t: t for t in _TYPES}, **{py: js for js, py in _TYPES.items()}}


def source(tool: dict) -> str:
    params = {p: spec.split(":", 1) for p, spec in tool["params"].items()}
    signature = ", ".join(f"{p}: {_TYPES[JSON_TYPES[t.strip()]]}" for p, (t, _) in params.items())
    args = "\n".join(f"        {p}: {d.strip()}" for p, (_, d) in params.items())
    body = tool["returns"].replace('"', '\\"')
    return (f'def {tool["name"]}({signature}) -> str:\n    """{tool["description"]}\n\n    Args:\n{args}\n\n'
            f'    Returns:\n        str: The result.\n    """\n    return f"{body}"\n')


@dataclass
class Outcome:
    calls: list[tuple[str, dict]]
    reply: str
    reasoning: list[str]
    blocks: dict[str, str]
    passages: list[str]
    failed: list[str] = field(default_factory=list)


def _norm(text: str) -> str:
    return " " + " ".join(re.sub(r"[^\w]+", " ", text.lower()).split()) + " "


_SYNONYMS = {"location": ["lives", "based", "home", "city", "location", "address"], "job": ["work", "occupation", "job",
             "teacher", "role"], "pet": ["pets", "dog", "cat", "pet"], "allergy": ["allergies", "allergic", "allergy"],
             "language": ["speaks", "languages", "language"], "hobbies": ["likes", "enjoys", "hobbies", "plays"],
             "owns": ["has", "owned", "owns"], "from": ["originally", "hometown", "from"]}


def _line_ok(expected: str, block: str) -> bool:
    """The value words of ``Key: value`` each start a word in one line of the block."""
    value = expected.split(":", 1)[-1]
    wanted = _norm(value).split()
    return any(all(re.search(rf"\b{re.escape(w)}", _norm(line)) for w in wanted) for line in block.split("\n"))


def _not_line(expected: str, block: str) -> bool:
    key, _, value = expected.partition(":")
    for line in block.split("\n"):
        head, _, rest = line.partition(":")
        if _norm(head).strip() == _norm(key).strip() and all(w in _norm(rest) for w in _norm(value).split()):
            return True
    return False


def _arg_ok(expected, got) -> bool:
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        try:
            return float(got) == float(expected)
        except (TypeError, ValueError):
            return False
    return str(expected).lower() in str(got).lower()


def score(row: dict, before: dict[str, str], out: Outcome) -> tuple[str, str]:
    """('understood' | 'honest' | 'wrong', why)."""
    expect = row["expect"]
    wrote_core = any(out.blocks.get(k, "") != v for k, v in before.items())
    wrote_archive = len(out.passages) > len(row.get("passages", []))
    wrote = wrote_core or wrote_archive
    names = [c for c, _ in out.calls]
    reply = out.reply or ""
    honest = not wrote and bool(HONEST.search(reply))
    never = expect.get("never", [])
    for rule in never:
        if rule == "write" and wrote:
            return "wrong", "wrote to memory"
        if rule.startswith("tool:") and rule[5:] in names:
            return "wrong", f"called {rule[5:]}"
        if rule == "save_question" and wrote and row["utterance"].strip(" ?").lower()[:25] in _norm(
                " ".join(out.blocks.values()) + " ".join(out.passages)):
            return "wrong", "stored the question"
    ok, why = _meets(row, expect, before, out, wrote, wrote_core, names, reply)
    if ok:
        return "understood", why
    return ("honest", why) if honest else ("wrong", why)


def _meets(row, expect, before, out, wrote, wrote_core, names, reply) -> tuple[bool, str]:
    do = expect["do"]
    label = expect.get("block", "human")
    block = out.blocks.get(label, "")
    if do == "save":
        missing = [ln for ln in expect.get("lines", []) if not _line_ok(ln, block)]
        bad = [ln for ln in expect.get("not_lines", []) if _not_line(ln, block)]
        return not missing and not bad, f"missing {missing}" if missing else (f"wrote {bad}" if bad else "saved")
    if do in ("replace", "forget"):
        left = [g for g in expect.get("gone", []) if _norm(g) in _norm(block)]
        missing = [ln for ln in expect.get("lines", []) if not _line_ok(ln, block)]
        return not left and not missing, f"still {left} / missing {missing}"
    if do == "archive":
        new = out.passages[len(row.get("passages", [])):]
        ok = any(all(w.lower() in p.lower() for w in expect.get("contains", [])) for p in new)
        return ok and not wrote_core, "archived" if ok else f"no passage with {expect.get('contains')} (core write: {wrote_core})"
    if do == "recall":
        has = all(h.lower() in reply.lower() for h in expect.get("reply_has", []))
        return has and not wrote and not out.calls, f"reply {reply[:80]!r}"
    if do == "search_notes":
        searched = any(n in ("archival_memory_search", "semantic_search_files", "grep_files", "open_files") for n in names)
        if expect.get("nothing_found"):
            return (searched or not wrote) and bool(re.search(r"nothing relevant|found nothing|couldn't find|no notes|"
                                                              r"don't have", reply, re.I)), f"reply {reply[:80]!r}"
        has = all(h.lower() in reply.lower() for h in expect.get("reply_has", []))
        return has and not wrote, f"reply {reply[:80]!r}"
    if do == "search_history":
        has = all(h.lower() in reply.lower() for h in expect.get("reply_has", []))
        return has and not wrote, f"reply {reply[:80]!r}"
    if do == "tool":
        hit = [a for n, a in out.calls if n == expect["name"]]
        ok = any(all(k in a and _arg_ok(v, a[k]) for k, v in expect.get("args", {}).items()) for a in hit)
        if ok and expect["name"] in ("web_search", "fetch_webpage", "run_code"):
            ok = bool(re.search(r"fail|internet|offline|couldn't|can't", reply, re.I))
        return ok, f"calls {out.calls}"
    if do == "ask":
        return expect["tool"] not in names and not wrote and "?" in reply, f"reply {reply[:80]!r}"
    if do == "read":
        from letta_nb.local.offline.tools import changes

        changed = [n for n, _ in out.calls if n not in ("conversation_search",) and changes(n, {})]
        return not changed and not wrote and (expect.get("tool") in names or bool(HONEST.search(reply))), f"calls {out.calls}"
    if do == "chat":
        return not wrote and not out.calls and not re.search(r"didn't understand", reply, re.I), f"reply {reply[:80]!r}"
    if do == "capabilities":
        has = all(h.lower() in reply.lower() for h in expect.get("reply_has", []))
        return has and not wrote, f"reply {reply[:80]!r}"
    if do == "arithmetic":
        has = all(h.lower() in reply.lower().replace(",", "") for h in expect.get("reply_has", []))
        return has and not wrote, f"reply {reply[:80]!r}"
    if do in ("cannot_know", "honest"):
        return not wrote and bool(HONEST.search(reply)), f"reply {reply[:80]!r}"
    raise ValueError(f"unknown expectation {do!r} in {row['id']}")


def load(path: str) -> list[dict]:
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]
