"""Old address (before 1 July 2025) → current commune, offline, from the stored crosswalk."""

from dataclasses import dataclass, field

from django.db.models import Q

from langso.geo.models import (
    Commune,
    CommuneSuccession,
    LegacyCommune,
    LegacyDistrict,
    LegacyProvince,
)
from langso.geo.names import name_key, unit_ascii_key, unit_key


class ConversionError(ValueError):
    """The old address names no unit, or an ambiguous one; the message says which part."""


@dataclass
class Conversion:
    legacy_commune: LegacyCommune | None
    legacy_district: LegacyDistrict
    commune: Commune
    is_split: bool
    alternatives: list[Commune] = field(default_factory=list)  # other successors when split


def _pick(queryset, text: str, what: str):
    text = (text or "").strip()
    if not text:
        raise ConversionError(f"{what}: missing")
    if text.isdigit():
        found = list(queryset.filter(code=text.zfill(queryset.model._meta.pk.max_length)))
    else:
        key = unit_key(text)
        found = list(queryset.filter(Q(name_key=key)))
        if not found:  # looser: without any diacritics, e.g. "Hop Giang"
            loose = unit_ascii_key(text)
            found = [u for u in queryset if unit_ascii_key(u.name) == loose]
        if len(found) > 1:  # "Thị xã X" and "Huyện X": the full name decides
            exact = [u for u in found if name_key(u.name) == name_key(text)]
            found = exact or found
    if not found:
        raise ConversionError(f"{what} {text!r}: no such unit")
    if len(found) > 1:
        names = ", ".join(f"{u.name} ({u.code})" for u in found[:5])
        raise ConversionError(f"{what} {text!r} is ambiguous: {names}; give its code")
    return found[0]


def convert_old_address(*, province: str, district: str = "", commune: str = "") -> Conversion:
    """The current commune for an old (province, district, commune), given as names or codes.

    A commune code alone is enough; otherwise the province narrows the district and the district
    narrows the commune. For an island district with no commune level, the commune may be blank.
    """
    if commune.strip().isdigit() and not province.strip():
        legacy = _pick(LegacyCommune.objects.select_related("district"), commune, "commune")
    else:
        old_province = _pick(LegacyProvince.objects.all(), province, "province")
        old_district = _pick(old_province.districts.all(), district, "district")
        if not commune.strip() and old_district.successor_id:
            return Conversion(None, old_district, old_district.successor, False)
        legacy = _pick(old_district.communes.select_related("district"), commune, "commune")
    successions = list(
        CommuneSuccession.objects.filter(legacy_commune=legacy).select_related("commune__province")
    )
    if not successions:
        raise ConversionError(f"commune {legacy.name} ({legacy.code}): not in the crosswalk")
    default = next((s for s in successions if s.is_default), successions[0])
    others = [s.commune for s in successions if s is not default]
    return Conversion(legacy, legacy.district, default.commune, legacy.is_split, others)


def convert_address_text(address: str) -> Conversion:
    """Same, from "commune, district, province" text; any street before them is ignored."""
    parts = [p.strip() for p in address.split(",") if p.strip()]
    if len(parts) < 3:
        raise ConversionError("address: give at least 'commune, district, province'")
    return convert_old_address(province=parts[-1], district=parts[-2], commune=parts[-3])
