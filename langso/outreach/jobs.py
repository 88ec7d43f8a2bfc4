"""Background jobs of grassroots information: render an announcement's audio, queue and send its
messages."""

from langso.jobs.registry import JobFailed, register
from langso.outreach import audio_render, outbox
from langso.outreach.models import Announcement, Status


@register("outreach.dispatch")
def dispatch_job(job, progress) -> dict:
    """After publishing, updating or cancelling: the revision's audio (not for a cancel), the
    messages to queue, and a first sending round (retries follow from ``outreach-deliver``)."""
    announcement = Announcement.objects.filter(pk=job.params["announcement"]).first()
    if announcement is None:
        raise JobFailed("the announcement no longer exists")
    kind = job.params.get("kind", "notice")
    result: dict = {"clips": 0}
    if kind != "cancel" and (
        announcement.status != Status.PUBLISHED or announcement.revision != job.params["revision"]
    ):
        # cancelled or updated again before the worker got here: the cancel's (or the newer
        # revision's) own job tells people; this one would send the withdrawn text
        result["skipped"] = "announcement cancelled or updated since"
        return result
    if kind != "cancel":
        progress(0, 3, "Đọc thông báo thành tiếng")
        result["clips"] = len(audio_render.render_clips(announcement))
    progress(1, 3, "Lập danh sách người nhận tin nhắn")
    result["queued"] = outbox.queue_for(announcement, kind)
    progress(2, 3, "Gửi tin nhắn")
    result.update(outbox.deliver_due(announcement_id=announcement.pk))
    return result
