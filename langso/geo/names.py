"""Matching keys for Vietnamese place names (pure: no Django).

Officials type the same name in several ways: "Hòa" and "Hoà" (old and new tone-mark placement),
with or without the unit type ("Xã Quang Trung", "Quang Trung"), in any case, with stray spaces.
``name_key`` makes those equal while keeping names that really differ ("Hòa" and "Hoa") apart;
``ascii_key`` drops every mark, for the looser fallback used when the strict key finds nothing.
"""

import re
import unicodedata

# Combining tone marks and the tone each stands for; the vowel marks (circumflex, breve, horn)
# are part of the letter and stay where they are.
_TONES = {"\u0300": "2", "\u0301": "1", "\u0309": "3", "\u0303": "4", "\u0323": "5"}

_UNIT_PREFIXES = (
    "thành phố trực thuộc trung ương",
    "thành phố",
    "tỉnh",
    "huyện",
    "quận",
    "thị xã",
    "thị trấn",
    "đặc khu",
    "phường",
    "xã",
    "tp.",
    "tp",
    "tx.",
    "tt.",
    "h.",
    "q.",
    "p.",
    "x.",
)
_VILLAGE_PREFIXES = (
    "tổ dân phố",
    "tdp",
    "thôn",
    "bản",
    "xóm",
    "làng",
    "ấp",
    "buôn",
    "plei",
    "sóc",
    "khóm",
    "khối",
    "khu phố",
    "khu",
    "tổ",
)
_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^\w\s]")
_ALNUM = re.compile(r"[a-z0-9]+")
# The combining marks of the Latin alphabets (U+0300–U+036F, all of Vietnamese's among them):
# a regular expression drops them in one pass where most names need no other work.
_LATIN_MARKS = re.compile(
    "[" + "".join(ch for ch in map(chr, range(0x300, 0x370)) if unicodedata.combining(ch)) + "]"
)


def clean(text: str) -> str:
    """NFC-normalise, drop control characters, trim and collapse white space.

    The form we store names in. Control characters (NUL, escape codes pasted from other
    programs) are never part of a name, and PostgreSQL refuses NUL in text.
    """
    text = unicodedata.normalize("NFC", text or "")
    if text.isprintable():  # the usual case: no control characters, no white space but " "
        return " ".join(text.split())
    text = "".join(" " if ch.isspace() else ch for ch in text if ch.isspace() or ch.isprintable())
    return _SPACES.sub(" ", text).strip()


def _syllable_key(syllable: str) -> str:
    tone = ""
    kept = []
    for ch in unicodedata.normalize("NFD", syllable):
        if ch in _TONES:
            tone = _TONES[ch]
        else:
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)) + tone


def _strip_prefix(text: str, prefixes: tuple[str, ...]) -> str:
    low = text.lower()
    for prefix in prefixes:
        if low.startswith(prefix + " ") or (prefix.endswith(".") and low.startswith(prefix)):
            rest = text[len(prefix) :].strip()
            if rest:
                return rest
    return text


def name_key(text: str) -> str:
    """Key equal for spellings that differ only in case, spacing or tone-mark placement."""
    words = _NOT_WORD.sub(" ", clean(text).lower()).split()
    return " ".join(_syllable_key(w) for w in words)


def ascii_key(text: str) -> str:
    """Key with every diacritic removed: "Phường Thục Phán" -> "phuongthucphan"."""
    decomposed = unicodedata.normalize("NFD", clean(text).lower().replace("đ", "d"))
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in decomposed if not unicodedata.combining(c)))


def plain(text: str) -> str:
    """Lowercase, without diacritics, single-spaced: "Phường Thục Phán" -> "phuong thuc phan".

    For searching: what people type on a phone without a Vietnamese keyboard still matches.
    """
    decomposed = unicodedata.normalize("NFD", clean(text).lower().replace("đ", "d"))
    bare = _LATIN_MARKS.sub("", decomposed)
    if not bare.isascii():  # marks of other scripts, or letters outside ASCII
        bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_ALNUM.findall(bare))


def unit_key(text: str) -> str:
    """``name_key`` of an administrative unit name without its type ("Xã", "Huyện", "TP." ...)."""
    return name_key(_strip_prefix(clean(text), _UNIT_PREFIXES))


def village_key(text: str) -> str:
    """``name_key`` of a village name without its type word ("Thôn", "Bản", "Tổ dân phố" ...)."""
    return name_key(_strip_prefix(clean(text), _VILLAGE_PREFIXES))


def unit_ascii_key(text: str) -> str:
    """``ascii_key`` of a unit name without its type: "TP. Bắc Giang" -> "bacgiang"."""
    return ascii_key(_strip_prefix(clean(text), _UNIT_PREFIXES))
