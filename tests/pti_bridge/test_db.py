"""Prepared statements (pti_bridge/db.py, PostgreSQL only, like the product list's path that
uses them): constants written into SQL safely, and the page prepared once per connection."""

import datetime

import pytest
from django.db import connection
from rest_framework.test import APIClient

from catalogue.listing.postgres import inline_constants
from catalogue.models import Product
from pti_bridge.db import prepared_cursor
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "value",
    [
        "published",
        "O'Brien; DROP TABLE x; --",
        "100% pure",
        "香草",
        42,
        datetime.date(2026, 11, 27),
        Product.Status.PUBLISHED,
    ],
)
def test_an_inlined_constant_reads_back_as_itself(postgres, value):
    sql, left = inline_constants("SELECT %s, %s, '50%%'", [value, "kept"], keep={1})

    assert left == [1]
    assert sql.count("%s") == 1
    with connection.cursor() as cursor:
        cursor.execute(sql, ["kept"])
        row = cursor.fetchone()
    assert row == (value.value if isinstance(value, Product.Status) else value, "kept", "50%")


def test_the_first_page_of_the_product_list_is_planned_once_per_connection(postgres, settings):
    settings.API_CACHE_SECONDS = 0  # every request reaches the database
    ProductFactory.create_batch(2, published=True)
    api = APIClient()
    with prepared_cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")

    def prepared_pages():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                "WHERE statement LIKE %s AND statement LIKE %s",
                ['SELECT "catalogue_product"."id"%', "%LIMIT 1 OFFSET 0"],
            )
            return cursor.fetchall()

    for _ in range(5):
        assert api.get("/api/v1/products/", {"page_size": 1}).status_code == 200
    assert prepared_pages() == []  # psycopg runs a query 5 times (prepare_threshold) before preparing it

    for _ in range(3):
        assert api.get("/api/v1/products/", {"page_size": 1}).status_code == 200
    # Prepared at the 6th run: the 6th to 8th ran its one plan, never planned again.
    assert prepared_pages() == [(3, 0)]


def test_a_prepared_query_is_logged_with_its_values(postgres):
    # Django reads a query back from psycopg to log it, and psycopg has none to give for a
    # prepared statement: the debug log (and CaptureQueriesContext) would show None.
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        for value in range(7):
            with prepared_cursor() as cursor:
                cursor.execute("SELECT %s::int + 1", [value])
                assert cursor.fetchone() == (value + 1,)

    assert [query["sql"] for query in captured.captured_queries] == [f"SELECT {value}::int + 1" for value in range(7)]


def test_prepared_queries_always_run_their_generic_plan(postgres, settings):
    # The code chooses how each prepared query reads (catalogue.listing.postgres), so its one
    # plan must serve: PostgreSQL left to choose
    # planned the other matches of a common search anew on every run.
    settings.API_CACHE_SECONDS = 0
    ProductFactory.create_batch(3, published=True, name_en="Kava", summary_en="With noni.")
    ProductFactory.create_batch(2, published=True, name_en="Noni")
    api = APIClient()
    with prepared_cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone() == ("force_generic_plan",)

    for _ in range(8):
        assert api.get("/api/v1/products/", {"q": "noni", "page_size": 2, "page": 2}).status_code == 200

    with connection.cursor() as cursor:
        cursor.execute("SELECT generic_plans, custom_plans FROM pg_prepared_statements")
        plans = cursor.fetchall()
    assert plans and all(custom == 0 and generic >= 3 for generic, custom in plans), plans
