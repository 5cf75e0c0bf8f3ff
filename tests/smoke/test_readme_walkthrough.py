"""The README's walk-through, run as written against `ledger serve` paying through Stripe's stand-in."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.payments_support import paid_environment
from tests.reliability.processes import ledger_served
from tests.stripe_stand_in import StripeStandIn

README = Path(__file__).resolve().parents[2] / "README.md"
SHELL_BLOCK = re.compile(r"```sh\n(.*?)```", re.DOTALL)
LOCAL_LEDGER = "L=http://127.0.0.1:8000"
VENUE_ACCOUNT = re.compile(r'"stripeAccountId": "(acct_[A-Za-z0-9]+)"')


def walkthrough_script(url: str) -> str:
    """The README's shell blocks that call the ledger, in order, pointed at `url`, stopping at a failure."""
    blocks = [block for block in SHELL_BLOCK.findall(README.read_text()) if "$L/" in block]
    script = "\n".join(blocks)
    if LOCAL_LEDGER not in script:
        raise AssertionError(f"the README's walk-through no longer sets {LOCAL_LEDGER}")
    return "set -euo pipefail\n" + script.replace(LOCAL_LEDGER, f"L={url}")


def test_the_readmes_walkthrough_runs_as_written_and_every_call_succeeds(
    database_url: str, tmp_path: Path, stand_in: StripeStandIn
) -> None:
    environment = paid_environment(stand_in.url)
    with ledger_served(database_url, "readme", tmp_path / "data", environment) as served:
        # The walk-through reads the admin token where `make run` keeps it.
        (tmp_path / ".ledger").mkdir()
        (tmp_path / ".ledger" / "admin-token").write_text(served.admin_token)
        result = subprocess.run(
            ["bash", "-c", walkthrough_script(served.server.url)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "HTTP/1.1 201" in output, output
    assert '"error' not in output, output
    # The payment intent of the 37.50 booking, asked of the provider on the venue's account.
    [account] = VENUE_ACCOUNT.findall(README.read_text())
    [intent] = stand_in.intents_created()
    assert (intent.form["amount"], intent.form["currency"]) == ("3750", "eur")
    assert intent.headers["stripe-account"] == account
    assert '"amount":"37.50"' in output, output
