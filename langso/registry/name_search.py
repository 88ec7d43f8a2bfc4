"""The household list's search by name, read from the members' name indexes one commune at a time.

A common name ("Dũng", or a surname like "Hoàng") matches tens of thousands of people in a
province. Collecting them all and sorting their households for a first page of 50 took seconds
at a million households (bench/RESULTS.md). Here each commune is asked on its own, from an index
of (commune, name, household) that holds everything the question needs, so a page costs a few
index reads whatever the name: the communes are walked in code order, and within a commune the
households in id order, until the page (or the capped count) is full. A rare name (a full name,
most often) is found in all the communes at once instead: a few hundred index entries, where
walking a province's communes would cost a query each.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import Q, QuerySet

from langso.registry.models import Household, Member

# Below this many people with the name in the area, one query finds all their households.
RARE_NAME_PEOPLE = 2000
# Below this many, one grouped query counts the households of every commune at once (cheaper
# than a query per commune when the name is too rare to fill the capped count early).
MEDIUM_NAME_PEOPLE = 20_000


def name_conditions(key: str) -> list[Q]:
    """What a plain-text name matches: the start of the full name, and, for one word, the start
    of the given name too ("dung" finds Nông Văn Dũng). One condition per index."""
    from langso.registry.filters import prefix

    conditions = [prefix("name_key", key)]
    if " " not in key:
        conditions.append(prefix("given_key", key))
    return conditions


class NameListing(Sequence):
    """The active households of ``communes`` with an active member whose name matches ``key``,
    in (commune, id) order; sliced by the paginator, counted up to a cap."""

    ordered = True  # for the paginator: the order is fixed

    def __init__(self, key: str, communes: list[str]) -> None:
        self.key = key
        self.communes = sorted(communes)
        self._counts: dict[str, tuple[int, int]] = {}  # commune -> (count, counted up to)
        self._rare: bool | None = None
        self._people_count: int | None = None

    def _households_in(self, communes: list[str]) -> QuerySet:
        parts = [
            Member.objects.filter(condition, search_commune__in=communes).values(
                "search_commune", "household_id"
            )
            for condition in name_conditions(self.key)
        ]
        return parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0].distinct()

    def _people(self) -> int:
        """People with the name in the area, counted no further than MEDIUM_NAME_PEOPLE."""
        if self._people_count is None:
            people = 0
            for condition in name_conditions(self.key):
                found = Member.objects.filter(condition, search_commune__in=self.communes)
                people += found[: max(MEDIUM_NAME_PEOPLE - people, 0)].count()
            self._people_count = people
        return self._people_count

    @property
    def rare(self) -> bool:
        """Few enough people have the name to find them all at once, in one query; a common
        name is read commune by commune, which stops as soon as a page is full."""
        if self._rare is None:
            self._rare = self._people() < RARE_NAME_PEOPLE
        return self._rare

    def _count_all_communes(self) -> None:
        """Every commune's households with the name, in one grouped query (a medium name)."""
        counts = dict.fromkeys(self.communes, 0)
        # each name condition read from its own index, the union grouped (an OR of the two
        # conditions makes SQLite read the whole commune)
        parts = [
            Member.objects.filter(condition, search_commune__in=self.communes)
            .values("search_commune", "household_id")
            .query.sql_with_params()
            for condition in name_conditions(self.key)
        ]
        union = " UNION ".join(
            f"SELECT * FROM ({sql}) part{i}" for i, (sql, _p) in enumerate(parts)
        )
        params = [p for _sql, part_params in parts for p in part_params]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT search_commune, COUNT(*) FROM ({union}) found GROUP BY search_commune",
                params,
            )
            for commune, n in cursor.fetchall():
                counts[commune] = n
        for commune, n in counts.items():
            self._counts[commune] = (n, 10**9)

    def _count(self, commune: str, upto: int) -> int:
        """Households of ``commune`` that match, counting no further than ``upto``."""
        known = self._counts.get(commune)
        if known and (known[0] < known[1] or known[1] >= upto):
            return min(known[0], upto)
        found = self._households_in([commune])[:upto].count()
        self._counts[commune] = (found, upto)
        return found

    def count_upto(self, limit: int) -> int:
        if self.rare:
            return self._households_in(self.communes)[:limit].count()
        medium = self._people() < MEDIUM_NAME_PEOPLE
        if medium and len(self.communes) > 1 and len(self._counts) < len(self.communes):
            self._count_all_communes()
        total = 0
        for commune in self.communes:
            total += self._count(commune, limit - total)
            if total >= limit:
                break
        return total

    def count(self) -> int:  # type: ignore[override]
        return self.count_upto(10**9)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):  # type: ignore[override]
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        if stop is None:
            stop = self.count()
        if self.rare:
            rows = self._households_in(self.communes).order_by("search_commune", "household_id")
            return self._households([row["household_id"] for row in rows[start:stop]])
        ids: list[int] = []
        position = 0
        for commune in self.communes:
            if position >= stop:
                break
            found = self._count(commune, stop - position)
            if position + found > start:
                first = max(start - position, 0)
                rows = self._households_in([commune]).order_by("household_id")
                ids += [row["household_id"] for row in rows[first : stop - position]]
            position += found
        return self._households(ids)

    @staticmethod
    def _households(ids: list[int]) -> list[Household]:
        households = Household.objects.select_related("village", "commune").in_bulk(ids)
        return [households[pk] for pk in ids if pk in households]
