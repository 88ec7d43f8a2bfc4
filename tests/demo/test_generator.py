from langso.demo.generator import PROVINCE_ETHNIC_MIX, CommuneInput, plan_province

COMMUNES = [CommuneInput(f"{i:05d}", "phuong" if i % 9 == 0 else "xa", 40.0 + i) for i in range(56)]


def test_same_seed_gives_the_same_province():
    assert plan_province(COMMUNES, households=20_000, seed=7) == plan_province(
        COMMUNES, households=20_000, seed=7
    )


def test_other_seed_gives_another_province():
    a = plan_province(COMMUNES, households=20_000, seed=7)
    b = plan_province(COMMUNES, households=20_000, seed=8)
    assert [v.name for v in a.villages] != [v.name for v in b.villages]


def test_household_total_is_close_to_the_requested_size():
    plan = plan_province(COMMUNES, households=130_000, seed=1)
    assert abs(plan.households - 130_000) / 130_000 < 0.01


def test_villages_hold_about_89_households_like_cao_bang():
    plan = plan_province(COMMUNES, households=130_000, seed=1)
    assert 75 <= plan.households / len(plan.villages) <= 110


def test_village_names_are_unique_within_a_commune():
    plan = plan_province(COMMUNES, households=200_000, seed=3)
    keys = [(v.commune_code, v.name) for v in plan.villages]
    assert len(keys) == len(set(keys))


def test_ethnic_mix_follows_the_province_census_shares():
    plan = plan_province(COMMUNES, households=130_000, seed=2023)
    mix = plan.ethnic_households()
    total = sum(mix.values())
    for group in ("Tày", "Nùng", "H'Mông", "Dao", "Kinh"):
        assert abs(mix[group] / total - PROVINCE_ETHNIC_MIX[group]) < 0.06, group


def test_remote_villages_are_more_often_hmong_or_dao():
    plan = plan_province(COMMUNES, households=300_000, seed=5)
    rural = [v for v in plan.villages if v.kind != "to_dan_pho"]

    def share(villages):
        return sum(
            v.ethnic_mix.get("H'Mông", 0) + v.ethnic_mix.get("Dao", 0) for v in villages
        ) / len(villages)

    remote = [v for v in rural if v.remoteness > 0.7]
    near = [v for v in rural if v.remoteness < 0.3]
    assert share(remote) > 1.5 * share(near)


def test_wards_get_numbered_residential_groups():
    plan = plan_province(COMMUNES, households=50_000, seed=1)
    ward_villages = [v for v in plan.villages if v.commune_code == "00000"]
    assert ward_villages
    assert all(v.kind == "to_dan_pho" and v.name.startswith("Tổ dân phố") for v in ward_villages)
