"""Which URLs a webhook may deliver to: https to public hosts; loopback only where the ledger allows it."""

from __future__ import annotations

import pytest

from domain.webhooks import InvalidWebhookUrlError, check_webhook_url


@pytest.mark.parametrize(
    "url",
    [
        "https://partner.example.com/hooks",
        "https://partner.example.com:8443/hooks?source=ledger",
        "https://93.184.215.14/hooks",
    ],
)
def test_https_urls_of_public_hosts_are_accepted(url: str) -> None:
    assert check_webhook_url(url, allow_loopback=False) == url


@pytest.mark.parametrize(
    "url",
    [
        "http://partner.example.com/hooks",
        "ftp://partner.example.com/hooks",
        "partner.example.com/hooks",
        "https:///hooks",
        "https://user:pass@partner.example.com/hooks",
        "https://partner.example.com/hooks#part",
        "https://partner.example.com/ho oks",
        "https://partner.example.com:99999/hooks",
        "https://10.0.0.7/hooks",
        "https://169.254.169.254/latest/meta-data",
        "https://[fd00::1]/hooks",
        "https://0.0.0.0/hooks",
        "https://127.0.0.1/hooks",
        "http://localhost:8080/hooks",
        "https://" + "a" * 2050 + ".example.com/",
    ],
)
def test_other_urls_are_refused(url: str) -> None:
    with pytest.raises(InvalidWebhookUrlError):
        check_webhook_url(url, allow_loopback=False)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hooks",
        "http://localhost:9000/",
        "https://[::1]:8443/hooks",
        "http://127.5.0.1/",
    ],
)
def test_loopback_urls_over_http_or_https_are_accepted_where_allowed(url: str) -> None:
    assert check_webhook_url(url, allow_loopback=True) == url


def test_allowing_loopback_does_not_allow_plain_http_elsewhere() -> None:
    with pytest.raises(InvalidWebhookUrlError):
        check_webhook_url("http://partner.example.com/hooks", allow_loopback=True)
