"""What a loudspeaker cluster plays and when, and what a bulletin board shows (no database)."""

import datetime as dt
from dataclasses import replace

from langso.outreach.playlist import Item, Slot, board_screen, plan

ICT = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 12, 7, 5, 0, tzinfo=ICT)  # a Monday, before the morning slot
MORNING = Slot(dt.time(6, 0), dt.time(6, 30), name="Bản tin sáng")
EVENING = Slot(dt.time(17, 0), dt.time(17, 30), name="Bản tin chiều")


def item(number: int, priority: str = "normal", **kw) -> Item:
    values = {
        "delivery_id": number,
        "announcement_id": 100 + number,
        "revision": 1,
        "priority": priority,
        "title": f"Thông báo {number}",
        "valid_from": NOW - dt.timedelta(days=1),
        "valid_until": NOW + dt.timedelta(days=7),
        "plays_per_day": 2,
        "played_today": 0,
        "audio_url": f"/audio/{number}.mp3",
        "sha256": f"{number:064d}",
        "duration_s": 60.0,
    }
    return Item(**{**values, **kw})


def _ids(items) -> list[int]:
    return [i.delivery_id for i in items]


def _first_slot(playlist) -> list[int]:
    return _ids(playlist.slots[0].items)


# ---------------------------------------------------------------- emergencies


def test_a_valid_emergency_is_played_at_once_and_interrupts():
    playlist = plan([item(1, "emergency")], [MORNING], NOW)
    assert _ids(playlist.play_now) == [1]
    assert playlist.as_json()["interrupt"] is True


def test_normal_and_priority_items_are_not_played_at_once():
    playlist = plan([item(1, "normal"), item(2, "priority")], [MORNING], NOW)
    assert playlist.play_now == ()
    assert playlist.as_json()["interrupt"] is False


def test_an_emergency_stops_interrupting_once_played_its_times_today():
    playlist = plan([item(1, "emergency", plays_per_day=3, played_today=3)], [MORNING], NOW)
    assert playlist.play_now == ()


def test_an_emergency_still_interrupts_while_under_its_times_today():
    playlist = plan([item(1, "emergency", plays_per_day=3, played_today=2)], [MORNING], NOW)
    assert _ids(playlist.play_now) == [1]


def test_an_emergency_not_yet_valid_does_not_interrupt():
    later = item(1, "emergency", valid_from=NOW + dt.timedelta(hours=2))
    assert plan([later], [MORNING], NOW).play_now == ()


def test_an_emergency_leads_the_slots_while_valid():
    playlist = plan([item(1, "normal"), item(2, "emergency")], [MORNING], NOW)
    assert _first_slot(playlist) == [2, 1]


# ---------------------------------------------------------------- slots


def test_normal_items_wait_for_the_next_slot():
    playlist = plan([item(1)], [MORNING], NOW)
    first = playlist.slots[0]
    assert (first.starts_at, first.name, _ids(first.items)) == (
        dt.datetime(2026, 12, 7, 6, 0, tzinfo=ICT),
        "Bản tin sáng",
        [1],
    )


def test_priority_items_come_before_normal_ones():
    playlist = plan([item(1, "normal"), item(2, "priority"), item(3, "normal")], [MORNING], NOW)
    assert _first_slot(playlist)[0] == 2


def test_newer_items_of_the_same_priority_come_first():
    older = item(1, valid_from=NOW - dt.timedelta(days=2))
    newer = item(2, valid_from=NOW - dt.timedelta(hours=1))
    assert _first_slot(plan([older, newer], [MORNING], NOW)) == [2, 1]


def test_an_item_is_planned_at_most_plays_per_day_slots_a_day():
    slots = [MORNING, Slot(dt.time(11, 0), dt.time(11, 30)), EVENING]
    playlist = plan([item(1, plays_per_day=2)], slots, NOW, days=1)
    assert [_ids(s.items) for s in playlist.slots] == [[1], [1], []]


def test_plays_already_made_today_count_against_the_day():
    playlist = plan([item(1, plays_per_day=2, played_today=1)], [MORNING, EVENING], NOW, days=1)
    assert [_ids(s.items) for s in playlist.slots] == [[1], []]


def test_the_count_starts_again_the_next_day():
    playlist = plan([item(1, plays_per_day=1, played_today=1)], [MORNING], NOW, days=2)
    assert [(s.starts_at.day, _ids(s.items)) for s in playlist.slots] == [(7, []), (8, [1])]


def test_an_expired_item_is_not_planned():
    gone = item(1, valid_until=NOW - dt.timedelta(minutes=1))
    playlist = plan([gone, item(2)], [MORNING], NOW)
    assert _first_slot(playlist) == [2]


def test_an_item_expiring_before_a_slot_is_left_out_of_that_slot():
    short = item(1, valid_until=NOW + dt.timedelta(hours=3))
    playlist = plan([short], [MORNING, EVENING], NOW, days=1)
    assert [_ids(s.items) for s in playlist.slots] == [[1], []]


def test_an_expired_emergency_is_not_played_at_once():
    gone = item(1, "emergency", valid_until=NOW - dt.timedelta(minutes=1))
    assert plan([gone], [MORNING], NOW).play_now == ()


def test_items_without_audio_are_not_planned():
    silent = item(1, "emergency", audio_url=None, sha256=None, duration_s=None)
    playlist = plan([silent, item(2)], [MORNING], NOW)
    assert (playlist.play_now, _first_slot(playlist)) == ((), [2])


def test_items_that_do_not_fit_the_slot_overflow():
    long_ones = [item(n, duration_s=700.0) for n in (1, 2, 3)]  # 30 min slot holds two
    first = plan(long_ones, [MORNING], NOW).slots[0]
    assert (_ids(first.items), _ids(first.overflow)) == ([1, 2], [3])


def test_a_slot_under_way_has_only_its_remaining_time():
    during = NOW.replace(hour=6, minute=25)  # 5 minutes left
    first = plan([item(1, duration_s=400.0), item(2, duration_s=200.0)], [MORNING], during).slots[0]
    assert (_ids(first.items), _ids(first.overflow)) == ([2], [1])


def test_a_finished_slot_is_not_planned():
    after = NOW.replace(hour=7)
    playlist = plan([item(1)], [MORNING], after, days=1)
    assert playlist.slots == ()


def test_a_slot_is_planned_only_on_its_weekdays():
    weekends = replace(MORNING, weekdays="67")
    playlist = plan([item(1)], [weekends], NOW, days=7)
    assert [s.starts_at.isoweekday() for s in playlist.slots] == [6, 7]


def test_each_language_of_an_item_is_planned():
    vi, tay = item(1), item(1, language="tyz", sha256="t" * 64)
    assert [i.language for i in plan([tay, vi], [MORNING], NOW).slots[0].items] == ["vi", "tyz"]


# ---------------------------------------------------------------- bulletin boards


def test_a_board_rotates_every_valid_item_priority_first():
    takeover, items = board_screen([item(1), item(2, "priority")], NOW)
    assert (takeover, _ids(items)) == (False, [2, 1])


def test_a_board_shows_items_without_audio():
    _takeover, items = board_screen([item(1, audio_url=None)], NOW)
    assert _ids(items) == [1]


def test_an_emergency_takes_over_the_board_and_shows_only_emergencies():
    takeover, items = board_screen([item(1), item(2, "emergency"), item(3, "priority")], NOW)
    assert (takeover, _ids(items)) == (True, [2])


def test_an_expired_emergency_gives_the_board_back():
    gone = item(2, "emergency", valid_until=NOW - dt.timedelta(minutes=1))
    takeover, items = board_screen([item(1), gone], NOW)
    assert (takeover, _ids(items)) == (False, [1])


# ---------------------------------------------------------------- languages


def test_a_local_language_clip_follows_the_vietnamese_one_in_the_same_slot():
    vi, tay = item(1), item(1, language="tyz", sha256="t" * 64, audio_url="/audio/t.mp3")
    playlist = plan([tay, vi], [MORNING], NOW)
    assert [(i.delivery_id, i.language) for i in playlist.slots[0].items] == [
        (1, "vi"),
        (1, "tyz"),
    ]


def test_an_announcement_is_not_cut_between_its_languages_when_the_slot_is_full():
    vi = item(1, duration_s=1000.0)
    tay = item(1, language="tyz", duration_s=1000.0)  # together longer than 30 minutes
    playlist = plan([vi, tay], [MORNING], NOW)
    assert playlist.slots[0].items == ()
    assert [i.language for i in playlist.slots[0].overflow] == ["vi", "tyz"]
