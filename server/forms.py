"""Form bodies (LanguageTool's `/v2/check`) read as Werkzeug reads them, escapes decoded in C.

Werkzeug parses an urlencoded body with `urllib.parse.parse_qsl`, whose `unquote` decodes each
`%XX` in a Python loop: ~170 µs for a 2,000-character Vietnamese draft (~900 escapes), a third of
what a LanguageTool check costs outside the engine. `unquote` below gives the same string in
~20 µs; `tests/server/test_forms.py` compares both, and the whole parser with Werkzeug's, on
generated bodies. Multipart bodies keep Werkzeug's parser.
"""

from __future__ import annotations

import urllib.parse
from typing import IO, Any

import flask
import werkzeug.urls  # noqa: F401  (registers the error handler named below)
from werkzeug.formparser import FormDataParser as _WerkzeugFormDataParser

# Werkzeug's handler for bytes that are not UTF-8: it keeps them percent-encoded.
_ERRORS = "werkzeug.url_quote"


def unquote(value: str) -> str:
    """`urllib.parse.unquote(value, errors="werkzeug.url_quote")`, the escapes decoded in C."""
    if "%" not in value or not value.isascii():
        return urllib.parse.unquote(value, errors=_ERRORS)
    # `%XX` → `\xXX`, which the unicode_escape codec turns into U+00XX: the byte XX as a latin-1
    # character. Backslashes already there are doubled first, so the only escapes are ours.
    try:
        latin = (
            value.replace("\\", "\\\\").replace("%", "\\x").encode("ascii").decode("unicode_escape")
        )
    except UnicodeDecodeError:  # a `%` without two hex digits after it: the stdlib's own rules
        return urllib.parse.unquote(value, errors=_ERRORS)
    return latin.encode("latin-1").decode("utf-8", _ERRORS)


def parse_qsl(body: str) -> list[tuple[str, str]]:
    """`urllib.parse.parse_qsl(body, keep_blank_values=True, errors=...)`, as Werkzeug calls it."""
    pairs = []
    for field in body.split("&") if body else ():
        if not field:
            continue
        name, _, value = field.partition("=")  # no `=`: a blank value
        pairs.append((unquote(name.replace("+", " ")), unquote(value.replace("+", " "))))
    return pairs


class FormDataParser(_WerkzeugFormDataParser):
    """Werkzeug's parser, with the urlencoded case through `parse_qsl` above."""

    def _parse_urlencoded(
        self,
        stream: IO[bytes],
        mimetype: str,
        content_length: int | None,
        options: dict[str, str],
    ) -> Any:
        # Werkzeug 3.1's own but for the parse_qsl it calls (the stream is already limited to
        # MAX_CONTENT_LENGTH); the tests compare the two parsers on the Werkzeug installed.
        items = parse_qsl(stream.read().decode())
        return stream, self.cls(items), self.cls()


class Request(flask.Request):
    """Flask's request, reading form bodies with the parser above."""

    form_data_parser_class = FormDataParser
