"""The mapper that seals personal values when events are stored and opens them when they are read.

Every value of an aggregate's PERSONAL_FIELDS (in its events and in its snapshots) is stored sealed under its
person's data key (ledger/personal_data/cipher.py); the rest of the event stays as it was, so the hash chain
covers the stored ciphertext, and destroying a key changes no stored byte. Reading opens each value, or gives
the erased value of its kind where the key is destroyed. A plaintext personal value, stored before encryption,
reads as erased once its person is. The domain sees plain values only.
"""

from __future__ import annotations

import copy
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any, cast
from uuid import UUID

from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import get_topic

from domain.caches import BoundedCache
from ledger.personal_data import cipher
from ledger.personal_data.containers import SNAPSHOT_TOPIC, container_of
from ledger.personal_data.keys import NewKey, SealedEvent
from ledger.personal_data.subjects import Place, places
from ledger.personal_data.vault import VAULT_ENV, Vault, registered_vault
from projections.personal_data import PERSONAL_KEYS


class PersonalDataUnprotectedError(Exception):
    """Raised when an event with personal data is stored by a ledger that has no personal data keys."""


# The key id of each sealed value in stored (canonical, sorted-key) JSON, for prefetching.
SEALED_KEY = re.compile(rb'"personalData":\{"erased":.*?"key":"([0-9a-f-]{36})"')


class PersonalDataMapper(Mapper[UUID]):
    """eventsourcing's mapper, with each personal value sealed per person."""

    vault_token: str | None = None
    first_event: Callable[[UUID], Any] | None = None
    # Per thread, the events `prepare` looked at, last first, each with what it found.
    _prepared = threading.local()

    def bind(self, application: Any) -> None:
        """Take the vault this process registered for the application, and its recorder for first events."""
        self.vault_token = application.env.get(VAULT_ENV)
        recorder = application.recorder
        self.first_event = lambda stream: next(iter(recorder.select_events(stream, lte=1, limit=1)), None)
        self._first_users: BoundedCache[tuple[UUID | None]] = BoundedCache(10_000)

    @property
    def vault(self) -> Vault | None:
        return registered_vault(self.vault_token)

    def first_user(self, stream: UUID) -> UUID | None:
        cached = self._first_users.get(stream)
        if cached is not None:
            return cached[0]
        stored = self.first_event(stream) if self.first_event is not None else None
        user = None
        if stored is not None:
            user_id = getattr(super().to_domain_event(stored), "user_id", None)
            user = user_id if isinstance(user_id, UUID) else None
        self._first_users.put(stream, (user,))
        return user

    def prepare(self, domain_events: Sequence[Any]) -> None:
        """Find the keys of every person a save's events name in one query, not one query per event."""
        unsealed = [self._unsealed(event) for event in domain_events] if self.vault is not None else []
        # Mapping the events next, on this thread, starts from these, not from looking at each event again.
        self._prepared.events = list(zip(domain_events, unsealed, strict=False))[::-1]
        subjects = [
            place.subject for each in unsealed if each and each[0] != SNAPSHOT_TOPIC for place in each[3]
        ]
        if subjects:
            # Keys made here for people new to the ledger wait, shared, for the append that stores them: each
            # event that seals under one adds it to its own new keys.
            cast(Vault, self.vault).keys_for(subjects, [])

    def _unsealed(self, domain_event: Any) -> tuple[str, dict[str, Any], dict[str, Any], list[Place]] | None:
        """The event's topic, state, the dict holding its personal values and where they are; or None."""
        topic = get_topic(domain_event.__class__)
        owner, fields, _ = container_of(topic, vars(domain_event))
        if owner is None or not fields:
            return None
        event_state = dict(vars(domain_event))
        event_state.pop(PERSONAL_KEYS, None)
        stream, user_id = event_state["originator_id"], event_state.get("user_id")
        first = event_state["originator_version"] == 1 and topic != SNAPSHOT_TOPIC
        if first and hasattr(self, "_first_users"):
            # A stream's later events of the same save find their user here, before the first is stored.
            self._first_users.put(stream, (user_id if isinstance(user_id, UUID) else None,))
        if topic == SNAPSHOT_TOPIC:
            event_state["state"] = container = dict(event_state["state"])
            container.pop(PERSONAL_KEYS, None)
        else:
            container = event_state
        return topic, event_state, container, places(owner, container, fields, stream, self.first_user)

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        prepared = getattr(self._prepared, "events", None)
        if prepared and prepared[-1][0] is domain_event:
            unsealed = prepared.pop()[1]
        else:
            unsealed = self._unsealed(domain_event)
        if unsealed is None:
            return super().to_stored_event(domain_event)
        topic, event_state, container, found = unsealed
        originator_id = event_state.pop("originator_id")
        originator_version = event_state.pop("originator_version")
        # An event's new keys are stored by its append; a snapshot, stored by another recorder, gets
        # committed keys only.
        new_keys: list[NewKey] | None = None if topic == SNAPSHOT_TOPIC else []
        if found:
            self._seal(container, found, originator_id, originator_version, new_keys)
        class_version = getattr(type(domain_event), "class_version", 1)
        if class_version > 1:
            event_state["class_version"] = class_version
        state = self.transcoder.encode(event_state)
        if new_keys:
            keys = tuple(dict.fromkeys(new_keys))
            return SealedEvent(originator_id, originator_version, topic, state, new_keys=keys)
        return StoredEvent(
            originator_id=originator_id, originator_version=originator_version, topic=topic, state=state
        )

    def _seal(
        self,
        container: dict[str, Any],
        found: list[Place],
        originator_id: UUID,
        version: int,
        new_keys: list[NewKey] | None,
    ) -> None:
        vault = self.vault
        if vault is None:
            raise PersonalDataUnprotectedError(
                "This ledger has no personal data keys to seal personal data with."
            )
        keys = vault.keys_for((place.subject for place in found), new_keys)
        if any(place.subject not in keys for place in found):
            raise PersonalDataUnprotectedError(
                "A person's data key does not open with the configured master keys; every process of one "
                "database needs the same LEDGER_PERSONAL_DATA_KEYS (or OAuth signing keys)."
            )
        sealed: dict[str, Any] = {}
        for place in found:
            key_id, data_key = keys[place.subject]
            where = cipher.place(originator_id, version, place.field, place.element)
            plaintext = self.transcoder.encode(place.value)
            envelope = cipher.seal_value(data_key, key_id, where, plaintext, cipher.erased_shape(place.value))
            if place.element is None:
                sealed[place.field] = envelope
            else:
                sealed.setdefault(place.field, list(container[place.field]))[place.element] = envelope
        container.update(sealed)

    def prefetch(self, stored_events: Iterable[StoredEvent]) -> None:
        """Open, in one query, the data keys that these stored events' sealed values name, so that decoding
        a page of them (a rebuild, a runner catching up) asks the key table once, not once per event."""
        vault = self.vault
        if vault is None:
            return
        found = {match for stored in stored_events for match in SEALED_KEY.findall(stored.state)}
        if found:
            vault.data_keys(UUID(match.decode()) for match in found)

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        domain_event = super().to_domain_event(stored_event)
        state = domain_event.__dict__
        owner, fields, container = container_of(stored_event.topic, state)
        if owner is None or not fields or self.vault is None:
            return domain_event
        stream = UUID(str(stored_event.originator_id))
        key_ids = self._open(owner, fields, container, stream, stored_event.originator_version)
        if key_ids and container is state:
            state[PERSONAL_KEYS] = key_ids
        return domain_event

    def _open(
        self, owner: type, fields: tuple[str, ...], container: dict[str, Any], stream: UUID, version: int
    ) -> dict[str, Any]:
        """Open the sealed values in place; the key id of each (a list of them for a list of people)."""
        vault = cast(Vault, self.vault)
        sealed: list[tuple[str, int | None, tuple[UUID, Any, str]]] = []
        for name in fields:
            value = container.get(name)
            if (parts := cipher.sealed_parts(value)) is not None:
                sealed.append((name, None, parts))
            elif isinstance(value, list):
                sealed.extend(
                    (name, index, parts)
                    for index, each in enumerate(value)
                    if (parts := cipher.sealed_parts(each)) is not None
                )
        key_ids: dict[str, Any] = {}
        if sealed:
            data_keys = vault.data_keys(parts[0] for _, _, parts in sealed)
            for name, element, (key_id, erased, text) in sealed:
                data_key = data_keys.get(key_id)
                value = copy.deepcopy(erased)
                if data_key is not None:
                    where = cipher.place(stream, version, name, element)
                    try:
                        value = self.transcoder.decode(cipher.open_value(data_key, where, text))
                    except cipher.ValueUnreadableError:
                        value = copy.deepcopy(erased)
                if element is None:
                    container[name] = value
                    key_ids[name] = key_id
                else:
                    container[name] = list(container[name])
                    container[name][element] = value
                    key_ids.setdefault(name, [None] * len(container[name]))[element] = key_id
        self._mask_erased_plaintext(owner, fields, container, stream, key_ids)
        return key_ids

    def _mask_erased_plaintext(
        self,
        owner: type,
        fields: tuple[str, ...],
        container: dict[str, Any],
        stream: UUID,
        key_ids: dict[str, Any],
    ) -> None:
        """Plaintext personal values (stored before encryption) read as erased once their person is."""
        plain_fields = tuple(name for name in fields if name not in key_ids)
        plain = places(owner, container, plain_fields, stream, self.first_user) if plain_fields else []
        if not plain:
            return
        erased = cast(Vault, self.vault).erased(place.subject for place in plain)
        for place in plain:
            if place.subject not in erased:
                continue
            blank = cipher.erased_shape(place.value)
            if place.element is None:
                container[place.field] = blank
            else:
                container[place.field] = list(container[place.field])
                container[place.field][place.element] = blank
