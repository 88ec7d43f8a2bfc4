import io
import subprocess
import wave

import pytest

from langso.outreach.tts.audio import (
    MP3,
    WAV,
    Audio,
    AudioError,
    checksum,
    concatenate,
    measure,
    sniff_mime,
    to_mp3,
)


def _starts_like_mp3(data: bytes) -> bool:
    return data[:3] == b"ID3" or (data[0] == 0xFF and data[1] & 0xE0 == 0xE0)


def test_wav_to_mp3_gives_mp3_bytes(tone):
    mp3 = to_mp3(tone(seconds=2.0))
    assert mp3.mime_type == MP3
    assert _starts_like_mp3(mp3.data)


def test_mp3_lasts_as_long_as_the_wav(tone):
    wav = tone(seconds=2.0)
    assert measure(to_mp3(wav)).duration_s == pytest.approx(measure(wav).duration_s, rel=0.10)


def test_mp3_of_a_tone_is_not_silent(tone):
    assert not measure(to_mp3(tone(seconds=1.0))).is_silent


def test_mp3_bitrate_sets_the_size(tone):
    wav = tone(seconds=2.0)
    assert len(to_mp3(wav, bitrate_kbps=32).data) < len(to_mp3(wav, bitrate_kbps=64).data) * 0.6


def test_mp3_is_returned_unchanged():
    mp3 = Audio(b"ID3\x04\x00\x00\x00\x00\x00\x00rest", MP3)
    assert to_mp3(mp3) is mp3


def test_unreadable_wav_raises_audio_error():
    with pytest.raises(AudioError, match="lame failed"):
        to_mp3(Audio(b"RIFF....WAVEgarbage", WAV))


def test_wav_is_measured_in_duration_peak_and_rms(tone):
    stats = measure(tone(seconds=1.5, amplitude=0.5))
    assert stats.duration_s == pytest.approx(1.5, abs=0.001)
    assert stats.peak == pytest.approx(0.5, abs=0.01)
    assert stats.rms == pytest.approx(0.5 / 2**0.5, abs=0.01)  # RMS of a sine: peak / √2


def test_mp3_is_measured_in_peak_and_rms(tone):
    stats = measure(to_mp3(tone(seconds=1.5, amplitude=0.5)))
    assert stats.peak == pytest.approx(0.5, abs=0.05)
    assert stats.rms == pytest.approx(0.5 / 2**0.5, abs=0.03)


def test_silent_wav_is_measured_silent(tone):
    assert measure(tone(seconds=1.0, amplitude=0.0)).is_silent


def test_silent_mp3_is_measured_silent(tone):
    assert measure(to_mp3(tone(seconds=1.0, amplitude=0.0))).is_silent


def test_quiet_but_audible_wav_is_not_silent(tone):
    assert not measure(tone(seconds=1.0, amplitude=0.01)).is_silent


def test_8_bit_wav_from_sox_is_measured_through_sox():
    wav = subprocess.run(
        ["sox", "-n", "-r", "8000", "-c", "1", "-b", "8", "-t", "wav", "-", "synth", "1", "sine"],
        capture_output=True,
        check=True,
    ).stdout
    stats = measure(Audio(wav, WAV))
    assert stats.duration_s == pytest.approx(1.0, abs=0.01)
    assert not stats.is_silent


def test_garbage_mp3_raises_audio_error():
    with pytest.raises(AudioError, match="sox failed"):
        measure(Audio(b"this is not audio at all", MP3))


def test_checksum_is_the_sha256_hex_digest():
    assert checksum(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_checksum_of_the_same_audio_is_stable(tone):
    assert checksum(to_mp3(tone()).data) == checksum(to_mp3(tone()).data)


def test_wav_parts_join_into_one_wav_of_their_total_length(tone):
    joined = concatenate([tone(seconds=0.5), tone(seconds=0.5), tone(seconds=1.0)])
    assert joined.mime_type == WAV
    with wave.open(io.BytesIO(joined.data)) as reader:
        assert reader.getnframes() == 2 * 22050


def test_wav_parts_with_different_rates_are_not_joined(tone):
    with pytest.raises(AudioError, match="part 2"):
        concatenate([tone(rate=22050), tone(rate=16000)])


def test_mp3_parts_join_without_the_later_id3_tags():
    tag = b"ID3\x04\x00\x00\x00\x00\x00\x02xx"  # 10-byte header + 2 bytes of tag
    first, second = Audio(tag + b"\xff\xf3one", MP3), Audio(tag + b"\xff\xf3two", MP3)
    assert concatenate([first, second]).data == tag + b"\xff\xf3one\xff\xf3two"


def test_parts_of_different_formats_are_not_joined(tone):
    with pytest.raises(AudioError, match="different formats"):
        concatenate([tone(), to_mp3(tone())])


def test_format_is_recognised_from_the_first_bytes(tone):
    assert sniff_mime(tone().data) == WAV
    assert sniff_mime(to_mp3(tone()).data) == MP3
    assert sniff_mime(b"<html>") is None


def test_audio_of_another_type_is_refused():
    with pytest.raises(ValueError, match="audio/ogg"):
        Audio(b"OggS", "audio/ogg")
