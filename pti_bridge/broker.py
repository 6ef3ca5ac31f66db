"""kombu's Redis transport, made to survive a Redis restart under load; redis:// and rediss://
broker URLs use it (pti_bridge/celery.py calls `use_for_redis_urls()`).

When a worker loses Redis, Celery 5.7 first collects the broker connection (kombu's
`Connection.collect()`, which sets the transport's `client` to None) and then closes it. The
close shuts the channel, whose QoS restores the unacknowledged messages (with acks_late, every
task in flight or prefetched): it opens a new connection pool built from `transport.client`,
now None, and raises AttributeError ("'NoneType' object has no attribute 'hostname'"). That is
not a connection error, so Celery's `ignore_errors` lets it through and the worker stops for
good. A late task's ack after the loss fails the same way.

Here a channel keeps the connection details it was opened with and builds its pools from them
when the transport's have been dropped: the restore (and a late ack) then reaches Redis if it is
back, or fails with a connection error, which Celery handles by reconnecting.
"""

from kombu.transport import TRANSPORT_ALIASES, redis


class Channel(redis.Channel):
    def __init__(self, connection, *args, **kwargs):
        self._connection_details = connection.client  # kombu's Connection: URL, port, credentials
        super().__init__(connection, *args, **kwargs)

    def _connparams(self, asynchronous=False):
        transport = self.connection
        if transport.client is not None:
            return super()._connparams(asynchronous=asynchronous)
        transport.client = self._connection_details
        try:
            return super()._connparams(asynchronous=asynchronous)
        finally:
            transport.client = None


class Transport(redis.Transport):
    Channel = Channel


def use_for_redis_urls() -> None:
    """Point kombu's redis and rediss schemes here (the scheme still decides TLS)."""
    TRANSPORT_ALIASES.update(redis="pti_bridge.broker:Transport", rediss="pti_bridge.broker:Transport")
