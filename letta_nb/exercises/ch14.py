"""Chapter 14: retry what is worth retrying. ``with_retries(fn, attempts)`` calls ``fn`` again after a failure that may
pass by itself (no answer at all, a timeout, 429, any 5xx) and never after a mistake that will fail the same way again
(400, 404, 409, 422, ...); after the last attempt the last error goes to the caller unchanged.

The failures are real: a client pointed at a port where nothing listens, a request with a timeout no server can meet,
an unknown agent, an invalid request. The 5xx and the 429 come from the server the chapter's errors describe, so the
checker builds those two with the SDK's own exception classes around a real response."""

from __future__ import annotations

import httpx
import letta_client

from . import NotYet, checker, require, stub_returned

MISSING_AGENT = "agent-00000000-0000-4000-8000-000000000000"
NOWHERE = "http://127.0.0.1:9"  # nothing listens on port 9 (discard)


class _Script:
    """A callable that fails in the given ways (each an exception factory, in order), then returns "done"."""

    def __init__(self, *failures) -> None:
        self.failures, self.calls = list(failures), 0

    def __call__(self):
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)()
        return "done"


def _status(client, cls, code: int):
    """An SDK status error of class ``cls`` around a real response of the server's health route, re-labelled."""
    request = httpx.Request("GET", str(client.base_url).rstrip("/") + "/v1/health/")
    response = httpx.Response(code, request=request, json={"detail": f"test {code}"})
    return lambda: cls(f"Error code: {code}", response=response, body={"detail": f"test {code}"})


def _raised(call) -> BaseException:
    try:
        call()
    except Exception as exc:  # the real failure, as the SDK raises it
        return exc
    raise AssertionError("the call was expected to fail")


@checker("14", hint="loop for attempt in range(attempts): return fn() inside try; except letta_client.APIConnectionError "
                    "(APITimeoutError is one) or a letta_client.APIStatusError whose .status_code is 429 or >= 500: "
                    "remember it and go on; any other APIStatusError: raise at once; after the loop raise the last error")
def check(with_retries, *, client, agent_id: str) -> str:
    nowhere = letta_client.Letta(base_url=NOWHERE, max_retries=0)
    impatient = client.with_options(timeout=0.001, max_retries=0)
    unreachable = _raised(lambda: nowhere.agents.retrieve(agent_id))
    timeout = _raised(lambda: impatient.agents.retrieve(agent_id))

    flaky = _Script(lambda: unreachable, lambda: timeout)
    said = ("a call that fails twice with no answer (a refused connection, then a timeout) and then works should be "
            "tried 3 times and give its result")
    try:
        got = with_retries(flaky, attempts=3)
    except letta_client.APIConnectionError as exc:
        raise NotYet(f"{said}; with_retries gave up with {type(exc).__name__} after {flaky.calls} calls") from None
    stub_returned(got, "with_retries")
    require(got == "done" and flaky.calls == 3, f"{said}; with_retries called it {flaky.calls} times and returned "
                                                f"{got!r}")

    busy = _Script(_status(client, letta_client.InternalServerError, 500), _status(client, letta_client.RateLimitError, 429))
    said = "a 500 and then a 429 may pass by themselves: retry them"
    try:
        got = with_retries(busy, attempts=3)
    except letta_client.APIStatusError as exc:
        raise NotYet(f"{said}; with_retries raised {type(exc).__name__} after {busy.calls} calls") from None
    require(got == "done" and busy.calls == 3, f"{said}; with_retries called the function {busy.calls} times and "
                                               f"returned {got!r}")

    for what, mistake in (("an unknown agent (404)", lambda: client.agents.retrieve(MISSING_AGENT)),
                          ("an invalid request (422)", lambda: client.agents.create(model="nope/none", embedding="x"))):
        error = _raised(mistake)
        wrong = _Script(*[lambda error=error: error] * 5)  # a mistake fails the same way every time
        try:
            with_retries(wrong, attempts=3)
        except letta_client.APIStatusError as exc:
            require(exc is error, f"for {what} with_retries raised another {type(exc).__name__}, not the SDK's own "
                                  "error: let it through unchanged")
        else:
            raise NotYet(f"{what} made with_retries return instead of raising: the caller must see the error")
        require(wrong.calls == 1, f"{what} fails the same way every time, and with_retries called the function "
                                  f"{wrong.calls} times: raise it at once (only no answer, 429 and 5xx are worth "
                                  "another try)")

    down = _Script(*([lambda: unreachable] * 5))
    try:
        got = with_retries(down, attempts=4)
    except letta_client.APIConnectionError:
        pass
    else:
        raise NotYet(f"a server that never answers made with_retries return {got!r}: after the last attempt, raise "
                     "the last error")
    require(down.calls == 4, f"with attempts=4 the function should be called 4 times in all, it was called "
                             f"{down.calls} times")
    return "with_retries tries again after no answer, a timeout, 429 and 5xx, never after 404 or 422, and gives up in time"
