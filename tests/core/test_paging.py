import pytest

from langso.core.paging import CappedPaginator
from langso.geo.models import Commune

pytestmark = pytest.mark.django_db


def test_a_list_shorter_than_the_cap_is_counted_exactly():
    paginator = CappedPaginator(Commune.objects.filter(province_id="04"), 50, cap=1000)
    assert (paginator.count, paginator.capped) == (
        Commune.objects.filter(province_id="04").count(),
        False,
    )


def test_a_list_longer_than_the_cap_stops_counting_and_says_so():
    paginator = CappedPaginator(Commune.objects.all(), 50, cap=100)
    assert (paginator.shown_count, paginator.capped, paginator.num_pages) == (100, True, 3)
