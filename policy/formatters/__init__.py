"""Serialisers shared by the CLI and the service: text, JSON and SARIF 2.1.0."""

from __future__ import annotations

FORMATS = ("text", "json", "sarif")
