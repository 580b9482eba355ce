"""The phrase matcher's fast paths give exactly what its general checks give."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policy
from policy.matcher import _WHITESPACE_RUN, PhraseMatcher
from policy.normalize import (
    _MARKED_RE,
    DIACRITIC_TEXT_RATIO,
    FOLD_TABLE,
    collapse_spaces,
    normalize,
    typed_with_marks,
)

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def matcher() -> PhraseMatcher:
    return policy.load_pack(None).compiled.matcher


def _drafts() -> list[str]:
    texts = []
    for path in sorted(CORPUS.glob("dev-*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    return texts


def test_plainly_typed_obfuscation_phrases_pass_the_letter_check(matcher):
    """`plain` / `plain_folded` skip Term.accepts_letters: each must be a draft it accepts."""
    terms = [t for t in matcher._terms.values() if t.obfuscated]
    assert sum(t.plain is not None for t in terms) > 100  # the shipped packs use the fast path
    for term in terms:
        for typed in (term.plain, term.plain_folded):
            if typed is not None:
                assert term.accepts_letters(typed), (term.words, typed)


def test_unmarked_fast_path_is_withheld_where_folding_makes_a_repeat(matcher):
    """'cứu' typed 'cuu' collapses to 'cu' in the letter check: the fast path must not say yes."""
    m = PhraseMatcher()
    m.add("cứu tôi", "t", obfuscation=True)
    m.add("bán nick", "u", obfuscation=True)
    m.build()
    by_words = {t.words: t for t in m._terms.values()}
    assert by_words[("cứu", "tôi")].plain_folded is None
    assert not by_words[("cứu", "tôi")].accepts_obfuscated("cuu toi")
    assert by_words[("bán", "nick")].plain_folded == "ban nick"


def test_exact_keys_find_what_the_diacritics_check_finds(matcher):
    """In drafts typed with diacritics, the exact automaton (no per-hit check) and the folded
    automaton with Term.accepts give the same hits, on every marked draft of the dev corpus."""
    compared = 0
    for text in _drafts():
        norm = normalize(text).text
        low = norm.lower()
        folded = low.translate(FOLD_TABLE)
        if not typed_with_marks(low, folded):
            continue
        compact = collapse_spaces(folded)
        exact = low if compact.starts is None else _WHITESPACE_RUN.sub(" ", low)
        assert len(exact) == len(compact.text)
        fast: dict = {}
        matcher._scan_exact(compact, exact, fast)
        if len(matcher._cased):
            matcher._scan_words(matcher._cased, compact, norm, low, fast, True)
        general: dict = {}
        matcher._scan_words(matcher._plain, compact, norm, low, general, True)

        def flat(groups: dict) -> list:
            return sorted(
                (span, repr(target))
                for route, spans in groups.items()
                for target in matcher._routes[route]
                for span in spans
            )

        assert flat(fast) == flat(general), text[:80]
        compared += 1
    assert compared > 1000


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("bán acc fb", True),
        ("(bán acc)", True),
        ("*bán acc*", False),  # a starred word is not the word
        ("*bán acc fb", True),
        ("bán acc_", False),
        ("bán.acc", False),  # the word view reads "." as a space; the draft does not
        ("bán\nacc", True),  # a sentence running on across a line break reads as one line
        ("bán\nAcc", False),  # a new line (a capital) keeps its break
        ("bán:\nacc", False),
        ("bán   acc", True),  # runs of spaces collapse
        ("bán\u00a0\u00a0acc", True),
        ("xbán acc", False),
        ("ban acc", True),  # typed without diacritics: the folded keys and their checks
        ("ban acc*", False),
        ("*ban acc!", True),
        ("ban,acc", False),
    ],
)
def test_whole_word_edges(text, found):
    m = PhraseMatcher()
    m.add("bán acc", "t")
    m.build()
    norm = normalize(text).text
    low = norm.lower()
    assert bool(m.collect(norm, low, low.translate(FOLD_TABLE))) is found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("#bannick giá rẻ", True),
        ("Rao bán #bannick", True),
        ("(#bannick)", True),
        ("Giá tốt!#bannick", True),  # after punctuation: a hashtag, as platforms read it
        ("##bannick", True),
        ("bán nick\n#bannick", True),
        ("a#bannick", False),  # glued after a letter: no platform reads a hashtag there
        ("nick9#bannick", False),
        ("x_#bannick", False),
        ("#bannickx", False),
        ("#BANNICK", True),
    ],
)
@pytest.mark.parametrize("obfuscation", [False, True])
def test_a_hashtag_phrase_starts_at_a_word_edge(text, found, obfuscation):
    """A `#`-led phrase is a hashtag: it matched glued after a letter ("a#bannick"), where no
    platform starts one; it now needs a word edge before its `#`, as a word needs one."""
    m = PhraseMatcher()
    m.add("#bannick", "t", obfuscation=obfuscation)
    m.build()
    norm = normalize(text).text
    low = norm.lower()
    hits = m.collect(norm, low, low.translate(FOLD_TABLE))
    assert bool(hits) is found
    if found:
        ((start, end),) = [span for spans in hits.values() for span in spans]
        assert norm[start:end].lower() == "#bannick"


def _marked_by_definition(low: str) -> bool:
    """typed_with_marks as documented: marked letters against words, both counted plainly."""
    words = len(low.split())
    marked = len(_MARKED_RE.findall(low))
    return words > 0 and marked >= DIACRITIC_TEXT_RATIO * words


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "đi",
        "tôi đi học",
        "toi di hoc va đi",
        "a b c d e f g h i j k l m n o p q r s t u v w x y z đ",
        "Đi\n\nhọc",
        "đi\x1chọc\x85rồi\u2028về\u2029nhà a b c",
        "đ\u3000\u00a0\u2009a\tb\rc\fd\ve",
        "İstanbul đi",
        "ĐI İ İ İ",
    ],
)
def test_typed_with_marks_counts_words_right(text):
    """The shortcut (an upper bound on words from the whitespace count) changes no verdict."""
    low = normalize(text).text.lower()
    assert typed_with_marks(low, low.translate(FOLD_TABLE)) is _marked_by_definition(low)
    assert typed_with_marks(low) is _marked_by_definition(low)


def test_typed_with_marks_on_the_corpus():
    """Same on every dev draft (most typed with diacritics, some without, some mixed)."""
    for text in _drafts():
        low = normalize(text).text.lower()
        assert typed_with_marks(low, low.translate(FOLD_TABLE)) is _marked_by_definition(low)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=list("ađệờäąőİ? \n\x1c\x85\u2028\u00a0\u3000😀жB.ẢÀ"), max_size=60))
def test_typed_with_marks_counts_by_bytes_as_by_definition(text):
    """Marked letters counted off the bytes (in the table or not) and the rare spaces spotted
    there give the documented verdict."""
    low = text.lower() if len(text.lower()) == len(text) else text
    assert typed_with_marks(low, low.translate(FOLD_TABLE)) is _marked_by_definition(low)
