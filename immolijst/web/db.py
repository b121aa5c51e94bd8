"""The web app's own tables: users, saved households and the audit log.

They live in the SAME database as the listings store (one URL configures
everything) but have their own Alembic environment (``immolijst/migrations``)
and version table (``immolijst_app_version``), so the store's migrations and
the app's never step on each other. SQLAlchemy Core, portable to PostgreSQL.

Household content (the intake data and the pseudonymous label) is stored in
``households`` only; the audit log keeps who did what to which household *id*,
never content, and survives the household's deletion.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final, Literal

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from listings._schema import UTCDateTime
from listings._store import _make_engine

__all__ = [
    "ACTIONS",
    "ROLES",
    "VERSION_TABLE",
    "AppDB",
    "AppDBError",
    "AuditEntry",
    "DuplicateUserError",
    "HouseholdRecord",
    "InvalidUserError",
    "User",
    "audit_log",
    "households",
    "metadata",
    "new_household_id",
    "users",
]

log = logging.getLogger("immolijst.web")

#: Alembic version table of the app's tables (the store uses ``alembic_version``).
VERSION_TABLE: Final = "immolijst_app_version"
#: Roles a user can have.
ROLES: Final = ("worker", "admin")
Role = Literal["worker", "admin"]
#: Actions the audit log records.
ACTIONS: Final = (
    "open",
    "create",
    "update",
    "delete",
    "export",
    "purge",
    "login",
    "logout",
    "login_failed",
)
_MIGRATIONS_DIR: Final = Path(__file__).resolve().parent.parent / "migrations"

metadata = sa.MetaData()

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(80), nullable=False, unique=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    # Bumped on logout: every session cookie issued before is refused from then on.
    sa.Column("session_epoch", sa.Integer, nullable=False, default=0),
    sa.CheckConstraint("role IN ('worker', 'admin')", name="ck_users_role"),
)

households = sa.Table(
    "households",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column(
        "owner_id", sa.Integer, sa.ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    ),
    sa.Column("label", sa.String(120), nullable=False),
    sa.Column("data", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("updated_at", UTCDateTime(), nullable=False),
    sa.Column("last_opened_at", UTCDateTime(), nullable=True),
    sa.Index("ix_households_owner", "owner_id"),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", UTCDateTime(), nullable=False),
    # The name, not a foreign key: the log outlives accounts and households.
    sa.Column("user_name", sa.String(80), nullable=True),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("household_id", sa.String(32), nullable=True),
    sa.Index("ix_audit_household", "household_id"),
    sa.Index("ix_audit_at", "at"),
)


class AppDBError(Exception):
    """Base class of the app database's errors."""


class DuplicateUserError(AppDBError, ValueError):
    """A user with that name exists already."""


class InvalidUserError(AppDBError, ValueError):
    """A user name is empty or too long, or the role is unknown."""


@dataclass(frozen=True)
class User:
    """An account of the web app (no household data)."""

    id: int
    name: str
    role: str
    active: bool
    session_epoch: int

    @property
    def is_admin(self) -> bool:
        """True for the ``admin`` role (sees every household)."""
        return self.role == "admin"


@dataclass(frozen=True)
class HouseholdRecord:
    """One saved household: the opaque id, owner, pseudonymous label and intake data."""

    id: str
    owner_id: int
    owner_name: str
    label: str
    data: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    last_opened_at: datetime | None


@dataclass(frozen=True)
class AuditEntry:
    """One audit log line: when, who, what, which household id."""

    at: datetime
    user_name: str | None
    action: str
    household_id: str | None


def new_household_id() -> str:
    """Return a fresh opaque household id (22 URL-safe characters, 128 random bits)."""
    return secrets.token_urlsafe(16)


def _now() -> datetime:
    return datetime.now(UTC)


def _user(row: Mapping[Any, Any]) -> User:
    return User(
        id=row["id"],
        name=row["name"],
        role=row["role"],
        active=bool(row["active"]),
        session_epoch=int(row["session_epoch"]),
    )


class AppDB:
    """Access to the app tables at ``url`` (migrated to the latest revision on open).

    >>> db = AppDB("sqlite://")
    >>> db.add_user("an", "worker", "$argon2-placeholder")
    1
    >>> db.user_by_name("an").role
    'worker'
    """

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        self.engine: Engine = _make_engine(url)
        if url in ("sqlite://", "sqlite:///:memory:"):
            # One shared connection, or every new connection sees an empty database.
            self.engine.dispose()
            self.engine = sa.create_engine(url, poolclass=sa.pool.StaticPool)
        if migrate:
            self.upgrade()

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # -- migrations ----------------------------------------------------------------

    def _alembic_config(self) -> Config:
        config = Config()
        config.set_main_option("script_location", str(_MIGRATIONS_DIR))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        return config

    def current_revision(self) -> str | None:
        """Return the app tables' schema revision (``None`` before the first migration)."""
        with self.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
            return context.get_current_revision()

    def upgrade(self) -> None:
        """Create or migrate the app tables to the latest revision."""
        head = ScriptDirectory.from_config(self._alembic_config()).get_current_head()
        if self.current_revision() == head:
            return
        config = self._alembic_config()
        with self.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    # -- users ---------------------------------------------------------------------

    def add_user(self, name: str, role: str, password_hash: str) -> int:
        """Create an account and return its id; :class:`DuplicateUserError` if the name exists."""
        if role not in ROLES:
            raise InvalidUserError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
        name = name.strip()
        if not name or len(name) > 80:
            raise InvalidUserError("a user name must have 1 to 80 characters")
        with self._write() as conn:
            exists = conn.execute(sa.select(users.c.id).where(users.c.name == name)).first()
            if exists is not None:
                raise DuplicateUserError(f"user {name!r} exists already")
            result = conn.execute(
                users.insert().values(
                    name=name,
                    role=role,
                    password_hash=password_hash,
                    created_at=_now(),
                    active=True,
                    session_epoch=0,
                )
            )
            return int(result.inserted_primary_key[0])  # type: ignore[index]

    def user_by_name(self, name: str) -> User | None:
        """Return the account called ``name`` (``None`` if there is none)."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(users).where(users.c.name == name.strip())).first()
        return _user(row._mapping) if row is not None else None

    def user_by_id(self, user_id: int) -> User | None:
        """Return the account with id ``user_id`` (``None`` if there is none)."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(users).where(users.c.id == user_id)).first()
        return _user(row._mapping) if row is not None else None

    def password_hash(self, user_id: int) -> str | None:
        """Return the stored password hash of a user."""
        with self.engine.connect() as conn:
            value = conn.execute(
                sa.select(users.c.password_hash).where(users.c.id == user_id)
            ).scalar()
        return str(value) if value is not None else None

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        """Replace a user's password hash (after a rehash or a password change)."""
        with self._write() as conn:
            conn.execute(
                users.update().where(users.c.id == user_id).values(password_hash=password_hash)
            )

    def bump_session_epoch(self, user_id: int) -> None:
        """Invalidate every session issued to the user so far (logout)."""
        with self._write() as conn:
            conn.execute(
                users.update()
                .where(users.c.id == user_id)
                .values(session_epoch=users.c.session_epoch + 1)
            )

    # -- households ----------------------------------------------------------------

    def _household_query(self) -> sa.Select[Any]:
        return sa.select(households, users.c.name.label("owner_name")).join(
            users, users.c.id == households.c.owner_id
        )

    @staticmethod
    def _record(row: Mapping[Any, Any]) -> HouseholdRecord:
        return HouseholdRecord(
            id=row["id"],
            owner_id=row["owner_id"],
            owner_name=row["owner_name"],
            label=row["label"],
            data=json.loads(row["data"]),
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            last_opened_at=row["last_opened_at"],
        )

    def create_household(self, owner_id: int, label: str, data: Mapping[str, Any]) -> str:
        """Save a new household and return its opaque id."""
        household_id = new_household_id()
        now = _now()
        with self._write() as conn:
            conn.execute(
                households.insert().values(
                    id=household_id,
                    owner_id=owner_id,
                    label=label,
                    data=json.dumps(data, ensure_ascii=False, sort_keys=True),
                    created_at=now,
                    updated_at=now,
                    last_opened_at=None,
                )
            )
        return household_id

    def update_household(self, household_id: str, label: str, data: Mapping[str, Any]) -> None:
        """Replace a household's label and data."""
        with self._write() as conn:
            conn.execute(
                households.update()
                .where(households.c.id == household_id)
                .values(
                    label=label,
                    data=json.dumps(data, ensure_ascii=False, sort_keys=True),
                    updated_at=_now(),
                )
            )

    def get_household(self, household_id: str) -> HouseholdRecord | None:
        """Return the household with that id (``None`` if there is none)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                self._household_query().where(households.c.id == household_id)
            ).first()
        return self._record(row._mapping) if row is not None else None

    def list_households(self, owner_id: int | None = None) -> list[HouseholdRecord]:
        """Return the households of ``owner_id`` (every household when ``None``), newest first."""
        query = self._household_query().order_by(households.c.updated_at.desc(), households.c.id)
        if owner_id is not None:
            query = query.where(households.c.owner_id == owner_id)
        with self.engine.connect() as conn:
            return [self._record(row._mapping) for row in conn.execute(query)]

    def touch_household(self, household_id: str, *, now: datetime | None = None) -> None:
        """Record that the household was opened now."""
        with self._write() as conn:
            conn.execute(
                households.update()
                .where(households.c.id == household_id)
                .values(last_opened_at=now or _now())
            )

    def delete_household(self, household_id: str) -> bool:
        """Erase the household completely; return whether it existed."""
        with self._write() as conn:
            result = conn.execute(households.delete().where(households.c.id == household_id))
        return result.rowcount > 0

    def purge_households(self, older_than: timedelta, *, now: datetime | None = None) -> int:
        """Delete households neither opened nor updated within ``older_than``; return the count.

        Each purge is written to the audit log (action ``purge``, household id only).
        """
        cutoff = (now or _now()) - older_than
        stale = sa.and_(
            households.c.updated_at < cutoff,
            sa.or_(households.c.last_opened_at.is_(None), households.c.last_opened_at < cutoff),
        )
        with self._write() as conn:
            ids = [row[0] for row in conn.execute(sa.select(households.c.id).where(stale))]
            if ids:
                conn.execute(households.delete().where(households.c.id.in_(ids)))
                at = now or _now()
                conn.execute(
                    audit_log.insert(),
                    [
                        {"at": at, "user_name": None, "action": "purge", "household_id": i}
                        for i in ids
                    ],
                )
        log.info("purged %d inactive households (older than %s)", len(ids), older_than)
        return len(ids)

    # -- audit ---------------------------------------------------------------------

    def audit(self, user_name: str | None, action: str, household_id: str | None = None) -> None:
        """Append an audit entry: who did ``action`` to which household id (never content)."""
        if action not in ACTIONS:
            raise AppDBError(f"unknown audit action {action!r}")
        with self._write() as conn:
            conn.execute(
                audit_log.insert().values(
                    at=_now(), user_name=user_name, action=action, household_id=household_id
                )
            )

    def audit_entries(self, household_id: str | None = None) -> list[AuditEntry]:
        """Return the audit log (for one household id, or all), oldest first."""
        query = sa.select(audit_log).order_by(audit_log.c.id)
        if household_id is not None:
            query = query.where(audit_log.c.household_id == household_id)
        with self.engine.connect() as conn:
            return [
                AuditEntry(
                    at=row.at,
                    user_name=row.user_name,
                    action=row.action,
                    household_id=row.household_id,
                )
                for row in conn.execute(query)
            ]
