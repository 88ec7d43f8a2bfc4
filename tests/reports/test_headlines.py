"""Headline sentences read like the seed articles, from the area's counts."""

from langso.reports.headlines import sentences

# Cao Bằng, end of 2023 (domain brief §1)
BEFORE = {"poor": 36_596, "households": 126_454}
NOW = {"poor": 31_247, "households": 126_454, "teams": 1462, "team_members": 6686}


def test_the_poor_rate_change_reads_like_the_article():
    found = sentences(NOW, BEFORE, year=2023)
    assert (
        "Tỷ lệ hộ nghèo giảm 4,23 điểm phần trăm (5.349 hộ), từ 28,94% năm 2022 xuống còn "
        "24,71% năm 2023." in found
    )


def test_the_teams_sentence_reads_like_the_article():
    assert sentences(NOW, None, year=2023)[0] == (
        "1.462 tổ công nghệ số cộng đồng với 6.686 thành viên."
    )


def test_sentences_are_written_in_english_on_request():
    found = sentences(NOW, BEFORE, year=2023, language="en")
    assert found[0] == "1,462 community digital technology teams with 6,686 members."
    assert found[1].startswith("The poor-household rate fell 4.23 percentage points (5,349")


def test_a_rising_rate_says_it_rose():
    found = sentences({**NOW, "poor": 40_000}, BEFORE, year=2023)
    assert any(s.startswith("Tỷ lệ hộ nghèo tăng 2,69 điểm phần trăm") for s in found)


def test_without_the_year_before_the_rate_of_the_year_is_stated():
    found = sentences(NOW, None, year=2023)
    assert "Tỷ lệ hộ nghèo năm 2023: 24,71% (31.247 hộ nghèo)." in found


def test_unknown_counts_leave_their_sentence_out():
    assert sentences({}, None, year=2026) == []


def test_the_minority_change_is_told_only_to_who_may_see_ethnicity():
    now = {**NOW, "minority_poor": 20, "minority_households": 100}
    before = {**BEFORE, "minority_poor": 30, "minority_households": 100}
    hidden = sentences(now, before, year=2023)
    shown = sentences(now, before, year=2023, with_ethnicity=True)
    assert not any("dân tộc thiểu số" in s for s in hidden)
    assert "Hộ nghèo dân tộc thiểu số giảm 10,00 điểm phần trăm, từ 30,00% xuống 20,00%." in shown


def test_the_subscribers_sentence_reads_like_the_article():
    now = {
        "phone_subscribers": 614_582,
        "mobile_subscribers": 603_002,
        "internet_subscribers": 80_382,
        "iptv_subscribers": 52_156,
    }
    assert sentences(now, None, year=2023) == [
        "614.582 thuê bao điện thoại (603.002 di động), 80.382 thuê bao Internet cố định, "
        "52.156 thuê bao truyền hình IPTV."
    ]
