"""The forum's follow-up domain: aggregates, events, deadlines and status rules.

Pure: imports the standard library and ``eventsourcing.domain`` only, so every rule here can be
tested without a database, a web framework or a clock.
"""
