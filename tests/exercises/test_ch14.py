"""Chapter 14's checker: with_retries retries what may pass by itself (no answer, a timeout, 429, 5xx) and nothing
else, a limited number of times, and lets the last error through. Plausible wrong answers are rejected; other correct
ways pass."""

import time

import letta_client
import pytest

from letta_nb import exercises

from .conftest import stub


@pytest.fixture
def agent(new_agent):
    return new_agent()


def check(fn, client, agent):
    return exercises.check("14", fn, client=client, agent_id=agent.id)


def _loop(retry_if, *, tries=lambda attempts: attempts, final=lambda last: (_ for _ in ()).throw(last)):
    def with_retries(fn, attempts=3):
        last = None
        for _ in range(tries(attempts)):
            try:
                return fn()
            except letta_client.APIError as exc:
                if not retry_if(exc):
                    raise
                last = exc
        return final(last)
    return with_retries


def transient(exc):
    return isinstance(exc, letta_client.APIConnectionError) or (
        isinstance(exc, letta_client.APIStatusError) and (exc.status_code == 429 or exc.status_code >= 500))


def test_stub_is_not_yet(letta, agent):
    result = check(stub, letta, agent)
    assert not result and "NotImplementedError" in result.message and "APIConnectionError" in result.hint
    assert str(result).startswith("not yet")


def test_reference_solution_passes(letta, agent):
    result = check(exercises.load_solution("14")["with_retries"], letta, agent)
    assert result, str(result)


def test_a_backoff_and_a_recursive_version_pass_too(letta, agent):
    def with_retries(fn, attempts=3, delay=0.01):
        try:
            return fn()
        except (letta_client.APIConnectionError, letta_client.InternalServerError, letta_client.RateLimitError):
            if attempts <= 1:
                raise
            time.sleep(delay)
            return with_retries(fn, attempts - 1, delay * 2)

    result = check(with_retries, letta, agent)
    assert result, str(result)


def test_retrying_everything_is_not_yet(letta, agent):
    result = check(_loop(lambda exc: True), letta, agent)
    assert not result and "raise it at once" in result.message, str(result)


def test_retrying_only_connection_errors_is_not_yet(letta, agent):
    result = check(_loop(lambda exc: isinstance(exc, letta_client.APIConnectionError)), letta, agent)
    assert not result and "a 500 and then a 429" in result.message, str(result)


def test_forgetting_timeouts_is_not_yet(letta, agent):
    no_timeouts = _loop(lambda exc: transient(exc) and not isinstance(exc, letta_client.APITimeoutError))
    result = check(no_timeouts, letta, agent)
    assert not result and "then a timeout" in result.message, str(result)


def test_one_try_too_many_is_not_yet(letta, agent):
    result = check(_loop(transient, tries=lambda attempts: attempts + 1), letta, agent)
    assert not result and "4 times in all" in result.message, str(result)


def test_giving_up_quietly_is_not_yet(letta, agent):
    result = check(_loop(transient, final=lambda last: None), letta, agent)
    assert not result and "raise the last error" in result.message, str(result)


def test_wrapping_the_error_is_not_yet(letta, agent):
    def wrapped(fn, attempts=3):
        try:
            return _loop(transient)(fn, attempts)
        except letta_client.APIStatusError as exc:
            raise letta_client.APIStatusError(str(exc), response=exc.response, body=exc.body) from exc

    result = check(wrapped, letta, agent)
    assert not result and "unchanged" in result.message, str(result)
