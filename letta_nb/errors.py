"""Turn what goes wrong into a message that names the fix."""

from __future__ import annotations

import letta_client


class LettaNbError(RuntimeError):
    """A problem the user can fix; the message says how."""


def _detail(exc: letta_client.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        detail = body.get("detail", body)
        if isinstance(detail, list):  # FastAPI validation errors
            return "; ".join(f"{'.'.join(str(p) for p in d.get('loc', [])[1:])}: {d.get('msg')}" for d in detail if isinstance(d, dict))
        return str(detail)
    return str(body or exc.message)


def explain(exc: BaseException, where: str = "the Letta server") -> LettaNbError:
    """A LettaNbError whose message says what happened to ``exc`` and what to do about it."""
    if isinstance(exc, LettaNbError):
        return exc
    if isinstance(exc, letta_client.APITimeoutError):
        return LettaNbError(f"{where} did not answer in time. For long agent turns stream with include_pings=True, "
                            "or raise the timeout: connect(timeout=120).")
    if isinstance(exc, letta_client.APIConnectionError):
        return LettaNbError(f"Cannot reach {where}. Start the local stack with `letta-nb up`, "
                            "or check LETTA_BASE_URL (and that the server is running).")
    if isinstance(exc, letta_client.AuthenticationError):
        return LettaNbError(f"{where} rejected the API key (401 Unauthorized). Check LETTA_API_KEY "
                            "(in your environment or .env); Letta Cloud keys are at https://app.letta.com/api-keys.")
    if isinstance(exc, letta_client.PermissionDeniedError):
        return LettaNbError(f"{where} refused this request (403 Forbidden): {_detail(exc)}. "
                            "Check that LETTA_API_KEY belongs to the project that owns this resource.")
    if isinstance(exc, letta_client.NotFoundError):
        return LettaNbError(f"Not found (404): {_detail(exc)}. Check the id or name; list what exists with "
                            "client.agents.list() (or .tools/.blocks), and make sure you are connected to the right server.")
    if isinstance(exc, letta_client.UnprocessableEntityError):
        return LettaNbError(f"The request was invalid (422): {_detail(exc)}. Add or fix the named fields "
                            "(agents need model, embedding and memory_blocks; see letta_nb.default_models).")
    if isinstance(exc, letta_client.APIStatusError):
        return LettaNbError(f"{where} answered {exc.status_code}: {_detail(exc)}")
    return LettaNbError(f"{type(exc).__name__}: {exc}")
