"""The composition root: the API, the pages, the CLI and the tests all start from here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event

from adapters.clock import Clock, SystemClock
from adapters.event_store import is_postgres, persistence_env, sqlalchemy_url
from adapters.read_models.outcome_status import refresh_statuses
from adapters.read_models.registry import all_projections
from adapters.read_models.runner import ProjectionRunner
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

    def settle(self) -> None:
        """Bring the read models up to date, let the workflow policy answer what they have
        seen, and project what it recorded: after this, every read reflects every write."""
        self.runner.catch_up()
        self.app.advance_workflows(stop=self.runner.position("outcome_status"))
        self.runner.catch_up()
        refresh_statuses(self.engine, self.app, self.clock.today(), self.settings.due_soon_days)

    def close(self) -> None:
        self.app.close()
        self.engine.dispose()


def create_read_model_engine(url: str) -> Engine:
    if is_postgres(url):
        return create_engine(sqlalchemy_url(url), pool_pre_ping=True, pool_size=5)
    engine = create_engine(sqlalchemy_url(url), connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: object, _record: object) -> None:
        cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


def alembic_config(engine: Engine) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def upgrade_schema(engine: Engine) -> None:
    """Bring the read-model tables to the newest Alembic revision."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def bootstrap(
    settings: Settings | None = None, clock: Clock | None = None, migrate: bool = True
) -> Container:
    """Wire the event store, the read models and their projections for ``settings``."""
    settings = settings or Settings()
    clock = clock or SystemClock()
    url = settings.effective_database_url
    app = FollowupApplication(env=persistence_env(url), forum=settings.forum, clock=clock)
    engine = create_read_model_engine(url)
    if migrate:
        upgrade_schema(engine)
    runner = ProjectionRunner(engine, app, all_projections(clock.today, settings.due_soon_days))
    app.workflows = WorkflowPolicy(app, milestone_lookups(engine))
    return Container(settings, clock, app, engine, runner)
