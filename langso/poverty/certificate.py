"""Giấy chứng nhận hộ nghèo, hộ cận nghèo: one PDF page per recognised household of a review
(fields as in the QĐ 24/2021 template: number, head's name, ethnicity, ID number, permanent
residence, and the members with their ethnicity, relationship and year of birth by sex).

The page is HTML (``templates/poverty/review/certificate.html``) printed by WeasyPrint with the
Noto fonts the system provides; it holds ID numbers and ethnicity, so only users who may see
sensitive data get it, and each print is logged as a read of those fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from langso.core.field_encryption import decrypt
from langso.poverty.models import Review, ReviewHousehold
from langso.registry.ethnicity import catalogue as ethnic_groups
from langso.registry.models import Sex
from langso.registry.queries import members_of

FIELDS = ("full_name", "ethnicity", "id_number", "relationship", "birth_year")


@dataclass(frozen=True)
class Row:
    name: str
    ethnicity: str
    relationship: str
    male_birth_year: int | None
    female_birth_year: int | None


@dataclass(frozen=True)
class Certificate:
    number: str
    klass: str  # poor, near_poor
    review_year: int
    head_name: str
    head_ethnicity: str
    head_id_number: str
    residence: str
    members: tuple[Row, ...]


def _ethnicity(code: str) -> str:
    group = ethnic_groups().by_code(code) if code else None
    return group.name if group else code


def certificate_of(entry: ReviewHousehold) -> Certificate:
    household = entry.household
    members = list(members_of(household))  # the head first, then by age
    head = members[0] if members else None
    village, commune = household.village, household.commune
    return Certificate(
        number=entry.certificate_number,
        klass=entry.final_class,
        review_year=entry.review.review_year,
        head_name=head.full_name if head else "",
        head_ethnicity=_ethnicity(head.ethnicity) if head else "",
        head_id_number=decrypt(head.id_number_encrypted)
        if head and head.id_number_encrypted
        else "",
        residence=", ".join(
            part
            for part in (household.address, village.name, commune.name, commune.province.name)
            if part
        ),
        members=tuple(
            Row(
                name=m.full_name,
                ethnicity=_ethnicity(m.ethnicity),
                relationship=m.get_relationship_display(),
                male_birth_year=m.birth_year if m.sex == Sex.MALE else None,
                female_birth_year=m.birth_year if m.sex != Sex.MALE else None,
            )
            for m in members
        ),
    )


def html(entries: Iterable[ReviewHousehold], context: dict[str, Any]) -> str:
    return render_to_string(
        "poverty/review/certificate.html",
        {**context, "certificates": [certificate_of(entry) for entry in entries]},
    )


def pdf(
    entries: list[ReviewHousehold],
    context: dict[str, Any],
    progress: Callable[[int, int], None] | None = None,
    chunk: int = 50,
) -> bytes:
    """The certificates of ``entries`` as one PDF, one page each (laid out ``chunk`` at a time
    so a long review reports its progress)."""
    from weasyprint import HTML

    documents = []
    for start in range(0, max(len(entries), 1), chunk):
        part = entries[start : start + chunk]
        documents.append(HTML(string=html(part, context)).render())
        if progress:
            progress(start + len(part), len(entries))
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()


def context_of(review: Review) -> dict[str, Any]:
    from langso.poverty.standard import by_code

    return {
        "commune_name": review.commune.name,
        "decision_number": review.decision_number,
        "decision_date": review.decision_date,
        "decision_signer": review.decision_signer,
        "standard_title": by_code(review.standard).title_vi,
    }


def print_certificates(
    *,
    actor: Any,
    review: Review,
    entry_id: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """The certificates of a closed review (or of one of its households) as a PDF, for a user
    of the review's commune who may see sensitive data; the read is logged."""
    from django.core.exceptions import PermissionDenied

    from langso.accounts.roles import Capability
    from langso.accounts.scope import restrict
    from langso.audit.services import record_read
    from langso.poverty.models import ReviewStep

    if actor is None or not actor.can(Capability.VIEW_SENSITIVE):
        raise PermissionDenied
    if not restrict(Review.objects.filter(pk=review.pk), actor).exists():
        raise PermissionDenied
    if review.step != ReviewStep.CLOSED:
        raise PermissionDenied("the review has no decision yet")
    entries = (
        ReviewHousehold.objects.filter(review=review)
        .exclude(certificate_number="")
        .select_related("review", "household__village", "household__commune__province")
        .order_by("certificate_seq")
    )
    if entry_id is not None:
        entries = entries.filter(pk=entry_id)
    entries = list(entries)
    if not entries:
        raise ReviewHousehold.DoesNotExist
    record_read(
        actor=actor,
        obj=entries[0].household if entry_id is not None else None,
        object_type="poverty.reviewhousehold",
        fields=FIELDS,
        count=len(entries),
        message=f"certificates of review {review.pk}",
        place=review.commune,
    )
    return pdf(entries, context_of(review), progress)
