"""The local stack: a real Letta server on this machine, offline, which ``connect()`` uses when nothing else is set.

- :mod:`.stack`: ``Stack``, the one door: it installs the server's own environment and starts, checks and stops its
  services (PostgreSQL through :mod:`._serverdb`, Redis, the offline model, the Letta server through
  :mod:`._serverlaunch`), through one module per job: :mod:`.supervision` (processes), :mod:`.environment` (what the
  server starts with, a pure function), :mod:`.install` and :mod:`.status` (states and logs).
- :mod:`.offline`: the deterministic, keyless model endpoint (chat completions and embeddings).
- :mod:`.doctor`: ``letta-nb doctor``, what is wrong with this machine's set-up and how to fix it.

The rest of the package is the notebook toolkit (connect, display, turns, stream, widgets, client_tools, workshop);
it reaches this subpackage only to start or find the stack.
"""
