"""The read side of reviews: scoped lists, one review's households, villages and history, and
the public posting list (what the law lets a notice board show, nothing more)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from langso.accounts.scope import restrict
from langso.geo.models import Village
from langso.poverty.models import (
    Complaint,
    Review,
    ReviewEvent,
    ReviewHousehold,
    ReviewKind,
    ReviewStep,
    ScreenResult,
    VillageMeeting,
)
from langso.registry.models import Member, Relationship


def reviews_for(user: Any) -> QuerySet[Review]:
    return restrict(Review.objects.select_related("commune", "opened_by"), user).order_by(
        "-review_year", "-opened_on", "-pk"
    )


def entries_of(review: Review) -> QuerySet[ReviewHousehold]:
    return (
        ReviewHousehold.objects.filter(review=review)
        .select_related("household", "village", "survey", "assessment")
        .order_by("village__name", "household__code")
    )


def entry_in(review: Review, entry_id: int) -> ReviewHousehold:
    return entries_of(review).select_related("review__commune").get(pk=entry_id)


def events_of(review: Review) -> QuerySet[ReviewEvent]:
    return ReviewEvent.objects.filter(review=review).select_related("by")


def villages_in(review: Review) -> QuerySet[Village]:
    return Village.objects.filter(commune_id=review.commune_id)


def meetings_of(review: Review) -> QuerySet[VillageMeeting]:
    return VillageMeeting.objects.filter(review=review).select_related("village", "recorded_by")


def meeting_in(review: Review, meeting_id: int) -> VillageMeeting:
    return meetings_of(review).get(pk=meeting_id)


def complaints_of(review: Review) -> QuerySet[Complaint]:
    return Complaint.objects.filter(review=review).select_related("entry__household", "resolved_by")


def complaint_in(review: Review, complaint_id: int) -> Complaint:
    return complaints_of(review).select_related("review__commune").get(pk=complaint_id)


def heads_of(entries: list[ReviewHousehold]) -> dict[int, str]:
    """The head's name of each household of ``entries`` (first active member if no head)."""
    ids = [e.household_id for e in entries]
    names: dict[int, str] = {}
    for household, name, relationship in (
        Member.objects.filter(household_id__in=ids, is_active=True)
        .order_by("household_id", "pk")
        .values_list("household_id", "full_name", "relationship")
    ):
        if relationship == Relationship.HEAD:
            names[household] = name
        else:
            names.setdefault(household, name)
    return names


@dataclass(frozen=True)
class VillageRow:
    village_id: int
    name: str
    households: int
    meetings: int
    adopted: bool


def villages_of(review: Review) -> list[VillageRow]:
    """Villages with households to bring to a meeting, and where their meetings stand."""
    counts = (
        ReviewHousehold.objects.filter(review=review)
        .exclude(screen=ScreenResult.EXCLUDED)
        .values("village_id", "village__name")
        .annotate(n=Count("pk"))
        .order_by("village__name")
    )
    held = {
        row["village_id"]: row
        for row in VillageMeeting.objects.filter(review=review)
        .values("village_id")
        .annotate(n=Count("pk"), adopted=Count("pk", filter=Q(adopted=True)))
    }
    return [
        VillageRow(
            row["village_id"],
            row["village__name"],
            row["n"],
            held.get(row["village_id"], {}).get("n", 0),
            bool(held.get(row["village_id"], {}).get("adopted", 0)),
        )
        for row in counts
    ]


def counts_of(review: Review) -> dict[str, int]:
    """How many listed households are at each stage and class (for the review's summary)."""
    entries = ReviewHousehold.objects.filter(review=review)
    return entries.aggregate(
        listed=Count("pk"),
        applications=Count("pk", filter=Q(source="application")),
        excluded=Count("pk", filter=Q(screen=ScreenResult.EXCLUDED)),
        surveyed=Count("pk", filter=Q(assessment__isnull=False)),
        poor=Count("pk", filter=Q(proposed_class="poor")),
        near_poor=Count("pk", filter=Q(proposed_class="near_poor")),
        certificates=Count("pk", filter=~Q(certificate_number="")),
    )


@dataclass(frozen=True)
class PostingRow:
    """One line of the public notice: no ID number, no ethnicity, no health or income facts."""

    number: int
    head: str
    village: str
    proposal: str


def posting_rows(review: Review) -> list[PostingRow]:
    """The list posted at the village cultural house and the commune office: each household's
    head, village and what is proposed (poor, near-poor, leaving poverty, leaving near-poverty)."""
    from langso.poverty.models import ReviewOutcome
    from langso.poverty.procedure import outcome

    entries = [
        e
        for e in entries_of(review)
        if e.screen != ScreenResult.EXCLUDED
        and (e.proposed_class in ("poor", "near_poor") or e.source != "application")
    ]
    heads = heads_of(entries)
    rows = []
    for number, e in enumerate(entries, 1):
        proposal = ReviewOutcome(outcome(e.source, e.proposed_class)).label
        rows.append(PostingRow(number, heads.get(e.household_id, ""), e.village.name, proposal))
    return rows


@dataclass(frozen=True)
class MonthRow:
    month: dt.date  # first day of the month the decisions were signed in
    due: dt.date | None  # the 5th of the next month, for months reported (Feb–Sep reports)
    reviews: int
    counts: dict[str, int]


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def regular_months(user: Any, year: int) -> list[MonthRow]:
    """Regular (monthly) reviews decided in a calendar year in the user's area, month by month:
    outcomes counted, and the day the commune's report is due (the 5th of each month from
    February to September reports the month before)."""
    from django.db.models.functions import TruncMonth

    reviews = reviews_for(user).filter(
        kind=ReviewKind.REGULAR, step=ReviewStep.CLOSED, decision_date__year=year
    )
    rows = (
        ReviewHousehold.objects.filter(review__in=reviews.values("pk"))
        .annotate(month=TruncMonth("review__decision_date"))
        .values("month", "outcome")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    per_month: dict[dt.date, dict[str, int]] = {}
    for r in rows:
        month = (
            r["month"]
            if isinstance(r["month"], dt.date)
            else dt.date.fromisoformat(str(r["month"])[:10])
        )
        per_month.setdefault(month, {})[r["outcome"]] = r["n"]
    counted = dict(
        reviews.order_by()  # the list's order would split the groups by review
        .annotate(month=TruncMonth("decision_date"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    counted = {_day(m): n for m, n in counted.items()}
    out = []
    for month in sorted(per_month):
        following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=5)
        due = following if 2 <= following.month <= 9 else None
        out.append(MonthRow(month, due, counted.get(month, 0), per_month[month]))
    return out
