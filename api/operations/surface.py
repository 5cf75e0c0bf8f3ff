"""The operations surface: `/metrics`, for the admin token or a caller from a configured address range."""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network, ip_address

from fastapi import Request

from api.admin.deps import require_admin
from api.admin.surface import SURFACE as ADMIN
from api.shared.auth import client_address
from api.shared.envelope import ENVELOPE
from api.shared.errors import COMMON_TYPES
from api.shared.surface import Surface
from domain.context import Principal
from ledger.runtime import Runtime

SCRAPER = Principal(id="metrics-network", kind="network")
"""A caller admitted by its address (LEDGER_METRICS_NETWORKS) rather than by a token."""


def in_networks(address: str, networks: tuple[IPv4Network | IPv6Network, ...]) -> bool:
    try:
        parsed = ip_address(address)
    except ValueError:  # no address at all ("unknown"), or a unix socket's name
        return False
    if parsed.version == 6 and parsed.ipv4_mapped is not None:
        parsed = parsed.ipv4_mapped
    return any(parsed in network for network in networks)


def metrics_principal(request: Request, runtime: Runtime) -> Principal:
    """A caller from one of the configured address ranges, or else the admin by the admin token."""
    networks: tuple[IPv4Network | IPv6Network, ...] = request.app.state.metrics_networks
    if in_networks(client_address(request), networks):
        return SCRAPER
    return require_admin(request, runtime)


SURFACE = Surface(
    name="operations",
    errors=COMMON_TYPES,
    format=ENVELOPE,
    auth=metrics_principal,
    # Refused as the admin API refuses a caller without the admin token.
    common=ADMIN.common,
    paths=("/metrics",),
)
