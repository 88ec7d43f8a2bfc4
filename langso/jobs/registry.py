"""Job kinds: each app registers the handler that runs its kind of job (from its jobs.py)."""

from collections.abc import Callable
from typing import Any

Handler = Callable[[Any, "Progress"], dict]  # (job, progress) -> result
_HANDLERS: dict[str, Handler] = {}


class JobFailed(Exception):
    """A failure the user can act on; its message is shown as the job's error."""


class Progress:
    """Passed to handlers; see ``langso.jobs.runner.DbProgress`` for the stored one."""

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        raise NotImplementedError

    def log(self, line: str) -> None:
        raise NotImplementedError


def register(kind: str) -> Callable[[Handler], Handler]:
    def wrap(handler: Handler) -> Handler:
        if kind in _HANDLERS and _HANDLERS[kind] is not handler:
            raise ValueError(f"job kind {kind!r} registered twice")
        _HANDLERS[kind] = handler
        return handler

    return wrap


def handler_for(kind: str) -> Handler:
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise JobFailed(f"unknown job kind {kind!r}") from None
