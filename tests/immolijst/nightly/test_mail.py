"""The mail digest: settings, message content (no income), sending to a loopback server."""

from __future__ import annotations

from immolijst.nightly._mail import (
    admin_digest,
    admin_recipients,
    send_messages,
    smtp_settings,
    worker_digests,
)
from immolijst.nightly._matches import DigestItem, HouseholdDigest
from immolijst.nightly._monitor import Alarm


def digest(owner: str = "an@w13.be", label: str = "Gezin Zonnebloem") -> HouseholdDigest:
    item = DigestItem(
        dwelling_id=12,
        address="Doorniksestraat 12 bus 3, 8500 Kortrijk",
        rent_eur=695.0,
        charges_eur=50.0,
        net_monthly_eur=812.4,
        verdict="amber",
        verdict_label="krap",
        url="https://www.immoweb.be/1",
    )
    return HouseholdDigest("hid-1", label, 1, owner, (item,))


def test_no_smtp_host_means_no_mail() -> None:
    assert smtp_settings({}) is None
    assert smtp_settings({"IMMOLIJST_SMTP_HOST": " "}) is None


def test_smtp_settings_are_read_from_the_environment() -> None:
    settings = smtp_settings(
        {
            "IMMOLIJST_SMTP_HOST": "mail.w13.be",
            "IMMOLIJST_SMTP_STARTTLS": "true",
            "IMMOLIJST_SMTP_USER": "immo",
            "IMMOLIJST_SMTP_PASSWORD": "s3cret",
        }
    )
    assert settings is not None
    assert (settings.host, settings.port, settings.starttls, settings.user) == (
        "mail.w13.be",
        587,
        True,
        "immo",
    )
    assert "s3cret" not in repr(settings)


def test_worker_digest_has_label_address_amounts_and_verdict() -> None:
    (message,) = worker_digests([digest()], sender="immolijst@w13.be", base_url="https://x.test")
    body = message.get_content()
    assert message["To"] == "an@w13.be"
    assert message["Subject"] == "immolijst: 1 nieuwe woning"
    assert "Gezin Zonnebloem" in body
    assert "Doorniksestraat 12 bus 3, 8500 Kortrijk" in body
    assert "huur € 695,00 + kosten € 50,00" in body
    assert "netto per maand € 812,40" in body
    assert "krap" in body
    assert "https://x.test/huishoudens/hid-1/woningen/12" in body
    assert "inkomen" not in body.lower()


def test_workers_without_an_address_get_no_digest() -> None:
    assert worker_digests([digest(owner="worker1")], sender="immolijst@w13.be") == []


def test_one_message_per_worker_with_all_their_households() -> None:
    messages = worker_digests(
        [digest(label="A"), digest(label="B"), digest(owner="bo@w13.be")], sender="x@w13.be"
    )
    assert [m["To"] for m in messages] == ["an@w13.be", "bo@w13.be"]
    assert "2 nieuwe woningen" in messages[0]["Subject"]


def test_admin_digest_lists_the_alarms() -> None:
    alarm = Alarm("blocked", "immoweb", "immoweb: geblokkeerd door een botcontrole")
    recipients = admin_recipients(["admin", "chef@w13.be"], {"IMMOLIJST_ADMIN_EMAIL": "ops@w13.be"})
    assert recipients == ["chef@w13.be", "ops@w13.be"]
    message = admin_digest([alarm], recipients, sender="x@w13.be", run_id=4, status="partial")
    assert message is not None
    assert "immoweb: geblokkeerd door een botcontrole" in message.get_content()
    assert admin_digest([], recipients, sender="x@w13.be", run_id=4, status="complete") is None


def test_send_messages_delivers_to_the_smtp_server(smtp_sink) -> None:  # type: ignore[no-untyped-def]
    settings = smtp_settings(smtp_sink.environ)
    assert settings is not None
    messages = worker_digests([digest(), digest(owner="bo@w13.be")], sender=settings.sender)
    assert send_messages(settings, messages) == 2
    assert [m["To"] for m in smtp_sink.messages] == ["an@w13.be", "bo@w13.be"]
    assert "Doorniksestraat 12" in smtp_sink.messages[0].get_content()
