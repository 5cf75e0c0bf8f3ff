"""Routes of appointments: book a slot for a customer, read an appointment, cancel it."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Path, Response

from api.module_api.deps import ID_DOC, Call, ModuleCall, SlotKeysDep, mark_written, module_call, path_id
from api.module_api.errors import InvalidPathIdError
from api.module_api.schemas import ModuleAppointmentAddIn, ModuleAppointmentOut
from api.module_api.surface import SURFACE
from api.module_api.templates import PREFIX
from api.module_api.views import appointment_out, customer_of
from api.shared.deps import RuntimeDep, body_openapi, json_body
from api.shared.problems import PayloadTooLargeError
from domain.appointment import (
    Appointment,
    AppointmentNotFoundError,
    AppointmentStartedError,
    SlotNoLongerBookableError,
    SlotTakenError,
)
from domain.customer import InvalidCustomerError, MissingCustomerFieldError
from domain.slot_ids import ExpiredSlotIdError, InvalidSlotIdError
from ledger.runtime import Runtime

router = SURFACE.router(prefix=PREFIX, tags=["module-api"])
AppointmentId = Annotated[str, Path(description=f"The appointment's id. {ID_DOC}")]
AddBody = Annotated[ModuleAppointmentAddIn, Depends(json_body(ModuleAppointmentAddIn, module_call))]


def shown(runtime: Runtime, call: ModuleCall, appointment: Appointment) -> ModuleAppointmentOut:
    """The appointment in its template's venue's time zone."""
    template = runtime.ledger.get_booking_template(call.organization_id, appointment.template_id)
    return appointment_out(appointment, ZoneInfo(runtime.ledger.template_venue(template).timezone))


@router.post(
    "/appointment/add",
    status_code=201,
    summary="Book a booking slot for a customer",
    responses=SURFACE.responses(
        InvalidSlotIdError,
        ExpiredSlotIdError,
        InvalidCustomerError,
        MissingCustomerFieldError,
        SlotTakenError,
        SlotNoLongerBookableError,
        PayloadTooLargeError,
    ),
    openapi_extra=body_openapi(ModuleAppointmentAddIn),
)
def add_appointment(
    call: Call, body: AddBody, runtime: RuntimeDep, keys: SlotKeysDep, response: Response
) -> ModuleAppointmentOut:
    """Book the slot bindingly: its resources are held (with the template's lead and follow-up time) on the
    same calendar as every other booking. A slot booked by someone else in the meantime answers 409; a
    slot id that was edited, forged or has expired answers 400, as does a customer without the fields the
    template requires."""
    saved = runtime.ledger.add_appointment(
        call.ctx, call.organization_id, body.bookingSlotId, customer_of(body.customer), slot_keys=keys.keys
    )
    mark_written(response, runtime, saved.position)
    return shown(runtime, call, saved.value)


@router.get(
    "/appointment/{appointmentId}",
    summary="Get an appointment",
    responses=SURFACE.responses(InvalidPathIdError, AppointmentNotFoundError),
)
def get_appointment(call: Call, appointmentId: AppointmentId, runtime: RuntimeDep) -> ModuleAppointmentOut:
    """The organization's appointment as it now is."""
    appointment_id = path_id("appointmentId", appointmentId)
    return shown(
        runtime, call, runtime.ledger.get_appointment(call.ctx, call.organization_id, appointment_id)
    )


@router.post(
    "/appointment/{appointmentId}/cancel",
    summary="Cancel an appointment",
    responses=SURFACE.responses(InvalidPathIdError, AppointmentNotFoundError, AppointmentStartedError),
)
def cancel_appointment(
    call: Call, appointmentId: AppointmentId, runtime: RuntimeDep, response: Response
) -> ModuleAppointmentOut:
    """Cancel the appointment before it starts and free its time; cancelling it again answers it as it is."""
    appointment_id = path_id("appointmentId", appointmentId)
    saved = runtime.ledger.cancel_appointment(call.ctx, call.organization_id, appointment_id)
    mark_written(response, runtime, saved.position)
    return shown(runtime, call, saved.value)
