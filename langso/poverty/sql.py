"""A standard compiled to one SQL pass: every household of a batch with its indicators
(pure: no Django; the caller runs the SQL and passes the table names).

Each condition becomes an expression that is 1 (true), 0 (false) or NULL (unknown), with the
same three-valued logic as ``conditions.evaluate``; members are aggregated per household with
two sums per indicator (members for whom it is true, members for whom it is unknown), and
``indicator_statuses`` turns the row into the statuses ``rules.indicator`` would give. The
class is then computed by the same ``rules.classify`` as for one household, so the page, the
file check and the whole-province run cannot disagree (tests/poverty/test_sql_agrees.py).

Portable between SQLite and PostgreSQL: CASE, SUM, COUNT and LEFT JOIN only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import langso.poverty.conditions as c
from langso.poverty.rules import DEPRIVED, NOT_DEPRIVED, UNKNOWN
from langso.poverty.standard import Standard

Sql = tuple[str, list]


@dataclass(frozen=True)
class Tables:
    household: str
    member: str
    profile: str
    commune: str
    survey: str  # income surveys (Phiếu B): the current one of the year replaces the income


def _join(parts: list[Sql], sep: str) -> Sql:
    return sep.join(p[0] for p in parts), [x for p in parts for x in p[1]]


def _band(band: c.Age, as_of: dt.date) -> Sql:
    """True/false (never unknown): the member's age is inside the band on as_of."""
    out: list[Sql] = []
    for years, negate in ((band.at_least, False), (band.below, True)):
        if years is None:
            continue
        cutoff = c.years_before(as_of, years)
        test = (
            "(CASE WHEN m.birth_date IS NOT NULL THEN (CASE WHEN m.birth_date <= %s THEN 1 "
            "ELSE 0 END) ELSE (CASE WHEN m.birth_year <= %s THEN 1 ELSE 0 END) END)"
        )
        out.append((f"{test} = {0 if negate else 1}", [cutoff, as_of.year - years]))
    return _join(out, " AND ") if out else ("1 = 1", [])


def _column(name: str) -> str:
    if name.startswith("digital."):
        return f"p.{name.removeprefix('digital.')}"
    return name


def expression(node: c.Node, as_of: dt.date, prefix: str) -> Sql:
    """1 / 0 / NULL. ``prefix`` is the alias of the row the facts are read from ("m." or "h.")."""
    if isinstance(node, c.Is):
        col = _column(node.field) if node.field.startswith("digital.") else prefix + node.field
        yes, no = (1, 0) if node.value else (0, 1)
        return f"(CASE WHEN {col} IS NULL THEN NULL WHEN {col} THEN {yes} ELSE {no} END)", []
    if isinstance(node, c.In):
        col = prefix + node.field
        values = sorted(node.values)
        marks = ", ".join(["%s"] * len(values))
        return (
            f"(CASE WHEN {col} IS NULL OR {col} = '' THEN NULL "
            f"WHEN {col} IN ({marks}) THEN 1 ELSE 0 END)",
            values,
        )
    if isinstance(node, c.Age):
        sql, params = _band(node, as_of)
        return f"(CASE WHEN {sql} THEN 1 ELSE 0 END)", params
    if isinstance(node, c.PerPerson):
        col = prefix + node.field
        return (
            f"(CASE WHEN {col} IS NULL OR COALESCE(mm.n, 0) = 0 THEN NULL "
            f"WHEN {col} < %s * mm.n THEN 1 ELSE 0 END)",
            [node.below],
        )
    if isinstance(node, c.NotCollected):
        return "CAST(NULL AS INTEGER)", []
    parts = [expression(child, as_of, prefix) for child in getattr(node, "children", ())]
    if isinstance(node, c.AnyOf | c.NoneOf):
        ones = _join([(f"{s} = 1", p) for s, p in parts], " OR ")
        zeros = _join([(f"{s} = 0", p) for s, p in parts], " AND ")
        sql = f"(CASE WHEN {ones[0]} THEN 1 WHEN {zeros[0]} THEN 0 END)"
        params = ones[1] + zeros[1]
        if isinstance(node, c.NoneOf):
            return f"(CASE WHEN {sql} = 1 THEN 0 WHEN {sql} = 0 THEN 1 END)", params + params
        return sql, params
    if isinstance(node, c.AllOf):
        zeros = _join([(f"{s} = 0", p) for s, p in parts], " OR ")
        ones = _join([(f"{s} = 1", p) for s, p in parts], " AND ")
        return f"(CASE WHEN {zeros[0]} THEN 0 WHEN {ones[0]} THEN 1 END)", zeros[1] + ones[1]
    if isinstance(node, c.AtLeast):
        true = _join([(f"(CASE WHEN {s} = 1 THEN 1 ELSE 0 END)", p) for s, p in parts], " + ")
        maybe = _join(
            [(f"(CASE WHEN {s} IS NULL OR {s} = 1 THEN 1 ELSE 0 END)", p + p) for s, p in parts],
            " + ",
        )
        return (
            f"(CASE WHEN ({true[0]}) >= {node.count} THEN 1 "
            f"WHEN ({maybe[0]}) < {node.count} THEN 0 END)",
            true[1] + maybe[1],
        )
    raise TypeError(node)


def member_values(standard: Standard, as_of: dt.date) -> list[tuple[str, Sql]]:
    """(name, per-member 1/0/NULL expression) for every member-level indicator and the
    low-income-worker rule; a member outside an indicator's age band counts as 0."""
    out = []
    for i, ind in enumerate(standard.indicators):
        if ind.kind == "any_member":
            band, (cond, cp) = _band(ind.members, as_of), expression(ind.deprived_if, as_of, "m.")
            out.append((f"i{i}", (f"CASE WHEN {band[0]} THEN {cond} ELSE 0 END", band[1] + cp)))
        elif ind.kind == "share":
            out.append((f"i{i}", expression(ind.dependant_if, as_of, "m.")))
    worker = standard.low_income_worker
    if worker is not None:
        band, (cond, cp) = _band(worker.members, as_of), expression(worker.worker_if, as_of, "m.")
        out.append(("w", (f"CASE WHEN {band[0]} AND {cond} = 1 THEN 1 ELSE 0 END", band[1] + cp)))
    return out


def batch_query(
    standard: Standard,
    as_of: dt.date,
    tables: Tables,
    where: Sql,
    id_range: tuple[int, int] | None = None,
    review_year: int = 0,
) -> Sql:
    """One row per household matching ``where`` (over alias h): id, commune, village, area type,
    income, member count, flags, then per indicator its columns (see ``indicator_statuses``),
    then the low-income workers. ``id_range`` (first, last household id of a batch) bounds the
    members, profiles and surveys read by their household ids, which their indexes serve
    directly (without it, the members of the households matching ``where``)."""
    values = member_values(standard, as_of)
    inner = _join([(f"{sql} AS {name}", params) for name, (sql, params) in values], ", ")
    sums = []
    for name, _ in values:
        if name == "w":
            sums.append("SUM(x.w) AS w")
        else:
            sums.append(
                f"SUM(CASE WHEN x.{name} = 1 THEN 1 ELSE 0 END) AS {name}_t, "
                f"SUM(CASE WHEN x.{name} IS NULL THEN 1 ELSE 0 END) AS {name}_u"
            )
    where_sql, where_params = where
    if id_range is None:
        source = f"{tables.member} m JOIN {tables.household} h ON h.id = m.household_id"
        member_where, bounds = where, ("", [])
    else:
        source = f"{tables.member} m"
        member_where = ("m.household_id BETWEEN %s AND %s", list(id_range))
        bounds = (" AND {0}.household_id BETWEEN %s AND %s", list(id_range))
    members = (
        f"SELECT x.household_id, COUNT(*) AS n{''.join(', ' + s for s in sums)} FROM ("
        f"SELECT m.household_id{', ' + inner[0] if inner[0] else ''} FROM {source} "
        f"WHERE m.is_active AND {member_where[0]}) x GROUP BY x.household_id"
    )
    columns = []
    params: list = []
    for i, ind in enumerate(standard.indicators):
        if ind.kind == "household":
            sql, p = expression(ind.household_deprived_if, as_of, "h.")
            columns.append(f"{sql} AS i{i}")
            params += p
        else:
            columns.append(f"COALESCE(mm.i{i}_t, 0) AS i{i}_t, COALESCE(mm.i{i}_u, 0) AS i{i}_u")
    if standard.low_income_worker is not None:
        columns.append("COALESCE(mm.w, 0) AS w")
    sql = (
        "SELECT h.id, h.commune_id, h.village_id, "
        "COALESCE(NULLIF(h.area_type_override, ''), c.area_type) AS area_type, "
        "COALESCE(s.income_estimate, h.income_per_person) AS income, COALESCE(mm.n, 0) AS n, "
        "h.is_ethnic_minority, h.is_person_of_merit, h.no_working_capacity, "
        "CASE WHEN s.id IS NULL THEN 0 ELSE 1 END AS scored"
        f"{''.join(', ' + col for col in columns)} "
        f"FROM {tables.household} h JOIN {tables.commune} c ON c.code = h.commune_id "
        f"LEFT JOIN {tables.profile} p ON p.household_id = h.id{bounds[0].format('p')} "
        f"LEFT JOIN {tables.survey} s ON s.household_id = h.id AND s.review_year = %s "
        f"AND s.is_current{bounds[0].format('s')} "
        f"LEFT JOIN ({members}) mm ON mm.household_id = h.id "
        f"WHERE h.is_active AND {where_sql} ORDER BY h.id"
    )
    return (
        sql,
        params + bounds[1] + [review_year] + bounds[1] + inner[1] + member_where[1] + where_params,
    )


FIXED_COLUMNS = 10  # id … no_working_capacity, scored


def indicator_statuses(standard: Standard, row: tuple) -> tuple[list[str], int]:
    """The statuses of a ``batch_query`` row, and its low-income-worker count (before the class
    rule is applied)."""
    n = row[5]
    out = []
    at = FIXED_COLUMNS
    for ind in standard.indicators:
        if ind.kind == "household":
            value = row[at]
            at += 1
            out.append(UNKNOWN if value is None else DEPRIVED if value else NOT_DEPRIVED)
            continue
        true, maybe = row[at], row[at + 1]
        at += 2
        if ind.kind == "share":
            limit = ind.share_above * n
            out.append(
                DEPRIVED if true > limit else UNKNOWN if true + maybe > limit else NOT_DEPRIVED
            )
        else:
            out.append(DEPRIVED if true else UNKNOWN if maybe else NOT_DEPRIVED)
    workers = row[at] if standard.low_income_worker is not None else 0
    return out, int(workers or 0)


def row_reader(standard: Standard):
    """A fast ``indicator_statuses`` for whole-area runs: row -> (letters, deprived, unknown,
    low-income workers), the letters as ``rules.LETTER`` writes them."""
    plan = []
    at = FIXED_COLUMNS
    for ind in standard.indicators:
        if ind.kind == "household":
            plan.append((0, at, 0.0))
            at += 1
        else:
            plan.append((2 if ind.kind == "share" else 1, at, ind.share_above or 0.0))
            at += 2
    workers_at = at if standard.low_income_worker is not None else None

    def read(row: tuple) -> tuple[str, int, int, int]:
        letters = []
        n = row[5]
        for kind, i, share in plan:
            if kind == 0:
                value = row[i]
                letters.append("U" if value is None else "D" if value else "N")
            elif kind == 1:
                letters.append("D" if row[i] else "U" if row[i + 1] else "N")
            else:
                limit = share * n
                true = row[i]
                letters.append("D" if true > limit else "U" if true + row[i + 1] > limit else "N")
        vector = "".join(letters)
        workers = int(row[workers_at] or 0) if workers_at is not None else 0
        return vector, vector.count("D"), vector.count("U"), workers

    return read
