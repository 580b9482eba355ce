"""Session fixtures for the end-to-end tests: fixture server, the real service, Chromium."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e import harness


@pytest.fixture(scope="session")
def fixture_server() -> Iterator[harness.FixtureServer]:
    harness.require_fixture_build()
    with tempfile.TemporaryDirectory(prefix="rasoat-e2e-") as tmp:
        server = harness.start_fixture_server(Path(tmp))
        try:
            yield server
        finally:
            server.close()


@pytest.fixture(scope="session")
def service() -> Iterator[harness.Service]:
    svc = harness.Service()
    svc.start()
    try:
        yield svc
    finally:
        svc.stop()


@pytest.fixture(scope="session")
def playwright_instance():  # noqa: ANN201
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p
