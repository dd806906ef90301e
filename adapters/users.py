"""Accounts for the status pages: passwords hashed with Argon2id, never stored or logged plain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    String,
    Table,
    bindparam,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from adapters.read_models.metadata import metadata

users = Table(
    "users",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(32), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("disabled_at", DateTime(timezone=True)),
)

_HASHER = PasswordHasher()
# built once: every signed-in page asks it, and building a statement cost more than running it
BY_USERNAME = select(users).where(users.c.username == bindparam("username"))
# verified against when the user does not exist, so both paths cost the same
_DUMMY_HASH = _HASHER.hash("followup: no such user")


@dataclass(frozen=True)
class User:
    username: str
    name: str
    role: str
    disabled: bool

    @property
    def actor(self) -> str:
        return f"user:{self.username}"


class UserExistsError(ValueError):
    """That username is taken."""


class UserStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self, username: str, name: str, role: str, password: str, now: datetime) -> User:
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(users).values(
                        username=username,
                        name=name,
                        role=role,
                        password_hash=_HASHER.hash(password),
                        created_at=now,
                    )
                )
        except IntegrityError:
            raise UserExistsError(f"a user {username!r} already exists") from None
        return User(username, name, role, False)

    def verify(self, username: str, password: str) -> User | None:
        """The enabled user these credentials prove, or None (in about constant time)."""
        with self.engine.connect() as connection:
            row = connection.execute(BY_USERNAME, {"username": username}).first()
        try:
            _HASHER.verify(row.password_hash if row else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None or row.disabled_at is not None:
            return None
        return User(row.username, row.name, row.role, False)

    def find(self, username: str, connection: Connection | None = None) -> User | None:
        """The user, read on ``connection`` when given (a page that reads more on it then
        checks one connection out of the pool, not two)."""
        if connection is None:
            with self.engine.connect() as own:
                return self.find(username, own)
        row = connection.execute(BY_USERNAME, {"username": username}).first()
        if row is None:
            return None
        return User(row.username, row.name, row.role, row.disabled_at is not None)

    def list(self) -> list[User]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(users).order_by(users.c.username))
            return [User(r.username, r.name, r.role, r.disabled_at is not None) for r in rows]

    def disable(self, username: str, now: datetime) -> bool:
        with self.engine.begin() as connection:
            changed = connection.execute(
                update(users)
                .where(users.c.username == username, users.c.disabled_at.is_(None))
                .values(disabled_at=now)
            ).rowcount
        return bool(changed)
