"""Publishing renders what the loudspeakers play: Vietnamese read by espeak-ng (with the
province's spoken forms, or the editor's reading text), recordings of local-language versions,
each MP3 stored once."""

import array
import io
import math
import wave

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from langso.outreach import services, setup
from langso.outreach.models import AudioFile, Clip
from langso.outreach.tts.audio import MP3, Audio, measure, sniff_mime
from tests.factories.accounts import commune_officer
from tests.factories.outreach import announcement, draft, published

pytestmark = pytest.mark.django_db
HOME = "01273"


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish as the factory does, running the dispatch job (audio, messages) on commit."""

    def run(*where, **kw):
        with django_capture_on_commit_callbacks(execute=True):
            return published(*where, **kw)

    return run


def _clip(made, language="vi") -> Clip:
    return Clip.objects.select_related("audio").get(announcement=made, language=language)


def _audio(clip: Clip) -> Audio:
    with clip.audio.file.open("rb") as handle:
        return Audio(handle.read(), MP3)


def _wav(seconds: float = 1.5, rate: int = 16000) -> bytes:
    samples = array.array(
        "h",
        (round(12000 * math.sin(2 * math.pi * 330 * i / rate)) for i in range(int(seconds * rate))),
    )
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(samples.tobytes())
    return out.getvalue()


def test_publishing_renders_a_vietnamese_clip_of_the_current_revision(publish):
    clip = _clip(publish(HOME))
    assert (clip.revision, clip.source, clip.engine) == (1, "speech", "espeak-ng")


def test_the_clip_is_an_audible_mp3_of_more_than_a_second(publish):
    audio = _audio(_clip(publish(HOME)))
    stats = measure(audio)
    assert sniff_mime(audio.data) == MP3
    assert stats.duration_s > 1
    assert not stats.is_silent


def test_the_stored_file_records_its_size_and_duration(publish):
    clip = _clip(publish(HOME))
    audio = _audio(clip)
    assert clip.audio.size == len(audio.data)
    assert clip.audio.duration_s == pytest.approx(measure(audio).duration_s, abs=0.01)


def test_the_same_text_published_twice_is_stored_once(publish):
    first, second = _clip(publish(HOME)), _clip(publish(HOME))
    assert first.audio_id == second.audio_id
    assert AudioFile.objects.count() == 1


def test_the_clip_reads_title_and_body(publish):
    clip = _clip(publish(HOME, title="Họp thôn", body="Tối nay bảy giờ họp ở nhà văn hóa."))
    assert clip.spoken_text.startswith("Họp thôn.")
    assert "nhà văn hóa" in clip.spoken_text


def test_an_officers_spoken_form_changes_the_reading(publish):
    setup.spoken_form_save(
        actor=commune_officer(HOME), province_code="04", written="KDC", spoken="khu dân cư"
    )
    clip = _clip(publish(HOME, body="Họp KDC số 3 lúc 19 giờ."))
    assert "họp khu dân cư số" in clip.spoken_text.lower()


def test_without_the_spoken_form_the_word_is_not_read_as_it(publish):
    clip = _clip(publish(HOME, body="Họp KDC số 3 lúc 19 giờ."))
    assert "khu dân cư" not in clip.spoken_text


def test_the_editors_reading_text_is_what_is_synthesised(publish):
    reading = "Xin mời bà con đưa cháu đến trạm y tế."
    clip = _clip(publish(HOME, spoken_text=reading))
    assert clip.spoken_text == reading


def test_a_reading_text_saved_before_approval_is_used(django_capture_on_commit_callbacks):
    made = announcement(HOME)
    services.spoken_text_save(
        actor=made.created_by, announcement_id=made.pk, spoken_text="Bà con chú ý."
    )
    services.announcement_submit(actor=made.created_by, announcement_id=made.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.announcement_approve(actor=commune_officer(HOME), announcement_id=made.pk)
    assert _clip(made).spoken_text == "Bà con chú ý."


def test_an_uploaded_wav_recording_becomes_the_clip_of_its_language(
    django_capture_on_commit_callbacks,
):
    made = announcement(HOME)
    version = services.version_save(
        actor=made.created_by,
        announcement_id=made.pk,
        language="tyz",
        body="Pỏ mẻ au lục nhỏ pây tiêm.",
        recording=SimpleUploadedFile("ban-thu.wav", _wav(), content_type="audio/wav"),
    )
    services.announcement_submit(actor=made.created_by, announcement_id=made.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.announcement_approve(actor=commune_officer(HOME), announcement_id=made.pk)
    clip = _clip(made, "tyz")
    assert (clip.source, clip.audio_id, clip.revision) == ("recording", version.recording_id, 1)
    assert sniff_mime(_audio(clip).data) == MP3
    assert clip.audio.duration_s == pytest.approx(1.5, abs=0.1)


def test_an_upload_that_is_not_audio_is_refused():
    made = announcement(HOME)
    with pytest.raises(ValidationError) as refused:
        services.version_save(
            actor=made.created_by,
            announcement_id=made.pk,
            language="tyz",
            recording=SimpleUploadedFile("ban-thu.mp3", b"not audio at all" * 10),
        )
    assert "recording" in refused.value.message_dict


def test_an_update_renders_the_new_revision(publish, django_capture_on_commit_callbacks):
    made = publish(HOME)
    with django_capture_on_commit_callbacks(execute=True):
        services.announcement_update(
            actor=commune_officer(HOME),
            announcement_id=made.pk,
            draft=draft(commune_codes=[HOME], body="Lịch tiêm đổi sang thứ Ba."),
            reason="Đổi ngày",
        )
    clip = Clip.objects.get(announcement=made, revision=2)
    assert "thứ Ba" in clip.spoken_text
