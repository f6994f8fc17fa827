"""The package's exceptions, alone in a module so that everything (config included) can raise them.

Every one is a :class:`LettaNbError` (a ``RuntimeError``) whose message says what to do; the subclass says what
happened, so a caller can tell a lost run from a stack that is down without reading the message::

    class                       when                                                   what to do
    LettaNbError                the base: a usage mistake, or a status with no class   read the message
                                of its own (409, 429, ...)
    ├── ServerUnreachable       no answer at all: wrong URL, server down               `letta-nb up`, or LETTA_BASE_URL
    │   ├── ServerTimeout       no answer in time (a connection failure, as in the     stream with pings, or a longer
    │   │                       SDK)                                                   timeout
    │   └── StackNotRunning     connect(start=False) and the local stack is down       `letta-nb up`
    ├── KeyRejected             401, 403: a wrong key, or not this project's           LETTA_API_KEY
    ├── NotFound                404, or no agent has the name asked for                check the id, name or handle
    ├── InvalidRequest          400, 422: the server refused the body                  fix the fields it names
    ├── ApprovalPending         the agent waits for an answer to a tool call (409,     approve, deny or answer that call
    │                           or the same refusal inside a stream)
    ├── ServerFailed            5xx                                                    `letta-nb status`, the server's log
    ├── RunFailed               the run failed on the server (an error in the stream)  the run and the server's log
    ├── RunLost                 the server stopped while a background run ran          send the message again
    └── StreamCut               the connection dropped while a reply streamed          `letta-nb status`; resume a
                                                                                       background run

``status_code`` is the HTTP status the server answered (None when there was no answer, or no request), and
``original`` the SDK or httpx exception it was translated from (None for one raised by letta_nb itself).
``original`` rather than ``__cause__``: translations are raised ``from None``, so that a traceback shows one
sentence, not the SDK's error above it.
"""

from __future__ import annotations


class LettaNbError(RuntimeError):
    """A problem the user can fix; the message says how."""

    def __init__(self, message: str = "", *, status_code: int | None = None, original: BaseException | None = None):
        super().__init__(message)
        self.status_code = status_code
        self.original = original


class ServerUnreachable(LettaNbError):
    """The server did not answer at all."""


class ServerTimeout(ServerUnreachable):
    """The server did not answer in time."""


class StackNotRunning(ServerUnreachable):
    """The local stack is not running and was not to be started."""


class KeyRejected(LettaNbError):
    """The server refused the API key (401) or this key's access to the resource (403)."""


class NotFound(LettaNbError):
    """No such agent, tool, block, handle, ... on this server."""


class InvalidRequest(LettaNbError):
    """The server refused the request's body (400, 422)."""


class ApprovalPending(LettaNbError):
    """The agent waits for an answer to a tool call and takes no new message until it has one."""


class ServerFailed(LettaNbError):
    """The server failed on the request (5xx)."""


class RunFailed(LettaNbError):
    """The agent's run failed on the server; the stream reported it."""


class RunLost(LettaNbError):
    """The server stopped while the run ran: it will never finish."""


class StreamCut(LettaNbError):
    """The connection dropped while a reply streamed."""
