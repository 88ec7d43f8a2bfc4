"""Channel adapters against local stand-in providers: the requests they make and how they read
the answers. HTTP providers are a ThreadingHTTPServer, the mail server a line-based SMTP responder.
"""

import base64
import email
import email.policy
import hashlib
import hmac
import json
import socket
import socketserver
import threading
import time
import urllib.parse
from collections import deque
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from langso.outreach.channels.adapters import (
    EmailAdapter,
    FacebookPageAdapter,
    SmsGatewayAdapter,
    WebhookAdapter,
    ZaloZnsAdapter,
    sms_text,
    to_ascii,
)
from langso.outreach.channels.messaging import (
    Message,
    RateLimiter,
    SendResult,
    adapter_from_config,
    next_attempt_delay,
    normalise_phone,
)

MESSAGE = Message(
    key="ann-7:hh-42:sms",
    recipient="0912 345 678",
    title="Thông báo tiêm chủng",
    text="Đề nghị các hộ đưa trẻ đến Trạm y tế xã lúc 8 giờ sáng thứ Hai.",
    link="https://xa.example.vn/tb/7",
    priority="priority",
)

# --- Stand-in HTTP provider -----------------------------------------------------------------


@dataclass
class Reply:
    status: int = 200
    body: object = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    hang_up: bool = False  # close the connection without answering


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(self.body.decode()))


class Provider:
    """Records each request and answers with the scripted replies in order (then 200 {})."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.requests: list[Request] = []
        self.replies: deque[Reply] = deque()

    def script(self, *replies: Reply) -> None:
        self.replies.extend(replies)


class _ProviderHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        provider: Provider = self.server.provider
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        headers = {name.lower(): value for name, value in self.headers.items()}
        provider.requests.append(Request(self.path, headers, body))
        reply = provider.replies.popleft() if provider.replies else Reply()
        if reply.hang_up:
            return
        time.sleep(reply.delay_s)
        payload = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
        try:
            self.send_response(reply.status)
            for name, value in {"Content-Type": "application/json", **reply.headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            pass  # the client gave up waiting

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def provider():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ProviderHandler)
    server.provider = Provider(f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield server.provider
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def sms(provider):
    with SmsGatewayAdapter(
        endpoint=provider.url + "/send", api_key="k-123", brandname="UBND XA", timeout=0.3
    ) as adapter:
        yield adapter


@pytest.fixture
def zalo(provider):
    with ZaloZnsAdapter(
        endpoint=provider.url + "/message/template", access_token="zt-1", template_id="2468"
    ) as adapter:
        yield adapter


@pytest.fixture
def fanpage(provider):
    with FacebookPageAdapter(
        endpoint=provider.url + "/v19.0", page_id="1001", page_access_token="pt-9"
    ) as adapter:
        yield adapter


@pytest.fixture
def webhook(provider):
    with WebhookAdapter(url=provider.url + "/hook", secret="s3cret", timeout=0.3) as adapter:
        yield adapter


# --- Phones ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "0912345678",
        "0912 345 678",
        "0912.345.678",
        "091-234-5678",
        "+84912345678",
        "+84 912 345 678",
        "84912345678",
        "0084912345678",
        "+84 0912345678",
        " (091) 2345678 ",
    ],
)
def test_normalise_phone_gives_international_form_without_plus(text):
    assert normalise_phone(text) == "84912345678"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0321234567", "84321234567"), ("0561234567", "84561234567"), ("0701234567", "84701234567")],
)
def test_normalise_phone_accepts_every_mobile_prefix(text, expected):
    assert normalise_phone(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        None,
        "02438123456",  # Hà Nội landline
        "0212345678",  # 02x is landline
        "01912345678",  # pre-2018 11-digit mobile
        "091234567",  # too short
        "09123456789",  # too long
        "+85512345678",  # Cambodia
        "0912a45678",
        "zalo-user-884422",
    ],
)
def test_normalise_phone_rejects_what_is_not_a_vietnamese_mobile(text):
    assert normalise_phone(text) is None


# --- Rate limiter and backoff ---------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_rate_limiter_allows_the_burst_at_once_then_refuses():
    clock = FakeClock()
    limiter = RateLimiter(rate_per_minute=60, burst=3, clock=clock, sleep=clock.sleep)
    assert [limiter.try_acquire() for _ in range(4)] == [True, True, True, False]


def test_rate_limiter_refills_at_the_configured_rate():
    clock = FakeClock()
    limiter = RateLimiter(rate_per_minute=30, burst=1, clock=clock, sleep=clock.sleep)
    assert limiter.try_acquire()
    clock.now += 1.9
    assert not limiter.try_acquire()
    clock.now += 0.1
    assert limiter.try_acquire()


def test_rate_limiter_refill_stops_at_burst():
    clock = FakeClock()
    limiter = RateLimiter(rate_per_minute=60, burst=2, clock=clock, sleep=clock.sleep)
    clock.now += 3600
    assert [limiter.try_acquire() for _ in range(3)] == [True, True, False]


def test_rate_limiter_acquire_sleeps_until_the_next_token():
    clock = FakeClock()
    limiter = RateLimiter(rate_per_minute=120, burst=1, clock=clock, sleep=clock.sleep)
    assert limiter.acquire() == 0.0
    assert limiter.acquire() == pytest.approx(0.5)
    assert clock.sleeps == [pytest.approx(0.5)]


@pytest.mark.parametrize(("rate", "burst"), [(0, 1), (-5, 1), (60, 0)])
def test_rate_limiter_rejects_impossible_settings(rate, burst):
    with pytest.raises(ValueError, match=r"rate_per_minute|burst"):
        RateLimiter(rate_per_minute=rate, burst=burst)


@pytest.mark.parametrize(("attempt", "expected"), [(1, 30), (2, 60), (3, 120), (5, 480)])
def test_backoff_doubles_from_the_base(attempt, expected):
    assert next_attempt_delay(attempt) == expected


def test_backoff_stops_at_the_cap():
    assert next_attempt_delay(8) == 3600
    assert next_attempt_delay(10_000) == 3600


def test_backoff_honours_a_longer_retry_after_even_beyond_the_cap():
    assert next_attempt_delay(1, retry_after_s=90) == 90
    assert next_attempt_delay(20, retry_after_s=7200) == 7200


def test_backoff_ignores_a_shorter_retry_after():
    assert next_attempt_delay(3, retry_after_s=5) == 120


def test_backoff_jitter_spreads_over_the_upper_half():
    assert next_attempt_delay(2, jitter=lambda: 0.0) == 30
    assert next_attempt_delay(2, jitter=lambda: 0.5) == 45


def test_backoff_counts_attempts_from_one():
    with pytest.raises(ValueError, match="from 1"):
        next_attempt_delay(0)


# --- SMS text -------------------------------------------------------------------------------


def test_to_ascii_removes_vietnamese_diacritics_including_d_bar():
    assert to_ascii("Đường Nguyễn Trãi, phường Ưng Hòa – đợt 2") == (
        "Duong Nguyen Trai, phuong Ung Hoa - dot 2"
    )


def test_sms_text_keeps_a_short_message_whole():
    assert (
        sms_text("Họp thôn", "Tối nay 19h", "https://x.vn/1")
        == "Hop thon\nToi nay 19h\nhttps://x.vn/1"
    )


@pytest.mark.parametrize("max_segments", [1, 2, 3])
def test_sms_text_cuts_long_text_to_the_segment_budget_keeping_the_link(max_segments):
    budget = 160 if max_segments == 1 else 153 * max_segments
    text = sms_text("Tieu de", "a " * 400, "https://x.vn/1", max_segments=max_segments)
    assert len(text) <= budget
    assert len(text) > budget - 5
    assert text.endswith("...\nhttps://x.vn/1")


def test_sms_text_counts_ucs2_segments_when_diacritics_are_kept():
    text = sms_text("Thông báo", "Nội dung " * 50, None, max_segments=2, ascii_only=False)
    assert len(text) <= 2 * 67
    assert text.endswith("...")


def test_sms_text_counts_gsm_extension_characters_twice():
    text = sms_text("", "[]" * 200, None, max_segments=1)
    assert len(text) == 3 + (160 - 3) // 2
    assert text.endswith("...")


# --- Zalo ZNS -------------------------------------------------------------------------------


def test_zalo_sends_template_with_phone_in_84_form_token_header_and_tracking_id(provider, zalo):
    zalo.send(MESSAGE)
    [request] = provider.requests
    assert request.path == "/message/template"
    assert request.headers["access_token"] == "zt-1"
    assert request.json() == {
        "phone": "84912345678",
        "template_id": "2468",
        "template_data": {"title": MESSAGE.title, "content": MESSAGE.text},
        "tracking_id": MESSAGE.key,
    }


def test_zalo_error_zero_is_sent_with_msg_id(provider, zalo):
    provider.script(Reply(body={"error": 0, "message": "Success", "data": {"msg_id": "a1b2"}}))
    assert zalo.send(MESSAGE) == SendResult("sent", provider_id="a1b2")


@pytest.mark.parametrize("code", [-108, -118, -131, -141])
def test_zalo_permanent_error_code_fails_with_code_and_message(provider, zalo, code):
    provider.script(Reply(body={"error": code, "message": "Phone number invalid"}))
    result = zalo.send(MESSAGE)
    assert result.outcome == "failed"
    assert f"Zalo error {code}" in result.error
    assert "Phone number invalid" in result.error
    assert "HTTP 200" in result.error


@pytest.mark.parametrize("code", [-32, -100, -115, -124, -133, -144, -147, -216])
def test_zalo_temporary_error_code_is_retried(provider, zalo, code):
    provider.script(Reply(body={"error": code, "message": "exceeded"}))
    assert zalo.send(MESSAGE).outcome == "retry"


def test_zalo_unreadable_answer_is_retried(provider, zalo):
    provider.script(Reply(body=b"<html>gateway</html>"))
    assert zalo.send(MESSAGE).outcome == "retry"


def test_zalo_server_error_is_retried(provider, zalo):
    provider.script(Reply(status=502, body={"message": "bad gateway"}))
    result = zalo.send(MESSAGE)
    assert (result.outcome, result.error) == ("retry", "HTTP 502: bad gateway")


def test_zalo_refuses_a_recipient_that_is_no_phone_without_calling(provider, zalo):
    result = zalo.send(Message(key="k", recipient="1234567890123", title="t", text="x"))
    assert result.outcome == "failed"
    assert "invalid recipient" in result.error
    assert provider.requests == []


# --- SMS gateway ----------------------------------------------------------------------------


def test_sms_posts_without_diacritics_with_bearer_key_and_idempotency_key(provider, sms):
    sms.send(MESSAGE)
    [request] = provider.requests
    assert request.path == "/send"
    assert request.headers["authorization"] == "Bearer k-123"
    assert request.headers["idempotency-key"] == MESSAGE.key
    assert request.json() == {
        "to": "84912345678",
        "brandname": "UBND XA",
        "message": "Thong bao tiem chung\nDe nghi cac ho dua tre den Tram y te xa luc 8 gio sang "
        "thu Hai.\nhttps://xa.example.vn/tb/7",
        "request_id": MESSAGE.key,
    }


def test_sms_keeps_diacritics_when_asked(provider):
    with SmsGatewayAdapter(
        endpoint=provider.url, api_key="k", brandname="B", strip_diacritics=False
    ) as adapter:
        adapter.send(MESSAGE)
    assert provider.requests[0].json()["message"].startswith("Thông báo tiêm chủng\nĐề nghị")


def test_sms_long_text_stays_within_max_segments(provider):
    with SmsGatewayAdapter(endpoint=provider.url, api_key="k", brandname="B", max_segments=2) as a:
        a.send(Message(key="k", recipient="0912345678", title="T", text="x" * 1000))
    text = provider.requests[0].json()["message"]
    assert len(text) == 306
    assert text.endswith("...")


def test_sms_success_is_sent_with_provider_id(provider, sms):
    provider.script(Reply(status=202, body={"id": 98765}))
    assert sms.send(MESSAGE) == SendResult("sent", provider_id="98765")


def test_sms_rate_limited_is_retried_after_the_providers_wait(provider, sms):
    provider.script(
        Reply(status=429, body={"message": "slow down"}, headers={"Retry-After": "120"})
    )
    result = sms.send(MESSAGE)
    assert (result.outcome, result.retry_after_s) == ("retry", 120.0)
    assert result.error == "HTTP 429: slow down"


def test_sms_retry_after_as_http_date_is_read_as_seconds_from_now(provider, sms):
    later = email.utils.formatdate(time.time() + 600, usegmt=True)
    provider.script(Reply(status=503, headers={"Retry-After": later}))
    assert sms.send(MESSAGE).retry_after_s == pytest.approx(600, abs=2)


def test_sms_bad_request_fails_with_status_and_provider_message(provider, sms):
    provider.script(Reply(status=400, body={"error": {"message": "brandname not registered"}}))
    result = sms.send(MESSAGE)
    assert (result.outcome, result.error) == ("failed", "HTTP 400: brandname not registered")


def test_sms_timeout_is_retried(provider, sms):
    provider.script(Reply(delay_s=1.0))
    started = time.monotonic()
    result = sms.send(MESSAGE)
    assert result.outcome == "retry"
    assert "no answer within 0.3 s" in result.error
    assert time.monotonic() - started < 0.9


def test_sms_connection_closed_without_answer_is_retried(provider, sms):
    provider.script(Reply(hang_up=True))
    result = sms.send(MESSAGE)
    assert result.outcome == "retry"
    assert "connection error" in result.error


def test_sms_connection_refused_is_retried(closed_port):
    url = f"http://127.0.0.1:{closed_port}/send"
    with SmsGatewayAdapter(endpoint=url, api_key="k", brandname="B", timeout=1) as adapter:
        result = adapter.send(MESSAGE)
    assert result.outcome == "retry"
    assert "ConnectError" in result.error


# --- Outcome by HTTP status (webhook) -------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (200, "sent"),
        (204, "sent"),
        (400, "failed"),
        (401, "failed"),
        (404, "failed"),
        (408, "retry"),
        (429, "retry"),
        (500, "retry"),
        (503, "retry"),
    ],
)
def test_http_status_decides_the_outcome(provider, webhook, status, outcome):
    provider.script(Reply(status=status, body=b"" if status == 204 else {}))
    assert webhook.send(MESSAGE).outcome == outcome


def test_webhook_signs_the_raw_body_with_hmac_sha256(provider, webhook):
    webhook.send(MESSAGE)
    [request] = provider.requests
    expected = hmac.new(b"s3cret", request.body, hashlib.sha256).hexdigest()
    assert request.headers["x-langso-signature"] == f"sha256={expected}"


def test_webhook_posts_the_whole_message_with_idempotency_key(provider, webhook):
    webhook.send(MESSAGE)
    [request] = provider.requests
    assert request.path == "/hook"
    assert request.headers["idempotency-key"] == MESSAGE.key
    assert request.json() == {
        "key": MESSAGE.key,
        "recipient": MESSAGE.recipient,
        "title": MESSAGE.title,
        "text": MESSAGE.text,
        "link": MESSAGE.link,
        "priority": "priority",
    }


def test_webhook_goes_once_per_announcement(webhook):
    assert webhook.per_recipient is False


# --- Facebook fanpage -----------------------------------------------------------------------


def test_fanpage_posts_message_and_link_to_the_page_feed(provider, fanpage):
    provider.script(Reply(body={"id": "1001_555"}))
    result = fanpage.send(Message(key="k", recipient="", title="Cúp điện", text="Chiều nay 14h."))
    [request] = provider.requests
    assert request.path == "/v19.0/1001/feed"
    assert request.form() == {"message": "Cúp điện\n\nChiều nay 14h.", "access_token": "pt-9"}
    assert result == SendResult("sent", provider_id="1001_555")


def test_fanpage_sends_the_link_when_there_is_one(provider, fanpage):
    fanpage.send(MESSAGE)
    assert provider.requests[0].form()["link"] == MESSAGE.link


@pytest.mark.parametrize("code", [4, 17, 32, 613])
def test_fanpage_rate_limit_codes_are_retried(provider, fanpage, code):
    provider.script(Reply(status=403, body={"error": {"message": "limit", "code": code}}))
    assert fanpage.send(MESSAGE).outcome == "retry"


def test_fanpage_transient_error_is_retried(provider, fanpage):
    error = {"message": "try later", "code": 368, "is_transient": True}
    provider.script(Reply(status=400, body={"error": error}))
    assert fanpage.send(MESSAGE).outcome == "retry"


def test_fanpage_other_error_fails_with_code_and_message(provider, fanpage):
    error = {"message": "Invalid OAuth access token.", "type": "OAuthException", "code": 190}
    provider.script(Reply(status=400, body={"error": error}))
    result = fanpage.send(MESSAGE)
    assert result.outcome == "failed"
    assert result.error == "HTTP 400: Facebook error 190: Invalid OAuth access token."


def test_fanpage_server_error_is_retried(provider, fanpage):
    provider.script(Reply(status=500, body={"error": {"message": "oops", "code": 100}}))
    assert fanpage.send(MESSAGE).outcome == "retry"


def test_fanpage_goes_once_per_announcement(fanpage):
    assert fanpage.per_recipient is False


# --- Email ----------------------------------------------------------------------------------


class MailServer:
    """What the stand-in SMTP server saw, and what it answers to RCPT."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.rcpt_reply = "250 OK"
        self.commands: list[str] = []
        self.messages: list[bytes] = []


class _SmtpHandler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        mail: MailServer = self.server.mail
        self._say("220 test ESMTP")
        while line := self.rfile.readline():
            command = line.decode().rstrip("\r\n")
            mail.commands.append(command)
            verb = command.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self._say("250-test\r\n250 AUTH PLAIN")
            elif verb == "AUTH":
                self._say("235 Authentication successful")
            elif verb == "RCPT":
                self._say(mail.rcpt_reply)
            elif verb == "DATA":
                self._say("354 End data with <CR><LF>.<CR><LF>")
                mail.messages.append(self._read_data())
                self._say("250 OK queued as Q1")
            elif verb == "QUIT":
                self._say("221 Bye")
                return
            else:
                self._say("250 OK")

    def _read_data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) != b".\r\n":
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines).replace(b"\r\n", b"\n")  # stored as an MTA would

    def _say(self, reply: str) -> None:
        self.wfile.write(reply.encode() + b"\r\n")


@pytest.fixture
def mail_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpHandler)
    server.daemon_threads = True
    server.mail = MailServer(server.server_address[1])
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    yield server.mail
    server.shutdown()
    server.server_close()


def _mailer(port: int, **settings) -> EmailAdapter:
    return EmailAdapter(
        host="127.0.0.1",
        port=port,
        sender="UBND xã Tân Lập <thongbao@xa.example.vn>",
        use_tls=False,
        timeout=2,
        **settings,
    )


def test_email_delivers_vietnamese_subject_and_body(mail_server):
    result = _mailer(mail_server.port).send(_to("an@example.vn"))
    [raw] = mail_server.messages
    mail = email.message_from_bytes(raw, policy=email.policy.default)
    assert result.outcome == "sent"
    assert mail["Subject"] == "Thông báo tiêm chủng"
    assert mail["To"] == "an@example.vn"
    assert mail.get_content() == f"{MESSAGE.text}\n\n{MESSAGE.link}\n"
    assert mail["Message-ID"] == result.provider_id


def test_email_with_fixed_addresses_goes_there_once_per_announcement(mail_server):
    adapter = _mailer(mail_server.port, to="ds-thon1@example.vn, ds-thon2@example.vn")
    result = adapter.send(_to(""))
    rcpts = [c for c in mail_server.commands if c.upper().startswith("RCPT")]
    assert adapter.per_recipient is False
    assert result.outcome == "sent"
    assert rcpts == ["rcpt TO:<ds-thon1@example.vn>", "rcpt TO:<ds-thon2@example.vn>"]


def test_email_without_fixed_addresses_goes_to_each_resident():
    assert _mailer(25).per_recipient is True


def test_email_message_id_is_the_same_for_the_same_key():
    adapter = _mailer(25)
    first_message = _to("a@b.vn")
    first, again = adapter.compose(first_message), adapter.compose(first_message)
    assert first["Message-ID"] == again["Message-ID"]
    assert first["Message-ID"] != adapter.compose(replace(first_message, key="other"))["Message-ID"]


def test_email_marks_priority_messages_important():
    assert _mailer(25).compose(_to("a@b.vn"))["Importance"] == "high"
    assert _mailer(25).compose(replace(_to("a@b.vn"), priority="normal"))["Importance"] is None


def test_email_logs_in_when_a_username_is_set(mail_server):
    _mailer(mail_server.port, username="xa", password="pa55").send(_to("an@example.vn"))
    [auth] = [c for c in mail_server.commands if c.startswith("AUTH")]
    assert base64.b64decode(auth.split()[-1]) == b"\0xa\0pa55"


def test_email_non_ascii_password_fails_instead_of_raising(mail_server):
    result = _mailer(mail_server.port, username="xa", password="mật khẩu").send(_to("a@b.vn"))
    assert result.outcome == "failed"
    assert "not ASCII" in result.error


def test_email_temporary_recipient_refusal_is_retried(mail_server):
    mail_server.rcpt_reply = "451 4.7.1 Greylisted, try again later"
    result = _mailer(mail_server.port).send(_to("an@example.vn"))
    assert (result.outcome, result.error) == (
        "retry",
        "SMTP 451: 4.7.1 Greylisted, try again later",
    )
    assert mail_server.messages == []


def test_email_permanent_recipient_refusal_fails(mail_server):
    mail_server.rcpt_reply = "550 5.1.1 No such user"
    result = _mailer(mail_server.port).send(_to("nobody@example.vn"))
    assert (result.outcome, result.error) == ("failed", "SMTP 550: 5.1.1 No such user")


def test_email_unreachable_server_is_retried(closed_port):
    result = _mailer(closed_port).send(_to("an@example.vn"))
    assert result.outcome == "retry"
    assert "cannot reach" in result.error


def test_email_invalid_address_fails_without_connecting(closed_port):
    result = _mailer(closed_port).send(_to("0912345678"))
    assert result.outcome == "failed"
    assert "invalid recipient" in result.error


# --- Configuration --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "config", "cls"),
    [
        ("zalo", {"access_token": "t", "template_id": 12}, ZaloZnsAdapter),
        (
            "sms",
            {"endpoint": "https://sms.example", "api_key": "k", "brandname": "B"},
            SmsGatewayAdapter,
        ),
        ("facebook", {"page_id": "1", "page_access_token": "t"}, FacebookPageAdapter),
        ("email", {"host": "smtp.example", "sender": "a@b.vn"}, EmailAdapter),
        ("webhook", {"url": "https://hook.example", "secret": "s"}, WebhookAdapter),
    ],
)
def test_adapter_from_config_builds_the_adapter_of_the_kind(kind, config, cls):
    adapter = adapter_from_config(kind, config)
    assert isinstance(adapter, cls)
    assert adapter.kind == kind
    adapter.close()


def test_adapter_from_config_converts_stored_strings_to_setting_types():
    config = {"host": "h", "sender": "a@b.vn", "port": "465", "use_tls": "false", "use_ssl": "1"}
    adapter = adapter_from_config("email", config)
    assert (adapter.port, adapter.use_tls, adapter.use_ssl) == (465, False, True)


def test_adapter_from_config_names_an_unknown_kind():
    with pytest.raises(ValueError, match="unknown channel kind 'telegram'"):
        adapter_from_config("telegram", {})


def test_adapter_from_config_names_the_missing_setting():
    with pytest.raises(ValueError, match="sms channel: missing setting 'brandname'"):
        adapter_from_config("sms", {"endpoint": "https://sms.example", "api_key": "k"})


def test_adapter_from_config_names_an_unknown_setting():
    with pytest.raises(ValueError, match="unknown setting 'acess_token'"):
        adapter_from_config("zalo", {"access_token": "t", "template_id": "1", "acess_token": 1})


def test_adapter_from_config_names_a_setting_of_the_wrong_type():
    with pytest.raises(ValueError, match="setting 'max_segments' must be int"):
        adapter_from_config(
            "sms",
            {
                "endpoint": "https://s.example",
                "api_key": "k",
                "brandname": "B",
                "max_segments": "x",
            },
        )


def test_adapter_from_config_rejects_an_endpoint_that_is_no_url():
    with pytest.raises(ValueError, match="'url' must be an http"):
        adapter_from_config("webhook", {"url": "hook.example", "secret": "s"})


# --- Helpers --------------------------------------------------------------------------------


def _to(recipient: str) -> Message:
    return replace(MESSAGE, recipient=recipient)
