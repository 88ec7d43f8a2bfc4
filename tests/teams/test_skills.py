"""The skills catalogue as data: what it holds, how it is checked, what a household lacks."""

import tomllib

import pytest

from langso.registry.records import DIGITAL_FIELDS
from langso.teams import skills
from langso.teams.skills import CatalogueError

SHIPPED = skills.FOLDER / skills.CURRENT


def _data(**changes) -> dict:
    data = tomllib.loads(SHIPPED.read_text(encoding="utf-8"))
    for path, value in changes.items():
        index, key = path.split("__")
        data["skills"][int(index.removeprefix("s"))][key] = value
    return data


def _parse(data: dict) -> skills.Catalogue:
    return skills.parse(data, name="kns.toml", indicators=DIGITAL_FIELDS)


def test_the_shipped_catalogue_covers_the_skills_the_teams_teach():
    codes = {s.code for s in skills.catalogue().skills}
    assert {
        "smartphone_basics",
        "install_app",
        "messaging_account",
        "message_video_call",
        "vneid_level2",
        "bank_qr_payment",
        "shop_online",
        "sell_online",
        "online_public_services",
        "farming_job_info",
        "scam_safety",
    } <= codes


def test_every_skill_has_a_guide_and_belongs_to_a_group():
    lacking = [s.code for s in skills.catalogue().skills if not (s.steps_vi and s.groups)]
    assert lacking == []


def test_the_five_basic_skills_are_flagged_unconfirmed_and_group_0_of_757_confirmed():
    groups = {g.code: g for g in skills.catalogue().groups}
    assert [g.confirmed for c, g in groups.items() if c.startswith("5kn.")] == [False] * 5
    assert groups["757.0"].confirmed


def test_a_skill_moving_an_unknown_indicator_is_refused_with_its_place():
    with pytest.raises(CatalogueError, match=r"kns.toml, skill smartphone_basics, moves"):
        _parse(_data(s0__moves=["has_spaceship"]))


def test_a_skill_in_an_unknown_group_is_refused():
    with pytest.raises(CatalogueError, match=r"skill smartphone_basics, groups"):
        _parse(_data(s0__groups=["9.9"]))


def test_a_skill_without_steps_is_refused():
    with pytest.raises(CatalogueError, match=r"steps_vi"):
        _parse(_data(s0__steps_vi=[]))


def test_two_skills_with_one_code_are_refused():
    with pytest.raises(CatalogueError, match="trùng"):
        _parse(_data(s1__code="smartphone_basics"))


def test_a_household_without_cashless_payment_lacks_the_payment_skill():
    lacked = [s.code for s in skills.catalogue().for_profile({"pays_cashless": False})]
    assert lacked == ["bank_qr_payment"]


def test_vneid_level_1_still_lacks_the_level_2_skill():
    assert [s.code for s in skills.catalogue().for_profile({"vneid_level": 1})] == ["vneid_level2"]


def test_vneid_level_2_lacks_nothing():
    assert skills.catalogue().for_profile({"vneid_level": 2}) == []


def test_an_unknown_indicator_is_not_a_known_gap():
    assert skills.catalogue().for_profile({"uses_messaging": None}) == []
