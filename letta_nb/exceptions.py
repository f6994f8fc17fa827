"""The package's one exception, alone in a module so that everything (config included) can raise it."""


class LettaNbError(RuntimeError):
    """A problem the user can fix; the message says how."""
