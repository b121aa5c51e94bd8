"""The web app: the app factory, login and logout, error pages, and the CLI's functions.

``create_app(settings)`` builds a Starlette app against the configured
database (the app tables are migrated on start). Middleware, outermost first:
security headers → request log (no query strings, no bodies) → Dutch error
pages (a 500 shows nothing of the request) → signed session cookie →
login required (everything but ``/login`` and ``/static``) → CSRF check on
every POST → routes.

Pages register as route lists: :mod:`immolijst.web.households` here, and
``immolijst.web.immolijst_pages.routes()`` (the immolijst, dwelling and
sources pages) when that module exists.

The CLI uses :func:`add_user`, :func:`purge_households`, :func:`parse_duration`
and :func:`serve`.
"""

from __future__ import annotations

import importlib
import logging
import os
import re
import secrets
import traceback
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Final

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Receive, Scope, Send

from immolijst.settings import Settings
from immolijst.web import messages
from immolijst.web.auth import (
    AuthMiddleware,
    LoginThrottle,
    authenticate,
    hash_password,
    log_in,
    log_out,
)
from immolijst.web.csrf import CSRFMiddleware, ensure_token
from immolijst.web.db import AppDB
from immolijst.web.security import RequestLogMiddleware, SecurityHeadersMiddleware

__all__ = [
    "WebOptions",
    "add_user",
    "create_app",
    "flash",
    "parse_duration",
    "purge_households",
    "render",
    "serve",
    "web_options",
]

log = logging.getLogger("immolijst.web")

_HERE: Final = Path(__file__).resolve().parent
TEMPLATES_DIR: Final = _HERE / "templates"
STATIC_DIR: Final = _HERE / "static"
_SECRET_FILE: Final = "web_secret_key"
_SESSION_COOKIE: Final = "immolijst_session"
_TRUE: Final = frozenset({"1", "true", "yes", "ja", "on"})


# -- options -------------------------------------------------------------------------


@dataclass(frozen=True)
class WebOptions:
    """Web settings beyond :class:`~immolijst.settings.Settings`.

    ``secret_key`` signs the session cookie (``IMMOLIJST_SECRET_KEY``; default:
    generated once into ``<data_dir>/web_secret_key``, mode 0600).
    ``https_only`` marks the cookie Secure and sends HSTS (``IMMOLIJST_HTTPS_ONLY``).
    ``session_hours``: a session ends this long after login
    (``IMMOLIJST_SESSION_HOURS``, default 8).
    """

    secret_key: str
    https_only: bool = False
    session_hours: float = 8.0


def _secret_from_file(data_dir: Path) -> str:
    path = data_dir / _SECRET_FILE
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process was first
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key


def web_options(settings: Settings) -> WebOptions:
    """Read the web options from ``settings.extra`` (keys as below) or the environment."""

    def value(key: str) -> str | None:
        return settings.extra.get(key) or os.environ.get(f"IMMOLIJST_{key.upper()}")

    secret = value("secret_key") or _secret_from_file(settings.data_dir)
    https = (value("https_only") or "").strip().lower() in _TRUE
    hours = float(value("session_hours") or 8.0)
    return WebOptions(secret_key=secret, https_only=https, session_hours=hours)


# -- rendering -------------------------------------------------------------------------


def _context(request: Request) -> dict[str, Any]:
    session = request.scope.get("session")
    state = request.scope.get("state", {})
    flashes: list[str] = []
    token = ""
    if isinstance(session, dict):
        flashes = [str(key) for key in session.pop("flash", [])]
        token = ensure_token(session)
    return {
        "user": state.get("user"),
        "csrf_token": token,
        "flashes": flashes,
    }


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR), context_processors=[_context])
    env = templates.env
    env.globals.update(
        msg=messages.msg,
        choice=messages.choice_label,
        eur=messages.eur,
        number=messages.number,
    )
    env.trim_blocks = True
    env.lstrip_blocks = True
    return templates


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> Response:
    """Render template ``name`` with ``context`` (plus user, CSRF token and flash messages)."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context or {}, status_code=status_code)


def flash(request: Request, key: str) -> None:
    """Queue the message ``key`` (from :mod:`messages`) for the next page.

    Only message keys go into the cookie, never household content.
    """
    request.session.setdefault("flash", []).append(key)


def _error_response(templates: Jinja2Templates, request: Request, status: int) -> Response:
    key = {403: "403", 404: "404", 405: "405", 413: "413"}.get(status, "500")
    return templates.TemplateResponse(
        request,
        "error.html",
        {"title_key": f"error.{key}.title", "text_key": f"error.{key}.text"},
        status_code=status,
    )


async def _http_exception(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    return _error_response(request.app.state.templates, request, status)


class _ErrorPageMiddleware:
    """Turn an unhandled exception into the generic Dutch 500 page.

    The log gets the exception type and the traceback's code lines, never the
    exception message (it may quote household data).
    """

    def __init__(self, app: ASGIApp, templates: Jinja2Templates) -> None:
        self.app = app
        self.templates = templates

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            log.error(
                "unhandled %s on %s %s\n%s",
                type(exc).__name__,
                scope["method"],
                scope["path"],
                "".join(traceback.format_tb(exc.__traceback__)),
            )
            if started:
                raise
            scope.get("state", {}).pop("user", None)
            response = _error_response(self.templates, Request(scope), 500)
            await response(scope, receive, send)


# -- login / logout -------------------------------------------------------------------


def _client(request: Request) -> str:
    return request.client.host if request.client else "-"


async def login_page(request: Request) -> Response:
    """Show the login form (or go to the households when already logged in)."""
    if request.state.user is not None:
        return RedirectResponse("/", status_code=303)
    return render(request, "login.html", {"name": ""})


async def login_submit(request: Request) -> Response:
    """Check the name and password, with throttling; start a session on success."""
    form = await request.form()
    name = str(form.get("name", "")).strip()[:80]
    password = str(form.get("password", ""))
    throttle: LoginThrottle = request.app.state.throttle
    db: AppDB = request.app.state.db
    wait = throttle.locked_for(name, _client(request))
    if wait > 0:
        minutes = max(1, int((wait + 59) // 60))
        error = messages.msg("login.locked", minutes=minutes)
        return render(request, "login.html", {"name": name, "error": error}, status_code=429)
    user = authenticate(db, name, password)
    if user is None:
        throttle.failure(name, _client(request))
        db.audit(name or None, "login_failed")
        log.info("login failed")
        error = messages.msg("login.failed")
        return render(request, "login.html", {"name": name, "error": error}, status_code=401)
    throttle.success(name, _client(request))
    log_in(request, user)
    db.audit(user.name, "login")
    return RedirectResponse("/", status_code=303)


async def logout(request: Request) -> Response:
    """End the session everywhere (POST only, with CSRF)."""
    db: AppDB = request.app.state.db
    user = request.state.user
    log_out(request, db)
    if user is not None:
        db.audit(user.name, "logout")
    flash(request, "login.logged_out")
    return RedirectResponse("/login", status_code=303)


# -- the app ----------------------------------------------------------------------------


def _extra_routes() -> list[BaseRoute]:
    name = "immolijst.web.immolijst_pages"
    try:
        pages = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return []
    return list(pages.routes())


def create_app(
    settings: Settings,
    *,
    options: WebOptions | None = None,
    throttle: LoginThrottle | None = None,
) -> Starlette:
    """Build the web app against ``settings.database_url`` (app tables migrated now).

    ``options`` defaults to :func:`web_options`; ``throttle`` to a fresh
    :class:`LoginThrottle` (tests pass one with a fake clock).
    """
    from immolijst.web import households

    options = options or web_options(settings)
    db = AppDB(settings.database_url)
    templates = _templates()

    async def refuse(scope: Scope, receive: Receive, send: Send, status: int) -> None:
        key = "csrf" if status == 403 else str(status)
        request = Request(scope, receive)
        response = templates.TemplateResponse(
            request,
            "error.html",
            {"title_key": f"error.{key}.title", "text_key": f"error.{key}.text"},
            status_code=status,
        )
        log.warning("refused %s %s: %s", scope["method"], scope["path"], status)
        await response(scope, receive, send)

    routes: list[BaseRoute] = [
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login_submit, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        *households.routes(),
        *_extra_routes(),
        Mount("/static", app=StaticFiles(directory=str(STATIC_DIR)), name="static"),
    ]
    middleware = [
        Middleware(SecurityHeadersMiddleware, hsts=options.https_only),
        Middleware(RequestLogMiddleware),
        Middleware(_ErrorPageMiddleware, templates=templates),
        Middleware(
            SessionMiddleware,
            secret_key=options.secret_key,
            session_cookie=_SESSION_COOKIE,
            max_age=int(options.session_hours * 3600),
            same_site="strict",
            https_only=options.https_only,
        ),
        Middleware(AuthMiddleware, db=db),
        Middleware(CSRFMiddleware, refuse=refuse),
    ]
    app = Starlette(
        debug=False,
        routes=routes,
        middleware=middleware,
        exception_handlers={HTTPException: _http_exception},
    )
    app.state.settings = settings
    app.state.db = db
    app.state.templates = templates
    app.state.throttle = throttle or LoginThrottle()
    return app


# -- functions for the CLI ------------------------------------------------------------


def add_user(url: str, name: str, role: str, password: str) -> None:
    """Create an account (password hashed with Argon2id) in the database at ``url``.

    Raises :class:`~immolijst.web.db.DuplicateUserError` when the name exists,
    :class:`~immolijst.web.db.InvalidUserError` for a bad role or name, and
    :class:`ValueError` for a password shorter than 8 characters.
    """
    if len(password) < 8:
        raise ValueError("the password must have at least 8 characters")
    db = AppDB(url)
    try:
        db.add_user(name, role, hash_password(password))
    finally:
        db.close()


def purge_households(url: str, older_than: timedelta, *, now: datetime | None = None) -> int:
    """Delete households neither opened nor updated within ``older_than``; return how many.

    Only counts are logged; every deleted id goes to the audit log (action ``purge``).
    """
    db = AppDB(url)
    try:
        return db.purge_households(older_than, now=now)
    finally:
        db.close()


_DURATION = re.compile(r"^\s*(\d+)\s*([dwmy])\s*$", re.IGNORECASE)
_UNIT_DAYS: Final = {"d": 1.0, "w": 7.0, "m": 365.0 / 12, "y": 365.0}


def parse_duration(text: str) -> timedelta:
    """Parse ``"30d"``, ``"6w"``, ``"12m"`` or ``"1y"`` (a month is 1/12 of 365 days).

    >>> parse_duration("12m") == parse_duration("1y") == timedelta(days=365)
    True
    >>> parse_duration("30d").days
    30
    >>> parse_duration("soon")
    Traceback (most recent call last):
    ...
    ValueError: unknown duration 'soon': write a number and d, w, m or y, e.g. 12m
    """
    match = _DURATION.match(text)
    if match is None or int(match.group(1)) <= 0:
        raise ValueError(f"unknown duration {text!r}: write a number and d, w, m or y, e.g. 12m")
    return timedelta(days=int(match.group(1)) * _UNIT_DAYS[match.group(2).lower()])


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the web app with uvicorn until interrupted (uvicorn's access log is off)."""
    import uvicorn

    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        access_log=False,
        server_header=False,
        proxy_headers=False,
    )
