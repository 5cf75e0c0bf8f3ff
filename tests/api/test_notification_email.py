"""Email rules: a due notification is sent once through a real local SMTP receiver, to the rule's audience."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from uuid import UUID

import httpx
import pytest

from api.app import create_app
from domain.user import User
from ledger.runtime import Runtime
from ledger.settings import Settings
from tests.api.notification_support import NOTHING, accept, add_rule, queued_notifications, send, shop_of
from tests.api.orders_support import book, schedule_event
from tests.smtp_receiver import SmtpReceiver, smtp_receiving
from tests.support import ServerThread, runtime_of_its_own


@dataclass(frozen=True)
class Mailing:
    """A ledger of its own that sends email through the local receiver, and a client of its live server."""

    runtime: Runtime
    http: httpx.Client
    admin_headers: dict[str, str]
    receiver: SmtpReceiver


@pytest.fixture(scope="module")
def mailing(settings: Settings, admin_headers: dict[str, str]) -> Iterator[Mailing]:
    with smtp_receiving() as receiver:
        smtp = {"smtp_host": "127.0.0.1", "smtp_port": receiver.port, "smtp_starttls": False}
        with (
            runtime_of_its_own(settings.model_copy(update=smtp), "mail") as runtime,
            ServerThread(create_app(runtime=runtime)) as server,
            httpx.Client(base_url=server.url, timeout=30) as http,
        ):
            yield Mailing(runtime, http, admin_headers, receiver)


def email_of(mailing: Mailing, user_id: str) -> str:
    user = mailing.runtime.ledger.find(UUID(user_id), User)
    assert user is not None
    return user.email


def test_an_accepted_booking_is_emailed_once_to_athlete_and_coach(mailing: Mailing) -> None:
    shop = shop_of(mailing.http, mailing.admin_headers)
    rule = add_rule(shop.tenant, "booking.accepted", "both", "email")
    already = len(mailing.receiver.mails)
    booking = book(shop, [schedule_event(shop)])[0]
    accept(shop, booking)

    first = send(mailing.http, shop.tenant.headers)
    again = send(mailing.http, shop.tenant.headers)
    mails = mailing.receiver.wait_for(already + 1)

    assert rule["channel"] == "email"
    assert first == {**NOTHING, "due": 1, "enqueued": 1}
    assert again == NOTHING
    assert len(queued_notifications(mailing.runtime, booking)) == 1
    mail = mails[-1]
    assert sorted(mail.recipients) == sorted(
        email_of(mailing, user) for user in (shop.athlete_id, shop.coach_id)
    )
    assert mail.message["Subject"] == "A booking was accepted"
    assert booking in mail.message.get_content()


def test_an_email_the_server_refuses_for_now_is_sent_again_until_it_is_taken(mailing: Mailing) -> None:
    shop = shop_of(mailing.http, mailing.admin_headers)
    add_rule(shop.tenant, "booking.requested", "athlete", "email")
    mailing.receiver.refusals = 2
    already = len(mailing.receiver.mails)
    booking = book(shop, [schedule_event(shop)])[0]

    assert send(mailing.http, shop.tenant.headers) == {**NOTHING, "due": 1, "enqueued": 1}
    mails = mailing.receiver.wait_for(already + 1)

    assert mailing.receiver.refused == 2
    assert mails[-1].recipients == [email_of(mailing, shop.athlete_id)]
    assert mails[-1].message["Subject"] == "A booking was requested"
    assert booking in mails[-1].message.get_content()
