"""Audio for the smart radio: WAV/MP3 bytes, conversion, measurement, joining (no Django).

Conversion uses ``lame``; MP3 measurement uses ``sox`` (with libsox-fmt-mp3). 16-bit PCM WAV is
measured in Python with ``wave``, so the common case needs no external program.
"""

from __future__ import annotations

import array
import hashlib
import io
import math
import operator
import re
import subprocess
import sys
import wave
from collections.abc import Sequence
from dataclasses import dataclass

WAV = "audio/wav"
MP3 = "audio/mpeg"
# -60 dBFS: below this nothing is heard on an outdoor loudspeaker
SILENCE_RMS = 0.001
TOOL_TIMEOUT_S = 120.0


class AudioError(Exception):
    """An audio operation failed; the message says why in plain words."""


@dataclass(frozen=True)
class Audio:
    """Encoded audio: ``data`` in the format named by ``mime_type`` (WAV or MP3)."""

    data: bytes
    mime_type: str

    def __post_init__(self) -> None:
        if self.mime_type not in (WAV, MP3):
            raise ValueError(f"unsupported audio type {self.mime_type!r}; use {WAV} or {MP3}")

    def __repr__(self) -> str:
        return f"Audio({self.mime_type}, {len(self.data)} bytes)"


@dataclass(frozen=True)
class AudioStats:
    """Duration in seconds; peak and RMS amplitude as fractions of full scale (0..1)."""

    duration_s: float
    peak: float
    rms: float
    is_silent: bool


def sniff_mime(data: bytes) -> str | None:
    """WAV or MP3 from the first bytes of ``data`` (RIFF/WAVE header, ID3 tag or MPEG frame
    sync), or None when it is neither."""
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return WAV
    if data[:3] == b"ID3" or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return MP3
    return None


def checksum(data: bytes) -> str:
    """SHA-256 of ``data`` as 64 lowercase hex digits."""
    return hashlib.sha256(data).hexdigest()


def to_mp3(audio: Audio, *, bitrate_kbps: int = 64, mono: bool = True) -> Audio:
    """``audio`` encoded as constant-bitrate MP3 with lame; MP3 input is returned unchanged."""
    if audio.mime_type == MP3:
        return audio
    command = ["lame", "--quiet", "--cbr", "-b", str(bitrate_kbps)]
    if mono:
        command += ["-m", "m"]
    data = _run([*command, "-", "-"], audio.data, "lame").stdout
    if sniff_mime(data) != MP3:
        raise AudioError("lame produced no MP3 data")
    return Audio(data, MP3)


def measure(audio: Audio) -> AudioStats:
    """Duration, peak and RMS of ``audio``; ``is_silent`` when RMS is below ``SILENCE_RMS``."""
    if audio.mime_type == WAV:
        try:
            return _measure_wav(audio.data)
        except (wave.Error, EOFError, ValueError):
            pass  # not 16-bit PCM (or a header Python cannot read): let sox decode it
    return _measure_with_sox(audio)


def concatenate(parts: Sequence[Audio]) -> Audio:
    """One recording from ``parts`` played in order; all parts must share one format (and, for
    WAV, one sample rate, width and channel count)."""
    if not parts:
        raise AudioError("nothing to join")
    kinds = {p.mime_type for p in parts}
    if len(kinds) > 1:
        raise AudioError(f"cannot join different formats: {', '.join(sorted(kinds))}")
    if len(parts) == 1:
        return parts[0]
    if parts[0].mime_type == MP3:
        # MPEG frames are self-contained: bytes join; only later ID3 tags would be in the way
        return Audio(parts[0].data + b"".join(_strip_id3(p.data) for p in parts[1:]), MP3)
    return Audio(_join_wav([p.data for p in parts]), WAV)


def _measure_wav(data: bytes) -> AudioStats:
    with wave.open(io.BytesIO(data)) as reader:
        if reader.getsampwidth() != 2:
            raise ValueError("not 16-bit")
        rate, frames = reader.getframerate(), reader.getnframes()
        samples = array.array("h")
        samples.frombytes(reader.readframes(frames))
    if sys.byteorder == "big":
        samples.byteswap()
    if not samples:
        return AudioStats(duration_s=0.0, peak=0.0, rms=0.0, is_silent=True)
    peak = max(max(samples), -min(samples)) / 32768
    rms = math.sqrt(sum(map(operator.mul, samples, samples)) / len(samples)) / 32768
    return AudioStats(duration_s=frames / rate, peak=peak, rms=rms, is_silent=rms < SILENCE_RMS)


def _measure_with_sox(audio: Audio) -> AudioStats:
    kind = "mp3" if audio.mime_type == MP3 else "wav"
    report = _run(["sox", "-t", kind, "-", "-n", "stat"], audio.data, "sox").stderr.decode()

    def value(label: str) -> float:
        match = re.search(rf"^{label}:\s*(-?[\d.]+)", report, re.MULTILINE)
        if not match:
            raise AudioError(f"sox did not report {label!r}")
        return float(match.group(1))

    peak = max(abs(value(r"Maximum amplitude")), abs(value(r"Minimum amplitude")))
    rms = value(r"RMS\s+amplitude")
    return AudioStats(
        duration_s=value(r"Length \(seconds\)"), peak=peak, rms=rms, is_silent=rms < SILENCE_RMS
    )


def _join_wav(datas: list[bytes]) -> bytes:
    out = io.BytesIO()
    params = None
    with wave.open(out, "wb") as writer:
        for number, data in enumerate(datas, start=1):
            try:
                with wave.open(io.BytesIO(data)) as reader:
                    these = (reader.getnchannels(), reader.getsampwidth(), reader.getframerate())
                    frames = reader.readframes(reader.getnframes())
            except (wave.Error, EOFError) as exc:
                raise AudioError(f"part {number} is not a readable WAV: {exc}") from exc
            if params is None:
                params = these
                writer.setnchannels(these[0])
                writer.setsampwidth(these[1])
                writer.setframerate(these[2])
            elif these != params:
                raise AudioError(
                    f"part {number} has channels/width/rate {these}, the first part {params}"
                )
            writer.writeframes(frames)
    return out.getvalue()


def _strip_id3(data: bytes) -> bytes:
    if data[:3] != b"ID3" or len(data) < 10:
        return data
    size = 0
    for byte in data[6:10]:  # "syncsafe" integer: 7 bits per byte
        size = (size << 7) | (byte & 0x7F)
    footer = 10 if data[5] & 0x10 else 0
    return data[10 + size + footer :]


def _run(command: list[str], stdin: bytes, tool: str) -> subprocess.CompletedProcess[bytes]:
    try:
        done = subprocess.run(
            command, input=stdin, capture_output=True, timeout=TOOL_TIMEOUT_S, check=False
        )
    except FileNotFoundError as exc:
        raise AudioError(f"{tool} is not installed") from exc
    except subprocess.TimeoutExpired as exc:
        raise AudioError(f"{tool} took longer than {TOOL_TIMEOUT_S:.0f} s") from exc
    if done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip().splitlines()
        reason = detail[-1] if detail else "no message"
        raise AudioError(f"{tool} failed (exit {done.returncode}): {reason}")
    return done
