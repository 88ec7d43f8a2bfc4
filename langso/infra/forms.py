"""Forms of the infrastructure pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from langso.infra.models import Level, Network, Operator, Place, SiteStatus

DATE = forms.DateInput(attrs={"type": "date"})
KINDS = [
    ("stations", _("Trạm BTS (nhà mạng)")),
    ("coverage", _("Vùng phủ sóng theo thôn")),
    ("subscribers", _("Số thuê bao theo xã, theo kỳ")),
    ("hotspots", _("Điểm wifi công cộng")),
]
UPLOAD_TYPES = (".csv", ".xlsx", ".xls", ".ods")


class StationForm(forms.Form):
    operator = forms.ChoiceField(label=_("Nhà mạng"), choices=Operator.choices)
    site_code = forms.CharField(label=_("Mã trạm"), max_length=40)
    commune = forms.ChoiceField(label=_("Xã / phường"))
    village = forms.TypedChoiceField(label=_("Thôn"), coerce=int, empty_value=None, required=False)
    technologies = forms.MultipleChoiceField(
        label=_("Công nghệ"),
        choices=[("2g", "2G"), ("3g", "3G"), ("4g", "4G"), ("5g", "5G")],
        widget=forms.CheckboxSelectMultiple,
    )
    status = forms.ChoiceField(label=_("Tình trạng"), choices=SiteStatus.choices)
    lat = forms.FloatField(label=_("Vĩ độ"), required=False, min_value=8, max_value=24)
    lon = forms.FloatField(label=_("Kinh độ"), required=False, min_value=102, max_value=118)
    on_air_on = forms.DateField(label=_("Ngày phát sóng"), widget=DATE, required=False)

    def __init__(self, *args, communes=(), villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [(c.code, c.name) for c in communes]
        self.fields["village"].choices = [("", "—")] + [
            (v.pk, f"{v.name} ({v.commune.name})") for v in villages
        ]


class HotspotForm(forms.Form):
    commune = forms.ChoiceField(label=_("Xã / phường"))
    village = forms.TypedChoiceField(label=_("Thôn"), coerce=int, empty_value=None, required=False)
    name = forms.CharField(label=_("Tên điểm"), max_length=200)
    place = forms.ChoiceField(label=_("Nơi đặt"), choices=Place.choices)
    provider = forms.ChoiceField(label=_("Đơn vị cung cấp"), choices=Operator.choices)
    free = forms.BooleanField(label=_("Miễn phí"), required=False, initial=True)
    installed_on = forms.DateField(label=_("Ngày lắp đặt"), widget=DATE, required=False)

    def __init__(self, *args, communes=(), villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [(c.code, c.name) for c in communes]
        self.fields["village"].choices = [("", "—")] + [
            (v.pk, f"{v.name} ({v.commune.name})") for v in villages
        ]


class CoverageForm(forms.Form):
    village = forms.IntegerField(widget=forms.HiddenInput)
    network = forms.ChoiceField(choices=Network.choices, widget=forms.HiddenInput)
    level = forms.ChoiceField(label=_("Mức phủ sóng"), choices=Level.choices)
    as_of = forms.DateField(label=_("Thời điểm"), widget=DATE)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại số liệu"), choices=KINDS)
    file = forms.FileField(
        label=_("Tệp CSV hoặc Excel"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(UPLOAD_TYPES)}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(UPLOAD_TYPES):
            raise forms.ValidationError(_("Chỉ nhận tệp CSV, XLSX, XLS hoặc ODS."))
        if upload.size > 50_000_000:
            raise forms.ValidationError(_("Tệp tối đa 50 MB."))
        return upload
