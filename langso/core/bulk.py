"""Set-based writes that Django's ORM makes slow.

``bulk_update`` builds one CASE WHEN per object and field, which costs seconds per thousand
rows; imports update rows with a parameterised UPDATE run through executemany instead.
"""

from collections.abc import Sequence

from django.db import connection, models


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
