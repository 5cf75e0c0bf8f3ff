"""Response bodies of the query surface, in the Plinth seed's field names."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from projections.booking_facts import DOCUMENT_FIELDS

JSON_TYPES: dict[str, Any] = {
    "uuid": str | None,
    "string": str | None,
    "date": str | None,
    "instant": str | None,
    "boolean": bool | None,
    "number": int | float | None,
}


class BookingProfileFieldOut(BaseModel):
    key: str = Field(examples=["Full Name"])
    label: str
    value: str | None
    type: str = Field(examples=["string"])


class ProfileOut(BaseModel):
    """The member's profile in the organisation: its id, then the fields asked for in `profileFields`."""

    memberId: str
    fields: list[BookingProfileFieldOut]


BookingDocumentOut = create_model(  # type: ignore[call-overload]
    "BookingDocumentOut",
    __doc__="One booking's document: the seed's fields, the ledger's own, and the member's profile.",
    **{name: (JSON_TYPES[kind], ...) for name, kind in DOCUMENT_FIELDS.items()},
    profile=(ProfileOut | None, ...),
)


class BookingsPageOut(BaseModel):
    """One page of an organisation's bookings ordered by start then bookingId; `total` counts them all."""

    bookings: list[BookingDocumentOut]  # type: ignore[valid-type]
    offset: int
    limit: int
    total: int


class SchemaFieldOut(BaseModel):
    id: str = Field(examples=["Full Name"])
    name: str
    label: str
    type: str = Field(examples=["text"])
    order: int


class SchemaOut(BaseModel):
    organisationId: str
    schemaId: str = Field(examples=["master"])
    name: str = Field(examples=["Master Schema"])
    fields: list[SchemaFieldOut]


class SchemaResponse(BaseModel):
    """The organisation's profile schema; its field ids are what `profileFields` names."""

    model_config = ConfigDict(populate_by_name=True)

    profile_schema: SchemaOut = Field(alias="schema")
