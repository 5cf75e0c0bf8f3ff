"""Non-overlapping one-hour slots spread over the courts, shared by the seeder and the load generator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

SLOTS_PER_DAY = 24
EPOCH = datetime(2035, 1, 1, tzinfo=UTC)
# Disjoint ranges of days, so that seeds and each load phase never share a court's calendar day.
SEED_DAY_BASE = 0
UPSERT_DAY_BASE = 20_000
MIXED_DAY_BASE = 22_000
GROWTH_DAY_BASE = 24_000
BATCH_DAY_BASE = 26_000
WRK_DAY_BASE = 28_000
# The encryption-cost phase's runs, each on days of its own from here.
ENCRYPTION_DAY_BASE = 30_000
SCALING_DAY_BASE = 32_000
OPEN_LOOP_DAY_BASE = 34_000


def slot(n: int, courts: int, day_base: int) -> tuple[int, datetime]:
    """Slot `n`: consecutive slots fall on different courts; returns (court index, start)."""
    court = n % courts
    k = n // courts
    start = EPOCH + timedelta(days=day_base + k // SLOTS_PER_DAY, hours=k % SLOTS_PER_DAY)
    return court, start


def instant(moment: datetime) -> str:
    """RFC 3339 with a `Z`, as partners send it."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
