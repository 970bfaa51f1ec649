"""Fast inserts for the import's many rows: one `executemany` per table (a `COPY` on
PostgreSQL), each field's value converted once by Django's own field code, and the change-history
rows written the same way.

`bulk_create` spends most of its time per value, compiling placeholders and preparing every
field of every row; for a 100,000-row register (15 rows written per source row) that is minutes.
Here the statement is compiled once per table, values that need no conversion (text, numbers,
booleans) pass straight through, and a batch's shared values (its timestamp) are converted once.
Defaults, `auto_now_add` and primary keys made in Python (UUIDs) are kept as on a normal save;
a table with a database-made key gets its key from the database (the caller never needs it)."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import NOT_PROVIDED
from django.db.models.fields import AutoFieldMixin

PLAIN = {"CharField", "TextField", "IntegerField", "PositiveIntegerField",
         "PositiveSmallIntegerField", "SmallIntegerField", "BigIntegerField", "BooleanField"}


def _converter(field, db):
    """None for values the driver takes as they are; otherwise the field's own preparation."""
    if field.is_relation:
        field = field.target_field
    kind = field.get_internal_type()
    if kind in PLAIN or isinstance(field, AutoFieldMixin) or kind == "BinaryField":
        return None  # both drivers take str, int, bool and bytes as they are
    if kind == "UUIDField":
        return None if db.features.has_native_uuid_field else (
            lambda value: None if value is None else value.hex)
    if kind == "DateField":
        adapt = db.ops.adapt_datefield_value
        return lambda value: None if value is None else adapt(value)
    prepare = field.get_db_prep_save
    memo = {}

    def convert(value):
        if value is None:
            return None
        key = id(value)
        found = memo.get(key)
        if found is not None and found[0] is value:
            return found[1]
        result = prepare(value, db)
        if len(memo) > 64:
            memo.clear()
        memo[key] = (value, result)
        return result

    return convert


def insert_rows(model, rows: list[dict]) -> None:
    """Insert plain rows (attname → value); a missing attname takes the field's default."""
    if not rows:
        return
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the per-thread proxy
    fields = [f for f in model._meta.concrete_fields
              if not (isinstance(f, AutoFieldMixin) and rows[0].get(f.attname) is None)]
    columns = ", ".join(db.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = (f"INSERT INTO {db.ops.quote_name(model._meta.db_table)} ({columns}) "
           f"VALUES ({marks})")
    plan = []
    for field in fields:
        default = field.get_default() if field.has_default() or field.null else NOT_PROVIDED
        plan.append((field.attname, _converter(field, db), default))
    values = []
    for row in rows:
        out = []
        for name, convert, default in plan:
            value = row.get(name, default)
            if value is NOT_PROVIDED:
                raise ValueError(f"{model.__name__}.{name} has no value and no default")
            out.append(value if convert is None else convert(value))
        values.append(out)
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            # COPY streams the rows in one command: several times faster than one INSERT each.
            names = ", ".join(db.ops.quote_name(f.column) for f in fields)
            table = db.ops.quote_name(model._meta.db_table)
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            cursor.executemany(sql, values)


def insert(model, objects: list, *, now) -> None:
    """Insert model instances built in Python (their primary keys already set, or made by the
    database); `auto_now` and `auto_now_add` fields get `now`."""
    automatic = [f.attname for f in model._meta.concrete_fields
                 if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    relations = [f for f in model._meta.concrete_fields if f.is_relation]
    rows = []
    for obj in objects:
        for name in automatic:
            setattr(obj, name, now)
        for field in relations:  # a related object saved after it was assigned
            if getattr(obj, field.attname) is None and field.is_cached(obj):
                setattr(obj, field.attname, field.get_cached_value(obj).pk)
        rows.append(obj.__dict__)
    insert_rows(model, rows)


def insert_history(model, objects: list, *, user, reason: str, now) -> None:
    """The creation ("+") rows of django-simple-history for objects just inserted."""
    history = model.history.model
    tracked = [f.attname for f in history.tracked_fields]
    insert_rows(history, [{
        **{name: getattr(obj, name) for name in tracked},
        "history_date": now, "history_type": "+", "history_user_id": user.pk,
        "history_change_reason": reason} for obj in objects])


def ids_reserve(model, count: int) -> list[int] | None:
    """`count` ids for new rows, so that rows whose ids others refer to can go in bulk too.
    PostgreSQL: taken from the table's own sequence. SQLite: after the highest id ever given
    (AUTOINCREMENT's `sqlite_sequence`), which is safe inside a transaction because Amparo's
    SQLite transactions are IMMEDIATE: no other writer runs until it ends. None elsewhere (use
    bulk_create, which returns them)."""
    db = connections[DEFAULT_DB_ALIAS]
    table, column = model._meta.db_table, model._meta.pk.column
    if not count:
        return None
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                           "FROM generate_series(1, %s)", [table, column, count])
            return [row[0] for row in cursor.fetchall()]
        if db.vendor == "sqlite" and db.in_atomic_block:
            cursor.execute(f"SELECT max({db.ops.quote_name(column)}) FROM "
                           f"{db.ops.quote_name(table)}")
            highest = cursor.fetchone()[0] or 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            found = cursor.fetchone()
            start = max(highest, found[0] if found else 0) + 1
            return list(range(start, start + count))
    return None


def insert_returning_ids(model, objects: list, *, now) -> None:
    """Insert objects whose database-made ids the caller needs (they are set on the objects)."""
    ids = ids_reserve(model, len(objects))
    if ids is None:
        model.objects.bulk_create(objects)
        return
    for obj, pk in zip(objects, ids, strict=True):
        obj.pk = pk
    insert(model, objects, now=now)
