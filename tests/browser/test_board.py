"""An electronic bulletin board at 1280×720: it rotates the current announcements, reports what it
showed, and turns into the red emergency screen when an emergency is published.

The page's timers (15 s rotation, 30 s refresh) run on Playwright's fake clock, so the test
moves time forward instead of waiting for it.
"""

import time

import pytest

from langso.outreach.models import Receipt
from tests.browser.conftest import shot
from tests.outreach.conftest import board, emergency, published

pytestmark = pytest.mark.browser

SCREEN = {"width": 1280, "height": 720}
ROTATE_MS = 15_000
REFRESH_MS = 30_000


def _open(page_at, token: str):
    page = page_at(SCREEN)
    page.clock.install()
    page.goto(f"/bang-tin/?token={token}")
    page.wait_for_selector("#items .item.shown h1")
    return page


def _shown(page) -> str:
    return page.inner_text("#items .item.shown h1")


def test_the_board_shows_each_current_announcement_in_turn(page_at):
    _device, token = board()
    published(title="Họp dân tổ dân phố 5")
    published(title="Lịch tiêm chủng mở rộng")
    page = _open(page_at, token)
    first = _shown(page)
    shot(page, "board-normal-1")
    page.clock.run_for(ROTATE_MS)
    second = _shown(page)
    shot(page, "board-normal-2")
    assert {first, second} == {"Họp dân tổ dân phố 5", "Lịch tiêm chủng mở rộng"}
    assert "takeover" not in (page.get_attribute("body", "class") or "")


def test_the_board_reports_the_announcement_it_showed(page_at):
    device, token = board()
    made = published(title="Họp dân tổ dân phố 5")
    _open(page_at, token)
    receipts = Receipt.objects.filter(delivery__device=device, delivery__announcement=made)
    for _ in range(50):  # the receipt is posted right after the page shows the item
        if receipts.exists():
            break
        time.sleep(0.1)
    assert list(receipts.values_list("kind", flat=True)) == ["displayed"]


def test_the_board_switches_to_the_emergency_screen_at_its_next_refresh(page_at):
    _device, token = board()
    published(title="Họp dân tổ dân phố 5")
    published(title="Lịch tiêm chủng mở rộng")
    page = _open(page_at, token)
    emergency(title="Cảnh báo lũ quét", body="Không qua ngầm tràn Bản Giới.")
    page.clock.run_for(REFRESH_MS)
    page.wait_for_selector("body.takeover")
    titles = page.eval_on_selector_all("#items .item h1", "els => els.map(e => e.textContent)")
    assert (_shown(page), titles) == ("Cảnh báo lũ quét", ["Cảnh báo lũ quét"])
    shot(page, "board-takeover")
