"""Telex leftovers: a draft typed with the Vietnamese keyboard switched off.

With Telex, "mật khẩu" is typed m-a-a-j-t k-h-a-a-r-u: when the keyboard is off (or the
phone's keyboard misreads it), the post reads "maajt khaaur", "taif khoanr", "cafn baans" — the
tone keys (s f r x j) and the vowel keys (aa ee oo dd aw ow uw) are left in the words. A draft
full of such words is read with each one as the bare syllable it spells ("mat khau", "tai
khoan", "can ban"): an undiacritised draft, which phrases match leniently.

Only drafts that are clearly that are rewritten: no Vietnamese marks at all, no English function
words, and at least two words that spell a valid syllable once the keys are out, one of them
with a key in a place English spelling never has one ("baans tk fb coor, inb gias", "ddeos
hieeur", "otp laf 558201"; `telex_only`: "aa", a leading "dd", a "j", a tone
key after a final consonant, "ow"/"aw"/"uw" before a tone key…). English words that read as
syllables with their last letter dropped ("box", "her", "down", "burn", "beef") are not evidence;
in a Telex draft they are read as syllables too, like the Telex words around them.

A draft typed with marks may still have a few words where the keys did not take ("mình đang cần
bans tafi khoanr", the input method switched off for a moment): those are read as the *marked*
syllables they spell ("bán tài khoản"), so that phrases match them as exactly as the words
around them (`in_marked_draft`). Only runs of two or more such words, one of them with a key where
English has none, outside web addresses, and only with no English function words about (one
such word alone is a typo, a name — "Taj Palace" — or slang — "stupid af"). A run is found
from a word holding f, j or w (`_seeds`), the keys that are no Vietnamese letter: a run keyed
with s, r, x and doubled vowels alone ("bans khoanr") is left as typed in a marked draft.
"""

from __future__ import annotations

import re
import unicodedata

# A syllable typed without marks: onset, then a rhyme (open, or closed by c ch m n ng nh p t).
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|b|c|d|g|h|k|l|m|n|r|s|t|v|x)?"
    r"(?:(?:a|ai|ao|au|ay|e|eo|eu|i|ia|iu|ieu|o|oa|oai|oay|oe|oeo|oi|u|ua|uay|ue|ui|uo|uoi|uou"
    r"|uu|uy|uya|uyu|y|yeu)"
    r"|(?:a|e|i|o|u|y|ie|ye|uo|oa|oe|uy|uye|ua|ue|oo)(?:c|ch|m|n|ng|nh|p|t))"
)
# Words that may carry a Telex key: ASCII letters only, with a doubled vowel key, "dd", a "w"
# or a tone key after a vowel. (A cheap net; `decode` decides.)
_CANDIDATE = re.compile(
    r"(?<![\w\u0300-\u036f])[A-Za-z]*(?:[aeiouyAEIOUY][A-Za-z]*[sfrxjSFRXJ]|aa|ee|oo|dd|w"
    r"|AA|EE|OO|DD|W)[A-Za-z]*(?![\w\u0300-\u036f])"
)
# Vietnamese letters with marks (any one means the draft was typed with the keyboard on).
_MARKED = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ\u0300-\u036f]"
)
# English function words: a draft holding two is English (or mixed), not Telex.
_ENGLISH = re.compile(
    r"(?i)\b(?:the|and|of|or|if|to|is|are|was|in|on|for|you|your|my|this|that|it|with|we|our"
    r"|be|will|please|from|at|by|have|has|not|can|do|me|an)\b"
)
_VOWELS = frozenset("aeiouy")
# Keys in places English spelling never puts those letters (checked on the word as typed): "aa";
# "dd" opening the word; a "j" after a vowel; "ow"/"aw"/"uw" before a tone key; a tone key f/r/x
# right after a final consonant ("minhf", "khoanr"); an "f" before a final consonant ("cafn"); an
# "f" ending a word of vowels ("laf", "taif", "nhaf"; not "if", "of", "beef", "chef" and kin).
_TELEX_ONLY = re.compile(
    r"aa|^dd|[aeiouy][a-z]*j|[aou]w[fjrx]|uw|(?:[nmctp]|ch|nh|ng)[frx]$|[aeiouy]f(?:[nmcp]|$)"
)
_ENGLISH_F = frozenset({"if", "of", "beef", "chef", "reef", "loaf", "oaf", "leaf", "deaf"})


def telex_only(word: str) -> bool:
    """Whether `word` (lower case) holds a Telex key where English spelling has none."""
    return _TELEX_ONLY.search(word) is not None and word not in _ENGLISH_F


def decode(word: str) -> str | None:
    """The bare syllable `word` spells in Telex; None if it is not a Telex leftover (a plain
    syllable already, or no valid syllable once the keys are out)."""
    low = word.lower()
    if _SYLLABLE.fullmatch(low):
        return None
    first = next((i for i, c in enumerate(low) if c in _VOWELS), None)
    if first is None:
        return None
    keys = [i for i in range(first, len(low)) if low[i] in "sfrxj"]
    if len(keys) > 1:
        return None
    base = low
    if keys:
        base = low[: keys[0]] + low[keys[0] + 1 :]
        if _SYLLABLE.fullmatch(base):
            return _cased(base, word)
    plain = base
    if plain.startswith("dd"):
        plain = plain[1:]
    for double in ("aa", "ee", "oo"):
        plain = plain.replace(double, double[0], 1)
    # (a w after a, o or u marks it: ă ơ ư; str.replace is ~1 µs faster than re.sub per word)
    plain = plain.replace("aw", "a").replace("ow", "o").replace("uw", "u").replace("w", "u")
    if plain == base or not _SYLLABLE.fullmatch(plain):
        return None
    return _cased(plain, word)


_TONE_MARKS = {"s": "\u0301", "f": "\u0300", "r": "\u0309", "x": "\u0303", "j": "\u0323"}
_SHAPED = {"aa": "â", "ee": "ê", "oo": "ô", "aw": "ă", "ow": "ơ", "uw": "ư"}
_SHAPED_VOWELS = frozenset("âêôơưă")
_ALL_VOWELS = _VOWELS | _SHAPED_VOWELS


def spell(word: str) -> str | None:
    """The marked syllable `word` spells in Telex ("baans" → "bán", "khoanr" → "khoản", "duwj" →
    "dự"), tone on the vowel the pack's phrases carry it on (`normalize.canonical_tones`); None
    when `decode` finds no Telex leftover."""
    plain = decode(word)
    if plain is None:
        return None
    low = word.lower()
    first = next(i for i, c in enumerate(low) if c in _VOWELS)
    keys = [i for i in range(first, len(low)) if low[i] in "sfrxj"]
    base = low[: keys[0]] + low[keys[0] + 1 :] if keys else low
    out = []
    i = 0
    if base.startswith("dd"):
        out.append("đ")
        i = 2
    while i < len(base):
        pair = base[i : i + 2]
        if pair in _SHAPED:
            out.append(_SHAPED[pair])
            i += 2
        else:
            out.append("ư" if base[i] == "w" else base[i])
            i += 1
    shaped = "".join(out).replace("uơ", "ươ")
    if _strip(shaped) != plain.lower():
        return None
    if keys:
        shaped = _toned(shaped, _TONE_MARKS[low[keys[0]]])
    if word.isupper() and len(word) > 1:
        return shaped.upper()
    return shaped[0].upper() + shaped[1:] if word[0].isupper() else shaped


def _strip(shaped: str) -> str:
    return unicodedata.normalize("NFD", shaped.replace("đ", "d")).encode("ascii", "ignore").decode()


def _toned(syllable: str, mark: str) -> str:
    """`syllable` with the tone `mark` on its main vowel: a shaped vowel (â ê ô ơ ư ă; the ơ of
    ươ), else the last vowel before a final consonant, else the first of two open vowels ("tài",
    "hòa", "thủy") or the middle one of three ("ngoài")."""
    start = 0
    if syllable.startswith("qu") or (
        syllable.startswith("gi") and len(syllable) > 2 and syllable[2] in _ALL_VOWELS
    ):
        start = 2
    vowels = []
    for i in range(start, len(syllable)):
        if syllable[i] in _ALL_VOWELS:
            vowels.append(i)
        elif vowels:
            break
    if not vowels:  # ("gi" alone: the i)
        vowels = [i for i, c in enumerate(syllable) if c in _ALL_VOWELS][-1:]
    shaped = [i for i in vowels if syllable[i] in _SHAPED_VOWELS]
    if shaped:
        at = shaped[-1]
    elif vowels[-1] + 1 < len(syllable):
        at = vowels[-1]
    else:
        at = vowels[0] if len(vowels) < 3 else vowels[1]
    toned = unicodedata.normalize("NFC", syllable[at] + mark)
    return syllable[:at] + toned + syllable[at + 1 :]


def _cased(plain: str, word: str) -> str:
    return plain.upper() if word.isupper() and len(word) > 1 else plain


def _reads_english(text: str) -> bool:
    """Whether `text` holds two English function words: then it is English (or mixed), and its
    words with "f", "w" or doubled vowels are English spelling, not Telex keys."""
    english = _ENGLISH.finditer(text)
    return next(english, None) is not None and next(english, None) is not None


def keyed_words(text: str) -> list[tuple[int, int, str]] | None:
    """The words of a draft typed with its input method's keys left in, as (start, end,
    syllable): `in_marked_draft`'s for a draft with marks, else `leftovers`' or
    `vni_leftovers`'; None when there are none. (The marks are looked for once: on a draft
    without any, each search reads it to the end.)"""
    if _MARKED.search(text):
        return _in_marked(text)
    return _telex_unmarked(text) or _vni_unmarked(text)


def leftovers(text: str) -> list[tuple[int, int, str]] | None:
    """The Telex words of `text` as (start, end, bare syllable), or None when `text` is not a
    draft typed with Telex left in (see the module's doc)."""
    if _MARKED.search(text):
        return None
    return _telex_unmarked(text)


def _telex_unmarked(text: str) -> list[tuple[int, int, str]] | None:
    if _reads_english(text):
        return None
    found = []
    strong = 0
    for m in _CANDIDATE.finditer(text):
        word = m.group()
        decoded = decode(word)
        if decoded is not None:
            found.append((m.start(), m.end(), decoded))
            strong += telex_only(word.lower())
    return found if strong and len(found) >= 2 else None


def in_marked_draft(text: str) -> list[tuple[int, int, str]] | None:
    """The Telex words of a draft typed with marks, as (start, end, marked syllable): runs of two
    or more words that spell a syllable once the keys are out, each run holding one with a key
    where English spelling has none (`telex_only`): "cần bans tafi khoanr" gives "bán tài khoản";
    None when there are none, when `text` has no marks (`leftovers` reads those) or when it
    holds English function words.

    A run is found from a word holding f, j or w (`_seeds`), then the words on either side: a
    search over the whole draft for every word that may be Telex is ~100× slower on prose."""
    if not _MARKED.search(text):
        return None
    return _in_marked(text)


def _in_marked(text: str) -> list[tuple[int, int, str]] | None:
    runs: dict[int, list[tuple[int, int, str]]] = {}
    covered = -1
    for i in _seeds(text):
        if i < covered:
            continue
        span = _span(text, i)
        if span is None:
            continue
        s, e = span
        covered = e
        spelled = _spell_alone(text[s:e]) if _SHAPE.fullmatch(text[s:e].lower()) else None
        if spelled is None:
            continue
        run = [(s, e, spelled)]
        while (before := _next_word(text, run[0][0], -1)) is not None:
            run.insert(0, before)
        while (after := _next_word(text, run[-1][1], 1)) is not None:
            run.append(after)
        covered = run[-1][1]
        if len(run) > 1 and any(telex_only(text[s:e].lower()) for s, e, _ in run):
            runs[run[0][0]] = run
    if not runs:
        return None
    if _reads_english(text):
        return None
    return [w for start in sorted(runs) for w in runs[start]]


def _seeds(text: str) -> list[int]:
    """Where a Telex key that is no Vietnamese letter may be: an "f" (huyền) after a vowel or a
    final n, m, ng, nh; a "j" (nặng) after a letter; a "w" (ư, ơ, ă) after a, o, u or opening a
    word. A run of Telex words nearly always holds one ("tafi", "duwj", "minhf"); runs keyed with
    s, r, x and doubled vowels alone ("bans khoanr") are not read in a marked draft.

    Found with `str.find` for one char (~0.1 µs per 2,000 chars; Vietnamese prose has f, j, w in
    English words only, told apart by the chars around them). A regex led by those letters scans
    every char in Python's `re`, ~5 µs."""
    seeds = []
    n = len(text)
    for key in "fjw":
        i = text.find(key)
        while i != -1:
            before = text[i - 1] if i else " "
            if key == "f":
                after = text[i + 1] if i + 1 < n else " "
                # inside the vowels ("tafi") only where they make a rhyme: not "wifi", "cafe"
                ok = before in _AFTER_F and (after not in _VOWEL_SET or before + after in _PAIRS)
            elif key == "j":
                ok = before.isascii() and before.isalpha()
            else:
                ok = before in "aou" or (
                    not before.isalnum() and i + 1 < n and text[i + 1] in "afjrsx"
                )
            if ok:
                seeds.append(i)
            i = text.find(key, i + 1)
    return sorted(seeds)


def _span(text: str, i: int) -> tuple[int, int] | None:
    """The word of ASCII letters around `i`, if it stands alone between spaces (and punctuation):
    not glued to a marked letter ("đuowngf"), a digit or an address ("moj.gov.vn",
    "meet.google.com/abc-hij")."""
    a = max(text.rfind(" ", 0, i), text.rfind("\n", 0, i)) + 1
    b = min(x for x in (text.find(" ", i), text.find("\n", i), len(text)) if x != -1)
    token = text[a:b]
    core = token.strip(_PUNCT)
    if not (core.isascii() and core.isalpha()):
        return None
    s = a + token.index(core)
    return s, s + len(core)


def _spell_alone(word: str) -> str | None:
    """`spell`, but for words with capitals inside: an acronym or a name ("AFP", "iPhone")."""
    return None if any(c.isupper() for c in word[1:]) else spell(word)


def _next_word(text: str, at: int, step: int) -> tuple[int, int, str] | None:
    """The Telex word one run of spaces before (`step` -1) or after (1) `at`, if any."""
    j = at - 1 if step < 0 else at
    k = j
    while 0 <= k < len(text) and text[k] == " ":
        k += step
    if k == j or not 0 <= k < len(text) or not (text[k].isascii() and text[k].isalpha()):
        return None
    span = _span(text, k)
    if span is None:
        return None
    word = text[span[0] : span[1]]
    spelled = _spell_alone(word) if _SHAPE.fullmatch(word.lower()) else None
    return None if spelled is None else (span[0], span[1], spelled)


_PUNCT = ",.!?;:()[]{}\"'“”‘’…*"
_AFTER_F = frozenset("aeiouynmgh")
_VOWEL_SET = frozenset("aeiouy")
# Two vowels that open a rhyme (or a doubled Telex vowel): "tafi" is t-a-[f]-i.
_PAIRS = frozenset("ai ao au ay eo eu ia ie iu oa oe oi oo ua ue ui uo uu uy ye aa ee".split())
# The shape of a syllable typed in Telex (an onset, vowels among which the keys, a final, a key):
# a cheap test before `spell` ("follow", "project", "download" fail it).
_SHAPE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|dd|[bcdghklmnrstvx])?[aeiouyw][aeiouywsfrxj]*"
    r"(?:ch|ng|nh|[cmnpt])?[sfrxj]?"
)


# VNI, the other common input method, types the marks as digits after the letters: "ba1n" (bán),
# "ma65t kha63u" (mật khẩu: 6 for â, 5 the dot below, 3 the hook), "d9" (đ). With the method off,
# the digits stay in the words.
_VNI_GATE = re.compile(r"[aeiouyAEIOUYdD][1-9]")
_VNI_DIGITS = re.compile(r"[1-9]")


def vni_leftovers(text: str) -> list[tuple[int, int, str]] | None:
    """The VNI words of a draft typed without marks, as (start, end, bare syllable): "ba1n tk fb
    co63" gives "ban", "co"; None when the draft has marks, English function words, or fewer than
    two such words, one of them with a digit *inside* it ("ba1n", "kha63u": codes and names put
    digits at the end or between consonants — "h1n1", "a1", "covid19", "iphone15").

    Each digit must follow a vowel, a "d" (9 for đ) or another digit, the word hold at most three,
    and the letters left spell a syllable. Words are found from the vowel-digit pairs
    (`_VNI_GATE`, a search in C): a scan of every word costs ~10 µs per 2,000 chars."""
    if _MARKED.search(text):
        return None
    return _vni_unmarked(text)


def _vni_unmarked(text: str) -> list[tuple[int, int, str]] | None:
    found = []
    inside = False
    seen = -1
    n = len(text)
    for g in _VNI_GATE.finditer(text):
        if g.start() < seen:
            continue
        a = g.start()
        while a and text[a - 1].isascii() and text[a - 1].isalnum():
            a -= 1
        b = g.end()
        while b < n and text[b].isascii() and text[b].isalnum():
            b += 1
        seen = b
        if (a and text[a - 1].isalnum()) or (b < n and text[b].isalnum()):
            continue  # glued to a marked letter
        low = text[a:b].lower()
        if not low[0].isalpha():
            continue
        digits = [i for i, c in enumerate(low) if c.isdigit()]
        if len(digits) > 3 or any(
            low[i - 1] not in _VOWELS and not low[i - 1].isdigit() and low[i - 1] != "d"
            for i in digits
        ):
            continue
        plain = _VNI_DIGITS.sub("", low)
        if not _SYLLABLE.fullmatch(plain):
            continue
        found.append((a, b, _cased(plain, text[a:b])))
        inside = inside or digits[-1] < len(low) - 1
    if not inside or len(found) < 2 or _reads_english(text):
        return None
    return found
