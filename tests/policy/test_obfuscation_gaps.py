"""Obfuscation phrases: spaced-out letters, apostrophes and digits glued to letters."""

from __future__ import annotations

import pytest
from policy_helpers import write_pack

import policy


@pytest.fixture(scope="module")
def linter(tmp_path_factory):
    phrases = ["bán nick", "they don't want you to know", "3que", "3 que", "bm350"]
    folder = write_pack(
        tmp_path_factory.mktemp("gaps"),
        matcher=f"phrases = {phrases!r}\nobfuscation = true".replace("'", '"').replace(
            '"they don"t', "\"they don't"
        ),
    )
    return policy.Linter(policy.load_pack(folder))


def spans(linter: policy.Linter, text: str) -> list[str]:
    found = linter.check(text)
    assert all(text[f.start : f.end] == f.text for f in found)
    return [f.text for f in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("b á n  n i c k fb", ["b á n  n i c k"]),  # a wider gap separates the words
        ("b a n   n i c k", ["b a n   n i c k"]),
        ("b á n n i c k fb", ["b á n n i c k"]),  # one gap width: the whole phrase spelled out
        ("b.á.n.n.i.c.k", ["b.á.n.n.i.c.k"]),
        ("b á n nick", ["b á n nick"]),
        ("b.á.n n.i.c.k", ["b.á.n n.i.c.k"]),
        ("bánnick", []),  # glued words are not spelled out letter by letter
        ("b ạ n  n i c k", []),  # a letter typed with another mark is another word
        ("Em đi học, o a e b c d ạ", []),  # ordinary one-letter words stay quiet
        ("a  b á n  n", []),
    ],
)
def test_spaced_out_letters(linter, text, expected):
    assert spans(linter, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("they don't want you to know this", ["they don't want you to know"]),
        ("They don’t want you to know", ["They don’t want you to know"]),  # typographic
        ("they dont want you to know", ["they dont want you to know"]),
        ("they d.o.n.t want you to know", ["they d.o.n.t want you to know"]),
        ("they do want you to know", []),
    ],
)
def test_apostrophes(linter, text, expected):
    assert spans(linter, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bọn 3que", ["3que"]),
        ("bọn 3 que", ["3 que"]),
        ("bọn 3qu3", ["3qu3"]),  # a letter may still be typed as its digit
        ("bọn eque", []),  # the pattern's digit must be typed as that digit
        ("bán BM350 giá rẻ", ["BM350"]),
        ("bán bme50", []),
    ],
)
def test_digits_glued_to_letters(linter, text, expected):
    assert spans(linter, text) == expected
