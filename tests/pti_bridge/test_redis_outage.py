"""Redis away: the catalogue, sign-in and inquiries keep answering (cache and throttle fail
open), one warning is logged per outage, and all is back to normal when Redis returns.

Against a redis-server of the test's own (tests/redis_server.py) that the test stops, starts
again and freezes; never the machine's shared Redis."""

import gc
import logging
import time

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from inquiries.models import Inquiry, InquiryPolicy
from inquiries.workflow import message_translate
from pti_bridge import celery as celery_module
from pti_bridge.models import Notification
from pti_bridge.redis_outage import breaker
from tests import factories
from tests.buyers.fixtures import policy, sign_in  # noqa: F401
from tests.redis_server import own_redis  # noqa: F401

pytestmark = pytest.mark.django_db

RETRY_SECONDS = 0.5


@pytest.fixture
def redis_cache(own_redis, settings):  # noqa: F811
    """The project's cache settings, pointed at the test's own Redis; a limit of 3 anonymous
    requests a minute; a breaker that starts closed."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": own_redis.url,
            "KEY_PREFIX": "pti",
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
    }
    settings.REDIS_RETRY_SECONDS = RETRY_SECONDS
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "50/min"}}
    settings.API_CACHE_SECONDS = 300
    breaker.reset()
    yield own_redis
    breaker.reset()


@pytest.fixture
def celery_broker(own_redis):  # noqa: F811
    """Tasks published to the test's own Redis (its pool made anew, and put back after)."""
    app = celery_module.app
    url, pool = app.conf.broker_url, app._pool
    app.conf.broker_url, app._pool = own_redis.url, None
    yield app
    if app._pool is not None:
        app._pool.force_close_all()
    app.conf.broker_url, app._pool = url, pool


def outage_lines(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "pti_bridge.redis_outage"]


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def test_the_catalogue_answers_without_redis_and_is_throttled_again_when_it_returns(redis_cache, caplog):
    factories.ProductFactory.create_batch(2, published=True)
    caplog.set_level(logging.WARNING, logger="pti_bridge.redis_outage")
    api = APIClient()
    assert [api.get("/api/v1/products/").status_code for _ in range(4)] == [200, 200, 200, 429]

    redis_cache.stop()
    answers = [timed(lambda: api.get("/api/v1/products/")) for _ in range(6)]

    # Served (not throttled: nothing counts while Redis is away), at once, each one whole.
    assert [response.status_code for response, _ in answers] == [200] * 6
    assert all(response.json()["count"] == 2 for response, _ in answers)
    assert max(seconds for _, seconds in answers) < 0.5
    [warning] = outage_lines(caplog)
    assert warning.startswith("Redis is unavailable")

    redis_cache.start()  # a new, empty Redis on the same port
    time.sleep(RETRY_SECONDS + 0.1)
    assert [api.get("/api/v1/products/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert outage_lines(caplog)[1:] == [outage_lines(caplog)[1]]
    assert outage_lines(caplog)[1].startswith("Redis answers again")
    assert redis_cache.client().keys("pti:*throttle:anon:*")  # counted in Redis again


def test_a_second_outage_is_logged_again(redis_cache, caplog):
    caplog.set_level(logging.WARNING, logger="pti_bridge.redis_outage")
    api = APIClient()
    for _ in range(2):
        redis_cache.stop()
        assert api.get("/api/v1/products/").status_code == 200
        assert api.get("/api/v1/products/").status_code == 200
        redis_cache.start()
        time.sleep(RETRY_SECONDS + 0.1)
        assert api.get("/api/v1/products/").status_code == 200

    assert [line.split(" (")[0].split(" after")[0] for line in outage_lines(caplog)] == [
        "Redis is unavailable",
        "Redis answers again",
        "Redis is unavailable",
        "Redis answers again",
    ]


def test_a_frozen_redis_holds_one_request_for_the_timeout_and_the_next_not_at_all(redis_cache, settings):
    settings.REDIS_RETRY_SECONDS = 5
    factories.ProductFactory(published=True)
    api = APIClient()
    assert api.get("/api/v1/products/").status_code == 200  # a pooled connection to Redis

    redis_cache.freeze()
    try:
        first, first_seconds = timed(lambda: api.get("/api/v1/products/", {"page": 1}))
        second, second_seconds = timed(lambda: api.get("/api/v1/products/", {"page": 1}))
    finally:
        redis_cache.resume()

    assert first.status_code == second.status_code == 200
    # One reply timed out; every other call of that request and the next skipped Redis.
    assert settings.REDIS_TIMEOUT_SECONDS <= first_seconds < settings.REDIS_TIMEOUT_SECONDS + 0.5
    assert second_seconds < 0.2


def test_sign_in_and_an_inquiry_work_without_redis(
    redis_cache,
    celery_broker,
    settings,
    sign_in,  # noqa: F811
    wechat,
    alice,
    staff,
    caplog,
):
    """The inquiry's task is not published to the dead broker (no wait for it): once staff
    translated it (which forwards it, screening being off), its outbox row (the exporter's
    e-mail) waits for the sweep."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.REDIS_RETRY_SECONDS = 5  # no second try of Redis within the test
    InquiryPolicy.objects.update(screening_required=False)  # to the exporter once in English, by e-mail
    caplog.set_level(logging.WARNING, logger="pti_bridge.redis_outage")
    product = factories.ProductFactory(published=True, exporter=alice.exporter_membership.exporter)
    reverse("api_inquiries")  # the URL resolver made once, outside the timing
    redis_cache.freeze()  # frozen, not refusing: the worst case for a request's wait
    try:
        client, buyer, _token = sign_in("wang")
        gc.collect()  # a full pass of the collector (0.5 s on a busy machine) is no wait for Redis
        started = time.monotonic()
        with django_on_commit():
            response = client.post(
                "/api/v1/inquiries/",
                {"product": product.pk, "quantity": "5", "unit": "kg", "message": "请问价格？"},
                format="json",
            )
        seconds = time.monotonic() - started
        assert response.status_code == 201, response.content
        with django_on_commit():
            message_translate(
                message=Inquiry.objects.get().messages.get(), translation="What is the price?", actor=staff
            )
    finally:
        redis_cache.resume()

    assert Inquiry.objects.get().buyer == buyer
    # The sign-in found Redis frozen; the inquiry did not wait for it (a try to publish the task
    # waits at least two socket timeouts of the broker's).
    assert seconds < 2 * settings.REDIS_TIMEOUT_SECONDS
    [email] = Notification.objects.all()
    assert (email.status, email.recipient) == (Notification.Status.PENDING, alice.email)
    assert wechat.requests("/wxa/msg_sec_check")  # checked with a token fetched without the cache
    assert len(outage_lines(caplog)) == 1
    assert redis_cache.client().llen("celery") == 0  # nothing was queued


def test_the_wechat_token_is_kept_in_the_process_while_redis_is_away(redis_cache, wechat):
    from pti_bridge.wechat import gateway as gateways

    gateways._local.__dict__.clear()  # a fresh gateway: no token kept by an earlier test's
    redis_cache.stop()
    gateway = gateways.get_gateway()
    first = gateway.client.access_token
    second = gateway.client.access_token

    assert first and first == second
    assert len(wechat.requests("/cgi-bin/stable_token")) == 1
    assert cache.get(f"wechat:{gateway.client.appid}_access_token") is None  # Redis is away


def django_on_commit():
    """Run on_commit callbacks (the task's publishing) as a real commit would."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_a_process_that_only_queues_tasks_sees_redis_return(redis_cache):
    """The broker is skipped while Redis is known down; once it is due for another try, asking
    whether it is down tries it, so tasks are queued again without a cache call in between."""
    from pti_bridge.redis_outage import redis_down

    redis_cache.stop()
    assert cache.get("anything") is None  # the failure that marks Redis down
    assert redis_down()
    redis_cache.start()

    assert redis_down()  # not due for another try yet
    time.sleep(RETRY_SECONDS + 0.1)
    assert not redis_down()
