"""PostgreSQL stops and returns: `/ready` answers 503 naming the database meanwhile, metrics stay readable."""

from __future__ import annotations

import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from api.app import create_app
from ledger.runtime import open_runtime
from ledger.settings import Settings
from tests.reliability.processes import EmbeddedPostgres
from tests.support import ServerThread, wait_until

# Long enough for the database monitor to notice the outage and the pools to give up on it.
NOTICE_SECONDS = 30.0
# Every /ready answers within its bound; the client allows that and a good margin more.
CLIENT_TIMEOUT = 10.0


@pytest.fixture
def cluster() -> Iterator[EmbeddedPostgres]:
    # Not under tmp_path: the cluster runs as another system user that must reach its data directory.
    root = Path(tempfile.mkdtemp(prefix="ledger-ready-"))
    cluster = EmbeddedPostgres(root)
    try:
        cluster.start()
        yield cluster
    finally:
        try:
            cluster.close()
        finally:
            shutil.rmtree(root, ignore_errors=True)


def database_up(http: httpx.Client, admin: dict[str, str]) -> float:
    text = http.get("/metrics", headers=admin).text
    families = {family.name: family for family in text_string_to_metric_families(text)}
    return families["ledger_database_up"].samples[0].value


def test_ready_names_the_database_while_it_is_down_and_recovers_when_it_returns(
    cluster: EmbeddedPostgres, tmp_path: Path
) -> None:
    token = secrets.token_urlsafe(24)
    admin = {"Authorization": f"Bearer {token}"}
    settings = Settings(
        database_url=cluster.url, data_dir=tmp_path, admin_token=SecretStr(token), ready_timeout_seconds=1
    )
    answers: list[httpx.Response] = []

    def ready_is(status: int) -> bool:
        answers.append(http.get("/ready"))
        return answers[-1].status_code == status

    with (
        open_runtime(settings, announce=lambda _: None) as runtime,
        ServerThread(create_app(runtime=runtime)) as server,
        httpx.Client(base_url=server.url, timeout=CLIENT_TIMEOUT) as http,
    ):
        assert ready_is(200)
        cluster.stop_database()
        try:
            wait_until(lambda: ready_is(503), NOTICE_SECONDS, "/ready to answer 503")
            down = answers[-1].json()
            up_while_down = database_up(http, admin)
        finally:
            cluster.start_database()
        wait_until(lambda: ready_is(200), NOTICE_SECONDS, "/ready to answer 200 again")
        up_again = database_up(http, admin)

    assert down["status"] == "unready"
    assert down["failed"] == ["database"]
    assert {answer.status_code for answer in answers} <= {200, 503}
    assert (up_while_down, up_again) == (0, 1)
