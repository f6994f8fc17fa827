"""Turn what goes wrong into a message that names the fix."""

from __future__ import annotations

import ast
import contextlib
import re

import httpx
import letta_client

from .config import StackConfig
from .exceptions import (
    ApprovalPending,
    InvalidRequest,
    KeyRejected,
    LettaNbError,
    NotFound,
    RunFailed,
    ServerFailed,
    ServerTimeout,
    ServerUnreachable,
    StreamCut,
)


def _validation_error(errors: list) -> str:
    """The first of FastAPI's validation errors as `field.path: message`.

    A union-typed body (a message may be a user message, an approval or a tool return) yields one error per union
    member; the first is the one for the member the caller most likely meant. Validator names in the path
    (``function-after[...]``) are dropped.
    """
    first = next((e for e in errors if isinstance(e, dict)), None)
    if first is None:
        return str(errors)
    path = [str(p) for p in first.get("loc", [])[1:] if "[" not in str(p)]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{'.'.join(path) or 'body'}: {first.get('msg')}{more}"


def _detail(exc: letta_client.APIStatusError) -> str:
    body = exc.body
    detail = body.get("detail", body) if isinstance(body, dict) else body
    if isinstance(detail, str) and detail.startswith("[{"):
        with contextlib.suppress(ValueError, SyntaxError):
            detail = ast.literal_eval(detail)
    if isinstance(detail, list):
        return _validation_error(detail)
    return str(detail or exc.message)


# Hints that fit a request error, by what its detail names: (pattern, hint). The first match wins; no match, no hint.
_HINTS = (
    (r"^messages\b", "each message needs a role and content, e.g. {'role': 'user', 'content': 'Hi'}"),
    (r"^memory_blocks\b", "each memory block needs a label and a value, e.g. {'label': 'human', 'value': ''}"),
    (r"^tool_rules\b", "each tool rule needs a type, e.g. {'type': 'run_first', 'tool_name': 'my_tool'}"),
    (r"\b(model|embedding|llm_config|embedding_config|handle)\b",
     "agents need a model and an embedding the server offers; letta_nb.default_models(client) picks them"),
)


def _hint(detail: str) -> str:
    return next((hint for pattern, hint in _HINTS if re.search(pattern, detail, re.IGNORECASE)), "")


def _local_stack(exc: letta_client.APIStatusError) -> bool:
    """Whether the failed request went to the local stack (then `letta-nb status` and `logs` apply)."""
    try:
        return StackConfig.from_env().serves(exc.response.request.url)
    except (AttributeError, RuntimeError, LettaNbError):
        return False


# How the server words its refusal of a new message while a tool call waits for an answer, in a 409 and inside a
# stream alike: the one place its text decides a type.
_APPROVAL_WAIT = "waiting for approval"


def explain(exc: BaseException, where: str = "the Letta server") -> LettaNbError:
    """A LettaNbError whose message says what happened to ``exc`` and what to do about it; its class says which
    case it is (the table in :mod:`letta_nb.exceptions`), ``status_code`` and ``original`` what it came from."""
    if isinstance(exc, LettaNbError):
        return exc
    kind, message = _explained(exc, where)
    status = getattr(exc, "status_code", None) if isinstance(exc, letta_client.APIError) else None
    return kind(message, status_code=status, original=exc)


def _explained(exc: BaseException, where: str) -> tuple[type[LettaNbError], str]:
    subject = where[:1].upper() + where[1:]  # for the start of a sentence
    if isinstance(exc, letta_client.APITimeoutError):
        return ServerTimeout, (f"{subject} did not answer in time. For long agent turns stream with include_pings=True, "
                               "or raise the timeout: connect(timeout=120).")
    if isinstance(exc, letta_client.APIConnectionError):
        return ServerUnreachable, (f"Cannot reach {where}. Start the local stack with `letta-nb up`, "
                                   "or check LETTA_BASE_URL (and that the server is running).")
    if isinstance(exc, letta_client.AuthenticationError):
        return KeyRejected, (f"{subject} rejected the API key (401 Unauthorized). Check LETTA_API_KEY "
                             "(in your environment or .env); Letta Cloud keys are at https://app.letta.com/api-keys.")
    if isinstance(exc, letta_client.PermissionDeniedError):
        return KeyRejected, (f"{subject} refused this request (403 Forbidden): {_detail(exc)}. "
                             "Check that LETTA_API_KEY belongs to the project that owns this resource.")
    if isinstance(exc, letta_client.NotFoundError):
        detail = _detail(exc)
        if re.search(r"\bhandle\b", detail, re.IGNORECASE):
            return NotFound, (f"Not found (404): {detail}. Use a handle this server offers: client.models.list() "
                              "lists them, letta_nb.default_models(client) picks one.")
        return NotFound, (f"Not found (404): {detail}. Check the id or name; list what exists with "
                          "client.agents.list() (or .tools/.blocks), and make sure you are connected to the right server.")
    if isinstance(exc, letta_client.UnprocessableEntityError):
        detail = _detail(exc)
        hint = _hint(detail)
        return InvalidRequest, (f"The request was invalid (422): {detail}. Add or fix the named fields" +
                                (f"; {hint}." if hint else "."))
    if isinstance(exc, letta_client.APIStatusError):
        detail = _detail(exc)
        if _APPROVAL_WAIT in detail.lower():
            # 409 without streaming; with streaming the same refusal arrives as an error event in a 200 stream.
            return ApprovalPending, (f"The agent is waiting for an approval ({detail}). Answer the pending tool call "
                                     "first: approve or deny it, or send the tool's result (chapter 07; "
                                     "letta_nb.client_tools).")
        if exc.status_code >= 500:
            # One sentence with the next step: on the local stack a 500 is nearly always a service that died under the
            # server (PostgreSQL, Redis), which the server itself reports only as "An unknown error occurred".
            if _local_stack(exc):
                return ServerFailed, (f"{subject} failed ({exc.status_code}: {detail}); run `letta-nb status` to see "
                                      "which service is down (`letta-nb up` restarts it) and `letta-nb logs letta` for "
                                      "the cause.")
            return ServerFailed, (f"{subject} failed ({exc.status_code}: {detail}); try again, and if it persists "
                                  "look at that server's logs.")
        hint = _hint(detail) if exc.status_code == 400 else ""
        # Below 400 the request itself succeeded: the SDK raises an error event inside the stream that way.
        kind = InvalidRequest if exc.status_code == 400 else RunFailed if exc.status_code < 400 else LettaNbError
        return kind, f"{subject} answered {exc.status_code}: {detail}" + (f"; {hint}." if hint else "")
    if isinstance(exc, httpx.TransportError):
        # The SDK wraps every httpx error of sending a request; one that escapes came from reading a streamed body.
        return StreamCut, f"{type(exc).__name__}: {exc}"
    return LettaNbError, f"{type(exc).__name__}: {exc}"


def run_failure(said: object, run_id: str | None) -> RunFailed | ApprovalPending:
    """The error that a stream's ``error_message`` reports: the run failed on the server, saying ``said``."""
    where = f"client.runs.retrieve({run_id!r})" if run_id else "client.runs.retrieve(run_id)"
    kind = ApprovalPending if _APPROVAL_WAIT in str(said).lower() else RunFailed
    return kind(f"The agent's run failed: {said}. Check the server log (`letta-nb logs`) or the run with {where}.")


class translated(contextlib.AbstractContextManager):
    """``with translated():`` raises an SDK or httpx error from the block as :func:`explain` words it (``where``: who
    was asked, e.g. "the tool sandbox"). Raised ``from None``, so that a traceback shows the sentence alone; the
    SDK's error stays in ``.original``. Lower-case, as :class:`contextlib.suppress`: it is used as a function."""

    def __init__(self, where: str = "the Letta server") -> None:
        self.where = where

    def __exit__(self, kind, exc, traceback) -> None:
        if isinstance(exc, (letta_client.APIError, httpx.TransportError)):
            raise explain(exc, self.where) from None
