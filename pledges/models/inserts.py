"""One INSERT that lets a unique constraint decide: the rows that conflicted are skipped, not errors.

Under a surge this is the cheap way to say "only if it is not there yet": no savepoint around each
insert, no IntegrityError to catch, one round trip for any number of rows. The rows that were
stored come back from RETURNING (PostgreSQL, and SQLite 3.35 and later). The statement's text is
built once per shape and kept; each call only prepares its values, as the fields would for save().
"""

from __future__ import annotations

from functools import lru_cache

from django.db import connections, models
from django.db.models.expressions import DatabaseDefault, Value


def insert_skipping_conflicts(
    objs: list[models.Model],
    returning: tuple[str, ...],
    using: str,
    *,
    first_row_sql: tuple[str, str, list] | None = None,
) -> list[tuple]:
    """Insert objs in one statement, skipping any that break a unique constraint; return the stored rows' fields.

    `first_row_sql` is (field name, SQL, params): the first row's value for that field, worked out by
    the database in the same statement (a scalar subquery, say).
    """
    if not objs:
        return []
    connection = connections[using]
    model = type(objs[0])
    fields = stored_fields(model)
    override, fragment, extra = first_row_sql or (None, None, [])
    statement = insert_statement(model, len(objs), returning, override, fragment, using)
    params = []
    for index, obj in enumerate(objs):
        for field in fields:
            if index == 0 and field.name == override:
                params.extend(extra)
            else:
                params.append(field.get_db_prep_save(value_of(field, obj), connection))
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


def value_of(field: models.Field, obj: models.Model):
    value = field.pre_save(obj, add=True)
    if isinstance(value, DatabaseDefault):
        # A field with only a database default: its literal, as the database would fill it in.
        default = field.db_default
        if isinstance(default, Value):
            return default.value
        if hasattr(default, "resolve_expression"):
            raise TypeError(f"{field} has an expression for its database default; give it a Python default")
        return default
    return value


def stored_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


@lru_cache(maxsize=64)
def insert_statement(
    model: type[models.Model],
    rows: int,
    returning: tuple[str, ...],
    override: str | None,
    fragment: str | None,
    using: str,
) -> str:
    # Only the model's own quoted table and column names and the caller's fixed fragment go into
    # the text; every value is a parameter.
    quote = connections[using].ops.quote_name
    meta = model._meta
    fields = stored_fields(model)
    row = ", ".join("%s" for _ in fields)
    first = ", ".join(f"({fragment})" if f.name == override else "%s" for f in fields)
    values = ", ".join([f"({first})"] + [f"({row})"] * (rows - 1))
    columns = ", ".join(quote(f.column) for f in fields)
    back = ", ".join(quote(meta.get_field(name).column) for name in returning)
    table = quote(meta.db_table)
    return f"INSERT INTO {table} ({columns}) VALUES {values} ON CONFLICT DO NOTHING RETURNING {back}"  # noqa: S608


def mark_stored(obj: models.Model, using: str) -> None:
    """An instance inserted by insert_skipping_conflicts now behaves as one loaded from the database."""
    obj._state.adding, obj._state.db = False, using
