"""Bodies of the module API in the seed's shapes: objects carry their `class`; ids are the ledger's UUIDs."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.module_api.errors import ModuleMessage

Number = int | float


class SeedModel(BaseModel):
    """A seed object; `class` is written as such, and read by name `class_` in Python."""

    model_config = ConfigDict(populate_by_name=True)


class ModulePriceOut(SeedModel):
    class_: Literal["PRICE"] = Field(default="PRICE", alias="class")
    priceGross: Number = Field(examples=[99.99])
    taxRate: Number = Field(examples=[19])
    currency: str = Field(examples=["EUR"])


class ModuleGeoCoordinatesOut(SeedModel):
    class_: Literal["GEO_COORDINATES"] = Field(default="GEO_COORDINATES", alias="class")
    latitude: float
    longitude: float


class ModuleAddressOut(SeedModel):
    """Where the template's appointments take place: its resources' venue."""

    class_: Literal["ADDRESS"] = Field(default="ADDRESS", alias="class")
    name: str
    extra: str = ""
    street: str
    zip: str
    city: str
    country: str
    geoCoordinates: ModuleGeoCoordinatesOut | None


class ModuleBookingTemplateOut(SeedModel):
    """A booking template; lists the ledger has nothing for are empty."""

    class_: Literal["BOOKING_TEMPLATE"] = Field(default="BOOKING_TEMPLATE", alias="class")
    id: str
    customId: str
    name: str
    nameI18nList: list[dict[str, Any]] = []
    location: str = "ORGANIZATION_ADDRESS"
    image: str = ""
    duration: int = Field(description="Minutes.")
    leadTime: int = Field(description="Minutes held before the start.")
    followupTime: int = Field(description="Minutes held after the end.")
    price: ModulePriceOut
    showPrice: bool
    priceGross: Number
    currency: str
    taxRate: Number
    description: str
    descriptionI18nList: list[dict[str, Any]] = []
    appointmentAddressRequired: bool = False
    customerAddressRequired: bool
    customerEmailRequired: bool
    customerMobileRequired: bool
    additionalCustomerCountMax: int = 0
    bookingDayEarliest: int
    bookingDayLatest: int
    bookingLeadTime: int = Field(description="Minutes from now to the earliest bookable start.")
    address: ModuleAddressOut
    bookingStepList: list[dict[str, Any]] = []
    emailTemplateList: list[dict[str, Any]] = []
    smsTemplateList: list[dict[str, Any]] = []
    extraFieldList: list[dict[str, Any]] = []
    additionalData: dict[str, Any] | None = None


class ModuleTemplateListContent(SeedModel):
    class_: Literal["LIST"] = Field(default="LIST", alias="class")
    recordTotal: int
    recordLimit: int
    recordList: list[ModuleBookingTemplateOut]


class ModuleTemplateListOut(BaseModel):
    """The organization's booking templates, in the order they were created."""

    messageList: list[ModuleMessage] = []
    content: ModuleTemplateListContent


class ModuleBookingSlotOut(SeedModel):
    """A bookable start; its id books it (`appointment/add`) until it expires, 30 minutes after listing."""

    class_: Literal["BOOKING_SLOT"] = Field(default="BOOKING_SLOT", alias="class")
    id: str
    timestamp: str = Field(examples=["2021-01-01T10:15:00+01:00"], description="The start, local time.")
    bookingResourceCombination: list[str]


class ModuleSlotRangeOut(BaseModel):
    """Slots found in a range of instants, written in the venue's time zone."""

    rangeStart: str
    rangeEnd: str
    timeZone: str = Field(examples=["Europe/Berlin"])
    bookingSlotList: list[ModuleBookingSlotOut]


class ModuleCustomerAddressIn(BaseModel):
    street: str | None = None
    zip: str | None = None
    city: str | None = None
    country: str | None = None


class ModuleCustomerIn(BaseModel):
    """Who books; the template says which of email, mobile and address are required. Other fields of the
    seed's customer are ignored."""

    firstName: str
    lastName: str
    email: str | None = None
    mobile: str | None = None
    address: ModuleCustomerAddressIn | None = None


class ModuleAppointmentAddIn(BaseModel):
    bookingSlotId: str = Field(description="The id of a slot from bookingSlot/earliest or bookingSlot/list.")
    customer: ModuleCustomerIn


class ModuleCustomerAddressOut(SeedModel):
    class_: Literal["ADDRESS"] = Field(default="ADDRESS", alias="class")
    street: str
    zip: str
    city: str
    country: str


class ModuleCustomerOut(SeedModel):
    class_: Literal["CUSTOMER"] = Field(default="CUSTOMER", alias="class")
    firstName: str
    lastName: str
    email: str
    mobile: str
    address: ModuleCustomerAddressOut | None


class ModuleAppointmentOut(SeedModel):
    """An appointment: a template booked for a customer on a combination of resources."""

    class_: Literal["APPOINTMENT"] = Field(default="APPOINTMENT", alias="class")
    id: str
    start: str = Field(examples=["2021-01-01T00:15:00+02:00"])
    end: str
    duration: int = Field(description="Minutes.")
    name: str
    status: Literal["BOOKED", "CANCELLED"]
    bookingTemplateId: str
    bookingResourceCombination: list[str]
    timeZone: str
    price: ModulePriceOut
    customer: ModuleCustomerOut
