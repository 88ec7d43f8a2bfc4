"""Turning announcements into the MP3s loudspeakers play: the reading text (with the province's
own spoken forms), the speech engine chosen in settings, and files stored once by checksum."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile

from langso.outreach.models import (
    Announcement,
    AudioFile,
    AudioSource,
    Clip,
    Language,
    SpokenForm,
)
from langso.outreach.tts.audio import Audio, checksum, measure, to_mp3
from langso.outreach.tts.engines import SpeechEngine, engine_from_config
from langso.outreach.tts.normalize import Reading, load_spoken_forms, speech_text

MAX_UPLOAD = 30 * 1024 * 1024


def engine() -> SpeechEngine:
    return engine_from_config(getattr(settings, "LANGSO_TTS", {"engine": "espeak-ng"}))


def spoken_forms(province_code: str) -> Any:
    """The reading dictionary: the file's entries with the province's own over them."""
    own = dict(
        SpokenForm.objects.filter(province_id=province_code).values_list("written", "spoken")
    )
    return load_spoken_forms(overrides=own)


def reading_of(announcement: Announcement) -> Reading:
    """How the Vietnamese text will be read aloud (before an editor's corrections)."""
    text = f"{announcement.title}.\n\n{announcement.body}"
    return speech_text(text, spoken_forms(announcement.province_id))


def store_audio(audio: Audio) -> AudioFile:
    """Keep an MP3 once, whatever its name: the same bytes give the same row."""
    mp3 = to_mp3(audio)
    digest = checksum(mp3.data)
    found = AudioFile.objects.filter(sha256=digest).first()
    if found is not None:
        return found
    stats = measure(mp3)
    stored = AudioFile(sha256=digest, size=len(mp3.data), duration_s=round(stats.duration_s, 2))
    stored.file.save(f"{digest[:2]}/{digest}.mp3", ContentFile(mp3.data), save=False)
    stored.save()
    return stored


def store_upload(upload: Any) -> AudioFile:
    """An editor's recording (MP3 or WAV) of a version in a local language."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from langso.outreach.tts.audio import AudioError

    if upload.size > MAX_UPLOAD:
        raise ValidationError({"recording": [_("Tệp thu âm quá lớn (tối đa 30 MB).")]})
    data = upload.read()
    mime = "audio/wav" if data[:4] == b"RIFF" else "audio/mpeg"
    try:
        stored = store_audio(Audio(data=data, mime_type=mime))
    except AudioError as exc:
        raise ValidationError({"recording": [_("Không đọc được tệp âm thanh: %s") % exc]}) from exc
    if stored.duration_s <= 0:
        raise ValidationError({"recording": [_("Tệp âm thanh không có tiếng.")]})
    return stored


def preview(announcement: Announcement, spoken_text: str | None = None) -> AudioFile:
    """Synthesise the reading (or the editor's text) now, for listening before approval."""
    text = spoken_text or announcement.spoken_text or reading_of(announcement).text
    speech = engine()
    return store_audio(speech.synthesize(text, language="vi"))


def render_clips(announcement: Announcement) -> list[Clip]:
    """The clips of the announcement's current revision: Vietnamese read by the engine (the
    editor's reading text when given), and each local-language version's recording."""
    revision = announcement.revision
    have = set(
        Clip.objects.filter(announcement=announcement, revision=revision).values_list(
            "language", flat=True
        )
    )
    made: list[Clip] = []
    if Language.VI not in have:
        speech = engine()
        text = announcement.spoken_text or reading_of(announcement).text
        audio = store_audio(speech.synthesize(text, language="vi"))
        made.append(
            Clip.objects.create(
                announcement=announcement,
                revision=revision,
                language=Language.VI,
                source=AudioSource.SPEECH,
                engine=speech.name,
                spoken_text=text,
                audio=audio,
            )
        )
    for version in announcement.versions.exclude(recording=None).exclude(language__in=have):
        made.append(
            Clip.objects.create(
                announcement=announcement,
                revision=revision,
                language=version.language,
                source=AudioSource.RECORDING,
                audio_id=version.recording_id,
            )
        )
    return made
