"""LanguageTool annotated text (`data`): plain-text offsets map back onto text and markup joined."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from server.languagetool import _annotation, _OffsetMap

TEXT = st.text(alphabet=st.sampled_from("ab đ😀 \n"), max_size=6)
MARKUP = st.sampled_from(["<b>", "</b>", "<br/>", "<p>", ""])
ITEM = st.one_of(
    st.builds(lambda t: {"text": t}, TEXT),
    st.builds(lambda m: {"markup": m}, MARKUP),
    st.builds(lambda m, i: {"markup": m, "interpretAs": i}, MARKUP, st.sampled_from(["", "\n\n"])),
)


def _reference(items):
    """For each plain character: its original index if it is text, None if markup stands in."""
    where, o = [], 0
    for item in items:
        if "text" in item:
            where.extend(range(o, o + len(item["text"])))
            o += len(item["text"])
        else:
            where.extend([None] * len(item.get("interpretAs", "")))
            o += len(item["markup"])
    return where


@given(st.lists(ITEM, max_size=8), st.data())
def test_spans_map_back_onto_the_original(items, data):
    original, plain, segments, is_text = _annotation(json.dumps({"annotation": items}))
    where = _reference(items)
    assert len(where) == len(plain)
    if not plain:
        return
    offsets = _OffsetMap(segments, is_text)
    start = data.draw(st.integers(0, len(plain) - 1))
    end = data.draw(st.integers(start + 1, len(plain)))
    o_start, o_end = offsets.start(start), offsets.end(end)
    assert 0 <= o_start <= o_end <= len(original)
    # A span that starts and ends on text covers exactly those characters of the original.
    if where[start] is not None:
        assert o_start == where[start] and original[o_start] == plain[start]
    if where[end - 1] is not None:
        assert o_end == where[end - 1] + 1 and original[o_end - 1] == plain[end - 1]
