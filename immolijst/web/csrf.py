"""CSRF protection: one random token per session, checked on every POST.

Every form carries the token in a hidden ``csrf_token`` field (templates call
``csrf_token()``). :class:`CSRFMiddleware` reads the body of every unsafe
request, compares the token in constant time and answers 403 when it is
missing or wrong; otherwise it replays the body to the application, so routes
read their form as usual. The session cookie is also ``SameSite``, a second
line of defence.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Final

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["FIELD", "MAX_BODY_BYTES", "CSRFMiddleware", "ensure_token", "new_token"]

#: Name of the hidden form field.
FIELD: Final = "csrf_token"
#: Largest form body accepted (the intake form is a few kilobytes).
MAX_BODY_BYTES: Final = 256 * 1024
_SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})


def new_token() -> str:
    """Return a fresh random token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def ensure_token(session: dict[str, object]) -> str:
    """Return the session's token, creating one when the session has none."""
    token = session.get("csrf")
    if not isinstance(token, str) or not token:
        token = new_token()
        session["csrf"] = token
    return token


Refusal = Callable[[Scope, Receive, Send, int], Awaitable[None]]


class CSRFMiddleware:
    """Check the CSRF token of every non-GET request; refuse with 403 (413 when too big).

    ``refuse(scope, receive, send, status)`` renders the refusal page; it must not
    show anything from the request.
    """

    def __init__(self, app: ASGIApp, refuse: Refusal) -> None:
        self.app = app
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Buffer the body, check the token, then replay the body to the app."""
        if scope["type"] != "http" or scope["method"] in _SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                await self.refuse(scope, receive, send, 413)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)

        def replay() -> Receive:
            sent = False

            async def _receive() -> Message:
                nonlocal sent
                if not sent:
                    sent = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            return _receive

        expected = scope.get("session", {}).get("csrf")
        given: object = None
        try:
            form = await Request(scope, replay()).form()
            given = form.get(FIELD)
            await form.close()
        except Exception:  # malformed body: treated as a missing token
            given = None
        if (
            not isinstance(expected, str)
            or not isinstance(given, str)
            or not secrets.compare_digest(expected.encode(), given.encode())
        ):
            await self.refuse(scope, receive, send, 403)
            return
        await self.app(scope, replay(), send)
