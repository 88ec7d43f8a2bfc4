"""Paging long lists without counting every row.

Counting a broad search over a million households costs more than showing its first page. Past
``cap`` rows the count stops and the page says "more than 10,000": people refine the search
rather than read page 201.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap: int = 10_000, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        # COUNT(*) over "... LIMIT cap + 1": the database stops at cap + 1 rows. In no order:
        # any cap + 1 rows count the same, and without ORDER BY the database need not find
        # (and sort) every match before it can stop.
        counted = getattr(self.object_list, "count_upto", None)  # a list that counts itself
        if counted is not None:
            return counted(self.cap + 1)
        return min(self.object_list.order_by()[: self.cap + 1].count(), self.cap + 1)

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @property
    def shown_count(self) -> int:
        return min(self.count, self.cap)


class CountedElsewhere:
    """A queryset paged as it is, but counted by ``count_upto`` (a cheaper question with the
    same answer, e.g. from an index that holds the filter's columns)."""

    ordered = True

    def __init__(self, queryset, count_upto) -> None:
        self.queryset = queryset
        self.count_upto = count_upto

    def __getitem__(self, index):
        return self.queryset[index]

    def __len__(self) -> int:
        return self.count_upto(10**9)
