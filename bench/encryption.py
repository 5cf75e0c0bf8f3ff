"""The cost of sealing personal data on the upsert path: the same upserts with and without personal data.

On one `ledger serve`, runs alternate (without, with, with, without) so that drift of the loaded machine
weighs on both alike: "without" names a linked user by id (a reference, stored as is), "with" names a
participant by email (sealed under the person's data key, which is found or created in the key table).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from bench.probes import run_load
from bench.slots import ENCRYPTION_DAY_BASE

ORDER = ("plain", "personal", "personal", "plain")
DAYS_PER_RUN = 400


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
) -> None:
    """Run the alternating upsert loads and add the figures."""
    participant = {"userId": linked_user(base_url, admin_token, client_id)}
    runs: dict[str, list[dict[str, Any]]] = {"plain": [], "personal": []}
    for index, kind in enumerate(ORDER):
        extra: dict[str, Any] = {"tag": f"enc-{kind}-{index}-{spec('upsert', ENCRYPTION_DAY_BASE)['tag']}"}
        if kind == "plain":
            extra["participant"] = participant
        result = run_load(spec("upsert", ENCRYPTION_DAY_BASE + index * DAYS_PER_RUN, **extra))
        if result["errors"] or result["setup_errors"]:
            problems.append(
                f"encryption cost ({kind}): {result['errors']} errors; {result['error_samples'][:3]}"
            )
        runs[kind].append(result)
    rates = {kind: sum(r["requests_per_second"] for r in done) / len(done) for kind, done in runs.items()}
    p99 = {kind: max(r["p99_ms"] for r in done) for kind, done in runs.items()}
    how = {"runs": " ".join(ORDER), "participant": "a linked user's id vs an email (1,000 distinct)"}
    add("upsert_plain_rps", rates["plain"], "req/s", p99_ms=round(p99["plain"], 1), **how)
    add("upsert_personal_rps", rates["personal"], "req/s", p99_ms=round(p99["personal"], 1), **how)
    add(
        "encryption_cost_ratio",
        1 - rates["personal"] / rates["plain"],
        "ratio",
        target=("<=", 0.10),
        what="how much slower upserts with personal data are than without (1 - with / without)",
    )
