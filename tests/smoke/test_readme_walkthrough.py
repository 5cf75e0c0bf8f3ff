"""The README's walk-through, run as written against `ledger serve`: each shell block that calls it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.reliability.processes import ledger_served

README = Path(__file__).resolve().parents[2] / "README.md"
SHELL_BLOCK = re.compile(r"```sh\n(.*?)```", re.DOTALL)
LOCAL_LEDGER = "L=http://127.0.0.1:8000"


def walkthrough_script(url: str) -> str:
    """The README's shell blocks that call the ledger, in order, pointed at `url`, stopping at a failure."""
    blocks = [block for block in SHELL_BLOCK.findall(README.read_text()) if "$L/" in block]
    script = "\n".join(blocks)
    if LOCAL_LEDGER not in script:
        raise AssertionError(f"the README's walk-through no longer sets {LOCAL_LEDGER}")
    return "set -euo pipefail\n" + script.replace(LOCAL_LEDGER, f"L={url}")


def test_the_readmes_walkthrough_runs_as_written_and_every_call_succeeds(
    database_url: str, tmp_path: Path
) -> None:
    with ledger_served(database_url, "readme", tmp_path / "data") as served:
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
