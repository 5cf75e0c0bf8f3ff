"""Response bodies of the analytics endpoints: one entry per group of the period."""

from __future__ import annotations

from pydantic import BaseModel, Field


class UtilisationGroupOut(BaseModel):
    """One resource, venue, day or week (the Monday starting it) of the period."""

    key: str | None = Field(description="The resource's or venue's id, or the date; null: of no place.")
    name: str | None = Field(description="The resource's or venue's name; null for days and weeks.")
    bookedMinutes: int = Field(description="Minutes of the bookings that hold their time (not cancelled).")
    bookings: int = Field(description="Bookings that hold their time: pending, confirmed or disputed.")
    cancellations: int
    revenue: dict[str, str] = Field(
        description="Prices of confirmed bookings per currency, decimal strings.", examples=[{"EUR": "50.00"}]
    )
    availableMinutes: int | None = Field(description="Open minutes of the resources with opening hours.")
    utilisation: float | None = Field(
        description="Booked minutes on resources with opening hours over their open minutes; null if none."
    )


class UtilisationOut(BaseModel):
    organisationId: str
    from_: str = Field(alias="from")
    to: str
    groupBy: str
    groups: list[UtilisationGroupOut]


class LeadTimesOut(BaseModel):
    p50: float | None
    p90: float | None


class BookingsGroupOut(BaseModel):
    """One source, member status or day of the period."""

    key: str | None
    bookings: int = Field(description="Bookings of the group, whatever their status.")
    leadTimeMinutes: LeadTimesOut = Field(description="Start minus creation, interpolated percentiles.")


class BookingsSummaryOut(BaseModel):
    organisationId: str
    from_: str = Field(alias="from")
    to: str
    groupBy: str
    groups: list[BookingsGroupOut]
