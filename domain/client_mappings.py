"""A client's own ids for users and resources, each mapping addressed by the client and the external id."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.errors import AccessDeniedError, ConflictError, InvalidInputError, NotFoundError
from domain.ids import client_mapping_id, mapped_entity_id

MAX_EXTERNAL_ID_LENGTH = 255
MAX_EXTERNAL_DATA_BYTES = 16 * 1024


class ClientContextRequiredError(AccessDeniedError):
    """Raised when a principal that is not a client calls a command that works on a client's own mappings."""


class InvalidExternalIdError(InvalidInputError):
    """Raised when an external id is blank, longer than 255 characters or holds control characters."""


class InvalidExternalDataError(InvalidInputError):
    """Raised when external data is not a JSON object of at most 16 KiB."""


class ResourceMappingNotFoundError(NotFoundError):
    """Raised when the calling client has no resource mapped under the external id it names."""


class ExternalIdConflictError(ConflictError):
    """Raised when an external id already maps a different venue or resource of the same client."""


class AlreadyMappedError(ConflictError):
    """Raised when a venue or resource is registered under a second external id of the same client."""


def checked_external_id(external_id: str) -> str:
    """The external id, kept exactly as the client sent it, once it is known to be usable."""
    text = external_id if isinstance(external_id, str) else ""
    if (
        not text.strip()
        or len(text) > MAX_EXTERNAL_ID_LENGTH
        or any(ord(c) < 32 or ord(c) == 127 for c in text)
    ):
        raise InvalidExternalIdError(
            f"An external id must have 1 to {MAX_EXTERNAL_ID_LENGTH} characters, not all blank, and no "
            "control characters."
        )
    return text


def external_data_json(external_data: object) -> str:
    """External data (None for none) as canonical JSON text, the form its events keep.

    Events keep it as text, not as a nested object, so no key the client chooses can be taken for one of the
    event store's own type markers when the event is read back.
    """
    data = {} if external_data is None else external_data
    if not isinstance(data, dict) or not all(isinstance(key, str) for key in data):
        raise InvalidExternalDataError("external_data must be a JSON object.")
    try:
        text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as error:
        raise InvalidExternalDataError("external_data must hold only JSON values.") from error
    if len(text.encode("utf-8")) > MAX_EXTERNAL_DATA_BYTES:
        raise InvalidExternalDataError(
            f"external_data must be at most {MAX_EXTERNAL_DATA_BYTES} bytes of JSON."
        )
    return text


def registered_at(meta: dict[str, str]) -> datetime:
    """When a mapping was registered: the instant its command's context gave its creation event."""
    return datetime.fromisoformat(meta["recordedAt"])


class ClientUserMapping(LedgerAggregate):
    """A client's external id for a ledger user; several external ids of a client may name one user."""

    # A client's id for a person may itself be personal (an email, a member number).
    PERSONAL_FIELDS = ("external_id",)

    class Registered(LedgerAggregate.Created):
        client_id: UUID
        external_id: str
        user_id: UUID

    @staticmethod
    def create_id(client_id: UUID, external_id: str, **_: object) -> UUID:
        return client_mapping_id("user", client_id, external_id)

    @classmethod
    def register(
        cls, client_id: UUID, external_id: str, user_id: UUID, meta: dict[str, str]
    ) -> ClientUserMapping:
        return cls(
            client_id=client_id, external_id=checked_external_id(external_id), user_id=user_id, meta=meta
        )

    @event(Registered)
    def __init__(self, client_id: UUID, external_id: str, user_id: UUID, meta: dict[str, str]) -> None:
        self.client_id = client_id
        self.external_id = external_id
        self.user_id = user_id
        self.is_active = True
        self.created_at = registered_at(meta)


def registration(
    client_id: UUID, external_id: str, external_data: object, meta: dict[str, str]
) -> dict[str, Any]:
    """What the registration of a resource or venue mapping records besides what it maps, checked."""
    return {
        "client_id": client_id,
        "external_id": checked_external_id(external_id),
        "external_data_json": external_data_json(external_data),
        "meta": meta,
    }


class ExternalDataMapping:
    """What resource and venue mappings share: their id, the state they start with, what they map, and the
    client's external data, replaced as a whole.

    Each mapping class names its `KIND` (it maps the entity in its `<kind>_id`) and records its registration
    and replacements with its own events, so every event names its own aggregate.
    """

    KIND: ClassVar[str]

    if TYPE_CHECKING:  # set by the aggregate's own replacement event

        def _replace_external_data(self, external_data_json: str, meta: dict[str, str]) -> None: ...

    @classmethod
    def create_id(cls, client_id: UUID, external_id: str, **_: object) -> UUID:
        return client_mapping_id(cls.KIND, client_id, external_id)

    def _start(
        self, client_id: UUID, external_id: str, external_data_json: str, meta: dict[str, str]
    ) -> None:
        """The state a mapping starts with; its creation event sets what it maps besides."""
        self.client_id = client_id
        self.external_id = external_id
        self.external_data_json = external_data_json
        self.is_active = True
        self.created_at = registered_at(meta)

    @property
    def external_data(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.external_data_json)
        return data

    def replace_external_data(self, external_data: object, meta: dict[str, str]) -> bool:
        """Keep the given external data instead of the current; records nothing, answering False, if equal."""
        text = external_data_json(external_data)
        if text == self.external_data_json:
            return False
        self._replace_external_data(external_data_json=text, meta=meta)
        return True

    def check_maps(self, entity_id: UUID) -> None:
        """Refuse to map this external id to another venue or resource than the one it maps."""
        if entity_id != getattr(self, f"{self.KIND}_id"):
            raise ExternalIdConflictError(
                f"external_id {self.external_id} is already mapped to another {self.KIND}.",
                external_id=self.external_id,
            )


class ClientResourceMapping(ExternalDataMapping, LedgerAggregate):
    """A client's external id for a resource of an organization granted to it."""

    KIND = "resource"

    class Registered(LedgerAggregate.Created):
        client_id: UUID
        external_id: str
        resource_id: UUID
        external_data_json: str

    class ExternalDataReplaced(LedgerAggregate.Event):
        external_data_json: str

    @classmethod
    def register(
        cls, client_id: UUID, external_id: str, resource_id: UUID, external_data: object, meta: dict[str, str]
    ) -> ClientResourceMapping:
        return cls(resource_id=resource_id, **registration(client_id, external_id, external_data, meta))

    @event(Registered)
    def __init__(
        self,
        client_id: UUID,
        external_id: str,
        resource_id: UUID,
        external_data_json: str,
        meta: dict[str, str],
    ) -> None:
        self._start(client_id, external_id, external_data_json, meta)
        self.resource_id = resource_id

    @event(ExternalDataReplaced)
    def _replace_external_data(self, external_data_json: str, meta: dict[str, str]) -> None:
        self.external_data_json = external_data_json


class MappedEntity(LedgerAggregate):
    """Which external id of a client maps a venue or a resource; it makes that external id the only one.

    Its id is derived from the kind, the client and the entity, and it is saved with the mapping it names.
    """

    class Claimed(LedgerAggregate.Created):
        kind: str
        client_id: UUID
        entity_id: UUID
        mapping_id: UUID
        external_id: str

    @staticmethod
    def create_id(kind: str, client_id: UUID, entity_id: UUID, **_: object) -> UUID:
        return mapped_entity_id(kind, client_id, entity_id)

    @event(Claimed)
    def __init__(
        self,
        kind: str,
        client_id: UUID,
        entity_id: UUID,
        mapping_id: UUID,
        external_id: str,
        meta: dict[str, str],
    ) -> None:
        self.kind = kind
        self.client_id = client_id
        self.entity_id = entity_id
        self.mapping_id = mapping_id
        self.external_id = external_id
