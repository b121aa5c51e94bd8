"""The nightly mail digest: new matches for each worker, alarms for the admins.

Mail is sent only when SMTP settings are present (:func:`smtp_settings`):
``IMMOLIJST_SMTP_HOST`` (required), ``IMMOLIJST_SMTP_PORT`` (default 25, or 587
with STARTTLS), ``IMMOLIJST_SMTP_USER`` / ``IMMOLIJST_SMTP_PASSWORD`` (login,
optional), ``IMMOLIJST_SMTP_FROM`` (sender; default ``immolijst@localhost``),
``IMMOLIJST_SMTP_STARTTLS`` (``1``/``true``/``yes`` to upgrade the connection).

A worker's address is their user name when it is an e-mail address (the web
app's accounts have no separate address yet); admins get the alarms at their
e-mail-shaped user names and at ``IMMOLIJST_ADMIN_EMAIL`` (comma-separated).

The worker digest holds, per household, only its pseudonymous label and, per new
dwelling, the address, rent and charges, net monthly cost and the verdict word:
never income figures or other household details.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Final

from immolijst.nightly._matches import HouseholdDigest
from immolijst.nightly._monitor import Alarm
from matcher import format_eur

__all__ = [
    "SmtpSettings",
    "admin_digest",
    "admin_recipients",
    "is_address",
    "send_messages",
    "smtp_settings",
    "worker_digests",
]

_TRUE: Final = frozenset({"1", "true", "yes", "ja", "on"})
_TIMEOUT_S: Final = 30.0


@dataclass(frozen=True)
class SmtpSettings:
    """How to reach the mail server (from the ``IMMOLIJST_SMTP_*`` environment variables)."""

    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = None
    starttls: bool = False

    def __repr__(self) -> str:  # never show the password
        return (
            f"SmtpSettings(host={self.host!r}, port={self.port}, sender={self.sender!r}, "
            f"user={self.user!r}, starttls={self.starttls})"
        )


def smtp_settings(environ: Mapping[str, str]) -> SmtpSettings | None:
    """Read the SMTP settings from ``environ``; ``None`` when ``IMMOLIJST_SMTP_HOST`` is unset."""
    host = (environ.get("IMMOLIJST_SMTP_HOST") or "").strip()
    if not host:
        return None
    starttls = (environ.get("IMMOLIJST_SMTP_STARTTLS") or "").strip().lower() in _TRUE
    port_text = (environ.get("IMMOLIJST_SMTP_PORT") or "").strip()
    port = int(port_text) if port_text else (587 if starttls else 25)
    return SmtpSettings(
        host=host,
        port=port,
        sender=(environ.get("IMMOLIJST_SMTP_FROM") or "").strip() or "immolijst@localhost",
        user=(environ.get("IMMOLIJST_SMTP_USER") or "").strip() or None,
        password=environ.get("IMMOLIJST_SMTP_PASSWORD") or None,
        starttls=starttls,
    )


def is_address(text: str) -> bool:
    """Whether ``text`` looks like an e-mail address (``name@domain.tld``).

    >>> is_address("an.peeters@w13.be"), is_address("an")
    (True, False)
    """
    local, sep, domain = text.strip().rpartition("@")
    return bool(sep and local and "." in domain and " " not in text.strip())


def _money(amount: float | None) -> str:
    return "onbekend" if amount is None else format_eur(amount, cents=True)


def worker_digests(
    digests: Sequence[HouseholdDigest], *, sender: str, base_url: str | None = None
) -> list[EmailMessage]:
    """Build one message per worker with the new matches of their households.

    Workers whose user name is not an e-mail address get none.
    """
    by_owner: dict[str, list[HouseholdDigest]] = {}
    for digest in digests:
        if digest.items and is_address(digest.owner_name):
            by_owner.setdefault(digest.owner_name.strip(), []).append(digest)
    messages = []
    for address, own in sorted(by_owner.items()):
        total = sum(len(d.items) for d in own)
        word = "woning" if total == 1 else "woningen"
        lines = [
            "Goeiedag,",
            "",
            f"Vannacht vond immolijst {total} nieuwe {word} voor uw huishoudens.",
            "",
        ]
        for digest in sorted(own, key=lambda d: d.label):
            lines.append(f"Huishouden: {digest.label}")
            for item in digest.items:
                lines.append(f"- {item.address}")
                lines.append(
                    f"  huur {_money(item.rent_eur)} + kosten {_money(item.charges_eur)}; "
                    f"netto per maand {_money(item.net_monthly_eur)}; {item.verdict_label}"
                )
                if base_url:
                    root = base_url.rstrip("/")
                    lines.append(
                        f"  {root}/huishoudens/{digest.household_id}/woningen/{item.dwelling_id}"
                    )
            lines.append("")
        lines += [
            "Open het huishouden in immolijst om de uitleg per woning te zien.",
            "",
            "Dit bericht is automatisch verstuurd door immolijst.",
        ]
        message = _message(sender, [address], f"immolijst: {total} nieuwe {word}", lines)
        messages.append(message)
    return messages


def admin_recipients(admin_names: Iterable[str], environ: Mapping[str, str]) -> list[str]:
    """E-mail addresses of the admins: e-mail-shaped user names and ``IMMOLIJST_ADMIN_EMAIL``."""
    extra = (environ.get("IMMOLIJST_ADMIN_EMAIL") or "").split(",")
    found = [n.strip() for n in [*admin_names, *extra] if is_address(n)]
    return sorted(dict.fromkeys(found))


def admin_digest(
    alarms: Sequence[Alarm],
    recipients: Sequence[str],
    *,
    sender: str,
    run_id: int,
    status: str,
) -> EmailMessage | None:
    """Build the admins' message with the run's alarms (``None`` without alarms or recipients)."""
    if not alarms or not recipients:
        return None
    lines = [
        f"De nachtelijke run {run_id} eindigde met status '{status}' en {len(alarms)} alarm(en):",
        "",
        *[f"- {alarm.message}" for alarm in alarms],
        "",
        "Bekijk de pagina Bronnen in immolijst voor de details.",
    ]
    return _message(sender, recipients, f"immolijst: {len(alarms)} alarm(en) vannacht", lines)


def _message(
    sender: str, recipients: Sequence[str], subject: str, lines: list[str]
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="immolijst")
    message.set_content("\n".join(lines) + "\n")
    return message


def send_messages(settings: SmtpSettings, messages: Sequence[EmailMessage]) -> int:
    """Send ``messages`` over one SMTP connection; return how many were sent."""
    if not messages:
        return 0
    with smtplib.SMTP(settings.host, settings.port, timeout=_TIMEOUT_S) as smtp:
        smtp.ehlo()
        if settings.starttls:
            smtp.starttls()
            smtp.ehlo()
        if settings.user:
            smtp.login(settings.user, settings.password or "")
        for message in messages:
            smtp.send_message(message)
    return len(messages)
