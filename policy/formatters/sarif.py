"""SARIF 2.1.0 output that embeds each rule's docs and states its column unit (code points)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..docs import md_text
from ..model import Finding, Rule
from ..spans import end_line_col

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def rule_descriptor(rule: Rule, lang: str) -> dict[str, Any]:
    """The reportingDescriptor of one rule, with its docs as help text and markdown."""
    doc = {k: v.get(lang) or v.get("vi", "") for k, v in rule.doc.items()}
    legal = rule.legal_basis_text(lang)
    bad = next((e for e in rule.examples if e.kind == "bad"), None)
    good = next((e for e in rule.examples if e.kind == "good"), None)
    md = [
        f"## {rule.code} {rule.name}",
        "",
        f"**What it does**: {md_text(doc['what'])}",
        "",
        f"**Why is this bad?** {md_text(doc['why'])}",
        "",
        f"**Instead**: {md_text(doc['instead'])}",
    ]
    if bad:
        md += ["", f"**Example**: `{bad.marked}`"]
    if good:
        md += ["", f"**Fine**: `{good.text}`"]
    if legal:
        md += ["", "**Legal basis**: " + md_text("; ".join(legal))]
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": doc["what"]},
        "fullDescription": {"text": f"{doc['what']} {doc['why']}"},
        "help": {
            "text": f"{doc['what']}\n{doc['why']}\n{doc['instead']}",
            "markdown": "\n".join(md),
        },
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
        "properties": {
            "category": rule.category,
            "tags": [rule.category],
            "legal_basis": list(legal),
        },
    }


def artifact_uri(path: str) -> str:
    """The URI of a checked file, percent-encoded (spaces, "#", Vietnamese letters).

    An absolute path becomes a file:// URI: a bare "/home/…/draft.txt" is a relative reference,
    which code scanning resolves against the repository root. A relative one stays relative, with
    "/" separators (a Windows path's "\\" too), so it names the file in the repository.
    """
    if path == "-":
        return "stdin"
    p = Path(path)
    return p.as_uri() if p.is_absolute() else quote(p.as_posix(), safe="/")


def _region(f: Finding) -> dict[str, Any]:
    """The finding's text region, by lines and columns and by offsets (both in code points).

    Without endLine/endColumn SARIF reads a region as running to the end of its line, and
    viewers highlight all of it; the end is the match's, counted over its own text (lines break
    at "\n", "\r\n" or a lone "\r", as `Finding.line` counts them: `policy/spans.py`).
    """
    end_line, end_column = end_line_col(f.text, f.line, f.column)
    return {
        "startLine": f.line,
        "startColumn": f.column,
        "endLine": end_line,
        "endColumn": end_column,  # the column after the region's last char
        "charOffset": f.start,
        "charLength": f.end - f.start,
        "snippet": {"text": f.text},
    }


def _invocation(notifications: Sequence[tuple[str, str, str]]) -> dict[str, Any]:
    invocation: dict[str, Any] = {
        "executionSuccessful": all(level != "error" for level, _, _ in notifications)
    }
    if notifications:
        invocation["toolExecutionNotifications"] = [
            {
                "level": level,
                "message": {"text": text},
                "locations": [
                    {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(path)}}}
                ],
            }
            for level, path, text in notifications
        ]
    return invocation


def format_sarif(
    results: Iterable[tuple[str, Sequence[Finding]]],
    rules: Sequence[Rule],
    *,
    lang: str = "vi",
    version: str = "",
    pack_id: str = "",
    pack_version: str = "",
    notifications: Sequence[tuple[str, str, str]] = (),
) -> str:
    """A SARIF log with one run; every rule of the pack is described in tool.driver.rules.

    `notifications` are (level, path, message) of what went wrong while checking: a file that
    could not be read ("error": the run was not successful) or a draft whose results are
    incomplete ("warning"). Without them a log would read as a full, clean check of every file.
    """
    index = {r.code: i for i, r in enumerate(rules)}
    sarif_results = []
    artifacts: list[dict[str, Any]] = []
    for path, findings in results:
        uri = artifact_uri(path)
        artifacts.append({"location": {"uri": uri}})
        for f in findings:
            sarif_results.append(
                {
                    "ruleId": f.code,
                    "ruleIndex": index.get(f.code, -1),
                    "level": _LEVELS[f.severity],
                    "message": {"text": f.message},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": uri},
                                "region": _region(f),
                            }
                        }
                    ],
                    "properties": {
                        "name": f.name,
                        "category": f.category,
                        "suggestions": list(f.suggestions),
                        "utf16": {"offset": f.offset, "length": f.length},
                        **({"frame": f.frame} if f.frame else {}),
                    },
                }
            )
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "rasoat",
                        "version": version,
                        "rules": [rule_descriptor(r, lang) for r in rules],
                        "properties": {"pack": pack_id, "packVersion": pack_version},
                    }
                },
                "invocations": [_invocation(notifications)],
                "columnKind": "unicodeCodePoints",
                "artifacts": artifacts,
                "results": sarif_results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
