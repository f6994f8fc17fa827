"""Chapter 14: diagnose(fn) names what went wrong with a call: "ok", the HTTP status, or "unreachable"."""

from __future__ import annotations

import letta_client

from . import NotYet, checker, require, stub_returned

MISSING_AGENT = "agent-00000000-0000-4000-8000-000000000000"


@checker("14", hint="call fn() in a try block: an error status raises letta_client.APIStatusError (its .status_code "
                    "is an int), no answer at all raises letta_client.APIConnectionError (APITimeoutError is one)")
def check(diagnose, *, client, agent_id: str) -> str:
    nowhere = letta_client.Letta(base_url="http://127.0.0.1:9", max_retries=0)  # nothing listens on port 9
    impatient = client.with_options(timeout=0.001, max_retries=0)
    cases = [
        ("a call that works", "ok", lambda: client.agents.retrieve(agent_id)),
        ("an agent id that does not exist", "404", lambda: client.agents.retrieve(MISSING_AGENT)),
        ("a user message without content", "422",
         lambda: client.agents.messages.create(agent_id=agent_id, messages=[{"role": "user"}])),
        ("a server that is not there", "unreachable", lambda: nowhere.agents.list(limit=1)),
        ("a timeout of 1 ms", "unreachable", lambda: impatient.agents.list(limit=1)),
    ]
    for what, expected, fn in cases:
        try:
            got = diagnose(fn)
        except letta_client.APIError as exc:
            raise NotYet(f"for {what}, diagnose let {type(exc).__name__} escape: catch it and return {expected!r}") from None
        stub_returned(got, "diagnose")
        require(isinstance(got, str), f"for {what}, diagnose returned {got!r} ({type(got).__name__}); return a str, "
                                      f"e.g. {expected!r}")
        require(got == expected, f"for {what}, diagnose returned {got!r} where {expected!r} was expected")
    return "diagnose recognises " + ", ".join(dict.fromkeys(expected for _, expected, _ in cases))
