"""Sending announcements (thông báo của xã) to residents: the channel interface and its rules.

Pure: no Django, no database. A channel adapter takes one `Message` and returns one `SendResult`;
it never raises for a delivery problem, so the outbox job that calls it only has to look at
`outcome` ("sent", "retry" or "failed") and, for "retry", schedule the next attempt with
`next_attempt_delay`. The five adapters live in `langso.outreach.channels.adapters`;
`adapter_from_config` builds one from the settings stored for a commune's channel.
"""

import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

SENT = "sent"
RETRY = "retry"
FAILED = "failed"
OUTCOMES = (SENT, RETRY, FAILED)
PRIORITIES = ("normal", "priority", "emergency")


@dataclass(frozen=True)
class Message:
    """One announcement for one recipient on one channel.

    `key` is the idempotency key, unique per announcement × recipient × channel; adapters pass it
    to providers that deduplicate on one, so a retry after a timeout does not send twice.
    `recipient` is a phone (0912345678, +84912345678), an email address, or "" for channels that
    post once per announcement (fanpage, webhook). `priority` is one of `PRIORITIES`.
    """

    key: str
    recipient: str
    title: str
    text: str
    link: str | None = None
    priority: str = "normal"


@dataclass(frozen=True)
class SendResult:
    """What became of one send: `outcome` is "sent" (the provider accepted it), "retry"
    (temporary: timeout, connection error, rate limit, provider fault) or "failed" (permanent:
    bad recipient, rejected request). `error` is readable English with the HTTP or SMTP status
    and the provider's own message; `retry_after_s` is the wait the provider asked for, if any.
    """

    outcome: str
    provider_id: str | None = None
    error: str | None = None
    retry_after_s: float | None = None


class ChannelAdapter(Protocol):
    """A way of reaching residents. `per_recipient` is False for channels that send once per
    announcement (a fanpage post, a webhook) rather than once per resident."""

    kind: str
    per_recipient: bool

    def send(self, message: Message) -> SendResult:
        """Deliver one message; delivery problems come back as a result, never as an exception."""
        ...

    def close(self) -> None:
        """Release connections held between sends (safe to call more than once)."""
        ...


# --- Phones ---------------------------------------------------------------------------------

_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
# Mobile prefixes after the 2018 renumbering: 03x, 05x, 07x, 08x, 09x (10 digits with the 0).
_VN_MOBILE = re.compile(r"[35789]\d{8}")


def normalise_phone(text: str | None) -> str | None:
    """A Vietnamese mobile number as written by people ("0912 345 678", "+84 912.345.678",
    "84912345678", "0084912345678", and "+84 0912…" with the 0 kept by mistake) in, the
    international form without "+" ("84912345678") out; None if it is not a Vietnamese mobile.
    """
    if not text:
        return None
    digits = _PHONE_SEPARATORS.sub("", text.strip())
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("00"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = "84" + digits[1:]
    if not digits.startswith("84"):
        return None
    national = digits[2:]
    if len(national) == 10 and national.startswith("0"):
        national = national[1:]
    return "84" + national if _VN_MOBILE.fullmatch(national) else None


# --- Pacing ---------------------------------------------------------------------------------


class RateLimiter:
    """Token bucket: up to `burst` sends at once, refilled at `rate_per_minute`.

    `clock` (seconds, monotonic) and `sleep` are injectable so tests run on a fake clock.
    Thread-safe: several workers may share one limiter per provider account.
    """

    def __init__(
        self,
        rate_per_minute: float,
        burst: int = 1,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate_per_minute <= 0:
            raise ValueError("rate_per_minute must be positive")
        if burst < 1:
            raise ValueError("burst must be at least 1")
        self.rate_per_s = rate_per_minute / 60.0
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._tokens = float(burst)
        self._updated = clock()
        self._lock = threading.Lock()

    def _take(self) -> float:
        """Take a token if one is there (returns 0) or say how long until one is (seconds)."""
        with self._lock:
            now = self._clock()
            elapsed = max(0.0, now - self._updated)
            self._tokens = min(self.burst, self._tokens + elapsed * self.rate_per_s)
            self._updated = now
            # The tolerance keeps float rounding from adding a second, vanishing wait.
            if self._tokens >= 1.0 - 1e-9:
                self._tokens = max(0.0, self._tokens - 1.0)
                return 0.0
            return (1.0 - self._tokens) / self.rate_per_s

    def try_acquire(self) -> bool:
        """True and one send allowed now, or False without waiting."""
        return self._take() == 0.0

    def acquire(self) -> float:
        """Wait until one send is allowed; returns the seconds waited."""
        waited = 0.0
        while (wait := self._take()) > 0.0:
            # Sleep outside the lock, then compete again: another worker may have taken it.
            self._sleep(wait)
            waited += wait
        return waited


def next_attempt_delay(
    attempt: int,
    *,
    base_s: float = 30.0,
    cap_s: float = 3600.0,
    retry_after_s: float | None = None,
    jitter: Callable[[], float] | None = None,
) -> float:
    """Seconds to wait before attempt number `attempt + 1`, after `attempt` (1, 2, …) failed
    with outcome "retry": base_s, 2·base_s, 4·base_s … up to cap_s. With `jitter` (a callable
    returning a number in [0, 1), e.g. random.random) the delay is spread over its upper half
    so that many retries do not fall due together. A provider's Retry-After wins when it is
    longer, even beyond cap_s: sending before it is only refused again.
    """
    if attempt < 1:
        raise ValueError("attempt counts from 1")
    delay = min(cap_s, base_s * 2.0 ** min(attempt - 1, 64))
    if jitter is not None:
        delay = delay / 2 + delay / 2 * jitter()
    if retry_after_s is not None and retry_after_s > delay:
        delay = retry_after_s
    return delay


# --- Configuration --------------------------------------------------------------------------

# kind (as stored on the Channel model): (adapter class name, required settings, optional
# settings with their types)
_SETTINGS: dict[str, tuple[str, tuple[str, ...], dict[str, type]]] = {
    "zalo": (
        "ZaloZnsAdapter",
        ("access_token", "template_id"),
        {"endpoint": str, "timeout": float},
    ),
    "sms": (
        "SmsGatewayAdapter",
        ("endpoint", "api_key", "brandname"),
        {"timeout": float, "max_segments": int, "strip_diacritics": bool},
    ),
    "facebook": (
        "FacebookPageAdapter",
        ("page_id", "page_access_token"),
        {"endpoint": str, "timeout": float},
    ),
    "email": (
        "EmailAdapter",
        ("host", "sender"),
        {
            "port": int,
            "to": str,
            "username": str,
            "password": str,
            "use_tls": bool,
            "use_ssl": bool,
            "timeout": float,
        },
    ),
    "webhook": ("WebhookAdapter", ("url", "secret"), {"timeout": float}),
}
CHANNEL_KINDS = tuple(_SETTINGS)


def adapter_from_config(kind: str, config: Mapping[str, Any]) -> ChannelAdapter:
    """A channel kind (one of `CHANNEL_KINDS`) and its settings in, a ready adapter out.

    Raises ValueError naming the unknown kind, the missing setting or the unrecognised one
    (a misspelt setting would otherwise silently fall back to its default).
    """
    if kind not in _SETTINGS:
        raise ValueError(f"unknown channel kind {kind!r}; expected one of {', '.join(_SETTINGS)}")
    class_name, required, optional = _SETTINGS[kind]
    missing = [name for name in required if config.get(name) in (None, "")]
    if missing:
        raise ValueError(f"{kind} channel: missing setting {missing[0]!r}")
    unknown = sorted(set(config) - set(required) - set(optional))
    if unknown:
        raise ValueError(f"{kind} channel: unknown setting {unknown[0]!r}")
    kwargs: dict[str, Any] = {name: str(config[name]) for name in required}
    for name, type_ in optional.items():
        if config.get(name) is not None:
            kwargs[name] = _coerce(kind, name, config[name], type_)
    # Imported here because the adapters module imports this one for Message and SendResult.
    import langso.outreach.channels.adapters as adapters  # by full name: a pure-module import

    return getattr(adapters, class_name)(**kwargs)


def _coerce(kind: str, name: str, value: Any, type_: type) -> Any:
    """A setting as stored (settings forms and env vars give strings) in, the typed value out."""
    if type_ is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off", ""):
            return False
        raise ValueError(f"{kind} channel: setting {name!r} must be true or false, not {value!r}")
    try:
        return type_(value)
    except (TypeError, ValueError):
        raise ValueError(
            f"{kind} channel: setting {name!r} must be {type_.__name__}, not {value!r}"
        ) from None
