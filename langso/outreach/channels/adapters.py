"""The channel adapters: Zalo ZNS, brandname SMS, Facebook fanpage, email and webhook.

Pure: no Django. Each adapter is built from its settings (see `messaging.adapter_from_config`),
sends one `Message` and maps whatever happens (answer, error code, timeout, refused connection)
to a `SendResult`; none raises for a delivery problem. HTTP adapters keep one connection pool
each; call `close()` when a batch is done.
"""

import email.utils
import hashlib
import hmac
import json
import re
import smtplib
import ssl
import unicodedata
from dataclasses import asdict
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any, Self

import httpx

from langso.outreach.channels.messaging import (
    FAILED,
    RETRY,
    SENT,
    Message,
    SendResult,
    normalise_phone,
)

ZALO_ZNS_ENDPOINT = "https://business.openapi.zalo.me/message/template"
FACEBOOK_GRAPH_ENDPOINT = "https://graph.facebook.com/v19.0"

# --- HTTP answers ---------------------------------------------------------------------------


def _status_outcome(status: int) -> str:
    """HTTP status in, outcome out: 2xx sent; 408, 429 and 5xx temporary; other 4xx permanent."""
    if 200 <= status < 300:
        return SENT
    if status in (408, 429) or status >= 500:
        return RETRY
    return FAILED


def _retry_after(response: httpx.Response) -> float | None:
    """The Retry-After header (seconds or an HTTP date) in seconds from now, or None."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _json_dict(response: httpx.Response) -> dict[str, Any]:
    """The answer's JSON object, or {} when the body is not one."""
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _json_id(response: httpx.Response, name: str = "id") -> str | None:
    value = _json_dict(response).get(name)
    return None if value in (None, "") else str(value)


def _provider_message(response: httpx.Response) -> str:
    """The provider's own words about an error: a JSON message if there is one, else the body."""
    data = _json_dict(response)
    for name in ("message", "error_description", "detail", "error"):
        value = data.get(name)
        if isinstance(value, dict):
            value = value.get("message")
        if isinstance(value, str) and value:
            return value
    return response.text.strip()[:200] or response.reason_phrase


def _http_result(response: httpx.Response) -> SendResult:
    """A non-2xx answer as a result, outcome by status."""
    return SendResult(
        _status_outcome(response.status_code),
        error=f"HTTP {response.status_code}: {_provider_message(response)}",
        retry_after_s=_retry_after(response),
    )


def _checked_url(name: str, url: str) -> str:
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"setting {name!r} must be an http(s) URL, not {url!r}")
    return url


class _HttpChannel:
    """What the HTTP adapters share: a connection pool, and transport errors turned to results."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._client = httpx.Client(timeout=timeout)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _post(self, url: str, **kwargs: Any) -> httpx.Response | SendResult:
        """The provider's answer, or a result when there was none."""
        try:
            return self._client.post(url, **kwargs)
        except httpx.TimeoutException as exc:
            return SendResult(RETRY, error=f"no answer within {self.timeout:g} s ({exc!r})")
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            return SendResult(FAILED, error=f"bad endpoint URL {url!r}: {exc}")
        except httpx.HTTPError as exc:
            # Refused, reset or closed without an answer: the provider may be restarting.
            return SendResult(RETRY, error=f"connection error: {exc!r}")


def _invalid_phone(recipient: str) -> SendResult:
    return SendResult(
        FAILED, error=f"invalid recipient: {recipient!r} is not a Vietnamese mobile number"
    )


# --- Zalo Notification Service --------------------------------------------------------------

# ZNS answers HTTP 200 with {"error": <code>, "message": …}. These codes are temporary (the same
# request can succeed later, the message itself is fine) and give "retry"; every other non-zero
# code is permanent ("failed"), e.g. -108 phone invalid, -118 no Zalo account, -119 account
# cannot receive ZNS, -131 template not approved, -139/-141 the user refused ZNS.
# Codes come from Zalo's ZNS error table as published at developers.zalo.me and public
# integrations, which disagree in places; those marked ASSUMED were not checked against the
# current table and should be confirmed with a sandbox account before production.
ZALO_RETRY_CODES = {
    -32: "request rate exceeded",  # ASSUMED: Zalo OpenAPI's general rate-limit code
    -100: "unknown error on Zalo's side",  # ASSUMED transient
    -115: "ZNS account out of balance",  # lasts until someone tops up; attempt limit ends it
    # ZNS access tokens expire about every 25 h and a separate job refreshes the stored one;
    # the next attempt builds its adapter from the refreshed settings and goes through.
    -124: "access token invalid or expired",
    -133: "template may not be sent at night (22:00-06:00)",
    -144: "Official Account's daily quota exceeded",
    -147: "template's daily quota exceeded",
    -216: "quota exceeded or access token invalid",  # ASSUMED: sources disagree; both temporary
}


class ZaloZnsAdapter(_HttpChannel):
    """Zalo Notification Service: a template message to the Zalo account of a phone number.

    Settings: `access_token` (the Official Account's), `template_id` (an approved template with
    parameters `title` and `content`), `endpoint` (default ZALO_ZNS_ENDPOINT,
    https://business.openapi.zalo.me/message/template), `timeout` in seconds. Recipients are
    phones only: ZNS addresses people by phone, not by Zalo user id.
    """

    kind = "zalo"
    per_recipient = True

    def __init__(
        self,
        *,
        access_token: str,
        template_id: str,
        endpoint: str = ZALO_ZNS_ENDPOINT,
        timeout: float = 10.0,
    ) -> None:
        super().__init__(timeout)
        self.endpoint = _checked_url("endpoint", endpoint)
        self.access_token = access_token
        self.template_id = template_id

    def send(self, message: Message) -> SendResult:
        """POST the template message; Zalo's error code decides retry or failed."""
        phone = normalise_phone(message.recipient)
        if phone is None:
            return _invalid_phone(message.recipient)
        body = {
            "phone": phone,
            "template_id": self.template_id,
            "template_data": {"title": message.title, "content": message.text},
            "tracking_id": message.key,
        }
        response = self._post(self.endpoint, json=body, headers={"access_token": self.access_token})
        if isinstance(response, SendResult):
            return response
        if not response.is_success:
            return _http_result(response)
        data = _json_dict(response)
        try:
            code = int(data["error"])
        except (KeyError, TypeError, ValueError):
            # Accepted or not is unknown; retrying risks a duplicate rather than a silent loss.
            return SendResult(
                RETRY,
                error=f"HTTP {response.status_code}: unreadable answer {response.text[:200]!r}",
            )
        if code == 0:
            msg_id = (data.get("data") or {}).get("msg_id")
            return SendResult(SENT, provider_id=str(msg_id) if msg_id else None)
        return SendResult(
            RETRY if code in ZALO_RETRY_CODES else FAILED,
            error=f"HTTP {response.status_code}: Zalo error {code}: {data.get('message') or '-'}",
        )


# --- Brandname SMS --------------------------------------------------------------------------

# GSM 03.38 default alphabet; the extension characters take two septets (escape + char).
_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENSION = frozenset("^{}\\[~]|€\f")
# Vietnamese letters lose their marks by decomposition; đ has none to lose, and typographic
# punctuation would otherwise force the whole SMS into UCS-2 (70 characters a segment).
_TO_ASCII = str.maketrans(
    {"đ": "d", "Đ": "D", "“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"}
    | {"…": "...", "\u00a0": " ", "\t": " "}
)


def to_ascii(text: str) -> str:
    """Vietnamese text in ("Thông báo: đường Đồng Khởi"), the same without diacritics out
    ("Thong bao: duong Dong Khoi"), as Vietnamese SMS are usually sent."""
    decomposed = unicodedata.normalize("NFD", text.translate(_TO_ASCII))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def sms_text(
    title: str,
    text: str,
    link: str | None = None,
    *,
    max_segments: int = 3,
    ascii_only: bool = True,
) -> str:
    """An announcement in, the SMS body out: title and text on their own lines, the link last,
    without diacritics if `ascii_only`. Text that would need more than `max_segments`
    concatenated segments (153 GSM-7 characters each, 67 if it needs UCS-2) is cut and ends in
    "..." before the link, so the link stays whole."""
    body = f"{title}\n{text}" if title else text
    tail = f"\n{link}" if link else ""
    if ascii_only:
        body, tail = to_ascii(body), to_ascii(tail)
    gsm = all(ch in _GSM_BASIC or ch in _GSM_EXTENSION for ch in body + tail)
    single, per_segment = (160, 153) if gsm else (70, 67)

    def width(ch: str) -> int:
        if gsm:
            return 2 if ch in _GSM_EXTENSION else 1
        return 2 if ord(ch) > 0xFFFF else 1  # UTF-16 surrogate pair

    total = sum(map(width, body + tail))
    budget = single if max_segments <= 1 else per_segment * max_segments
    if total <= max(single, budget):
        return body + tail
    room = budget - sum(map(width, tail)) - 3
    if room <= 0:
        tail, room = "", budget - 3
    used = cut = 0
    for index, ch in enumerate(body):
        used += width(ch)
        if used > room:
            break
        cut = index + 1
    return body[:cut].rstrip() + "..." + tail


class SmsGatewayAdapter(_HttpChannel):
    """A Vietnamese brandname SMS gateway speaking JSON.

    Settings: `endpoint` (the gateway's send URL), `api_key` (sent as a Bearer token),
    `brandname` (the registered sender name), `timeout`, `max_segments` (default 3) and
    `strip_diacritics` (default True). POSTs {"to", "brandname", "message", "request_id"}; any
    2xx is accepted, and the JSON "id" of the answer is the provider id.
    """

    kind = "sms"
    per_recipient = True

    def __init__(
        self,
        *,
        endpoint: str,
        api_key: str,
        brandname: str,
        timeout: float = 10.0,
        max_segments: int = 3,
        strip_diacritics: bool = True,
    ) -> None:
        super().__init__(timeout)
        if max_segments < 1:
            raise ValueError("setting 'max_segments' must be at least 1")
        self.endpoint = _checked_url("endpoint", endpoint)
        self.api_key = api_key
        self.brandname = brandname
        self.max_segments = max_segments
        self.strip_diacritics = strip_diacritics

    def send(self, message: Message) -> SendResult:
        """POST one SMS; outcome by HTTP status."""
        phone = normalise_phone(message.recipient)
        if phone is None:
            return _invalid_phone(message.recipient)
        text = sms_text(
            message.title,
            message.text,
            message.link,
            max_segments=self.max_segments,
            ascii_only=self.strip_diacritics,
        )
        body = {
            "to": phone,
            "brandname": self.brandname,
            "message": text,
            "request_id": message.key,
        }
        headers = {"Authorization": f"Bearer {self.api_key}", "Idempotency-Key": message.key}
        response = self._post(self.endpoint, json=body, headers=headers)
        if isinstance(response, SendResult):
            return response
        if not response.is_success:
            return _http_result(response)
        return SendResult(SENT, provider_id=_json_id(response))


# --- Facebook fanpage -----------------------------------------------------------------------

# Graph API error codes that Meta documents as temporary: 1 unknown and 2 service (downtime),
# 4 app, 17 user, 32 page and 613 custom rate limits. Errors flagged "is_transient" also retry.
FACEBOOK_RETRY_CODES = frozenset({1, 2, 4, 17, 32, 613})


class FacebookPageAdapter(_HttpChannel):
    """A post on the commune's fanpage, once per announcement.

    Settings: `page_id`, `page_access_token`, `endpoint` (default FACEBOOK_GRAPH_ENDPOINT,
    https://graph.facebook.com/v19.0), `timeout`. The Graph API takes no idempotency key, so
    a retry after a timeout may post twice.
    """

    kind = "facebook"
    per_recipient = False

    def __init__(
        self,
        *,
        page_id: str,
        page_access_token: str,
        endpoint: str = FACEBOOK_GRAPH_ENDPOINT,
        timeout: float = 10.0,
    ) -> None:
        super().__init__(timeout)
        self.endpoint = _checked_url("endpoint", endpoint).rstrip("/")
        self.page_id = page_id
        self.page_access_token = page_access_token

    def send(self, message: Message) -> SendResult:
        """POST /{page_id}/feed with the message (title, blank line, text) and link."""
        form = {
            "message": f"{message.title}\n\n{message.text}" if message.title else message.text,
            "access_token": self.page_access_token,
        }
        if message.link:
            form["link"] = message.link
        response = self._post(f"{self.endpoint}/{self.page_id}/feed", data=form)
        if isinstance(response, SendResult):
            return response
        if response.is_success:
            return SendResult(SENT, provider_id=_json_id(response))
        error = _json_dict(response).get("error")
        if not isinstance(error, dict):
            return _http_result(response)
        code = error.get("code")
        temporary = code in FACEBOOK_RETRY_CODES or error.get("is_transient") is True
        outcome = RETRY if temporary else _status_outcome(response.status_code)
        return SendResult(
            outcome,
            error=(
                f"HTTP {response.status_code}: Facebook error {code}: {error.get('message') or '-'}"
            ),
            retry_after_s=_retry_after(response),
        )


# --- Email ----------------------------------------------------------------------------------

_EMAIL_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _smtp_result(code: int, reply: bytes | str) -> SendResult:
    """An SMTP refusal in: 4xx is temporary (greylisting, full mailbox), the rest permanent."""
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return SendResult(RETRY if 400 <= code < 500 else FAILED, error=f"SMTP {code}: {text}")


class EmailAdapter:
    """A plain-text UTF-8 email through an SMTP server, one connection per message.

    Settings: `host`, `sender` ("UBND xã … <thongbao@example.vn>"), `port` (default 587),
    `to` (fixed addresses, comma-separated, e.g. a mailing list: then the channel sends once
    per announcement instead of once per resident), `username` and `password` (login only if a
    username is set), `use_tls` (STARTTLS, default True), `use_ssl` (TLS from the first byte,
    usually port 465), `timeout`. The Message-ID is derived from the message key, so a message
    sent twice carries the same id.
    """

    kind = "email"

    def __init__(
        self,
        *,
        host: str,
        sender: str,
        port: int = 587,
        to: str | None = None,
        username: str | None = None,
        password: str | None = None,
        use_tls: bool = True,
        use_ssl: bool = False,
        timeout: float = 10.0,
    ) -> None:
        if use_tls and use_ssl:
            raise ValueError("settings 'use_tls' and 'use_ssl' exclude each other")
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password = username, password
        self.use_tls, self.use_ssl, self.timeout = use_tls, use_ssl, timeout
        address = email.utils.parseaddr(sender)[1]
        if "@" not in address:
            raise ValueError(f"setting 'sender' must hold an email address, not {sender!r}")
        self._domain = address.rpartition("@")[2]
        self.to = [a.strip() for a in (to or "").split(",") if a.strip()]
        bad = [a for a in self.to if not _EMAIL_ADDRESS.fullmatch(a)]
        if bad:
            raise ValueError(f"setting 'to' holds an invalid address: {bad[0]!r}")
        self.per_recipient = not self.to

    def recipients(self, message: Message) -> list[str]:
        """Where a message goes: its own recipient, or the fixed `to` addresses if it has none."""
        return [message.recipient] if message.recipient else list(self.to)

    def close(self) -> None:
        """Nothing held between messages."""

    def compose(self, message: Message) -> EmailMessage:
        """The email for one message: subject from the title, text and link as the body."""
        mail = EmailMessage()
        mail["Subject"] = " ".join(message.title.split())  # a line break would end the header
        mail["From"] = self.sender
        mail["To"] = ", ".join(self.recipients(message))
        mail["Date"] = email.utils.formatdate(usegmt=True)
        digest = hashlib.sha256(message.key.encode()).hexdigest()[:32]
        mail["Message-ID"] = f"<{digest}@{self._domain}>"
        if message.priority != "normal":
            mail["X-Priority"] = "1"
            mail["Importance"] = "high"
        body = f"{message.text}\n\n{message.link}" if message.link else message.text
        mail.set_content(body, charset="utf-8", cte="quoted-printable")
        return mail

    def send(self, message: Message) -> SendResult:
        """Hand the email to the SMTP server; outcome by its reply code."""
        recipients = self.recipients(message)
        if not recipients or not all(_EMAIL_ADDRESS.fullmatch(r) for r in recipients):
            return SendResult(FAILED, error=f"invalid recipient: {message.recipient!r}")
        mail = self.compose(message)
        try:
            if self.use_ssl:
                context = ssl.create_default_context()
                smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        except OSError as exc:
            return SendResult(RETRY, error=f"cannot reach {self.host}:{self.port}: {exc!r}")
        # smtplib's exceptions are OSErrors too: the specific ones must come first.
        try:
            if self.use_tls:
                smtp.starttls(context=ssl.create_default_context())
            if self.username:
                smtp.login(self.username, self.password or "")
            refused = smtp.send_message(mail)
        except smtplib.SMTPRecipientsRefused as exc:
            return _smtp_result(*next(iter(exc.recipients.values())))
        except smtplib.SMTPResponseException as exc:
            return _smtp_result(exc.smtp_code, exc.smtp_error)
        except smtplib.SMTPServerDisconnected as exc:
            return SendResult(RETRY, error=f"SMTP server disconnected: {exc}")
        except smtplib.SMTPException as exc:
            return SendResult(FAILED, error=f"SMTP: {exc}")
        except UnicodeError as exc:
            # smtplib sends credentials and addresses as ASCII only.
            return SendResult(FAILED, error=f"SMTP: login or address is not ASCII ({exc.reason})")
        except OSError as exc:
            return SendResult(RETRY, error=f"SMTP connection error: {exc!r}")
        finally:
            try:
                smtp.quit()
            except OSError:
                smtp.close()
        # Some of several fixed addresses refused: the others have it, so it is not resent.
        note = f"refused for {', '.join(sorted(refused))}" if refused else None
        return SendResult(SENT, provider_id=mail["Message-ID"], error=note)


# --- Webhook --------------------------------------------------------------------------------


def webhook_signature(secret: str, body: bytes) -> str:
    """The X-Langso-Signature value for a body: "sha256=" and the hex HMAC-SHA256 with secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookAdapter(_HttpChannel):
    """A signed JSON POST of the whole message to a partner system, once per announcement.

    Settings: `url`, `secret` (for the HMAC signature), `timeout`. The receiver checks
    X-Langso-Signature against the raw body and deduplicates on Idempotency-Key.
    """

    kind = "webhook"
    per_recipient = False

    def __init__(self, *, url: str, secret: str, timeout: float = 10.0) -> None:
        super().__init__(timeout)
        self.url = _checked_url("url", url)
        self.secret = secret

    def send(self, message: Message) -> SendResult:
        """POST the message as JSON; outcome by HTTP status."""
        body = json.dumps(asdict(message), ensure_ascii=False, sort_keys=True).encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": message.key,
            "X-Langso-Signature": webhook_signature(self.secret, body),
        }
        response = self._post(self.url, content=body, headers=headers)
        if isinstance(response, SendResult):
            return response
        if response.is_success:
            return SendResult(SENT, provider_id=_json_id(response))
        return _http_result(response)
