"""The framework ceiling: a bare FastAPI app whose sync PUT validates the upsert body and returns it."""

from __future__ import annotations

import argparse
from typing import Annotated
from uuid import UUID

import uvicorn
from fastapi import Depends, FastAPI, Path, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from api.partner_sync.schemas import CourtBookingIn
from bench.config import HOST

app = FastAPI(title="Bare ceiling")


async def json_body(request: Request) -> CourtBookingIn:
    """The body parsed from JSON as the ledger's upsert parses it (strict instants need JSON mode)."""
    try:
        return CourtBookingIn.model_validate_json(await request.body())
    except ValidationError as error:
        raise RequestValidationError(error.errors(include_url=False)) from None


@app.put("/api/v1/external-services/{service_id}/court-bookings/by-external-id/{external_id}")
def upsert(
    service_id: UUID,
    external_id: Annotated[str, Path(min_length=1, max_length=255)],
    body: Annotated[CourtBookingIn, Depends(json_body)],
) -> CourtBookingIn:
    """Validate the same body as the ledger's upsert, and send it back."""
    return body


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


def main() -> None:
    parser = argparse.ArgumentParser(description="The bare FastAPI app of the framework ceiling.")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    # The settings of `ledger serve`: uvicorn.run with its defaults and log level info (access log on).
    uvicorn.run(app, host=HOST, port=args.port, log_level="info")


if __name__ == "__main__":
    main()
