"""Helpers shared by the service tests."""

from __future__ import annotations

import os
from pathlib import Path

from server import create_app

# The pack these tests serve (None: the shipped default). TEMPORARY: the engine's fixture pack,
# while the shipped packs are still being written.
SPEC = os.environ.get("RASOAT_TEST_PACK") or str(Path(__file__).parents[1] / "fixtures/packs/basic")


def make_app(**config):
    """The app as tests use it: testing mode, pack watching off unless asked, the test pack."""
    return create_app({"TESTING": True, "RELOAD_INTERVAL": 0, "PACK": SPEC, **config})


def utf16_len(text: str) -> int:
    """Reference UTF-16 length, independent of the engine's conversions."""
    return len(text.encode("utf-16-le")) // 2


def assert_error(response, status: int, code: str, field: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert error.get("field") == field
    assert "Traceback" not in response.get_data(as_text=True)
    return error
