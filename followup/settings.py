"""One Settings object: the only place that reads the environment (prefix ``FOLLOWUP_``) and
the settings file (TOML, named by ``FOLLOWUP_SETTINGS_FILE``). The environment wins over the file,
the file over the defaults; a ``[forums.CODE]`` table in the file overrides any setting for one
hosted forum."""

from __future__ import annotations

import os
import re
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

SETTINGS_FILE_VARIABLE = "FOLLOWUP_SETTINGS_FILE"
KNOWN_LANGUAGES = ("en", "fr", "es")
FORUM_CODE = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class SettingsFileError(ValueError):
    """The settings file cannot be read or names a setting that does not exist."""


class Settings(BaseSettings):
    """Configuration of one followup instance; see the README's configuration table."""

    model_config = SettingsConfigDict(env_prefix="FOLLOWUP_", extra="ignore")

    data_dir: Path = Field(Path("var"), description="where the SQLite file lives by default")
    database_url: str | None = Field(
        None, description="sqlite:///PATH or postgresql://USER@HOST:PORT/DB (default: SQLite)"
    )
    forum: str = Field("gfmd", description="code of the forum this instance serves")
    due_soon_days: int = Field(30, ge=0, description="days before a deadline counted as due soon")
    poll_interval_seconds: float = Field(1.0, gt=0, description="projection catch-up interval")
    secret_key: str | None = Field(
        None, description="signs session cookies (default: kept in <data dir>/session-secret)"
    )
    secure_cookies: bool = Field(False, description="send cookies over HTTPS only (behind TLS)")
    public_url: str = Field(
        "http://127.0.0.1:8000", description="the address readers use; links in reminders"
    )
    smtp_host: str | None = Field(None, description="SMTP server; reminders are not sent without")
    smtp_port: int = 25
    smtp_tls: str = Field("none", pattern="^(none|starttls|ssl)$")
    smtp_username: str | None = None
    smtp_password: str | None = None
    mail_from: str = Field("followup <followup@localhost>", description="sender of reminders")
    reminder_offsets: list[int] = Field(
        default_factory=lambda: [30, 14, 3], description="days before a meeting"
    )
    reminder_meeting_kinds: list[str] | None = Field(
        None, description="meeting kinds that trigger reminders (default: the Chair's)"
    )
    scheduler_interval_seconds: float = Field(60.0, gt=0, description="planner and sender tick")
    readiness_max_lag: int = Field(
        1000, ge=0, description="/readyz: most events a read model may have still to apply"
    )
    log_format: str = Field("json", pattern="^(json|text)$", description="serve/worker logs")
    log_level: str = Field(
        "INFO", pattern="(?i)^(debug|info|warning|error|critical)$", description="log threshold"
    )
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = Field(1, ge=1, le=64, description="`serve` processes (PostgreSQL only)")
    kept_outcomes: int = Field(
        20_000,
        ge=0,
        description="outcomes a process keeps in memory for writes, the open ones loaded at start",
    )
    write_threads: int | None = Field(
        None,
        ge=1,
        le=64,
        description="writes a process runs at once (default: 2 on SQLite, unlimited on PostgreSQL)",
    )
    embedded_worker: bool | None = Field(
        None,
        description="`serve` also runs projections and reminders (default: on SQLite only)",
    )
    auto_migrate: bool | None = Field(
        None, description="upgrade the schema at start-up (default: on SQLite only)"
    )
    read_your_writes_timeout_seconds: float = Field(
        10.0, ge=0, description="how long a write waits for a worker to project it"
    )
    worker_lock_seconds: float = Field(
        1.0, gt=0, description="how often a worker tries to take over an orphaned duty"
    )
    database_schema: str | None = Field(
        None, description="PostgreSQL schema of this forum's events and read models"
    )
    hosts: list[str] = Field(
        default_factory=list, description="host names this forum answers on (several forums)"
    )
    default_forum: str | None = Field(None, description="forum for hosts no forum claims")
    languages: list[str] = Field(
        default_factory=lambda: list(KNOWN_LANGUAGES), description="languages of the pages"
    )
    public_api: bool = Field(True, description="API reads without a token")
    frozen_clock: datetime | None = Field(
        None, description="run as if it were always this moment (drills, training, tests)"
    )
    forums: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="several forums: CODE = {setting = value, ...}"
    )

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        unknown = [code for code in value if code not in KNOWN_LANGUAGES]
        if unknown or not value:
            raise ValueError(f"languages must be among {', '.join(KNOWN_LANGUAGES)}")
        return value

    @field_validator("database_schema")
    @classmethod
    def _schema_name(cls, value: str | None) -> str | None:
        if value is not None and not SCHEMA_NAME.match(value):
            raise ValueError("a schema name is lower-case letters, digits and _")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, SettingsFile(settings_cls))

    @property
    def is_postgres(self) -> bool:
        return self.effective_database_url.startswith(("postgresql:", "postgres:"))

    def hosted(self) -> list[Settings]:
        """One Settings per hosted forum: this one alone, or each ``[forums.CODE]`` table laid
        over these values. Forums never share storage: unless a forum names its own database,
        it gets a schema of its own on PostgreSQL, a file of its own on SQLite."""
        if not self.forums:
            return [self]
        base = self.model_dump(exclude={"forums"})
        hosted: list[Settings] = []
        for code, overrides in self.forums.items():
            if not FORUM_CODE.match(code):
                raise SettingsFileError(f"forum code {code!r}: lower-case letters, digits and -")
            values = {**base, **overrides, "forum": code, "forums": {}}
            if "database_url" not in overrides:
                if self.is_postgres:
                    values.setdefault("database_schema", None)
                    values["database_schema"] = overrides.get(
                        "database_schema", "forum_" + code.replace("-", "_")
                    )
                else:
                    path = (self.data_dir / "forums" / f"{code}.sqlite").as_posix()
                    values["database_url"] = f"sqlite:///{path}"
            hosted.append(Settings.model_validate(values))
        check_apart(hosted)
        return hosted

    def selected(self) -> Settings:
        """The forum a one-off command works on: ``forum``, among the hosted ones."""
        if not self.forums:
            return self
        hosted = self.hosted()
        for forum in hosted:
            if forum.forum == self.forum:
                return forum
        codes = ", ".join(forum.forum for forum in hosted)
        raise SettingsFileError(
            f"the forum {self.forum!r} is not hosted here (hosted: {codes}): choose one with"
            " --forum CODE"
        )

    @property
    def runs_embedded_worker(self) -> bool:
        return self.embedded_worker if self.embedded_worker is not None else not self.is_postgres

    @property
    def migrates_at_start(self) -> bool:
        return self.auto_migrate if self.auto_migrate is not None else not self.is_postgres

    @property
    def effective_database_url(self) -> str:
        """The configured URL, or the SQLite file under the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'followup.sqlite').as_posix()}"


class SettingsFile(PydanticBaseSettingsSource):
    """The TOML file named by ``FOLLOWUP_SETTINGS_FILE``; a typo in a key is an error, not a
    silently ignored line."""

    def __init__(self, settings_cls: type[BaseSettings]) -> None:
        super().__init__(settings_cls)
        self.values = read_settings_file(os.environ.get(SETTINGS_FILE_VARIABLE))

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self.values.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(self.values)


def read_settings_file(name: str | None) -> dict[str, Any]:
    if not name:
        return {}
    path = Path(name)
    try:
        values = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsFileError(f"cannot read the settings file {path}: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise SettingsFileError(f"settings file {path}: {error}") from None
    check_keys(path, values, allowed=set(Settings.model_fields))
    for code, overrides in values.get("forums", {}).items():
        if not isinstance(overrides, dict):
            raise SettingsFileError(f"settings file {path}: [forums.{code}] must be a table")
        check_keys(path, overrides, allowed=set(Settings.model_fields) - FLEET_WIDE, where=code)
    return values


#: Settings that belong to the whole deployment, never to one of its forums.
FLEET_WIDE = frozenset({"forums", "default_forum", "workers", "host", "port", "forum"})


def check_keys(path: Path, values: dict[str, Any], allowed: set[str], where: str = "") -> None:
    unknown = sorted(set(values) - allowed)
    if unknown:
        place = f" in [forums.{where}]" if where else ""
        raise SettingsFileError(
            f"settings file {path}: unknown setting {unknown[0]!r}{place}"
            f" (known: see the README's configuration table)"
        )


def check_apart(hosted: list[Settings]) -> None:
    """Two forums on one store, or one host name, would see each other's data."""
    stores: dict[tuple[str, str | None], str] = {}
    hosts: dict[str, str] = {}
    for settings in hosted:
        store = (settings.effective_database_url, settings.database_schema)
        if store in stores:
            raise SettingsFileError(
                f"forums {stores[store]!r} and {settings.forum!r} would share one store"
            )
        stores[store] = settings.forum
        for host in settings.hosts:
            if host.lower() in hosts:
                raise SettingsFileError(
                    f"host {host!r} is claimed by forums {hosts[host.lower()]!r}"
                    f" and {settings.forum!r}"
                )
            hosts[host.lower()] = settings.forum
