"""SQL the hot path sends on every request, its text built once per shape and kept.

The state machine's write, a conditional UPDATE of one row, and the confirmation's read, the rows a
link names by primary key. The ORM compiles either anew on every call; the text is the same every time.

A transition (Signature._move) is "set these fields where the row is still in one of these states",
so the database decides which of two racing requests wins. Compiling it took about a fifth of a
confirmation's CPU; each call now only prepares its values, as QuerySet.update() would (no pre_save,
no signals: exactly what update() does). Compiling the confirmation's SELECT, with its joins, took
0.5 ms of a confirmation's 3.2 in one process.
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


@lru_cache(maxsize=64)
def select_by_pk(model: type[models.Model], rows: int, using: str) -> str:
    """Every concrete column of the rows with these `rows` primary keys, in primary key order (for raw())."""
    quote = connections[using].ops.quote_name
    meta = model._meta
    columns = ", ".join(quote(f.column) for f in meta.concrete_fields)
    keys = ", ".join("%s" for _ in range(rows))
    pk = quote(meta.pk.column)
    return f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {pk} IN ({keys}) ORDER BY {pk}"  # noqa: S608
