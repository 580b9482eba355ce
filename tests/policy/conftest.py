"""Shared fixtures for the engine tests: the fixture packs and their linters."""

from __future__ import annotations

import pytest
from policy_helpers import PACKS

import policy


@pytest.fixture(scope="session")
def basic_pack() -> policy.Pack:
    return policy.load_pack(PACKS / "basic")


@pytest.fixture(scope="session")
def linter(basic_pack: policy.Pack) -> policy.Linter:
    return policy.Linter(basic_pack)


@pytest.fixture(scope="session")
def child_pack() -> policy.Pack:
    return policy.load_pack(PACKS / "child")
