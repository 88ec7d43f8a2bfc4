"""CAP 1.2 both ways: our announcements as alerts, and upstream alerts as draft emergencies."""

import hashlib
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from langso.geo.models import Commune
from langso.outreach import cap_feed, services
from langso.outreach.channels import cap
from langso.outreach.models import (
    Announcement,
    CapReceived,
    CapSubscription,
    Clip,
    Source,
    Status,
)
from tests.factories.accounts import commune_officer
from tests.factories.geo import VillageFactory
from tests.factories.outreach import announcement, draft, published, upstream_alert

pytestmark = pytest.mark.django_db
HOME, NEIGHBOUR, THIRD = "01273", "01279", "01288"
EXAMPLES = Path(__file__).with_name("cap_examples")


def _geocodes(alert: cap.CapAlert) -> list[str]:
    return sorted(cap.geocodes_of(alert, cap_feed.GEOCODE_NAME))


def _ingest(alert: cap.CapAlert, **kw) -> list[Announcement]:
    return cap_feed.ingest(xml=cap.to_xml(alert), province_code="04", **kw)


# ---------------------------------------------------------------- our announcements as CAP


def test_the_alert_of_a_published_announcement_is_valid_cap(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = published(HOME, priority="emergency", category="disaster")
    assert cap.validate(cap.to_xml(cap_feed.alert_of(made, base_url="https://x.vn"))) == []


def test_a_first_revision_is_an_alert_with_its_identifier():
    made = published(HOME)
    alert = cap_feed.alert_of(made)
    assert (alert.msg_type, alert.identifier, alert.references) == (
        "Alert",
        f"langso-04-{made.pk}-r1",
        (),
    )


def test_the_areas_are_the_commune_codes():
    made = published(commune_codes=[HOME, NEIGHBOUR])
    assert _geocodes(cap_feed.alert_of(made)) == [HOME, NEIGHBOUR]


def test_a_village_announcement_names_its_villages_under_the_commune_code():
    village = VillageFactory(commune_id=HOME, name="Nà Rị")
    [area] = cap_feed.alert_of(published(village)).infos[0].areas
    assert (area.description, [g.value for g in area.geocodes]) == (
        "Nà Rị – Phường Thục Phán",
        [HOME],
    )


def test_a_whole_province_announcement_names_every_commune_of_the_province():
    alert = cap_feed.alert_of(published(province="04"))
    assert _geocodes(alert) == sorted(
        Commune.objects.filter(province_id="04").values_list("code", flat=True)
    )


def test_an_emergency_is_immediate_severe_and_observed():
    info = cap_feed.alert_of(published(HOME, priority="emergency", category="disaster")).infos[0]
    assert (info.urgency, info.severity, info.certainty, info.categories) == (
        "Immediate",
        "Severe",
        "Observed",
        ("Safety",),
    )


def test_the_audio_is_a_resource_with_its_sha1_digest(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = published(HOME)
    [resource] = cap_feed.alert_of(made, base_url="https://x.vn").infos[0].resources
    clip = Clip.objects.get(announcement=made)
    with clip.audio.file.open("rb") as handle:
        data = handle.read()
    assert (resource.mime_type, resource.size, resource.digest) == (
        "audio/mpeg",
        len(data),
        hashlib.sha1(data).hexdigest(),
    )
    assert resource.uri == "https://x.vn" + clip.audio.file.url


def test_an_update_is_a_cap_update_referencing_revision_1():
    made = published(HOME)
    services.announcement_update(
        actor=commune_officer(HOME),
        announcement_id=made.pk,
        draft=draft(commune_codes=[HOME], title="Đổi giờ tiêm"),
        reason="Đổi giờ",
    )
    made.refresh_from_db()
    alert = cap_feed.alert_of(made)
    assert (alert.msg_type, alert.identifier) == ("Update", f"langso-04-{made.pk}-r2")
    assert [(r.identifier, r.sent) for r in alert.references] == [
        (f"langso-04-{made.pk}-r1", made.published_at)
    ]


def test_a_cancel_is_a_cap_cancel_with_the_reason():
    made = published(HOME)
    services.announcement_cancel(
        actor=commune_officer(HOME), announcement_id=made.pk, reason="Hoãn tiêm"
    )
    made.refresh_from_db()
    alert = cap_feed.alert_of(made)
    assert (alert.msg_type, alert.note, alert.infos[0].urgency) == ("Cancel", "Hoãn tiêm", "Past")
    assert [r.identifier for r in alert.references] == [f"langso-04-{made.pk}-r1"]
    assert cap.validate(cap.to_xml(alert)) == []


def test_a_local_language_version_is_a_second_info():
    made = announcement(HOME)
    services.version_save(
        actor=made.created_by,
        announcement_id=made.pk,
        language="tyz",
        title="Tiêm chủng",
        body="Pỏ mẻ au lục nhỏ pây tiêm.",
    )
    services.announcement_submit(actor=made.created_by, announcement_id=made.pk)
    services.announcement_approve(actor=commune_officer(HOME), announcement_id=made.pk)
    infos = cap_feed.alert_of(made).infos
    assert [(i.language, i.description) for i in infos] == [
        ("vi", made.body),
        ("tyz", "Pỏ mẻ au lục nhỏ pây tiêm."),
    ]


# ---------------------------------------------------------------- upstream alerts


@pytest.mark.parametrize(
    "name",
    [
        "Oasis_AmberAlert.xml",
        "Oasis_EarthquakeReport.xml",
        "Oasis_HomelandAlert.xml",
        "Oasis_ThunderstormWarning.xml",
    ],
)
def test_each_oasis_example_becomes_one_draft(name):
    [made] = cap_feed.ingest(xml=(EXAMPLES / name).read_bytes(), province_code="04")
    assert (made.status, made.source, made.commune_id, made.province_id) == (
        Status.DRAFT,
        Source.CAP,
        None,
        "04",
    )


def test_the_amber_alert_keeps_its_spanish_version():
    xml = (EXAMPLES / "Oasis_AmberAlert.xml").read_bytes()
    [made] = cap_feed.ingest(xml=xml, province_code="04")
    assert list(made.versions.values_list("language", flat=True)) == ["es-US"]


def test_an_update_of_an_alert_never_seen_becomes_a_new_draft():
    xml = (EXAMPLES / "Oasis_EarthquakeReport.xml").read_bytes()
    [made] = cap_feed.ingest(xml=xml, province_code="04")
    assert (made.replaces, made.status) == (None, Status.DRAFT)
    assert made.source_reference.startswith("trinet@caltech.edu,TRI13970876.2,")


def test_a_vietnamese_alert_targets_the_communes_named_by_geocode():
    [made] = _ingest(upstream_alert("vn-1", HOME, NEIGHBOUR))
    assert sorted(made.areas.values_list("commune_id", flat=True)) == [HOME, NEIGHBOUR]
    assert (made.priority, made.category, made.whole_province) == ("emergency", "disaster", False)


def test_the_draft_takes_headline_description_and_instruction():
    [made] = _ingest(upstream_alert("vn-1", HOME, headline="Cảnh báo lũ quét"))
    assert made.title == "Cảnh báo lũ quét"
    assert made.body.startswith("Mưa lớn kéo dài")
    assert made.body.endswith("di dời khỏi vùng nguy hiểm.")


def test_a_less_urgent_alert_is_a_priority_draft():
    [made] = _ingest(upstream_alert("vn-1", HOME, urgency="Future", severity="Moderate"))
    assert made.priority == "priority"


def test_codes_from_another_code_list_are_not_read():
    [made] = _ingest(upstream_alert("vn-1", HOME, geocode_name="SAME"))
    assert not made.areas.exists()


def test_communes_of_another_province_are_left_out():
    elsewhere = Commune.objects.exclude(province_id="04").order_by("code").first().code
    [made] = _ingest(upstream_alert("vn-1", HOME, elsewhere))
    assert list(made.areas.values_list("commune_id", flat=True)) == [HOME]


def test_a_polygon_covering_a_communes_centre_targets_the_commune():
    Commune.objects.filter(code=HOME).update(lat=10.5, lon=100.5)  # far from its neighbours
    square = "10.0,100.0 10.0,101.0 11.0,101.0 11.0,100.0 10.0,100.0"
    [made] = _ingest(upstream_alert("vn-1", polygons=(square,)))
    assert list(made.areas.values_list("commune_id", flat=True)) == [HOME]


def test_ingesting_the_same_alert_again_adds_nothing():
    alert = upstream_alert("vn-1", HOME)
    _ingest(alert)
    assert _ingest(alert) == []
    assert Announcement.objects.count() == 1


def test_an_ingested_alert_is_remembered_with_its_subscription():
    subscription = CapSubscription.objects.create(
        province_id="04", name="Cảnh báo thiên tai", url="https://canhbao.example/cap.xml"
    )
    [made] = _ingest(upstream_alert("vn-1", HOME), subscription=subscription)
    received = CapReceived.objects.get()
    assert (
        received.identifier,
        received.msg_type,
        received.announcement,
        received.subscription,
    ) == (
        "vn-1",
        "Alert",
        made,
        subscription,
    )


def test_an_update_of_an_alert_still_in_draft_changes_that_draft():
    first = upstream_alert("vn-1", HOME)
    [original] = _ingest(first)
    update = upstream_alert("vn-2", NEIGHBOUR, msg_type="Update", references=(first,),
                            headline="Cảnh báo lũ quét (cập nhật)")  # fmt: skip
    [changed] = _ingest(update)
    assert changed.pk == original.pk
    changed.refresh_from_db()
    assert changed.title == "Cảnh báo lũ quét (cập nhật)"
    assert list(changed.areas.values_list("commune_id", flat=True)) == [NEIGHBOUR]
    assert Announcement.objects.count() == 1


def test_an_update_of_a_published_alert_makes_a_draft_replacing_it():
    first = upstream_alert("vn-1", HOME)
    [original] = _ingest(first)
    original.status = Status.PUBLISHED
    original.save()
    [replacing] = _ingest(upstream_alert("vn-2", HOME, msg_type="Update", references=(first,)))
    assert (replacing.replaces, replacing.status) == (original, Status.DRAFT)


def test_a_cancel_of_an_alert_still_in_draft_cancels_the_draft():
    first = upstream_alert("vn-1", HOME)
    [original] = _ingest(first)
    _ingest(upstream_alert("vn-2", HOME, msg_type="Cancel", references=(first,)))
    original.refresh_from_db()
    assert (original.status, original.cancel_reason) == (
        Status.CANCELLED,
        "Nguồn CAP đã hủy cảnh báo",
    )


def test_a_cancel_of_a_published_alert_is_left_to_an_officer():
    first = upstream_alert("vn-1", HOME)
    [original] = _ingest(first)
    original.status = Status.PUBLISHED
    original.save()
    _ingest(upstream_alert("vn-2", HOME, msg_type="Cancel", references=(first,)))
    original.refresh_from_db()
    assert original.status == Status.PUBLISHED
    assert cap_feed.source_cancelled(original) is not None


@pytest.mark.parametrize("msg_type", ["Ack", "Error"])
def test_an_acknowledgement_or_error_message_makes_no_draft(msg_type):
    first = upstream_alert("vn-1", HOME)
    _ingest(first)
    assert _ingest(upstream_alert("vn-2", HOME, msg_type=msg_type, references=(first,))) == []
    assert Announcement.objects.count() == 1


def test_a_test_alert_makes_no_draft():
    assert _ingest(replace(upstream_alert("vn-1", HOME), status="Test")) == []


# ---------------------------------------------------------------- polling a subscription


def _subscription() -> CapSubscription:
    return CapSubscription.objects.create(
        province_id="04", name="Cảnh báo thiên tai", url="https://canhbao.example/cap.xml"
    )


def test_polling_ingests_the_feed_and_notes_when():
    xml = cap.to_xml(upstream_alert("vn-1", HOME))
    client = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, content=xml)))
    subscription = _subscription()
    assert len(cap_feed.poll(subscription, client=client)) == 1
    subscription.refresh_from_db()
    assert (subscription.last_error, subscription.last_polled_at is not None) == ("", True)


def test_a_failed_poll_keeps_the_error():
    client = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(503)))
    subscription = _subscription()
    assert cap_feed.poll(subscription, client=client) == []
    subscription.refresh_from_db()
    assert "503" in subscription.last_error
