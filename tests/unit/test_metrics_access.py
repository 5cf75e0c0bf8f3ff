"""Who reads /metrics without a token: callers from LEDGER_METRICS_NETWORKS, parsed from a list of ranges."""

from __future__ import annotations

from ipaddress import ip_network

import pytest
from pydantic import ValidationError

from api.operations.surface import in_networks
from ledger.settings import Settings

NETWORKS = (ip_network("10.0.0.0/8"), ip_network("fd00::/8"))


def test_the_address_ranges_are_read_from_a_comma_separated_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDGER_METRICS_NETWORKS", "10.0.0.0/8, fd00::/8,127.0.0.1")

    assert Settings().metrics_networks == (*NETWORKS, ip_network("127.0.0.1/32"))


def test_no_range_is_open_by_default() -> None:
    assert Settings().metrics_networks == ()


@pytest.mark.parametrize("value", ["10.0.0.1/8", "not-a-network", "10.0.0.0/33"])
def test_a_malformed_range_is_refused_at_start(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("LEDGER_METRICS_NETWORKS", value)

    with pytest.raises(ValidationError, match="metrics_networks"):
        Settings()


@pytest.mark.parametrize(
    ("address", "inside"),
    [
        ("10.1.2.3", True),
        ("fd12::1", True),
        ("::ffff:10.1.2.3", True),
        ("11.0.0.1", False),
        ("127.0.0.1", False),
        ("unknown", False),
        ("", False),
    ],
)
def test_a_caller_is_inside_when_its_address_lies_in_a_range(address: str, inside: bool) -> None:
    assert in_networks(address, NETWORKS) is inside


def test_no_caller_is_inside_no_range() -> None:
    assert not in_networks("127.0.0.1", ())
