"""The Dockerfile, compose.yaml and the proxy's config agree with each other, the CLI and the README."""

from __future__ import annotations

import json
import re
import shlex
from ipaddress import ip_address, ip_network
from pathlib import Path
from typing import Any

import pytest
import yaml

import domain
from ledger.cli import build_parser
from ledger.settings import Settings

ROOT = Path(domain.__file__).parent.parent
SECTION = "## Running it in containers"
PROJECTIONS_COMMAND = ["ledger", "projections", "run"]


def readme_section() -> str:
    text = (ROOT / "README.md").read_text()
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    return text[start : end if end != -1 else len(text)]


def readme_services() -> dict[str, str]:
    """The services the README's table names, each with the row that describes it."""
    rows = [line for line in readme_section().splitlines() if line.startswith("| `")]
    return {row.split("`")[1]: row for row in rows}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return loaded


def image_command() -> list[str]:
    """The command of the Dockerfile's image: its last CMD, in exec form."""
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    [cmd, *_] = [line for line in reversed(lines) if line.startswith("CMD ")]
    command: list[str] = json.loads(cmd.removeprefix("CMD "))
    return command


def commands(compose: dict[str, Any]) -> dict[str, list[str]]:
    """What each service of the ledger's image runs: its own command, or the image's."""
    built = {name: service for name, service in compose["services"].items() if "build" in service}
    return {name: service.get("command") or image_command() for name, service in built.items()}


def test_the_compose_file_runs_exactly_the_services_the_readme_names(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == set(readme_services())
    assert {"postgres", "proxy", "projections"} <= set(compose["services"])


def test_the_dockerfile_runs_the_serve_command_the_readme_documents_and_the_cli_knows() -> None:
    command = image_command()

    # Inside a container, every interface: the container's network is the boundary.
    assert command == ["ledger", "serve", "--host", "0.0.0.0", "--port", "8000"]  # noqa: S104
    assert f"`{shlex.join(command)}`" in readme_section()
    assert build_parser().parse_args(command[1:]).command == "serve"


def test_each_ledger_service_runs_the_command_its_readme_row_names(compose: dict[str, Any]) -> None:
    rows = readme_services()

    for name, command in commands(compose).items():
        assert f"`{shlex.join(command)}`" in rows[name], name
        assert command[0] == "ledger", name
        assert build_parser().parse_args(command[1:]), name


def test_two_api_replicas_without_runners_and_one_projection_process(compose: dict[str, Any]) -> None:
    runs = commands(compose)
    apis = [name for name, command in runs.items() if command[:2] == ["ledger", "serve"]]
    projections = [name for name, command in runs.items() if command == PROJECTIONS_COMMAND]

    assert len(apis) == 2
    assert len(projections) == 1
    for name in apis:
        assert compose["services"][name]["environment"]["LEDGER_RUN_PROJECTIONS"] == "false"
    assert "It runs one projection process; more (`docker compose up --scale projections=2`)" in " ".join(
        readme_section().split()
    )


def test_every_ledger_setting_the_compose_file_sets_is_one_the_ledger_reads(compose: dict[str, Any]) -> None:
    known = {f"LEDGER_{name.upper()}" for name in Settings.model_fields}
    for service in compose["services"].values():
        names = {name for name in service.get("environment", {}) if name.startswith("LEDGER_")}
        assert names <= known, names - known


def test_the_proxy_sends_traffic_to_the_api_replicas_when_ready_and_keeps_metrics_inside(
    compose: dict[str, Any],
) -> None:
    proxy = compose["services"]["proxy"]
    [mount] = [volume for volume in proxy["volumes"] if volume.endswith(":/etc/caddy/Caddyfile:ro")]
    caddyfile = (ROOT / mount.split(":")[0]).read_text()
    upstreams = re.search(r"reverse_proxy ([^{]+)\{", caddyfile)
    apis = {name for name, command in commands(compose).items() if command[:2] == ["ledger", "serve"]}

    assert upstreams is not None
    assert set(upstreams.group(1).split()) == {f"{name}:8000" for name in apis}
    assert "health_uri /ready" in caddyfile
    assert re.search(r"handle /metrics \{\s*respond 404", caddyfile)


def test_the_replicas_trust_forwarded_addresses_from_the_proxy_alone(compose: dict[str, Any]) -> None:
    proxy_address = ip_address(compose["services"]["proxy"]["networks"]["ledger"]["ipv4_address"])
    for name in ("api-1", "api-2"):
        environment = compose["services"][name]["environment"]
        assert ip_address(environment["FORWARDED_ALLOW_IPS"]) == proxy_address
        metrics_networks = Settings(metrics_networks=environment["LEDGER_METRICS_NETWORKS"]).metrics_networks
        assert metrics_networks
        assert not any(proxy_address in network for network in metrics_networks)
    [subnet] = compose["networks"]["ledger"]["ipam"]["config"]
    assert proxy_address in ip_network(subnet["subnet"])
    assert proxy_address not in ip_network(subnet["ip_range"])


def test_the_image_is_slim_and_runs_as_a_user_without_privileges() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    bases = re.findall(r"^FROM (\S+)", dockerfile, re.MULTILINE)
    users = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)

    assert bases
    assert all(base.endswith("-slim") for base in bases)
    assert users
    assert users[-1] not in ("root", "0")
    assert re.search(r"pip install \.$", dockerfile, re.MULTILINE)
