"""Chapter 01: retrieve an agent, None for an unknown id, every other API error explained."""

from __future__ import annotations

import letta_client
from letta_client import Letta

from ..errors import LettaNbError
from . import NotYet, checker, require

UNKNOWN_ID = "agent-00000000-0000-4000-8000-000000000000"
NOBODY_HOME = "http://127.0.0.1:9"  # nothing listens on port 9 (discard)


@checker("01", hint="call client.agents.retrieve(agent_id); catch letta_client.NotFoundError and return None; for any "
                    "other letta_client.APIError, raise letta_nb.explain(exc)")
def check(safe_retrieve_agent, *, client, agent_id: str) -> str:
    found = safe_retrieve_agent(client, agent_id)
    require(found is not None, "a real agent id should give that agent back, not None")
    require(getattr(found, "id", None) == agent_id, f"expected the agent {agent_id} back, got {found!r:.80}")
    missing = safe_retrieve_agent(client, UNKNOWN_ID)
    require(missing is None, f"an id that no agent has should give None, got {missing!r:.80}")
    wrong = Letta(base_url=NOBODY_HOME, max_retries=0)
    try:
        answer = safe_retrieve_agent(wrong, agent_id)
    except LettaNbError:
        pass
    except letta_client.APIError as exc:
        raise NotYet(f"with no server at {NOBODY_HOME} your function let {type(exc).__name__} through: "
                     "turn it into letta_nb.explain(exc)") from None
    else:
        raise NotYet(f"with no server at {NOBODY_HOME} your function returned {answer!r:.80}: only an unknown id "
                     "means None; every other error should be raised as the LettaNbError of letta_nb.explain(exc)")
    finally:
        wrong.close()
    return "safe_retrieve_agent returns the agent, None for an unknown id, and explains every other error"
