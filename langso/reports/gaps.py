"""The gap finder's rule: why a village's households are deprived on information (pure).

A village whose households lack information access is either *out of reach* (no 4G signal, or
only partial, and no fixed broadband: build infrastructure) or *covered but not connected*
(the network is there; what is missing is a device or the skill to use it: send the community
digital team). Villages with few deprived households are left out.
"""

from dataclasses import dataclass

OUT_OF_REACH = "out_of_reach"  # chưa có sóng / băng rộng: cần đầu tư hạ tầng
DESPITE_COVERAGE = "despite_coverage"  # có sóng nhưng chưa dùng: cần tổ công nghệ số
UNKNOWN_COVERAGE = "unknown_coverage"  # vùng phủ sóng của thôn chưa được ghi nhận
REACHED = ("full",)  # 4G levels that count as covered


@dataclass(frozen=True)
class VillageGap:
    households: int
    deprived: int  # deprived on either information indicator (telecom use, information access)
    coverage_4g: str | None  # "full" | "partial" | "none" | None (not recorded)
    fibre: str | None
    profiled: int = 0
    without_smartphone: int = 0  # of the profiled households
    not_using_internet: int = 0

    @property
    def deprived_share(self) -> float:
        return self.deprived / self.households if self.households else 0.0


def classify(gap: VillageGap, *, min_share: float = 0.2, min_households: int = 3) -> str | None:
    """The village's kind of gap, or None when too few of its households are deprived (below
    ``min_share`` of them, or fewer than ``min_households``)."""
    if gap.deprived < min_households or gap.deprived_share < min_share:
        return None
    if gap.coverage_4g is None and gap.fibre is None:
        return UNKNOWN_COVERAGE
    covered = gap.coverage_4g in REACHED or gap.fibre in ("full", "partial")
    return DESPITE_COVERAGE if covered else OUT_OF_REACH


def main_lack(gap: VillageGap) -> str | None:
    """For a covered village: what its profiled households lack most, "device" (no smartphone)
    or "skill" (a phone but no internet use); None without profiles."""
    if not gap.profiled:
        return None
    with_phone_offline = max(gap.not_using_internet - gap.without_smartphone, 0)
    return "device" if gap.without_smartphone >= with_phone_offline else "skill"
