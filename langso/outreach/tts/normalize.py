"""Text as it should be read aloud on the smart radio (pure: no Django).

An announcement is written for the eye ("UBND xã", "giảm 4,23%", "lúc 7h30"); a speech engine
needs the words a person would say. ``speech_text`` does this in two steps:

1. Spoken forms (cách đọc): acronyms and units from a dictionary (``spoken_forms.toml``, with
   officers' edits merged over it) are replaced by their spoken words.
2. The rest goes through g2p-hamster's t0 normaliser, which reads numbers, percentages,
   dates, times, money, phone numbers and the units and acronyms it knows.

All-caps words that neither step knows are spelled letter by letter; they are reported in
``Reading.spelled`` so an editor can add them to the dictionary.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

DEFAULT_FORMS_PATH = Path(__file__).with_name("spoken_forms.toml")

# Spoken forms are swapped for placeholders while g2p-hamster runs, then put back: hamster would
# otherwise re-read them (it turns the letter "e" of "vê en e ai đi" into "em"). Lowercase
# non-Vietnamese words pass through it untouched and leave the neighbours' reading unchanged.
_MARKERS = ("qzx", "zqv", "xqz", "vzq")
_DIGIT_LETTERS = "abcdefghij"
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n\s*")
_SENTENCE_END = (".", "!", "?", "…", ":", ";", ",")


@dataclass(frozen=True)
class SpokenForm:
    """One dictionary entry: the written form and the words to say instead.

    ``after_number`` entries are units ("ha" → "héc ta"), replaced only right after a number.
    ``confirmed`` is False for entries that still need an officer's check.
    """

    written: str
    spoken: str
    after_number: bool = False
    confirmed: bool = True


@dataclass(frozen=True)
class SpokenForms:
    """The spoken-form dictionary (cách đọc) and where it came from."""

    forms: tuple[SpokenForm, ...]
    version: str = ""
    source: str = ""
    valid_from: dt.date | None = None

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for form in self.forms:
            if not form.written.strip() or not form.spoken.strip():
                raise ValueError(f"spoken form with an empty side: {form!r}")
            if form.written in seen:
                raise ValueError(f"spoken form listed twice: {form.written!r}")
            seen.add(form.written)

    def __len__(self) -> int:
        return len(self.forms)

    def __iter__(self) -> Iterator[SpokenForm]:
        return iter(self.forms)

    def get(self, written: str) -> str | None:
        """The spoken form of ``written`` (exact, case-sensitive), or None."""
        form = self._by_written.get(written)
        return form.spoken if form else None

    def with_overrides(self, overrides: Mapping[str, str]) -> SpokenForms:
        """A copy where ``overrides`` (written → spoken, e.g. officers' edits) win.

        An override of a unit keeps it a unit; new written forms are matched as whole words.
        """
        forms = {f.written: f for f in self.forms}
        for written, spoken in overrides.items():
            old = forms.get(written)
            forms[written] = SpokenForm(
                written=written, spoken=spoken, after_number=old.after_number if old else False
            )
        return SpokenForms(
            tuple(forms.values()),
            version=self.version,
            source=self.source,
            valid_from=self.valid_from,
        )

    @cached_property
    def _by_written(self) -> dict[str, SpokenForm]:
        return {f.written: f for f in self.forms}

    @cached_property
    def pattern(self) -> re.Pattern[str] | None:
        """One regex for all forms, longest first so "KT-XH" wins over a "KT"; None if empty."""

        def alternatives(forms: list[SpokenForm]) -> str:
            ordered = sorted(forms, key=lambda f: (-len(f.written), f.written))
            return "|".join(re.escape(f.written) for f in ordered)

        words = [f for f in self.forms if not f.after_number]
        units = [f for f in self.forms if f.after_number]
        parts = []
        if words:
            parts.append(rf"(?<!\w)(?:{alternatives(words)})(?!\w)")
        if units:
            parts.append(rf"(?<=\d)[ \t\u00a0]?(?:{alternatives(units)})(?!\w)")
        return re.compile("|".join(parts)) if parts else None


@dataclass(frozen=True)
class Reading:
    """What to say: ``text`` for the speech engine, ``spelled`` the all-caps words it will read
    letter by letter because no spoken form exists (in order of first appearance)."""

    text: str
    spelled: tuple[str, ...] = ()


def load_spoken_forms(
    path: Path | str = DEFAULT_FORMS_PATH, overrides: Mapping[str, str] | None = None
) -> SpokenForms:
    """Read a spoken-form TOML file (header ``version``, ``source``, ``valid_from``; entries
    ``[[forms]]`` with ``written``, ``spoken``, optional ``after_number`` and ``confirmed``) and
    merge ``overrides`` (written → spoken) over it. Raises ValueError on a malformed file."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not valid TOML: {exc}") from exc
    forms = []
    for number, entry in enumerate(data.get("forms", []), start=1):
        try:
            forms.append(
                SpokenForm(
                    written=str(entry["written"]),
                    spoken=str(entry["spoken"]),
                    after_number=bool(entry.get("after_number", False)),
                    confirmed=bool(entry.get("confirmed", True)),
                )
            )
        except KeyError as exc:
            raise ValueError(f"{path}: form #{number} has no {exc.args[0]!r}") from exc
    valid_from = data.get("valid_from")
    loaded = SpokenForms(
        tuple(forms),
        version=str(data.get("version", "")),
        source=str(data.get("source", "")),
        valid_from=valid_from if isinstance(valid_from, dt.date) else None,
    )
    return loaded.with_overrides(overrides) if overrides else loaded


def speech_text(text: str, forms: SpokenForms) -> Reading:
    """The reading of ``text``: spoken forms replaced, numbers and the rest normalised by
    g2p-hamster. Paragraphs (blank-line separated) stay paragraphs, joined by a blank line."""
    marker = next((m for m in _MARKERS if m not in text.lower()), None)
    if marker is None:
        raise ValueError("text contains every placeholder marker; cannot protect spoken forms")
    paragraphs, spelled = [], []
    for paragraph in _PARAGRAPH_BREAK.split(text.strip()):
        reading, unknown = _read_paragraph(paragraph, forms, marker)
        if reading:
            paragraphs.append(reading)
        spelled.extend(word for word in unknown if word not in spelled)
    return Reading(text="\n\n".join(paragraphs), spelled=tuple(spelled))


def word_count(text: str) -> int:
    """Number of space-separated words (for Vietnamese: syllables) in ``text``."""
    return len(text.split())


def _read_paragraph(paragraph: str, forms: SpokenForms, marker: str) -> tuple[str, list[str]]:
    # A line without final punctuation (a heading, a list item) becomes its own sentence so the
    # engine pauses after it instead of running it into the next line.
    lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
    joined = " ".join(line if line.endswith(_SENTENCE_END) else line + "." for line in lines)
    if not joined:
        return "", []
    protected, spoken = _protect(joined, forms, marker)
    from g2p_hamster.t0.pipeline import normalize  # loads its dictionaries on first use

    result = normalize(protected)
    unknown = [t["surface"] for t in result["tokens"] if t["cat"] == "acronym"]
    restored = re.sub(
        rf"{marker}([{_DIGIT_LETTERS}]+)",
        lambda m: spoken[_letters_to_index(m.group(1))],
        result["read_string"],
        flags=re.IGNORECASE,
    )
    return restored, unknown


def _protect(text: str, forms: SpokenForms, marker: str) -> tuple[str, list[str]]:
    pattern = forms.pattern
    if pattern is None:
        return text, []
    spoken: list[str] = []

    def placeholder(match: re.Match[str]) -> str:
        spoken.append(forms.get(match.group(0).strip()) or match.group(0))
        # a unit glued to its number ("2,5ha") needs a space to stay a word of its own
        lead = " " if match.start() > 0 and text[match.start() - 1].isdigit() else ""
        return lead + marker + _index_to_letters(len(spoken) - 1)

    protected = pattern.sub(placeholder, text)
    # hamster reads "/" between two words as "trên" (per); "UBND/HĐND" is a list, not a rate
    protected = re.sub(rf"(?i)({marker}[{_DIGIT_LETTERS}]+)/(?={marker})", r"\1, ", protected)
    return protected, spoken


def _index_to_letters(index: int) -> str:
    return "".join(_DIGIT_LETTERS[int(d)] for d in str(index))


def _letters_to_index(letters: str) -> int:
    return int("".join(str(_DIGIT_LETTERS.index(c)) for c in letters.lower()))
