"""The query string of the analytics endpoints: the organisation, a period of local dates, the grouping."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from uuid import UUID

from fastapi import Request

from api.query.errors import InvalidDateFormatError
from api.query.filters import single_values
from domain.errors import InvalidInputError
from projections.analytics_summaries import MAX_PERIOD_DAYS, PeriodQuery

PERIOD_PARAMETERS = frozenset({"organisationId", "from", "to", "groupBy", "consistentWith"})
DEFAULT_GROUPING = "day"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class MissingPeriodError(InvalidInputError):
    """Raised when an analytics query does not give both `from` and `to`."""


class InvalidPeriodError(InvalidInputError):
    """Raised when `from` is after `to`, or the period is longer than the longest one served."""


class UnknownGroupingError(InvalidInputError):
    """Raised when `groupBy` names a grouping that the endpoint does not offer."""


class UnknownParameterError(InvalidInputError):
    """Raised when an analytics query gives a parameter that the endpoint does not take."""


PERIOD_ERRORS = (
    MissingPeriodError,
    InvalidPeriodError,
    UnknownGroupingError,
    UnknownParameterError,
    InvalidDateFormatError,
)


def _date(name: str, raw: str | None) -> date:
    if raw is None or not raw.strip():
        raise MissingPeriodError(f"{name} is required: a date written YYYY-MM-DD.")
    try:
        if _DATE.fullmatch(raw):
            return date.fromisoformat(raw)
    except ValueError:
        pass
    raise InvalidDateFormatError(f"Invalid date format: {name} must be a date written YYYY-MM-DD.")


def period_query(
    request: Request, organisation_id: UUID, groupings: Sequence[str], default: str = DEFAULT_GROUPING
) -> PeriodQuery:
    """The organisation's period query from the request's parameters, each checked and named when wrong."""
    parameters = single_values(request.query_params.multi_items())
    unknown = sorted(set(parameters) - PERIOD_PARAMETERS)
    if unknown:
        raise UnknownParameterError(
            f"Unknown parameter {unknown[0]!r}: this endpoint takes organisationId, from, to and groupBy."
        )
    first, last = _date("from", parameters.get("from")), _date("to", parameters.get("to"))
    if first > last:
        raise InvalidPeriodError(f"from ({first}) is after to ({last}).")
    if (last - first).days >= MAX_PERIOD_DAYS:
        raise InvalidPeriodError(f"The period from {first} to {last} is longer than {MAX_PERIOD_DAYS} days.")
    group_by = parameters.get("groupBy", default)
    if group_by not in groupings:
        raise UnknownGroupingError(f"groupBy must be one of {', '.join(groupings)}, not {group_by!r}.")
    return PeriodQuery(organisation_id, first, last, group_by)
