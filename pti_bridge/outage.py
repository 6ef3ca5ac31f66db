"""Telling a database outage from a bug, and logging an outage once rather than per request.

Light on imports: LOGGING loads DropOutageTracebacks before the apps are ready.
"""

import logging
import sqlite3
import threading
import time

from django.db import InterfaceError, OperationalError

logger = logging.getLogger(__name__)

_SQLITE_BUSY = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc` (or what caused it) says the database cannot be reached or is busy,
    as opposed to a bug. SQLite's OperationalError also means e.g. a missing table: a bug."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, InterfaceError):
            return True
        if isinstance(exc, OperationalError):
            code = getattr(exc.__cause__, "sqlite_errorcode", None)
            return code is None or code & 0xFF in _SQLITE_BUSY
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


class _OutageLog:
    """One warning when the database goes away and one when it is back, per process,
    instead of a traceback for every request in between."""

    def __init__(self):
        self._lock = threading.Lock()
        self._since: float | None = None

    def down(self, exc: BaseException) -> None:
        with self._lock:
            if self._since is not None:
                return
            self._since = time.monotonic()
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        logger.warning("Database unavailable (%s: %s); answering 503 until it is back.", type(exc).__name__, first_line)

    @property
    def active(self) -> bool:
        return self._since is not None

    def up(self) -> None:
        with self._lock:
            since, self._since = self._since, None
        if since is not None:
            logger.warning("Database available again after %.0f s.", time.monotonic() - since)


outage_log = _OutageLog()


class DropOutageTracebacks(logging.Filter):
    """For django.request: no traceback per request while the database is away (the
    middleware logs the outage once)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and database_unavailable(record.exc_info[1]))
