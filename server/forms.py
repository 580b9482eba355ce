"""The request class: form bodies (LanguageTool's `/v2/check`) and query strings read as
Werkzeug reads them, escapes decoded in C, but bytes that are not UTF-8 a clear 400; a chunked
body read whole, so its size and framing get a clear 413 or 400.

Werkzeug parses an urlencoded body with `urllib.parse.parse_qsl`, whose `unquote` decodes each
`%XX` in a Python loop: ~170 µs for a 2,000-character Vietnamese draft (~900 escapes), a third of
what a LanguageTool check costs outside the engine. `unquote` below gives the same string in
~20 µs; `tests/server/test_forms.py` compares both, and the whole parser with Werkzeug's, on
generated bodies. Multipart bodies keep Werkzeug's parser.
"""

from __future__ import annotations

import io
import urllib.parse
from typing import IO, Any

import flask
import werkzeug.urls  # noqa: F401  (registers the error handler named below)
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import ClientDisconnected, HTTPException, RequestEntityTooLarge
from werkzeug.formparser import FormDataParser as _WerkzeugFormDataParser
from werkzeug.utils import cached_property

from server.errors import APIError

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

# Werkzeug's handler for bytes that are not UTF-8: it keeps them percent-encoded.
_ERRORS = "werkzeug.url_quote"


def unquote(value: str, errors: str = _ERRORS) -> str:
    """`urllib.parse.unquote(value, errors=errors)`, the escapes decoded in C."""
    if "%" not in value or not value.isascii():
        return urllib.parse.unquote(value, errors=errors)
    # `%XX` → `\xXX`, which the unicode_escape codec turns into U+00XX: the byte XX as a latin-1
    # character. Backslashes already there are doubled first, so the only escapes are ours.
    try:
        latin = (
            value.replace("\\", "\\\\").replace("%", "\\x").encode("ascii").decode("unicode_escape")
        )
    except UnicodeDecodeError:  # a `%` without two hex digits after it: the stdlib's own rules
        return urllib.parse.unquote(value, errors=errors)
    return latin.encode("latin-1").decode("utf-8", errors)


def parse_qsl(body: str, errors: str = _ERRORS) -> list[tuple[str, str]]:
    """`urllib.parse.parse_qsl(body, keep_blank_values=True, errors=errors)`; Werkzeug calls it
    with the `errors` default."""
    pairs = []
    for field in body.split("&") if body else ():
        if not field:
            continue
        name, _, value = field.partition("=")  # no `=`: a blank value
        pairs.append(
            (unquote(name.replace("+", " "), errors), unquote(value.replace("+", " "), errors))
        )
    return pairs


def parse_body(body: bytes, where: str = "The form body") -> list[tuple[str, str]]:
    """A form-encoded body's (or query string's) pairs; bytes that are not UTF-8, raw or
    escaped, are an error."""
    try:
        return parse_qsl(body.decode(), errors="strict")
    except UnicodeDecodeError:
        raise APIError(
            "invalid-form",
            f"{where} is not UTF-8; percent-encode the parameters as UTF-8.",
        ) from None


def looks_like_json(body: bytes) -> bool:
    """Whether a body is JSON rather than a form (a form's first name never starts so)."""
    return body.lstrip()[:1] in (b"{", b"[")


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
        # Bytes that are not UTF-8 are an error, raw or escaped. Werkzeug reads raw ones as an
        # empty form (the client would hear that `language` is missing) and keeps escaped ones
        # as `%E1` in the text, which shifts every offset after them.
        return stream, self.cls(parse_body(stream.read())), self.cls()

    def _parse_multipart(
        self,
        stream: IO[bytes],
        mimetype: str,
        content_length: int | None,
        options: dict[str, str],
    ) -> Any:
        # Werkzeug's, but a body it cannot parse (no boundary, cut short) is an error here rather
        # than an empty form, which would have the client hear that `language` is missing.
        try:
            return super()._parse_multipart(stream, mimetype, content_length, options)
        except ValueError:
            raise APIError(
                "invalid-form",
                "The multipart form body cannot be read (no boundary, or cut short).",
            ) from None


class Request(flask.Request):
    """Flask's request, reading form bodies with the parser above."""

    form_data_parser_class = FormDataParser

    @cached_property
    def args(self) -> MultiDict[str, str]:
        """The URL's query parameters, read as a form body is: bytes that are not UTF-8, raw or
        escaped, are an error (`invalid-form`). Werkzeug keeps escaped ones as text
        (`/v2/check?language=%E1` was the unknown language "%E1") and raised UnicodeDecodeError,
        a 500, on raw ones, on every route."""
        pairs = parse_body(self.query_string, "The query string")
        return self.parameter_storage_class(pairs)

    @cached_property
    def lt_form(self) -> MultiDict[str, str]:
        """The parameters of a LanguageTool request, read as LanguageTool reads them: a POST
        body is a form whatever its Content-Type, and the URL's query parameters are merged in,
        winning over the body's (LanguageToolHttpHandler.getRequestQuery puts the query's after
        the body's into one map; a name given twice in one of them: its last value, as a map
        keeps it).

        ltex-ls 16 labels its form body `application/json`; bare HTTP clients send none, and
        `fetch` with a string body says `text/plain`. A body that is JSON is no form: empty here,
        and `/v2/check` answers it with 415.
        """
        if self.mimetype in FORM_TYPES or self.method != "POST":
            form = self.form
        else:
            body = self.get_data()
            form = MultiDict() if looks_like_json(body) else MultiDict(parse_body(body))
        merged: MultiDict[str, str] = MultiDict()
        for source in (form, self.args):
            for name, values in source.lists():
                merged.setlist(name, values[-1:])
        return merged

    @cached_property
    def stream(self) -> IO[bytes]:
        """The body stream; a body without Content-Length (chunked) is read whole first.

        Werkzeug stops reading such a body at MAX_CONTENT_LENGTH without an error, so a long
        draft would arrive cut short (checked in part, or rejected as bad JSON) instead of
        getting 413. And a broken chunk raises the WSGI server's own error (gunicorn's
        `InvalidChunkSize`, …), which is no `OSError`, so it would surface as a 500.
        """
        limit = self.max_content_length
        if (
            self.shallow
            or self.content_length is not None
            or limit is None
            or "wsgi.input_terminated" not in self.environ  # no body to read: Werkzeug's answer
        ):
            return super().stream
        source = self.environ["wsgi.input"]
        body = bytearray()
        try:
            while chunk := source.read(64 * 1024):
                body += chunk
                if len(body) > limit:
                    raise RequestEntityTooLarge()
        except HTTPException:
            raise
        except OSError:
            raise ClientDisconnected() from None
        except Exception:  # the server's framing errors; their messages quote the body
            raise APIError(
                "invalid-body",
                "The request body's chunked transfer encoding is malformed.",
            ) from None
        return io.BytesIO(bytes(body))
