"""Template context: the navigation a user sees, by what their role allows."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from langso.accounts.roles import Capability


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    items = [
        (reverse("home"), _("Trang chủ")),
        (reverse("geo:areas"), _("Địa bàn")),
        (reverse("registry:list"), _("Hộ gia đình")),
    ]
    if user.can(Capability.ASSESS_POVERTY):
        items.append((reverse("poverty:assess"), _("Đánh giá nghèo")))
    if user.can(Capability.RECORD_OBSERVATIONS):
        items.append((reverse("teams:field"), _("Đến hộ")))
    items.append((reverse("teams:list"), _("Tổ công nghệ số")))
    items.append((reverse("outreach:list"), _("Thông tin cơ sở")))
    items.append((reverse("infra:overview"), _("Hạ tầng viễn thông")))
    items.append((reverse("dashboard"), _("Bức tranh chuyển đổi số")))
    items.append((reverse("poverty:reviews"), _("Rà soát")))
    items.append((reverse("poverty:reports"), _("Báo cáo nghèo")))
    items.append((reverse("jobs:list"), _("Tác vụ")))
    if user.can(Capability.MANAGE_USERS):
        items.append((reverse("users"), _("Người dùng")))
    if user.can(Capability.VIEW_AUDIT):
        items.append((reverse("audit:list"), _("Nhật ký")))
    items.append((reverse("account"), _("Tài khoản")))
    return {"nav": items}
