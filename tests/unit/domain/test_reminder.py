"""A reminder's identity hashes to the same id every time, kept or computed afresh."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid5

from domain.identity import FOLLOWUP_NAMESPACE, record_id
from domain.reminder import TROIKA, ReminderIdentity


def test_a_reminder_id_is_the_uuid5_of_its_identity_however_often_asked() -> None:
    for n in range(40):
        identity = ReminderIdentity(
            "gfmd",
            record_id("gfmd", "meeting", f"m{n % 3}"),
            date(2009, 11, 4) + timedelta(days=n % 5),
            TROIKA if n % 7 == 0 else f"S{n % 4}",
            (30, 14, 3)[n % 3],
        )
        parts = (identity.meeting_id, identity.meeting_date, identity.audience)
        expected = uuid5(
            FOLLOWUP_NAMESPACE,
            f"gfmd/reminder/{'/'.join(map(str, parts))}/{identity.offset_days}",
        )
        assert identity.id == expected
        assert identity.id == expected  # the second time from the kept one
