"""The composition root: the API, the pages, the CLI and the tests all start from here."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, make_url, text

from adapters.clock import Clock, FixedClock, SystemClock
from adapters.event_signal import nudge
from adapters.event_store import is_postgres, persistence_env, sqlalchemy_url, writer_lock
from adapters.idle_ping import ping_when_idle
from adapters.read_models.backlog import restore_indexes
from adapters.read_models.outcome_status import OutcomeStatusProjection, refresh_statuses
from adapters.read_models.registry import all_projections
from adapters.read_models.runner import ProjectionRunner
from domain.outcome_record import OutcomeRecord
from followup.application import FollowupApplication
from followup.milestone_index import milestone_lookups
from followup.settings import Settings
from followup.workflows import WorkflowPolicy

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Container:
    """Everything one followup process runs on."""

    settings: Settings
    clock: Clock
    app: FollowupApplication
    engine: Engine
    runner: ProjectionRunner
    #: False in a ``serve`` process of a fleet: a worker projects, this process only waits.
    projects_inline: bool = True
    _settling: threading.Lock = field(default_factory=threading.Lock, repr=False)
    #: Every event up to here is in the read models and answered by the workflow policy.
    _settled_up_to: int = field(default=0, repr=False)
    #: The day whose statuses ``project`` last refreshed: every row projected since was
    #: computed for that day, so until it ends no row's status can change by the calendar.
    _statuses_day: date | None = field(default=None, repr=False)

    @property
    def settled_up_to(self) -> int:
        """Every event up to this log position is in the read models and answered by the
        workflow policy (as far as this process has seen to it)."""
        return self._settled_up_to

    def settle(self, position: int | None = None) -> None:
        """Bring the read models up to date, let the workflow policy answer what they have
        seen, and project what it recorded: after this, every read reflects every write.
        Where a worker does the projecting, wait (bounded) until it has reached ``position``."""
        if not self.projects_inline:
            nudge(self.engine, self.settings.forum, self.settings.database_schema)
            self.wait_for_projections(position)
            return
        with self._settling:  # concurrent writers: one projects, the others find it done
            if position is not None and position <= self._settled_up_to:
                return
            # a writer's own position is committed, and so is everything before it (the
            # stores serialise their writers): it serves as the head without asking for it
            head = self.app.head_position() if position is None else position
            # the catch-up read as far as the log went, often past ``head`` (writers that
            # were waiting here): they find their events settled and return at once
            self._settled_up_to = max(self._settled_up_to, head, self.project(head))

    def project(self, head: int | None = None) -> int:
        """The projecting itself: read models, workflow answers, the day's statuses (``head``:
        the log's head as the caller just read it, or its own write's position). Without
        ``head``, whatever was appended meanwhile is projected too; with it, what the policy's
        answers appended (a later writer settles its own write). Returns the position up to
        which every event is in the read models and answered by the policy."""
        self.runner.catch_up(head=head)
        answered_up_to = self.runner.left_at("outcome_status")
        appended = self.app.advance_workflows(stop=answered_up_to)
        newest = self.app.head_position() if head is None else appended
        if newest > answered_up_to:  # the policy (or, without a head, a writer) appended
            self.runner.catch_up()
        today = self.clock.today()
        if today != self._statuses_day:
            refresh_statuses(self.engine, self.app, today, self.settings.due_soon_days)
            self._statuses_day = today
        return answered_up_to

    def offer_record(self, record: OutcomeRecord) -> None:
        """A command has just saved this outcome: where this process projects, the outcome
        status projection keeps its record rather than fold the stream from the store again."""
        if self.projects_inline:
            projection = self.runner.projection(OutcomeStatusProjection.name)
            if isinstance(projection, OutcomeStatusProjection):
                projection.offer(record)

    def wait_for_projections(self, position: int | None) -> bool:
        """Read-your-writes in a fleet: True once every read model has applied ``position``
        (the head when None); False after ``read_your_writes_timeout_seconds``, the write
        standing all the same."""
        target = self.app.head_position() if position is None else position
        deadline = time.monotonic() + self.settings.read_your_writes_timeout_seconds
        while min(self.runner.positions().values(), default=target) < target:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)
        return True

    def close(self) -> None:
        self.app.close()
        self.engine.dispose()
        if self.runner.engine is not self.engine:
            self.runner.engine.dispose()


class SchemaMismatchError(RuntimeError):
    """The database's read-model schema is not the one this version of followup knows."""


def create_read_model_engine(url: str, schema: str | None = None) -> Engine:
    if is_postgres(url):
        connect_args = {"options": f"-csearch_path={schema}"} if schema else {}
        return ping_when_idle(
            create_engine(sqlalchemy_url(url), pool_size=5, connect_args=connect_args)
        )
    engine = create_engine(sqlalchemy_url(url), connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: object, _record: object) -> None:
        cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


def create_projection_engine(url: str, read_models: Engine, schema: str | None = None) -> Engine:
    """The engine the projection runner writes the read models on.

    On PostgreSQL its commits do not wait for the disk (``synchronous_commit=off``, for its
    own connections only): a write's event is already durable in the event store when the
    read models take it in, and every read-model row is derived from that log, with the
    position of the last event applied committed in the same transaction. Such a commit is
    visible to every reader as soon as it returns, which is what a 201 promises (the read
    models show the write). A crash can lose only the last of them (three ``wal_writer_delay``
    at most: 600 ms by default), whole transactions and their positions together (WAL is
    replayed in order), so the next catch-up applies those events again from the log: waiting
    for a second fsync per write bought nothing the log does not already guarantee. Everything
    else on the read-model database (tokens, idempotency keys, users) keeps committing durably
    on ``read_models``. SQLite's read models already commit with ``synchronous=NORMAL``.

    Its statements are planned once per connection, not at every execution
    (``plan_cache_mode=force_generic_plan``): left to choose, PostgreSQL kept planning the copy
    of a write's events into the timeline afresh at each write (a range of log positions, one
    event wide, looks far cheaper planned for its values than planned in general), 0.28 ms of
    the database's CPU a write, a sixth of all it spent on one. The runner's statements are
    the same few, on keys and on ranges of log positions, whose general plan is the one wanted
    (an index range scan, down to a rebuild's 20,000-event batches). The pages' queries, on
    ``read_models``, keep PostgreSQL's choice."""
    if not is_postgres(url):
        return read_models
    options = "-csynchronous_commit=off -cplan_cache_mode=force_generic_plan" + (
        f" -csearch_path={schema}" if schema else ""
    )
    return ping_when_idle(
        create_engine(sqlalchemy_url(url), pool_size=3, connect_args={"options": options})
    )


def alembic_config(engine: Engine) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def upgrade_schema(engine: Engine, where: str = "") -> None:
    """Bring the read-model tables to the newest Alembic revision (never past a revision this
    version does not know)."""
    config = alembic_config(engine)
    refuse_unknown_revisions(engine, ScriptDirectory.from_config(config), where)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def check_schema(engine: Engine, where: str = "") -> None:
    """Refuse to run on a read-model schema this version does not know: a newer one (another
    version migrated it) or an older one (``followup db upgrade`` has not run)."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    heads = set(script.get_heads())
    current = refuse_unknown_revisions(engine, script, where)
    if current == heads:
        return
    where = where or engine.url.render_as_string(hide_password=True)
    at = "revision " + ", ".join(sorted(current)) if current else "no schema"
    raise SchemaMismatchError(
        f"the database {where} is at {at}, not at {', '.join(sorted(heads))}:"
        " run `followup db upgrade` first"
    )


def refuse_unknown_revisions(engine: Engine, script: ScriptDirectory, where: str = "") -> set[str]:
    """The database's current revisions, unless one is newer than this version knows."""
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    known = {revision.revision for revision in script.walk_revisions()}
    unknown = sorted(current - known)
    if unknown:
        where = where or engine.url.render_as_string(hide_password=True)
        raise SchemaMismatchError(
            f"the database {where} is at schema revision {unknown[0]}, which this version of"
            " followup does not know (a newer version migrated it): upgrade followup"
        )
    return current


def create_schema(url: str, schema: str | None) -> None:
    """The PostgreSQL schema of one forum, made before anything is stored in it."""
    if not schema or not is_postgres(url):
        return
    engine = create_engine(sqlalchemy_url(url))
    try:
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    finally:
        engine.dispose()


def describe_store(settings: Settings) -> str:
    """Where a forum lives, for messages (never its password)."""
    url = make_url(sqlalchemy_url(settings.effective_database_url))
    place = url.render_as_string(hide_password=True)
    schema = f", schema {settings.database_schema}" if settings.database_schema else ""
    return f"of forum {settings.forum} ({place}{schema})"


def clock_for(settings: Settings) -> Clock:
    return FixedClock(settings.frozen_clock) if settings.frozen_clock else SystemClock()


def bootstrap(
    settings: Settings | None = None, clock: Clock | None = None, migrate: bool = True
) -> Container:
    """Wire the event store, the read models and their projections for ``settings``; without
    ``migrate``, check that the schema is the one this version knows. Without ``settings``,
    the forum a command works on (``--forum``) among those the settings host."""
    settings = settings or Settings().selected()
    clock = clock or clock_for(settings)
    url = settings.effective_database_url
    schema = settings.database_schema
    create_schema(url, schema)
    app = FollowupApplication(env=persistence_env(url, schema), forum=settings.forum, clock=clock)
    engine = create_read_model_engine(url, schema)
    where = describe_store(settings)
    if migrate:
        upgrade_schema(engine, where)
    else:
        try:
            check_schema(engine, where)
        except SchemaMismatchError:
            app.close()
            engine.dispose()
            raise
    projections = all_projections(clock.today, settings.due_soon_days)
    # a rebuild killed before it built its tables' indexes again left them without
    restore_indexes(
        engine, [t for p in projections if p.rebuilds_without_indexes for t in p.tables]
    )
    runner = ProjectionRunner(
        create_projection_engine(url, engine, schema),
        app,
        projections,
        write_lock=writer_lock(app),
    )
    app.workflows = WorkflowPolicy(app, milestone_lookups(engine))
    app.keep_outcomes(settings.kept_outcomes)
    return Container(settings, clock, app, engine, runner)
