"""Importing households and members from the template (CSV/XLSX) at national scale.

Two passes, with memory that stays flat however long the file is:
1. read and check every row, with nothing written: errors name the Excel row, the column (its
   template header), the value and the reason. Codes and CCCD numbers already seen in the file
   are remembered in a private temporary SQLite file (``_Scratch``), not in memory; each checked
   household is kept there too, ready to write (CCCD encrypted, names keyed), so the file is
   read only once;
2. if the file is clean, or the user chose to import only the valid households, write the kept
   households in one transaction, in chunks of plain-tuple inserts (COPY on PostgreSQL, one
   executemany on SQLite). A failure rolls the whole file back.
Re-importing matches existing households by household code, then the head's CCCD, then the head's
name + birth year + village, so the same file twice creates nothing new. Only households stored
before the import are matched (see ``_Before``).
"""

from __future__ import annotations

import datetime as dt
import gc
import pickle
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from langso.accounts.roles import Capability
from langso.accounts.scope import restrict
from langso.audit.services import record_batch
from langso.core import field_encryption
from langso.core.bulk import analyze, insert_rows, reserve_ids, update_many
from langso.core.tabular import TableError, read_table
from langso.geo.models import Commune, Village
from langso.geo.names import clean, plain, village_key
from langso.registry import import_format as fmt
from langso.registry import records
from langso.registry.ethnicity import catalogue
from langso.registry.models import (
    Durability,
    Education,
    Household,
    Latrine,
    Member,
    Relationship,
    Sex,
    WaterSource,
    WorkStatus,
    search_commune_of,
)
from langso.registry.records import validate_household
from langso.registry.services import cccd_province_codes

CHUNK = 1000  # households per write (and per duplicate check in the first pass)
SQLITE_WRITE_CACHE_MB = 256  # page cache of the write pass on SQLite (see sqlite_cache)
ANALYZE_AFTER = 10_000  # households written: then refresh the planner's statistics
GC_YOUNG_THRESHOLD = 100_000  # allocations between two cycle collections (see _rare_collections)
Progress = Callable[[int, int | None, str], None]


@dataclass
class RowError:
    row: int
    column: str
    value: str
    reason: str


@dataclass
class HouseholdImportReport:
    file: str
    valid_only: bool = False
    households: int = 0
    members: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    written: bool = False
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict:
        data = {k: v for k, v in self.__dict__.items() if k != "errors"}
        data["errors"] = [e.__dict__ for e in self.errors]
        return data


def _choices() -> dict[str, fmt.Choices]:
    return {
        "wall": fmt.Choices(Durability.choices, {"bền": "durable", "không bền": "non_durable"}),
        "column": fmt.Choices(Durability.choices, {"bền": "durable", "không bền": "non_durable"}),
        "roof": fmt.Choices(Durability.choices, {"bền": "durable", "không bền": "non_durable"}),
        "water_source": fmt.Choices(WaterSource.choices),
        "latrine": fmt.Choices(Latrine.choices),
        "sex": fmt.Choices(
            Sex.choices, {"m": "male", "f": "female", "nam": "male", "nữ": "female"}
        ),
        "relationship": fmt.Choices(
            Relationship.choices,
            {
                "vợ": "spouse",
                "chồng": "spouse",
                "bố": "parent",
                "mẹ": "parent",
                "ông": "grandparent",
                "bà": "grandparent",
                "anh": "sibling",
                "chị": "sibling",
                "em": "sibling",
                "con dâu": "child_in_law",
                "con rể": "child_in_law",
            },
        ),
        "work_status": fmt.Choices(WorkStatus.choices),
        "education": fmt.Choices(Education.choices),
    }


class _Places:
    """Villages of the actor's communes, loaded one commune at a time and kept."""

    def __init__(self, actor: Any) -> None:
        self.communes = {c.code: c for c in restrict(Commune.objects.all(), actor, for_write=True)}
        self.all_codes: set[str] | None = None
        self.villages: dict[str, dict[str, int]] = {}
        self.last_code: dict[str, int] = {}  # per commune, for households without a code
        self._answers: dict[tuple[str, str], tuple[int | None, str, str]] = {}

    def village_id(self, commune_code: str, name: str) -> tuple[int | None, str, str]:
        """(village id, column, reason) — id None with the reason when it cannot be found."""
        try:
            return self._answers[(commune_code, name)]
        except KeyError:
            pass
        answer = self._find(commune_code, name)
        if len(self._answers) >= 100_000:  # a file of made-up names: stay bounded
            self._answers.clear()
        self._answers[(commune_code, name)] = answer
        return answer

    def _find(self, commune_code: str, name: str) -> tuple[int | None, str, str]:
        if not commune_code:
            return None, "Mã xã", "thiếu mã xã"
        if commune_code not in self.communes:
            if self.all_codes is None:
                self.all_codes = set(Commune.objects.values_list("code", flat=True))
            why = (
                "xã ngoài địa bàn của bạn"
                if commune_code in self.all_codes
                else "không có mã xã này"
            )
            return None, "Mã xã", why
        if commune_code not in self.villages:
            self.villages[commune_code] = dict(
                Village.objects.filter(commune_id=commune_code).values_list("name_key", "id")
            )
        found = self.villages[commune_code].get(village_key(name)) if name else None
        if found is None:
            return None, "Thôn", "thiếu tên thôn" if not name else "xã không có thôn này"
        return found, "", ""


class _Scratch:
    """What the import remembers across the file, on disk rather than in memory.

    A private temporary SQLite database (SQLite deletes it when the connection closes; its page
    cache is capped at 8 MB): the household codes and CCCD numbers seen so far with the row they
    were first seen on, and the checked households waiting for the write pass, pickled a chunk
    at a time. It is separate from the project's database, so nothing here takes a lock there.
    """

    def __init__(self) -> None:
        self.db = sqlite3.connect("", isolation_level=None)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -8000"):
            self.db.execute(f"PRAGMA {pragma}")
        for table in ("codes", "ids"):
            self.db.execute(
                f"CREATE TABLE {table} (key TEXT PRIMARY KEY, row INTEGER NOT NULL) WITHOUT ROWID"
            )
        self.db.execute("CREATE TABLE spool (chunk INTEGER PRIMARY KEY, data BLOB NOT NULL)")
        # one transaction throughout: a commit per statement would flush the cache each time
        self.db.execute("BEGIN")
        self.spooled = 0

    def first_rows(self, table: str, keys: dict[str, int]) -> dict[str, int]:
        """Remember ``keys`` (key -> its first row in this batch); return each key's first row
        in the whole file so far (an earlier batch's row if it was seen before)."""
        if not keys:
            return keys
        before = self.db.total_changes
        self.db.executemany(  # in key order: neighbouring pages, fewer cache misses
            f"INSERT OR IGNORE INTO {table} (key, row) VALUES (?, ?)", sorted(keys.items())
        )
        if self.db.total_changes - before == len(keys):
            return keys  # all new: the usual case, one statement per batch
        found = dict(keys)
        names = list(keys)
        for start in range(0, len(names), 5000):
            part = names[start : start + 5000]
            marks = ", ".join("?" * len(part))
            found.update(
                self.db.execute(f"SELECT key, row FROM {table} WHERE key IN ({marks})", part)
            )
        return found

    def keep(self, households: list[tuple]) -> None:
        self.db.execute(
            "INSERT INTO spool (data) VALUES (?)",
            (pickle.dumps(households, protocol=pickle.HIGHEST_PROTOCOL),),
        )
        self.spooled += len(households)

    def kept(self) -> Iterator[list[tuple]]:
        last = 0
        while True:
            row = self.db.execute(
                "SELECT chunk, data FROM spool WHERE chunk > ? ORDER BY chunk LIMIT 1", (last,)
            ).fetchone()
            if row is None:
                return
            last = row[0]
            yield pickle.loads(row[1])

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> _Scratch:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class _Names:
    """(stored name, name key, given-name key) of a full name, remembered for repeated names."""

    def __init__(self, limit: int = 65_536) -> None:
        self.limit = limit
        self.known: dict[str, tuple[str, str, str]] = {}

    def __call__(self, full_name: str) -> tuple[str, str, str]:
        try:
            return self.known[full_name]
        except KeyError:
            pass
        key = plain(full_name)
        answer = (clean(full_name), key, records.given_key(key))
        if len(self.known) >= self.limit:
            self.known.clear()
        self.known[full_name] = answer
        return answer


# A checked household waiting to be written is a plain tuple (cheap to pickle and to insert):
# (code, commune code, village id, address, household facts, is minority, members, head index),
# facts in HOUSEHOLD_FACTS order with the field's default ("" or None) where the file had none;
# each member a tuple of MEMBER_COLUMNS values, the birth date as ISO text (what both databases
# take as it is; date objects would double the cost of pickling a chunk).
HOUSEHOLD_FACT_DEFAULTS = tuple(
    (name, Household._meta.get_field(name).get_default()) for name in records.HOUSEHOLD_FACTS
)
MEMBER_FACT_DEFAULTS = tuple(
    (name, Member._meta.get_field(name).get_default()) for name in records.MEMBER_FACTS
)
_HOUSEHOLD_FACTS, _HOUSEHOLD_DEFAULTS = zip(*HOUSEHOLD_FACT_DEFAULTS, strict=True)
_MEMBER_FACTS, _MEMBER_DEFAULTS = zip(*MEMBER_FACT_DEFAULTS, strict=True)
MEMBER_COLUMNS = (
    "full_name",
    "name_key",
    "given_key",
    "sex",
    "birth_date",
    "birth_year",
    "ethnicity",
    "relationship",
    "id_number_encrypted",
    "id_number_hash",
    "id_number_last4",
    "phone",
    *records.MEMBER_FACTS,
)
HOUSEHOLD_COLUMNS = (
    "id",
    "code",
    "commune_id",
    "village_id",
    "address",
    *records.HOUSEHOLD_FACTS,
    "is_ethnic_minority",
    "member_count",
)
_NAME_KEY, _BIRTH_YEAR, _ID_HASH = (
    MEMBER_COLUMNS.index(n) for n in ("name_key", "birth_year", "id_number_hash")
)
_FIRST_MEMBER_FACT = len(MEMBER_COLUMNS) - len(records.MEMBER_FACTS)


def _households(filename: str, stream: BinaryIO) -> Iterator[list]:
    rows = read_table(
        filename,
        stream,
        fmt.ALIASES,
        required=("full_name",),
        any_of=(("commune_code",), ("village",)),
    )
    yield from fmt.group_rows(rows)


class _Check:
    """The first pass: each household read, checked and (if it will be written) kept."""

    def __init__(
        self,
        actor: Any,
        report: HouseholdImportReport,
        scratch: _Scratch,
        today: dt.date,
    ) -> None:
        self.report = report
        self.scratch = scratch
        self.today = today
        self.read = fmt.HouseholdReader(_choices())
        self.places = _Places(actor)
        self.provinces = cccd_province_codes()
        self.names = _Names()
        self.ethnic_codes: dict[str, str] = {}
        self.batch: list[tuple[fmt.ParsedHousehold, list[RowError]]] = []
        self.waiting: list[tuple] = []
        self.bad = 0

    def add(self, rows: list) -> None:
        parsed = self.read(rows)
        self.report.households += 1
        self.report.members += len(rows)
        errors = [RowError(*p) for p in parsed.problems]
        vid, column, why = self.places.village_id(parsed.commune_code, parsed.village_name)
        if vid is None:
            errors.append(
                RowError(parsed.first_row, column, parsed.village_name or parsed.commune_code, why)
            )
        parsed.record.village_id = vid or 0
        for m in parsed.record.members:
            if m.ethnicity:
                m.ethnicity = self._ethnic_code(m.ethnicity)
        for p in validate_household(parsed.record, today=self.today, province_codes=self.provinces):
            if p.field == "village":
                continue
            row, col = fmt.problem_location(parsed, p)
            errors.append(RowError(row, col, "", p.reason))
        self.batch.append((parsed, errors))
        if len(self.batch) >= CHUNK:
            self.settle()

    def _ethnic_code(self, text: str) -> str:
        """The group's code, or the text as written if no group has that name (validation then
        reports it); remembered, as a file names the same few groups a million times."""
        code = self.ethnic_codes.get(text)
        if code is None:
            group = catalogue().find(text)
            code = group.code if group else text
            if len(self.ethnic_codes) < 10_000:
                self.ethnic_codes[text] = code
        return code

    def settle(self) -> None:
        """Duplicate checks across the file for the batch, then its errors or its keeping."""
        codes: dict[str, int] = {}
        ids: dict[str, int] = {}
        for parsed, _errors in self.batch:
            if parsed.record.code:
                codes.setdefault(parsed.record.code, parsed.first_row)
            for i, m in enumerate(parsed.record.members):
                if m.id_number and len(m.id_number) == 12:
                    ids.setdefault(m.id_number, parsed.rows[i])
        first_code = self.scratch.first_rows("codes", codes)
        first_id = self.scratch.first_rows("ids", ids)
        report = self.report
        kept = []
        for parsed, errors in self.batch:
            code = parsed.record.code
            if code and first_code[code] != parsed.first_row:
                errors.append(
                    RowError(
                        parsed.first_row, "Mã hộ", code, f"trùng mã hộ ở dòng {first_code[code]}"
                    )
                )
            for i, m in enumerate(parsed.record.members):
                if m.id_number and len(m.id_number) == 12:
                    first = first_id[m.id_number]
                    if first != parsed.rows[i]:
                        errors.append(
                            RowError(parsed.rows[i], "Số CCCD", "", f"trùng số CCCD ở dòng {first}")
                        )
            if errors:
                self.bad += 1
                report.errors.extend(errors)
            elif report.valid_only or not report.errors:
                kept.append(parsed)
        self.batch = []
        sealed = iter(
            field_encryption.encrypt_many([m.id_number for p in kept for m in p.record.members])
        )
        for parsed in kept:
            self.waiting.append(self._staged(parsed, sealed))
            if len(self.waiting) >= CHUNK:
                self.scratch.keep(self.waiting)
                self.waiting = []

    def finish(self) -> None:
        self.settle()
        if self.waiting:
            self.scratch.keep(self.waiting)
            self.waiting = []

    def _staged(self, parsed: fmt.ParsedHousehold, sealed: Iterator[str]) -> tuple:
        """The household as it will be written: names keyed, the CCCD hashed and encrypted
        (``sealed``: the encrypted numbers of the batch's members, in order, "" for none)."""
        record = parsed.record
        members = []
        head = 0
        minority = False
        for i, m in enumerate(record.members):
            name, key, given = self.names(m.full_name)
            number = m.id_number
            digest = field_encryption.lookup_hash(number) if number else ""
            members.append(
                (
                    name,
                    key,
                    given,
                    m.sex,
                    m.birth_date and m.birth_date.isoformat(),
                    m.birth_year,
                    m.ethnicity,
                    m.relationship,
                    next(sealed),
                    digest,
                    number[-4:],
                    m.phone,
                    *map(m.facts.get, _MEMBER_FACTS, _MEMBER_DEFAULTS),
                )
            )
            if m.relationship == "head":
                head = i
            if m.ethnicity and m.ethnicity != "01":
                minority = True
        facts = tuple(map(record.facts.get, _HOUSEHOLD_FACTS, _HOUSEHOLD_DEFAULTS))
        return (
            record.code,
            parsed.commune_code,
            record.village_id,
            clean(record.address),
            facts,
            minority,
            tuple(members),
            head,
        )


def households_import(
    *,
    actor: Any,
    filename: str,
    open_stream: Callable[[], BinaryIO],
    valid_only: bool = False,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> HouseholdImportReport:
    """Check the whole file, then write it all (or, with ``valid_only``, its valid households)."""
    if not actor.can(Capability.RUN_IMPORTS):
        raise PermissionDenied
    today = today or timezone.localdate()
    report = HouseholdImportReport(file=filename, valid_only=valid_only)
    tick = progress or (lambda *_a: None)
    with _rare_collections(), _Scratch() as scratch:
        check = _Check(actor, report, scratch, today)
        try:  # pass 1: read and check, nothing written
            with open_stream() as stream:
                for rows in _households(filename, stream):
                    check.add(rows)
                    if report.households % 1000 == 0:
                        tick(report.households, None, f"Đã kiểm tra {report.households:,} hộ")
            check.finish()
        except TableError as exc:
            check.settle()
            report.errors.append(RowError(0, "", "", str(exc)))
            return report
        if (report.errors and not valid_only) or report.households == check.bad:
            return report
        report.skipped = check.bad
        _write_all(actor, filename, scratch, check.places, report, tick)
        if report.created + report.updated >= ANALYZE_AFTER:
            analyze(Household, Member)  # the list page's plans must see the new rows
    return report


@contextmanager
def _rare_collections(young: int = GC_YOUNG_THRESHOLD) -> Iterator[None]:
    """Python's cycle collector, run every ``young`` new container objects instead of 700.

    An import makes millions of short-lived tuples, dicts and records, none of them in cycles
    (reference counting frees them), while a batch of a thousand households stays alive; by
    default every 700 allocations a collection walks that batch again, which costs about a fifth
    of the check pass. The collector stays on, only rarer, and its thresholds come back after.
    """
    before = gc.get_threshold()
    gc.set_threshold(young, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _write_all(
    actor: Any,
    filename: str,
    scratch: _Scratch,
    places: _Places,
    report: HouseholdImportReport,
    tick: Progress,
) -> None:
    """Pass 2: every kept household, in one transaction."""
    total = scratch.spooled
    tick(0, total, "Đang ghi vào cơ sở dữ liệu")
    done = 0
    with transaction.atomic(), sqlite_cache(SQLITE_WRITE_CACHE_MB):
        before = _Before()
        for chunk in scratch.kept():
            _write(chunk, places, report, before)
            done += len(chunk)
            tick(done, total, f"Đã ghi {done:,}/{total:,} hộ")
        report.written = True
        record_batch(
            actor=actor,
            object_type="registry.household",
            counts={
                "households": report.households,
                "members": report.members,
                "created": report.created,
                "updated": report.updated,
                "skipped": report.skipped,
            },
            message=f"Imported households from {filename}",
            place=_single_place(places),
        )


@contextmanager
def sqlite_cache(megabytes: int) -> Iterator[None]:
    """A larger SQLite page cache for this connection for the block (a fixed cap, whatever the
    file's size). SQLite's default 2 MB makes a million-row write thrash: each insert into the
    random-order indexes (CCCD hash, names) reads its page back from the operating system."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-1024 * megabytes}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _single_place(places: _Places):
    touched = [places.communes[c] for c in places.villages]
    if len(touched) == 1:
        return touched[0]
    provinces = {c.province_id for c in touched}
    if len(provinces) == 1:
        from langso.geo.models import Province

        return Province.objects.get(code=provinces.pop())
    return None


class _Before:
    """What was stored when the write pass began: the only households the import may match.

    Households the import itself writes are never matched by later ones of the same file: two
    households of one village whose heads share name and birth year are two households, as the
    file says. A registry (or a village) with no households yet needs no matching at all, which
    is what makes a first import of a province fast.
    """

    def __init__(self) -> None:
        self.last_id = Household.objects.aggregate(last=Max("id"))["last"] or 0
        self._villages: dict[str, set[int]] = {}  # per commune: villages that had households

    def had_households(self, commune: str, village: int) -> bool:
        if commune not in self._villages:
            self._villages[commune] = set(
                Household.objects.filter(commune_id=commune, id__lte=self.last_id)
                .values_list("village_id", flat=True)
                .distinct()
            )
        return village in self._villages[commune]


def _write(
    chunk: list[tuple], places: _Places, report: HouseholdImportReport, before: _Before
) -> None:
    """Match a chunk against what is stored, then insert or update it."""
    existing = _match(chunk, before) if before.last_id else {}
    new = [h for i, h in enumerate(chunk) if i not in existing]
    if new:
        ids = reserve_ids(Household, len(new))
        households, members = [], []
        for pk, h in zip(ids, new, strict=True):
            code, commune, village, address, facts, minority, people, _head = h
            households.append(
                (
                    pk,
                    code or _next_code(commune, places),
                    commune,
                    village,
                    address,
                    *facts,
                    minority,
                    len(people),
                )
            )
            members += [(pk, commune, *m) for m in people]
        insert_rows(Household, HOUSEHOLD_COLUMNS, households)
        insert_rows(Member, ("household_id", "search_commune", *MEMBER_COLUMNS), members)
        report.created += len(new)
    if existing:
        matched = [(chunk[i], household) for i, household in existing.items()]
        changed = [household for h, household in matched if _apply(household, h)]
        update_many(Household, changed, [*records.HOUSEHOLD_FACTS, "address"])
        _merge_members(matched)
        report.updated += len(matched)


def _match(chunk: list[tuple], before: _Before) -> dict[int, Household]:
    """Stored households of a chunk (by its index): by code, else the head's CCCD, else the
    head's name + birth year + village; only households stored before the import began."""
    found: dict[int, int] = {}
    last = before.last_id
    codes = {h[0]: i for i, h in enumerate(chunk) if h[0]}
    if codes:
        rows = Household.objects.filter(code__in=list(codes), id__lte=last)
        for pk, code in rows.values_list("id", "code"):
            found[codes[code]] = pk
    heads = {i: h[6][h[7]] for i, h in enumerate(chunk) if i not in found}
    hashes = {m[_ID_HASH]: i for i, m in heads.items() if m[_ID_HASH]}
    if hashes:
        rows = Member.objects.filter(
            id_number_hash__in=list(hashes), relationship="head", household_id__lte=last
        ).values_list("id_number_hash", "household_id")
        for digest, pk in rows:
            found.setdefault(hashes[digest], pk)
    by_name = {
        (chunk[i][2], m[_NAME_KEY], m[_BIRTH_YEAR]): i
        for i, m in heads.items()
        if i not in found and before.had_households(chunk[i][1], chunk[i][2])
    }
    for key, pk in _heads_named(list(by_name), last):
        found.setdefault(by_name[key], pk)
    if not found:
        return {}
    stored = Household.objects.in_bulk(list(set(found.values())))
    return {i: stored[pk] for i, pk in found.items()}


def _heads_named(
    keys: list[tuple[int, str, int]], last_id: int
) -> Iterator[tuple[tuple[int, str, int], int]]:
    """((village, name key, birth year), household id) of stored heads with those keys.

    One probe per key into the (name_key, birth_year) index, then the village checked: common
    names ("nguyen van minh") recur thousands of times in a province, so asking by name alone
    would read them all for every chunk.
    """
    quote = connection.ops.quote_name
    member, household = quote(Member._meta.db_table), quote(Household._meta.db_table)
    for start in range(0, len(keys), 500):
        part = keys[start : start + 500]
        values = ", ".join(["(%s, %s, %s)"] * len(part))
        # CROSS JOIN fixes the order on SQLite (keys, then the name index, then the household
        # by id): left to choose, it scans a village's households and indexes members on the fly
        sql = (
            f"WITH k (village_id, name_key, birth_year) AS (VALUES {values}) "
            f"SELECT h.village_id, m.name_key, m.birth_year, h.id "
            f"FROM k CROSS JOIN {member} m CROSS JOIN {household} h "
            f"WHERE m.name_key = k.name_key AND m.birth_year = k.birth_year "
            f"AND m.relationship = 'head' AND h.id = m.household_id "
            f"AND h.village_id = k.village_id AND h.id <= %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*(v for key in part for v in key), last_id])
            for village, name_key, birth_year, pk in cursor.fetchall():
                yield (village, name_key, birth_year), pk


def _present(values: tuple, defaults: tuple[tuple[str, object], ...]) -> dict[str, object]:
    """The facts the file gave (a default "" or None means the cell was blank)."""
    return {
        name: value
        for (name, _d), value in zip(defaults, values, strict=True)
        if value is not None and value != ""
    }


def _apply(household: Household, staged: tuple) -> bool:
    """Copy the file's household facts onto a stored household; True if anything changed."""
    changed = False
    values = _present(staged[4], HOUSEHOLD_FACT_DEFAULTS)
    if staged[3]:
        values["address"] = staged[3]
    for name, value in values.items():
        if getattr(household, name) != value:
            setattr(household, name, value)
            changed = True
    return changed


def _next_code(commune: str, places: _Places) -> str:
    counters = places.last_code
    if commune not in counters:
        last = (
            Household.objects.filter(code__startswith=f"{commune}-")
            .order_by("-code")
            .values_list("code", flat=True)
            .first()
        )
        tail = last.rsplit("-", 1)[1] if last else "0"
        counters[commune] = int(tail) if tail.isdigit() else 0
    counters[commune] += 1
    return f"{commune}-{counters[commune]:06d}"


def _merge_members(matched: list[tuple[tuple, Household]]) -> None:
    """Add members not yet stored; refresh the facts of those that are (by CCCD or name+year)."""
    households = [h for _staged, h in matched]
    stored: dict[int, list[Member]] = {}
    for m in Member.objects.filter(household__in=households):
        stored.setdefault(m.household_id, []).append(m)
    new, changed = [], []
    for staged, household in matched:
        mine = stored.get(household.pk, [])
        for values in staged[6]:
            digest, key, year = values[_ID_HASH], values[_NAME_KEY], values[_BIRTH_YEAR]
            facts = _present(values[_FIRST_MEMBER_FACT:], MEMBER_FACT_DEFAULTS)
            found = next((m for m in mine if digest and m.id_number_hash == digest), None) or next(
                (m for m in mine if m.name_key == key and m.birth_year == year), None
            )
            if found is None:
                fields = dict(zip(MEMBER_COLUMNS, values, strict=True))
                if fields["birth_date"]:
                    fields["birth_date"] = dt.date.fromisoformat(fields["birth_date"])
                new.append(
                    Member(
                        household=household,
                        search_commune=search_commune_of(household),
                        **fields,
                    )
                )
            elif any(getattr(found, n) != v for n, v in facts.items()):
                for name, value in facts.items():
                    setattr(found, name, value)
                changed.append(found)
    Member.objects.bulk_create(new, batch_size=2000)
    update_many(Member, changed, list(records.MEMBER_FACTS))
    recount = []
    for household in households:
        members = stored.get(household.pk, []) + [m for m in new if m.household_id == household.pk]
        count = len(members)
        minority = any(m.ethnicity not in ("", "01") for m in members)
        if (household.member_count, household.is_ethnic_minority) != (count, minority):
            household.member_count, household.is_ethnic_minority = count, minority
            recount.append(household)
    update_many(Household, recount, ["member_count", "is_ethnic_minority"])
