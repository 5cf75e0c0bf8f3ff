"""The utilisation page's numbers: the analytics endpoint's groups by court and by week, and by both."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from projections.analytics_summaries import RESOURCE_WEEK, PeriodQuery, UtilisationGroup, read_utilisation
from projections.tables import TrackedView

MAX_CONSOLE_DAYS = 26 * 7


@dataclass(frozen=True)
class Utilisation:
    """Per court and per week as `GET /api/v1/analytics/utilisation` answers them, and the heatmap's cells."""

    courts: list[UtilisationGroup]
    weeks: list[UtilisationGroup]
    cells: dict[str, UtilisationGroup]

    @property
    def named_courts(self) -> list[UtilisationGroup]:
        return [court for court in self.courts if court.key is not None]

    def ratios(self) -> list[list[float | None]]:
        """Utilisation per named court (rows) and week (columns); None where open hours are unknown."""
        return [
            [self._ratio(f"{court.key}/{week.key}") for week in self.weeks] for court in self.named_courts
        ]

    def _ratio(self, key: str) -> float | None:
        cell = self.cells.get(key)
        return cell.utilisation if cell is not None else None

    @property
    def revenue(self) -> dict[str, Decimal]:
        total: dict[str, Decimal] = {}
        for court in self.courts:
            for currency, amount in court.revenue.items():
                total[currency] = total.get(currency, Decimal(0)) + amount
        return dict(sorted(total.items()))

    @property
    def cancellations(self) -> int:
        return sum(court.cancellations for court in self.courts)


def read_console_utilisation(
    view: TrackedView, organisation_id: UUID, first: date, last: date
) -> Utilisation:
    def grouped(group_by: str) -> list[UtilisationGroup]:
        return read_utilisation(view, PeriodQuery(organisation_id, first, last, group_by))

    cells = {group.key: group for group in grouped(RESOURCE_WEEK) if group.key is not None}
    return Utilisation(grouped("resource"), grouped("week"), cells)
