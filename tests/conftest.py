import pytest

from langso.geo.models import Province
from langso.geo.services import units_load


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the official units (loaded once, ~3 s)."""
    with django_db_blocker.unblock():
        units_load()


@pytest.fixture
def units(db):
    """For transactional tests, whose flush empties the tables: reload the units if needed."""
    if not Province.objects.exists():
        units_load()


def pytest_collection_modifyitems(items):
    # Transactional tests (browser, live server) flush the database when they finish; run them
    # last so the units loaded at session start stay for everything else.
    def flushes(item) -> bool:
        return "transactional_db" in getattr(item, "fixturenames", ()) or "live_server" in getattr(
            item, "fixturenames", ()
        )

    items.sort(key=flushes)
