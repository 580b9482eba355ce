"""Behaviour of Linter.check on the fixture pack: matching, frames, exceptions, offsets."""

from __future__ import annotations

import re
import threading
import time
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from policy_helpers import RULE, write_pack

import policy
from policy import engine


def codes(linter: policy.Linter, text: str, **kw) -> list[str]:
    return [f.code for f in linter.check(text, **kw)]


def spans(linter: policy.Linter, text: str, code: str) -> list[str]:
    return [text[f.start : f.end] for f in linter.check(text) if f.code == code]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gửi tài liệu mật cho anh", ["tài liệu mật"]),
        ("gui tai lieu mat cho anh", ["tai lieu mat"]),  # typed without diacritics
        ("gui tai lieu mật cho anh", ["tai lieu mật"]),  # per word: unmarked words fold
        ("gửi tài liệu mat cho anh", []),  # ...but not in a draft typed with diacritics
        ("TÀI LIỆU MẬT", ["TÀI LIỆU MẬT"]),
        ("Mua mật ong rừng", []),  # exception
        ("mặt trời", []),  # diacritised word must match exactly: mặt ≠ mật
        ("tài liệu mặt", []),
        ("bí mật", []),
        ("mậtong", []),  # word boundary
    ],
)
def test_phrases_are_diacritic_smart(linter, text, expected):
    assert spans(linter, text, "SEC001") == expected


def test_unmarked_words_in_diacritised_drafts_match_exactly(linter):
    # "dung" is not "đừng" (a negation frame) in a text typed with marks...
    assert codes(linter, "Nội dung: mã OTP của em là 482913") == ["CRD002"]
    # ...but in a draft typed without marks it may be.
    assert codes(linter, "Noi dung: ma OTP cua em la 482913") == []
    assert spans(linter, "TUYET MAT", "SEC002") == ["TUYET MAT"]
    assert spans(linter, "Văn bản có dấu TUYET MAT", "SEC002") == []


def test_nfd_input_matches_and_maps_back(linter):
    text = unicodedata.normalize("NFD", "Gửi tài liệu mật nhé")
    found = [f for f in linter.check(text) if f.code == "SEC001"]
    assert len(found) == 1
    f = found[0]
    assert text[f.start : f.end] == f.text
    assert unicodedata.normalize("NFC", f.text) == "tài liệu mật"


@pytest.mark.parametrize(
    "text",
    [
        "tài\u200b liệu m\u200dật",  # zero-width chars
        "ｔàｉ liệu mật",  # fullwidth
        "𝐭ài 𝐥iệu mật",  # mathematical bold
        "tài liệu m\u00adật",  # soft hyphen
        "tài liệu mật".replace("a", "а"),  # Cyrillic а
    ],
)
def test_lookalikes_and_zero_width_are_neutralised(linter, text):
    found = [f for f in linter.check(text) if f.code == "SEC001"]
    assert [text[f.start : f.end] for f in found] == [f.text for f in found]
    assert len(found) == 1 and found[0].start == 0 and found[0].end == len(text)


def test_case_sensitive_phrase(linter):
    assert spans(linter, "Văn bản TUYỆT MẬT số 5", "SEC002") == ["TUYỆT MẬT"]
    assert spans(linter, "TUYET MAT", "SEC002") == ["TUYET MAT"]
    assert spans(linter, "chuyện tuyệt mật", "SEC002") == []
    assert spans(linter, "TUYỆT MẶT", "SEC002") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đồ óc chó", ["óc chó"]),
        ("thằng ó.c c.h.ó này", ["ó.c c.h.ó"]),
        ("o-c c-h-o", ["o-c c-h-o"]),
        ("nguuuuu quá", ["nguuuuu"]),
        ("v c l luôn", ["v c l"]),
        ("vcl", ["vcl"]),
        ("c*ó con", []),
        ("đồ 0c ch0", ["0c ch0"]),  # digits for letters
        ("v c 1", []),  # a lone digit is not a letter
        ("ng4y", []),
        ("Tôi ngủ rồi", []),  # ngủ ≠ ngu
        ("nguồn tin", []),
    ],
)
def test_obfuscation_tolerance(linter, text, expected):
    assert spans(linter, text, "OFF001") == expected


def test_star_stands_for_one_letter(linter):
    assert spans(linter, "đồ óc c*ó", "OFF001") == ["óc c*ó"]
    assert spans(linter, "ó.c c#ó", "OFF001") == ["ó.c c#ó"]
    assert spans(linter, "óc c**ó", "OFF001") == []  # two stars are two letters


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cần bán nick fb giá rẻ", ["Cần bán nick"]),
        ("pass lại acc zalo", ["pass lại acc"]),
        ("cần bán gấp page 50k like", ["cần bán gấp page"]),
        ("nick này bán luôn", ["nick này bán"]),
        ("bán rau sạch. Nick của tôi là Lan", []),  # different sentence
        ("bán một hai ba bốn năm nick", []),  # too far apart
        ("Không được bán nick fb", []),  # negation frame
        ("bàn về nick name", []),
        ("bán nick fb, thanh lý acc zalo", ["bán nick", "thanh lý acc"]),
    ],
)
def test_proximity(linter, text, expected):
    assert spans(linter, text, "ACC001") == expected


def test_frames_suppress_or_lower(linter):
    assert codes(linter, "Đừng chia sẻ mã OTP 482913 cho ai") == []
    assert codes(linter, "Mã OTP của em là 482913") == ["CRD002"]
    plain = linter.check("Nghe nói vỡ đê rồi")
    assert [(f.code, f.severity, f.frame) for f in plain] == [("MIS001", "warning", None)]
    refuted = linter.check("Tin vỡ đê là tin giả")  # frame *after* the match (after = 6)
    assert [(f.code, f.severity, f.frame) for f in refuted] == [("MIS001", "info", "refutation")]


# A rule whose matches news of an arrest frames, unless the arrest is called wrongful.
NEWS_FRAME = (
    '[frames.news]\nphrases = ["bị bắt"]\nexceptions = ["bị bắt oan"]\nscope = "sentence"\n'
)
NEWS_RULE = 'phrases = ["tài liệu mật"]\nframes = ["news"]'


@pytest.mark.parametrize("accelerate", [False, True])
def test_a_frame_exception_voids_only_the_frame_phrase_it_overlaps(tmp_path, accelerate):
    folder = write_pack(tmp_path, matcher=NEWS_RULE, pack_extra=NEWS_FRAME)
    linter = policy.Linter(policy.load_pack(folder), accelerate=accelerate)
    assert codes(linter, "Người gửi tài liệu mật đã bị bắt") == []  # news of an arrest
    assert codes(linter, "Anh ấy bị bắt oan vì tài liệu mật") == ["SEC001"]  # a grievance
    assert codes(linter, "Anh ay bi bat oan vi tai lieu mat") == ["SEC001"]  # typed bare
    # Another phrase of the frame in the sentence, not overlapped, still holds.
    assert codes(linter, "Anh ấy bị bắt oan, còn kẻ gửi tài liệu mật cũng bị bắt") == []


def test_an_extending_pack_inherits_a_frames_exceptions_and_adds_its_own(tmp_path):
    parent = write_pack(tmp_path / "parent", matcher=NEWS_RULE, pack_extra=NEWS_FRAME)
    child = tmp_path / "child"
    child.mkdir()
    (child / "pack.toml").write_text(
        'id = "tmp-child"\nname = { vi = "Con", en = "Child" }\nversion = "0.0.1"\n'
        f'extends = "{parent.as_posix()}"\n\n[frames.news]\nexceptions = ["bị bắt vô cớ"]\n',
        "utf-8",
    )
    linter = policy.Linter(policy.load_pack(child))
    assert codes(linter, "Người gửi tài liệu mật đã bị bắt") == []
    assert codes(linter, "Anh ấy bị bắt oan vì tài liệu mật") == ["SEC001"]  # inherited
    assert codes(linter, "Anh ấy bị bắt vô cớ vì tài liệu mật") == ["SEC001"]  # its own


def test_context_requirement(linter):
    assert spans(linter, "Nhận cá độ bóng đá ib ngay", "ILL001") == ["cá độ"]
    assert spans(linter, "Cá độ là phạm pháp", "ILL001") == []


def test_regex_rule_maps_offsets(linter):
    text = "😀😀 Đây là biên bản họp nội bộ hôm qua, mã NB-2024"
    found = [f for f in linter.check(text) if f.code == "INT001"]
    assert [f.text for f in found] == ["biên bản họp nội bộ", "NB-2024"]
    for f in found:
        assert text[f.start : f.end] == f.text
        assert f.offset == len(text[: f.start].encode("utf-16-le")) // 2
        assert f.length == len(f.text.encode("utf-16-le")) // 2


def test_line_and_column(linter):
    text = "dòng một\n😀 dòng hai có tài liệu mật"
    (f,) = [f for f in linter.check(text) if f.code == "SEC001"]
    assert (f.line, f.column) == (2, text.split("\n")[1].index("tài") + 1)


@pytest.mark.parametrize(
    "draft",
    [
        "nói thật, nó ngu{br}như bò",  # a sentence run on: "ngu như bò" (OFF003)
        "Đây là tài liệu{br}Mật của cơ quan",  # a new line: "tài liệu mật" (SEC001) on one only
        "Ghi chú{br}mật khẩu: Hoa2024!",
    ],
)
def test_a_lone_cr_ends_a_line_as_a_lf_does(draft):
    """Classic Mac OS and some clipboards end lines with a lone CR: the same findings, at the
    same places, as with LF (phrases and sentences stop at it unless the sentence runs on; the
    default pack's)."""

    def found(text):
        return [(f.code, f.start, f.end, f.severity) for f in policy.check(text)]

    with_cr = found(draft.format(br="\r"))
    assert with_cr == found(draft.format(br="\n"))
    assert [f[0] for f in with_cr] == [f[0] for f in found(draft.format(br="\r\n"))]
    if "{br}Mật của" in draft:  # one line, it is a finding
        assert with_cr != found(draft.format(br=" "))
    if "{br}như bò" in draft:  # the sentence runs on across the break
        assert [f[0] for f in with_cr] == [f[0] for f in found(draft.format(br=" "))] != []


def test_findings_sorted_and_unique(linter):
    text = "tài liệu mật, gọi 0912345678, tài liệu mật. bán nick"
    result = linter.check(text)
    keys = [(f.start, f.end, f.code) for f in result]
    assert keys == sorted(keys)
    assert len(keys) == len(set(keys))


def test_message_language_and_suggestions(linter):
    (vi,) = linter.check("Gọi 0912 345 678 nhé")
    (en,) = linter.check("Gọi 0912 345 678 nhé", lang="en")
    assert vi.message.startswith("Vi phạm") and en.message.startswith("Breach")
    assert "0912 345 678" in vi.message
    assert vi.suggestions and "345" not in vi.suggestions[0]
    assert en.legal_basis == ("Law A (1/2025/QH15), Điều 1",)


def test_filters(linter):
    text = "Gọi 0912345678, tài liệu mật"
    assert codes(linter, text) == ["PDP001", "SEC001"]
    assert codes(linter, text, min_severity="error") == ["SEC001"]
    assert codes(linter, text, disabled=["SEC001"]) == ["PDP001"]
    assert codes(linter, text, only_categories=["personal-data"]) == ["PDP001"]


def test_preview_rules_are_off_by_default(basic_pack):
    text = "key AKIAIOSFODNN7EXAMPLE"
    assert codes(policy.Linter(basic_pack), text) == []
    assert codes(policy.Linter(basic_pack, include_preview=True), text) == ["CRD003"]
    assert "CRD003" not in [r.code for r in policy.Linter(basic_pack).rules]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"lang": "fr"}, ValueError),
        ({"min_severity": "fatal"}, ValueError),
        ({"disabled": ["XXX999"]}, ValueError),
        ({"only_categories": ["spam"]}, ValueError),
    ],
)
def test_invalid_arguments_raise(linter, kwargs, error):
    with pytest.raises(error):
        linter.check("x", **kwargs)


def test_non_str_text_raises_type_error(linter):
    with pytest.raises(TypeError):
        linter.check(b"bytes")  # type: ignore[arg-type]


def test_odd_strings_never_raise(linter):
    for text in [
        "",
        "\x00",
        "\ud800",
        "a\udfffb tài liệu mật",
        "\u0301",
        "\u0301\u0301x",
        "😀" * 50,
        "\u200b" * 10,
        "  \t\n\n  ",
        "ǅ İstanbul tài liệu mật",
    ]:
        for f in linter.check(text):
            assert text[f.start : f.end] == f.text


def test_runaway_regex_marks_result_incomplete(tmp_path, monkeypatch):
    pack_dir = write_pack(tmp_path, type_="regex", matcher="patterns = ['(a|aa)+$']")
    linter = policy.Linter(policy.load_pack(pack_dir))
    monkeypatch.setattr(engine, "REGEX_BUDGET_S", 0.05)
    result = linter.check("a" * 40 + "b")
    assert result.incomplete is True
    assert linter.check("aaa").incomplete is False


def test_linter_is_shareable_between_threads(linter):
    texts = [f"Gọi 09123456{i:02d} về tài liệu mật, bán nick {i}" for i in range(40)]
    expected = [[f.to_dict() for f in linter.check(t)] for t in texts]
    results: dict[int, list] = {}

    def work(i: int) -> None:
        results[i] = [[f.to_dict() for f in linter.check(t)] for t in texts]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results.values())


def test_finding_is_frozen_and_serialises(linter):
    (f,) = linter.check("tài liệu mật")
    with pytest.raises(AttributeError):
        f.start = 3  # type: ignore[misc]
    d = f.to_dict()
    assert set(d) == {
        "code",
        "name",
        "category",
        "severity",
        "message",
        "start",
        "end",
        "offset",
        "length",
        "line",
        "column",
        "text",
        "suggestions",
        "legal_basis",
        "frame",
    }
    assert isinstance(d["suggestions"], list) and isinstance(d["legal_basis"], list)


def test_extends_inherits_rules_and_frames(child_pack):
    linter = policy.Linter(child_pack)
    assert {"SEC001", "INT101"} <= {r.code for r in linter.rules}
    assert codes(linter, "Gửi lịch họp giao ban tuần này") == ["INT101"]
    assert codes(linter, "Chớ gửi lịch họp giao ban") == []  # frame phrase added by the child
    assert "không được" in child_pack.frames["negation"].phrases


def test_default_check_uses_default_pack():
    result = policy.check("Xin chào")
    assert isinstance(result, policy.CheckResult)
    assert policy.load_pack().id == policy.DEFAULT_PACK == "vn-mofa"


def test_inside_words_covers_the_whole_word(linter):
    assert spans(linter, "Vào keonhacai88 nhé, hoặc FB88VIP", "ILL002") == [
        "keonhacai88",
        "FB88VIP",
    ]
    assert spans(linter, "nha cai uy tin", "ILL002") == ["nha cai"]
    assert spans(linter, "nhà cải tạo", "ILL002") == []  # diacritised word must still match


def test_prefilter_gates_regex_without_changing_results(linter, basic_pack):
    text = "Đây là hồ sơ cán bộ số 12345 nhé"
    assert spans(linter, text, "INT002") == ["hồ sơ cán bộ số 12345"]
    assert spans(linter, "HO SO CAN BO so 12345", "INT002") == []  # gate passes, regex needs marks
    prefiltered = [
        basic_pack.rules[ri].code
        for ri, _, rule_gate, _ in basic_pack.compiled.regex_plans
        if rule_gate == ("g", ri)
    ]
    assert prefiltered == ["INT002"]  # every pattern of the rule waits for its prefilter


def test_dense_drafts_stay_linear(linter):
    # Thousands of hits in one sentence: frames, context, exceptions and proximity use range
    # look-ups, and hits inside one long word share its widening (no timing: counts only).
    text = "bán nick " * 3000
    found = [f for f in linter.check(text) if f.code == "ACC001"]
    assert len(found) > 1000 and all(text[f.start : f.end] == f.text for f in found)
    glued = "nhacai" * 5000
    (f,) = [f for f in linter.check(glued) if f.code == "ILL002"]
    assert (f.start, f.end) == (0, len(glued))


def _sentence_ends_read_plainly(text: str) -> list[int]:
    """The sentence ends by the plain pattern, less the runs after an abbreviation and the lone
    "."s of titles and initials."""
    ends = []
    for m in re.finditer(r"[.!?…;]+(?=\s|$)|\n", text):
        dot = m.start()
        if m.group() != "\n" and (
            text[max(0, dot - 3) : dot].endswith(engine._ABBREV)
            or m.group() == "."
            and dot >= 2
            and (text[dot - 1] == "s" or not text[dot - 2].isalnum())
            and engine._abbreviation(text, dot)
        ):
            continue
        ends.append(m.end())
    return ends


_FRAGMENTS = [".", "..", "!", "?", "…", ";", "\n", " ", "\t", "\u00a0", "a", "b", "s", "1"]
_FRAGMENTS += [" no", "(no", " st", " tp", " ts", "pgs", " th", "anh ", " n"]


@settings(max_examples=500)
@given(
    st.text(alphabet=".!?…;\n \t\u00a0ab", max_size=40)
    | st.lists(st.sampled_from(_FRAGMENTS), max_size=20).map("".join)
)
def test_sentence_ends_match_the_plain_reading(text):
    """The sentence-end regex (which drops runs after abbreviations itself) and _split's checks
    of lone "."s end sentences exactly where the plain pattern and string tests do."""
    assert engine._Words(text).ends() == _sentence_ends_read_plainly(text)


@given(st.text(alphabet="ab đ_1.,\n", max_size=30), st.integers(0, 30), st.integers(0, 30))
def test_within_agrees_with_counting_words(text, a, b):
    """_Words.within short-cuts gap() <= limit when there are too few chars for more words, and
    stops counting at the limit otherwise."""
    words = engine._Words(text)
    a, b = min(a, len(text)), min(b, len(text))
    for limit in range(0, 8):
        assert words.within((0, a), (b, b), limit) == (words.gap((0, a), (b, b), limit) <= limit)


def _pair_by_brute_force(a_hits, b_hits, window, order, words):
    """_pair's rule read plainly: each `a` term with the `b` term of its sentence that is fewest
    words away (after it: the first by start; before it: ending last, of equal ends the first by
    start), if within `window`; a tie goes to the one before."""
    found = set()
    for a in set(a_hits):
        same = sorted(b for b in set(b_hits) if words.sentence(b[0]) == words.sentence(a[0]))
        after = [b for b in same if b[0] >= a[1]]
        before = [b for b in same if b[0] < a[0] and b[1] <= a[0]] if order == "any" else []
        nearest = []
        if before:
            last = max(b[1] for b in before)
            nearest.append((words.gap(min(b for b in before if b[1] == last), a, window), 0))
        if after:
            nearest.append((words.gap(a, after[0], window), 1))
        if nearest:
            gap, side = min(nearest)
            if gap <= window:
                b = min(b for b in before if b[1] == last) if side == 0 else after[0]
                found.add((min(a[0], b[0]), max(a[1], b[1])))
    return found


_spans = st.lists(
    st.tuples(st.integers(0, 20), st.integers(1, 5)).map(lambda p: (p[0], p[0] + p[1])),
    min_size=1,
    max_size=8,
)


@settings(max_examples=500)
@given(
    st.text(alphabet="ab  .!\n", max_size=25),
    _spans,
    _spans,
    st.integers(1, 4),
    st.sampled_from(["any", "a-first"]),
)
def test_pair_agrees_with_brute_force(text, a_hits, b_hits, window, order):
    """Proximity pairing (sentence gate, range look-ups) finds what reading every `b` term of the
    sentence finds."""
    text = text.ljust(25)
    words = engine._Words(text)
    found = engine._pair(a_hits, b_hits, window, order, words)
    assert set(found) == _pair_by_brute_force(a_hits, b_hits, window, order, words)


def test_regex_budget_counts_cpu_time_not_waiting(tmp_path, monkeypatch):
    """A check kept waiting (a busy machine) still runs its regexes: the budget is CPU time."""
    pack_dir = write_pack(tmp_path, type_="regex", matcher="patterns = ['b+c']")
    pack = policy.load_pack(pack_dir)
    monkeypatch.setattr(engine, "REGEX_BUDGET_S", 0.05)
    text = "abbbc"
    run = engine.RegexRun({}, text, text, text)
    time.sleep(0.1)  # twice the budget on the wall clock, none of it on this thread's CPU
    (plan,) = pack.compiled.regex_plans
    assert run.rule(plan) == [(1, 5)]
    assert run.incomplete is False


def test_regex_calls_by_position_keep_the_defaults(tmp_path):
    """RegexRun passes the `regex` module's arguments by position (faster): no partial match at
    the end of the text (partial=False), whole text searched; the timeout is checked by the
    runaway tests above and in test_prefilter."""
    pack_dir = write_pack(tmp_path, type_="regex", matcher="patterns = ['ab+c']")  # no gates
    (plan,) = policy.load_pack(pack_dir).compiled.regex_plans
    text = "abc x abbc ab"  # "ab" at the end: a partial match, were partial on
    run = engine.RegexRun({}, text, text, text)
    assert run.rule(plan) == [(0, 3), (6, 10)]


def _two_rules_sharing(tmp_path, line: str) -> policy.Linter:
    """A linter over two phrase rules, SEC001 ("alpha") and SEC002 ("gamma"), both with `line`."""
    folder = write_pack(tmp_path, matcher=f'phrases = ["alpha"]\n{line}')
    other = (
        RULE.format(type_="phrases", matcher=f'phrases = ["gamma"]\n{line}')
        .replace('code = "SEC001"', 'code = "SEC002"')
        .replace('name = "thing"', 'name = "other"')
    )
    (folder / "rules" / "state-secret" / "other.toml").write_text(other, "utf-8")
    return policy.Linter(policy.load_pack(folder))


@pytest.mark.parametrize("text", ["alpha beta gamma", "gamma alpha beta"])
def test_rules_sharing_an_exception_pattern_are_excepted_each_at_its_own_span(tmp_path, text):
    """A window's matches of an exception pattern are found once a check, for every rule with
    that pattern whose match has that window: each rule is still excepted only where one of
    them overlaps its own match."""
    linter = _two_rules_sharing(tmp_path, "exception_patterns = ['alpha beta']")
    assert [(f.code, f.text) for f in linter.check(text)] == [("SEC002", "gamma")]


def test_runaway_exception_pattern_excepts_nothing_for_any_rule_sharing_it(tmp_path):
    """An exception pattern that runs out of time excepts no match, and a window it timed out
    on is searched again (in its own time) for the next rule with the pattern."""
    linter = _two_rules_sharing(tmp_path, "exception_patterns = ['(a|aa)+$']")
    found = linter.check("alpha gamma " + "a" * 40 + "b")
    assert [(f.code, f.text) for f in found] == [("SEC001", "alpha"), ("SEC002", "gamma")]


def test_new_finding_is_a_finding():
    """The engine's fast constructor makes exactly what `Finding(...)` makes: same type, equal,
    same repr, hash, pickle, to_dict, and still frozen."""
    import dataclasses
    import pickle

    from policy.model import Finding, new_finding

    values = ("A1", "n", "cat", "error", "m", 3, 9, 4, 6, 2, 1, "t", ("s",), ("l",), "fr")
    made, fast = Finding(*values), new_finding(*values)
    assert type(fast) is Finding
    assert fast == made and repr(fast) == repr(made) and hash(fast) == hash(made)
    assert dataclasses.astuple(fast) == values
    assert fast.to_dict() == made.to_dict()
    assert pickle.loads(pickle.dumps(fast)) == made
    assert fast != new_finding(*values[:-1], None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.code = "B"  # type: ignore[misc]
    assert not hasattr(fast, "__dict__")


@pytest.mark.parametrize(
    "value, masked",
    [
        ("", ""),
        ("ab", "**"),
        ("abc", "a*c"),
        ("036188004512", "03********12"),
        ("tin nhắn 6 số 482913", "tin **** * ** ***913"),
        ("a\u00a0b\u2003c d", "a\u00a0*\u2003* d"),
    ],
)
def test_mask_hides_the_middle_but_keeps_whitespace(value, masked):
    assert engine.mask(value) == masked


@given(st.text())
def test_mask_stars_every_char_of_the_middle_that_is_not_whitespace(value):
    n = len(value)
    keep = 0 if n <= 2 else max(1, min(3, n // 5)) if n >= 6 else 1
    expected = (
        "*" * n
        if n <= 2
        else value[:keep]
        + "".join(c if c.isspace() else "*" for c in value[keep : n - keep])
        + value[n - keep :]
    )
    assert engine.mask(value) == expected
