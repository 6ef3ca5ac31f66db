"""Working-day arithmetic for response targets: Monday to Friday, on the office's clock.

Days are counted in settings.TIME_ZONE (Beijing, where staff chase late answers).
Weekends do not count; public holidays are not known here and count as working days.

`response_due_at(t)` is when an answer to something forwarded at `t` is due: the same
clock time N working days later (a weekend start counts from Monday 00:00).
`overdue_before(now)` is its inverse for queries: something forwarded at `t` is overdue
at `now` exactly when `t < overdue_before(now)`, so a database can count it with one
comparison (`forwarded_at__lt=...`) instead of reading every row.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

SATURDAY = 5


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _is_weekend(moment: datetime) -> bool:
    return moment.weekday() >= SATURDAY


def _next_monday_midnight(moment: datetime) -> datetime:
    monday = moment.date() + timedelta(days=7 - moment.weekday())
    return datetime.combine(monday, time(0), tzinfo=moment.tzinfo)


def _step_working_days(moment: datetime, days: int, direction: int) -> datetime:
    """`days` weekdays forward (direction 1) or back (-1) from a weekday, same clock time."""
    day = moment.date()
    remaining = days
    while remaining:
        day += timedelta(days=direction)
        if day.weekday() < SATURDAY:
            remaining -= 1
    return datetime.combine(day, moment.time(), tzinfo=moment.tzinfo)


def target_working_days() -> int:
    return settings.INQUIRY_RESPONSE_TARGET_WORKING_DAYS


def add_working_days(start: datetime, days: int) -> datetime:
    """`start` plus `days` working days, as an aware datetime on the office's clock."""
    local = start.astimezone(_zone())
    if _is_weekend(local):
        local = _next_monday_midnight(local)
    return _step_working_days(local, days, 1)


def response_due_at(forwarded_at: datetime, *, days: int | None = None) -> datetime:
    """When the exporter's answer to an inquiry forwarded at `forwarded_at` is due."""
    return add_working_days(forwarded_at, target_working_days() if days is None else days)


def overdue_before(now: datetime, *, days: int | None = None) -> datetime:
    """The forwarding time before which an unanswered inquiry is overdue at `now`.

    `response_due_at(t) < now` holds exactly when `t < overdue_before(now)`.
    """
    days = target_working_days() if days is None else days
    local = now.astimezone(_zone())
    if _is_weekend(local):
        # No answer falls due during a weekend: it looks like Monday 00:00.
        local = _next_monday_midnight(local)
    return _step_working_days(local, days, -1)


def _weekdays_after(first, last) -> int:
    """Weekdays d with first < d <= last."""
    span = (last - first).days
    count = span // 7 * 5
    day = first + timedelta(days=span // 7 * 7)
    while day < last:
        day += timedelta(days=1)
        if day.weekday() < SATURDAY:
            count += 1
    return count


def working_days_between(start: datetime, end: datetime) -> int:
    """Whole working days from `start` to `end`: the largest n with add_working_days(start, n) <= end."""
    local_start = start.astimezone(_zone())
    if _is_weekend(local_start):
        local_start = _next_monday_midnight(local_start)
    local_end = end.astimezone(_zone())
    if local_end <= local_start:
        return 0
    count = _weekdays_after(local_start.date(), local_end.date())
    if count and not _is_weekend(local_end) and local_end.time() < local_start.time():
        count -= 1  # the last working day has not reached the starting clock time yet
    return count
