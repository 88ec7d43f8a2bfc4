"""Pure rules of deduplication: no database."""

import pytest

from langso.registry.dedup_rules import (
    SAME_ID,
    SAME_NAME_YEAR,
    Candidate,
    Person,
    Summary,
    conflicts,
    default_survivor,
    fill_blanks,
    household_pairs,
    match_people,
    ordered,
    pairs,
    same_person,
)


def test_a_pair_is_stored_smaller_id_first():
    assert ordered(9, 4) == (4, 9)


def test_a_record_is_never_its_own_pair():
    with pytest.raises(ValueError, match="own duplicate"):
        ordered(3, 3)


def test_same_id_pairs_every_two_records_even_in_one_household():
    group = [Candidate(1, 10, "h"), Candidate(2, 10, "h"), Candidate(3, 11, "h")]
    assert pairs(group, reason=SAME_ID) == [(1, 2), (1, 3), (2, 3)]


def test_same_name_pairs_only_records_of_different_households():
    group = [Candidate(1, 10), Candidate(2, 10), Candidate(3, 11)]
    assert pairs(group, reason=SAME_NAME_YEAR) == [(1, 3), (2, 3)]


def test_same_name_leaves_pairs_with_one_id_number_to_the_same_id_list():
    group = [Candidate(1, 10, "h"), Candidate(2, 11, "h"), Candidate(3, 12, "")]
    assert pairs(group, reason=SAME_NAME_YEAR) == [(1, 3), (2, 3)]


def test_dismissed_pairs_are_left_out():
    group = [Candidate(5, 10, "h"), Candidate(2, 11, "h")]
    assert pairs(group, reason=SAME_ID, dismissed={(2, 5)}) == []


def test_household_pairs_are_pairs_of_households():
    group = [Candidate(1, 30, "h"), Candidate(2, 20, "h")]
    assert household_pairs(group, reason=SAME_ID) == [(20, 30)]


def test_fill_blanks_copies_only_what_the_kept_record_does_not_know():
    kept = {"phone": "", "education": "primary", "in_school": None}
    dropped = {"phone": "0912345678", "education": "college", "in_school": False}
    assert fill_blanks(kept, dropped, kept) == {"phone": "0912345678", "in_school": False}


def test_conflicts_are_fields_both_know_differently():
    kept = {"phone": "", "education": "primary", "in_school": True}
    dropped = {"phone": "0912345678", "education": "college", "in_school": True}
    assert conflicts(kept, dropped, kept) == ["education"]


def test_the_record_with_more_data_survives_by_default():
    assert default_survivor(Summary(1, known=2), Summary(2, known=5)) == 2


def test_on_equal_data_the_older_record_survives():
    assert default_survivor(Summary(7, known=3, linked=1), Summary(4, known=4)) == 4


def test_same_person_by_id_number():
    assert same_person(Person(1, "nong van a", 1980, "h"), Person(2, "nong a", 1981, "h"))


def test_same_person_by_name_and_birth_year():
    assert same_person(Person(1, "nong van a", 1980, ""), Person(2, "nong van a", 1980, "x"))


def test_same_name_another_year_is_another_person():
    assert not same_person(Person(1, "nong van a", 1980), Person(2, "nong van a", 2010))


def test_each_kept_member_matches_at_most_one_dropped_member_id_first():
    kept = [Person(1, "nong van a", 1980, "h1")]
    dropped = [Person(5, "nong van a", 1980, ""), Person(6, "nong van b", 1980, "h1")]
    assert match_people(kept, dropped) == {6: 1}
