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
    try:
        svc.start()
        yield svc
    finally:
        svc.close()


# Per module, not per session: only one sync Playwright may run at a time in a process, and other
# suites (tests/server) start their own after these modules end.
@pytest.fixture(scope="module")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def ext(playwright_instance, fixture_server, service):
    """One Chromium with the unpacked extension per test module, pointed at the real service,
    with a short debounce so the tests don't wait on the 400 ms default."""
    from tests.e2e import pages

    ctx = harness.launch_chromium(playwright_instance, fixture_server.port)
    try:
        pages.configure(ctx, serviceUrl=service.url, debounceMs=100)
        yield ctx
    finally:
        harness.close_chromium(ctx)
