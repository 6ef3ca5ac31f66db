"""PostgreSQL plumbing for hot read queries: prepared statements through Django's cursor.

Django binds parameters on the client, so PostgreSQL plans every query anew; for the
product list's page that planning costs more than running it. `prepared_cursor()` gives a
server-side-binding cursor, still wrapped by Django (query logging, execute wrappers,
error translation), on which psycopg prepares a query once it has run `prepare_threshold`
times on the connection (settings: DATABASE_PREPARED_STATEMENTS).
"""

import re
from contextlib import contextmanager

from django.db import connection
from django.db.models import ForeignKey, Lookup

_PLACEHOLDER = re.compile(r"%%|%s")


@contextmanager
def prepared_cursor():
    connection.ensure_connection()
    import psycopg  # PostgreSQL only, and only here

    with connection.wrap_database_errors:
        raw = psycopg.Cursor(connection.connection)
    cursor = connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)
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
