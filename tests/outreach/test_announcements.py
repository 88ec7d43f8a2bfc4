"""Announcements: drafting, the approval rules, the emergency fast path, update and cancel."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from langso.audit.models import ChangeEvent
from langso.outreach import cap_feed, fanout, outbox, services
from langso.outreach.channels import cap
from langso.outreach.models import (
    Announcement,
    DeliveryStatus,
    OutboxMessage,
    OutboxStatus,
    Status,
)
from langso.registry.records import MemberRecord
from tests.factories.accounts import analyst, commune_officer, province_admin, team_member
from tests.factories.geo import VillageFactory
from tests.factories.outreach import (
    announcement,
    channel,
    cluster,
    draft,
    published,
    upstream_alert,
)
from tests.factories.registry import consent, household

pytestmark = pytest.mark.django_db
HOME, NEIGHBOUR = "01273", "01279"


@pytest.fixture
def village():
    return VillageFactory(commune_id=HOME, name="Nà Rị")


def _submitted(*where, **kw):
    made = announcement(*where, **kw)
    return services.announcement_submit(actor=made.created_by, announcement_id=made.pk)


def _fast_path_log(made) -> list[str]:
    events = ChangeEvent.objects.filter(object_type="outreach.announcement", object_id=made.pk)
    return [e.message for e in events]


# ---------------------------------------------------------------- drafting


def test_a_commune_officer_drafts_an_announcement_of_their_commune():
    made = announcement(HOME)
    assert (made.status, made.commune_id, made.province_id, made.revision) == (
        Status.DRAFT,
        HOME,
        "04",
        1,
    )
    assert list(made.areas.values_list("commune_id", "village_id")) == [(HOME, None)]


def test_an_area_outside_the_issuing_commune_is_refused():
    with pytest.raises(ValidationError) as refused:
        services.announcement_create(
            actor=commune_officer(HOME), draft=draft(commune_codes=[HOME, NEIGHBOUR]),
            commune_code=HOME,
        )  # fmt: skip
    assert "areas" in refused.value.message_dict


def test_a_village_of_another_commune_is_refused():
    elsewhere = VillageFactory(commune_id=NEIGHBOUR)
    with pytest.raises(ValidationError) as refused:
        services.announcement_create(
            actor=commune_officer(HOME), draft=draft(village_ids=[elsewhere.pk]), commune_code=HOME
        )
    assert "areas" in refused.value.message_dict


def test_a_commune_announcement_cannot_go_to_the_whole_province():
    with pytest.raises(ValidationError) as refused:
        announcement(HOME, whole_province=True)
    assert "areas" in refused.value.message_dict


def test_a_commune_officer_cannot_issue_a_province_announcement():
    with pytest.raises(ValidationError) as refused:
        services.announcement_create(
            actor=commune_officer(HOME), draft=draft(whole_province=True), province_code="04"
        )
    assert "commune" in refused.value.message_dict


def test_a_commune_officer_cannot_issue_for_another_commune():
    with pytest.raises(ValidationError):
        announcement(NEIGHBOUR, actor=commune_officer(HOME))


def test_a_province_admin_issues_a_whole_province_announcement():
    made = announcement(province="04")
    assert (made.commune_id, made.whole_province) == (None, True)


def test_a_draft_without_any_area_is_refused():
    with pytest.raises(ValidationError) as refused:
        services.announcement_create(actor=commune_officer(HOME), draft=draft(), commune_code=HOME)
    assert "areas" in refused.value.message_dict


def test_a_draft_is_created_with_its_audit_row():
    made = announcement(HOME)
    assert ChangeEvent.objects.filter(
        object_type="outreach.announcement", object_id=made.pk, action="create"
    ).exists()


# ---------------------------------------------------------------- approval


def test_submitting_asks_for_approval():
    made = _submitted(HOME)
    assert made.status == Status.SUBMITTED
    assert made.submitted_at is not None


def test_submitting_a_draft_without_areas_is_refused():
    # an upstream alert naming no commune of the province becomes a draft without areas
    [made] = cap_feed.ingest(xml=cap.to_xml(upstream_alert("vn-1")), province_code="04")
    with pytest.raises(ValidationError):
        services.announcement_submit(actor=province_admin("04"), announcement_id=made.pk)


def test_a_second_officer_of_the_commune_approves_and_publishes():
    made = _submitted(HOME)
    approver = commune_officer(HOME)
    services.announcement_approve(actor=approver, announcement_id=made.pk)
    made.refresh_from_db()
    assert (made.status, made.approved_by, made.fast_path) == (Status.PUBLISHED, approver, False)
    assert made.published_at is not None


def test_the_author_cannot_approve_their_own_announcement():
    made = _submitted(HOME)
    with pytest.raises(ValidationError):
        services.announcement_approve(actor=made.created_by, announcement_id=made.pk)
    made.refresh_from_db()
    assert made.status == Status.SUBMITTED


def test_an_officer_of_another_commune_cannot_see_it_to_approve():
    made = _submitted(HOME)
    with pytest.raises(Announcement.DoesNotExist):
        services.announcement_approve(actor=commune_officer(NEIGHBOUR), announcement_id=made.pk)


def test_approving_needs_the_capability_even_with_the_area():
    made = _submitted(HOME)
    with pytest.raises(PermissionDenied):
        services.announcement_approve(actor=analyst("04"), announcement_id=made.pk)


def test_a_team_member_of_a_village_of_the_commune_cannot_approve(village):
    made = _submitted(village)
    with pytest.raises(Announcement.DoesNotExist):
        services.announcement_approve(actor=team_member(village), announcement_id=made.pk)


def test_a_province_admin_approves_a_commune_announcement():
    made = _submitted(HOME)
    services.announcement_approve(actor=province_admin("04"), announcement_id=made.pk)
    made.refresh_from_db()
    assert made.status == Status.PUBLISHED


def test_a_commune_officer_cannot_approve_a_province_announcement():
    made = _submitted(province="04")
    with pytest.raises(Announcement.DoesNotExist):
        services.announcement_approve(actor=commune_officer(HOME), announcement_id=made.pk)


def test_only_a_submitted_announcement_can_be_approved():
    made = announcement(HOME)
    with pytest.raises(ValidationError):
        services.announcement_approve(actor=commune_officer(HOME), announcement_id=made.pk)


def test_a_published_announcement_cannot_be_approved_again():
    made = published(HOME)
    with pytest.raises(ValidationError):
        services.announcement_approve(actor=commune_officer(HOME), announcement_id=made.pk)


def test_returning_needs_a_reason():
    made = _submitted(HOME)
    with pytest.raises(ValidationError) as refused:
        services.announcement_return(
            actor=commune_officer(HOME), announcement_id=made.pk, reason=" "
        )
    assert "reason" in refused.value.message_dict


def test_a_returned_announcement_keeps_the_reason_and_is_editable_again():
    made = _submitted(HOME)
    services.announcement_return(
        actor=commune_officer(HOME), announcement_id=made.pk, reason="Ghi rõ địa điểm tiêm"
    )
    edited = services.announcement_edit(
        actor=made.created_by,
        announcement_id=made.pk,
        draft=draft(commune_codes=[HOME], body="Tiêm tại Trạm y tế xã, 8 giờ sáng thứ Hai."),
    )
    assert (edited.status, edited.returned_reason) == (Status.RETURNED, "Ghi rõ địa điểm tiêm")
    assert edited.body == "Tiêm tại Trạm y tế xã, 8 giờ sáng thứ Hai."


def test_submitting_again_clears_the_returned_reason():
    made = _submitted(HOME)
    services.announcement_return(
        actor=commune_officer(HOME), announcement_id=made.pk, reason="Ghi rõ địa điểm tiêm"
    )
    again = services.announcement_submit(actor=made.created_by, announcement_id=made.pk)
    assert (again.status, again.returned_reason) == (Status.SUBMITTED, "")


def test_a_submitted_announcement_is_not_editable():
    made = _submitted(HOME)
    with pytest.raises(ValidationError):
        services.announcement_edit(
            actor=made.created_by, announcement_id=made.pk, draft=draft(commune_codes=[HOME])
        )


# ---------------------------------------------------------------- emergency fast path


def test_the_fast_path_publishes_an_emergency_without_a_second_person():
    made = announcement(HOME, priority="emergency", category="disaster")
    services.announcement_send_emergency(
        actor=made.created_by, announcement_id=made.pk, reason="Lũ quét đang về"
    )
    made.refresh_from_db()
    assert (made.status, made.fast_path, made.approved_by) == (
        Status.PUBLISHED,
        True,
        made.created_by,
    )
    assert made.fast_path_reason == "Lũ quét đang về"


def test_the_fast_path_is_logged_with_its_reason():
    made = announcement(HOME, priority="emergency", category="disaster")
    services.announcement_send_emergency(
        actor=made.created_by, announcement_id=made.pk, reason="Lũ quét đang về"
    )
    assert "emergency fast path: Lũ quét đang về" in _fast_path_log(made)


def test_the_fast_path_is_only_for_emergencies():
    made = announcement(HOME, priority="priority")
    with pytest.raises(ValidationError):
        services.announcement_send_emergency(
            actor=made.created_by, announcement_id=made.pk, reason="Gấp"
        )
    made.refresh_from_db()
    assert made.status == Status.DRAFT


def test_the_fast_path_needs_a_reason():
    made = announcement(HOME, priority="emergency")
    with pytest.raises(ValidationError) as refused:
        services.announcement_send_emergency(
            actor=made.created_by, announcement_id=made.pk, reason=""
        )
    assert "reason" in refused.value.message_dict


def test_the_fast_path_needs_the_send_emergency_capability():
    made = announcement(HOME, priority="emergency")
    with pytest.raises(PermissionDenied):
        services.announcement_send_emergency(
            actor=analyst("04"), announcement_id=made.pk, reason="Lũ quét"
        )


def test_the_fast_path_refuses_an_emergency_without_areas():
    [made] = cap_feed.ingest(xml=cap.to_xml(upstream_alert("vn-1")), province_code="04")
    with pytest.raises(ValidationError):
        services.announcement_send_emergency(
            actor=province_admin("04"), announcement_id=made.pk, reason="Lũ quét"
        )


def test_the_fast_path_cannot_publish_twice():
    made = announcement(HOME, priority="emergency")
    services.announcement_send_emergency(actor=made.created_by, announcement_id=made.pk, reason="a")
    with pytest.raises(ValidationError):
        services.announcement_send_emergency(
            actor=made.created_by, announcement_id=made.pk, reason="b"
        )


# ---------------------------------------------------------------- update and cancel


def test_an_update_bumps_the_revision(village):
    made = published(village)
    services.announcement_update(
        actor=commune_officer(HOME),
        announcement_id=made.pk,
        draft=draft(village_ids=[village.pk], title="Đổi giờ tiêm chủng"),
        reason="Đổi giờ",
    )
    made.refresh_from_db()
    assert (made.revision, made.title, made.status) == (2, "Đổi giờ tiêm chủng", Status.PUBLISHED)
    assert len(made.cap_sent) == 2


def test_an_update_queues_the_new_revision_again_on_devices_that_fetched_it(village):
    device, _token = cluster(village)
    made = published(village)
    fanout.device_polled(device, now=made.published_at)
    services.announcement_update(
        actor=commune_officer(HOME),
        announcement_id=made.pk,
        draft=draft(village_ids=[village.pk], title="Đổi giờ tiêm chủng"),
        reason="Đổi giờ",
    )
    delivery = made.deliveries.get(device=device)
    assert (delivery.status, delivery.revision, delivery.fetched_at) == (
        DeliveryStatus.QUEUED,
        2,
        None,
    )


def test_an_update_needs_a_reason(village):
    made = published(village)
    with pytest.raises(ValidationError) as refused:
        services.announcement_update(
            actor=commune_officer(HOME),
            announcement_id=made.pk,
            draft=draft(village_ids=[village.pk]),
            reason="",
        )
    assert "reason" in refused.value.message_dict


def test_only_a_published_announcement_is_updated():
    made = announcement(HOME)
    with pytest.raises(ValidationError):
        services.announcement_update(
            actor=commune_officer(HOME),
            announcement_id=made.pk,
            draft=draft(commune_codes=[HOME]),
            reason="Sửa",
        )


def test_cancelling_withdraws_the_announcement_from_every_device(village):
    device, _token = cluster(village)
    made = published(village)
    services.announcement_cancel(
        actor=commune_officer(HOME), announcement_id=made.pk, reason="Hoãn tiêm"
    )
    made.refresh_from_db()
    assert (made.status, made.cancel_reason) == (Status.CANCELLED, "Hoãn tiêm")
    assert made.deliveries.get(device=device).status == DeliveryStatus.WITHDRAWN


def test_cancelling_stops_the_messages_not_yet_sent(village):
    home = household(village, MemberRecord("Lò Văn Páo", "male", 1980, "head", phone="0912345678"))
    consent(home.members.get())
    channel(HOME)
    made = published(village)
    outbox.queue_for(made, "notice")
    services.announcement_cancel(
        actor=commune_officer(HOME), announcement_id=made.pk, reason="Hoãn tiêm"
    )
    assert list(OutboxMessage.objects.values_list("status", flat=True)) == [OutboxStatus.CANCELLED]


def test_cancelling_needs_a_reason():
    made = published(HOME)
    with pytest.raises(ValidationError):
        services.announcement_cancel(
            actor=commune_officer(HOME), announcement_id=made.pk, reason=""
        )


def test_cancelling_a_published_announcement_needs_the_approve_capability():
    made = published(HOME)
    with pytest.raises(PermissionDenied):
        services.announcement_cancel(actor=analyst("04"), announcement_id=made.pk, reason="Hủy")


def test_a_draft_is_simply_cancelled():
    made = announcement(HOME)
    services.announcement_cancel(actor=made.created_by, announcement_id=made.pk, reason="Trùng")
    made.refresh_from_db()
    assert made.status == Status.CANCELLED


def test_a_cancelled_announcement_cannot_be_cancelled_again():
    made = announcement(HOME)
    services.announcement_cancel(actor=made.created_by, announcement_id=made.pk, reason="Trùng")
    with pytest.raises(ValidationError):
        services.announcement_cancel(actor=made.created_by, announcement_id=made.pk, reason="x")


def _approve(made):
    services.announcement_submit(actor=province_admin("04"), announcement_id=made.pk)
    return services.announcement_approve(actor=province_admin("04"), announcement_id=made.pk)


def test_approving_the_draft_of_an_upstream_update_cancels_the_announcement_it_replaces():
    first = upstream_alert("vn-7", HOME)
    [original] = cap_feed.ingest(xml=cap.to_xml(first), province_code="04")
    _approve(original)
    update = upstream_alert("vn-8", HOME, msg_type="Update", references=(first,))
    [replacing] = cap_feed.ingest(xml=cap.to_xml(update), province_code="04")
    assert replacing.replaces == original
    _approve(replacing)
    original.refresh_from_db()
    assert (original.status, original.cancel_reason) == (
        Status.CANCELLED,
        f"Thay bằng thông báo #{replacing.pk}",
    )


# ---------------------------------------------------------------- four eyes, after the draft


def test_who_submitted_an_authorless_draft_cannot_approve_it():
    made = announcement(HOME)
    Announcement.objects.filter(pk=made.pk).update(created_by=None)  # as a draft from CAP
    submitter = commune_officer(HOME)
    services.announcement_submit(actor=submitter, announcement_id=made.pk)
    with pytest.raises(ValidationError):
        services.announcement_approve(actor=submitter, announcement_id=made.pk)


def test_the_author_cannot_update_their_own_published_announcement_alone():
    made = published(HOME)
    with pytest.raises(ValidationError):
        services.announcement_update(
            actor=made.created_by,
            announcement_id=made.pk,
            draft=draft(commune_codes=[HOME], title="Sửa"),
            reason="sửa lỗi",
        )


def test_another_approver_updates_a_published_announcement():
    made = published(HOME)
    updated = services.announcement_update(
        actor=commune_officer(HOME),
        announcement_id=made.pk,
        draft=draft(commune_codes=[HOME], title="Sửa"),
        reason="sửa lỗi",
    )
    assert (updated.revision, updated.title) == (2, "Sửa")


def test_the_author_of_an_emergency_with_the_fast_path_updates_it():
    author = commune_officer(HOME)
    made = announcement(HOME, actor=author, priority="emergency")
    services.announcement_send_emergency(actor=author, announcement_id=made.pk, reason="lũ")
    updated = services.announcement_update(
        actor=author,
        announcement_id=made.pk,
        draft=draft(commune_codes=[HOME], priority="emergency", title="Lũ lên nhanh"),
        reason="thêm hướng dẫn",
    )
    assert updated.revision == 2
