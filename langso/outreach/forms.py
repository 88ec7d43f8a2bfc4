"""Forms of the announcement pages."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from langso.outreach.models import (
    Category,
    ChannelKind,
    DeviceKind,
    FeedbackSource,
    Language,
    Priority,
    TargetGroup,
)
from langso.outreach.services import Draft

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
PROVINCE = "province"


class AnnouncementForm(forms.Form):
    issuer = forms.ChoiceField(label=_("Đơn vị phát hành"))
    title = forms.CharField(label=_("Tiêu đề"), max_length=200)
    body = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 8}))
    category = forms.ChoiceField(label=_("Lĩnh vực"), choices=Category.choices)
    priority = forms.ChoiceField(
        label=_("Mức độ"),
        choices=Priority.choices,
        help_text=_("Khẩn cấp: phát ngay trên loa, ngắt chương trình đang phát."),
    )
    whole_province = forms.BooleanField(label=_("Toàn tỉnh"), required=False)
    communes = forms.MultipleChoiceField(
        label=_("Các xã, phường nhận (cả xã)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    villages = forms.TypedMultipleChoiceField(
        label=_("Hoặc chỉ các thôn"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Nhóm đối tượng nhận tin nhắn (để trống: mọi người)"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    valid_from = forms.DateTimeField(label=_("Hiệu lực từ"), widget=WHEN)
    valid_until = forms.DateTimeField(label=_("Hiệu lực đến"), widget=WHEN)
    plays_per_day = forms.IntegerField(
        label=_("Số lần phát trên loa mỗi ngày"), min_value=1, max_value=12, initial=2
    )

    def __init__(self, *args, issuers=(), province=None, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(c.code, c.name) for c in issuers]
        if province is not None:
            level = _("cấp tỉnh")  # outside the f-string, so makemessages finds it
            choices.insert(0, (PROVINCE, f"{province.name} ({level})"))
        self.fields["issuer"].choices = choices
        self.fields["communes"].choices = [(c.code, c.name) for c in issuers]
        self.fields["villages"].choices = [(v.pk, f"{v.name} ({v.commune.name})") for v in villages]
        if province is None:
            del self.fields["whole_province"]
        if not self.is_bound and "valid_from" not in self.initial:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial["valid_from"] = now
            self.initial["valid_until"] = now + dt.timedelta(days=7)

    def draft(self) -> Draft:
        data = self.cleaned_data
        return Draft(
            title=data["title"],
            body=data["body"],
            category=data["category"],
            priority=data["priority"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            commune_codes=list(data.get("communes") or []),
            village_ids=list(data.get("villages") or []),
            whole_province=bool(data.get("whole_province")),
            target_groups=list(data.get("target_groups") or []),
            plays_per_day=data["plays_per_day"],
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=300)


class SpokenTextForm(forms.Form):
    spoken_text = forms.CharField(
        label=_("Văn bản đọc trên loa"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_("Số, ngày giờ, tiền, từ viết tắt đã được viết thành chữ. Sửa nếu đọc sai."),
    )


class VersionForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Ngôn ngữ"), choices=[c for c in Language.choices if c[0] != Language.VI]
    )
    title = forms.CharField(label=_("Tiêu đề"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    recording = forms.FileField(
        label=_("Bản thu âm (MP3, WAV)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".mp3,.wav,audio/*"}),
    )


class StationForm(forms.Form):
    commune = forms.ChoiceField(label=_("Xã / phường"))
    name = forms.CharField(label=_("Tên đài"), max_length=200)

    def __init__(self, *args, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [(c.code, c.name) for c in communes]


class SlotForm(forms.Form):
    starts_at = forms.TimeField(
        label=_("Giờ bắt đầu"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    ends_at = forms.TimeField(
        label=_("Giờ kết thúc"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    weekdays = forms.MultipleChoiceField(
        label=_("Các ngày"),
        choices=[(str(d), n) for d, n in enumerate(["T2", "T3", "T4", "T5", "T6", "T7", "CN"], 1)],
        initial=list("1234567"),
        widget=forms.CheckboxSelectMultiple,
    )
    name = forms.CharField(label=_("Tên chương trình"), max_length=100, required=False)


class DeviceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=DeviceKind.choices)
    commune = forms.ChoiceField(label=_("Xã / phường"))
    village = forms.TypedChoiceField(label=_("Thôn"), coerce=int, empty_value=None, required=False)
    station = forms.TypedChoiceField(
        label=_("Đài truyền thanh (cụm loa)"), coerce=int, empty_value=None, required=False
    )
    name = forms.CharField(label=_("Tên"), max_length=200)
    location = forms.CharField(label=_("Vị trí"), max_length=200, required=False)

    def __init__(self, *args, communes=(), villages=(), stations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [(c.code, c.name) for c in communes]
        self.fields["village"].choices = [("", _("— cả xã —"))] + [
            (v.pk, f"{v.name} ({v.commune.name})") for v in villages
        ]
        self.fields["station"].choices = [("", "—")] + [(s.pk, s.name) for s in stations]


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại kênh"), choices=ChannelKind.choices)
    owner = forms.ChoiceField(label=_("Của đơn vị"))
    name = forms.CharField(label=_("Tên"), max_length=100)
    config = forms.CharField(
        label=_("Cấu hình (JSON)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            'Ví dụ SMS: {"endpoint": "https://…", "api_key": "…", "brandname": "UBND XA"}. '
            "Khóa bí mật được mã hóa khi lưu."
        ),
    )
    rate_per_minute = forms.IntegerField(
        label=_("Số tin mỗi phút"), min_value=1, max_value=100000, initial=60
    )

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = list(owners)

    def clean_config(self) -> dict:
        import json

        try:
            value = json.loads(self.cleaned_data["config"])
        except ValueError as exc:
            raise forms.ValidationError(_("Cấu hình không phải JSON hợp lệ: %s") % exc) from exc
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Cấu hình phải là một đối tượng JSON {…}."))
        return value


class SpokenFormForm(forms.Form):
    written = forms.CharField(label=_("Cách viết"), max_length=40)
    spoken = forms.CharField(label=_("Cách đọc"), max_length=200)


class FeedbackForm(forms.Form):
    """The portal's form (and the officer's, with a source)."""

    commune = forms.ChoiceField(label=_("Xã / phường"))
    village = forms.TypedChoiceField(label=_("Thôn"), coerce=int, empty_value=None, required=False)
    name = forms.CharField(label=_("Họ tên (không bắt buộc)"), max_length=150, required=False)
    contact = forms.CharField(
        label=_("Số điện thoại hoặc email để trả lời (không bắt buộc)"),
        max_length=150,
        required=False,
    )
    question = forms.CharField(
        label=_("Câu hỏi, phản ánh"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # left empty by people

    def __init__(self, *args, communes=(), villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [(c.code, c.name) for c in communes]
        self.fields["village"].choices = [("", "—")] + [(v.pk, v.name) for v in villages]


class RecordFeedbackForm(FeedbackForm):
    source = forms.ChoiceField(
        label=_("Nguồn"),
        choices=[
            (FeedbackSource.OFFICE.value, FeedbackSource.OFFICE.label),
            (FeedbackSource.VISIT.value, FeedbackSource.VISIT.label),
        ],
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Trả lời"), widget=forms.Textarea(attrs={"rows": 4}))
    publish = forms.BooleanField(label=_("Công khai trên cổng thông tin"), required=False)
