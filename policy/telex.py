"""Telex leftovers: a draft typed with the Vietnamese keyboard switched off.

With Telex, "mật khẩu" is typed m-a-a-j-t k-h-a-a-r-u: when the keyboard is off (or the
phone's keyboard misreads it), the post reads "maajt khaaur", "taif khoanr", "cafn baans" — the
tone keys (s f r x j) and the vowel keys (aa ee oo dd aw ow uw) are left in the words. A draft
full of such words is read with each one as the bare syllable it spells ("mat khau", "tai
khoan", "can ban"): an undiacritised draft, which phrases match leniently.

Only drafts that are clearly that are rewritten: no Vietnamese marks at all, no English function
words, and at least two words that spell a valid syllable once the keys are out *and* carry a
key in a place English spelling never has one (`telex_only`: "aa", a leading "dd", a "j", a tone
key after a final consonant, "ow"/"aw"/"uw" before a tone key…). English words that read as
syllables with their last letter dropped ("box", "her", "down", "burn", "beef") are not evidence;
in a Telex draft they are read as syllables too, like the Telex words around them.
"""

from __future__ import annotations

import re

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
    plain = re.sub(r"([aou])w", r"\1", plain).replace("w", "u")
    if plain == base or not _SYLLABLE.fullmatch(plain):
        return None
    return _cased(plain, word)


def _cased(plain: str, word: str) -> str:
    return plain.upper() if word.isupper() and len(word) > 1 else plain


def leftovers(text: str) -> list[tuple[int, int, str]] | None:
    """The Telex words of `text` as (start, end, bare syllable), or None when `text` is not a
    draft typed with Telex left in (see the module's doc)."""
    if _MARKED.search(text):
        return None
    english = _ENGLISH.finditer(text)
    if next(english, None) is not None and next(english, None) is not None:
        return None
    found = []
    strong = 0
    for m in _CANDIDATE.finditer(text):
        word = m.group()
        decoded = decode(word)
        if decoded is not None:
            found.append((m.start(), m.end(), decoded))
            strong += telex_only(word.lower())
    return found if strong >= 2 else None
