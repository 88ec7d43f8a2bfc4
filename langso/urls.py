from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from langso.accounts import user_views
from langso.accounts import views as account_views
from langso.api.urls import api
from langso.audit import views as audit_views
from langso.geo import views as geo_views
from langso.infra import views as infra_views
from langso.jobs import views as job_views
from langso.outreach import public_views as portal_views
from langso.outreach import setup_views as outreach_setup
from langso.outreach import views as outreach_views
from langso.poverty import review_views
from langso.poverty import views as poverty_views
from langso.registry import duplicate_views
from langso.registry import person_views as person_pages
from langso.registry import views as registry_views
from langso.reports import builder_views as report_builder_views
from langso.reports import views as report_views
from langso.teams import views as team_views

team_patterns = (
    [
        path("", team_views.team_list, name="list"),
        path("<int:team_id>/", team_views.team_detail, name="team"),
        path("<int:team_id>/decision/", team_views.team_decision, name="decision"),
        path("progress/", team_views.progress, name="progress"),
        path(
            "households/<int:household_id>/visits/",
            team_views.household_visits,
            name="household_visits",
        ),
        path("conflicts/<int:conflict_id>/", team_views.conflict_settle, name="conflict"),
        path("field/", team_views.field_app, name="field"),
        path("field/data.json", team_views.field_data, name="field_data"),
        path("field/sync/", team_views.field_sync, name="field_sync"),
        path("field/sw.js", team_views.service_worker, name="sw"),
        path("field/manifest.webmanifest", team_views.manifest, name="manifest"),
    ],
    "teams",
)
outreach_patterns = (
    [
        path("", outreach_views.announcement_list, name="list"),
        path("new/", outreach_views.announcement_new, name="new"),
        path("<int:announcement_id>/", outreach_views.announcement_detail, name="detail"),
        path("<int:announcement_id>/edit/", outreach_views.announcement_edit_page, name="edit"),
        path("<int:announcement_id>/submit/", outreach_views.submit, name="submit"),
        path("<int:announcement_id>/approve/", outreach_views.approve, name="approve"),
        path("<int:announcement_id>/return/", outreach_views.send_back, name="return"),
        path("<int:announcement_id>/emergency/", outreach_views.emergency, name="emergency"),
        path("<int:announcement_id>/cancel/", outreach_views.cancel, name="cancel"),
        path("<int:announcement_id>/spoken/", outreach_views.spoken_text, name="spoken"),
        path("<int:announcement_id>/versions/", outreach_views.version_add, name="version"),
        path(
            "<int:announcement_id>/devices/<str:kind>/",
            outreach_views.devices_of,
            name="devices_of",
        ),
        path("devices/", outreach_setup.devices, name="devices"),
        path("stations/<int:station_id>/slots/", outreach_setup.slot_new, name="slot_new"),
        path("slots/<int:slot_id>/delete/", outreach_setup.slot_delete, name="slot_delete"),
        path("devices/<int:device_id>/token/", outreach_setup.token_rotate, name="token_rotate"),
        path("channels/", outreach_setup.channels, name="channels"),
        path("dictionary/", outreach_setup.dictionary, name="dictionary"),
        path("feedback/", outreach_setup.feedback_list, name="feedback"),
        path(
            "feedback/<int:feedback_id>/answer/",
            outreach_setup.feedback_reply,
            name="feedback_reply",
        ),
    ],
    "outreach",
)
infra_patterns = (
    [
        path("", infra_views.overview, name="overview"),
        path("stations/", infra_views.stations, name="stations"),
        path("coverage/<str:commune_code>/", infra_views.coverage, name="coverage"),
        path("hotspots/", infra_views.hotspots, name="hotspots"),
        path("subscribers/", infra_views.subscribers, name="subscribers"),
        path("import/", infra_views.import_page, name="import"),
        path("import/<str:kind>.csv", infra_views.import_template, name="template"),
    ],
    "infra",
)
portal_patterns = (
    [
        path("", portal_views.portal, name="home"),
        path("<int:announcement_id>/", portal_views.portal_detail, name="detail"),
        path("hoi-dap/", portal_views.feedback_page, name="feedback"),
        path("rss/", portal_views.AnnouncementsRss(), name="rss"),
        path("atom/", portal_views.AnnouncementsAtom(), name="atom"),
        path("cap/<str:province_code>.xml", portal_views.cap_feed_view, name="cap_feed"),
        path("<int:announcement_id>/cap.xml", portal_views.cap_alert_view, name="cap_alert"),
    ],
    "portal",
)
geo_patterns = (
    [
        path("", geo_views.areas, name="areas"),
        path("communes/<str:code>/", geo_views.commune_detail, name="commune"),
        path("communes/<str:code>/area-type/", geo_views.commune_area_type, name="area_type"),
        path("villages/<int:village_id>/", geo_views.village_edit, name="village_edit"),
        path("villages/import/", geo_views.villages_import, name="villages_import"),
        path("villages/template.csv", geo_views.villages_template, name="villages_template"),
        path("convert/", geo_views.convert, name="convert"),
        path("village-options/", geo_views.village_options, name="village_options"),
    ],
    "geo",
)
job_patterns = (
    [
        path("", job_views.job_list, name="list"),
        path("<int:job_id>/", job_views.job_detail, name="detail"),
        path("<int:job_id>/retry/", job_views.job_retry_view, name="retry"),
        path("<int:job_id>/errors.csv", job_views.job_errors_csv, name="errors"),
        path("<int:job_id>/download/", job_views.job_download, name="download"),
    ],
    "jobs",
)
poverty_patterns = (
    [
        path("", poverty_views.assess_area_page, name="assess"),
        path("results/<int:job_id>/", poverty_views.run_result, name="result"),
        path("check-file/", poverty_views.check_file_page, name="check_file"),
        path("reports/", poverty_views.reports_page, name="reports"),
        path("reports/xlsx/", poverty_views.reports_xlsx, name="reports_xlsx"),
        path("reports/list/", poverty_views.named_list, name="named_list"),
        path("reviews/", review_views.review_list, name="reviews"),
        path("reviews/<int:review_id>/", review_views.review_detail, name="review"),
        path("reviews/<int:review_id>/finish/", review_views.review_finish, name="review_finish"),
        path(
            "reviews/<int:review_id>/applications/",
            review_views.review_application,
            name="review_application",
        ),
        path(
            "reviews/<int:review_id>/households/<int:entry_id>/screen/",
            review_views.review_screen,
            name="review_screen",
        ),
        path(
            "reviews/<int:review_id>/households/<int:entry_id>/survey/",
            review_views.review_survey,
            name="review_survey",
        ),
        path(
            "reviews/<int:review_id>/households/<int:entry_id>/certificate.pdf",
            review_views.certificate_pdf,
            name="review_certificate",
        ),
        path(
            "reviews/<int:review_id>/certificates/",
            review_views.certificates_all,
            name="review_certificates",
        ),
        path(
            "reviews/<int:review_id>/meetings/", review_views.review_meeting, name="review_meeting"
        ),
        path(
            "reviews/<int:review_id>/meetings/<int:meeting_id>/minutes/<str:which>/",
            review_views.meeting_minutes,
            name="review_minutes",
        ),
        path(
            "reviews/<int:review_id>/posting/", review_views.review_posting, name="review_posting"
        ),
        path(
            "reviews/<int:review_id>/posting/list/", review_views.posting_list, name="posting_list"
        ),
        path(
            "reviews/<int:review_id>/complaints/",
            review_views.complaint_add,
            name="review_complaint",
        ),
        path(
            "reviews/<int:review_id>/complaints/<int:complaint_id>/resolve/",
            review_views.complaint_resolve,
            name="review_resolve",
        ),
        path("reviews/<int:review_id>/decision/", review_views.review_decide, name="review_decide"),
        path(
            "households/<int:household_id>/",
            poverty_views.household_assessment,
            name="household",
        ),
        path(
            "households/<int:household_id>/assess/",
            poverty_views.household_assess,
            name="household_assess",
        ),
    ],
    "poverty",
)
registry_patterns = (
    [
        path("", registry_views.household_list, name="list"),
        path("new/", registry_views.household_new, name="new"),
        path("export/", registry_views.household_export, name="export"),
        path("<int:household_id>/", registry_views.household_detail, name="detail"),
        path("<int:household_id>/edit/", registry_views.household_edit, name="edit"),
        path("<int:household_id>/members/new/", registry_views.member_form, name="member_new"),
        path(
            "<int:household_id>/members/<int:member_id>/edit/",
            registry_views.member_form,
            name="member_edit",
        ),
        path(
            "<int:household_id>/members/<int:member_id>/leave/",
            registry_views.member_leave,
            name="member_leave",
        ),
        path(
            "<int:household_id>/members/<int:member_id>/head/",
            registry_views.head_change,
            name="head_change",
        ),
        path(
            "<int:household_id>/digital/new/",
            registry_views.observation_new,
            name="observation_new",
        ),
        path("duplicates/", duplicate_views.duplicate_list, name="duplicates"),
        path(
            "duplicates/<str:kind>/<int:first>/<int:second>/",
            duplicate_views.duplicate_compare,
            name="duplicate_compare",
        ),
        path("people/<int:member_id>/", person_pages.person, name="person"),
        path("people/<int:member_id>/export/", person_pages.person_export, name="person_export"),
        path("people/<int:member_id>/erase/", person_pages.person_erase, name="person_erase"),
        path("people/<int:member_id>/consent/", person_pages.person_consent, name="person_consent"),
        path("import/", registry_views.households_import, name="import"),
        path("import/template.xlsx", registry_views.import_template, name="import_template"),
    ],
    "registry",
)
audit_patterns = (
    [
        path("", audit_views.event_list, name="list"),
        path("<int:event_id>/", audit_views.event_detail, name="detail"),
    ],
    "audit",
)

urlpatterns = [
    path("", account_views.home, name="home"),
    path("account/login/", account_views.LoginView.as_view(), name="login"),
    path("account/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/2fa/", account_views.two_factor, name="two_factor"),
    path("account/", account_views.account, name="account"),
    path("account/tokens/<int:token_id>/revoke/", account_views.revoke_token, name="revoke_token"),
    path("account/users/", user_views.user_list, name="users"),
    path("account/users/new/", user_views.user_new, name="user_new"),
    path("account/users/<int:user_id>/", user_views.user_detail, name="user_detail"),
    path("account/users/<int:user_id>/password/", user_views.user_password, name="user_password"),
    path(
        "account/users/<int:user_id>/areas/<int:assignment_id>/remove/",
        user_views.user_area_remove,
        name="user_area_remove",
    ),
    path("geo/", include(geo_patterns)),
    path("jobs/", include(job_patterns)),
    path("households/", include(registry_patterns)),
    path("poverty/", include(poverty_patterns)),
    path("teams/", include(team_patterns)),
    path("outreach/", include(outreach_patterns)),
    path("infra/", include(infra_patterns)),
    path("reports/", report_views.dashboard, name="dashboard"),
    path("reports/gaps/", report_views.gap_finder, name="gaps"),
    path("reports/builder/", report_builder_views.report_builder, name="report_builder"),
    path("reports/brief/", report_builder_views.brief, name="brief"),
    path("thong-bao/", include(portal_patterns)),
    path("bang-tin/", portal_views.board, name="board"),
    path("bang-tin/screen.json", portal_views.board_screen, name="board_screen"),
    path("bang-tin/receipt/", portal_views.board_receipt, name="board_receipt"),
    path("audit/", include(audit_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
