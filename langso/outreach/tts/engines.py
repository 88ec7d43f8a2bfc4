"""Speech engines: text in, WAV or MP3 out (no Django).

Two kinds, chosen by configuration (``engine_from_config``):

- ``EspeakEngine``: espeak-ng on this machine. Robotic but free, offline and always there: the
  fallback when no commercial service is configured or reachable.
- ``HttpEngine``: a commercial Vietnamese TTS service over HTTP, reached with an API key.

Engines expect text already prepared for reading aloud (``normalize.speech_text``).
"""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
import wave
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Protocol, runtime_checkable

import httpx

from langso.outreach.tts.audio import MP3, WAV, Audio, AudioError, concatenate, sniff_mime

__all__ = [
    "Audio",
    "EspeakEngine",
    "HttpEngine",
    "SpeechEngine",
    "SpeechError",
    "engine_from_config",
    "text_chunks",
]

_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+")
_AUDIO_TYPES = {
    "audio/mpeg": MP3,
    "audio/mp3": MP3,
    "audio/mpeg3": MP3,
    "audio/x-mpeg": MP3,
    "audio/wav": WAV,
    "audio/x-wav": WAV,
    "audio/wave": WAV,
    "audio/vnd.wave": WAV,
}


class SpeechError(Exception):
    """Synthesis failed. ``engine`` names the engine, ``reason`` says why in plain words."""

    def __init__(self, engine: str, reason: str) -> None:
        super().__init__(f"{engine}: {reason}")
        self.engine = engine
        self.reason = reason


@runtime_checkable
class SpeechEngine(Protocol):
    """Anything that turns Vietnamese text into audio."""

    name: str

    def synthesize(self, text: str, *, language: str = "vi") -> Audio:
        """Audio of ``text`` read aloud; raises SpeechError when it cannot."""
        ...


@dataclass(frozen=True)
class EspeakEngine:
    """espeak-ng run as a separate process, one per call."""

    voice: str = "vi"
    words_per_minute: int = 150
    binary: str = "espeak-ng"
    timeout: float = 120.0
    language: str = "vi"
    name: str = "espeak-ng"

    def synthesize(self, text: str, *, language: str = "vi") -> Audio:
        """WAV of ``text`` spoken by espeak-ng; raises SpeechError if the program is missing,
        fails, times out or produces no sound."""
        _check_request(self.name, self.language, text, language)
        with tempfile.TemporaryDirectory(prefix="langso-tts-") as folder:
            # -w to a file: the WAV espeak-ng writes to stdout has a broken length header.
            # --stdin: announcements can be longer than the command line allows.
            output = Path(folder) / "speech.wav"
            command = [self.binary, "-v", self.voice, "-s", str(self.words_per_minute)]
            command += ["-b", "1", "-w", str(output), "--stdin"]
            try:
                done = subprocess.run(
                    command,
                    input=text.encode("utf-8"),
                    capture_output=True,
                    timeout=self.timeout,
                    check=False,
                )
            except FileNotFoundError as exc:
                raise SpeechError(self.name, f"program {self.binary!r} is not installed") from exc
            except subprocess.TimeoutExpired as exc:
                raise SpeechError(self.name, f"took longer than {self.timeout:g} s") from exc
            if done.returncode != 0:
                message = done.stderr.decode(errors="replace").strip() or "no message"
                raise SpeechError(self.name, f"exit {done.returncode}: {message}")
            data = output.read_bytes() if output.exists() else b""
        if not _has_frames(data):
            raise SpeechError(self.name, "produced no audio")
        return Audio(data, WAV)


@dataclass(frozen=True)
class HttpEngine:
    """A commercial TTS service: POST ``{"text", "voice", "speed", "format"}`` as JSON with the
    API key in header ``key_header``. The reply is audio, or JSON with an ``async``/``url`` link
    to the audio (FPT.AI style), fetched with one GET. Text longer than ``max_chars`` is sent
    in several requests, cut at sentence ends, and the audio joined."""

    url: str
    api_key: str = field(repr=False)
    key_header: str = "token"
    voice: str = ""
    speed: float = 1.0
    audio_format: str = "mp3"
    timeout: float = 30.0
    max_chars: int = 2000
    language: str = "vi"
    name: str = "http"

    def __post_init__(self) -> None:
        if self.audio_format not in ("mp3", "wav"):
            raise ValueError(f"audio_format must be 'mp3' or 'wav', not {self.audio_format!r}")
        if self.max_chars < 100:
            raise ValueError("max_chars below 100 would cut sentences into pieces")

    def synthesize(self, text: str, *, language: str = "vi") -> Audio:
        """Audio of ``text`` from the service; raises SpeechError on an HTTP error, a timeout
        or a reply that is not audio."""
        _check_request(self.name, self.language, text, language)
        with httpx.Client(timeout=self.timeout, follow_redirects=True) as client:
            parts = [self._request(client, chunk) for chunk in text_chunks(text, self.max_chars)]
        try:
            return concatenate(parts)
        except AudioError as exc:
            raise SpeechError(self.name, f"cannot join the parts: {exc}") from exc

    def _request(self, client: httpx.Client, text: str) -> Audio:
        payload = {
            "text": text,
            "voice": self.voice,
            "speed": self.speed,
            "format": self.audio_format,
        }
        response = self._call(client, "POST", self.url, payload)
        kind = _content_type(response)
        if kind == "application/json" or kind.endswith("+json"):
            link = self._audio_link(response)
            return self._audio(self._call(client, "GET", link))
        return self._audio(response)

    def _call(
        self, client: httpx.Client, method: str, url: str, payload: dict | None = None
    ) -> httpx.Response:
        # the key goes only to the service itself, not to the host of an audio link
        headers = {self.key_header: self.api_key} if payload is not None else {}
        try:
            response = client.request(method, url, headers=headers, json=payload)
        except httpx.TimeoutException as exc:
            raise SpeechError(self.name, f"no reply within {self.timeout:g} s") from exc
        except httpx.HTTPError as exc:
            raise SpeechError(self.name, f"cannot reach the service: {exc}") from exc
        if not response.is_success:
            raise SpeechError(self.name, f"HTTP {response.status_code} from {method} {_host(url)}")
        return response

    def _audio_link(self, response: httpx.Response) -> str:
        try:
            body = response.json()
        except ValueError as exc:
            raise SpeechError(self.name, "reply claims JSON but is not") from exc
        if not isinstance(body, dict):
            raise SpeechError(self.name, "JSON reply without an audio link")
        link = body.get("async") or body.get("url")
        if not isinstance(link, str) or not link.startswith(("http://", "https://")):
            message = body.get("message") or body.get("error") or "no message"
            raise SpeechError(self.name, f"JSON reply without an audio link: {message}")
        return link

    def _audio(self, response: httpx.Response) -> Audio:
        kind = _content_type(response)
        sniffed = sniff_mime(response.content)
        if kind.startswith("audio/") or kind == "application/octet-stream":
            declared = _AUDIO_TYPES.get(kind, sniffed)
            if declared is not None and declared == sniffed:
                return Audio(response.content, declared)
        raise SpeechError(
            self.name, f"reply is not WAV or MP3 audio (content type {kind or 'missing'})"
        )


def engine_from_config(config: Mapping[str, object]) -> SpeechEngine:
    """An engine from settings: ``{"engine": "espeak-ng", "voice": "vi", ...}`` or
    ``{"engine": "http", "url": ..., "api_key": ..., ...}``; the other keys are the engine's
    fields. Raises ValueError for an unknown engine, unknown keys or missing required keys."""
    settings = dict(config)
    kind = settings.pop("engine", None)
    engines: dict[str, type[EspeakEngine] | type[HttpEngine]] = {
        "espeak-ng": EspeakEngine,
        "espeak": EspeakEngine,
        "http": HttpEngine,
    }
    if kind not in engines:
        raise ValueError(
            f"unknown speech engine {kind!r}; choose one of: {', '.join(sorted(engines))}"
        )
    cls = engines[str(kind)]
    allowed = {f.name for f in fields(cls)}
    unknown = sorted(set(settings) - allowed)
    if unknown:
        raise ValueError(f"unknown settings for {kind}: {', '.join(unknown)}")
    try:
        return cls(**settings)  # type: ignore[arg-type]
    except TypeError as exc:
        raise ValueError(f"incomplete settings for {kind}: {exc}") from exc


def text_chunks(text: str, max_chars: int) -> list[str]:
    """``text`` cut into pieces of at most ``max_chars`` characters, at sentence ends where
    possible, else at commas, else at spaces."""
    chunks: list[str] = []
    current = ""
    for sentence in _SENTENCE_BREAK.split(text.strip()):
        for piece in _split_long(sentence, max_chars):
            if current and len(current) + 1 + len(piece) > max_chars:
                chunks.append(current)
                current = piece
            else:
                current = f"{current} {piece}" if current else piece
    if current:
        chunks.append(current)
    return chunks


def _split_long(sentence: str, max_chars: int) -> list[str]:
    pieces = []
    while len(sentence) > max_chars:
        window = sentence[: max_chars + 1]
        cut = window.rfind(", ") + 1  # keep the comma with the first piece
        if cut <= 0:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = max_chars
        pieces.append(sentence[:cut].strip())
        sentence = sentence[cut:].strip()
    return [*pieces, sentence] if sentence else pieces


def _check_request(engine: str, own_language: str, text: str, language: str) -> None:
    if language != own_language:
        raise SpeechError(engine, f"configured for language {own_language!r}, not {language!r}")
    if not text.strip():
        raise SpeechError(engine, "nothing to say: the text is empty")


def _has_frames(data: bytes) -> bool:
    try:
        with wave.open(io.BytesIO(data)) as reader:
            return reader.getnframes() > 0
    except (wave.Error, EOFError):
        return False


def _content_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def _host(url: str) -> str:
    return httpx.URL(url).host or url
