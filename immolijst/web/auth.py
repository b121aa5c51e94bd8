"""Accounts, passwords, login throttling and the session helpers.

Passwords are hashed with Argon2id (argon2-cffi's defaults). Sessions are
Starlette's signed cookie (HttpOnly, SameSite, Secure behind HTTPS) holding
only the user id, the user's session epoch and the CSRF token; logging out
bumps the epoch, so an old cookie replayed after logout is refused.

Failed logins are throttled per (user name, client address): a few free
attempts, then a lockout that doubles with every further failure.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Receive, Scope, Send

from immolijst.web.db import AppDB, User

__all__ = [
    "PUBLIC_PATHS",
    "AuthMiddleware",
    "LoginThrottle",
    "current_user",
    "hash_password",
    "log_in",
    "log_out",
    "verify_password",
]

log = logging.getLogger("immolijst.web")

_hasher: Final = PasswordHasher()
# Verified against when the user does not exist, so both cases take the same time.
_DUMMY_HASH: Final = _hasher.hash("immolijst-no-such-user")

#: Paths reachable without a session (prefixes end with ``/``).
PUBLIC_PATHS: Final = ("/login", "/static/")


def hash_password(password: str) -> str:
    """Hash ``password`` with Argon2id.

    >>> hash_password("geheim-wachtwoord").startswith("$argon2id$")
    True
    """
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Tell whether ``password`` matches ``password_hash`` (never raises on a bad hash).

    >>> verify_password(hash_password("juist"), "juist"), verify_password(hash_password("a"), "b")
    (True, False)
    """
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Tell whether the hash was made with older parameters and should be renewed."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


@dataclass
class _Attempts:
    failures: int = 0
    locked_until: float = 0.0


@dataclass
class LoginThrottle:
    """Exponential lockout of failed logins per (user name, client address).

    After ``free_attempts`` failures every further failure locks the pair for
    ``base_seconds * 2 ** (extra failures - 1)`` seconds, at most ``max_seconds``.
    A successful login clears the pair. Kept in memory: one server process.

    >>> clock = [0.0]
    >>> t = LoginThrottle(free_attempts=2, base_seconds=10, clock=lambda: clock[0])
    >>> [t.failure("an", "1.2.3.4") for _ in range(4)]
    [0.0, 0.0, 10.0, 20.0]
    >>> t.locked_for("an", "1.2.3.4")
    20.0
    >>> clock[0] = 21.0; t.locked_for("an", "1.2.3.4")
    0.0
    """

    free_attempts: int = 5
    base_seconds: float = 30.0
    max_seconds: float = 3600.0
    clock: Callable[[], float] = time.monotonic
    _attempts: dict[tuple[str, str], _Attempts] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @staticmethod
    def _key(name: str, address: str) -> tuple[str, str]:
        return (name.strip().casefold(), address)

    def locked_for(self, name: str, address: str) -> float:
        """Seconds the pair must still wait before trying again (0 when free)."""
        with self._lock:
            entry = self._attempts.get(self._key(name, address))
            if entry is None:
                return 0.0
            return max(0.0, entry.locked_until - self.clock())

    def failure(self, name: str, address: str) -> float:
        """Record a failed login; return the lockout it causes in seconds (0 when none)."""
        with self._lock:
            entry = self._attempts.setdefault(self._key(name, address), _Attempts())
            entry.failures += 1
            extra = entry.failures - self.free_attempts
            if extra <= 0:
                return 0.0
            seconds = float(min(self.max_seconds, self.base_seconds * 2.0 ** (extra - 1)))
            entry.locked_until = self.clock() + seconds
            return seconds

    def success(self, name: str, address: str) -> None:
        """Forget the failures of the pair after a successful login."""
        with self._lock:
            self._attempts.pop(self._key(name, address), None)


def authenticate(db: AppDB, name: str, password: str) -> User | None:
    """Return the active user when ``name``/``password`` match, else ``None``.

    Takes the same time whether or not the user exists; renews an outdated hash.
    """
    user = db.user_by_name(name) if name.strip() else None
    stored = db.password_hash(user.id) if user is not None else None
    if user is None or stored is None:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(stored, password) or not user.active:
        return None
    if needs_rehash(stored):
        db.set_password_hash(user.id, hash_password(password))
    return user


def log_in(request: Request, user: User) -> None:
    """Start a fresh session for ``user`` (a new CSRF token; old session data dropped)."""
    from immolijst.web.csrf import new_token

    request.session.clear()
    request.session.update({"uid": user.id, "epoch": user.session_epoch, "csrf": new_token()})


def log_out(request: Request, db: AppDB) -> None:
    """End the session and invalidate every cookie issued to the user so far."""
    from immolijst.web.csrf import new_token

    uid = request.session.get("uid")
    if isinstance(uid, int):
        db.bump_session_epoch(uid)
    request.session.clear()
    request.session["csrf"] = new_token()


def current_user(request: HTTPConnection) -> User:
    """Return the logged-in user of a request (set by :class:`AuthMiddleware`).

    Every route but the public ones runs behind the middleware, so a user is
    always there; a missing one is a programming error.
    """
    user = request.scope.get("state", {}).get("user")
    if not isinstance(user, User):
        raise RuntimeError("current_user() called on a public route")
    return user


def session_user(db: AppDB, session: dict[str, Any]) -> User | None:
    """Return the user a session belongs to, or ``None`` for no or a stale session."""
    uid = session.get("uid")
    if not isinstance(uid, int):
        return None
    user = db.user_by_id(uid)
    if user is None or not user.active or session.get("epoch") != user.session_epoch:
        return None
    return user


def _is_public(path: str) -> bool:
    return any(path == p or (p.endswith("/") and path.startswith(p)) for p in PUBLIC_PATHS)


class AuthMiddleware:
    """Refuse every non-public path without a valid session: redirect to ``/login``.

    Sits inside Starlette's ``SessionMiddleware``; puts the :class:`User` in
    ``request.state.user``.
    """

    def __init__(self, app: ASGIApp, db: AppDB) -> None:
        self.app = app
        self.db = db

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the session, then pass the request on or redirect to the login page."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        session = scope.get("session", {})
        user = session_user(self.db, session)
        scope.setdefault("state", {})["user"] = user
        if user is None and not _is_public(scope["path"]):
            if session.get("uid") is not None:
                session.clear()  # stale or logged-out cookie: drop it
            await send(
                {
                    "type": "http.response.start",
                    "status": 303,
                    "headers": [(b"location", b"/login"), (b"content-length", b"0")],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return
        await self.app(scope, receive, send)
