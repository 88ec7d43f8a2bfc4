"""Set-based writes that Django's ORM makes slow.

``bulk_update`` builds one CASE WHEN per object and field, which costs seconds per thousand
rows; imports update rows with a parameterised UPDATE run through executemany instead. For
millions of new rows, ``insert_rows`` takes plain tuples (no model objects) and loads them with
COPY on PostgreSQL, with ids from ``reserve_ids`` when the caller needs them.
"""

from collections.abc import Iterable, Sequence

from django.db import connection, models
from django.utils import timezone


def update_many(
    model: type[models.Model], objects: Sequence[models.Model], fields: list[str]
) -> int:
    """UPDATE each object's ``fields`` by primary key; returns how many rows were sent."""
    if not objects:
        return 0
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    params = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns] + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(params)


def insert_many(model: type[models.Model], objects: Sequence[models.Model]) -> int:
    """INSERT rows whose ids the caller does not need back, without the ORM's per-field compile.

    Values go through each field's own ``pre_save`` and ``get_db_prep_save`` (auto_now_add and
    type conversion stay as Django does them); the database assigns automatic ids.
    """
    if not objects:
        return 0
    meta = model._meta
    columns = [f for f in meta.concrete_fields if f is not meta.auto_field]
    quote = connection.ops.quote_name
    placeholders = ", ".join(["%s"] * len(columns))
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in columns)}) "
        f"VALUES ({placeholders})"
    )
    params = [
        [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in columns]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(params)


def _column_default(field: models.Field, now: object) -> object:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return field.get_db_prep_save(now, connection)
    return field.get_db_prep_save(field.get_default(), connection)


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[object]]
) -> int:
    """INSERT plain tuples of values for ``fields``, in that order: no model objects at all.

    The model's other columns take their defaults (``auto_now`` fields the current time); the
    primary key is assigned by the database unless it is one of ``fields``. Values must be what
    the database takes (dates and times through ``connection.ops.adapt_*`` on SQLite). PostgreSQL
    loads them with COPY, other databases with one executemany.
    """
    meta = model._meta
    given = [meta.get_field(name) for name in fields]
    now = timezone.now()
    rest = [f for f in meta.concrete_fields if f not in given and f is not meta.auto_field]
    tail = tuple(_column_default(f, now) for f in rest)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in [*given, *rest])
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *tail))
                    count += 1
            return count
        params = [(*row, *tail) for row in rows]
        placeholders = ", ".join(["%s"] * (len(given) + len(rest)))
        cursor.executemany(
            f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})", params
        )
        return len(params)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys for rows the caller inserts with ``insert_rows``.

    PostgreSQL takes them from the table's sequence (safe under concurrency). SQLite has no
    sequence to draw from: the ids follow the largest one ever used, which is safe because the
    caller inserts them in the same write transaction (SQLite has one writer at a time, and this
    project opens transactions with BEGIN IMMEDIATE) before asking again.
    """
    if count <= 0:
        return []
    meta = model._meta
    table, pk = meta.db_table, meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor != "sqlite":
            raise NotImplementedError(f"reserve_ids on {connection.vendor}")
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT COALESCE(MAX({quote(pk)}), 0) FROM {quote(table)}")
        top = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        top = max(top, row[0] if row else 0)
    return list(range(top + 1, top + 1 + count))


def analyze(*models: type[models.Model]) -> None:
    """Refresh the query planner's statistics of these tables after a bulk write.

    Without them the planner guesses from nothing: SQLite has no statistics until ANALYZE runs
    (Django never runs it) and scans a province's households to find one code; PostgreSQL's
    autovacuum catches up only some time after a large commit. On SQLite the analysis reads at
    most about 1,000 rows per index (``analysis_limit``), so it takes milliseconds.
    """
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 1000")
        for model in models:
            cursor.execute(f"ANALYZE {quote(model._meta.db_table)}")
