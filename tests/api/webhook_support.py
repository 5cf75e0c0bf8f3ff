"""Helpers of the webhook delivery tests: subscriptions to local receivers, the README's recipe to verify."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.support import Tenant, expect, wait_until

WEBHOOKS = "/api/v1/webhooks"
README = Path(__file__).resolve().parents[2] / "README.md"
Verify = Callable[[str, dict[str, str], bytes], bool]


def subscribe(tenant: Tenant, url: str, types: list[str] | None = None) -> dict[str, Any]:
    """A subscription of the tenant's client (with its secret)."""
    body = {"url": url, **({"types": types} if types is not None else {})}
    created: dict[str, Any] = expect(tenant.http.post(WEBHOOKS, json=body, headers=tenant.headers), 201)
    return created


def webhook(tenant: Tenant, webhook_id: str) -> dict[str, Any]:
    found: dict[str, Any] = expect(tenant.http.get(f"{WEBHOOKS}/{webhook_id}", headers=tenant.headers), 200)
    return found


def deliveries(tenant: Tenant, webhook_id: str, **params: Any) -> list[dict[str, Any]]:
    path = f"{WEBHOOKS}/{webhook_id}/deliveries"
    page: dict[str, Any] = expect(tenant.http.get(path, params=params, headers=tenant.headers), 200)
    listed: list[dict[str, Any]] = page["deliveries"]
    return listed


def wait_for_log(tenant: Tenant, webhook_id: str, done: Callable[[list[dict[str, Any]]], bool]) -> list[Any]:
    """The delivery log once `done` holds for it (the worker records an answer just after it arrives)."""
    seen: list[list[dict[str, Any]]] = [[]]

    def check() -> bool:
        seen[0] = deliveries(tenant, webhook_id)
        return done(seen[0])

    wait_until(check, 20, f"the delivery log of {webhook_id} to settle: {seen[0]}")
    return seen[0]


def readme_verifier() -> Verify:
    """`verify_delivery` as the README's recipe defines it, run from the README's own text."""
    text = README.read_text()
    section = text[text.index("#### Deliveries, and verifying one") :]
    source = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert source is not None, "the README has no verification recipe"
    namespace: dict[str, Any] = {}
    exec(compile(source.group(1), "README.md", "exec"), namespace)  # noqa: S102 - the README's own recipe
    verify: Verify = namespace["verify_delivery"]
    return verify
