"""Booking templates: the kinds of appointment an organization offers, and its list of them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.errors import NotFoundError
from domain.template_terms import TERM_DEFAULTS, MalformedBookingTemplateError, TemplateTerms

_TEMPLATE_LIST = UUID("2a0d7c1e-8f3b-5d6a-9c4e-1b7f0e3a5d29")


class BookingTemplateNotFoundError(NotFoundError):
    """Raised when a template id names no booking template of the organization."""


def booking_template_list_id(organization_id: UUID) -> UUID:
    return uuid5(_TEMPLATE_LIST, str(organization_id))


class BookingTemplate(LedgerAggregate):
    """A kind of appointment: how long it lasts, what it costs, when and on which resources it can be booked.

    Its resources are of one venue, whose address and timezone its appointments take.
    """

    class Created(LedgerAggregate.Created):
        organization_id: UUID
        venue_id: UUID
        terms: dict[str, Any]

    class Changed(LedgerAggregate.Event):
        venue_id: UUID
        changes: dict[str, Any]

    @classmethod
    def create(
        cls, organization_id: UUID, venue_id: UUID, settings: Mapping[str, Any], meta: dict[str, str]
    ) -> BookingTemplate:
        """A new template from its settings (by the domain's names); left-out optional ones take defaults."""
        terms = TemplateTerms.from_dict({**TERM_DEFAULTS, **settings})
        return cls(organization_id=organization_id, venue_id=venue_id, terms=terms.as_dict(), meta=meta)

    @event(Created)
    def __init__(
        self, organization_id: UUID, venue_id: UUID, terms: dict[str, Any], meta: dict[str, str]
    ) -> None:
        self.organization_id = organization_id
        self.venue_id = venue_id
        self.settings = dict(terms)

    @property
    def terms(self) -> TemplateTerms:
        return TemplateTerms.from_dict(self.settings)

    def change(self, venue_id: UUID, changes: Mapping[str, Any], meta: dict[str, str]) -> bool:
        """Set the given settings; records only those that change, and answers whether any did."""
        unknown = sorted(set(changes) - set(self.settings))
        if unknown:
            raise MalformedBookingTemplateError(
                f"Unknown template settings: {', '.join(unknown)}.", fields=unknown
            )
        checked = TemplateTerms.from_dict({**self.settings, **changes}).as_dict()
        changed = {name: value for name, value in checked.items() if self.settings[name] != value}
        if not changed and venue_id == self.venue_id:
            return False
        self._change(venue_id=venue_id, changes=changed, meta=meta)
        return True

    @event(Changed)
    def _change(self, venue_id: UUID, changes: dict[str, Any], meta: dict[str, str]) -> None:
        self.venue_id = venue_id
        self.settings.update(changes)


class BookingTemplateList(LedgerAggregate):
    """An organization's booking templates in the order they were created; saved with each new template."""

    class Started(LedgerAggregate.Created):
        organization_id: UUID

    class Added(LedgerAggregate.Event):
        template_id: UUID

    @staticmethod
    def create_id(organization_id: UUID, **_: object) -> UUID:
        return booking_template_list_id(organization_id)

    @event(Started)
    def __init__(self, organization_id: UUID, meta: dict[str, str]) -> None:
        self.organization_id = organization_id
        self.template_ids: list[UUID] = []

    def add(self, template_id: UUID, meta: dict[str, str]) -> None:
        if template_id not in self.template_ids:
            self._add(template_id=template_id, meta=meta)

    @event(Added)
    def _add(self, template_id: UUID, meta: dict[str, str]) -> None:
        self.template_ids.append(template_id)
