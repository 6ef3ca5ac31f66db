"""PostgreSQL plumbing for hot read queries: prepared statements through Django's cursor.

Django binds parameters on the client, so PostgreSQL plans every query anew; for the
product list's page that planning costs more than running it. `prepared_cursor()` gives a
server-side-binding cursor, still wrapped by Django (query logging, execute wrappers,
error translation), on which psycopg prepares a query once it has run `prepare_threshold`
times on the connection (settings: DATABASE_PREPARED_STATEMENTS).
"""

import re
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.utils import CursorDebugWrapper
from django.db.models import DateTimeField, F, ForeignKey, Func, Lookup

_PLACEHOLDER = re.compile(r"%%|%s")


class _PreparedDebugCursor(CursorDebugWrapper):
    """Logs a query as Django logs one bound on the server: with its values written in.
    (Django reads the query back from psycopg, which has none for a prepared statement.)"""

    def debug_sql(self, sql=None, params=None, use_last_executed_query=False, many=False):
        if use_last_executed_query and not many:
            sql, use_last_executed_query = self.db.ops.compose_sql(sql, params), False
        return super().debug_sql(sql, params, use_last_executed_query, many)


@contextmanager
def prepared_cursor(*, dict_rows: bool = False):
    """A server-side-binding cursor on Django's connection; `dict_rows`: rows as {column: value}
    (psycopg's dict_row, which reads the names off the result once: building
    `cursor.description` costs a type lookup per column)."""
    db = connections[DEFAULT_DB_ALIAS]  # once: each `connection.x` is a lookup in a context-local
    db.ensure_connection()
    import psycopg  # PostgreSQL only, and only here
    from psycopg.rows import dict_row, tuple_row

    with db.wrap_database_errors:
        raw = psycopg.Cursor(db.connection, row_factory=dict_row if dict_rows else tuple_row)
    cursor = _PreparedDebugCursor(raw, db) if db.queries_logged else db.make_cursor(raw)
    try:
        yield cursor
    finally:
        cursor.close()


def inline_constants(sql: str, params: list, keep: set[int]) -> tuple[str, list[int]]:
    """`sql` with every parameter except those at positions `keep` written in as an SQL
    literal, and the positions (in `params`) of the placeholders left, in order.

    For a query whose constants come from code (statuses, JSON keys) and whose variables
    come from the request: PostgreSQL can only use a prepared statement's one plan for
    every call (its generic plan) as well as a fresh one when it can see the constants."""
    positions = iter(range(len(params)))
    left = []

    def replace(match):
        if match.group() == "%%":
            return "%%"
        position = next(positions)
        if position in keep:
            left.append(position)
            return "%s"
        # compose_sql quotes as psycopg does; its result is a plain SQL fragment, so a "%"
        # in it must be doubled to stay literal for the cursor's own placeholder parsing.
        return connection.ops.compose_sql("%s", [params[position]]).replace("%", "%%")

    return _PLACEHOLDER.sub(replace, sql), left


@ForeignKey.register_lookup
class AnyOf(Lookup):
    """`foreign_key__any_of=[ids]` (PostgreSQL): `column = ANY(%s)`, the list one array parameter, so
    the SQL is the same whatever the list's length (`__in` writes a placeholder per item)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [list(value)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


# Slicing a template's queryset with these gives SQL whose LIMIT and OFFSET are replaced per
# call (Django writes them as literals, not parameters).
SLICE_MARK_START, SLICE_MARK_STOP = 900_000_001, 909_000_003
SLICE_MARK = f"LIMIT {SLICE_MARK_STOP - SLICE_MARK_START} OFFSET {SLICE_MARK_START}"


class SqlTemplates:
    """SQL compiled once per shape of request from a queryset built with stand-ins for the
    request's values (building and compiling a queryset can cost more than PostgreSQL takes
    to answer it). The queryset's other parameters, the code's own constants, are written in
    as literals (inline_constants); the stand-ins become the placeholders left."""

    def __init__(self):
        self._templates: dict = {}

    def get(self, key, build, stand_ins: dict) -> tuple[str, list[str], list]:
        """(SQL, the name of each placeholder in order, the stand-in of each) of `build()`,
        whose parameters equal to a value of `stand_ins` ({name: parameter}) are the request's."""
        template = self._templates.get(key)
        if template is None:
            sql, params = build().query.sql_with_params()
            slots = {}
            for index, param in enumerate(params):
                for name, stand_in in stand_ins.items():
                    if type(param) is type(stand_in) and param == stand_in:
                        slots[index] = name
            sql, left = inline_constants(sql, list(params), set(slots))
            template = self._templates[key] = (sql, [slots[i] for i in left], [params[i] for i in left])
        return template

    @staticmethod
    def bind(template, values: dict, *, start: int | None = None, stop: int | None = None) -> tuple[str, list]:
        """(SQL, parameters) of a template for the request's `values`; a page's LIMIT and
        OFFSET in place of the slice marks when the template was sliced with them."""
        sql, names, stand_ins = template
        params = [
            int(values[name]) if isinstance(stand_in, int) else values[name]
            for name, stand_in in zip(names, stand_ins, strict=True)
        ]
        if start is not None:
            sql = sql.replace(SLICE_MARK, f"LIMIT {int(stop - start)} OFFSET {int(start)}")
        return sql, params


def walk_is_cheaper(matches: float, stop: int, total: int, *, walked_row_cost: float = 1.0) -> bool:
    """Whether rows 0:stop of `matches` rows among `total` are read more cheaply by walking an
    index in the page's order, testing each row (about stop x total / matches rows read),
    than by reading every match through the filter's own index and sorting them (`matches`
    rows; see Unindexed). `walked_row_cost`: what a walked row costs against a match read
    the other way (less than 1 when the walk's index holds what the test needs)."""
    return matches * matches > stop * total * walked_row_cost


class Unindexed(Func):
    """A column's value, hidden from the planner's index matching (`published_at + interval
    '0 seconds'`, `inquiry_count + 0`, `name_en || ''`): ordering by it makes PostgreSQL find
    the rows another way (a filter's index) and sort them, rather than walk the column's
    index hoping to meet the filter's rows soon."""

    def __init__(self, name: str, model):
        field = model._meta.get_field(name)
        if isinstance(field, DateTimeField):
            template = "(%(expressions)s + interval '0 seconds')"
        elif field.get_internal_type() in ("CharField", "TextField", "SlugField"):
            template = "(%(expressions)s || '')"
        else:
            template = "(%(expressions)s + 0)"
        super().__init__(F(name), template=template, output_field=field)


def unindexed_ordering(keys, model) -> list:
    """`order_by()` arguments ("-published_at", "id", ...) with every column but the primary
    key as Unindexed (see there): the same order, read through no column's index."""
    ordering = []
    for key in keys:
        name = key.lstrip("-")
        if name in ("id", "pk"):
            ordering.append(key)
            continue
        expression = Unindexed(name, model)
        ordering.append(expression.desc() if key.startswith("-") else expression.asc())
    return ordering
