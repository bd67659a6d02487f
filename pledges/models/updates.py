"""A conditional UPDATE of one row, its text built once per shape: the state machine's write.

A transition (Signature._move) is "set these fields where the row is still in one of these states",
so the database decides which of two racing requests wins. The ORM compiles that UPDATE anew on every
call, at about a fifth of a confirmation's CPU; the text is the same every time, so it is built once
per shape and kept, and each call only prepares its values, as QuerySet.update() would (no pre_save,
no signals: exactly what update() does).
"""

from __future__ import annotations

from functools import lru_cache

from django.db import connections, models


def update_row_if(obj: models.Model, field: str, allowed: set[str], values: dict[str, object], using: str) -> bool:
    """Set `values` on obj's row if its `field` is still one of `allowed`; True if the row changed."""
    meta = type(obj)._meta
    names = tuple(values)
    statement = update_statement(type(obj), names, field, len(allowed), using)
    connection = connections[using]
    params = [meta.get_field(name).get_db_prep_save(values[name], connection) for name in names]
    params += [obj.pk, *sorted(allowed)]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount > 0


@lru_cache(maxsize=64)
def update_statement(model: type[models.Model], names: tuple[str, ...], field: str, allowed: int, using: str) -> str:
    # Only the model's own quoted table and column names go into the text; every value is a parameter.
    quote = connections[using].ops.quote_name
    meta = model._meta
    sets = ", ".join(f"{quote(meta.get_field(name).column)} = %s" for name in names)
    choices = ", ".join("%s" for _ in range(allowed))
    where = f"{quote(meta.pk.column)} = %s AND {quote(meta.get_field(field).column)} IN ({choices})"
    return f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {where}"  # noqa: S608
