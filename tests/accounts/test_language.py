import pytest

from tests.factories.accounts import commune_officer
from tests.factories.sessions import signed_in

pytestmark = pytest.mark.django_db


def test_pages_are_vietnamese_even_when_the_browser_asks_for_english():
    client = signed_in(commune_officer())
    page = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert "Xin chào" in page


def test_choosing_english_switches_the_pages_to_english():
    client = signed_in(commune_officer())
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Hello" in client.get("/").content.decode()


def test_choosing_vietnamese_again_switches_back():
    client = signed_in(commune_officer())
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert "Xin chào" in client.get("/").content.decode()
