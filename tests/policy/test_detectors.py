"""Detectors on their own: what they catch and, as much, what they leave alone."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy.detectors import DETECTORS, DetectorInput, contact, finance, identity, links, secrets
from policy.detectors._base import any_word
from policy.detectors.identity import valid_cccd
from policy.detectors.links import link_risks
from policy.engine import _Words
from policy.normalize import fold
from policy.prefilter import gate_key


def run(name: str, text: str, **options) -> list[str]:
    words = _Words(fold(text))
    inp = DetectorInput(text, fold(text), words.sentence)
    return [text[s:e] for s, e in DETECTORS[name].fn(inp, options)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gọi 0912345678 nhé", ["0912345678"]),
        ("SĐT: 0912 345 678", ["0912 345 678"]),
        ("sdt 091.234.5678", ["091.234.5678"]),
        ("+84 912 345 678", ["+84 912 345 678"]),
        ("+84912345678", ["+84912345678"]),
        ("bàn 024 3823 4588 nhé", []),  # published ministry switchboard
        ("024 3999 1234", ["024 3999 1234"]),
        ("Bảo hộ công dân: +84 981 84 84 84", []),  # published hotline
        ("Gọi 113, 114, 115 hoặc 1900 1234", []),
        ("Đường dây nóng 1800 1567", []),
        ("Năm 2024 có 365 ngày, mã 0112345678", []),  # 011 is not a mobile prefix
        ("Số tiền 0912345678901 quá dài", []),
        # Digit by digit, with single separators or wide ones (" - ", " . ", two spaces).
        ("gọi 0 9 1 2 3 4 5 6 7 8 nhé", ["0 9 1 2 3 4 5 6 7 8"]),
        ("sđt 0.9.1.2.3.4.5.6.7.8", ["0.9.1.2.3.4.5.6.7.8"]),
        ("0 9 8 8 - 4 4 1 - 7 2 3 là số ông đó", ["0 9 8 8 - 4 4 1 - 7 2 3"]),
        ("lừa đảo: 0 3 6 7 . 2 2 1 . 8 9 0 — nó", ["0 3 6 7 . 2 2 1 . 8 9 0"]),
        ("0 9 1 2  3 4 5  6 7 9", ["0 9 1 2  3 4 5  6 7 9"]),
        ("sđt 0 - 9 - 8 - 8 - 4 - 4 - 1 - 7 - 2 - 3", ["0 - 9 - 8 - 8 - 4 - 4 - 1 - 7 - 2 - 3"]),
        ("+84 9 1 2 - 3 4 5 - 6 7 8", ["+84 9 1 2 - 3 4 5 - 6 7 8"]),
        ("năm 2023. 0 9 8 8 - 4 4 1 - 7 2 3", ["0 9 8 8 - 4 4 1 - 7 2 3"]),
        (
            "A: 0 9 1 2 . 3 4 5 . 6 7 8, B: 0 9 8 8 - 4 4 1 - 7 2 3",
            ["0 9 1 2 . 3 4 5 . 6 7 8", "0 9 8 8 - 4 4 1 - 7 2 3"],
        ),
        # A long run of separators and digits stays linear and finds what is a number in it.
        ("1 - 2 . . 3 - 4 . . " * 50 + "0 9 8 8 - 4 4 1 - 7 2 3", ["0 9 8 8 - 4 4 1 - 7 2 3"]),
        # ...but only a whole chain that is a phone number: counting, scores, dates, prices.
        ("1 2 3 4 5 6 7 8 9 10", []),
        ("0 - 1 - 2 - 3 - 4 - 5 - 6 - 7 - 8 - 9", []),
        ("0 9 1 2 3 4 5 6 7 8 9 10", []),
        ("1 0 9 8 8 - 4 4 1 - 7 2 3", []),  # one digit too many in front
        ("0 9 8 8 - 4 4 1 - 7 2 3 - 4", []),
        ("tỉ số 3 - 0, hiệp 2 thêm 2 - 1", []),
        ("từ 8 - 10 giờ", []),
        ("ngày 09 - 12 - 2024", []),
        ("giá 0 . 5 triệu", []),
        ("phiên bản 1 . 2 . 3", []),
        ("v0 9 8 8 - 4 4 1 - 7 2 3", []),
        ("0 9 8 8 - 4 4 1 - 7 2 3.5", []),
        ("1 9 0 0 - 1 2 3 4", []),  # hotline
        ("0 9 8 1 - 8 4 - 8 4 - 8 4", []),  # published hotline, spaced
    ],
)
def test_phone_numbers(text, expected):
    assert run("vn-phone-number", text) == expected


def test_phone_allow_option():
    assert run("vn-phone-number", "gọi 0912345678", allow=["+84912345678"]) == []
    assert run("vn-phone-number", "gọi 0 9 1 2 - 3 4 5 - 6 7 8", allow=["0912345678"]) == []


def test_phone_landline_option_covers_wide_separators():
    assert run("vn-phone-number", "0 2 4 - 3 9 9 9 - 1 2 3 4") == ["0 2 4 - 3 9 9 9 - 1 2 3 4"]
    assert run("vn-phone-number", "0 2 4 - 3 9 9 9 - 1 2 3 4", landline=False) == []


@pytest.mark.parametrize(
    ("digits", "ok"),
    [
        ("001203012345", True),
        ("079099001234", True),
        ("003203012345", False),
        ("001503012345", False),
        ("001203000000", False),
        ("00120301234", False),
    ],
)
def test_cccd_structure(digits, ok):
    assert valid_cccd(digits) is ok


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CCCD 001203012345", ["001203012345"]),
        ("số 079 099 001234 của tôi", ["079 099 001234"]),
        ("mã đơn 999203012345", []),
        ("số CMND 123456789", ["123456789"]),
        ("mã 123456789 vui", []),  # 9 digits without ID words
    ],
)
def test_national_id(text, expected):
    assert run("vn-national-id", text) == expected


def test_national_id_require_context():
    assert run("vn-national-id", "số 001203012345", require_context=True) == []
    assert run("vn-national-id", "căn cước 001203012345", require_context=True) == ["001203012345"]


def test_passport():
    assert run("passport-number", "Hộ chiếu số B1234567") == ["B1234567"]
    assert run("passport-number", "Mã B1234567") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("STK 0123456789 Vietcombank", ["0123456789"]),
        ("chuyển khoản vào 1903 6543 2100 12 techcombank", ["1903 6543 2100 12"]),
        ("chuyển khoản 500.000 đồng", []),
        ("ngân hàng có 1000000 khách", []),
        ("mã 0123456789 không liên quan", []),
    ],
)
def test_bank_account(text, expected):
    assert run("bank-account", text) == expected


def test_email_allows_official_domains():
    assert run("email-address", "mail lan.nguyen@gmail.com nhé") == ["lan.nguyen@gmail.com"]
    assert run("email-address", "liên hệ banbientap@mofa.gov.vn") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mã OTP của em là 482913", ["482913"]),
        ("ma xac thuc: 4829", ["4829"]),
        ("Năm 2024 mọi thứ tốt", []),
        ("OTP là mã dùng một lần. Số nhà 1234", []),  # other sentence
        ("Bán acc cổ (2014-2016), kèm 2FA", []),  # a year range, not a code
        ("mã 2FA dự phòng: 5820-1934", ["5820-1934"]),
    ],
)
def test_otp(text, expected):
    assert run("otp-code", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pass wifi: abc12345", ["abc12345"]),
        ("mật khẩu là Hoa@2024.", ["Hoa@2024"]),
        ("mk: 123456", ["123456"]),
        ("Password: hunter22", ["hunter22"]),
        ("mk đi chơi đây", []),  # mk = mình
        ("mk 2 đứa đi ăn", []),
        ("mk là Lan lớp 12A1 nè, ai còn nhớ không", []),  # mk là = mình là (I am)
        ("mk là Lan123 nhé", ["Lan123"]),
        ("mk la Tuan day, so moi cua mk nhe", []),  # mình là + a name
        ("pass là MatKhau", ["MatKhau"]),
        ("mật khẩu là Hoanganh", ["Hoanganh"]),  # a strong keyword: the value stands
        ("pass là 88886666", ["88886666"]),
        ("tk/mk là admin / Abc@12345", ["Abc@12345"]),
        ("mk: lan / Lan@1992", ["Lan@1992"]),
        # the value on a line of its own under the keyword's line (a notice)
        ("Pass wifi phòng họp tầng 3\nPhonghop@2026\nCác anh chị dùng tạm", ["Phonghop@2026"]),
        ("Mật khẩu wifi cho khách\nKhach2026", ["Khach2026"]),
        ("Đổi mật khẩu định kỳ\nTháng 12 nhé", []),
        ("Mật khẩu\nLà lớp bảo vệ đầu tiên", []),
        ("Mật khẩu wifi đổi rồi\nHỏi chị Lan phòng HC", []),
        ("pass lại acc giá rẻ", []),  # pass lại = resell
        ("mật khẩu của bạn cần đủ mạnh", []),
        ("mật khẩu: ********", []),
        ("mật khẩu: a******5", []),
    ],
)
def test_password(text, expected):
    assert run("password-disclosure", text) == expected


@pytest.mark.parametrize(
    "key",
    [
        "AKIAIOSFODNN7EXAMPLE",
        "ghp_" + "a" * 36,
        "AIza" + "B" * 35,
        "xoxb-1234567890-abc",
        "sk_live_" + "c" * 24,
        "-----BEGIN RSA PRIVATE KEY-----",
    ],
)
def test_api_keys(key):
    assert run("api-key", f"token {key} đây") == [key]


def test_api_key_leaves_words_alone():
    assert run("api-key", "AKIA is a prefix; sk-short; eyJ alone") == []


@pytest.mark.parametrize(
    ("url", "kinds"),
    [
        ("bit.ly/abc", ["shortener"]),
        ("http://1.2.3.4/login", ["ip", "login-bait"]),
        ("vietcombank-xacthuc.com", ["lookalike", "login-bait"]),
        ("xn--vitcombank-m7a.com", ["punycode"]),
        ("giaitri.xyz", ["cheap-tld"]),
        ("https://tai-app.com/vneid.apk", ["apk"]),
        ("chinhphu-gov.vn.com", ["lookalike"]),
        ("dichvucong.gov.vn/dang-nhap", []),
        ("https://vnexpress.net/abc", []),
        ("facebook.com/login", []),
        ("example.com", []),
        # A trusted domain spelled out in front of an unrelated one.
        ("drive-google.com.document-share.ru/d/18xQ", ["lookalike"]),
        ("vietcombank.com.vn.secure-login.xyz", ["cheap-tld", "lookalike", "login-bait"]),
        ("facebook.com-login.top", ["cheap-tld", "lookalike", "login-bait"]),
        ("https://accounts.google.com.verify-session.info", ["lookalike", "login-bait"]),
        ("github.com.evil.io", ["lookalike"]),
        ("apple.com-support.help", ["lookalike"]),
        ("google.com.vn.tracking.net", ["lookalike"]),
        ("zalo.me.abc.cc", ["lookalike"]),
        # ...but the real domains, their subdomains and country versions are left alone.
        ("mail.google.com", []),
        ("https://docs.google.com/document/d/1", []),
        ("vietcombank.com.vn", []),
        ("ebanking.vietcombank.com.vn/login", []),
        ("chinhphu.vn", []),
        ("dichvucong.gov.vn", []),
        ("hanoi.gov.vn", []),
        ("google.com.vn", []),
        ("translate.google.com.vn", []),
        ("x.com.ru", []),  # short names: ".ru" is not another label before the real domain
        ("my-x.com.ru", []),  # ... and never glued after a '-'
        ("mygoogle.com.ru", []),  # inside a word: another name
        ("vnexpress-net.cdn.ampproject.org", []),
        ("abc.com.vn", []),
    ],
)
def test_link_risks(url, kinds):
    assert link_risks(url) == kinds


def test_risky_link_spans_and_kinds_option():
    text = "Vào bit.ly/abc123, hoặc giaitri.xyz."
    assert run("risky-link", text) == ["bit.ly/abc123", "giaitri.xyz"]
    assert run("risky-link", text, kinds=["cheap-tld"]) == ["giaitri.xyz"]
    assert run("risky-link", "TP.HCM, v.v. và mofa.gov.vn") == []


# Each digit detector's pattern and the fewest digits its matches end in (one digit run).
DIGIT_PATTERNS = [
    (secrets._OTP, 4),
    (finance._DIGITS, 6),
    (identity._PASSPORT, 7),
    (contact._PHONE, 8),
    (identity._NINE, 9),
    (identity._TWELVE, 12),
]
# Digits packed with separators, prefixes and letters: runs that touch, split, nest in IDs.
DRAFTS = st.text(alphabet="0123456789  .-,+()ABx\n", max_size=60)


def spans(inp: DetectorInput, pattern, windows) -> list[tuple[int, int]]:
    return [m.span() for m in inp.finditer(pattern, windows)]


@given(DRAFTS)
@settings(max_examples=400, deadline=None)
def test_short_digit_runs_hold_no_match(text):
    inp = DetectorInput(text, text, _Words(text).sentence)
    every = inp.digit_windows()
    for pattern, k in DIGIT_PATTERNS:
        assert spans(inp, pattern, inp.digit_windows(k)) == spans(inp, pattern, every)


@given(st.text(alphabet="0123456789  .-,?x\u00a0\u0663\uff15\u0111\u1ec7\U0001d7d8\n", max_size=60))
@settings(max_examples=400, deadline=None)
def test_long_runs_found_on_the_folded_bytes_are_the_regex_runs(text):
    # The runs are looked for on the folded text's bytes first: none may be missed there (other
    # scripts' digits, Unicode spaces that fold to " ", "đ" that folds to an ASCII letter).
    from policy.detectors._base import _LONG_DIGIT_RUN

    inp = DetectorInput(text, fold(text), _Words(fold(text)).sentence)
    runs = [m.span() for m in _LONG_DIGIT_RUN.finditer(text)]
    assert [(s, e) for s, e, _ in inp._long_runs()] == runs


def test_digit_windows_by_length():
    text = "gọi 0912 345 678, mã 12/3, số 4829 và 1-2-3"
    inp = DetectorInput(text, text, _Words(text).sentence)
    assert [text[s:e] for s, e in inp.digit_windows(4)] == ["gọi 0912 345 678, m", "3, số 4829 và"]
    assert [text[s:e] for s, e in inp.digit_windows(10)] == ["gọi 0912 345 678, m"]
    assert inp.digit_windows(11) == []
    assert len(inp.digit_windows()) == 5  # 0912 345 678, 12, 3, 4829, 1-2-3


@given(st.text(alphabet="ab.@ \n", max_size=40))
@settings(max_examples=300, deadline=None)
def test_token_windows_leave_out_only_tokens_ending_in_their_marker(text):
    inp = DetectorInput(text, text, _Words(text).sentence)
    for marker in ".@":
        tokens = [m.span() for m in re.finditer(r"\S+", text) if marker in m.group()]
        assert inp.token_windows(marker) == [(s, e) for s, e in tokens if marker in text[s : e - 1]]


@given(st.text(alphabet="ab1.@-/:), \n", max_size=40))
@settings(max_examples=300, deadline=None)
def test_tokens_left_out_hold_no_link_or_address(text):
    inp = DetectorInput(text, text, _Words(text).sentence)
    for marker, pattern in ((".", links._URL), ("@", contact._EMAIL)):
        every = [m.span() for m in re.finditer(r"\S+", text) if marker in m.group()]

        def found(windows, marker=marker, pattern=pattern):
            return [
                m.span()
                for m in inp.finditer(pattern, windows)
                if marker in m.group().rstrip(".,;:!?)]}\"'")
            ]

        assert found(inp.token_windows(marker)) == found(every)


def test_brand_names_are_plain_letters():
    # link_risks finds a brand in the whole host rather than in each label part: sound only
    # while no brand holds the '.' or '-' that separate the parts.
    assert all(b.isalnum() for b in links.BRANDS + links.DIGIT_SPOOFED)


def test_every_password_keyword_holds_a_hint():
    # _keywords only tries the keyword regex where a hint leads to; the literals must be the
    # regex's whole list, each holding a hint.
    for kw in secrets._KEYWORDS:
        assert secrets._KEYWORD.fullmatch(kw), kw
        assert any(h in kw for h in secrets._HINTS), kw
    found = [k.group() for k in secrets._keywords("x " + " . ".join(secrets._KEYWORDS))]
    assert found == list(secrets._KEYWORDS)
    # One pass per first letter finds every hint: none holds its letter again (two places never
    # overlap) and none begins another (each place is one hint's).
    hints = secrets._HINTS
    assert all(h[0] not in h[1:] for h in hints)
    assert not any(a != b and b.startswith(a) for a in hints for b in hints)


@given(
    st.lists(
        st.sampled_from(
            ["pass", "pw", "mk", "mat ", "cv", "pin", "acc", "ess", "word", "wd", "code", "wifi"]
            + ["user/", "id/", "tk/", "ma ", "khau", "s", "p", "m", "c", " ", ":", "x1"]
        )
    ).map("".join)
)
@settings(max_examples=300, deadline=None)
def test_password_keywords_are_the_regex_matches(text):
    # What _keywords finds from its hints is what the keyword regex finds from every position.
    expected, last = [], -1
    for pos in range(len(text)):
        k = secrets._KEYWORD.match(text, pos)
        if pos >= last and k is not None:
            expected.append(k.span())
            last = k.end()
    assert [k.span() for k in secrets._keywords(text)] == expected


# The API-key literals as plainly written: secrets._API_HINT writes them from a rare char.
API_LITERALS = re.compile(
    r"AKIA|gh[pousr]_|github_pat_|AIza|xox[abprs]-|_live_|sk-|glpat-|:AA|eyJ|-----BEGIN"
)


@given(
    st.lists(
        st.sampled_from(
            ["AKIA", "AK", "IA", "AIza", "AI", "za", "ghp_", "gh", "github_", "pat_", "_live_"]
            + ["xoxb-", "xox", "sk-", "glpat-", "-----BEGIN", ":AA", "eyJ", "ey", "J", "K", "z"]
            + ["A", ":", "-", "_", "s", "e", " ", "x1"]
        )
    ).map("".join)
)
@settings(max_examples=500, deadline=None)
def test_api_hint_finds_any_literal(text):
    assert (secrets._API_HINT.search(text) is None) == (API_LITERALS.search(text) is None)


@given(
    st.lists(
        st.sampled_from(
            ["AKIA", "AK", "IA", "AIza", "AI", "za", "ghp_", "gh", "github_", "pat_", "_live_"]
            + ["xoxb-", "xox", "sk-", "glpat-", "-----BEGIN", ":AA", "eyJ", "ey", "J", "K", "z"]
            + ["GHO_", "Sk-", "a", "A", ":", "-", "_", "s", "e", " ", "x1", "ạ"]
        )
    ).map("".join)
)
@settings(max_examples=500, deadline=None)
def test_api_key_needs_are_in_the_folded_text_of_every_hint(text):
    # The engine runs the detector only on drafts whose folded text holds one of its needs.
    if secrets._API_HINT.search(text):
        assert any(n in fold(text.lower()) for n in secrets.API_KEY.needs), text


@pytest.mark.parametrize(
    ("detector", "context"),
    [(secrets.OTP_CODE, secrets._OTP_CONTEXT), (identity.PASSPORT, identity._PASSPORT_CONTEXT)],
)
def test_context_detectors_need_their_context_words(detector, context):
    # They report a number only near a match of their context, which holds one of the words.
    assert context.pattern == any_word("|".join(detector.needs)).pattern


def test_detector_needs_are_their_own_phrase_scan_keys():
    # Else the engine would not gate on them (engine._needs_gate): the phrase scan might miss
    # one where the draft holds it.
    gated = [d for d in DETECTORS.values() if d.needs]
    assert {d.name for d in gated} == {"otp-code", "passport-number", "api-key"}
    for det in gated:
        assert all(gate_key(text) == text for text in det.needs), det.name


@given(st.text(alphabet="aZ9@*•x. ", min_size=4, max_size=12) | st.text(min_size=4, max_size=12))
@settings(max_examples=500, deadline=None)
def test_looks_secret_in_c_is_the_char_by_char_test(value):
    # secrets._looks_secret tests ASCII values with str methods: the same as char by char.
    expected = (
        len(value) >= 4
        and not secrets._MASKED.search(value)
        and (
            any(c.isdigit() for c in value)
            or any(not c.isalnum() for c in value)
            or (any(c.isupper() for c in value) and any(c.islower() for c in value))
        )
    )
    assert secrets._looks_secret(value) == expected


# Words that share first letters, nest ("passport" / "passport no") and hold '-' or digits.
WORDS = "passport|passport no|pass|so tk|so tai khoan|stk|one-time code|2fa|the|the can cuoc"


@given(
    st.lists(st.sampled_from([*WORDS.split("|"), "x", "a", " ", "-", "_", "ạ", "1", "\n"])),
    st.integers(0, 80),
    st.integers(0, 80),
)
@settings(max_examples=400, deadline=None)
def test_any_word_matches_as_the_plain_pattern(pieces, lo, hi):
    text = "".join(pieces)
    plain = re.compile(rf"\b(?:{WORDS})\b")
    fast = any_word(WORDS)
    assert [m.span() for m in fast.finditer(text, lo, hi)] == [
        m.span() for m in plain.finditer(text, lo, hi)
    ]


def test_any_word_needs_words_opening_with_a_letter():
    with pytest.raises(ValueError):
        any_word("otp|-x")
