"""The review procedure as data (QĐ 24/2021): steps, deadlines, meetings, certificates."""

import datetime as dt
from fractions import Fraction

import pytest

from langso.poverty import procedure as proc
from langso.poverty.procedure import Blocker, ProcedureError, Progress, StepError

SHIPPED = proc.FOLDER / "qd24_2021.toml"
QD24 = proc.parse(SHIPPED.read_text(encoding="utf-8"), SHIPPED.name)
TODAY = dt.date(2025, 11, 10)


def shipped_text(old: str = "", new: str = "") -> str:
    """The shipped procedure file, with ``old`` replaced by ``new``."""
    text = SHIPPED.read_text(encoding="utf-8")
    if old:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


# --- working days -----------------------------------------------------------------------------


def test_posting_counts_its_first_day_when_it_is_a_working_day():
    # Monday 3 November 2025: Mon, Tue, Wed.
    assert proc.posting_end(dt.date(2025, 11, 3), QD24) == dt.date(2025, 11, 5)


def test_posting_skips_the_weekend():
    # Friday 31 October 2025: Fri, then Mon 3 and Tue 4 November.
    assert proc.posting_end(dt.date(2025, 10, 31), QD24) == dt.date(2025, 11, 4)


def test_posting_skips_a_configured_holiday():
    # Monday 1 September 2025; Tuesday 2 September is National Day.
    assert proc.posting_end(dt.date(2025, 9, 1), QD24) == dt.date(2025, 9, 4)


def test_posting_started_on_a_saturday_counts_from_monday():
    assert proc.posting_end(dt.date(2025, 11, 1), QD24) == dt.date(2025, 11, 5)


def test_a_holiday_is_not_a_working_day_but_the_day_after_it_is():
    assert not proc.is_working_day(dt.date(2025, 9, 2), QD24)
    assert proc.is_working_day(dt.date(2025, 9, 3), QD24)


# --- windows ----------------------------------------------------------------------------------


def test_the_periodic_review_runs_from_1_september_to_14_december_of_the_year_before():
    window = proc.window(QD24, proc.PERIODIC, 2026, dt.date(2025, 10, 2))
    assert (window.opens, window.decide_by) == (dt.date(2025, 9, 1), dt.date(2025, 12, 14))


def test_a_regular_review_opened_after_the_15th_is_decided_within_15_days_of_opening():
    window = proc.window(QD24, proc.REGULAR, 2026, dt.date(2026, 3, 20))
    assert (window.opens, window.decide_by) == (dt.date(2026, 3, 15), dt.date(2026, 4, 4))


def test_a_regular_review_opened_before_the_15th_may_start_on_the_15th():
    window = proc.window(QD24, proc.REGULAR, 2026, dt.date(2026, 3, 3))
    assert (window.opens, window.decide_by) == (dt.date(2026, 3, 15), dt.date(2026, 3, 30))


def test_an_unknown_review_kind_has_no_window():
    with pytest.raises(ValueError, match="unknown review kind"):
        proc.window(QD24, "monthly", 2026, dt.date(2026, 3, 20))


# --- meeting and certificate --------------------------------------------------------------------


def test_a_meeting_with_exactly_half_in_favour_adopts():
    assert proc.meeting_adopted(40, 20, QD24)


def test_a_meeting_just_under_half_in_favour_does_not_adopt():
    assert not proc.meeting_adopted(41, 20, QD24)


def test_a_meeting_without_attendees_cannot_vote():
    with pytest.raises(ValueError, match="at least 1"):
        proc.meeting_adopted(0, 0, QD24)


def test_more_votes_than_attendees_are_refused():
    with pytest.raises(ValueError, match="between 0 and the number of attendees"):
        proc.meeting_adopted(10, 11, QD24)


def test_the_certificate_number_follows_the_procedure_format():
    assert proc.certificate_number(7, QD24) == "7/GCN-HN.HCN"


# --- Phiếu A ------------------------------------------------------------------------------------


def test_a_screen_with_an_unanswered_question_has_no_outcome_yet():
    answers = {q.code: False for q in QD24.screen[1:]}
    assert proc.screen_outcome(answers, QD24) == (None, ())


def test_an_excluding_yes_excludes_the_household_and_names_the_question():
    answers = {q.code: False for q in QD24.screen} | {"car": True}
    assert proc.screen_outcome(answers, QD24) == (False, ("car",))


def test_an_excluding_yes_excludes_even_before_every_question_is_answered():
    assert proc.screen_outcome({"business": True}, QD24) == (False, ("business",))


def test_all_no_sends_the_household_to_the_full_survey():
    answers = {q.code: False for q in QD24.screen}
    assert proc.screen_outcome(answers, QD24) == (True, ())


def test_a_yes_to_a_question_that_does_not_exclude_still_surveys():
    text = shipped_text(
        'code = "business"\ntext_vi = "Hộ có cơ sở sản xuất, kinh doanh thuê lao động thường '
        'xuyên?"\ntext_en = "Does the household run a business with regular hired workers?"\n'
        "excludes = true",
        'code = "business"\ntext_vi = "Hộ có cơ sở kinh doanh?"\nexcludes = false',
    )
    procedure = proc.parse(text, "test.toml")
    answers = {q.code: False for q in procedure.screen} | {"business": True}
    assert proc.screen_outcome(answers, procedure) == (True, ())


# --- steps ----------------------------------------------------------------------------------


def test_the_steps_come_in_the_order_of_the_procedure():
    assert proc.STEPS == ("list", "survey", "meeting", "posting", "decision", "closed")


def test_a_step_cannot_be_skipped():
    with pytest.raises(StepError, match="cannot be skipped"):
        proc.check_advance("list", "meeting", Progress(listed=3), TODAY)


def test_a_step_cannot_go_back():
    with pytest.raises(StepError, match="cannot be skipped"):
        proc.check_advance("meeting", "survey", Progress(listed=3), TODAY)


def test_an_unfinished_step_is_refused_with_what_blocks_it():
    with pytest.raises(StepError) as error:
        proc.check_advance("survey", "meeting", Progress(listed=3, awaiting_survey=2), TODAY)
    assert error.value.blockers == (Blocker("awaiting_survey", 2),)


def test_a_finished_step_may_be_left_for_the_next():
    proc.check_advance("list", "survey", Progress(listed=3), TODAY)


def test_a_closed_review_has_no_next_step():
    with pytest.raises(StepError, match="closed"):
        proc.next_step("closed")


ENDS = dt.date(2025, 11, 5)


@pytest.mark.parametrize(
    ("step", "progress", "expected"),
    [
        ("list", Progress(), (Blocker("empty_list"),)),
        ("survey", Progress(listed=5, awaiting_screen=2), (Blocker("awaiting_screen", 2),)),
        ("survey", Progress(listed=5, awaiting_survey=3), (Blocker("awaiting_survey", 3),)),
        ("survey", Progress(listed=5, unclassified=1), (Blocker("unclassified", 1),)),
        (
            "meeting",
            Progress(listed=5, villages_without_meeting=("Nà Mạ", "Pác Bó")),
            (Blocker("villages_without_meeting", 2, ("Nà Mạ", "Pác Bó")),),
        ),
        ("posting", Progress(listed=5), (Blocker("posting_not_started"),)),
        (
            "posting",
            Progress(listed=5, posting_started=dt.date(2025, 11, 3), posting_ends=ENDS),
            (Blocker("posting_running", names=("2025-11-05",)),),
        ),
        (
            "posting",
            Progress(
                listed=5,
                posting_started=dt.date(2025, 11, 3),
                posting_ends=dt.date(2025, 11, 4),
                open_complaints=1,
            ),
            (Blocker("open_complaints", 1),),
        ),
        ("closed", Progress(listed=5), (Blocker("closed"),)),
    ],
    ids=[
        "empty_list",
        "awaiting_screen",
        "awaiting_survey",
        "unclassified",
        "villages_without_meeting",
        "posting_not_started",
        "posting_running",
        "open_complaints",
        "closed",
    ],
)
def test_each_kind_of_blocker_is_reported(step, progress, expected):
    assert proc.blockers(step, progress, ENDS) == expected


def test_a_survey_step_reports_every_blocker_at_once():
    progress = Progress(listed=5, awaiting_screen=1, awaiting_survey=2, unclassified=3)
    assert [b.code for b in proc.blockers("survey", progress, TODAY)] == [
        "awaiting_screen",
        "awaiting_survey",
        "unclassified",
    ]


def test_the_posting_runs_through_its_last_day():
    progress = Progress(listed=5, posting_started=dt.date(2025, 11, 3), posting_ends=ENDS)
    assert [b.code for b in proc.blockers("posting", progress, ENDS)] == ["posting_running"]
    assert proc.blockers("posting", progress, ENDS + dt.timedelta(days=1)) == ()


# --- outcomes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "final_class", "expected"),
    [
        ("poor", "poor", "poor"),
        ("poor", "near_poor", "near_poor"),
        ("poor", "middle_income", "left_poverty"),
        ("poor", "", "left_poverty"),
        ("near_poor", "poor", "poor"),
        ("near_poor", "above", "left_near_poverty"),
        ("application", "near_poor", "near_poor"),
        ("application", "above", "not_recognised"),
        ("application", "", "not_recognised"),
    ],
)
def test_the_outcome_follows_why_the_household_was_listed_and_its_class(
    source, final_class, expected
):
    assert proc.outcome(source, final_class) == expected


# --- the file -------------------------------------------------------------------------------------


def test_a_missing_key_is_named_with_the_file():
    with pytest.raises(ProcedureError, match=r"^broken\.toml: missing from_day$"):
        proc.parse(shipped_text("from_day = 15\n", ""), "broken.toml")


def test_a_missing_section_is_named_with_the_file():
    text = shipped_text("[certificate]\n", "[certificate_]\n")
    with pytest.raises(ProcedureError, match=r"^broken\.toml: missing certificate$"):
        proc.parse(text, "broken.toml")


def test_a_day_that_does_not_exist_is_named_with_the_file_and_key():
    text = shipped_text('starts = "09-01"', 'starts = "09-31"')
    with pytest.raises(ProcedureError, match=r"^broken\.toml: periodic\.starts: '09-31'"):
        proc.parse(text, "broken.toml")


def test_a_month_day_that_is_not_text_is_named_with_the_file_and_key():
    text = shipped_text('starts = "09-01"', "starts = 2025-09-01")
    with pytest.raises(ProcedureError, match=r"^broken\.toml: periodic\.starts"):
        proc.parse(text, "broken.toml")


def test_a_bad_holiday_is_named_with_the_file_and_key():
    text = shipped_text('"09-02"]', '"02-30"]')
    with pytest.raises(ProcedureError, match=r"^broken\.toml: posting\.holidays: '02-30'"):
        proc.parse(text, "broken.toml")


def test_an_adopted_share_of_zero_is_refused():
    text = shipped_text("adopted_share = 0.5", "adopted_share = 0")
    with pytest.raises(ProcedureError, match=r"^broken\.toml: meeting\.adopted_share"):
        proc.parse(text, "broken.toml")


def test_an_adopted_share_that_is_not_a_number_is_named_with_the_file_and_key():
    text = shipped_text("adopted_share = 0.5", 'adopted_share = "half"')
    with pytest.raises(ProcedureError, match=r"^broken\.toml: meeting\.adopted_share"):
        proc.parse(text, "broken.toml")


def test_a_certificate_format_without_a_sequence_is_refused():
    text = shipped_text('number_format = "{seq}/GCN-HN.HCN"', 'number_format = "GCN-HN.HCN"')
    with pytest.raises(ProcedureError, match=r"^broken\.toml: certificate\.number_format"):
        proc.parse(text, "broken.toml")


def test_a_posting_of_no_working_days_is_refused():
    text = shipped_text("working_days = 3", "working_days = 0")
    with pytest.raises(ProcedureError, match=r"^broken\.toml: posting\.working_days"):
        proc.parse(text, "broken.toml")


def test_a_whole_number_given_as_text_is_named_with_the_file_and_key():
    text = shipped_text("working_days = 3", 'working_days = "3"')
    with pytest.raises(ProcedureError, match=r"^broken\.toml: posting\.working_days"):
        proc.parse(text, "broken.toml")


def test_a_regular_start_day_that_some_months_lack_is_refused():
    text = shipped_text("from_day = 15", "from_day = 31")
    with pytest.raises(ProcedureError, match=r"^broken\.toml: regular\.from_day"):
        proc.parse(text, "broken.toml")


def test_text_that_is_not_toml_is_named_with_the_file():
    with pytest.raises(ProcedureError, match=r"^broken\.toml: "):
        proc.parse("code = ", "broken.toml")


# --- the shipped procedure ----------------------------------------------------------------------


def test_the_shipped_procedure_reads_the_decision():
    assert (QD24.code, QD24.adopted_share, QD24.posting_working_days) == (
        "qd24-2021",
        Fraction(1, 2),
        3,
    )


def test_the_shipped_procedure_lists_what_is_not_confirmed():
    assert set(QD24.unconfirmed) == {"posting", "posting.holidays", "screen"}


def test_the_procedure_applies_after_2025_but_is_not_confirmed_for_those_years():
    procedure = proc.for_year(2027)
    assert procedure.code == "qd24-2021"
    assert not procedure.is_confirmed_for(2027)
    assert procedure.is_confirmed_for(2025)


def test_no_procedure_covers_a_year_before_2022():
    with pytest.raises(ProcedureError, match="2021"):
        proc.for_year(2021)
