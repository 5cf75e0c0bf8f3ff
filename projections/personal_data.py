"""Personal data in the views: the data key of each personal value an event carried, and erasure's marker.

Events are read with their personal values open (ledger/personal_data/mapper.py), and each read event names
the key id of each value in its `_personal_keys` attribute. Views that keep a personal value keep its key id
beside it, so that `User.PersonalDataErased`, which lists the keys destroyed, finds every row holding a copy.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg.types.json import Jsonb

PERSONAL_KEYS = "_personal_keys"
ERASED_TEXT = "[erased]"
"""What an erased text reads as, in events as in views."""


def key_ids(event: Any, field: str) -> Any:
    """The key id of a personal field's value (a list of them for a list of people); None for plaintext."""
    return vars(event).get(PERSONAL_KEYS, {}).get(field)


def element_key(event: Any, field: str, index: int) -> UUID | None:
    keys = key_ids(event, field)
    return keys[index] if isinstance(keys, list) and index < len(keys) else None


def tagged_people(event: Any, field: str) -> Jsonb:
    """A list of people with each element's key id under `key`, as a view keeps it."""
    people = getattr(event, field)
    return Jsonb(
        [
            {**person, "key": str(key)} if (key := element_key(event, field, index)) is not None else person
            for index, person in enumerate(people)
        ]
    )


def key_probes(key_list: list[UUID], shape: Any) -> list[Jsonb]:
    """One containment probe per key: `shape` with the key in the place of `KEY` (an indexable `@>`)."""

    def fill(value: Any, key: str) -> Any:
        if value == "KEY":
            return key
        if isinstance(value, dict):
            return {name: fill(each, key) for name, each in value.items()}
        if isinstance(value, list):
            return [fill(each, key) for each in value]
        return value

    return [Jsonb(fill(shape, str(key))) for key in key_list]
