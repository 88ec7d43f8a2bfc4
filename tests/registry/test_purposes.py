"""The catalogue of processing purposes: legal basis, fields, sources (pure, no database)."""

import pytest

from langso.registry.purposes import CONSENT, LEGAL_OBLIGATION, catalogue, parse

MINIMAL = """
source = "test"
version = "1"
[children]
age_below = 16
confirmed = false
[[methods]]
code = "signed_form"
label_vi = "Ký phiếu"
label_en = "Signed form"
valid_for_consent = true
confirmed = true
[[purposes]]
code = "contact"
label_vi = "Liên lạc"
label_en = "Contact"
description_vi = "Gọi điện"
description_en = "Calls"
legal_basis = "consent"
confirmed = true
fields = ["member.phone"]
retention_vi = "Đến khi rút lại"
retention_en = "Until withdrawn"
retention_confirmed = false
"""


def test_the_poverty_review_rests_on_a_legal_obligation():
    assert catalogue().get("poverty_review").legal_basis == LEGAL_OBLIGATION


def test_the_poverty_review_cites_decree_07_2021():
    texts = [c.text for c in catalogue().get("poverty_review").citations]
    assert any("07/2021/NĐ-CP" in t for t in texts)


def test_the_poverty_review_cites_the_review_procedure():
    texts = " ".join(c.text for c in catalogue().get("poverty_review").citations)
    assert "24/2021/QĐ-TTg" in texts
    assert "07/2021/TT-BLĐTBXH" in texts


def test_digital_support_and_contact_need_consent():
    assert {p.code for p in catalogue().consent_purposes} == {"digital_support", "contact"}


def test_contact_covers_the_phone_number():
    assert catalogue().get("contact").fields_of("member") == ("phone",)


def test_digital_support_covers_the_persons_own_observations():
    assert catalogue().get("digital_support").fields == ("member_observation.*",)


def test_the_article_allowing_processing_without_consent_is_marked_unconfirmed():
    citations = catalogue().get("poverty_review").citations
    assert not next(c for c in citations if c.text.startswith("Luật 91/2025")).confirmed


def test_retention_periods_are_marked_unconfirmed():
    assert not any(p.retention_confirmed for p in catalogue().purposes)


def test_every_purpose_has_vietnamese_and_english_labels():
    purpose = catalogue().get("contact")
    assert (purpose.label("vi"), purpose.label("en-us")) == (
        "Liên lạc, gửi thông báo (điện thoại, Zalo, tin nhắn)",
        "Contact and announcements (phone, Zalo, SMS)",
    )


def test_consent_based_member_fields_are_only_the_phone():
    assert catalogue().fields_by_basis("member", CONSENT) == frozenset({"phone"})


def test_a_spoken_answer_cannot_record_a_consent():
    assert not catalogue().method("verbal").valid_for_consent


def test_a_signed_form_records_a_consent():
    assert catalogue().method("signed_form").valid_for_consent


def test_the_erasure_method_exists_for_automatic_withdrawals():
    assert catalogue().method("erasure_request") is not None


def test_the_child_age_limit_is_flagged_unconfirmed():
    assert (catalogue().child_age_below, catalogue().child_age_confirmed) == (16, False)


def test_a_minimal_catalogue_parses():
    assert parse(MINIMAL).get("contact").requires_consent


def test_an_unknown_legal_basis_is_refused():
    with pytest.raises(ValueError, match="legal_basis"):
        parse(MINIMAL.replace('legal_basis = "consent"', 'legal_basis = "interest"'))


def test_a_legal_obligation_without_a_source_is_refused():
    bad = MINIMAL.replace('legal_basis = "consent"', 'legal_basis = "legal_obligation"')
    with pytest.raises(ValueError, match="cite"):
        parse(bad)


def test_a_field_reference_outside_the_known_records_is_refused():
    with pytest.raises(ValueError, match="bad field"):
        parse(MINIMAL.replace('"member.phone"', '"visit.notes"'))


def test_duplicate_purpose_codes_are_refused():
    purpose = MINIMAL[MINIMAL.index("[[purposes]]") :]
    with pytest.raises(ValueError, match="duplicate purpose"):
        parse(MINIMAL + purpose)


def test_a_missing_label_is_refused():
    with pytest.raises(ValueError, match="label_en"):
        parse(MINIMAL.replace('label_en = "Contact"\n', ""))
