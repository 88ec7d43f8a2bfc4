from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TokenCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Mã 6 số trong ứng dụng xác thực"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Nhập đúng 6 chữ số.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Tên khóa (ví dụ: máy tính bảng tổ 3)"), max_length=100)
    days = forms.IntegerField(label=_("Hết hạn sau (ngày)"), min_value=1, max_value=365, initial=90)


class UserForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    phone = forms.RegexField(
        label=_("Điện thoại"),
        regex=r"^\+?[0-9 .]{9,15}$",
        required=False,
        error_messages={"invalid": _("Số điện thoại không hợp lệ.")},
    )
    role = forms.ChoiceField(label=_("Vai trò"))
    is_active = forms.BooleanField(label=_("Được đăng nhập"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from langso.accounts.models import ROLE_CHOICES

        self.fields["role"].choices = ROLE_CHOICES


class NewUserForm(UserForm):
    username = forms.RegexField(
        label=_("Tên đăng nhập"),
        regex=r"^[a-z0-9._-]{3,40}$",
        help_text=_("Chữ thường không dấu, số, dấu chấm; ví dụ: thon.nari.mai"),
        error_messages={"invalid": _("Chỉ dùng chữ thường không dấu, số, dấu chấm, gạch.")},
    )
    password = forms.CharField(
        label=_("Mật khẩu ban đầu"), widget=forms.PasswordInput(render_value=True), min_length=8
    )
    field_order = ["username", "full_name", "phone", "role", "password"]


class AreaForm(forms.Form):
    """One unit: the whole province, a commune, or a village of that commune."""

    level = forms.ChoiceField(
        label=_("Cấp"),
        choices=[("commune", _("Xã / phường")), ("village", _("Thôn")), ("province", _("Cả tỉnh"))],
    )
    province = forms.ChoiceField(label=_("Tỉnh"), required=False)
    commune = forms.ChoiceField(label=_("Xã / phường"), required=False)
    village = forms.IntegerField(label=_("Thôn"), required=False, widget=forms.Select)

    def __init__(self, *args, provinces=(), communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [(p.code, p.name) for p in provinces]
        self.fields["commune"].choices = [("", "—")] + [(c.code, c.name) for c in communes]

    def unit(self) -> dict:
        data = self.cleaned_data
        if data["level"] == "province":
            return {"province": data.get("province") or ""}
        if data["level"] == "village":
            return {"village": data.get("village")}
        return {"commune": data.get("commune") or ""}
