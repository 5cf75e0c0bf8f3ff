"""The cost of sealing personal data on the upsert path: the same upserts with and without personal data.

On one `ledger serve`, PAIRS pairs of runs, each pair one run without and one with personal data, the first
kind alternating from pair to pair: "without" names a linked user by id (a reference, stored as is), "with"
names a participant by email (sealed under the person's data key, found in or added to the key table). Each
pair's two runs share the machine's conditions of the moment, so its ratio cancels most of the drift of a
loaded machine; the figure is the median of the pairs' ratios, and every run is reported. Beside it, the
server's CPU time per upsert (user and system, projection runners included), which a busy machine slows far
less than it slows throughput: `encryption_cpu_cost_ratio` is the median of the pairs' extra CPU per upsert.
"""

from __future__ import annotations

import os
import statistics
from collections.abc import Callable
from typing import Any

import httpx

from bench.probes import run_load
from bench.slots import ENCRYPTION_DAY_BASE, SCALING_DAY_BASE

PAIRS = 4
DAYS_PER_RUN = (SCALING_DAY_BASE - ENCRYPTION_DAY_BASE) // (2 * PAIRS)
# Both runs of a pair fit in the time one upsert run takes elsewhere, so the phase takes as long as before.
RUN_SHARE = 0.5


def order(pairs: int = PAIRS) -> list[str]:
    """plain personal, personal plain, plain personal, ...: each kind runs first in half the pairs."""
    return [kind for n in range(pairs) for kind in (("plain", "personal"), ("personal", "plain"))[n % 2]]


def linked_user(base_url: str, admin_token: str, client_id: str) -> str:
    """A new user linked to the seed's client, through the admin API; its id."""
    headers = {"Authorization": f"Bearer {admin_token}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=30) as http:
        user = http.post("/api/v1/admin/users", json={"email": "bench-reference@example.com"})
        user.raise_for_status()
        user_id = str(user.json()["id"])
        http.post(f"/api/v1/admin/clients/{client_id}/users", json={"userId": user_id}).raise_for_status()
    return user_id


def measure(
    spec: Callable[..., dict[str, Any]],
    base_url: str,
    admin_token: str,
    client_id: str,
    add: Callable[..., None],
    problems: list[str],
    cpu_seconds: Callable[[], float],
) -> None:
    """Run the alternating upsert loads and add the figures; `cpu_seconds` reads the server's CPU time."""
    participant = {"userId": linked_user(base_url, admin_token, client_id)}
    runs: list[tuple[str, dict[str, Any]]] = []
    base = spec("upsert", ENCRYPTION_DAY_BASE)
    seconds = base["seconds"] * RUN_SHARE
    load_before = os.getloadavg()[0]
    for index, kind in enumerate(order()):
        extra: dict[str, Any] = {"tag": f"enc-{kind}-{index}-{base['tag']}", "seconds": seconds}
        if kind == "plain":
            extra["participant"] = participant
        cpu_before = cpu_seconds()
        result = run_load(spec("upsert", ENCRYPTION_DAY_BASE + index * DAYS_PER_RUN, **extra))
        # The warm-up's requests are not counted: taken at the window's rate, as both kinds are.
        served = result["requests_per_second"] * (seconds + base["warmup_seconds"])
        result["cpu_ms"] = (cpu_seconds() - cpu_before) * 1000 / served if served else float("nan")
        if result["errors"] or result["setup_errors"]:
            problems.append(
                f"encryption cost ({kind}): {result['errors']} errors; {result['error_samples'][:3]}"
            )
        runs.append((kind, result))
    rates = {kind: [r["requests_per_second"] for k, r in runs if k == kind] for kind in ("plain", "personal")}
    pairs = [1 - personal / plain for plain, personal in zip(rates["plain"], rates["personal"], strict=True)]
    cpu = {kind: [r["cpu_ms"] for k, r in runs if k == kind] for kind in rates}
    cpu_pairs = [personal / plain - 1 for plain, personal in zip(cpu["plain"], cpu["personal"], strict=True)]
    p99 = {kind: max(r["p99_ms"] for k, r in runs if k == kind) for kind in rates}
    how = {
        "runs": " ".join(f"{kind}={r['requests_per_second']:.0f}/s,{r['cpu_ms']:.2f}ms" for kind, r in runs),
        "run_seconds": seconds,
        "load_average": f"{load_before:.2f} before, {os.getloadavg()[0]:.2f} after",
        "participant": "a linked user's id vs an email (1,000 distinct)",
    }
    add("upsert_plain_rps", statistics.median(rates["plain"]), "req/s", p99_ms=round(p99["plain"], 1), **how)
    add(
        "upsert_personal_rps",
        statistics.median(rates["personal"]),
        "req/s",
        p99_ms=round(p99["personal"], 1),
        **how,
    )
    add(
        "encryption_cost_ratio",
        statistics.median(pairs),
        "ratio",
        target=("<=", 0.10),
        what="how much slower upserts with personal data are than without (1 - with / without), the median "
        "over the pairs of runs",
        pairs=" ".join(f"{ratio:.3f}" for ratio in pairs),
    )
    add(
        "encryption_cpu_cost_ratio",
        statistics.median(cpu_pairs),
        "ratio",
        what="the extra server CPU time per upsert with personal data (with / without - 1), the median over "
        "the pairs of runs",
        pairs=" ".join(f"{ratio:.3f}" for ratio in cpu_pairs),
        cpu_ms_per_upsert=f"{statistics.median(cpu['plain']):.2f} without, "
        f"{statistics.median(cpu['personal']):.2f} with",
    )
