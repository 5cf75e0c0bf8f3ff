"""Whose personal data an event holds: the person (data subject) of each personal value.

A subject is `user:<id>` for a ledger user, `email:<address>` for someone known by an email only (a court
booking's participant, an appointment's customer), or `stream:<id>` when an entity names no person (an
appointment's customer without an email). A value that lists people (a court booking's participants) has a
subject per element. A value whose event does not name its person belongs to the user that the entity's first
event names (a booking's note belongs to the booking's user).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID

from domain.base import LedgerAggregate

FirstUser = Callable[[UUID], UUID | None]
"""The user that a stream's first event names, if any."""


def aggregate_class(event_class: type) -> type[LedgerAggregate] | None:
    """The aggregate an event class is nested in (`CourtBooking` for `CourtBooking.Revised`)."""
    owner_path = event_class.__qualname__.rpartition(".")[0]
    owner: Any = sys.modules.get(event_class.__module__)
    for part in owner_path.split(".") if owner_path else []:
        owner = getattr(owner, part, None)
    return owner if isinstance(owner, type) and issubclass(owner, LedgerAggregate) else None


def personal_fields(event_class: type) -> tuple[str, ...]:
    owner = aggregate_class(event_class)
    return owner.PERSONAL_FIELDS if owner is not None else ()


def user_subject(user_id: object) -> str:
    return f"user:{user_id}"


def email_subject(email: str) -> str:
    return f"email:{email.strip().lower()}"


def element_subject(element: object) -> str | None:
    """The person an element of a list of people names: its `userId`, else its `email`."""
    if isinstance(element, Mapping):
        if element.get("userId"):
            return user_subject(element["userId"])
        if element.get("email"):
            return email_subject(str(element["email"]))
    return None


def value_subject(
    owner: type, state: Mapping[str, Any], originator_id: UUID, value: object, first_user: FirstUser
) -> str:
    """The person a whole personal value belongs to."""
    if owner.__name__ == "User":
        return user_subject(originator_id)
    if state.get("user_id"):
        return user_subject(state["user_id"])
    if isinstance(value, Mapping) and value.get("email"):
        return email_subject(str(value["email"]))
    named = first_user(originator_id)
    return user_subject(named) if named is not None else f"stream:{originator_id}"


def is_list_of_people(value: object) -> bool:
    return isinstance(value, list) and all(element_subject(each) is not None for each in value)


@dataclass(frozen=True)
class Place:
    """One personal value in a state: its field, its element in a list of people (or None), its person."""

    field: str
    element: int | None
    value: Any
    subject: str


def places(
    owner: type, state: dict[str, Any], fields: tuple[str, ...], originator_id: UUID, first: FirstUser
) -> list[Place]:
    found = []
    for name in fields:
        value = state.get(name)
        if value is None:
            continue
        if is_list_of_people(value):
            # A user named by id alone is a reference, as a booking's user id is; their data is in their User.
            for index, element in enumerate(value):
                if set(element) != {"userId"}:
                    found.append(Place(name, index, element, cast(str, element_subject(element))))
        else:
            found.append(Place(name, None, value, value_subject(owner, state, originator_id, value, first)))
    return found
