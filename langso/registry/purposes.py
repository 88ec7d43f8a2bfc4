"""Processing purposes of personal data and their legal basis, as versioned data (pure: no Django).

``processing_purposes.toml`` says, for each purpose, whether it rests on a legal obligation (the
poverty review) or on the person's consent (digital support, contact), which data it covers, how
long the data is kept, and the sources; facts not confirmed from the legal text carry
``confirmed = false`` so an official can correct them without a code change.
"""

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CATALOGUE = Path(__file__).with_name("processing_purposes.toml")

LEGAL_OBLIGATION = "legal_obligation"
CONSENT = "consent"
LEGAL_BASES = frozenset({LEGAL_OBLIGATION, CONSENT})
# what a field reference may point at ("member.phone", "member_observation.*")
SCOPES = frozenset(
    {"member", "household", "member_observation", "household_observation", "consent", "audit"}
)
_FIELD = re.compile(r"^([a-z_]+)\.([a-z_0-9]+|\*)$")


def _pick(language: str, vi: str, en: str) -> str:
    return en if (language or "").lower().startswith("en") and en else vi


@dataclass(frozen=True)
class Citation:
    text: str
    url: str
    confirmed: bool


@dataclass(frozen=True)
class Purpose:
    code: str
    label_vi: str
    label_en: str
    description_vi: str
    description_en: str
    legal_basis: str
    confirmed: bool
    fields: tuple[str, ...]
    retention_vi: str
    retention_en: str
    retention_confirmed: bool
    citations: tuple[Citation, ...]

    @property
    def requires_consent(self) -> bool:
        return self.legal_basis == CONSENT

    def label(self, language: str = "vi") -> str:
        return _pick(language, self.label_vi, self.label_en)

    def description(self, language: str = "vi") -> str:
        return _pick(language, self.description_vi, self.description_en)

    def retention(self, language: str = "vi") -> str:
        return _pick(language, self.retention_vi, self.retention_en)

    def fields_of(self, scope: str) -> tuple[str, ...]:
        """The field names this purpose covers in one scope ("member" -> ("phone",))."""
        return tuple(f.split(".", 1)[1] for f in self.fields if f.split(".", 1)[0] == scope)


@dataclass(frozen=True)
class Method:
    """How a consent, refusal or withdrawal was expressed."""

    code: str
    label_vi: str
    label_en: str
    valid_for_consent: bool  # False: may record a refusal or withdrawal, never a consent
    confirmed: bool

    def label(self, language: str = "vi") -> str:
        return _pick(language, self.label_vi, self.label_en)


@dataclass(frozen=True)
class Catalogue:
    source: str
    version: str
    purposes: tuple[Purpose, ...]
    methods: tuple[Method, ...]
    child_age_below: int
    child_age_confirmed: bool

    def get(self, code: str) -> Purpose | None:
        return next((p for p in self.purposes if p.code == code), None)

    def method(self, code: str) -> Method | None:
        return next((m for m in self.methods if m.code == code), None)

    @property
    def consent_purposes(self) -> tuple[Purpose, ...]:
        return tuple(p for p in self.purposes if p.requires_consent)

    @property
    def legal_purposes(self) -> tuple[Purpose, ...]:
        return tuple(p for p in self.purposes if not p.requires_consent)

    def fields_by_basis(self, scope: str, legal_basis: str) -> frozenset[str]:
        """Field names of one scope covered by the purposes of one legal basis."""
        return frozenset(
            name
            for p in self.purposes
            if p.legal_basis == legal_basis
            for name in p.fields_of(scope)
        )


def _text(data: dict, key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: {key} is missing or empty")
    return value.strip()


def _flag(data: dict, key: str, where: str) -> bool:
    value = data.get(key)
    if not isinstance(value, bool):
        raise ValueError(f"{where}: {key} must be true or false")
    return value


def _purpose(data: dict, where: str) -> Purpose:
    code = _text(data, "code", where)
    where = f"{where} {code}"
    basis = _text(data, "legal_basis", where)
    if basis not in LEGAL_BASES:
        raise ValueError(f"{where}: legal_basis must be one of {sorted(LEGAL_BASES)}")
    fields = tuple(data.get("fields", ()))
    if not fields:
        raise ValueError(f"{where}: no fields")
    for ref in fields:
        match = _FIELD.match(ref)
        if not match or match.group(1) not in SCOPES:
            raise ValueError(f"{where}: bad field reference {ref!r}")
    citations = tuple(
        Citation(_text(c, "text", where), str(c.get("url", "")), _flag(c, "confirmed", where))
        for c in data.get("citations", ())
    )
    if basis == LEGAL_OBLIGATION and not citations:
        raise ValueError(f"{where}: a legal obligation must cite its source")
    return Purpose(
        code=code,
        label_vi=_text(data, "label_vi", where),
        label_en=_text(data, "label_en", where),
        description_vi=_text(data, "description_vi", where),
        description_en=_text(data, "description_en", where),
        legal_basis=basis,
        confirmed=_flag(data, "confirmed", where),
        fields=fields,
        retention_vi=_text(data, "retention_vi", where),
        retention_en=_text(data, "retention_en", where),
        retention_confirmed=_flag(data, "retention_confirmed", where),
        citations=citations,
    )


def parse(text: str, *, where: str = "processing purposes") -> Catalogue:
    """Read and check the catalogue; raises ValueError naming what is wrong."""
    data = tomllib.loads(text)
    purposes = tuple(_purpose(p, where) for p in data.get("purposes", ()))
    if not purposes:
        raise ValueError(f"{where}: no purposes")
    codes = [p.code for p in purposes]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{where}: duplicate purpose codes")
    methods = tuple(
        Method(
            code=_text(m, "code", where),
            label_vi=_text(m, "label_vi", where),
            label_en=_text(m, "label_en", where),
            valid_for_consent=_flag(m, "valid_for_consent", where),
            confirmed=_flag(m, "confirmed", where),
        )
        for m in data.get("methods", ())
    )
    if len({m.code for m in methods}) != len(methods):
        raise ValueError(f"{where}: duplicate method codes")
    if not any(m.valid_for_consent for m in methods):
        raise ValueError(f"{where}: no method can record a consent")
    children = data.get("children", {})
    age = children.get("age_below")
    if not isinstance(age, int) or isinstance(age, bool) or not 0 < age < 25:
        raise ValueError(f"{where}: children.age_below must be a small whole number")
    return Catalogue(
        source=_text(data, "source", where),
        version=str(data.get("version", "")),
        purposes=purposes,
        methods=methods,
        child_age_below=age,
        child_age_confirmed=_flag(children, "confirmed", where),
    )


@cache
def catalogue(path: Path = CATALOGUE) -> Catalogue:
    return parse(path.read_text(encoding="utf-8"), where=str(path))
