# Chapter 14 · a reference solution for the exercise.
import letta_client


def worth_retrying(exc: Exception) -> bool:
    """No answer at all (a timeout included), too many requests, or the server's own failure: may pass by itself."""
    if isinstance(exc, letta_client.APIConnectionError):  # APITimeoutError is a subclass
        return True
    return isinstance(exc, letta_client.APIStatusError) and (exc.status_code == 429 or exc.status_code >= 500)


def with_retries(fn, attempts: int = 3):
    last = None
    for _ in range(attempts):
        try:
            return fn()
        except letta_client.APIError as exc:
            if not worth_retrying(exc):
                raise  # a mistake fails the same way every time: the caller must fix it
            last = exc
    raise last
