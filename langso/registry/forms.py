from django import forms
from django.utils.translation import gettext_lazy as _

from langso.registry.ethnicity import catalogue
from langso.registry.models import (
    DigitalObservation,
    Household,
    Member,
    ObservationSource,
    Relationship,
    Sex,
)
from langso.registry.records import DIGITAL_FIELDS, HOUSEHOLD_FACTS, MEMBER_FACTS, MemberRecord


class HouseholdImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx) hoặc CSV theo mẫu"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.xls,.ods"}),
    )
    valid_only = forms.BooleanField(
        label=_("Nếu có dòng sai: vẫn nhập các hộ hợp lệ, bỏ qua hộ có lỗi"), required=False
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".csv", ".xlsx", ".xls", ".ods", ".txt")):
            raise forms.ValidationError(_("Chỉ nhận tệp .csv hoặc .xlsx."))
        return f


def _tristate(label) -> forms.NullBooleanField:
    return forms.NullBooleanField(
        label=label,
        required=False,
        widget=forms.Select(
            choices=[("unknown", _("Chưa rõ")), ("true", _("Có")), ("false", _("Không"))]
        ),
    )


def _choice(model, name: str) -> forms.ChoiceField:
    field = model._meta.get_field(name)
    return forms.ChoiceField(
        label=field.verbose_name, choices=[("", "—"), *field.choices], required=False
    )


class HouseholdForm(forms.Form):
    """A household's place and housing facts (members are added one by one on its page)."""

    village = forms.ModelChoiceField(label=_("Thôn / tổ dân phố"), queryset=None)
    address = forms.CharField(label=_("Địa chỉ (số nhà, xóm)"), max_length=200, required=False)
    wall = _choice(Household, "wall")
    column = _choice(Household, "column")
    roof = _choice(Household, "roof")
    floor_area_m2 = forms.DecimalField(
        label=Household._meta.get_field("floor_area_m2").verbose_name,
        max_digits=7,
        decimal_places=1,
        min_value=0,
        required=False,
    )
    water_source = _choice(Household, "water_source")
    latrine = _choice(Household, "latrine")
    income_per_person = forms.IntegerField(
        label=Household._meta.get_field("income_per_person").verbose_name,
        min_value=0,
        required=False,
    )
    is_person_of_merit = _tristate(Household._meta.get_field("is_person_of_merit").verbose_name)
    no_working_capacity = _tristate(Household._meta.get_field("no_working_capacity").verbose_name)

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["village"].label_from_instance = lambda v: f"{v.name} · {v.commune.name}"

    def facts(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in HOUSEHOLD_FACTS} | {
            name: self.cleaned_data.get(name) or ""
            for name in ("wall", "column", "roof", "water_source", "latrine")
        }


class MemberForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=120)
    sex = forms.ChoiceField(label=_("Giới tính"), choices=Sex.choices)
    birth_date = forms.DateField(
        label=_("Ngày sinh (nếu biết)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    birth_year = forms.IntegerField(label=_("Năm sinh"), required=False, min_value=1900)
    relationship = forms.ChoiceField(label=_("Quan hệ với chủ hộ"), choices=Relationship.choices)
    ethnicity = forms.ChoiceField(label=_("Dân tộc"), required=False)
    id_number = forms.CharField(
        label=_("Số CCCD (12 số)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Điện thoại"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    work_status = _choice(Member, "work_status")
    has_health_insurance = _tristate(Member._meta.get_field("has_health_insurance").verbose_name)
    education = _choice(Member, "education")
    in_school = _tristate(Member._meta.get_field("in_school").verbose_name)
    school_level_fits_age = _tristate(Member._meta.get_field("school_level_fits_age").verbose_name)
    undernourished = _tristate(Member._meta.get_field("undernourished").verbose_name)
    has_disability = _tristate(Member._meta.get_field("has_disability").verbose_name)
    has_chronic_illness = _tristate(Member._meta.get_field("has_chronic_illness").verbose_name)
    receives_social_allowance = _tristate(
        Member._meta.get_field("receives_social_allowance").verbose_name
    )

    def __init__(self, *args, sensitive: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ethnicity"].choices = [("", "—")] + [
            (g.code, g.name) for g in catalogue().groups
        ]
        if not sensitive:  # only users who may see sensitive data may write it
            for name in (
                "ethnicity",
                "id_number",
                "undernourished",
                "has_disability",
                "has_chronic_illness",
            ):
                del self.fields[name]

    def record(self) -> MemberRecord:
        data = self.cleaned_data
        return MemberRecord(
            full_name=data["full_name"],
            sex=data["sex"],
            birth_year=data.get("birth_year")
            or (data["birth_date"].year if data.get("birth_date") else None),
            relationship=data["relationship"],
            birth_date=data.get("birth_date"),
            ethnicity=data.get("ethnicity", ""),
            id_number=data.get("id_number", ""),
            phone=data.get("phone", ""),
            facts={
                name: (data.get(name) or "")
                if name in ("work_status", "education")
                else data.get(name)
                for name in MEMBER_FACTS
                if name in self.fields
            },
        )


class NewHouseholdForm(HouseholdForm, MemberForm):
    """The first page of a new household: where it lives and its head."""

    def __init__(self, *args, villages, sensitive: bool, **kwargs):
        forms.Form.__init__(self, *args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["village"].label_from_instance = lambda v: f"{v.name} · {v.commune.name}"
        self.fields["ethnicity"].choices = [("", "—")] + [
            (g.code, g.name) for g in catalogue().groups
        ]
        del self.fields["relationship"]
        if not sensitive:
            for name in (
                "ethnicity",
                "id_number",
                "undernourished",
                "has_disability",
                "has_chronic_illness",
            ):
                del self.fields[name]

    def head(self) -> MemberRecord:
        self.cleaned_data["relationship"] = "head"
        return self.record()


class ObservationForm(forms.Form):
    observed_on = forms.DateField(
        label=_("Ngày ghi nhận"), widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.ChoiceField(label=_("Nguồn"), choices=ObservationSource.choices)
    member = forms.TypedChoiceField(label=_("Của ai"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", _("Cả hộ"))] + [(m.pk, m.full_name) for m in members]
        for name in DIGITAL_FIELDS:
            if name == "vneid_level":
                self.fields[name] = forms.TypedChoiceField(
                    label=DigitalObservation._meta.get_field(name).verbose_name,
                    choices=[
                        ("", _("Chưa rõ")),
                        (0, _("Chưa có")),
                        (1, _("Mức 1")),
                        (2, _("Mức 2")),
                    ],
                    coerce=int,
                    empty_value=None,
                    required=False,
                )
            else:
                self.fields[name] = _tristate(DigitalObservation._meta.get_field(name).verbose_name)

    def facts(self) -> dict:
        return {
            name: self.cleaned_data.get(name)
            for name in DIGITAL_FIELDS
            if self.cleaned_data.get(name) is not None
        }


class LeaveForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Lý do"), choices=[("moved", _("Chuyển đi nơi khác")), ("died", _("Đã mất"))]
    )


class ExportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Danh sách"),
        choices=[
            ("people", _("Từng người (theo mẫu nhập)")),
            ("households", _("Từng hộ, kèm chỉ tiêu số")),
        ],
    )
    format = forms.ChoiceField(
        label=_("Định dạng"), choices=[("xlsx", "Excel (.xlsx)"), ("csv", "CSV")]
    )
    full_id = forms.BooleanField(label=_("Kèm số CCCD đầy đủ"), required=False)
