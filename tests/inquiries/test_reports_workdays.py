"""Working-day arithmetic of the response target (pti_bridge.workdays), on Beijing's clock."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pti_bridge.workdays import add_working_days, overdue_before, response_due_at, working_days_between

BEIJING = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A moment of January 2026 in Beijing (1 Jan 2026 is a Thursday; 3-4, 10-11 are weekends)."""
    return datetime(2026, 1, day, hour, minute, tzinfo=BEIJING)


@pytest.mark.parametrize(
    ("forwarded", "due"),
    [
        (at(5, 10), at(7, 10)),  # Monday -> Wednesday, same clock time
        (at(8, 15, 30), at(12, 15, 30)),  # Thursday -> Monday (the weekend does not count)
        (at(9, 23, 59), at(13, 23, 59)),  # Friday night -> Tuesday night
        (at(10, 9), at(14, 0)),  # Saturday: the clock starts Monday 00:00 -> Wednesday 00:00
        (at(11, 23), at(14, 0)),  # Sunday too
    ],
)
def test_response_is_due_two_working_days_later(settings, forwarded, due):
    settings.INQUIRY_RESPONSE_TARGET_WORKING_DAYS = 2
    assert response_due_at(forwarded) == due
    # The same moment given in UTC gives the same answer.
    assert response_due_at(forwarded.astimezone(ZoneInfo("UTC"))) == due


def test_target_comes_from_settings(settings):
    settings.INQUIRY_RESPONSE_TARGET_WORKING_DAYS = 5
    assert response_due_at(at(5, 10)) == at(12, 10)
    assert add_working_days(at(5, 10), 0) == at(5, 10)


def test_overdue_before_is_the_exact_inverse_of_response_due_at(settings):
    """For every pair of moments on a 20-minute grid over three weeks: due < now <=> forwarded < cutoff."""
    settings.INQUIRY_RESPONSE_TARGET_WORKING_DAYS = 2
    start = at(1, 0)
    moments = [start + timedelta(minutes=20 * step) for step in range(0, 21 * 72, 7)]
    for now in moments[::5]:
        cutoff = overdue_before(now)
        for forwarded in moments:
            assert (response_due_at(forwarded) < now) == (forwarded < cutoff), (forwarded, now, cutoff)


def test_working_days_between_counts_whole_working_days():
    assert working_days_between(at(5, 10), at(5, 18)) == 0
    assert working_days_between(at(5, 10), at(6, 9, 59)) == 0
    assert working_days_between(at(5, 10), at(6, 10)) == 1
    assert working_days_between(at(9, 10), at(12, 9)) == 0  # Friday 10:00 -> Monday 09:00
    assert working_days_between(at(9, 10), at(12, 10)) == 1
    assert working_days_between(at(9, 10), at(11, 20)) == 0  # into the weekend
    assert working_days_between(at(5, 10), at(26, 10)) == 15
    assert working_days_between(at(6, 10), at(5, 10)) == 0
    # Agrees with add_working_days everywhere on a grid.
    for hours in range(0, 24 * 20, 5):
        end = at(5, 10) + timedelta(hours=hours)
        n = working_days_between(at(5, 10), end)
        assert add_working_days(at(5, 10), n) <= end < add_working_days(at(5, 10), n + 1)
