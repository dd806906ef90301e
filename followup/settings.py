"""One Settings object: the only place that reads the environment (prefix ``FOLLOWUP_``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    host: str = "127.0.0.1"
    port: int = 8000

    @property
    def effective_database_url(self) -> str:
        """The configured URL, or the SQLite file under the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'followup.sqlite').as_posix()}"
