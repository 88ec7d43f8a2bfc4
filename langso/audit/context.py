"""Where a change comes from (request, API call, command, job), kept in a context variable.

Services read it when they write an audit event, so no service needs a request argument and
commands and jobs are audited the same way as pages.
"""

import contextlib
import contextvars
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Origin:
    source: str = "cli"  # web | api | cli | job | admin
    request_id: str = ""
    ip_address: str | None = None


# Origin is a frozen dataclass, so one shared default instance is safe.
_origin: contextvars.ContextVar[Origin] = contextvars.ContextVar("langso_origin", default=Origin())  # noqa: B039


def current() -> Origin:
    return _origin.get()


@contextlib.contextmanager
def origin(source: str, *, ip_address: str | None = None) -> Iterator[Origin]:
    value = Origin(source=source, request_id=uuid.uuid4().hex, ip_address=ip_address)
    token = _origin.set(value)
    try:
        yield value
    finally:
        _origin.reset(token)


def set_source(source: str) -> None:
    """Relabel the current origin (e.g. the API marks requests the middleware saw as web)."""
    _origin.set(replace(_origin.get(), source=source))
