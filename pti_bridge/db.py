"""PostgreSQL plumbing for hot read queries: prepared statements through Django's cursor.

Django binds parameters on the client, so PostgreSQL plans every query anew; for the
product list's page that planning costs more than running it. `prepared_cursor()` gives a
server-side-binding cursor, still wrapped by Django (query logging, execute wrappers,
error translation), on which psycopg prepares a query once it has run `prepare_threshold`
times on the connection (settings: DATABASE_PREPARED_STATEMENTS). Only the queries the
listing engine chooses run here: Django's `server_side_binding` option would prepare every
query, each with a generic plan (bench/README.md compares the two).
"""

from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.utils import CursorDebugWrapper
from django.db.models import ForeignKey, Lookup


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
