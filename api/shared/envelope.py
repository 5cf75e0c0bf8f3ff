"""The `{"error": {"type", "message", "issues"?}}` format: partner sync, admin, audit and unrouted paths."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from api.shared.errors import ErrorFormat, Problem, RequestInfo


class ErrorDetail(BaseModel):
    type: str = Field(examples=["court_not_found"])
    message: str
    issues: list[dict[str, Any]] | None = None


class ErrorBody(BaseModel):
    """The error format of the partner-sync, admin and audit surfaces."""

    error: ErrorDetail


def envelope(problem: Problem, _: RequestInfo) -> dict[str, Any]:
    body: dict[str, Any] = {"type": problem.type, "message": problem.message}
    if problem.issues is not None:
        body["issues"] = problem.issues
    return {"error": body}


ENVELOPE = ErrorFormat(render=envelope, model=ErrorBody)
