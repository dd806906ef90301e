from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.clock import FixedClock
from followup.web.security import SignInThrottle


def test_the_throttle_blocks_a_username_after_five_failures_for_a_quarter_hour() -> None:
    clock = FixedClock(datetime(2026, 11, 22, 9, 0, tzinfo=UTC))
    throttle = SignInThrottle(clock)
    for _ in range(5):
        assert not throttle.blocked("10.0.0.1", "Alice")
        throttle.failed("10.0.0.1", "Alice")
    assert throttle.blocked("10.0.0.2", "alice")  # the username, from anywhere
    assert not throttle.blocked("10.0.0.1", "bob")  # the office's address is not yet blocked
    clock.move_to(clock.now() + timedelta(minutes=16))
    assert not throttle.blocked("10.0.0.1", "alice")


def test_one_address_is_blocked_after_twenty_failures_across_usernames() -> None:
    clock = FixedClock(datetime(2026, 11, 22, 9, 0, tzinfo=UTC))
    throttle = SignInThrottle(clock)
    for n in range(20):
        throttle.failed("10.0.0.9", f"user{n}")
    assert throttle.blocked("10.0.0.9", "someone-else")
    assert not throttle.blocked("10.0.0.10", "someone-else")
