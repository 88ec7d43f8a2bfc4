import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from langso.outreach.tts.audio import MP3, WAV, Audio, measure, to_mp3
from langso.outreach.tts.engines import (
    EspeakEngine,
    HttpEngine,
    SpeechEngine,
    SpeechError,
    engine_from_config,
    text_chunks,
)

SENTENCE = (
    "Ủy ban nhân dân xã thông báo: tỷ lệ hộ nghèo giảm bốn phẩy hai ba phần trăm, "
    "giảm năm nghìn ba trăm bốn mươi chín hộ."
)
# A paragraph from the seed articles, as the normaliser reads it (~80 words, ~380 characters)
PARAGRAPH = (
    "Với mạng lưới hai trăm lẻ chín tổ cấp xã và một nghìn tám trăm chín mươi mốt tổ cấp "
    "thôn, gần mười sáu nghìn thành viên đã trở thành những cầu nối số, mang kiến thức công "
    "nghệ đến từng hộ gia đình. Họ kiên trì hướng dẫn người dân, nhất là người cao tuổi, sử "
    "dụng điện thoại thông minh, cài đặt ứng dụng, truy cập Internet. Những kiến thức tưởng "
    "chừng đơn giản như cách tạo tài khoản mạng xã hội, sử dụng ứng dụng nhắn tin, gọi video "
    "lại mở ra cả một thế giới mới cho người dân vùng nông thôn."
)


# --- espeak-ng (installed in CI: these run for real) ---


def test_espeak_reads_a_sentence_into_a_wav_longer_than_a_second():
    audio = EspeakEngine().synthesize(SENTENCE)
    assert audio.mime_type == WAV
    assert audio.data[:4] == b"RIFF"
    assert measure(audio).duration_s > 1.0


def test_espeak_speech_is_not_silent():
    assert not measure(EspeakEngine().synthesize(SENTENCE)).is_silent


def test_espeak_reads_a_300_word_announcement():
    text = " ".join([PARAGRAPH] * 4)
    assert len(text.split()) > 300
    assert measure(EspeakEngine().synthesize(text)).duration_s > 60


def test_espeak_speaks_slower_at_fewer_words_per_minute():
    slow = measure(EspeakEngine(words_per_minute=100).synthesize(SENTENCE)).duration_s
    fast = measure(EspeakEngine(words_per_minute=200).synthesize(SENTENCE)).duration_s
    assert slow > fast * 1.5


def test_espeak_missing_program_raises_speech_error():
    engine = EspeakEngine(binary="/nonexistent/espeak-ng")
    with pytest.raises(SpeechError, match="not installed") as error:
        engine.synthesize(SENTENCE)
    assert error.value.engine == "espeak-ng"


def test_espeak_failure_raises_speech_error_with_its_message():
    with pytest.raises(SpeechError, match="voice does not exist"):
        EspeakEngine(voice="xx").synthesize(SENTENCE)


def test_empty_text_raises_speech_error():
    with pytest.raises(SpeechError, match="nothing to say"):
        EspeakEngine().synthesize("  \n ")


def test_engine_refuses_a_language_it_is_not_configured_for():
    with pytest.raises(SpeechError, match="'tày'"):
        EspeakEngine().synthesize(SENTENCE, language="tày")


def test_espeak_engine_is_a_speech_engine():
    assert isinstance(EspeakEngine(), SpeechEngine)


# --- HTTP engine against a local fake service ---


@dataclass
class Reply:
    status: int = 200
    content_type: str = "audio/wav"
    body: bytes = b""
    delay_s: float = 0.0


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    payload: object


@dataclass
class FakeService:
    url: str = ""
    routes: dict[str, Callable[[Request], Reply]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)

    def engine(self, **settings) -> HttpEngine:
        return HttpEngine(**{"url": f"{self.url}/tts", "api_key": "secret-key", **settings})


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the timeout test's client hangs up before the reply: not an error here


@pytest.fixture
def service():
    fake = FakeService()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self._answer()

        def do_GET(self):
            self._answer()

        def _answer(self):
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            request = Request(
                method=self.command,
                path=self.path,
                headers={k.lower(): v for k, v in self.headers.items()},
                payload=json.loads(body) if body else None,
            )
            fake.requests.append(request)
            reply = fake.routes.get(self.path, lambda _: Reply(404, "text/plain", b"no"))(request)
            time.sleep(reply.delay_s)
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        def log_message(self, *args):
            pass

    server = _QuietServer(("127.0.0.1", 0), Handler)
    # a short poll interval: shutdown() waits for one, and there is one server per test
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_port}"
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def short_wav(tone):
    return tone(seconds=0.25).data


def test_http_engine_posts_text_voice_speed_and_format_as_json(service, short_wav):
    service.routes["/tts"] = lambda _: Reply(body=short_wav)
    service.engine(voice="banmai", speed=0.9, audio_format="wav").synthesize("Xin chào.")
    assert service.requests[0].payload == {
        "text": "Xin chào.",
        "voice": "banmai",
        "speed": 0.9,
        "format": "wav",
    }


def test_http_engine_sends_the_key_in_the_configured_header(service, short_wav):
    service.routes["/tts"] = lambda _: Reply(body=short_wav)
    service.engine(key_header="api-key").synthesize("Xin chào.")
    assert service.requests[0].headers["api-key"] == "secret-key"


def test_http_engine_returns_the_audio_of_an_audio_reply(service, short_wav):
    service.routes["/tts"] = lambda _: Reply(content_type="audio/x-wav", body=short_wav)
    assert service.engine().synthesize("Xin chào.") == Audio(short_wav, WAV)


def test_http_engine_fetches_the_audio_link_of_a_json_reply(service, tone):
    mp3 = to_mp3(tone(seconds=0.25)).data
    link = {"async": f"{service.url}/files/1.mp3", "error": 0, "message": "ok"}
    service.routes["/tts"] = lambda _: Reply(200, "application/json", json.dumps(link).encode())
    service.routes["/files/1.mp3"] = lambda _: Reply(200, "audio/mpeg", mp3)
    assert service.engine().synthesize("Xin chào.") == Audio(mp3, MP3)


def test_http_engine_does_not_send_the_key_to_the_audio_link_host(service, short_wav):
    link = {"url": f"{service.url}/files/1.wav"}
    service.routes["/tts"] = lambda _: Reply(200, "application/json", json.dumps(link).encode())
    service.routes["/files/1.wav"] = lambda _: Reply(200, "audio/wav", short_wav)
    service.engine().synthesize("Xin chào.")
    assert [r.method for r in service.requests] == ["POST", "GET"]
    assert "token" not in service.requests[1].headers


def test_http_error_status_raises_speech_error_naming_engine_and_status(service):
    service.routes["/tts"] = lambda _: Reply(500, "text/plain", b"boom")
    with pytest.raises(SpeechError, match="HTTP 500") as error:
        service.engine(name="fpt").synthesize("Xin chào.")
    assert error.value.engine == "fpt"


def test_http_timeout_raises_speech_error(service, short_wav):
    service.routes["/tts"] = lambda _: Reply(body=short_wav, delay_s=1.0)
    with pytest.raises(SpeechError, match=r"no reply within 0\.2 s"):
        service.engine(timeout=0.2).synthesize("Xin chào.")


def test_unreachable_service_raises_speech_error():
    engine = HttpEngine(url="http://127.0.0.1:9/tts", api_key="k")
    with pytest.raises(SpeechError, match="cannot reach"):
        engine.synthesize("Xin chào.")


def test_non_audio_reply_raises_speech_error(service):
    service.routes["/tts"] = lambda _: Reply(200, "text/html", b"<html>login</html>")
    with pytest.raises(SpeechError, match="text/html"):
        service.engine().synthesize("Xin chào.")


def test_audio_content_type_with_non_audio_body_raises_speech_error(service):
    service.routes["/tts"] = lambda _: Reply(200, "audio/mpeg", b"<html>login</html>")
    with pytest.raises(SpeechError, match="not WAV or MP3"):
        service.engine().synthesize("Xin chào.")


def test_json_reply_without_link_raises_speech_error_with_its_message(service):
    body = json.dumps({"error": 1, "message": "invalid api key"}).encode()
    service.routes["/tts"] = lambda _: Reply(200, "application/json", body)
    with pytest.raises(SpeechError, match="invalid api key"):
        service.engine().synthesize("Xin chào.")


def test_long_text_is_sent_in_several_requests_at_sentence_ends(service, short_wav):
    service.routes["/tts"] = lambda _: Reply(body=short_wav)
    service.engine(max_chars=150).synthesize(PARAGRAPH)
    sent = [r.payload["text"] for r in service.requests]
    assert len(sent) >= 3
    assert all(len(text) <= 150 for text in sent)
    assert " ".join(sent).split() == PARAGRAPH.split()


def test_audio_of_a_split_text_is_joined_in_order(service, tone):
    parts = iter([tone(seconds=0.25, amplitude=0.1), tone(seconds=0.5, amplitude=0.8)])
    service.routes["/tts"] = lambda _: Reply(body=next(parts).data)
    text = "Câu thứ nhất dài, dài hơn một chút nữa. " * 2 + "Câu cuối cùng của thông báo này."
    audio = service.engine(max_chars=100).synthesize(text)
    assert len(service.requests) == 2
    assert measure(audio).duration_s == pytest.approx(0.75, abs=0.01)


def test_http_engine_repr_hides_the_api_key():
    assert "secret-key" not in repr(HttpEngine(url="http://x/tts", api_key="secret-key"))


def test_http_engine_rejects_an_unknown_audio_format():
    with pytest.raises(ValueError, match="ogg"):
        HttpEngine(url="http://x/tts", api_key="k", audio_format="ogg")


# --- text_chunks ---


def test_chunks_cut_at_sentence_ends():
    assert text_chunks("Một hai ba. Bốn năm sáu. Bảy tám.", 25) == [
        "Một hai ba. Bốn năm sáu.",
        "Bảy tám.",
    ]


def test_short_text_is_one_chunk():
    assert text_chunks(SENTENCE, 2000) == [SENTENCE]


def test_sentence_longer_than_the_limit_is_cut_at_a_comma():
    sentence = "một hai ba bốn năm, sáu bảy tám chín mười, mười một mười hai."
    chunks = text_chunks(sentence, 45)
    assert chunks == ["một hai ba bốn năm, sáu bảy tám chín mười,", "mười một mười hai."]


def test_sentence_without_commas_is_cut_at_a_space():
    chunks = text_chunks("một hai ba bốn năm sáu bảy tám chín mười", 20)
    assert all(len(c) <= 20 for c in chunks)
    assert " ".join(chunks) == "một hai ba bốn năm sáu bảy tám chín mười"


# --- engine_from_config ---


def test_config_builds_an_espeak_engine():
    engine = engine_from_config({"engine": "espeak-ng", "voice": "vi", "words_per_minute": 130})
    assert engine == EspeakEngine(voice="vi", words_per_minute=130)


def test_config_builds_an_http_engine():
    config = {"engine": "http", "url": "https://tts.example/v1", "api_key": "k", "voice": "an"}
    assert engine_from_config(config) == HttpEngine(
        url="https://tts.example/v1", api_key="k", voice="an"
    )


def test_config_with_unknown_engine_is_rejected_naming_it():
    with pytest.raises(ValueError, match="unknown speech engine 'festival'"):
        engine_from_config({"engine": "festival"})


def test_config_without_engine_is_rejected():
    with pytest.raises(ValueError, match="unknown speech engine None"):
        engine_from_config({"voice": "vi"})


def test_config_with_a_misspelt_setting_is_rejected_naming_it():
    with pytest.raises(ValueError, match="voise"):
        engine_from_config({"engine": "espeak-ng", "voise": "vi"})


def test_http_config_without_api_key_is_rejected():
    with pytest.raises(ValueError, match="api_key"):
        engine_from_config({"engine": "http", "url": "https://tts.example/v1"})
