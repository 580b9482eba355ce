"""Fixtures for the service tests: a Flask app on the real default pack, and drafts taken from
the pack's own examples (so the tests follow the rules as they change, with nothing hard-coded)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

import policy
from tests.server.helpers import SPEC, make_app


@pytest.fixture()
def app():
    """A fresh app, for tests that change it."""
    return make_app()


@pytest.fixture(scope="session")
def shared_app():
    # Stateless and read-only in use, so one app serves every client test (a pack load each
    # would dominate the suite's time).
    return make_app()


@pytest.fixture()
def client(shared_app):
    return shared_app.test_client()


@dataclass(frozen=True)
class Example:
    code: str
    category: str
    text: str
    start: int  # code points
    end: int


def _bad_examples(pack) -> list[Example]:
    linter = policy.Linter(pack)
    found = []
    for rule in pack.rules:
        if rule.status != "stable":
            continue
        for example in rule.examples:
            if example.kind != "bad" or example.span is None:
                continue
            hits = [f for f in linter.check(example.text) if f.code == rule.code]
            if any((f.start, f.end) == example.span for f in hits):
                found.append(Example(rule.code, rule.category, example.text, *example.span))
    return found


@pytest.fixture(scope="session")
def default_pack():
    return policy.load_pack(SPEC)


@pytest.fixture(scope="session")
def bad_examples(default_pack) -> list[Example]:
    examples = _bad_examples(default_pack)
    assert examples, "the default pack has no bad example that fires at its marked span"
    return examples


@pytest.fixture(scope="session")
def bad(bad_examples) -> Example:
    """One bad example of the default pack that fires where its marker says."""
    return bad_examples[0]


@pytest.fixture(scope="session")
def two_categories(bad_examples) -> tuple[Example, Example]:
    """Two bad examples of different categories (for filter tests)."""
    first = bad_examples[0]
    other = next((e for e in bad_examples if e.category != first.category), None)
    assert other is not None, "the default pack's examples cover only one category"
    return first, other


@pytest.fixture()
def pack_copy(tmp_path, default_pack) -> Path:
    """A private copy of a shipped pack without parents, for reload tests to edit."""
    source = Path(default_pack.path)
    base = (
        source
        if default_pack.extends is None
        else Path(policy.load_pack(default_pack.extends).path)
    )
    target = tmp_path / base.name
    shutil.copytree(base, target)
    return target
