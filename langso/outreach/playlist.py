"""What a loudspeaker cluster plays and when, and what a bulletin board shows (pure: no Django).

Circular 39/2020 sorts smart-radio messages into normal, priority and emergency. Normal and
priority items wait for the station's programme slots (priority first), each played at most
``plays_per_day`` times a day while it is valid. Emergency items do not wait: they are put in
``play_now``, which the receiver plays at once, interrupting whatever it is playing, until it has
played them ``plays_per_day`` times today; they also lead every slot while valid.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PRIORITY_ORDER = {"emergency": 0, "priority": 1, "normal": 2}


@dataclass(frozen=True)
class Item:
    delivery_id: int
    announcement_id: int
    revision: int
    priority: str
    title: str
    valid_from: dt.datetime
    valid_until: dt.datetime
    plays_per_day: int
    played_today: int
    audio_url: str | None  # None until the audio is rendered (boards show the text meanwhile)
    sha256: str | None
    duration_s: float | None
    language: str = "vi"  # a cluster plays the Vietnamese clip, then each local-language one

    def valid_at(self, moment: dt.datetime) -> bool:
        return self.valid_from <= moment < self.valid_until


@dataclass(frozen=True)
class Slot:
    starts_at: dt.time
    ends_at: dt.time
    weekdays: str = "1234567"  # ISO weekdays: 1 = Monday
    name: str = ""


@dataclass(frozen=True)
class SlotPlan:
    starts_at: dt.datetime
    ends_at: dt.datetime
    name: str
    items: tuple[Item, ...]
    overflow: tuple[Item, ...]  # valid but longer than the slot leaves room for


@dataclass(frozen=True)
class Playlist:
    play_now: tuple[Item, ...]
    slots: tuple[SlotPlan, ...]

    def as_json(self) -> dict:
        def item(i: Item) -> dict:
            return {
                "delivery": i.delivery_id,
                "announcement": i.announcement_id,
                "revision": i.revision,
                "priority": i.priority,
                "title": i.title,
                "audio_url": i.audio_url,
                "sha256": i.sha256,
                "duration_s": i.duration_s,
                "language": i.language,
                "valid_until": i.valid_until.isoformat(),
            }

        return {
            "interrupt": bool(self.play_now),
            "play_now": [item(i) for i in self.play_now],
            "slots": [
                {
                    "starts_at": s.starts_at.isoformat(),
                    "ends_at": s.ends_at.isoformat(),
                    "name": s.name,
                    "items": [item(i) for i in s.items],
                }
                for s in self.slots
            ],
        }


def _order(item: Item) -> tuple:
    return (
        PRIORITY_ORDER.get(item.priority, 9),
        -item.valid_from.timestamp(),
        item.delivery_id,
        item.language != "vi",
        item.language,
    )


def _occurrences(slots: Sequence[Slot], now: dt.datetime, days: int) -> list[tuple]:
    found = []
    for offset in range(days):
        day = (now + dt.timedelta(days=offset)).date()
        for slot in slots:
            if str(day.isoweekday()) not in slot.weekdays:
                continue
            start = dt.datetime.combine(day, slot.starts_at, tzinfo=now.tzinfo)
            end = dt.datetime.combine(day, slot.ends_at, tzinfo=now.tzinfo)
            if end <= start:
                end += dt.timedelta(days=1)
            if end > now:
                found.append((start, end, slot.name))
    return sorted(found)


def _plays(items: list[Item]) -> list[tuple[Item, ...]]:
    """Items grouped into plays: one play of an announcement is its Vietnamese clip followed by
    its local-language clips, and counts once (one receipt per play)."""
    groups: dict[int, list[Item]] = {}
    for item in items:
        groups.setdefault(item.delivery_id, []).append(item)
    return [tuple(group) for group in groups.values()]


def plan(
    items: Iterable[Item], slots: Sequence[Slot], now: dt.datetime, *, days: int = 2
) -> Playlist:
    """The playlist of one cluster at ``now``: what to play at once, and slot by slot after.

    Only items with audio are planned; ``now`` must be an aware local datetime (slots are in
    the station's local time). ``played_today`` counts plays of the whole announcement.
    """
    plays = _plays(sorted((i for i in items if i.audio_url), key=_order))
    play_now = tuple(
        item
        for play in plays
        for item in play
        if play[0].priority == "emergency"
        and play[0].valid_at(now)
        and play[0].played_today < play[0].plays_per_day
    )
    planned: list[SlotPlan] = []
    uses: dict[tuple[int, dt.date], int] = {}
    for start, end, name in _occurrences(slots, now, days):
        room = (end - max(start, now)).total_seconds()
        chosen: list[Item] = []
        overflow: list[Item] = []
        for play in plays:
            first = play[0]
            if not first.valid_at(max(start, now)):
                continue
            key = (first.delivery_id, start.date())
            already = uses.get(key, first.played_today if start.date() == now.date() else 0)
            if already >= first.plays_per_day:
                continue
            length = sum(i.duration_s or 0.0 for i in play)
            if length > room:
                overflow.extend(play)
                continue
            room -= length
            uses[key] = already + 1
            chosen.extend(play)
        planned.append(SlotPlan(start, end, name, tuple(chosen), tuple(overflow)))
    return Playlist(play_now=play_now, slots=tuple(planned))


def board_screen(items: Iterable[Item], now: dt.datetime) -> tuple[bool, tuple[Item, ...]]:
    """What a bulletin board shows at ``now``: (emergency takes over the screen, items in order).

    While an emergency is valid only emergencies are shown; otherwise every valid item rotates,
    priority first.
    """
    current = sorted((i for i in items if i.valid_at(now)), key=_order)
    emergencies = tuple(i for i in current if i.priority == "emergency")
    if emergencies:
        return True, emergencies
    return False, tuple(current)


def etag(payload: dict) -> str:
    """A short, stable tag of a playlist or screen, for If-None-Match (saves slow links)."""
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]
