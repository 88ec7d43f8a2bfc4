"""The review procedure as data, and its rules (pure: no Django).

``procedures/*.toml`` holds one procedure each (QĐ 24/2021 today): the review windows, the
meeting's adoption share, the posting period in working days, the certificate number and the
quick-screen (Phiếu A) questions, each with ``confirmed`` flags. This module loads it and answers
what the workflow needs: the order of the steps (none may be skipped), what still blocks the
next one, deadlines, working days, whether a meeting adopted the result, certificate numbers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).with_name("procedures")

# The steps of a review, in order (QĐ 24/2021 Art. 4): lập danh sách → rà soát (Phiếu A, B) →
# họp dân → niêm yết → quyết định công nhận; then the review is closed.
STEPS = ("list", "survey", "meeting", "posting", "decision", "closed")
PERIODIC, REGULAR = "periodic", "regular"


class ProcedureError(ValueError):
    """A procedure file that cannot be used, with the file and the place in it."""


class StepError(ValueError):
    """A step asked for out of order, or before what it needs is done."""

    def __init__(self, message: str, blockers: tuple[Blocker, ...] = ()) -> None:
        super().__init__(message)
        self.blockers = blockers


@dataclass(frozen=True)
class ScreenQuestion:
    code: str
    text_vi: str
    text_en: str
    excludes: bool

    def text(self, language: str = "vi") -> str:
        return self.text_en if language.startswith("en") else self.text_vi


@dataclass(frozen=True)
class Procedure:
    code: str
    title_vi: str
    title_en: str
    first_review_year: int
    last_review_year: int
    confirmed_through: int
    periodic_starts: tuple[int, int]  # month, day in year Y−1
    periodic_ends: tuple[int, int]
    regular_from_day: int
    regular_decide_within: int
    adopted_share: Fraction
    minutes_required: int
    posting_working_days: int
    holidays: tuple[tuple[int, int], ...]
    certificate_format: str
    screen: tuple[ScreenQuestion, ...]
    screen_is_example: bool
    unconfirmed: tuple[str, ...]
    sources: tuple[tuple[str, str, bool], ...]
    version: str

    def title(self, language: str = "vi") -> str:
        return self.title_en if language.startswith("en") else self.title_vi

    def is_confirmed_for(self, review_year: int) -> bool:
        return review_year <= self.confirmed_through


@dataclass(frozen=True)
class Blocker:
    """Why the next step cannot start yet: a code the pages translate, and what it is about."""

    code: str
    count: int = 0
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Progress:
    """Where a review stands, as counted from its rows (see ``blockers``)."""

    listed: int = 0
    awaiting_screen: int = 0  # applications without a Phiếu A answer
    awaiting_survey: int = 0  # households to survey without a Phiếu B and assessment
    unclassified: int = 0  # surveyed, but the income is unknown so no class follows
    villages_without_meeting: tuple[str, ...] = ()  # no adopted meeting for listed households
    posting_started: dt.date | None = None
    posting_ends: dt.date | None = None
    open_complaints: int = 0


def _month_day(text: str, where: str) -> tuple[int, int]:
    try:
        month, day = (int(part) for part in text.split("-"))
        dt.date(2024, month, day)  # a leap year accepts every real month-day
    except (AttributeError, TypeError, ValueError):  # also a TOML date or number, not text
        raise ProcedureError(f"{where}: '{text}' is not a month-day like 09-01") from None
    return month, day


def _whole(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProcedureError(f"{where}: {value!r} is not a whole number")
    return value


def _share(value: object, where: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ProcedureError(f"{where}: {value!r} is not a number")
    return Fraction(str(value))


def parse(text: str, where: str = "procedure") -> Procedure:
    """A procedure from its TOML text; errors name the file and the key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProcedureError(f"{where}: {error}") from None
    try:
        periodic, regular = data["periodic"], data["regular"]
        meeting, posting = data["meeting"], data["posting"]
        certificate, screen = data["certificate"], data["screen"]
        unconfirmed = [
            name
            for name, section in (
                ("periodic", periodic),
                ("regular", regular),
                ("meeting", meeting),
                ("posting", posting),
                ("certificate", certificate),
                ("screen", screen),
            )
            if not section.get("confirmed", False)
        ]
        if not posting.get("holidays_confirmed", False):
            unconfirmed.append("posting.holidays")
        share = _share(meeting["adopted_share"], f"{where}: meeting.adopted_share")
        if not 0 < share <= 1:
            raise ProcedureError(f"{where}: meeting.adopted_share must be in (0, 1]")
        if "{seq}" not in certificate["number_format"]:
            raise ProcedureError(f"{where}: certificate.number_format needs {{seq}}")
        questions = tuple(
            ScreenQuestion(q["code"], q["text_vi"], q.get("text_en", q["text_vi"]), q["excludes"])
            for q in screen.get("questions", [])
        )
        procedure = Procedure(
            code=data["code"],
            title_vi=data["title_vi"],
            title_en=data.get("title_en", data["title_vi"]),
            first_review_year=data["first_review_year"],
            last_review_year=data["last_review_year"],
            confirmed_through=data.get("confirmed_through_review_year", data["last_review_year"]),
            periodic_starts=_month_day(periodic["starts"], f"{where}: periodic.starts"),
            periodic_ends=_month_day(periodic["ends"], f"{where}: periodic.ends"),
            regular_from_day=_whole(regular["from_day"], f"{where}: regular.from_day"),
            regular_decide_within=_whole(
                regular["decide_within_days"], f"{where}: regular.decide_within_days"
            ),
            adopted_share=share,
            minutes_required=_whole(
                meeting["minutes_required"], f"{where}: meeting.minutes_required"
            ),
            posting_working_days=_whole(posting["working_days"], f"{where}: posting.working_days"),
            holidays=tuple(
                _month_day(day, f"{where}: posting.holidays") for day in posting["holidays"]
            ),
            certificate_format=certificate["number_format"],
            screen=questions,
            screen_is_example=bool(screen.get("is_example", False)),
            unconfirmed=tuple(unconfirmed),
            sources=tuple(
                (s["text"], s.get("url", ""), bool(s.get("confirmed"))) for s in data["sources"]
            ),
            version=hashlib.sha256(text.encode()).hexdigest()[:12],
        )
    except KeyError as error:
        raise ProcedureError(f"{where}: missing {error.args[0]}") from None
    if procedure.posting_working_days < 1:
        raise ProcedureError(f"{where}: posting.working_days must be at least 1")
    if not 1 <= procedure.regular_from_day <= 28:  # a day every month has
        raise ProcedureError(f"{where}: regular.from_day must be between 1 and 28")
    return procedure


@cache
def all_procedures() -> tuple[Procedure, ...]:
    return tuple(
        parse(path.read_text(encoding="utf-8"), path.name) for path in sorted(FOLDER.glob("*.toml"))
    )


def for_year(review_year: int) -> Procedure:
    """The procedure of a review year (the year the lists apply to)."""
    for procedure in all_procedures():
        if procedure.first_review_year <= review_year <= procedure.last_review_year:
            return procedure
    raise ProcedureError(f"no review procedure covers review year {review_year}")


# --- dates ----------------------------------------------------------------------------------


def is_working_day(day: dt.date, procedure: Procedure) -> bool:
    return day.weekday() < 5 and (day.month, day.day) not in procedure.holidays


def posting_end(start: dt.date, procedure: Procedure) -> dt.date:
    """The last day of a posting that starts on ``start``: it lasts the procedure's number of
    working days, counting the start if it is one."""
    day, left = start, procedure.posting_working_days
    while True:
        if is_working_day(day, procedure):
            left -= 1
            if left == 0:
                return day
        day += dt.timedelta(days=1)


@dataclass(frozen=True)
class Window:
    opens: dt.date
    decide_by: dt.date


def window(procedure: Procedure, kind: str, review_year: int, opened_on: dt.date) -> Window:
    """When a review may start and by when the chair's decision is due.

    Periodic: 1 September – 14 December of the year before the review year. Regular: from the
    15th of the month it is opened in, decided within 15 days of its start.
    """
    if kind == PERIODIC:
        year = review_year - 1
        return Window(
            dt.date(year, *procedure.periodic_starts), dt.date(year, *procedure.periodic_ends)
        )
    if kind == REGULAR:
        opens = opened_on.replace(day=procedure.regular_from_day)
        start = max(opens, opened_on)
        return Window(opens, start + dt.timedelta(days=procedure.regular_decide_within))
    raise ValueError(f"unknown review kind {kind!r}")


# --- meeting and certificate ------------------------------------------------------------------


def meeting_adopted(attendees: int, votes_for: int, procedure: Procedure) -> bool:
    """True when at least the procedure's share of the attendees agreed (½: exactly half
    adopts)."""
    if attendees <= 0 or not 0 <= votes_for <= attendees:
        raise ValueError("votes for must be between 0 and the number of attendees (at least 1)")
    return votes_for >= procedure.adopted_share * attendees


def certificate_number(seq: int, procedure: Procedure) -> str:
    return procedure.certificate_format.format(seq=seq)


def outcome(source: str, final_class: str) -> str:
    """What the decision says of a listed household, from why it was listed (``poor``,
    ``near_poor`` or ``application``) and the class recognised (blank: none)."""
    if final_class in ("poor", "near_poor"):
        return final_class
    if source == "poor":
        return "left_poverty"
    if source == "near_poor":
        return "left_near_poverty"
    return "not_recognised"


def screen_outcome(
    answers: dict[str, bool], procedure: Procedure
) -> tuple[bool | None, tuple[str, ...]]:
    """Phiếu A: (survey?, the excluding answers). ``None`` while a question is unanswered."""
    missing = [q.code for q in procedure.screen if q.code not in answers]
    excluded = tuple(q.code for q in procedure.screen if q.excludes and answers.get(q.code))
    if excluded:
        return False, excluded
    if missing:
        return None, ()
    return True, ()


# --- steps --------------------------------------------------------------------------------------


def next_step(step: str) -> str:
    index = STEPS.index(step)
    if index == len(STEPS) - 1:
        raise StepError("the review is closed")
    return STEPS[index + 1]


def blockers(step: str, progress: Progress, today: dt.date) -> tuple[Blocker, ...]:
    """What must be done before the review can leave ``step`` for the next one."""
    found: list[Blocker] = []
    if step == "list":
        if progress.listed == 0:
            found.append(Blocker("empty_list"))
    elif step == "survey":
        if progress.awaiting_screen:
            found.append(Blocker("awaiting_screen", progress.awaiting_screen))
        if progress.awaiting_survey:
            found.append(Blocker("awaiting_survey", progress.awaiting_survey))
        if progress.unclassified:
            found.append(Blocker("unclassified", progress.unclassified))
    elif step == "meeting":
        if progress.villages_without_meeting:
            found.append(
                Blocker(
                    "villages_without_meeting",
                    len(progress.villages_without_meeting),
                    progress.villages_without_meeting,
                )
            )
    elif step == "posting":
        if progress.posting_started is None or progress.posting_ends is None:
            found.append(Blocker("posting_not_started"))
        elif today <= progress.posting_ends:
            found.append(Blocker("posting_running", names=(progress.posting_ends.isoformat(),)))
        if progress.open_complaints:
            found.append(Blocker("open_complaints", progress.open_complaints))
    elif step == "decision":
        pass  # the decision itself closes the review
    elif step == "closed":
        found.append(Blocker("closed"))
    return tuple(found)


def check_advance(step: str, to: str, progress: Progress, today: dt.date) -> None:
    """Raise ``StepError`` unless the review may go from ``step`` to ``to`` now: only to the
    next step, and only once nothing blocks it."""
    if to != next_step(step):
        raise StepError(f"step '{to}' cannot follow '{step}': steps cannot be skipped")
    found = blockers(step, progress, today)
    if found:
        raise StepError(f"step '{step}' is not finished", found)
