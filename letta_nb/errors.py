"""Turn what goes wrong into a message that names the fix."""

from __future__ import annotations

import ast

import letta_client


class LettaNbError(RuntimeError):
    """A problem the user can fix; the message says how."""


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
        try:
            detail = ast.literal_eval(detail)
        except (ValueError, SyntaxError):
            pass
    if isinstance(detail, list):
        return _validation_error(detail)
    return str(detail or exc.message)


def explain(exc: BaseException, where: str = "the Letta server") -> LettaNbError:
    """A LettaNbError whose message says what happened to ``exc`` and what to do about it."""
    if isinstance(exc, LettaNbError):
        return exc
    subject = where[:1].upper() + where[1:]  # for the start of a sentence
    if isinstance(exc, letta_client.APITimeoutError):
        return LettaNbError(f"{subject} did not answer in time. For long agent turns stream with include_pings=True, "
                            "or raise the timeout: connect(timeout=120).")
    if isinstance(exc, letta_client.APIConnectionError):
        return LettaNbError(f"Cannot reach {where}. Start the local stack with `letta-nb up`, "
                            "or check LETTA_BASE_URL (and that the server is running).")
    if isinstance(exc, letta_client.AuthenticationError):
        return LettaNbError(f"{subject} rejected the API key (401 Unauthorized). Check LETTA_API_KEY "
                            "(in your environment or .env); Letta Cloud keys are at https://app.letta.com/api-keys.")
    if isinstance(exc, letta_client.PermissionDeniedError):
        return LettaNbError(f"{subject} refused this request (403 Forbidden): {_detail(exc)}. "
                            "Check that LETTA_API_KEY belongs to the project that owns this resource.")
    if isinstance(exc, letta_client.NotFoundError):
        return LettaNbError(f"Not found (404): {_detail(exc)}. Check the id or name; list what exists with "
                            "client.agents.list() (or .tools/.blocks), and make sure you are connected to the right server.")
    if isinstance(exc, letta_client.UnprocessableEntityError):
        return LettaNbError(f"The request was invalid (422): {_detail(exc)}. Add or fix the named fields "
                            "(agents need model, embedding and memory_blocks; see letta_nb.default_models).")
    if isinstance(exc, letta_client.APIStatusError):
        detail = _detail(exc)
        if "waiting for approval" in detail.lower():
            # 409 without streaming; with streaming the same refusal arrives as an error event in a 200 stream.
            return LettaNbError(f"The agent is waiting for an approval ({detail}). Answer the pending tool call first: "
                                "approve or deny it, or send the tool's result (chapter 07; letta_nb.client_tools).")
        return LettaNbError(f"{subject} answered {exc.status_code}: {detail}")
    return LettaNbError(f"{type(exc).__name__}: {exc}")
