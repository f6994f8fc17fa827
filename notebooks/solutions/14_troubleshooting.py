# Chapter 14 · a reference solution for the exercise.
import letta_client


def diagnose(fn) -> str:
    try:
        fn()
    except letta_client.APIStatusError as exc:  # the server answered with an error status: 400, 404, 422, ...
        return str(exc.status_code)
    except letta_client.APIConnectionError:  # no answer at all; APITimeoutError is a subclass
        return "unreachable"
    return "ok"
