"""The SQLite event store's recorder: eventsourcing's, making each stream's id a ``UUID`` once.

SQLite stores an originator id as text, and the library's recorder builds a ``UUID`` from it for
every row it reads. Loading an outcome reads all its events (~100 at full size), every one of
the same stream: building those ``UUID`` objects was a fifth of loading one (``py-spy``, full
size). A ``UUID`` is immutable, so the rows of one stream can share the one built for the first.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.sqlite import SQLiteProcessRecorder


class UUIDReusingSQLiteProcessRecorder(SQLiteProcessRecorder):
    #: the last id read, as stored and as converted: a stream's rows come one after another
    _last: tuple[str, UUID | str] = ("", "")

    def convert_originator_id(self, originator_id: str) -> UUID | str:
        last = self._last  # one read of a tuple replaced whole: safe across reader threads
        if last[0] == originator_id:
            return last[1]
        converted = super().convert_originator_id(originator_id)
        self._last = (originator_id, converted)
        return converted
